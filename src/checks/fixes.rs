//! Building blocks for fixes: small, language-aware edits that checks attach to their hits.
//!
//! Every function returns byte offsets in the document (the engine maps them to the host
//! file) and returns `None` rather than guess when the code does not have the expected shape.

use std::ops::Range;

use tree_sitter::Node;

use super::Ctx;
use crate::diagnostic::{Edit, Fix};
use crate::source::FileKind;

/// The string literal node whose content is exactly `range`: a plain `"…"` / `'…'` literal
/// (or a JavaScript template literal without substitutions), with no prefix (`b"…"`,
/// `f"…"`, `r"…"`), no escapes and not part of an implicit concatenation.
pub fn whole_string_literal<'t>(ctx: &Ctx<'t>, range: &Range<usize>) -> Option<Node<'t>> {
    let tree = ctx.tree()?;
    let text = ctx.text();
    let inner = tree
        .root_node()
        .descendant_for_byte_range(range.start, range.end)?;
    let mut node = inner;
    for _ in 0..3 {
        if matches!(node.kind(), "string" | "template_string" | "string_literal") {
            break;
        }
        node = node.parent()?;
    }
    if !matches!(node.kind(), "string" | "template_string" | "string_literal") {
        return None;
    }
    if node
        .parent()
        .is_some_and(|p| p.kind() == "concatenated_string")
    {
        return None;
    }
    let lit = node.byte_range();
    if lit.start + 1 != range.start || lit.end != range.end + 1 {
        return None;
    }
    let open = text.as_bytes()[lit.start];
    let close = text.as_bytes()[lit.end - 1];
    let quotes: &[u8] = if ctx.doc.kind.is_js_family() {
        b"\"'`"
    } else if ctx.doc.kind == FileKind::Python {
        b"\"'"
    } else {
        b"\""
    };
    (open == close && quotes.contains(&open)).then_some(node)
}

/// The line ending the document uses (`\r\n` when it has any, else `\n`).
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// An edit adding `import {module}` to a Python module, or `None` when the module already
/// imports it at top level. The import goes after a module docstring, `from __future__`
/// imports and leading comments (shebang, encoding line, license header).
pub fn python_import(ctx: &Ctx<'_>, module: &str) -> Option<Option<Edit>> {
    let tree = ctx.tree()?;
    let text = ctx.text();
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut after: Option<usize> = None;
    let mut header = true;
    let mut first_statement = true;
    for child in root.children(&mut cursor) {
        if child.kind() == "import_statement" {
            let mut c2 = child.walk();
            let imported = child.children_by_field_name("name", &mut c2).any(|n| {
                n.kind() == "dotted_name"
                    && n.utf8_text(text.as_bytes()).is_ok_and(|t| {
                        t == module || t.strip_prefix(module).is_some_and(|r| r.starts_with('.'))
                    })
            });
            if imported {
                return Some(None);
            }
        }
        if !header {
            continue;
        }
        let is_docstring = first_statement
            && child.kind() == "expression_statement"
            && child.named_child_count() == 1
            && child.named_child(0).is_some_and(|n| n.kind() == "string");
        match child.kind() {
            "comment" => after = Some(child.end_byte()),
            "future_import_statement" => after = Some(child.end_byte()),
            _ if is_docstring => after = Some(child.end_byte()),
            _ => header = false,
        }
        if child.kind() != "comment" {
            first_statement = false;
        }
    }
    let nl = line_ending(text);
    let line = format!("import {module}{nl}");
    Some(Some(match after {
        None => Edit::insert(0, line),
        Some(end) => match text[end..].find('\n') {
            Some(i) => Edit::insert(end + i + 1, line),
            None => Edit::insert(text.len(), format!("{nl}{line}")),
        },
    }))
}

/// Method names whose single string argument may be replaced by an owned `String` read from
/// the environment (they take `impl Into<String>` or `impl Display`).
const RUST_KEY_METHODS: &[&str] = &["with_api_key", "bearer_auth", "api_key", "with_token"];

/// DS101's fix: replaces a hardcoded key, when it is a whole string literal in code, with a
/// read of the environment variable `env`. Python `os.environ["ENV"]` (adding `import os`
/// when missing), JavaScript/TypeScript `process.env.ENV` (`{process.env.ENV}` in a JSX
/// attribute), Rust `std::env::var("ENV").expect("ENV is set")` only as the single argument
/// of `.with_api_key(…)`, `.bearer_auth(…)`, `.api_key(…)` or `.with_token(…)` (where a
/// `String` is accepted). Unsafe: the program now needs the variable set.
pub fn key_from_env(ctx: &Ctx<'_>, range: &Range<usize>, env: &str) -> Option<Fix> {
    if !ctx.doc.kind.is_code() {
        return None;
    }
    let lit = whole_string_literal(ctx, range)?;
    let span = lit.byte_range();
    let mut edits = Vec::new();
    match ctx.doc.kind {
        FileKind::Python => {
            if let Some(import) = python_import(ctx, "os")? {
                edits.push(import);
            }
            edits.push(Edit::replace(span, format!("os.environ[\"{env}\"]")));
        }
        k if k.is_js_family() => {
            let read = format!("process.env.{env}");
            let in_jsx = lit.parent().is_some_and(|p| p.kind() == "jsx_attribute");
            edits.push(Edit::replace(
                span,
                if in_jsx { format!("{{{read}}}") } else { read },
            ));
        }
        FileKind::Rust => {
            let args = lit.parent().filter(|p| p.kind() == "arguments")?;
            if args.named_child_count() != 1 {
                return None;
            }
            let call = args.parent().filter(|c| c.kind() == "call_expression")?;
            let method = call
                .child_by_field_name("function")
                .filter(|f| f.kind() == "field_expression")?
                .child_by_field_name("field")?
                .utf8_text(ctx.text().as_bytes())
                .ok()?;
            if !RUST_KEY_METHODS.contains(&method) {
                return None;
            }
            edits.push(Edit::replace(
                span,
                format!("std::env::var(\"{env}\").expect(\"{env} is set\")"),
            ));
        }
        _ => return None,
    }
    Some(Fix::unsafe_(
        format!("Read the key from the {env} environment variable"),
        edits,
    ))
}
