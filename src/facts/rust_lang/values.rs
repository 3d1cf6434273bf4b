//! Value resolution for Rust: an expression to a [`Value`] through `let`/`const`/`static`
//! declarations, `format!` with constant arguments, `env!`, `String::from`, conversions
//! (`.to_string()`, `.into()`…) and `unwrap_or*` fallbacks, with a depth limit; and the
//! method chains (`a.b(x).c(y)`) that builders are written as.
use std::ops::Range;

use tree_sitter::Node;

use super::env::env_via;
use super::syntax::{first_arg, squash, string_value, unwrap, unwrap_ref};
use super::{Extractor, Method, MAX_DEPTH};
use crate::facts::{Value, ValueKind};

impl<'t> Extractor<'t> {
    pub(super) fn decl(&self, name: &str, at: usize) -> Option<Node<'t>> {
        let list = self.decls.get(name)?;
        list.iter()
            .rev()
            .find(|(s, _)| *s < at)
            .or_else(|| list.first())
            .map(|(_, v)| *v)
    }

    /// Splits `a.b(x).c(y)` into its base (`a`) and method calls (`b`, `c`) in source order.
    /// Does not look through `?` or `.await`.
    pub(super) fn chain(&self, mut n: Node<'t>) -> (Node<'t>, Vec<Method<'t>>) {
        let mut methods = Vec::new();
        for _ in 0..512 {
            if n.kind() != "call_expression" {
                break;
            }
            let Some(f) = n.child_by_field_name("function") else {
                break;
            };
            let f = if f.kind() == "generic_function" {
                f.child_by_field_name("function").unwrap_or(f)
            } else {
                f
            };
            if f.kind() != "field_expression" {
                break;
            }
            let (Some(v), Some(field)) = (
                f.child_by_field_name("value"),
                f.child_by_field_name("field"),
            ) else {
                break;
            };
            methods.push(Method {
                name: self.t(field),
                field,
                call: n,
            });
            n = v;
        }
        methods.reverse();
        (n, methods)
    }

    /// The path a call's function names (`OpenAIConfig::new`, `std::env::var`), if it is a
    /// plain or scoped identifier.
    pub(super) fn callee_path(&self, call: Node<'t>) -> Option<String> {
        let f = call.child_by_field_name("function")?;
        let f = if f.kind() == "generic_function" {
            f.child_by_field_name("function")?
        } else {
            f
        };
        matches!(f.kind(), "identifier" | "scoped_identifier").then(|| squash(self.t(f)))
    }

    /// A value with its report span.
    pub(super) fn value(&self, node: Node<'t>) -> Value {
        Value::resolved(node.byte_range(), self.resolve(node, 0))
    }

    pub(super) fn resolve(&self, node: Node<'t>, depth: u8) -> (ValueKind, Option<Range<usize>>) {
        let node = unwrap_ref(node);
        let other = || (ValueKind::Other(squash(self.t(node))), None);
        if depth > MAX_DEPTH {
            return other();
        }
        match node.kind() {
            "string_literal" | "raw_string_literal" => (
                ValueKind::Str(string_value(node, self.text)),
                Some(node.byte_range()),
            ),
            "identifier" => {
                let name = self.t(node);
                match self.decl(name, node.start_byte()) {
                    Some(v) if !v.byte_range().contains(&node.start_byte()) => {
                        let (k, s) = self.resolve(v, depth + 1);
                        match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s.or_else(|| Some(unwrap(v).byte_range()))),
                        }
                    }
                    _ => other(),
                }
            }
            "macro_invocation" => {
                let m = node
                    .child_by_field_name("macro")
                    .map(|m| self.t(m))
                    .unwrap_or("");
                let tt = node.named_child(node.named_child_count().saturating_sub(1));
                let first = tt.and_then(|t| t.named_child(0));
                match (m, first) {
                    ("env" | "option_env", Some(f)) if f.kind() == "string_literal" => (
                        ValueKind::Env {
                            name: string_value(f, self.text),
                            default: None,
                        },
                        None,
                    ),
                    ("format", Some(f)) if f.kind() == "string_literal" => {
                        match tt.and_then(|t| self.format(t, f, node.start_byte(), depth)) {
                            Some(s) => (ValueKind::Str(s), Some(node.byte_range())),
                            None => other(),
                        }
                    }
                    _ => other(),
                }
            }
            "call_expression" => {
                if let Some(path) = self.callee_path(node) {
                    let full = self.full_path(&path);
                    if env_via(&path).or_else(|| env_via(&full)).is_some() {
                        if let Some(a) = first_arg(node).filter(|a| a.kind() == "string_literal") {
                            return (
                                ValueKind::Env {
                                    name: string_value(a, self.text),
                                    default: None,
                                },
                                None,
                            );
                        }
                    }
                    if path == "String::from" || path.ends_with("::String::from") {
                        if let Some(a) = first_arg(node) {
                            return self.resolve(a, depth + 1);
                        }
                    }
                    if path == "String::new" || path == "String::default" {
                        return (ValueKind::Str(String::new()), Some(node.byte_range()));
                    }
                    return other();
                }
                let (base, methods) = self.chain(node);
                let Some(last) = methods.last() else {
                    return other();
                };
                // The receiver of the last method.
                let recv = if methods.len() >= 2 {
                    methods[methods.len() - 2].call
                } else {
                    base
                };
                match last.name {
                    "to_string" | "to_owned" | "into" | "clone" | "as_str" | "as_ref"
                    | "unwrap" | "expect" | "ok" | "context" | "with_context" | "trim"
                    | "as_deref" => {
                        let (k, s) = self.resolve(recv, depth + 1);
                        match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s),
                        }
                    }
                    "unwrap_or_default" | "unwrap_or" | "unwrap_or_else" => {
                        let (k, s) = self.resolve(recv, depth + 1);
                        match k {
                            ValueKind::Env {
                                name,
                                default: None,
                            } => {
                                let d = match last.name {
                                    "unwrap_or_default" => Some(String::new()),
                                    _ => self.default_arg(last.call, depth + 1).map(|d| d.0),
                                };
                                (ValueKind::Env { name, default: d }, None)
                            }
                            // `model.unwrap_or("deepseek-chat")` on an option this file cannot
                            // see into: the fallback is what is sent when it is unset (an empty
                            // fallback says nothing).
                            ValueKind::Other(_) if last.name != "unwrap_or_default" => {
                                match self.default_arg(last.call, depth + 1) {
                                    Some((s, span)) if !s.is_empty() => (ValueKind::Str(s), span),
                                    _ => other(),
                                }
                            }
                            ValueKind::Other(_) => other(),
                            k => (k, s),
                        }
                    }
                    _ => other(),
                }
            }
            _ => other(),
        }
    }

    /// `format!("{}/chat/completions", BASE)` / `format!("{BASE}/v1")` when every argument
    /// is a literal or a constant string.
    pub(super) fn format(
        &self,
        tt: Node<'t>,
        fmt: Node<'t>,
        at: usize,
        depth: u8,
    ) -> Option<String> {
        let template = string_value(fmt, self.text);
        // Positional arguments: single tokens between commas.
        let mut c = tt.walk();
        let kids: Vec<Node<'t>> = tt.children(&mut c).collect();
        let start = kids
            .iter()
            .position(|k| k.byte_range() == fmt.byte_range())?;
        let mut args: Vec<Vec<Node<'t>>> = Vec::new();
        for k in &kids[start + 1..] {
            match self.t(*k) {
                "," => args.push(Vec::new()),
                ")" | "]" | "}" if k.kind() != "string_literal" => {}
                _ => {
                    if let Some(last) = args.last_mut() {
                        last.push(*k);
                    }
                }
            }
        }
        args.retain(|a| !a.is_empty());
        let arg_value = |toks: &[Node<'t>]| -> Option<String> {
            match toks {
                [one] if matches!(one.kind(), "string_literal" | "raw_string_literal") => {
                    Some(string_value(*one, self.text))
                }
                [one] if one.kind() == "identifier" => self.named_str(self.t(*one), at, depth),
                _ => None,
            }
        };
        let mut out = String::new();
        let mut next = 0;
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            if let Some(stripped) = after.strip_prefix('{') {
                out.push('{');
                rest = stripped;
                continue;
            }
            let close = after.find('}')?;
            let name = after[..close].split(':').next().unwrap_or("");
            let v = if name.is_empty() {
                let a = args.get(next)?;
                next += 1;
                arg_value(a)?
            } else if let Ok(i) = name.parse::<usize>() {
                arg_value(args.get(i)?)?
            } else {
                self.named_str(name, at, depth)?
            };
            out.push_str(&v);
            rest = &after[close + 1..];
        }
        out.push_str(&rest.replace("}}", "}"));
        Some(out)
    }

    /// The string a name holds, when it is a constant or variable with a known string.
    pub(super) fn named_str(&self, name: &str, at: usize, depth: u8) -> Option<String> {
        let v = self.decl(name, at)?;
        match self.resolve(v, depth + 1).0 {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The literal default of `.unwrap_or(x)` / `.unwrap_or_else(|_| x)`, and the span of
    /// the literal when one is written there.
    pub(super) fn default_arg(
        &self,
        call: Node<'t>,
        depth: u8,
    ) -> Option<(String, Option<Range<usize>>)> {
        let a = first_arg(call)?;
        let a = if a.kind() == "closure_expression" {
            let body = a.child_by_field_name("body")?;
            if body.kind() == "block" {
                body.named_child(body.named_child_count().checked_sub(1)?)?
            } else {
                body
            }
        } else {
            a
        };
        match self.resolve(a, depth) {
            (ValueKind::Str(s), span) => Some((s, span)),
            _ => None,
        }
    }
}
