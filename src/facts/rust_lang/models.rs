//! Model sites in Rust: `.model(…)` builder calls, constants, statics and `let`s, struct
//! fields named for a model (the shared name rules of [`crate::facts::names`]), `json!`
//! bodies, and DeepSeek model IDs written in a slot where a value is sent, whatever their
//! name (`vec![…]`, arrays, arguments, `unwrap_or(…)` defaults, match arms,
//! `#[serde(rename = …)]`).
use tree_sitter::Node;

use super::syntax::{first_arg, squash, string_value, unwrap};
use super::Extractor;
use crate::facts::names::{
    deepseek_model_slot, is_model_name, is_response_body, looks_like_deepseek_model, Slot,
};
use crate::facts::{Value, ValueKind};

impl<'t> Extractor<'t> {
    /// `.model("…")` in a builder chain not attached to a request.
    pub(super) fn on_model_method(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        if f.kind() != "field_expression"
            || f.child_by_field_name("field")
                .is_none_or(|x| self.t(x) != "model")
        {
            return;
        }
        if let Some(a) = first_arg(n) {
            self.push_model(self.value(a));
        }
    }

    /// `const MODEL: &str = "…"`, `let model = "…"`.
    pub(super) fn on_model_decl(&mut self, n: Node<'t>) {
        let name = match n.kind() {
            "let_declaration" => n.child_by_field_name("pattern"),
            _ => n.child_by_field_name("name"),
        };
        let (Some(name), Some(v)) = (name, n.child_by_field_name("value")) else {
            return;
        };
        if !is_model_name(self.t(name)) {
            return;
        }
        if !matches!(
            unwrap(v).kind(),
            "string_literal" | "raw_string_literal" | "call_expression"
        ) {
            return;
        }
        let value = self.value(v);
        if matches!(value.kind, ValueKind::Str(_))
            || matches!(
                value.kind,
                ValueKind::Env {
                    default: Some(_),
                    ..
                }
            )
        {
            self.push_model(value);
        }
    }

    /// `model: "…".into()` in a struct literal.
    pub(super) fn on_model_field(&mut self, n: Node<'t>) {
        let is_model = n
            .child_by_field_name("field")
            .is_some_and(|f| is_model_name(self.t(f)));
        if let (true, Some(v)) = (is_model, n.child_by_field_name("value")) {
            self.push_model(self.value(v));
        }
    }

    /// `json!({ "model": "…" })` outside a request.
    pub(super) fn on_model_json(&mut self, n: Node<'t>) {
        // Only top-level token trees of a macro (nested ones are searched from there).
        if self.up(n).is_none_or(|p| p.kind() != "macro_invocation") {
            return;
        }
        if is_response_body(self.t(n)) {
            return;
        }
        if let Some(v) = self.json_field(n, "model") {
            self.push_model(v);
        }
    }

    /// A string literal that looks like a DeepSeek model ID, in a slot where a value is sent
    /// or configured ([`deepseek_model_slot`]).
    pub(super) fn on_model_literal(&mut self, n: Node<'t>) {
        let s = string_value(n, self.text);
        if !looks_like_deepseek_model(&s) || !deepseek_model_slot(self.slot(n)) {
            return;
        }
        self.push_model(Value::literal(s, n.byte_range()));
    }

    /// Where a literal sits ([`Slot`]), after skipping what passes its value through.
    pub(super) fn slot(&self, n: Node<'t>) -> Slot<'t> {
        let (cur, parent) = self.climb(n);
        let Some(p) = parent else {
            return Slot::Other;
        };
        let is = |field: &str| p.child_by_field_name(field).map(|v| v.id()) == Some(cur.id());
        let name = |field: &str| p.child_by_field_name(field).map(|x| self.t(x));
        match p.kind() {
            "arguments" => self.argument_slot(p),
            "array_expression" => match self.climb(p).1 {
                Some(g) if g.kind() == "arguments" => self.argument_slot(g),
                _ => Slot::Element,
            },
            "token_tree" => self.macro_slot(cur, p),
            "let_declaration" if is("value") => Slot::Value(name("pattern")),
            "const_item" | "static_item" if is("value") => Slot::Value(name("name")),
            "field_initializer" if is("value") => Slot::Value(name("field")),
            "assignment_expression" if is("right") => Slot::Value(name("left")),
            "match_arm" if is("value") => Slot::Value(None),
            "return_expression" => Slot::Value(None),
            "function_item" => Slot::Value(None),
            _ => Slot::Other,
        }
    }

    /// The slot of a literal inside a macro's token tree: an element of `vec![…]` or of a
    /// `json!` array, or a `json!` value (named by its key); anything else (`println!`,
    /// `assert_eq!`, `format!`) sends nothing.
    pub(super) fn macro_slot(&self, lit: Node<'t>, tt: Node<'t>) -> Slot<'t> {
        let mut top = tt;
        while let Some(p) = self.up(top).filter(|p| p.kind() == "token_tree") {
            top = p;
        }
        // `#[serde(rename = "deepseek-chat")]` on a model enum's variant: the ID it serializes to.
        if let Some(attr) = self.up(top).filter(|a| a.kind() == "attribute") {
            let serde = attr
                .named_child(0)
                .is_some_and(|p| self.t(p).rsplit("::").next() == Some("serde"));
            let mut c = tt.walk();
            let kids: Vec<Node<'t>> = tt.children(&mut c).collect();
            let i = kids.iter().position(|k| k.id() == lit.id());
            let renamed = i.is_some_and(|i| {
                i >= 2 && self.t(kids[i - 1]) == "=" && self.t(kids[i - 2]) == "rename"
            });
            return if serde && renamed {
                Slot::Value(None)
            } else {
                Slot::Other
            };
        }
        let mac = self
            .up(top)
            .filter(|m| m.kind() == "macro_invocation")
            .and_then(|m| m.child_by_field_name("macro"))
            .map(|m| self.t(m).rsplit("::").next().unwrap_or_default());
        match mac {
            Some("vec") if top.id() == tt.id() => Slot::Element,
            Some("json") if is_response_body(self.t(top)) => Slot::Other,
            Some("json") => {
                let mut c = tt.walk();
                let kids: Vec<Node<'t>> = tt.children(&mut c).collect();
                let Some(i) = kids.iter().position(|k| k.id() == lit.id()) else {
                    return Slot::Other;
                };
                let next_colon = kids.get(i + 1).is_some_and(|k| self.t(*k) == ":");
                let prev_colon = i >= 1 && self.t(kids[i - 1]) == ":";
                let opens_array = self.t(tt).starts_with('[');
                if next_colon {
                    Slot::Other
                } else if prev_colon {
                    let key = (i >= 2)
                        .then(|| kids[i - 2])
                        .filter(|k| k.kind() == "string_literal")
                        .map(|k| {
                            let t = self.t(k);
                            t.get(1..t.len().saturating_sub(1)).unwrap_or("")
                        });
                    Slot::Value(key)
                } else if opens_array {
                    Slot::Element
                } else {
                    Slot::Other
                }
            }
            _ => Slot::Other,
        }
    }

