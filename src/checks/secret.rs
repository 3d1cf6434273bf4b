//! DS101: is an `sk-` token a real-looking key, and whose?
//!
//! The rule's regex finds candidate tokens; this check drops placeholders (`sk-xxxx…`,
//! `sk-your-key`, repeated or sequential characters, low entropy) and names the provider from
//! the key-shape table (`rules/keys.toml`, see [`key_shapes`]).

use super::key_shapes::{self, KeyShape};
use super::{Ctx, Matched};
use crate::diagnostic::Hit;
use crate::redact::redact_key;

/// The shape of a real-looking key: its provider (as named in messages) and env variable.
pub type Provider = &'static KeyShape;

/// Classifies `token` (which starts with `sk-`) against the built-in key shapes; `None` for
/// placeholders, noise and tokens too short to be a provider key.
pub fn classify(token: &str) -> Option<Provider> {
    classify_in(token, None)
}

/// As [`classify`], with the file's text for shapes that need the file to name their
/// provider (DashScope keys have DeepSeek's shape).
pub fn classify_in(token: &str, context: Option<&str>) -> Option<Provider> {
    key_shapes::classify(key_shapes::builtin(), token, context)
}

/// Bytes either side of a key in which a provider named by `context` words must appear.
const CONTEXT_WINDOW: usize = 4096;

/// The text within [`CONTEXT_WINDOW`] bytes of `range`: the key's surroundings, bounded so
/// that a file with many keys is not searched whole for each.
fn around<'t>(text: &'t str, range: &std::ops::Range<usize>) -> &'t str {
    let start =
        crate::source::floor_char_boundary(text, range.start.saturating_sub(CONTEXT_WINDOW));
    let end =
        crate::source::floor_char_boundary(text, (range.end + CONTEXT_WINDOW).min(text.len()));
    &text[start..end.max(start)]
}

/// The real-looking keys in `text`, in order: each `sk-` token (not glued to a preceding
/// word) that [`classify`] keeps, with its provider.
pub fn find_keys(text: &str) -> Vec<(Provider, &str)> {
    let token_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("sk-").map(|i| i + from) {
        let end = bytes[at..]
            .iter()
            .position(|&b| !token_byte(b))
            .map_or(bytes.len(), |n| at + n);
        if at == 0 || !token_byte(bytes[at - 1]) {
            let token = &text[at..end];
            if let Some(p) = classify(token) {
                out.push((p, token));
            }
        }
        from = end.max(at + 3);
    }
    out
}

/// The DS101 match check: keeps real-looking keys, names the provider, redacts the key.
pub fn check_key(ctx: &Ctx<'_>, m: &Matched<'_>, out: &mut Vec<Hit>) {
    let token = &ctx.text()[m.range.clone()];
    if ctx.settings.is_allowlisted_secret(token) {
        return;
    }
    let Some(shape) = classify_in(token, Some(around(ctx.text(), &m.range))) else {
        return;
    };
    let env = shape.env.as_str();
    out.push(Hit {
        range: m.range.clone(),
        args: vec![
            ("provider", shape.provider.clone()),
            ("key", redact_key(token)),
            ("env", env.to_string()),
        ],
        fingerprint: Some(token.to_string()),
        fix: if env == "DEEPSEEK_API_KEY" && other_provider_only(ctx) {
            // A `sk-` + 32 hex key in a file that only talks to another provider
            // (DashScope, Moonshot…) is that provider's key: `DEEPSEEK_API_KEY` would be wrong.
            None
        } else {
            super::fixes::key_from_env(ctx, &m.range, env)
        },
        ..Hit::default()
    });
}

/// True when a code document sends its requests to another provider and never to DeepSeek
/// (another provider's URL, client or import, and no DeepSeek URL).
fn other_provider_only(ctx: &Ctx<'_>) -> bool {
    if !ctx.doc.kind.is_code() {
        return false;
    }
    let a = super::clients::Analysis::new(ctx.facts(), ctx.settings);
    a.doc_other_provider && !a.doc_deepseek_url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(token: &str) -> Option<&str> {
        classify(token).map(|s| s.provider.as_str())
    }

    #[test]
    fn the_builtin_table_parses() {
        assert!(key_shapes::parse(key_shapes::BUILTIN).is_ok());
        assert!(key_shapes::builtin().len() >= 10);
    }

    #[test]
    fn classifies_providers() {
        for (token, want) in [
            ("sk-3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8c", "DeepSeek"),
            ("sk-proj-Ab3dE9fGh2JkL7mNp4QrS8tUv1WxY6zA0bC5dE", "OpenAI"),
            (
                "sk-svcacct-Rk2mQ8vT4xZ1pL7nB3cF9hJ5dG0wS6yA2eU8iO",
                "OpenAI",
            ),
            (
                "sk-Zq4Lm8Rt2Vx6Np0Bc3DfT3BlbkFJg7Hj1Kl5Ws9Ye2Ua4Io",
                "OpenAI",
            ),
            (
                "sk-ant-api03-Zx8Yw2Vu4Ts6Rq9Po1Nm3Lk5Jh7Gf0Ed2Cb4Aa",
                "Anthropic",
            ),
            (
                "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",
                "OpenRouter",
            ),
            (
                "sk-qmvtrhzkwplxnfgjbdcysrkvtzhqwmpnlfxgbjdrkcvztwhq",
                "SiliconFlow",
            ),
            (
                "sk-Vb7Kq2Xm9Rt4Lp8Nz3Hc6Wd1Fj5Gs0Ya2Ue7Io4Tr9Qn3Bm6",
                "Moonshot",
            ),
            ("sk-Hq7x2Kd9Lm4Rt8Vb3Nc6Pz1Wf5Gj0Ys2Ua", "unknown-provider"),
        ] {
            assert_eq!(provider(token), Some(want), "{token}");
        }
    }

    #[test]
    fn dashscope_needs_the_file_to_say_so() {
        let key = "sk-3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8c";
        let ctx = "base_url=\"https://dashscope.aliyuncs.com/compatible-mode/v1\"";
        assert_eq!(
            classify_in(key, Some(ctx)).map(|s| s.provider.as_str()),
            Some("DashScope")
        );
        assert_eq!(
            classify_in(key, Some("api.deepseek.com")).map(|s| s.provider.as_str()),
            Some("DeepSeek")
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
            "sk-thisismyapikeyforsiliconflowpleasereplaceitnow",
            "sk-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv",
            "sk-proj-your-openai-project-key-goes-here-000",
            "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000",
            "sk-test-4f8a1c9e2b7d4e6fa0c3b5d8e1f2a7c9",
            "sk-demo4f8a1c9e2b7d4e6fa0c3b5d8e1f2a7c9",
            "sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ] {
            assert_eq!(provider(p), None, "{p}");
        }
    }

    #[test]
    fn short_proxy_keys_are_not_provider_keys() {
        // litellm-style virtual keys in docstrings: `sk-` + 22 characters.
        for p in ["sk-Qw7rEy2nUs9pV4zT1HxIbw", "sk-Fn3Ej8NxjA4rvpUG7KghGwq2"] {
            assert_eq!(provider(p), None, "{p}");
        }
    }

    #[test]
    fn finds_keys_in_text() {
        let text = "A=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nDEEPSEEK_API_KEY=sk-3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8c\nask-3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8d";
        let keys = find_keys(text);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].1, "sk-3f9a2b7c1d8e4f6a0b5c9d2e7f1a3b8c");
    }
}
