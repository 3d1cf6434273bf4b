//! DS301, DS302, DS303: what is wrong with an `Authorization` header or an API-key value.
//!
//! The rule files' regexes find the sites (named captures say which kind of site): `auth` (an
//! `Authorization` header name), `apikey` (an `api_key`/`apiKey`/`*_API_KEY` option or
//! variable), `bearerauth` (reqwest `.bearer_auth(`), `dup` (a literal `Bearer Bearer` or
//! `sk-sk-`), `skvar` (`"sk-" + key`), `readvar` (a key read from a file). This module reads
//! the value at the site ([`crate::facts::auth::value`]), judges it once, and each rule's check keeps
//! the problems of its own code.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Ctx, Matched};
use crate::catalogue::UrlTarget;
use crate::diagnostic::{Edit, Fix, Hit};
use crate::facts::auth::value::{code_value, skip_ws, text_value, Part, Syntax, Template, HOLE};
use crate::source::FileKind;

/// Which rule a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Code {
    Ds301,
    Ds302,
    Ds303,
}

/// A problem at a site.
#[derive(Clone, Debug)]
struct Problem {
    fix: Option<Fix>,
    code: Code,
    range: Range<usize>,
    message: String,
    help: String,
}

/// DS301 check: duplicated `Bearer`/`sk-` prefixes.
pub fn check_duplicated(ctx: &Ctx<'_>, m: &Matched<'_>, out: &mut Vec<Hit>) {
    emit(ctx, m, Code::Ds301, out);
}

/// DS302 check: an `Authorization` header to DeepSeek without the `Bearer` scheme.
pub fn check_scheme(ctx: &Ctx<'_>, m: &Matched<'_>, out: &mut Vec<Hit>) {
    emit(ctx, m, Code::Ds302, out);
}

/// DS303 check: malformed header values and keys with whitespace.
pub fn check_malformed(ctx: &Ctx<'_>, m: &Matched<'_>, out: &mut Vec<Hit>) {
    emit(ctx, m, Code::Ds303, out);
}

fn emit(ctx: &Ctx<'_>, m: &Matched<'_>, code: Code, out: &mut Vec<Hit>) {
    for p in problems(ctx, m, code)
        .into_iter()
        .filter(|p| p.code == code)
    {
        let fp = ctx.text().get(p.range.clone()).unwrap_or("").to_string();
        out.push(Hit {
            range: p.range,
            message: Some(p.message),
            help: Some(p.help),
            fingerprint: Some(fp),
            fix: p.fix,
            ..Hit::default()
        });
    }
}

fn syntax_of(kind: FileKind) -> Syntax {
    match kind {
        FileKind::Python => Syntax::Python,
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => Syntax::Js,
        FileKind::Rust => Syntax::Rust,
        FileKind::Shell | FileKind::Dockerfile => Syntax::Shell,
        _ => Syntax::Config,
    }
}

fn problems(ctx: &Ctx<'_>, m: &Matched<'_>, want: Code) -> Vec<Problem> {
    let text = ctx.text();
    if in_comment(ctx, m.range.start) {
        return Vec::new();
    }
    if let Some(r) = m.capture("dup").or_else(|| m.capture("dup2")) {
        return duplicated_literal(text, r);
    }
    if let Some(r) = m.capture("skvar") {
        if !ctx.doc.kind.is_code() && !shell_like(ctx.doc.kind) && !at_key_line(text, r.start) {
            return Vec::new();
        }
        return sk_plus_key(text, r);
    }
    if m.capture("echokey").is_some() {
        return echo_base64(text, m);
    }
    if let Some(r) = m.capture("readvar") {
        return unstripped_read(ctx, m, r);
    }
    let q = site_quote(ctx, m.capture("q"));
    if q == Some(None) {
        return Vec::new();
    }
    let q = q.flatten();
    if let Some(r) = m.capture("auth").or_else(|| m.capture("apikey")) {
        if q.is_none() && !ctx.doc.kind.is_code() && !at_key_position(text, r.start) {
            return Vec::new();
        }
    }
    if let Some(r) = m.capture("auth") {
        return match header_value(ctx, q, r.clone()) {
            Some(v) => judge_header(ctx, &v, want),
            None => Vec::new(),
        };
    }
    if let Some(r) = m.capture("apikey") {
        if ctx.doc.kind.is_code() && !sdk_or_plain_site(text, r.start) {
            return Vec::new();
        }
        return match key_value(ctx, q, r.clone()) {
            Some(v) => judge_key(ctx, &text[r], &v),
            None => Vec::new(),
        };
    }
    if let Some(r) = m.capture("bearerlit") {
        let syntax = syntax_of(ctx.doc.kind);
        let v = match syntax {
            Syntax::Python | Syntax::Js | Syntax::Rust => code_value(text, r.start, syntax),
            _ => text_value(text, r.start, syntax, false),
        };
        return match v {
            Some(v) => judge_header(ctx, &v, want),
            None => Vec::new(),
        };
    }
    if let Some(r) = m.capture("bearerauth") {
        let open = skip_ws(text, r.end, false);
        if text.as_bytes().get(open) != Some(&b'(') {
            return Vec::new();
        }
        let mut at = skip_ws(text, open + 1, true);
        while text.as_bytes().get(at) == Some(&b'&') {
            at += 1;
        }
        return match code_value(text, at, Syntax::Rust) {
            Some(v) => judge_key(ctx, "bearer_auth", &v),
            None => Vec::new(),
        };
    }
    Vec::new()
}

