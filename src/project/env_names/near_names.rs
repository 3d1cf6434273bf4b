//! Env var names compared, for DS603: which names are DeepSeek key/URL names, and when a
//! defined name is a near-identical spelling of a read one.

/// True for a name that mentions DeepSeek (`DEEPSEEK`, `DEEP_SEEK`, `DEEP-SEEK`, any case).
pub fn is_deepseek_name(name: &str) -> bool {
    let upper: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    upper.contains("DEEPSEEK")
}

/// True for a name that holds a key, token or endpoint (what a mismatch breaks silently).
pub(super) fn is_key_or_url(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "KEY", "TOKEN", "SECRET", "URL", "BASE", "HOST", "ENDPOINT", "API", "URI",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

const WORDS: &[&str] = &[
    "DEEPSEEK", "API", "KEY", "TOKEN", "SECRET", "BASE", "URL", "HOST", "ENDPOINT", "URI",
];

/// The name as a sorted bag of words: case, separators and word order ignored, `DEEP SEEK`
/// joined, compounds such as `APIKEY` split, and the filler `API` dropped.
pub fn canonical_words(name: &str) -> Vec<String> {
    let upper = name.to_ascii_uppercase();
    let mut raw: Vec<String> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    // Join DEEP + SEEK.
    let mut joined: Vec<String> = Vec::with_capacity(raw.len());
    for w in raw.drain(..) {
        if w == "SEEK" && joined.last().is_some_and(|l| l == "DEEP") {
            joined.pop();
            joined.push("DEEPSEEK".into());
        } else {
            joined.push(w);
        }
    }
    let mut words = Vec::new();
    for w in joined {
        words.extend(split_compound(&w));
    }
    words.retain(|w| w != "API");
    words.sort();
    words
}

/// Splits a token made only of known words (`DEEPSEEKAPIKEY`); other tokens stay whole.
fn split_compound(token: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = token;
    while !rest.is_empty() {
        match WORDS.iter().find(|w| rest.starts_with(**w)) {
            Some(w) => {
                out.push((*w).to_string());
                rest = &rest[w.len()..];
            }
            None => return vec![token.to_string()],
        }
    }
    out
}

/// True when `defined` is a near-identical spelling of `read`: edit distance ≤ 2 (ignoring
/// case) without differing only in digits, or the same words reordered or joined.
pub fn is_near(read: &str, defined: &str) -> bool {
    is_near_with(&Name::new(read), &Name::new(defined))
}

/// A name prepared for comparisons (computed once per name, not once per pair).
pub(super) struct Name<'a> {
    raw: &'a str,
    upper: String,
    /// Letters and digits only: the name without its separators.
    compact: String,
    letters: String,
    words: Vec<String>,
}

impl<'a> Name<'a> {
    pub(super) fn new(raw: &'a str) -> Name<'a> {
        let upper = raw.to_ascii_uppercase();
        Name {
            raw,
            letters: upper.chars().filter(|c| c.is_ascii_alphabetic()).collect(),
            compact: upper
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect(),
            words: canonical_words(&upper),
            upper,
        }
    }
}

fn is_near_with(a: &Name<'_>, b: &Name<'_>) -> bool {
    if a.raw == b.raw {
        return false;
    }
    if a.upper == b.upper || a.compact == b.compact {
        // Case or separators only (`VITEDEEPSEEKAPIKEY` read, `VITEDEEPSEEKAPI_KEY` defined).
        return true;
    }
    // Names that differ only in digits and separators are numbered siblings (`KEY_1`,
    // `KEY_2`) or respellings that the word comparison below decides.
    if a.upper.len().abs_diff(b.upper.len()) <= 2
        && a.letters != b.letters
        && strsim::levenshtein(&a.upper, &b.upper) <= 2
    {
        return true;
    }
    a.words == b.words
}

/// The closest defined name to `read` (smallest edit distance, then alphabetical).
pub(super) fn best_near<'d>(read: &str, candidates: &[Name<'d>]) -> Option<&'d str> {
    let r = Name::new(read);
    let mut best: Option<(usize, &'d str)> = None;
    for d in candidates {
        if is_near_with(&r, d) {
            let dist = strsim::levenshtein(&r.upper, &d.upper);
            if best.is_none_or(|(b, bn)| (dist, d.raw) < (b, bn)) {
                best = Some((dist, d.raw));
            }
        }
    }
    best.map(|(_, d)| d)
}

/// True for a name that could be a (mis)spelling of a DeepSeek name: only these can be near
/// a DeepSeek read, so only these are compared.
pub(super) fn looks_deepseekish(name: &str) -> bool {
    let upper: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    ["DEEP", "SEEK", "DEPS", "PSEK"]
        .iter()
        .any(|w| upper.contains(w))
}
