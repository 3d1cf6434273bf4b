//! Fixes that keep keys out of code and repositories: DS101's read from the environment
//! (with the `import os` it may need), DS303's strip of what is read from a file, and
//! DS501's `.gitignore` entry.

use std::ops::Range;

use super::{line_ending, whole_string_literal};
use crate::checks::Ctx;
use crate::diagnostic::{Edit, Fix};
use crate::source::FileKind;

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

/// DS303's fix for a key read from a file without stripping the trailing newline: appends
/// `.strip()` to a Python `….read()`/`….read_text(…)`, `.trim()` to a JS/TS
/// `readFileSync(…, "utf8")`, `.trim().to_string()` to a Rust `read_to_string(…)?` (or
/// `.unwrap()`/`.expect(…)`). `None` for any other shape (e.g. a `Buffer` or a promise).
pub fn strip_read(ctx: &Ctx<'_>, span: Range<usize>) -> Option<Fix> {
    use std::sync::LazyLock;
    static PY: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\.(?:read|read_text)\([^()]*\)$").expect("valid regex")
    });
    static JS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"(?i)readFileSync\([^()]*,\s*["'`]utf-?8["'`]\s*\)$"#)
            .expect("valid regex")
    });
    static RS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"read_to_string\([^;]*\)(?:\?|\.unwrap\(\)|\.expect\([^()]*\))$")
            .expect("valid regex")
    });
    let expr = ctx.text().get(span.clone())?.trim_end();
    let add = match ctx.doc.kind {
        FileKind::Python if PY.is_match(expr) => ".strip()",
        k if k.is_js_family() && JS.is_match(expr) => ".trim()",
        FileKind::Rust if RS.is_match(expr) => ".trim().to_string()",
        _ => return None,
    };
    Some(Fix::safe(
        format!("Strip what is read (`{add}`)"),
        vec![Edit::insert(span.start + expr.len(), add)],
    ))
}

/// DS501's fix: appends `/<rel>` (the file's path relative to `root`, special characters
/// escaped) to `root/.gitignore`, creating it when missing. The edit targets the
/// `.gitignore` (see [`Edit::path`]); `None` when the `.gitignore` cannot be read.
pub fn ignore_in_gitignore(root: &std::path::Path, rel: &str) -> Option<Fix> {
    let file = root.join(".gitignore");
    let existing = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(_) => return None,
    };
    let text = String::from_utf8_lossy(&existing);
    let nl = line_ending(&text);
    let mut pattern = String::from("/");
    for c in rel.chars() {
        if matches!(c, '*' | '?' | '[' | '\\' | '!' | '#') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    if pattern.ends_with(' ') {
        pattern.insert(pattern.len() - 1, '\\');
    }
    // The missing final newline is its own edit, so that several fixes share it.
    let mut edits = Vec::new();
    if !existing.is_empty() && !existing.ends_with(b"\n") {
        edits.push(Edit::insert(existing.len(), nl));
    }
    let cwd = std::env::current_dir().and_then(|c| c.canonicalize()).ok();
    let display = match cwd.as_deref().and_then(|c| file.strip_prefix(c).ok()) {
        Some(rel) => rel.to_string_lossy().replace('\\', "/"),
        None => crate::source::display_path(&file),
    };
    edits.push(Edit::insert(existing.len(), format!("{pattern}{nl}")));
    Some(Fix::safe(
        format!("Add `{pattern}` to {display}"),
        edits
            .into_iter()
            .map(|e| e.in_file(display.clone()))
            .collect(),
    ))
}
