//! Env var reads (and writes) in code, for cross-file rules such as DS603: line-oriented regexes per language
//! (Python `os.environ`/`os.getenv` and pydantic settings, JS/TS `process.env`, Rust
//! `std::env::var`), skipping commented-out lines.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::source::{floor_char_boundary, FileKind};

/// How far around a match the comment and assignment tests look (bytes).
const LOOK_AROUND: usize = 256;

/// An env var read in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The variable name as written.
    pub name: String,
    /// Byte range of the name in the file.
    pub range: Range<usize>,
    /// True when the reader matches names case-insensitively (pydantic settings).
    pub case_insensitive: bool,
    /// True for a write (`os.environ["X"] = …`, `process.env.X = …`, `setenv("X", …)`): the
    /// code defines the name rather than reading it.
    pub is_write: bool,
}

static PY_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?:(?-u:\b)environ\s*\[\s*
          |(?-u:\b)(?:environ\.get|environ\.pop|getenv|config|env(?:\.(?:str|bool|int|url))?)\s*\(\s*
          |(?-u:\b)env\s*=\s*)
        (?:[rbuRBU]?)\\?["'](?P<n>[A-Za-z_][A-Za-z0-9_]*)\\?["']
        |(?-u:\b)(?:validation_alias|alias)\s*=\s*(?:AliasChoices\s*\(\s*)?\\?["'](?P<a>[A-Za-z_][A-Za-z0-9_]*)\\?["']
        "#,
    )
    .expect("valid regex")
});

static JS_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?-u:\b)(?:process\.env|import\.meta\.env|Bun\.env)
        (?:\?\.|\.)(?P<n>[A-Za-z_$][A-Za-z0-9_$]*)
        |(?-u:\b)(?:process\.env|import\.meta\.env|Bun\.env)\s*(?:\?\.)?\[\s*["'`](?P<b>[A-Za-z_][A-Za-z0-9_]*)["'`]\s*\]
        |(?-u:\b)Deno\.env\.get\(\s*["'`](?P<d>[A-Za-z_][A-Za-z0-9_]*)["'`]
        "#,
    )
    .expect("valid regex")
});

static JS_DESTRUCTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{(?P<body>[^{}]+)\}\s*=\s*(?:process\.env|import\.meta\.env|Bun\.env)(?-u:\b)"#)
        .expect("valid regex")
});

static RS_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?-u:\b)(?:env|dotenvy|dotenv)::var(?:_os)?\s*\(\s*"(?P<n>[A-Za-z_][A-Za-z0-9_]*)"
        |(?-u:\b)(?:option_)?env!\s*\(\s*"(?P<m>[A-Za-z_][A-Za-z0-9_]*)"
        "#,
    )
    .expect("valid regex")
});

pub(super) static IDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z_$][A-Za-z0-9_$]*").expect("valid regex"));

static PY_SETTINGS_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^(?P<indent>[ \t]*)class\s+\w+\s*\([^)]*(?-u:\b)BaseSettings(?-u:\b)[^)]*\)\s*:",
    )
    .expect("valid regex")
});

static PY_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<indent>[ \t]+)(?P<n>[A-Za-z_][A-Za-z0-9_]*)\s*:").expect("valid regex")
});

static PY_ENV_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)env_prefix\s*=\s*["'](?P<p>[A-Za-z0-9_]*)["']"#).expect("valid regex")
});