/// The quote opening a site's name: `Some(Some(q))` for a real quote, `Some(None)` for an
/// escaped one (`\"Authorization…` inside another string: not a site), `None` for none. A
/// backtick quotes only in JS/TS.
fn site_quote(ctx: &Ctx<'_>, q: Option<Range<usize>>) -> Option<Option<Range<usize>>> {
    let q = q.filter(|q| !q.is_empty())?;
    let bytes = ctx.text().as_bytes();
    if q.start > 0 && bytes[q.start - 1] == b'\\' {
        return Some(None);
    }
    if bytes[q.start] == b'`' && !ctx.doc.kind.is_js_family() {
        return None;
    }
    Some(Some(q))
}

/// In a text format, an unquoted name counts only where a key sits: at the start of a line
/// (after indentation, `- `, `export `, `ENV `, `ARG `), or after `{`/`,` in a flow map.
fn at_key_position(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_start();
    let before = before.strip_prefix("- ").unwrap_or(before).trim_start();
    if before.is_empty() || ["export", "ENV", "ARG", "env"].contains(&before.trim_end()) {
        return true;
    }
    matches!(before.trim_end().chars().next_back(), Some('{' | ','))
}

/// True when the line holding `at` is a `key: value` / `key = value` line (not prose).
fn at_key_line(text: &str, at: usize) -> bool {
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
fn in_comment(ctx: &Ctx<'_>, at: usize) -> bool {
    let text = ctx.text();
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at.min(text.len())].trim_start();
    match ctx.doc.kind {
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
fn value_after_name(
    ctx: &Ctx<'_>,
    q: Option<Range<usize>>,
    name: Range<usize>,
    allow_comma: bool,
) -> Option<Template> {
    let text = ctx.text();
    let bytes = text.as_bytes();
    let syntax = syntax_of(ctx.doc.kind);
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

fn header_value(ctx: &Ctx<'_>, q: Option<Range<usize>>, name: Range<usize>) -> Option<Template> {
    let v = value_after_name(ctx, q.clone(), name.clone(), true)?;
    // Rust's `AUTHORIZATION` constant and JS object keys are unquoted; Python names are not
    // header keys.
    if q.is_none() && ctx.doc.kind == FileKind::Python {
        return None;
    }
    Some(v)
}

fn key_value(ctx: &Ctx<'_>, q: Option<Range<usize>>, name: Range<usize>) -> Option<Template> {
    if ctx.doc.kind.is_code() && q.is_none() && is_plain_assignment(ctx.text(), name.clone()) {
        return None;
    }
    value_after_name(ctx, q, name, false)
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
fn sdk_or_plain_site(text: &str, at: usize) -> bool {
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
fn enclosing_callee(text: &str, at: usize) -> Option<&str> {
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
fn is_plain_assignment(text: &str, name: Range<usize>) -> bool {
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

// ---------------------------------------------------------------------------------------
// Judging.

fn shell_like(kind: FileKind) -> bool {
    matches!(kind, FileKind::Shell | FileKind::Dockerfile)
}

/// A fix-it example for a header in the document's language.
fn header_example(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Python => r#"`{"Authorization": f"Bearer {os.environ['DEEPSEEK_API_KEY']}"}`"#,
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => {
            "`{ Authorization: `Bearer ${process.env.DEEPSEEK_API_KEY}` }`"
        }
        FileKind::Rust => "`.bearer_auth(&api_key)` or `format!(\"Bearer {api_key}\")`",
        k if shell_like(k) => "`-H \"Authorization: Bearer $DEEPSEEK_API_KEY\"`",
        _ => "`Authorization: Bearer ${DEEPSEEK_API_KEY}`",
    }
}

/// Strips / trims a value read from a file in the document's language.
fn strip_call(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Python => ".strip()",
        _ => ".trim()",
    }
}

/// True when an expression reads a file and does not strip what it read.
fn unstripped_file_read(expr: &str) -> bool {
    static READ: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\.read\(\)|\.readline\(\)|\.read_text\(|readFileSync\(|readFile\(|read_to_string\(",
        )
        .expect("valid regex")
    });
    READ.is_match(expr) && !expr.contains("strip(") && !expr.contains("trim(")
}

/// True when the document assigns `ident` a value that starts with `Bearer`
/// (`api_key = "Bearer " + key`, `let auth = format!("Bearer {k}")`).
fn holds_bearer(text: &str, ident: &str) -> bool {
    static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?P<id>[A-Za-z_$][\w$]*)\s*(?::[^=\n]*)?=\s*(?:[fF]?["'`]|format!\(\s*")(?i:bearer)"#)
            .expect("valid regex")
    });
    let ident = ident.trim().trim_start_matches('&');
    let last = ident.rsplit('.').next().unwrap_or(ident);
    if last.is_empty() {
        return false;
    }
    ASSIGN
        .captures_iter(text)
        .any(|c| c.name("id").is_some_and(|m| m.as_str() == last))
}

/// True when `text` holds a statement that assigns `ident` (the whole expression, `token` or
/// `self.token`) a value starting with `Bearer` (`token = "Bearer " + key`, `let token =
/// format!("Bearer {key}")`). Stricter than [`holds_bearer`]: a keyword argument
/// (`auth(api_key=f"Bearer {k}",`) or another object's field of the same name does not count.
fn assigned_bearer(text: &str, ident: &str) -> bool {
    static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?m)^[ \t]*(?:(?:export[ \t]+)?(?:let(?:[ \t]+mut)?|const|var)[ \t]+)?(?P<id>[A-Za-z_$][\w$.]*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:[fF]?["'`]|format!\(\s*"|String::from\(\s*")(?i:bearer)[^\n]*"#)
            .expect("valid regex")
    });
    let ident = ident.trim().trim_start_matches('&');
    !ident.is_empty()
        && ASSIGN.captures_iter(text).any(|c| {
            let line = c.get(0).map_or("", |m| m.as_str()).trim_end();
            c.name("id").is_some_and(|m| m.as_str() == ident)
                && !line.ends_with(',')
                && !line.ends_with('(')
        })
}

/// True when a hole's expression names a key (`api_key`, `DEEPSEEK_API_KEY`, `apiKey`).
fn names_key(expr: &str) -> bool {
    static PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u:\b)\w+::").expect("valid regex"));
    let l = PATH.replace_all(expr, "").to_ascii_lowercase();
    (l.contains("key") || l.contains("deepseek"))
        && !["header", "auth", "bearer", "token", "keys", "monkey"]
            .iter()
            .any(|w| l.contains(w))
}

fn judge_header(ctx: &Ctx<'_>, v: &Template, want: Code) -> Vec<Problem> {
    if want == Code::Ds301 {
        // Literal `Bearer Bearer` comes from the rule's patterns; here, `Bearer <token>` where
        // `token` was built as `"Bearer " + key` earlier.
        return bearer_on_bearer_variable(ctx, v).into_iter().collect();
    }
    let kind = ctx.doc.kind;
    let shape = v.shape();
    let mut out = Vec::new();
    let range = v.span.clone();
    let ex = header_example(kind);
    let malformed = |what: String| {
        Problem {
        fix: None,
        code: Code::Ds303,
        range: range.clone(),
        message: format!("Malformed Authorization header: {what}"),
        help: format!("Send exactly `Bearer <key>`: the scheme, one space, the bare key, nothing else, e.g. {ex}."),
    }
    };
    if shape.trim().is_empty() {
        return out;
    }
    if shape.starts_with([' ', '\t', '\n', '\r']) {
        out.push(malformed(
            "the value starts with whitespace, so the scheme is not recognised".into(),
        ));
    }
    let t = shape.trim_start();
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("bearer") {
        let rest_orig = &t[6..];
        let first = rest.chars().next();
        let cred_start = match first {
            Some(':') => {
                let mut p = malformed(
                    "`Bearer:` has a colon; the scheme is followed by a space, not a colon".into(),
                );
                if let Some((_, gap)) = bearer_in_source(ctx.text(), v.span.clone()) {
                    if ctx.text()[gap.clone()].matches(':').count() == 1 {
                        p.fix = safe_fix("Replace `Bearer:` with `Bearer `", gap, " ");
                    }
                }
                out.push(p);
                1 + (rest[1..].len() - rest[1..].trim_start().len())
            }
            Some(' ' | '\t') => {
                let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                if n > 1 {
                    let mut p = malformed(
                        "several spaces after `Bearer`; the server expects exactly one".into(),
                    );
                    if let Some((_, gap)) = bearer_in_source(ctx.text(), v.span.clone()) {
                        if !ctx.text()[gap.clone()].contains(':') && gap.len() == n {
                            p.fix = safe_fix("Use one space after `Bearer`", gap, " ");
                        }
                    }
                    out.push(p);
                }
                n
            }
            Some(c) if c == HOLE || rest.starts_with("sk-") => {
                let mut p =
                    malformed("no space between `Bearer` and the key (`Bearer<key>`)".into());
                if let Some((word, gap)) = bearer_in_source(ctx.text(), v.span.clone()) {
                    if gap.is_empty() {
                        p.fix = safe_fix("Add a space after `Bearer`", word.end..word.end, " ");
                    }
                }
                out.push(p);
                0
            }
            _ => return out,
        };
        let cred = &rest_orig[cred_start.min(rest_orig.len())..];
        if cred.to_ascii_lowercase().starts_with("bearer") {
            return out; // DS301's literal pattern reports `Bearer Bearer`.
        }
        if cred.contains(['"', '\'']) {
            out.push(malformed(
                "quotes inside the value; they are sent as part of the key".into(),
            ));
        } else if cred.trim_end() != cred {
            out.push(malformed(
                "whitespace or a newline after the key; it is sent as part of the key".into(),
            ));
        } else if cred.contains(char::is_whitespace)
            && !cred.contains('`')
            && cred.split_whitespace().count() <= 2
        {
            out.push(malformed("whitespace inside the key".into()));
        }
        if unstripped_file_read(&v.holes()) {
            out.push(malformed(format!(
                "the key is read from a file without `{}`, so its trailing newline is sent too",
                strip_call(kind)
            )));
        }
        return out;
    }
    if t.starts_with(['"', '\'']) {
        out.push(malformed(
            "quotes inside the value; they are sent as part of the header".into(),
        ));
        return out;
    }
    if want != Code::Ds302 {
        return out;
    }
    // Not Bearer: another scheme, or the bare key.
    let scheme_word: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let other_scheme = matches!(
        scheme_word.to_ascii_lowercase().as_str(),
        "token" | "basic" | "api-key" | "apikey" | "api_key" | "key" | "bearer-token" | "jwt"
    ) && t[scheme_word.len()..].starts_with([' ', ':', HOLE]);
    let bare_hole = matches!(v.parts.as_slice(), [Part::Hole(h)]
        if names_key(h) && !holds_bearer(window(ctx.text(), v.span.start), h));
    let bare_literal = t.starts_with("sk-");
    if !(other_scheme || bare_hole || bare_literal) {
        return out;
    }
    let whole = ctx.text().get(v.span.clone()).unwrap_or("");
    let Some(target) = deepseek_bound(ctx, v.span.start, whole) else {
        return out;
    };
    let problem = if other_scheme {
        format!("uses the `{scheme_word}` scheme")
    } else {
        "carries the bare key without the `Bearer` scheme".to_string()
    };
    out.push(Problem {
        fix: None,
        code: Code::Ds302,
        range,
        message: format!("Authorization header sent to {target} {problem}; the API expects `Bearer <key>` and answers 401 otherwise"),
        help: format!("Prefix the key with `Bearer ` (one space), e.g. {ex}."),
    });
    out
}

/// DS301: a header value `Bearer <ident>` whose variable already holds `Bearer …` (`token =
/// "Bearer " + key`, then `f"Bearer {token}"`).
fn bearer_on_bearer_variable(ctx: &Ctx<'_>, v: &Template) -> Option<Problem> {
    let [Part::Lit(scheme), Part::Hole(h)] = v.parts.as_slice() else {
        return None;
    };
    let scheme = scheme.trim_start();
    let spaced = scheme
        .get(..6)
        .is_some_and(|b| b.eq_ignore_ascii_case("bearer"))
        && scheme[6..].trim().is_empty();
    // `format!("Bearer {}", token)`, `"Bearer %s" % token`: the hole is the first argument.
    let positional = match h.trim() {
        "" | "%s" => first_format_arg(ctx.text(), v.span.clone()),
        _ => None,
    };
    let ident = positional.unwrap_or(h.trim());
    let plain = !ident.is_empty()
        && ident
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if !spaced
        || !plain
        || !assigned_bearer(assigned_before(ctx.text(), v.span.start, ident), ident)
    {
        return None;
    }
    Some(Problem {
        fix: None,
        code: Code::Ds301,
        range: v.span.clone(),
        message: format!(
            "Duplicated auth prefix: `{ident}` already starts with `Bearer `, so the header sends `Bearer Bearer …` and the API answers 401"
        ),
        help: format!("Send `{ident}` as the header value, or keep the bare key in `{ident}`."),
    })
}

/// The first argument after the format string of a format call or `%` expression whose
/// source is `span` (`format!("Bearer {}", token)` → `token`), when it is a plain name.
fn first_format_arg(text: &str, span: Range<usize>) -> Option<&str> {
    let src = text.get(span)?;
    let open = src.find('"')?;
    let bytes = src.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    let rest = src.get(i + 1..)?.trim_start();
    let rest = rest
        .strip_prefix([',', '%'])?
        .trim_start()
        .trim_start_matches('&');
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.')))
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(end);
    let after = after.trim_start();
    (!name.is_empty() && (after.is_empty() || after.starts_with([')', ',']))).then_some(name)
}

/// The text where `ident`, used at `at`, may have been assigned: from the enclosing function's
/// header when `ident` is one of its parameters (the caller's value is unknown), else up to
/// [`EVIDENCE_WINDOW`] bytes before the use.
fn assigned_before<'a>(text: &'a str, at: usize, ident: &str) -> &'a str {
    static FUNC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]*(?:export[ \t]+)?(?:pub[ \t]+)?(?:async[ \t]+)?(?:def|function|fn)[ \t]+[^\n]*")
            .expect("valid regex")
    });
    let at = crate::source::floor_char_boundary(text, at.min(text.len()));
    let lo = crate::source::floor_char_boundary(text, at.saturating_sub(EVIDENCE_WINDOW));
    let before = &text[lo..at];
    let last = ident.rsplit('.').next().unwrap_or(ident);
    match FUNC.find_iter(before).last() {
        Some(h) if has_word(h.as_str(), last) => &before[h.end()..],
        _ => before,
    }
}

