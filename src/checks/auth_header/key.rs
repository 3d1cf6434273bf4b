//! The judgement of an API-key value (an SDK's `api_key`/`apiKey`, a `*_API_KEY` variable,
//! `.bearer_auth(…)`): `Bearer ` given to something that adds it itself, a variable that already
//! holds `Bearer …`, whitespace or quotes in a key literal, a trailing newline kept by a YAML
//! block scalar or encoded in base64, and a key read from a file without stripping.

use std::ops::Range;

use super::expr::unstripped_file_read;
use super::header::{assigned_bearer, assigned_before};
use super::{bearer_in_source, safe_fix, strip_call, Code, Problem};
use crate::checks::Ctx;
use crate::facts::auth::value::{Part, Template, HOLE};
use crate::source::FileKind;

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

pub(super) fn judge_key(ctx: &Ctx<'_>, name: &str, v: &Template) -> Vec<Problem> {
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
                let del = crate::checks::fixes::widen_empty_concat(ctx.text(), word.start..gap.end);
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
            fix: crate::checks::fixes::strip_read(ctx, v.span.clone()),
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
}
