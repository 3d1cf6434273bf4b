//! DS101: is an `sk-` token a real-looking key, and whose?
//!
//! The rule's regex finds candidate tokens; this check drops placeholders (`sk-xxxx…`,
//! `sk-your-key`, repeated or sequential characters, low entropy) and names the provider.

use super::{Ctx, Matched};
use crate::diagnostic::Hit;
use crate::redact::redact_key;

/// Which provider issued a key, judged from its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// `sk-` + 32 lowercase hex.
    DeepSeek,
    /// `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`, `…T3BlbkFJ…`, or `sk-` + 48 alphanumerics.
    OpenAI,
    /// `sk-ant-…`.
    Anthropic,
    /// `sk-or-v1-…`.
    OpenRouter,
    /// Any other high-entropy `sk-` token.
    Unknown,
}

impl Provider {
    /// Display name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Provider::DeepSeek => "DeepSeek",
            Provider::OpenAI => "OpenAI",
            Provider::Anthropic => "Anthropic",
            Provider::OpenRouter => "OpenRouter",
            Provider::Unknown => "unknown-provider",
        }
    }
}

/// Words that mark a value as a placeholder, not a key.
const PLACEHOLDER_WORDS: &[&str] = &[
    "xxxx",
    "your",
    "here",
    "replace",
    "example",
    "placeholder",
    "dummy",
    "fake",
    "redacted",
    "insert",
    "changeme",
    "sample",
    "mock",
    "secret",
    "apikey",
    "api-key",
    "api_key",
    "token",
    "****",
    "....",
    "0000000",
];

/// Classifies `token` (which starts with `sk-`); `None` for placeholders and noise.
pub fn classify(token: &str) -> Option<Provider> {
    let body = token.strip_prefix("sk-")?;
    let lower = body.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let (provider, payload) = if let Some(rest) = body.strip_prefix("ant-") {
        let payload = rest.split_once('-').map_or(rest, |(_, p)| p);
        (Provider::Anthropic, payload)
    } else if let Some(rest) = body.strip_prefix("or-v1-") {
        (Provider::OpenRouter, rest)
    } else if let Some(rest) = ["proj-", "svcacct-", "admin-"]
        .iter()
        .find_map(|p| body.strip_prefix(p))
    {
        (Provider::OpenAI, rest)
    } else if body.contains("T3BlbkFJ") {
        (Provider::OpenAI, body)
    } else if body.len() == 32 && body.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        (Provider::DeepSeek, body)
    } else if body.len() == 48 && body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        (Provider::OpenAI, body)
    } else {
        (Provider::Unknown, body)
    };
    looks_random(payload, provider).then_some(provider)
}

/// True when `payload` has the length, character mix and entropy of a generated secret.
fn looks_random(payload: &str, provider: Provider) -> bool {
    let chars: Vec<u8> = payload
        .bytes()
        .filter(|b| *b != b'-' && *b != b'_')
        .collect();
    let min_len = match provider {
        Provider::DeepSeek => 32,
        Provider::Unknown => 20,
        _ => 24,
    };
    if chars.len() < min_len {
        return false;
    }
    let has_digit = chars.iter().any(u8::is_ascii_digit);
    let has_alpha = chars.iter().any(u8::is_ascii_alphabetic);
    if !has_digit || !has_alpha {
        return false;
    }
    if has_long_run(&chars) {
        return false;
    }
    let hex_only = chars.iter().all(u8::is_ascii_hexdigit);
    let threshold = if hex_only { 3.0 } else { 3.5 };
    if provider == Provider::Unknown && !hex_only {
        let has_upper = chars.iter().any(u8::is_ascii_uppercase);
        let has_lower = chars.iter().any(u8::is_ascii_lowercase);
        if !(has_upper && has_lower) && chars.len() < 32 {
            return false;
        }
    }
    shannon_entropy(&chars) >= threshold
}

/// Five identical characters in a row, or six ascending/descending ones (`abcdef`, `12345`).
fn has_long_run(chars: &[u8]) -> bool {
    let mut same = 1;
    let mut up = 1;
    let mut down = 1;
    for w in chars.windows(2) {
        same = if w[1] == w[0] { same + 1 } else { 1 };
        up = if w[1] == w[0].wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if w[1].wrapping_add(1) == w[0] {
            down + 1
        } else {
            1
        };
        if same >= 5 || up >= 6 || down >= 6 {
            return true;
        }
    }
    false
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// The DS101 match check: keeps real-looking keys, names the provider, redacts the key.
pub fn check_key(ctx: &Ctx<'_>, m: &Matched<'_>, out: &mut Vec<Hit>) {
    let token = &ctx.text()[m.range.clone()];
    if ctx.settings.is_allowlisted_secret(token) {
        return;
    }
    let Some(provider) = classify(token) else {
        return;
    };
    let env = match provider {
        Provider::DeepSeek | Provider::Unknown => "DEEPSEEK_API_KEY",
        Provider::OpenAI => "OPENAI_API_KEY",
        Provider::Anthropic => "ANTHROPIC_API_KEY",
        Provider::OpenRouter => "OPENROUTER_API_KEY",
    };
    out.push(Hit {
        range: m.range.clone(),
        args: vec![
            ("provider", provider.label().to_string()),
            ("key", redact_key(token)),
            ("env", env.to_string()),
        ],
        fingerprint: Some(token.to_string()),
        fix: super::fixes::key_from_env(ctx, &m.range, env),
        ..Hit::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_providers() {
        assert_eq!(
            classify("sk-3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8c"),
            Some(Provider::DeepSeek)
        );
        assert_eq!(
            classify("sk-proj-Ab3dE9fGh2JkL7mNp4QrS8tUv1WxY6zA0bC5dE"),
            Some(Provider::OpenAI)
        );
        assert_eq!(
            classify("sk-ant-api03-Zx8Yw2Vu4Ts6Rq9Po1Nm3Lk5Jh7Gf0Ed2Cb4Aa"),
            Some(Provider::Anthropic)
        );
    }

    #[test]
    fn drops_placeholders() {
        for p in [
            "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk-your-api-key-here-0123456789ab",
            "sk-0123456789abcdef0123456789abcdef",
            "sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "sk-1111111111111111111111111111111111",
            "sk-my-deepseek-project-configuration",
        ] {
            assert_eq!(classify(p), None, "{p}");
        }
    }
}
