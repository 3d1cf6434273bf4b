//! Where a name is an auth site and what value it is given: the position tests (a comment
//! line, a key position in a config, an escaped quote, an SDK's argument list) and the reading
//! of the value after an `Authorization`/`api_key` name with [`super::value`].

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::value::{code_value, skip_ws, text_value, Syntax, Template};
use crate::source::{Document, FileKind};

pub(super) fn syntax_of(kind: FileKind) -> Syntax {
    match kind {
        FileKind::Python => Syntax::Python,
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => Syntax::Js,
        FileKind::Rust => Syntax::Rust,
        FileKind::Shell | FileKind::Dockerfile => Syntax::Shell,
        _ => Syntax::Config,
    }
}

/// The quote opening a site's name: `Some(Some(q))` for a real quote, `Some(None)` for an
/// escaped one (`\"Authorization…` inside another string: not a site), `None` for none. A
/// backtick quotes only in JS/TS.
pub(super) fn site_quote(doc: &Document, q: Option<Range<usize>>) -> Option<Option<Range<usize>>> {
    let q = q.filter(|q| !q.is_empty())?;
    let bytes = doc.text.as_bytes();
    if q.start > 0 && bytes[q.start - 1] == b'\\' {
        return Some(None);
    }
    if bytes[q.start] == b'`' && !doc.kind.is_js_family() {
        return None;
    }
    Some(Some(q))
}

/// In a text format, an unquoted name counts only where a key sits: at the start of a line
/// (after indentation, `- `, `export `, `ENV `, `ARG `), or after `{`/`,` in a flow map.
pub(super) fn at_key_position(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_start();
    let before = before.strip_prefix("- ").unwrap_or(before).trim_start();
    if before.is_empty() || ["export", "ENV", "ARG", "env"].contains(&before.trim_end()) {
        return true;
    }
    matches!(before.trim_end().chars().next_back(), Some('{' | ','))
}

/// True when the line holding `at` is a `key: value` / `key = value` line (not prose).
pub(super) fn at_key_line(text: &str, at: usize) -> bool {
    static KEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^\s*(?:-\s+)?(?:export\s+|ENV\s+|ARG\s+)?["']?[\w.-]+["']?\s*[:=]"#)
            .expect("valid regex")
    });
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let Some(key) = KEY_LINE.find(&text[line_start..at]) else {
        return false;
    };
    // The value starts here (at most a scheme word such as `Bearer` before it), not in prose.
    let between = text[line_start + key.end()..at]
        .trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    between.split_whitespace().count() <= 1 && between.len() <= 16
}

