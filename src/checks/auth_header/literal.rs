//! The judgement of literal sites and file reads: `Bearer Bearer` and `sk-sk-` written out,
//! `"sk-" + key`, `echo "$KEY" | base64`, and a key read from a file without stripping its
//! trailing newline.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::expr::{names_key, unstripped_file_read};
use super::target::{deepseek_bound_within, window, EVIDENCE_WINDOW};
use super::{safe_fix, strip_call, Code, Problem};
use crate::checks::Ctx;
use crate::diagnostic::{Edit, Fix};
use crate::facts::auth::AuthSite;
use crate::source::FileKind;

/// `echo "$DEEPSEEK_API_KEY" | base64`: `echo` adds a newline that becomes part of the key.
pub(super) fn echo_base64(text: &str, site: &AuthSite) -> Vec<Problem> {
    if !site.newline {
        return Vec::new();
    }
    let var = text[site.name.clone()].trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    vec![Problem {
        fix: None,
        code: Code::Ds303,
        range: site.range.clone(),
        message: format!("`echo` adds a newline to `{var}` before it is base64-encoded: the stored key ends in a newline and the API answers 401"),
        help: format!("Encode the key without a newline: `printf %s \"${var}\" | base64` or `echo -n`."),
    }]
}

/// The literal duplicates: `Bearer Bearer`, `sk-sk-`.
pub(super) fn duplicated_literal(text: &str, r: Range<usize>) -> Vec<Problem> {
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
pub(super) fn sk_plus_key(text: &str, r: Range<usize>) -> Vec<Problem> {
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

/// True when `line` hands the variable `bare` to a key or header: `api_key=key`,
/// `"Authorization": f"Bearer {key}"`, `.bearer_auth(key)`; not a line that merely names both
/// (`re.sub(pattern, f"{api_key}", content)`): nothing but quotes, operators and `Bearer `
/// stands between the key word and the variable.
fn gives_key(line: &str, bare: &str) -> bool {
    let l = line.to_ascii_lowercase();
    let words = ["bearer", "authorization", "api_key", "apikey", "api-key"];
    words.iter().any(|w| {
        l.match_indices(w).any(|(i, _)| {
            let rest = &line[i + w.len()..];
            let Some(p) = find_word(rest, bare) else {
                return false;
            };
            let between = &rest[..p];
            between.len() <= 40 && !between.contains([',', ';', ')'])
        })
    })
}

/// The byte offset of the first whole-word occurrence of `word` in `s`.
fn find_word(s: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    s.match_indices(word)
        .map(|(i, _)| i)
        .find(|&i| !s[..i].ends_with(is_ident) && !s[i + word.len()..].starts_with(is_ident))
}

/// A key read from a file into a variable that reaches a header or an `api_key` unstripped.
pub(super) fn unstripped_read(ctx: &Ctx<'_>, site: &AuthSite) -> Vec<Problem> {
    let text = ctx.text();
    let var = &text[site.name.clone()];
    let read = site.range.clone();
    // The whole right-hand side, up to the end of the statement.
    let Some(rhs) = &site.value else {
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
            fix: crate::checks::fixes::strip_read(ctx, read.start..rhs.span.end.max(read.start)),
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
            gives_key(line, bare).then_some((at, line))
        });
    // Only an LLM credential: the header or key goes to DeepSeek or an OpenAI-compatible
    // endpoint (a cloud SDK's own token file is not this rule's business).
    let Some((at, line)) = used else {
        return Vec::new();
    };
    if deepseek_bound_within(ctx, at, line, false).is_none() {
        return Vec::new();
    }
    vec![Problem {
        fix: crate::checks::fixes::strip_read(ctx, read.start..rhs.span.end.max(read.start)),
        code: Code::Ds303,
        range: read.start..rhs.span.end.max(read.start),
        message: format!("The API key in `{var}` is read from a file without `{strip}`: the file's trailing newline is sent as part of the key and the API answers 401"),
        help: format!("Strip what you read (`{strip}`), or read the key from an environment variable."),
    }]
}