/// True when what follows `Bearer` is a credential: an interpolated value or a key-like token
/// (`Bearer {key}`, `Bearer sk-…`), not a placeholder word (`"bearer token"` in SDK tests).
fn credential_follows(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t', ':']);
    if rest.starts_with(HOLE) {
        return true;
    }
    let token: &str = rest
        .split(|c: char| c.is_whitespace() || c == HOLE)
        .next()
        .unwrap_or("");
    token.starts_with("sk-") || (token.len() >= 16 && token.bytes().any(|b| b.is_ascii_digit()))
}

fn judge_key(ctx: &Ctx<'_>, name: &str, v: &Template) -> Vec<Problem> {
    let kind = ctx.doc.kind;
    let shape = v.shape();
    let t = shape.trim_start();
    let mut out = Vec::new();
    if let Some(p) = key_from_bearer_variable(ctx, name, v) {
        out.push(p);
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("bearer")
        && lower[6..].starts_with([' ', '\t', ':', HOLE])
        && !lower[6..].trim_start().starts_with("bearer")
        && credential_follows(&t[6..])
    {
        let (message, help) = if name == "bearer_auth" {
            (
                "`bearer_auth` is given a value that already starts with `Bearer`: reqwest adds `Bearer ` itself, so the request carries `Bearer Bearer …`".to_string(),
                "Pass the bare key: `.bearer_auth(&api_key)`.".to_string(),
            )
        } else if name.to_ascii_lowercase().starts_with("x-") {
            (
                format!("`{name}` is given `Bearer …`: this header takes the bare key"),
                format!(
                    "Send the bare key in `{name}`, or send `Authorization: Bearer <key>` instead."
                ),
            )
        } else {
            let fix = match kind {
                FileKind::Python => "`api_key=os.environ[\"DEEPSEEK_API_KEY\"]`",
                FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => {
                    "`apiKey: process.env.DEEPSEEK_API_KEY`"
                }
                FileKind::Rust => "`.with_api_key(api_key)`",
                _ => "`DEEPSEEK_API_KEY=sk-…` (no `Bearer `)",
            };
            (
                format!("`{name}` is given `Bearer …`: the SDK adds `Bearer ` itself, so the request carries `Bearer Bearer …` and fails with 401"),
                format!("Give the bare key (`sk-…`), e.g. {fix}; the client builds the `Authorization: Bearer` header."),
            )
        };
        let fix = bearer_in_source(ctx.text(), v.span.clone())
            .filter(|(_, gap)| !gap.is_empty())
            .and_then(|(word, gap)| {
                let del = super::fixes::widen_empty_concat(ctx.text(), word.start..gap.end);
                safe_fix("Remove `Bearer ` from the key", del, "")
            });
        out.push(Problem {
            fix,
            code: Code::Ds301,
            range: v.span.clone(),
            message,
            help,
        });
    }
    let strip = strip_call(kind);
    if let [Part::Lit(lit)] = v.parts.as_slice() {
        if let Some(p) = key_literal_newline(ctx, name, lit, v.span.clone()) {
            out.push(p);
        }
        let inner = lit.trim();
        let placeholder = inner.contains(['<', '>', '…', '{', '}']) || inner.contains("...");
        if inner.starts_with("sk-") && !placeholder {
            let what = if lit.trim() != lit.as_str() {
                Some("surrounding whitespace or a newline")
            } else if inner.contains(char::is_whitespace) {
                Some("whitespace inside it")
            } else if inner.contains(['"', '\'']) {
                Some("quotes inside it")
            } else {
                None
            };
            if let Some(what) = what {
                out.push(Problem {
                    fix: None,
                    code: Code::Ds303,
                    range: v.span.clone(),
                    message: format!("The API key given to `{name}` has {what}; it is sent as part of the key and fails with 401"),
                    help: "Remove the whitespace: the key is `sk-` followed by 32 characters with nothing around it.".into(),
                });
            }
        }
    }
    if unstripped_file_read(&v.holes()) {
        out.push(Problem {
            fix: super::fixes::strip_read(ctx, v.span.clone()),
            code: Code::Ds303,
            range: v.span.clone(),
            message: format!("The API key given to `{name}` is read from a file without `{strip}`: the file's trailing newline becomes part of the key"),
            help: format!("Strip what you read (`{strip}`), or read the key from an environment variable."),
        });
    }
    out
}

/// DS301: a key option or `.bearer_auth(…)` given a variable that already holds `Bearer …`
/// (`let token = format!("Bearer {}", key);` then `.bearer_auth(&token)`).
fn key_from_bearer_variable(ctx: &Ctx<'_>, name: &str, v: &Template) -> Option<Problem> {
    let [Part::Hole(h)] = v.parts.as_slice() else {
        return None;
    };
    let ident = h.trim().trim_start_matches('&');
    let ident = ident
        .strip_suffix(".clone()")
        .or_else(|| ident.strip_suffix(".as_str()"))
        .unwrap_or(ident);
    let plain = !ident.is_empty()
        && ident
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if !plain || !assigned_bearer(assigned_before(ctx.text(), v.span.start, ident), ident) {
        return None;
    }
    let adds = if name == "bearer_auth" {
        "reqwest's `bearer_auth` adds `Bearer ` itself"
    } else {
        "the SDK adds `Bearer ` itself"
    };
    Some(Problem {
        fix: None,
        code: Code::Ds301,
        range: v.span.clone(),
        message: format!(
            "Duplicated auth prefix: `{ident}` already starts with `Bearer ` and {adds}, so the request carries `Bearer Bearer …` and fails with 401"
        ),
        help: format!("Pass the bare key to `{name}`, or keep the bare key in `{ident}`."),
    })
}

/// A safe fix replacing `range` with `content`.
fn safe_fix(title: &str, range: Range<usize>, content: &str) -> Option<Fix> {
    Some(Fix {
        title: title.to_string(),
        safe: true,
        edits: vec![Edit::replace(range.start..range.end, content.to_string())],
    })
}

/// In the source of `span`: the first `Bearer` (any case) when it opens the value's first
/// literal, and the run of `:`, spaces and tabs after it.
fn bearer_in_source(text: &str, span: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
    let src = text.get(span.clone())?;
    let i = src.to_ascii_lowercase().find("bearer")?;
    let prefix = src[..i].replacen("format!(", "", 1);
    if prefix.len() > 3 || !prefix.chars().all(|c| "fFrRbB\"'`(&#".contains(c)) {
        return None;
    }
    let word = span.start + i..span.start + i + 6;
    let after = &text[word.end..span.end.max(word.end)];
    let n = after.len() - after.trim_start_matches([':', ' ', '\t']).len();
    Some((word.clone(), word.end..word.end + n))
}

/// YAML block scalars that keep the final newline (`api_key: |`), and base64 values (Kubernetes
/// `Secret` data) that decode to a key ending in a newline (`echo $KEY | base64`).
fn key_literal_newline(
    ctx: &Ctx<'_>,
    name: &str,
    lit: &str,
    span: Range<usize>,
) -> Option<Problem> {
    let v = lit.trim();
    let what = if ctx.doc.kind == FileKind::Yaml && matches!(v, "|" | ">" | "|+" | ">+") {
        format!(
            "the YAML block scalar `{v}` keeps the trailing newline in the key; use `{}-`",
            &v[..1]
        )
    } else if v.len() >= 24 && v.len() % 4 == 0 {
        let decoded = base64_decode(v)?;
        let text = std::str::from_utf8(&decoded).ok()?;
        if !text.trim().starts_with("sk-") || text.trim_end() == text {
            return None;
        }
        "its base64 value decodes to the key plus a trailing newline (encoded with `echo` without `-n`)".to_string()
    } else {
        return None;
    };
    Some(Problem {
        fix: None,
        code: Code::Ds303,
        range: span,
        message: format!("The API key in `{name}` is malformed: {what}; the API answers 401"),
        help: "Store the bare key with no trailing newline: `printf %s \"$DEEPSEEK_API_KEY\" | base64`, `echo -n`, or a `|-` block.".into(),
    })
}

/// Standard base64 (with padding); `None` for anything else.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes = s.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let b = n.to_be_bytes();
        out.extend_from_slice(&b[1..4 - pad]);
    }
    Some(out)
}

