//! JavaScript/TypeScript syntax helpers with no extractor state: wrappers that pass a value
//! through, call arguments, string and template literal contents, and the squashed text of
//! an expression.
use tree_sitter::Node;

use crate::facts::names::squash_prefix;

/// Keys of a settings object that hold an API base URL.
pub(super) const BASE_URL_KEYS: &[&str] = &[
    "baseURL", "baseUrl", "base_url", "apiBase", "api_base", "basePath",
];

/// Skips expression wrappers that do not change the value.
pub(super) fn unwrap(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        match n.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression" => match n.named_child(0) {
                Some(c) if c.kind() != "comment" => n = c,
                _ => return n,
            },
            "type_assertion" => match n.named_child(n.named_child_count().saturating_sub(1)) {
                Some(c) => n = c,
                None => return n,
            },
            _ => return n,
        }
    }
    n
}

/// The first non-comment argument of a call or `new`.
pub(super) fn first_arg(call: Node<'_>) -> Option<Node<'_>> {
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let first = args.named_children(&mut c).find(|x| x.kind() != "comment");
    first
}

/// True for a template literal with a `${…}` substitution: not a plain string.
pub(super) fn has_substitution(n: Node<'_>) -> bool {
    let mut c = n.walk();
    n.kind() == "template_string"
        && n.named_children(&mut c)
            .any(|x| x.kind() == "template_substitution")
}

/// The content of a string or template literal (escapes decoded, substitutions as written).
pub(super) fn string_value(n: Node<'_>, text: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        let t = text.get(ch.byte_range()).unwrap_or("");
        match ch.kind() {
            "string_fragment" | "html_character_reference" => out.push_str(t),
            "escape_sequence" => out.push_str(&unescape(t)),
            "template_substitution" => out.push_str(t),
            _ => {}
        }
    }
    out
}

/// Decodes one JS escape sequence.
pub(super) fn unescape(esc: &str) -> String {
    let body = &esc[esc.len().min(1)..];
    match body {
        "n" => "\n".into(),
        "t" => "\t".into(),
        "r" => "\r".into(),
        "0" => "\0".into(),
        _ if body.starts_with('u') || body.starts_with('x') => {
            let hex = body[1..].trim_matches(|c| c == '{' || c == '}');
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        }
        _ if body.starts_with(['\n', '\r']) => String::new(),
        _ => body.to_string(),
    }
}

/// Source text with whitespace removed and optional chaining / non-null assertions
/// normalized: `client?.chat` → `client.chat`, `a?.()` → `a()`, `this.client!.x` →
/// `this.client.x`.
///
/// Only a prefix is kept ([`squash_prefix`]).
pub(super) fn squash(s: &str) -> String {
    let s = squash_prefix(s);
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '?' && next == Some('.') {
            // `?.` → `.`, and `?.(` / `?.[` → `(` / `[`.
            if matches!(chars.get(i + 2), Some('(') | Some('[')) {
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if c == '!' && matches!(next, None | Some('.' | ')' | ']' | ',' | ';' | '[')) {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}
