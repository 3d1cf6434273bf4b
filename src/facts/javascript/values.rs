//! Value resolution for JavaScript/TypeScript: an expression to a [`Value`] through
//! same-file declarations, parameter defaults, object literals (and their spreads), member
//! access, string concatenation, template literals and `??` / `||` fallbacks, with a depth
//! limit; and option lookup in object literals.
use std::ops::Range;

use tree_sitter::Node;

use super::syntax::{first_arg, squash, string_value, unescape, unwrap};
use super::{Extractor, Found, MAX_DEPTH};
use crate::facts::{Value, ValueKind};

impl<'t> Extractor<'t> {
    /// The parameter `name` used at `at` refers to (innermost function first): `Some(default)`
    /// or `Some(None)` for a parameter without default; `None` when `name` is no parameter
    /// there.
    pub(super) fn param(&self, name: &str, at: usize) -> Option<Option<Node<'t>>> {
        self.params
            .get(name)?
            .iter()
            .filter(|(r, _)| r.contains(&at))
            .min_by_key(|(r, _)| r.len())
            .map(|(_, d)| *d)
    }

    pub(super) fn decl(&self, name: &str, at: usize) -> Option<Node<'t>> {
        let list = self.decls.get(name)?;
        list.iter()
            .rev()
            .find(|(s, _)| *s < at)
            .or_else(|| list.first())
            .map(|(_, v)| *v)
    }

    /// A value with its report span.
    pub(super) fn value(&self, node: Node<'t>) -> Value {
        Value::resolved(node.byte_range(), self.resolve(node, 0))
    }

    /// Resolves an expression; the span is set when the value comes from a literal elsewhere.
    pub(super) fn resolve(&self, node: Node<'t>, depth: u8) -> (ValueKind, Option<Range<usize>>) {
        let node = unwrap(node);
        let other = || (ValueKind::Other(squash(self.t(node))), None);
        if depth > MAX_DEPTH {
            return other();
        }
        if let Some((name, _, _)) = self.env_read(node) {
            return (
                ValueKind::Env {
                    name,
                    default: None,
                },
                None,
            );
        }
        match node.kind() {
            "string" => (
                ValueKind::Str(string_value(node, self.text)),
                Some(node.byte_range()),
            ),
            "template_string" => {
                let mut out = String::new();
                let mut c = node.walk();
                for ch in node.named_children(&mut c) {
                    match ch.kind() {
                        "string_fragment" => out.push_str(self.t(ch)),
                        "escape_sequence" => out.push_str(&unescape(self.t(ch))),
                        "template_substitution" => {
                            let Some(e) = ch.named_child(0) else {
                                return other();
                            };
                            match self.resolve(e, depth + 1).0 {
                                ValueKind::Str(s) => out.push_str(&s),
                                _ => return other(),
                            }
                        }
                        _ => {}
                    }
                }
                (ValueKind::Str(out), Some(node.byte_range()))
            }
            "binary_expression" => {
                let op = node
                    .child_by_field_name("operator")
                    .map(|o| o.kind())
                    .unwrap_or("");
                let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    return other();
                };
                match op {
                    "+" => match (self.resolve(l, depth + 1).0, self.resolve(r, depth + 1).0) {
                        (ValueKind::Str(a), ValueKind::Str(b)) => {
                            (ValueKind::Str(a + &b), Some(node.byte_range()))
                        }
                        _ => other(),
                    },
                    "??" | "||" => {
                        let left = self.resolve(l, depth + 1);
                        match left.0 {
                            ValueKind::Env {
                                name,
                                default: None,
                            } => {
                                let default = match self.resolve(r, depth + 1).0 {
                                    ValueKind::Str(s) => Some(s),
                                    _ => None,
                                };
                                (ValueKind::Env { name, default }, None)
                            }
                            ValueKind::Str(_) => left,
                            // `config.get("MODEL") ?? "deepseek-chat"`: the fallback is what
                            // is sent when the setting is unset (an empty fallback says
                            // nothing, so the expression stays opaque).
                            _ => match self.resolve(r, depth + 1) {
                                (ValueKind::Str(s), span) if !s.is_empty() => {
                                    (ValueKind::Str(s), span)
                                }
                                _ => other(),
                            },
                        }
                    }
                    _ => other(),
                }
            }
            "identifier" | "shorthand_property_identifier" => {
                let name = self.t(node);
                if let Some(b) = self.env_names.get(name) {
                    return (
                        ValueKind::Env {
                            name: b.name.clone(),
                            default: b.default.clone(),
                        },
                        None,
                    );
                }
                if self.reassigned.contains(name) {
                    return other();
                }
                match self.param(name, node.start_byte()) {
                    // The default is what is sent when the caller passes nothing.
                    Some(Some(d)) if !d.byte_range().contains(&node.start_byte()) => {
                        let (k, s) = self.resolve(d, depth + 1);
                        return match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s.or_else(|| Some(unwrap(d).byte_range()))),
                        };
                    }
                    Some(_) => return other(),
                    None => {}
                }
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
            "member_expression" => {
                let (Some(obj), Some(prop)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("property"),
                ) else {
                    return other();
                };
                let Some(o) = self.object(obj, depth + 1) else {
                    return other();
                };
                match self.find(o, &[self.t(prop)], depth + 1) {
                    Some(f) => {
                        let (k, s) = self.resolve(f.value, depth + 1);
                        match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s),
                        }
                    }
                    None => other(),
                }
            }
            "call_expression" => {
                // `String(x)` passes its argument through.
                let f = node.child_by_field_name("function");
                if f.is_some_and(|f| self.t(f) == "String") {
                    if let Some(a) = first_arg(node) {
                        return self.resolve(a, depth + 1);
                    }
                }
                other()
            }
            _ => other(),
        }
    }

    /// The object literal an expression stands for (through constants and member access).
    pub(super) fn object(&self, node: Node<'t>, depth: u8) -> Option<Node<'t>> {
        let mut node = unwrap(node);
        let mut depth = depth;
        loop {
            if depth > MAX_DEPTH {
                return None;
            }
            depth += 1;
            match node.kind() {
                "object" => return Some(node),
                "identifier" => {
                    let v = self.decl(self.t(node), node.start_byte())?;
                    if v.byte_range().contains(&node.start_byte()) {
                        return None;
                    }
                    node = unwrap(v);
                }
                "member_expression" => {
                    let obj = node.child_by_field_name("object")?;
                    let prop = node.child_by_field_name("property")?;
                    let o = self.object(obj, depth)?;
                    node = unwrap(self.find(o, &[self.t(prop)], depth)?.value);
                }
                _ => return None,
            }
        }
    }

    /// Finds option `path` (nested for several segments) in an object literal, following
    /// spreads of known objects. The last definition wins.
    pub(super) fn find(&self, obj: Node<'t>, path: &[&str], depth: u8) -> Option<Found<'t>> {
        let (first, rest) = path.split_first()?;
        if depth > MAX_DEPTH {
            return None;
        }
        let mut children: Vec<Node<'t>> = {
            let mut c = obj.walk();
            obj.named_children(&mut c).collect()
        };
        children.reverse();
        for ch in children {
            let hit = match ch.kind() {
                "pair" => {
                    let key = ch.child_by_field_name("key");
                    let value = ch.child_by_field_name("value");
                    match (key, value) {
                        (Some(k), Some(v)) if self.key_name(k).as_deref() == Some(*first) => {
                            Some(Found {
                                key: k.byte_range(),
                                whole: ch.byte_range(),
                                value: v,
                            })
                        }
                        _ => None,
                    }
                }
                "shorthand_property_identifier" => (self.t(ch) == *first).then(|| Found {
                    key: ch.byte_range(),
                    whole: ch.byte_range(),
                    value: ch,
                }),
                "spread_element" => {
                    // The spread object is searched for the whole path.
                    let o = ch.named_child(0).and_then(|i| self.object(i, depth + 1));
                    if let Some(f) = o.and_then(|o| self.find(o, path, depth + 1)) {
                        return Some(f);
                    }
                    None
                }
                _ => None,
            };
            if let Some(f) = hit {
                if rest.is_empty() {
                    return Some(f);
                }
                let o = self.object(f.value, depth + 1)?;
                return self.find(o, rest, depth + 1);
            }
        }
        None
    }

    /// The first spread of an object (or of an object it spreads) that this file cannot see
    /// into: `rest` in `{ model, ...rest }`.
    pub(super) fn opaque_spread(&self, obj: Node<'t>) -> Option<Node<'t>> {
        let mut stack = vec![(obj, 0u8)];
        while let Some((o, d)) = stack.pop() {
            if d > MAX_DEPTH {
                return Some(o);
            }
            let mut c = o.walk();
            for ch in o.named_children(&mut c) {
                if ch.kind() == "spread_element" {
                    match ch.named_child(0).and_then(|i| self.object(i, d + 1)) {
                        Some(inner) => stack.push((inner, d + 1)),
                        None => return Some(ch.named_child(0).unwrap_or(ch)),
                    }
                }
            }
        }
        None
    }

    /// A property key's name (`baseURL`, `"model"`); `None` for computed keys.
    pub(super) fn key_name(&self, key: Node<'t>) -> Option<String> {
        match key.kind() {
            "property_identifier" | "identifier" | "private_property_identifier" => {
                Some(self.t(key).to_string())
            }
            "string" => Some(string_value(key, self.text)),
            "number" => Some(self.t(key).to_string()),
            _ => None,
        }
    }
}