/// `echo "$DEEPSEEK_API_KEY" | base64`: `echo` adds a newline that becomes part of the key.
fn echo_base64(text: &str, m: &Matched<'_>) -> Vec<Problem> {
    if m.capture("n").is_some() {
        return Vec::new();
    }
    let Some(r) = m.capture("echokey") else {
        return Vec::new();
    };
    let var = text[r.clone()].trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    vec![Problem {
        fix: None,
        code: Code::Ds303,
        range: m.range.clone(),
        message: format!("`echo` adds a newline to `{var}` before it is base64-encoded: the stored key ends in a newline and the API answers 401"),
        help: format!("Encode the key without a newline: `printf %s \"${var}\" | base64` or `echo -n`."),
    }]
}

/// The literal duplicates: `Bearer Bearer`, `sk-sk-`.
fn duplicated_literal(text: &str, r: Range<usize>) -> Vec<Problem> {
    let found = &text[r.clone()];
    let (message, help) = if found.to_ascii_lowercase().starts_with("sk-") {
        (
            "Duplicated `sk-` prefix: the key reads `sk-sk-…`, which no provider issued, so the API answers 401".to_string(),
            "Remove the extra `sk-`: paste the key exactly as the DeepSeek console shows it (`sk-` once, then 32 characters).".to_string(),
        )
    } else {
        (
            "Duplicated `Bearer` prefix: the header is sent as `Bearer Bearer <key>` and the API answers 401".to_string(),
            "Keep one `Bearer ` before the key; if the key variable already holds `Bearer …`, store the bare key (`sk-…`) instead.".to_string(),
        )
    };
    let fix = if found.to_ascii_lowercase().starts_with("sk-") {
        safe_fix("Remove the duplicated `sk-`", r.start..r.start + 3, "")
    } else {
        safe_fix(
            "Remove the duplicated `Bearer`",
            r.start..r.end.saturating_sub(6).max(r.start),
            "",
        )
    };
    vec![Problem {
        fix,
        code: Code::Ds301,
        range: r,
        message,
        help,
    }]
}