/// Env var reads in a code file's text.
pub fn collect_reads(kind: FileKind, text: &str) -> Vec<Read> {
    let mut out = Vec::new();
    let mut push = |name: &str, range: Range<usize>, ci: bool| {
        if !in_comment(text, range.start) {
            out.push(Read {
                name: name.to_string(),
                is_write: is_assignment_after(text, range.end),
                range,
                case_insensitive: ci,
            });
        }
    };
    match kind {
        FileKind::Python | FileKind::Notebook => {
            // A notebook is matched in its raw JSON (quotes escaped as `\"`), so positions
            // are already those of the .ipynb file.
            for c in PY_READS.captures_iter(text) {
                if let Some(m) = c.name("n").or_else(|| c.name("a")) {
                    push(m.as_str(), m.range(), false);
                }
            }
            if kind == FileKind::Python {
                for (name, range) in pydantic_fields(text) {
                    push(&name, range, true);
                }
            }
        }
        k if k.is_js_family() => {
            for c in JS_READS.captures_iter(text) {
                if let Some(m) = c.name("n").or_else(|| c.name("b")).or_else(|| c.name("d")) {
                    push(m.as_str(), m.range(), false);
                }
            }
            for c in JS_DESTRUCTURE.captures_iter(text) {
                let Some(body) = c.name("body") else { continue };
                // `{ A, B: alias, C = "x" }`: the key before any `:` or `=` is the name.
                let mut at = body.start();
                for part in body.as_str().split(',') {
                    let key = part.split([':', '=']).next().unwrap_or("");
                    if let Some(m) = IDENT.find(key) {
                        push(m.as_str(), at + m.start()..at + m.end(), false);
                    }
                    at += part.len() + 1;
                }
            }
        }
        FileKind::Rust => {
            for c in RS_READS.captures_iter(text) {
                if let Some(m) = c.name("n").or_else(|| c.name("m")) {
                    push(m.as_str(), m.range(), false);
                }
            }
        }
        _ => {}
    }
    if is_code_like(kind) {
        for c in CODE_WRITES.captures_iter(text) {
            if let Some(m) = c.name("n") {
                if !in_comment(text, m.start()) {
                    out.push(Read {
                        name: m.as_str().to_string(),
                        range: m.range(),
                        case_insensitive: false,
                        is_write: true,
                    });
                }
            }
        }
    }
    out
}

static CODE_WRITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u:\b)(?:setenv|putenv|set_var|environ\.setdefault|stubEnv)\s*\(\s*\\?["'`](?P<n>[A-Za-z_][A-Za-z0-9_]*)\\?["'`]"#,
    )
    .expect("valid regex")
});

/// Code kinds whose env reads are collected (notebooks as Python).
pub fn is_code_like(kind: FileKind) -> bool {
    kind.is_code() || kind == FileKind::Notebook
}

/// True when the text after a read's name assigns to it (`"] = …`, ` = …`, not `==`).
fn is_assignment_after(text: &str, end: usize) -> bool {
    let stop = floor_char_boundary(text, (end + LOOK_AROUND).min(text.len()));
    let rest = text[end..stop].trim_start_matches(['"', '\'', '`', ']', ' ', '\t', '\\']);
    rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
}

/// Fields of pydantic `BaseSettings` classes, as the env names they read (prefix applied).
fn pydantic_fields(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    if !text.contains("BaseSettings") {
        return out;
    }
    let prefix = PY_ENV_PREFIX
        .captures(text)
        .and_then(|c| c.name("p"))
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    for class in PY_SETTINGS_CLASS.captures_iter(text) {
        let Some(whole) = class.get(0) else { continue };
        let class_indent = class.name("indent").map_or(0, |m| m.len());
        let mut body_indent: Option<usize> = None;
        let mut offset = whole.end();
        // Skip the rest of the class line.
        if let Some(nl) = text[offset..].find('\n') {
            offset += nl + 1;
        } else {
            continue;
        }
        for line in text[offset..].split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            if indent <= class_indent {
                break;
            }
            let bi = *body_indent.get_or_insert(indent);
            if indent != bi {
                continue;
            }
            if let Some(c) = PY_FIELD.captures(line) {
                if let Some(n) = c.name("n") {
                    if n.as_str() == "model_config" {
                        continue;
                    }
                    let name = format!("{prefix}{}", n.as_str()).to_ascii_uppercase();
                    out.push((name, start + n.start()..start + n.end()));
                }
            }
        }
    }
    out
}

/// True when `offset` sits after a `#` or `//` comment marker on its line (rough, but the
/// read patterns rarely occur inside strings).
fn in_comment(text: &str, offset: usize) -> bool {
    // Look back a bounded distance: a minified line holding many reads stays linear.
    let window = floor_char_boundary(text, offset.saturating_sub(LOOK_AROUND));
    let line_start = match text[window..offset].rfind('\n') {
        Some(i) => window + i + 1,
        None if window == 0 => 0,
        None => return false,
    };
    let before = text[line_start..offset].trim_start();
    before.starts_with('#') || before.starts_with("//") || before.starts_with('*')
}
