//! Where a header goes: DeepSeek or an unknown OpenAI-compatible endpoint, judged from the
//! value's names, the nearest URL and the document's names; and the text windows around a
//! site that evidence is looked for in.

use std::sync::LazyLock;

use regex::Regex;

use crate::catalogue::UrlTarget;
use crate::checks::Ctx;

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
pub(super) fn has_word(line: &str, word: &str) -> bool {
    let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    line.match_indices(word).any(|(i, _)| {
        !is_ident(line[..i].chars().next_back()) && !is_ident(line[i + word.len()..].chars().next())
    })
}

/// The text within [`EVIDENCE_WINDOW`] bytes of `at`.
pub(super) fn window(text: &str, at: usize) -> &str {
    let lo = crate::source::floor_char_boundary(text, at.saturating_sub(EVIDENCE_WINDOW));
    let hi = crate::source::floor_char_boundary(text, (at + EVIDENCE_WINDOW).min(text.len()));
    &text[lo..hi]
}

/// How far (bytes) around a header its destination is looked for.
pub(super) const EVIDENCE_WINDOW: usize = 16 * 1024;

/// `Some(target)` when a header at `at` goes to DeepSeek or an unknown OpenAI-compatible
/// endpoint, judged from the value's names, the nearest URL, and the document's names.
pub(super) fn deepseek_bound(ctx: &Ctx<'_>, at: usize, value: &str) -> Option<&'static str> {
    deepseek_bound_within(ctx, at, value, true)
}

/// [`deepseek_bound`] from the value and the text around `at` alone when `far` is false: for
/// evidence that must be near (a key read from a file is only an LLM key if what it reaches
/// is written next to an LLM URL or names DeepSeek).
pub(super) fn deepseek_bound_within(
    ctx: &Ctx<'_>,
    at: usize,
    value: &str,
    far: bool,
) -> Option<&'static str> {
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
    static DEEPSEEK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)deepseek").expect("valid regex"));
    if !far {
        return DEEPSEEK.is_match(text).then_some("DeepSeek");
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
