//! Model sites in JavaScript/TypeScript: `model:` pairs and settings objects, declarations,
//! fields, parameters and enum members named for a model (the shared name rules of
//! [`crate::facts::names`]), and DeepSeek model IDs written in a slot where a value is sent,
//! whatever their name.
use tree_sitter::Node;

use super::syntax::{has_substitution, string_value, unwrap, BASE_URL_KEYS};
use super::Extractor;
use crate::facts::names::{
    deepseek_model_slot, is_model_name, is_response_body, looks_like_deepseek_model, Slot,
};
use crate::facts::{Request, Value, ValueKind};

impl<'t> Extractor<'t> {
    /// `model: "…"` / `"model": …` not already attached to a client or request.
    pub(super) fn on_model_pair(&mut self, n: Node<'t>) {
        let Some(key) = n.child_by_field_name("key") else {
            return;
        };
        let Some(k) = self.key_name(key) else {
            return;
        };
        if !is_model_name(&k) || self.in_response(n) {
            return;
        }
        let Some(v) = n.child_by_field_name("value") else {
            return;
        };
        let value = self.value(v);
        if let Some(url) = self
            .sibling_base_url(n)
            .filter(|_| !self.consumed.contains(&value.span))
        {
            // `{ model: "…", baseURL: "https://api.deepseek.com" }`: a settings object handed
            // to a wrapper; the model goes where its base URL says.
            if matches!(value.kind, ValueKind::Str(_)) {
                self.push_request(Request {
                    receiver: None,
                    client: None,
                    api: "config".into(),
                    api_span: key.byte_range(),
                    model: Some(value),
                    url: Some(url),
                    api_key: None,
                });
                return;
            }
        }
        self.push_model(value);
    }

    /// The base URL given next to a pair in the same object literal (`baseURL`, `base_url`,
    /// `apiBase`), when it is a known string.
    pub(super) fn sibling_base_url(&self, pair: Node<'t>) -> Option<Value> {
        let obj = self.up(pair).filter(|o| o.kind() == "object")?;
        let mut c = obj.walk();
        let found = obj.named_children(&mut c).find_map(|p| {
            if p.kind() != "pair" {
                return None;
            }
            let k = self.key_name(p.child_by_field_name("key")?)?;
            BASE_URL_KEYS
                .contains(&k.as_str())
                .then(|| p.child_by_field_name("value"))
                .flatten()
        })?;
        let v = self.value(found);
        v.as_str()
            .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"))
            .then_some(v)
    }

    /// `const MODEL = "…"`, `const deepseekModel = "…"`.
    pub(super) fn on_model_decl(&mut self, n: Node<'t>) {
        let (Some(name), Some(v)) = (
            n.child_by_field_name("name"),
            n.child_by_field_name("value"),
        ) else {
            return;
        };
        if name.kind() != "identifier" || !is_model_name(self.t(name)) {
            return;
        }
        if !matches!(
            unwrap(v).kind(),
            "string" | "template_string" | "binary_expression"
        ) {
            return;
        }
        self.push_model(self.value(v));
    }

    /// A class field, parameter default, assignment or enum member named for a model
    /// (`llmModel = "…"`, `model = "…"` in a signature, `this.model = "…"`).
    pub(super) fn on_model_binding(&mut self, n: Node<'t>) {
        let (name, value) = match n.kind() {
            "public_field_definition" | "field_definition" => (
                n.child_by_field_name("name")
                    .or_else(|| n.child_by_field_name("property")),
                n.child_by_field_name("value"),
            ),
            "required_parameter" | "optional_parameter" => (
                n.child_by_field_name("pattern"),
                n.child_by_field_name("value"),
            ),
            "assignment_pattern" | "object_assignment_pattern" | "assignment_expression" => (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ),
            "enum_assignment" => (
                n.child_by_field_name("name"),
                n.child_by_field_name("value"),
            ),
            _ => return,
        };
        let (Some(name), Some(v)) = (name, value) else {
            return;
        };
        if !is_model_name(self.t(name)) {
            return;
        }
        if !matches!(
            unwrap(v).kind(),
            "string" | "template_string" | "binary_expression" | "member_expression"
        ) {
            return;
        }
        self.push_model(self.value(v));
    }

