//! Environment variables in JavaScript/TypeScript: reads through `process.env`,
//! `import.meta.env`, `Bun.env`, `Deno.env.get(…)` and `$env/dynamic/*` objects (with their
//! `??` / `||` literal defaults), and writes such as `process.env.OPENAI_BASE_URL = …`,
//! recorded as global settings.
use std::ops::Range;

use tree_sitter::Node;

use super::syntax::{first_arg, squash, string_value, unwrap};
use super::Extractor;
use crate::facts::{EnvRead, GlobalSetting, ValueKind};

impl<'t> Extractor<'t> {
    /// An env read at `node`: (name, via, name span).
    pub(super) fn env_read(&self, node: Node<'t>) -> Option<(String, String, Range<usize>)> {
        match node.kind() {
            "member_expression" => {
                let obj = node.child_by_field_name("object")?;
                let prop = node.child_by_field_name("property")?;
                let via = self.env_object(obj)?;
                Some((self.t(prop).to_string(), via, prop.byte_range()))
            }
            "subscript_expression" => {
                let obj = node.child_by_field_name("object")?;
                let idx = node.child_by_field_name("index")?;
                if !matches!(idx.kind(), "string" | "template_string") {
                    return None;
                }
                let via = self.env_object(obj)?;
                Some((string_value(idx, self.text), via, idx.byte_range()))
            }
            "call_expression" => {
                let f = node.child_by_field_name("function")?;
                if squash(self.t(f)) != "Deno.env.get" {
                    return None;
                }
                let a = first_arg(node)?;
                if a.kind() != "string" {
                    return None;
                }
                Some((
                    string_value(a, self.text),
                    "Deno.env".to_string(),
                    a.byte_range(),
                ))
            }
            _ => None,
        }
    }

    /// `process.env`, `import.meta.env`, `Bun.env`, or a name bound to an env object.
    pub(super) fn env_object(&self, obj: Node<'t>) -> Option<String> {
        let t = squash(self.t(unwrap(obj)));
        if let Some(v) = env_object_via(&t) {
            return Some(v.to_string());
        }
        self.env_objects.get(t.as_str()).cloned()
    }

    /// Records env reads through `process.env.X`, `process.env["X"]`, `import.meta.env.X`,
    /// `Deno.env.get("X")` and `$env/dynamic/*` objects.
    pub(super) fn on_env_member(&mut self, n: Node<'t>) {
        let target = match n.kind() {
            "member_expression" | "subscript_expression" => n,
            _ => return,
        };
        let Some((name, via, span)) = self.env_read(target) else {
            return;
        };
        // A write (`process.env.X = …`) is a global setting, not a read.
        if let Some(p) = self.up(n) {
            if p.kind() == "assignment_expression"
                && p.child_by_field_name("left")
                    .is_some_and(|l| l.byte_range() == n.byte_range())
            {
                return;
            }
        }
        self.push_env_read(n, name, via, span);
    }

    /// Records the env read `n` (of `name` at `span`) with the literal default after it.
    fn push_env_read(&mut self, n: Node<'t>, name: String, via: String, span: Range<usize>) {
        let (default, default_span) = self.default_of(n);
        self.facts.env_reads.push(EnvRead {
            name,
            span,
            default,
            default_span,
            via,
        });
    }

    /// The literal default after `??` / `||` when `n` is the left operand (of a whole
    /// `A || B || 'x'` chain when it is its first operand).
    pub(super) fn default_of(&self, n: Node<'t>) -> (Option<String>, Option<Range<usize>>) {
        let mut cur = n;
        let mut up = self.up(n);
        while let Some(p) = up {
            match p.kind() {
                "parenthesized_expression" | "non_null_expression" | "as_expression" => {
                    cur = p;
                    up = self.up(p);
                }
                "binary_expression" => {
                    let op = p.child_by_field_name("operator").map(|o| o.kind());
                    let left = p.child_by_field_name("left");
                    if !(matches!(op, Some("??") | Some("||"))
                        && left.is_some_and(|l| l.byte_range() == cur.byte_range()))
                    {
                        return (None, None);
                    }
                    let Some(r) = p.child_by_field_name("right").map(unwrap) else {
                        return (None, None);
                    };
                    if matches!(r.kind(), "string" | "template_string") {
                        if let ValueKind::Str(s) = self.resolve(r, 0).0 {
                            return (Some(s), Some(r.byte_range()));
                        }
                        return (None, None);
                    }
                    // `A || B || ''`: the chain's last fallback is the default of its first read.
                    cur = p;
                    up = self.up(p);
                }
                _ => return (None, None),
            }
        }
        (None, None)
    }

    pub(super) fn on_call_env(&mut self, n: Node<'t>) {
        if let Some((name, via, span)) = self.env_read(n) {
            self.push_env_read(n, name, via, span);
        }
    }

    /// `process.env.OPENAI_BASE_URL = …` and friends.
    pub(super) fn on_assignment(&mut self, n: Node<'t>) {
        let (Some(l), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return;
        };
        if let Some((name, _, span)) = self.env_read(l) {
            self.facts.globals.push(GlobalSetting {
                target: name,
                target_span: span,
                value: self.value(r),
            });
        }
    }
}

/// The `via` of an env object written as `t` (whitespace removed).
pub(super) fn env_object_via(t: &str) -> Option<&'static str> {
    match t {
        "process.env" | "globalThis.process.env" => Some("process.env"),
        "import.meta.env" => Some("import.meta.env"),
        "Bun.env" => Some("Bun.env"),
        _ => None,
    }
}
