//! The table of known API key shapes (`rules/keys.toml`) and the randomness test DS101 applies
//! to a token, judged against the alphabet the key itself uses: a letters-only key is judged
//! against letters, a hex key against hex.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

/// The built-in key-shape table.
pub const BUILTIN: &str = include_str!("../../rules/keys.toml");

/// Body characters below which an `sk-` token is never a key (proxy/virtual-key examples).
const DEFAULT_MIN_LEN: usize = 32;

/// The characters a provider draws its keys from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alphabet {
    /// `0-9a-f`.
    Hex,
    /// `a-z`.
    Lower,
    /// `A-Za-z0-9`.
    Alnum,
    /// `A-Za-z0-9`, `-` and `_`.
    Base64url,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShape {
    provider: String,
    env: String,
    prefix: String,
    body: String,
    alphabet: Alphabet,
    #[serde(default)]
    min_len: Option<usize>,
    #[serde(default)]
    context: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    shape: Vec<RawShape>,
}

/// One known key shape.
#[derive(Debug)]
pub struct KeyShape {
    /// Who issues keys of this shape, as named in messages.
    pub provider: String,
    /// The environment variable the help and fix suggest.
    pub env: String,
    /// The literal start of the token (`sk-`, `sk-proj-`, …).
    pub prefix: String,
    body: Regex,
    /// The provider's alphabet.
    pub alphabet: Alphabet,
    min_len: usize,
    context: Vec<String>,
}

/// Parses a key-shape table.
pub fn parse(text: &str) -> Result<Vec<KeyShape>, String> {
    let raw: RawTable = toml::from_str(text).map_err(|e| e.to_string())?;
    raw.shape
        .into_iter()
        .map(|s| {
            let body = Regex::new(&s.body).map_err(|e| format!("{}: {e}", s.provider))?;
            Ok(KeyShape {
                provider: s.provider,
                env: s.env,
                prefix: s.prefix,
                body,
                alphabet: s.alphabet,
                min_len: s.min_len.unwrap_or(DEFAULT_MIN_LEN),
                context: s
                    .context
                    .into_iter()
                    .map(|w| w.to_ascii_lowercase())
                    .collect(),
            })
        })
        .collect()
}

/// The built-in table (empty if it failed to parse, which a test rules out).
pub fn builtin() -> &'static [KeyShape] {
    static SHAPES: OnceLock<Vec<KeyShape>> = OnceLock::new();
    SHAPES.get_or_init(|| parse(BUILTIN).unwrap_or_default())
}

/// Words and marks that make a value a placeholder, not a key.
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
    "test",
    "demo",
    "****",
    "....",
    "0000000",
];

/// The shape `token` has and, when it looks like a real key of that shape, that shape.
/// `context` is the text around the token (the file), for shapes that need the file to
/// name their provider. Only shapes with the longest prefix the token starts with are tried
/// (an `sk-proj-` token is judged as an OpenAI project key or not at all).
pub fn classify<'a>(
    shapes: &'a [KeyShape],
    token: &str,
    context: Option<&str>,
) -> Option<&'a KeyShape> {
    let longest = shapes
        .iter()
        .filter(|s| token.starts_with(&s.prefix))
        .map(|s| s.prefix.len())
        .max()?;
    let lower_token = token.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower_token.contains(w)) {
        return None;
    }
    let mut lower_context: Option<String> = None;
    for shape in shapes.iter().filter(|s| s.prefix.len() == longest) {
        let body = &token[shape.prefix.len()..];
        let Some(caps) = shape.body.captures(body) else {
            continue;
        };
        if !shape.context.is_empty() {
            let Some(ctx) = context else {
                continue;
            };
            let ctx = lower_context.get_or_insert_with(|| ctx.to_ascii_lowercase());
            if !shape.context.iter().any(|w| ctx.contains(w.as_str())) {
                continue;
            }
        }
        let payload = caps.name("payload").map_or(body, |m| m.as_str());
        return looks_random(payload, shape).then_some(shape);
    }
    None
}

/// True when `payload` has the length, character mix and entropy of a generated secret of
/// `shape`, judged against the alphabet the payload itself draws from.
fn looks_random(payload: &str, shape: &KeyShape) -> bool {
    let chars: Vec<u8> = payload
        .bytes()
        .filter(|b| *b != b'-' && *b != b'_')
        .collect();
    if chars.len() < shape.min_len || has_long_run(&chars) {
        return false;
    }
    let has_digit = chars.iter().any(u8::is_ascii_digit);
    let has_upper = chars.iter().any(u8::is_ascii_uppercase);
    let has_lower = chars.iter().any(u8::is_ascii_lowercase);
    let size = if shape.alphabet == Alphabet::Lower {
        // Random letters have few vowels (5 of 26); words and phrases have about twice as many.
        let vowels = chars.iter().filter(|b| b"aeiou".contains(b)).count();
        if vowels * 100 > chars.len() * 32 {
            return false;
        }
        26.0
    } else {
        if !has_digit || !(has_upper || has_lower) {
            return false;
        }
        if chars.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            16.0
        } else if has_upper && has_lower {
            62.0
        } else {
            36.0
        }
    };
    let ideal = f64::min(size, chars.len() as f64).log2();
    shannon_entropy(&chars) >= 0.72 * ideal
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