/// `"sk-" + api_key`, `f"sk-{api_key}"`, `` `sk-${apiKey}` ``, `sk-$DEEPSEEK_API_KEY`.
fn sk_plus_key(text: &str, r: Range<usize>) -> Vec<Problem> {
    let found = &text[r.clone()];
    let var_start = found.find(['+', '{', '$']).map_or(found.len(), |i| i + 1);
    let mut var =
        found[var_start..].trim_matches(|c: char| c.is_whitespace() || "{}$&,\"".contains(c));
    while var.ends_with(')') && var.matches(')').count() > var.matches('(').count() {
        var = &var[..var.len() - 1];
    }
    if !names_key(var) {
        return Vec::new();
    }
    // `"sk-" + key` → `key`; `f"sk-{key}"` / `` `sk-${key}` `` → `key`. Unsafe: the variable
    // might hold a key without its prefix after all.
    static CONCAT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?:"sk-"|'sk-'|`sk-`)[ \t]*\+[ \t]*"#).expect("valid regex")
    });
    static TEMPLATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^sk-\$?\{([^{}]+)\}$").expect("valid regex"));
    let title = format!("Use `{var}` as it is, without adding `sk-`");
    let fix = if let Some(m) = CONCAT.find(found) {
        Some(Edit::delete(r.start..r.start + m.end()))
    } else {
        // The whole literal is `sk-{key}`: it becomes the key expression itself.
        TEMPLATE.captures(found).and_then(|c| {
            let inner = c.get(1)?.as_str().trim();
            let b = text.as_bytes();
            let open = *b.get(r.start.checked_sub(1)?)?;
            let whole = matches!(open, b'"' | b'\'' | b'`') && b.get(r.end) == Some(&open);
            let start = match r.start.checked_sub(2).map(|i| b[i]) {
                Some(b'f' | b'F') if open != b'`' => r.start - 2,
                _ if open == b'`' => r.start - 1,
                _ => return None,
            };
            (whole && inner == var).then(|| Edit::replace(start..r.end + 1, inner.to_string()))
        })
    }
    .map(|e| Fix {
        title,
        safe: false,
        edits: vec![e],
    });
    vec![Problem {
        fix,
        code: Code::Ds301,
        range: r,
        message: format!("`sk-` is prepended to `{var}`, which already holds a full key (`sk-…`): the API receives `sk-sk-…` and answers 401"),
        help: format!("Use `{var}` as it is, without adding `sk-`."),
    }]
}