    /// The slot of an argument in the `arguments` node `args`: named by the method or the
    /// last path segment of the function called.
    pub(super) fn argument_slot(&self, args: Node<'t>) -> Slot<'t> {
        let Some(f) = self
            .up(args)
            .and_then(|c| c.child_by_field_name("function"))
        else {
            return Slot::Other;
        };
        let last = match f.kind() {
            "field_expression" => f.child_by_field_name("field").map(|x| self.t(x)),
            _ => {
                let t = self.t(f);
                Some(t.rsplit("::").next().unwrap_or(t).trim())
            }
        };
        match last {
            Some(l) => Slot::Argument(l),
            None => Slot::Other,
        }
    }

    /// The outermost expression that passes `n`'s value through (`&`, parentheses,
    /// `.to_string()` / `.into()` / `.to_owned()`, `String::from(…)`, `Some(…)`, a closure
    /// body, the tail of a block, an `if`/`else` branch), and its parent.
    pub(super) fn climb(&self, n: Node<'t>) -> (Node<'t>, Option<Node<'t>>) {
        let mut cur = n;
        let mut parent = self.up(n);
        while let Some(p) = parent {
            let next = match p.kind() {
                "reference_expression" | "parenthesized_expression" | "else_clause" => Some(p),
                "closure_expression" if self.is_field(p, "body", cur) => Some(p),
                "if_expression" if !self.is_field(p, "condition", cur) => Some(p),
                "block" => {
                    let last = p.named_child(p.named_child_count().saturating_sub(1));
                    let tail = last.is_some_and(|l| l.id() == cur.id());
                    match self.up(p) {
                        Some(g)
                            if tail
                                && matches!(
                                    g.kind(),
                                    "closure_expression" | "if_expression" | "else_clause"
                                ) =>
                        {
                            Some(p)
                        }
                        // A function's tail expression: returned.
                        Some(g) if tail && g.kind() == "function_item" => {
                            return (p, Some(g));
                        }
                        _ => None,
                    }
                }
                "field_expression" => {
                    let call = self.up(p).filter(|c| c.kind() == "call_expression");
                    let m = p.child_by_field_name("field").map(|x| self.t(x));
                    match (call, m) {
                        (Some(c), Some("to_string" | "to_owned" | "into" | "clone"))
                            if self.is_field(p, "value", cur) =>
                        {
                            Some(c)
                        }
                        _ => None,
                    }
                }
                "arguments" => {
                    let call = self.up(p).filter(|c| c.kind() == "call_expression");
                    let f = call.and_then(|c| c.child_by_field_name("function"));
                    let wraps = f.is_some_and(|f| {
                        matches!(
                            squash(self.t(f)).as_str(),
                            "Some" | "String::from" | "Cow::from" | "Cow::Borrowed" | "Box::from"
                        )
                    });
                    if wraps && p.named_child_count() == 1 {
                        call
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let Some(next) = next else {
                break;
            };
            cur = next;
            parent = self.up(next);
        }
        (cur, parent)
    }

    pub(super) fn is_field(&self, p: Node<'t>, field: &str, child: Node<'t>) -> bool {
        p.child_by_field_name(field).map(|v| v.id()) == Some(child.id())
    }

    pub(super) fn push_model(&mut self, value: Value) {
        self.facts.push_model_site(value, &self.consumed);
    }
}
