//! The judgement of an `Authorization` header value: `Bearer:`, missing or extra spaces after
//! `Bearer`, whitespace or quotes in the key, a key read from a file, a variable that already
//! holds `Bearer …` (DS301), and a header to DeepSeek without the `Bearer` scheme (DS302).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::expr::{names_key, unstripped_file_read};
use super::target::{deepseek_bound, has_word, window, EVIDENCE_WINDOW};
use super::{bearer_in_source, header_example, safe_fix, strip_call, Code, Problem};
use crate::checks::Ctx;
use crate::facts::auth::value::{Part, Template, HOLE};

/// True when the document assigns `ident` a value that starts with `Bearer`
/// (`api_key = "Bearer " + key`, `let auth = format!("Bearer {k}")`).
pub(super) fn holds_bearer(text: &str, ident: &str) -> bool {
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
pub(super) fn assigned_bearer(text: &str, ident: &str) -> bool {
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

pub(super) fn judge_header(ctx: &Ctx<'_>, v: &Template, want: Code) -> Vec<Problem> {
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
pub(super) fn assigned_before<'a>(text: &'a str, at: usize, ident: &str) -> &'a str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_bearer_finds_assignments() {
        let t = "api_key = \"Bearer \" + k\nOpenAI(\n    api_key=\"Bearer x\")";
        assert!(holds_bearer(t, "api_key"));
        assert!(!holds_bearer(t, "other"));
    }
}
