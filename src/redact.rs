//! Redaction: no output of dslint ever holds a key in full.
//!
//! A key is shown as its prefix (`sk-`, `sk-proj-`, `sk-ant-api03-`) plus `…` and its last four
//! characters. [`redact_text`] is applied to every message and snippet by the engine, so a
//! rule cannot leak a key by accident.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Anything that looks like an `sk-` token long enough to be a key.
static KEY_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"sk-(?:proj-|ant-[a-z0-9]+-|or-v1-|svcacct-|admin-)?[A-Za-z0-9_\-]{12,}")
        .expect("valid regex")
});

/// The visible prefix of a key: `sk-`, or a provider's longer prefix.
fn key_prefix(key: &str) -> &str {
    for p in ["sk-proj-", "sk-or-v1-", "sk-svcacct-", "sk-admin-"] {
        if key.starts_with(p) {
            return &key[..p.len()];
        }
    }
    if let Some(rest) = key.strip_prefix("sk-ant-") {
        if let Some(dash) = rest.find('-') {
            if dash <= 8 {
                return &key[..7 + dash + 1];
            }
        }
        return &key[..7];
    }
    if key.starts_with("sk-") {
        return &key[..3];
    }
    ""
}

/// Redacts one key: `sk-…9f3a`.
pub fn redact_key(key: &str) -> String {
    let prefix = key_prefix(key);
    let tail_start = key
        .char_indices()
        .rev()
        .nth(3)
        .map(|(i, _)| i)
        .unwrap_or(0)
        .max(prefix.len());
    format!("{prefix}…{}", &key[tail_start..])
}

/// Replaces every key-like token in `text` with its redacted form.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    if !text.contains("sk-") {
        return Cow::Borrowed(text);
    }
    KEY_LIKE.replace_all(text, |c: &regex::Captures<'_>| redact_key(&c[0]))
}

/// Masks every key-like token in `text` without changing byte offsets: the characters
/// between the prefix and the last four become `*` (used for source excerpts, where spans
/// must stay valid).
pub fn mask_same_len(text: &str) -> Cow<'_, str> {
    if !text.contains("sk-") {
        return Cow::Borrowed(text);
    }
    KEY_LIKE.replace_all(text, |c: &regex::Captures<'_>| {
        let key = &c[0];
        let prefix = key_prefix(key).len();
        let keep_from = key.len().saturating_sub(4).max(prefix);
        format!(
            "{}{}{}",
            &key[..prefix],
            "*".repeat(keep_from - prefix),
            &key[keep_from..]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_keys() {
        let key = format!("sk-{}", "0123456789abcdef".repeat(2));
        assert_eq!(redact_key(&key), "sk-…cdef");
        let text = format!("api_key = \"{key}\"");
        assert_eq!(redact_text(&text), "api_key = \"sk-…cdef\"");
        let proj = format!("sk-proj-{}", "AbCdEf0123456789".repeat(3));
        assert_eq!(redact_key(&proj), "sk-proj-…6789");
        let ant = format!("sk-ant-api03-{}", "AbCdEf0123456789".repeat(3));
        assert_eq!(redact_key(&ant), "sk-ant-api03-…6789");
        assert_eq!(redact_text("no key here"), "no key here");
        let masked = mask_same_len(&text);
        assert_eq!(masked.len(), text.len());
        assert!(masked.contains("sk-****"));
        assert!(masked.ends_with("cdef\""));
    }
}