/// A key read from a file into a variable that reaches a header or an `api_key` unstripped.
fn unstripped_read(ctx: &Ctx<'_>, m: &Matched<'_>, var_r: Range<usize>) -> Vec<Problem> {
    let text = ctx.text();
    let var = &text[var_r.clone()];
    let read = m.range.clone();
    // The whole right-hand side, up to the end of the statement.
    let syntax = syntax_of(ctx.doc.kind);
    let Some(rhs) = code_value(text, read.start, syntax) else {
        return Vec::new();
    };
    let rhs_text = &text[read.start..rhs.span.end.max(read.start)];
    if !unstripped_file_read(rhs_text) {
        return Vec::new();
    }
    if matches!(ctx.doc.kind, FileKind::Python)
        && rhs_text.starts_with("open(")
        && !rhs_text.contains(".read()")
    {
        return Vec::new();
    }
    let bare = var.rsplit('.').next().unwrap_or(var);
    let near = window(text, read.start);
    if [".strip(", ".rstrip(", ".trim(", ".trimEnd("]
        .iter()
        .any(|m| near.contains(&format!("{bare}{m}")))
    {
        return Vec::new();
    }
    let lower_var = bare.to_ascii_lowercase();
    let strip = strip_call(ctx.doc.kind);
    if ["api_key", "apikey", "api-key", "deepseek_key"]
        .iter()
        .any(|w| lower_var.ends_with(w))
    {
        // The key variable itself: same message as the `apikey` site, so the two merge.
        return vec![Problem {
            fix: super::fixes::strip_read(ctx, read.start..rhs.span.end.max(read.start)),
            code: Code::Ds303,
            range: read.start..rhs.span.end.max(read.start),
            message: format!("The API key given to `{bare}` is read from a file without `{strip}`: the file's trailing newline becomes part of the key"),
            help: format!("Strip what you read (`{strip}`), or read the key from an environment variable."),
        }];
    }
    let after_end =
        crate::source::floor_char_boundary(text, (rhs.span.end + EVIDENCE_WINDOW).min(text.len()));
    let from = rhs.span.end.min(after_end);
    let mut offset = from;
    let used = text[from..after_end]
        .split_inclusive('\n')
        .find_map(|line| {
            let at = offset;
            offset += line.len();
            let l = line.to_ascii_lowercase();
            let is_use = has_word(line, bare)
                && [
                    "bearer",
                    "authorization",
                    "api_key",
                    "apikey",
                    "api-key",
                    "bearer_auth",
                ]
                .iter()
                .any(|w| l.contains(w));
            is_use.then_some((at, line))
        });
    // Only an LLM credential: the header or key goes to DeepSeek or an OpenAI-compatible
    // endpoint (a cloud SDK's own token file is not this rule's business).
    let Some((at, line)) = used else {
        return Vec::new();
    };
    if deepseek_bound(ctx, at, line).is_none() {
        return Vec::new();
    }
    vec![Problem {
        fix: super::fixes::strip_read(ctx, read.start..rhs.span.end.max(read.start)),
        code: Code::Ds303,
        range: read.start..rhs.span.end.max(read.start),
        message: format!("The API key in `{var}` is read from a file without `{strip}`: the file's trailing newline is sent as part of the key and the API answers 401"),
        help: format!("Strip what you read (`{strip}`), or read the key from an environment variable."),
    }]
}