/// True when the site sits on a comment line (`#`, `//`, `/*`, ` * `) of a code or config file.
pub(super) fn in_comment(doc: &Document, at: usize) -> bool {
    let text = doc.text.as_str();
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at.min(text.len())].trim_start();
    match doc.kind {
        FileKind::Python
        | FileKind::Shell
        | FileKind::Yaml
        | FileKind::Toml
        | FileKind::Env
        | FileKind::Dockerfile
        | FileKind::Ini => before.starts_with('#') || before.starts_with(';'),
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx | FileKind::Rust => {
            before.starts_with("//") || before.starts_with("/*") || before.starts_with('*')
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Finding the value at a site.

/// Reads the value after a name at `name`: `"Name": v`, `"Name", v`, `["Name"] = v`,
/// `Name: v`, `Name = v`, or a whole header line `"Name: v"` (when quoted by `q`).
pub(super) fn value_after_name(
    doc: &Document,
    q: Option<Range<usize>>,
    name: Range<usize>,
    allow_comma: bool,
) -> Option<Template> {
    let text = doc.text.as_str();
    let bytes = text.as_bytes();
    let syntax = syntax_of(doc.kind);
    // `X-Authorization`, `my_api_key_name`: not the name itself.
    if name.start > 0 {
        let b = bytes[name.start - 1];
        if b == b'-' && q.is_none() || b.is_ascii_alphanumeric() {
            return None;
        }
    }
    if matches!(bytes.get(name.end), Some(b) if b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
    {
        return None;
    }
    let mut i = name.end;
    let quote = q.as_ref().map(|q| bytes[q.start]);
    if let Some(qc) = quote {
        if bytes.get(i) == Some(&qc) {
            i += 1;
        } else {
            // A whole header line: "Authorization: Bearer …".
            let k = skip_ws(text, i, false);
            if bytes.get(k) != Some(&b':') {
                return None;
            }
            let q_start = q.as_ref().map_or(0, |q| q.start);
            let v = if syntax == Syntax::Python || syntax == Syntax::Js || syntax == Syntax::Rust {
                code_value(text, q_start, syntax)?
            } else {
                text_value(text, q_start, syntax, false)?
            };
            return v.strip_header_name();
        }
    }
    let mut k = skip_ws(text, i, false);
    if bytes.get(k) == Some(&b']') {
        k = skip_ws(text, k + 1, false);
        if bytes.get(k) != Some(&b'=') || bytes.get(k + 1) == Some(&b'=') {
            return None;
        }
    }
    let sep = *bytes.get(k)?;
    let ok = match sep {
        b':' => bytes.get(k + 1) != Some(&b':'),
        b'=' => bytes.get(k + 1) != Some(&b'=') && bytes.get(k + 1) != Some(&b'>'),
        b',' => allow_comma,
        b'(' => true,
        _ => false,
    };
    if !ok {
        return None;
    }
    // Python annotations (`api_key: str = …`) and JS types (`apiKey: string`).
    if sep == b':' && syntax != Syntax::Config && syntax != Syntax::Shell {
        let after = skip_ws(text, k + 1, false);
        let word: String = text[after..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if matches!(
            word.as_str(),
            "str" | "string" | "Optional" | "String" | "SecretStr" | "Union" | "None"
        ) && quote.is_none()
        {
            return None;
        }
    }
    let at = k + 1;
    match syntax {
        Syntax::Python | Syntax::Js | Syntax::Rust => code_value(text, at, syntax),
        Syntax::Shell => {
            // `export KEY=value` is one word; `Authorization: v` in a heredoc runs to EOL.
            text_value(text, at, syntax, sep == b'=')
        }
        Syntax::Config => text_value(text, at, syntax, false),
    }
}

pub(super) fn header_value(
    doc: &Document,
    q: Option<Range<usize>>,
    name: Range<usize>,
) -> Option<Template> {
    let v = value_after_name(doc, q.clone(), name.clone(), true)?;
    // Rust's `AUTHORIZATION` constant and JS object keys are unquoted; Python names are not
    // header keys.
    if q.is_none() && doc.kind == FileKind::Python {
        return None;
    }
    Some(v)
}

pub(super) fn key_value(
    doc: &Document,
    q: Option<Range<usize>>,
    name: Range<usize>,
) -> Option<Template> {
    if doc.kind.is_code() && q.is_none() && is_plain_assignment(doc.text.as_str(), name.clone()) {
        return None;
    }
    value_after_name(doc, q, name, false)
}

/// Callees (last path segment) whose `api_key`/`apiKey` argument is an LLM SDK's key, besides
/// the SDK table's constructors.
const SDK_KEY_CALLEES: &[&str] = &[
    "with_options",
    "copy",
    "completion",
    "acompletion",
    "embedding",
    "init_chat_model",
    "AzureOpenAI",
    "AsyncAzureOpenAI",
    "ChatLiteLLM",
    "with_api_key",
];

/// True when an `api_key`/`apiKey` name at `at` is not an argument of some unrelated call:
/// either it sits outside any call (an assignment, a config object), or the enclosing call is
/// an LLM SDK's (`OpenAI(api_key=…)`, `new OpenAI({ apiKey })`, `client.with_options(…)`).
/// `user_api_key_auth(api_key=f"Bearer {k}")` is a server's own function, not an SDK.
pub(super) fn sdk_or_plain_site(text: &str, at: usize) -> bool {
    let Some(callee) = enclosing_callee(text, at) else {
        return true;
    };
    let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    SDK_KEY_CALLEES.contains(&last)
        || crate::facts::sdks::TABLE.clients.iter().any(|e| {
            e.constructors
                .iter()
                .any(|c| c.rsplit(['.', ':']).next() == Some(last))
        })
}

/// The name of the call whose argument list encloses `at` (through one object literal, for
/// `new OpenAI({ apiKey })`), looked for at most 4 KiB back.
pub(super) fn enclosing_callee(text: &str, at: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let floor = at.saturating_sub(4096);
    let mut depth = 0usize;
    let mut i = at;
    let mut braces = 0;
    while i > floor {
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'[' if depth == 0 => return None,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'{' => {
                braces += 1;
                if braces > 1 {
                    return None;
                }
            }
            b'(' => {
                let end = i;
                let mut start = end;
                while start > 0
                    && (bytes[start - 1].is_ascii_alphanumeric()
                        || matches!(bytes[start - 1], b'_' | b'.' | b':' | b'$'))
                {
                    start -= 1;
                }
                return (start < end).then(|| &text[start..end]);
            }
            b';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// `api_key = …`, `self.api_key = …`, `const apiKey = …` as a statement: a variable that may
/// well hold a whole header value (`"Bearer " + key`), unlike an SDK option (`api_key=…` in a
/// call, `apiKey: …` in an options object) or the SDK's module global (`openai.api_key = …`).
pub(super) fn is_plain_assignment(text: &str, name: Range<usize>) -> bool {
    let line_start = text[..name.start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..name.start].trim_start();
    let decl = [
        "",
        "self.",
        "this.",
        "let ",
        "let mut ",
        "const ",
        "var ",
        "export const ",
    ]
    .contains(&before);
    if !decl {
        return false;
    }
    // Inside a call or an object literal spread over lines: `OpenAI(\n    api_key=…,`.
    let prev = text[..line_start + (name.start - line_start - before.len())]
        .trim_end()
        .chars()
        .next_back();
    if before.is_empty() && matches!(prev, Some('(' | ',' | '{')) {
        return false;
    }
    let k = skip_ws(text, name.end, false);
    let b = text.as_bytes();
    let line_end = text[k..].find('\n').map_or(text.len(), |i| k + i);
    let op_at = if b.get(k) == Some(&b':') {
        // a type annotation: `api_key: str = …`
        text[k..line_end].find('=').map_or(usize::MAX, |i| k + i)
    } else {
        k
    };
    b.get(op_at) == Some(&b'=') && b.get(op_at + 1) != Some(&b'=')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_positions_and_assignments() {
        assert!(at_key_position("a:\n  Authorization: x", 5));
        assert!(!at_key_position("Send `Authorization: x`", 6));
        assert!(at_key_line("api_key: sk-${K}", 9));
        assert!(!at_key_line("a: \"pasted as sk-${K} too\"", 14));
        let t = "api_key = \"Bearer \" + k\nOpenAI(\n    api_key=\"Bearer x\")";
        assert!(is_plain_assignment(t, 0..7));
        let kw = t.rfind("api_key").unwrap_or(0);
        assert!(!is_plain_assignment(t, kw..kw + 7));
    }
}
