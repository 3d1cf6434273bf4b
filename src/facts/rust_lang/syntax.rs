//! Rust syntax helpers with no extractor state: wrappers that pass a value through (`?`,
//! `.await`, `&`, parentheses), call arguments, string literal contents, squashed
//! expression text and path pieces.
use std::ops::Range;

use tree_sitter::Node;

use crate::facts::names::squash_prefix;

/// Skips `?`, `.await` and parentheses.
pub(super) fn unwrap(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        match n.kind() {
            "try_expression" | "await_expression" | "parenthesized_expression" => {
                match n.named_child(0) {
                    Some(c) => n = c,
                    None => return n,
                }
            }
            _ => return n,
        }
    }
    n
}

/// Skips `&`, `&mut`, `.clone()`-free wrappers and parentheses.
pub(super) fn unwrap_ref(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        n = unwrap(n);
        if n.kind() == "reference_expression" {
            match n.child_by_field_name("value") {
                Some(v) => n = v,
                None => return n,
            }
        } else {
            return n;
        }
    }
    n
}

pub(super) fn args_of(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut c = args.walk();
    let v: Vec<Node<'_>> = args
        .named_children(&mut c)
        .filter(|x| {
            !matches!(
                x.kind(),
                "line_comment" | "block_comment" | "attribute_item"
            )
        })
        .collect();
    v
}

pub(super) fn first_arg(call: Node<'_>) -> Option<Node<'_>> {
    args_of(call).into_iter().next()
}

/// The content of a string literal, escapes decoded.
pub(super) fn string_value(n: Node<'_>, text: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        let t = text.get(ch.byte_range()).unwrap_or("");
        match ch.kind() {
            "string_content" => out.push_str(t),
            "escape_sequence" => out.push_str(match t {
                "\\n" => "\n",
                "\\t" => "\t",
                "\\r" => "\r",
                "\\\\" => "\\",
                "\\\"" => "\"",
                "\\'" => "'",
                "\\0" => "\0",
                _ => "",
            }),
            _ => {}
        }
    }
    out
}

/// Source text with whitespace removed; only a prefix is kept ([`squash_prefix`]).
pub(super) fn squash(s: &str) -> String {
    squash_prefix(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `a::b::C::new` → `C::new`.
pub(super) fn last_two(path: &str) -> String {
    let parts: Vec<&str> = path.rsplitn(3, "::").collect();
    match parts.as_slice() {
        [last, prev, ..] => format!("{prev}::{last}"),
        _ => path.to_string(),
    }
}

/// The callee of call `n` (`Client::new`), or the whole call when it has none.
pub(super) fn callee_span(n: Node<'_>) -> Range<usize> {
    n.child_by_field_name("function")
        .map(|f| f.byte_range())
        .unwrap_or_else(|| n.byte_range())
}