// ---------------------------------------------------------------------------------------
// Where does the header go?

/// Names in a value that say it is meant for another service.
const OTHER_SERVICES: &[&str] = &[
    "github",
    "gh_",
    "gitlab",
    "bitbucket",
    "openai",
    "anthropic",
    "claude",
    "hf_",
    "hugging",
    "slack",
    "notion",
    "stripe",
    "jira",
    "atlassian",
    "azure",
    "twilio",
    "sendgrid",
    "figma",
    "linear",
    "vercel",
    "cloudflare",
    "discord",
    "telegram",
    "google",
    "gemini",
    "mistral",
    "groq",
    "cohere",
    "replicate",
    "pinecone",
    "supabase",
    "firebase",
    "aws",
    "jwt",
    "session",
    "password",
    "user",
];

/// True when `word` occurs in `line` as a whole identifier.
fn has_word(line: &str, word: &str) -> bool {
    let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    line.match_indices(word).any(|(i, _)| {
        !is_ident(line[..i].chars().next_back()) && !is_ident(line[i + word.len()..].chars().next())
    })
}

/// The text within [`EVIDENCE_WINDOW`] bytes of `at`.
fn window(text: &str, at: usize) -> &str {
    let lo = crate::source::floor_char_boundary(text, at.saturating_sub(EVIDENCE_WINDOW));
    let hi = crate::source::floor_char_boundary(text, (at + EVIDENCE_WINDOW).min(text.len()));
    &text[lo..hi]
}

