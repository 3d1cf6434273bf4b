//! The `key_literal` fact kind: is an `sk-` token a real-looking key, and whose? DS101
//! (hardcoded API key) is a condition over these facts in its rule file.
//!
//! A regex finds candidate tokens; placeholders (`sk-xxxx…`, `sk-your-key`, repeated or
//! sequential characters, low entropy) are dropped and the provider is named from the
//! key-shape table (`rules/keys.toml`, see [`key_shapes`]). The `key-from-env` named fix
//! replaces a key with an environment read.

use std::cell::OnceCell;
use std::sync::LazyLock;

use regex::Regex;

use super::key_shapes::{self, KeyShape};
use super::Ctx;
use crate::diagnostic::Hit;
use crate::facts::view::{Kind, Row, Val};
use crate::redact::redact_key;

/// The `key_literal` kind: its fields, in row order.
pub const KEY_LITERAL: Kind = Kind {
    name: "key_literal",
    fields: &[
        ("provider", "who issued it, from its shape (`DeepSeek`, `OpenAI`, `Anthropic`…)"),
        ("key", "the key redacted (`sk-…9f3a`): the key itself is never a field"),
        ("env", "the environment variable the provider's SDKs read (`DEEPSEEK_API_KEY`)"),
        ("allowlisted", "true when the configuration allowlists this key (a published test key)"),
        ("other_provider_only", "for a DeepSeek-shaped key in code: true when the document talks only to another provider (its URLs, clients or imports) and never to DeepSeek, so the key is that provider's"),
    ],
};

/// A candidate key token: `sk-` (with a known provider infix) and 16+ key characters, not
/// glued to a preceding word.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^A-Za-z0-9_\-])(?P<m>sk-(?:proj-|ant-[a-z0-9]{2,8}-|or-v1-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,})")
        .expect("valid regex")
});

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

/// The `key_literal` facts of a document: each real-looking key token, in order.
pub fn key_literals(ctx: &Ctx<'_>) -> Vec<Row> {
    let text = ctx.text();
    let other_only = OnceCell::new();
    let mut out = Vec::new();
    for caps in TOKEN.captures_iter(text) {
        let Some(m) = caps.name("m") else { continue };
        let token = m.as_str();
        let Some(shape) = classify_in(token, Some(around(text, &m.range()))) else {
            continue;
        };
        let env = shape.env.as_str();
        // Only a DeepSeek-shaped key can be another provider's (DashScope, Moonshot…).
        let other =
            env == "DEEPSEEK_API_KEY" && *other_only.get_or_init(|| other_provider_only(ctx));
        out.push(Row {
            span: m.range(),
            values: vec![
                Val::Str(shape.provider.clone()),
                Val::Str(redact_key(token)),
                Val::Str(env.to_string()),
                Val::Bool(ctx.settings.is_allowlisted_secret(token)),
                Val::Bool(other),
            ],
        });
    }
    out
}

/// The `key-from-env` fix: the key, when it is a whole string literal in code, becomes a
/// read of its provider's environment variable.
pub fn key_from_env_fix(ctx: &Ctx<'_>, fact: &crate::checks::fact::Fact<'_>, hit: &mut Hit) {
    if let Some(env) = fact.str("env") {
        hit.fix = super::fixes::key_from_env(ctx, &fact.row.span, env);
    }
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