    /// A string literal that looks like a DeepSeek model ID, in a slot where a value is sent
    /// or configured ([`deepseek_model_slot`]).
    pub(super) fn on_model_literal(&mut self, n: Node<'t>) {
        if has_substitution(n) {
            return;
        }
        let s = string_value(n, self.text);
        if !looks_like_deepseek_model(&s) || !deepseek_model_slot(self.slot(n)) {
            return;
        }
        self.push_model(Value::literal(s, n.byte_range()));
    }

    /// Where a literal sits ([`Slot`]), after skipping wrappers that pass it through
    /// (parentheses, `as`/`satisfies`, the branches of `?:`, the default of `||` / `??`).
    pub(super) fn slot(&self, n: Node<'t>) -> Slot<'t> {
        let (cur, parent) = self.climb(n);
        let Some(p) = parent else {
            return Slot::Other;
        };
        let is = |field: &str| p.child_by_field_name(field).map(|v| v.id()) == Some(cur.id());
        let name = |field: &str| p.child_by_field_name(field).map(|x| self.t(x));
        match p.kind() {
            "array" => {
                let (_, g) = self.climb(p);
                match g {
                    Some(g) if g.kind() == "arguments" => self.argument_slot(g),
                    // `["a", "b"].includes(model)`: a receiver, not a value.
                    Some(g) if g.kind() == "member_expression" => Slot::Other,
                    _ => Slot::Element,
                }
            }
            "arguments" => self.argument_slot(p),
            "pair" if self.in_response(p) => Slot::Other,
            "pair" if is("value") => {
                Slot::Value(p.child_by_field_name("key").and_then(|k| match k.kind() {
                    "property_identifier" | "identifier" => Some(self.t(k)),
                    "string" => self.t(k).get(1..self.t(k).len().saturating_sub(1)),
                    _ => None,
                }))
            }
            "variable_declarator" if is("value") => Slot::Value(
                p.child_by_field_name("name")
                    .filter(|x| x.kind() == "identifier")
                    .map(|x| self.t(x)),
            ),
            "assignment_expression" if is("right") => Slot::Value(name("left")),
            "public_field_definition" | "field_definition" if is("value") => {
                Slot::Value(name("name").or_else(|| name("property")))
            }
            "required_parameter" | "optional_parameter" if is("value") => {
                Slot::Value(name("pattern"))
            }
            "assignment_pattern" | "object_assignment_pattern" if is("right") => {
                Slot::Value(name("left"))
            }
            "enum_assignment" if is("value") => Slot::Value(name("name")),
            "return_statement" => Slot::Value(None),
            "arrow_function" if is("body") => Slot::Value(None),
            _ => Slot::Other,
        }
    }

    /// True when a pair belongs to an object literal that is an API response (a mock).
    pub(super) fn in_response(&self, pair: Node<'t>) -> bool {
        self.up(pair)
            .filter(|o| o.kind() == "object")
            .is_some_and(|o| is_response_body(self.t(o)))
    }

    /// The slot of an argument in the `arguments` node `args`.
    pub(super) fn argument_slot(&self, args: Node<'t>) -> Slot<'t> {
        let callee = self.up(args).and_then(|c| {
            c.child_by_field_name("function")
                .or_else(|| c.child_by_field_name("constructor"))
        });
        match callee {
            Some(f) => {
                let t = self.t(f);
                Slot::Argument(t.rsplit('.').next().unwrap_or(t).trim())
            }
            None => Slot::Other,
        }
    }

    /// The outermost expression that passes `n`'s value through, and its parent.
    pub(super) fn climb(&self, n: Node<'t>) -> (Node<'t>, Option<Node<'t>>) {
        let mut cur = n;
        let mut parent = self.up(n);
        while let Some(p) = parent {
            let through = match p.kind() {
                "parenthesized_expression"
                | "as_expression"
                | "satisfies_expression"
                | "non_null_expression" => true,
                "ternary_expression" => {
                    p.child_by_field_name("condition").map(|c| c.id()) != Some(cur.id())
                }
                "binary_expression" => {
                    let op = p.child_by_field_name("operator").map(|o| o.kind());
                    matches!(op, Some("||") | Some("??"))
                        && p.child_by_field_name("right").map(|r| r.id()) == Some(cur.id())
                }
                _ => false,
            };
            if !through {
                break;
            }
            cur = p;
            parent = self.up(p);
        }
        (cur, parent)
    }

    pub(super) fn push_model(&mut self, value: Value) {
        self.facts.push_model_site(value, &self.consumed);
    }
}