/// How far (bytes) around a header its destination is looked for.
const EVIDENCE_WINDOW: usize = 16 * 1024;

/// `Some(target)` when a header at `at` goes to DeepSeek or an unknown OpenAI-compatible
/// endpoint, judged from the value's names, the nearest URL, and the document's names.
fn deepseek_bound(ctx: &Ctx<'_>, at: usize, value: &str) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("deepseek") {
        return Some("DeepSeek");
    }
    if OTHER_SERVICES.iter().any(|w| lower.contains(w)) {
        return None;
    }
    if let Some(key) = value
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|w| w.starts_with("sk-"))
    {
        if key.len() == 35 && key[3..].bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some("DeepSeek");
        }
    }
    static URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"https?://[^\s"'`<>)\]}\\]+"#).expect("valid regex"));
    // Evidence is looked for within a window around the site, which keeps a file with many
    // headers linear and prefers what is near.
    let full = ctx.text();
    let lo = crate::source::floor_char_boundary(full, at.saturating_sub(EVIDENCE_WINDOW));
    let hi = crate::source::floor_char_boundary(full, (at + EVIDENCE_WINDOW).min(full.len()));
    let text = &full[lo..hi];
    let at = at - lo;
    let judge = |url: &str| match ctx.settings.catalogue.classify_url(url) {
        t if t.is_deepseek() => Some("DeepSeek"),
        UrlTarget::Unknown if openai_compatible_path(url) => Some("an OpenAI-compatible endpoint"),
        _ => None,
    };
    let nearest = URL
        .find_iter(text)
        .min_by_key(|u| u.start().abs_diff(at).min(u.end().abs_diff(at)));
    if let Some(u) = nearest {
        return judge(u.as_str());
    }
    // Beyond the window: the document's facts (computed once per document).
    let facts = ctx.facts();
    let far = facts
        .urls
        .iter()
        .filter_map(|u| u.as_str().map(|s| (u.span.start.abs_diff(at + lo), s)))
        .min_by_key(|(d, _)| *d);
    if let Some((_, url)) = far {
        return judge(url);
    }
    static DEEPSEEK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)deepseek").expect("valid regex"));
    if facts.mentions_deepseek || DEEPSEEK.is_match(text) {
        return Some("DeepSeek");
    }
    None
}

/// True for URLs shaped like an OpenAI-compatible API (`…/v1`, `…/chat/completions`).
fn openai_compatible_path(url: &str) -> bool {
    let path = url
        .split("://")
        .nth(1)
        .and_then(|r| r.find('/').map(|i| &r[i..]))
        .unwrap_or("");
    let p = path.trim_end_matches('/');
    // Only the unmistakable chat endpoint: `/v1` alone is shared by countless other APIs.
    p.ends_with("/chat/completions")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_standard_padding() {
        assert_eq!(base64_decode("c2stYWJj").as_deref(), Some(&b"sk-abc"[..]));
        assert_eq!(base64_decode("c2stYWI=").as_deref(), Some(&b"sk-ab"[..]));
        assert_eq!(base64_decode("c2stYQ==").as_deref(), Some(&b"sk-a"[..]));
        assert_eq!(base64_decode("c2st*Q=="), None);
        assert_eq!(base64_decode("abc"), None);
    }

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
        assert!(holds_bearer(t, "api_key"));
        assert!(!holds_bearer(t, "other"));
    }

    #[test]
    fn names_key_ignores_paths_and_header_words() {
        assert!(names_key(
            "reqwest::header::HeaderValue::from_str(&api_key)"
        ));
        assert!(names_key("os.environ[\"DEEPSEEK_API_KEY\"]"));
        assert!(!names_key("auth_header"));
        assert!(!names_key("token"));
    }
}
