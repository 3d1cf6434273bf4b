//! DS603 env-var-name-mismatch: code reads a DeepSeek key/URL environment variable that no
//! env file, compose file, CI workflow, Dockerfile or shell script of the repository defines,
//! while a near-identical name is defined (`DEEPSEEK_KEY` read, `DEEPSEEK_API_KEY` defined).
//!
//! Reads and definitions are collected with small line-oriented regexes over the files the
//! engine kept for project rules (only files holding a DeepSeek literal reach here), so this
//! stays linear in the text and independent of the per-language fact extractors.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::diagnostic::Hit;
use crate::source::{floor_char_boundary, FileKind};

use super::{ProjectCtx, ProjectFile, ProjectHit};

/// How far around a match the comment and assignment tests look (bytes).
const LOOK_AROUND: usize = 256;

/// An env var read in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The variable name as written.
    pub name: String,
    /// Byte range of the name in the file.
    pub range: Range<usize>,
    /// True when the reader matches names case-insensitively (pydantic settings).
    pub case_insensitive: bool,
    /// True for a write (`os.environ["X"] = …`, `process.env.X = …`, `setenv("X", …)`): the
    /// code defines the name rather than reading it.
    pub is_write: bool,
}

static PY_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?:(?-u:\b)environ\s*\[\s*
          |(?-u:\b)(?:environ\.get|environ\.pop|getenv|config|env(?:\.(?:str|bool|int|url))?)\s*\(\s*
          |(?-u:\b)env\s*=\s*)
        (?:[rbuRBU]?)\\?["'](?P<n>[A-Za-z_][A-Za-z0-9_]*)\\?["']
        |(?-u:\b)(?:validation_alias|alias)\s*=\s*(?:AliasChoices\s*\(\s*)?\\?["'](?P<a>[A-Za-z_][A-Za-z0-9_]*)\\?["']
        "#,
    )
    .expect("valid regex")
});

static JS_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?-u:\b)(?:process\.env|import\.meta\.env|Bun\.env)
        (?:\?\.|\.)(?P<n>[A-Za-z_$][A-Za-z0-9_$]*)
        |(?-u:\b)(?:process\.env|import\.meta\.env|Bun\.env)\s*(?:\?\.)?\[\s*["'`](?P<b>[A-Za-z_][A-Za-z0-9_]*)["'`]\s*\]
        |(?-u:\b)Deno\.env\.get\(\s*["'`](?P<d>[A-Za-z_][A-Za-z0-9_]*)["'`]
        "#,
    )
    .expect("valid regex")
});

static JS_DESTRUCTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\{(?P<body>[^{}]+)\}\s*=\s*(?:process\.env|import\.meta\.env|Bun\.env)(?-u:\b)"#)
        .expect("valid regex")
});

static RS_READS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?-u:\b)(?:env|dotenvy|dotenv)::var(?:_os)?\s*\(\s*"(?P<n>[A-Za-z_][A-Za-z0-9_]*)"
        |(?-u:\b)(?:option_)?env!\s*\(\s*"(?P<m>[A-Za-z_][A-Za-z0-9_]*)"
        "#,
    )
    .expect("valid regex")
});

static IDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z_$][A-Za-z0-9_$]*").expect("valid regex"));

static PY_SETTINGS_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^(?P<indent>[ \t]*)class\s+\w+\s*\([^)]*(?-u:\b)BaseSettings(?-u:\b)[^)]*\)\s*:",
    )
    .expect("valid regex")
});

static PY_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<indent>[ \t]+)(?P<n>[A-Za-z_][A-Za-z0-9_]*)\s*:").expect("valid regex")
});

static PY_ENV_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)env_prefix\s*=\s*["'](?P<p>[A-Za-z0-9_]*)["']"#).expect("valid regex")
});

/// Env var reads in a code file's text.
pub fn collect_reads(kind: FileKind, text: &str) -> Vec<Read> {
    let mut out = Vec::new();
    let mut push = |name: &str, range: Range<usize>, ci: bool| {
        if !in_comment(text, range.start) {
            out.push(Read {
                name: name.to_string(),
                is_write: is_assignment_after(text, range.end),
                range,
                case_insensitive: ci,
            });
        }
    };
    match kind {
        FileKind::Python | FileKind::Notebook => {
            // A notebook is matched in its raw JSON (quotes escaped as `\"`), so positions
            // are already those of the .ipynb file.
            for c in PY_READS.captures_iter(text) {
                if let Some(m) = c.name("n").or_else(|| c.name("a")) {
                    push(m.as_str(), m.range(), false);
                }
            }
            if kind == FileKind::Python {
                for (name, range) in pydantic_fields(text) {
                    push(&name, range, true);
                }
            }
        }
        k if k.is_js_family() => {
            for c in JS_READS.captures_iter(text) {
                if let Some(m) = c.name("n").or_else(|| c.name("b")).or_else(|| c.name("d")) {
                    push(m.as_str(), m.range(), false);
                }
            }
            for c in JS_DESTRUCTURE.captures_iter(text) {
                let Some(body) = c.name("body") else { continue };
                // `{ A, B: alias, C = "x" }`: the key before any `:` or `=` is the name.
                let mut at = body.start();
                for part in body.as_str().split(',') {
                    let key = part.split([':', '=']).next().unwrap_or("");
                    if let Some(m) = IDENT.find(key) {
                        push(m.as_str(), at + m.start()..at + m.end(), false);
                    }
                    at += part.len() + 1;
                }
            }
        }
        FileKind::Rust => {
            for c in RS_READS.captures_iter(text) {
                if let Some(m) = c.name("n").or_else(|| c.name("m")) {
                    push(m.as_str(), m.range(), false);
                }
            }
        }
        _ => {}
    }
    if is_code_like(kind) {
        for c in CODE_WRITES.captures_iter(text) {
            if let Some(m) = c.name("n") {
                if !in_comment(text, m.start()) {
                    out.push(Read {
                        name: m.as_str().to_string(),
                        range: m.range(),
                        case_insensitive: false,
                        is_write: true,
                    });
                }
            }
        }
    }
    out
}

static CODE_WRITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u:\b)(?:setenv|putenv|set_var|environ\.setdefault|stubEnv)\s*\(\s*\\?["'`](?P<n>[A-Za-z_][A-Za-z0-9_]*)\\?["'`]"#,
    )
    .expect("valid regex")
});

/// Code kinds whose env reads are collected (notebooks as Python).
fn is_code_like(kind: FileKind) -> bool {
    kind.is_code() || kind == FileKind::Notebook
}

/// True when the text after a read's name assigns to it (`"] = …`, ` = …`, not `==`).
fn is_assignment_after(text: &str, end: usize) -> bool {
    let stop = floor_char_boundary(text, (end + LOOK_AROUND).min(text.len()));
    let rest = text[end..stop].trim_start_matches(['"', '\'', '`', ']', ' ', '\t', '\\']);
    rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
}

/// Fields of pydantic `BaseSettings` classes, as the env names they read (prefix applied).
fn pydantic_fields(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    if !text.contains("BaseSettings") {
        return out;
    }
    let prefix = PY_ENV_PREFIX
        .captures(text)
        .and_then(|c| c.name("p"))
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    for class in PY_SETTINGS_CLASS.captures_iter(text) {
        let Some(whole) = class.get(0) else { continue };
        let class_indent = class.name("indent").map_or(0, |m| m.len());
        let mut body_indent: Option<usize> = None;
        let mut offset = whole.end();
        // Skip the rest of the class line.
        if let Some(nl) = text[offset..].find('\n') {
            offset += nl + 1;
        } else {
            continue;
        }
        for line in text[offset..].split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            if indent <= class_indent {
                break;
            }
            let bi = *body_indent.get_or_insert(indent);
            if indent != bi {
                continue;
            }
            if let Some(c) = PY_FIELD.captures(line) {
                if let Some(n) = c.name("n") {
                    if n.as_str() == "model_config" {
                        continue;
                    }
                    let name = format!("{prefix}{}", n.as_str()).to_ascii_uppercase();
                    out.push((name, start + n.start()..start + n.end()));
                }
            }
        }
    }
    out
}

/// True when `offset` sits after a `#` or `//` comment marker on its line (rough, but the
/// read patterns rarely occur inside strings).
fn in_comment(text: &str, offset: usize) -> bool {
    // Look back a bounded distance: a minified line holding many reads stays linear.
    let window = floor_char_boundary(text, offset.saturating_sub(LOOK_AROUND));
    let line_start = match text[window..offset].rfind('\n') {
        Some(i) => window + i + 1,
        None if window == 0 => 0,
        None => return false,
    };
    let before = text[line_start..offset].trim_start();
    before.starts_with('#') || before.starts_with("//") || before.starts_with('*')
}

/// `NAME=value` in a dotenv file; a commented-out `# NAME=value` documents the name too (it
/// counts as defined, which can only remove findings).
static ENV_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:#[ \t]*)?(?:export[ \t]+)?(?P<n>[A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=")
        .expect("valid regex")
});

static SHELL_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:export|declare[ \t]+-x)[ \t]+(?P<n>[A-Za-z_][A-Za-z0-9_]*)=")
        .expect("valid regex")
});

static DOCKER_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)^[ \t]*(?:ENV|ARG)[ \t]+(?P<rest>.*)$").expect("valid regex")
});

static DOCKER_PAIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:^|\s)(?P<n>[A-Za-z_][A-Za-z0-9_]*)="#).expect("valid regex"));

static YAML_SECRET_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u:\b)(?:secrets|vars)\.(?P<n>[A-Za-z_][A-Za-z0-9_]*)|(?:^|[\s'"\[,])(?:export\s+)?(?P<a>[A-Za-z_][A-Za-z0-9_]*)="#,
    )
    .expect("valid regex")
});

/// An upper-case key set in JSON/TOML/INI (`"DEEPSEEK_API_KEY": …`, `DEEPSEEK_API_KEY = …`,
/// `"start": "DEEPSEEK_API_KEY=… node app.js"`): upper-case keys there are env settings
/// (`vercel.json`, `devcontainer.json`, `fly.toml [env]`, `tox.ini setenv`).
static UPPER_KEY_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)(?:^|[{,\s])["']?(?P<n>[A-Z][A-Z0-9_]*[A-Z0-9])["']?[ \t]*[:=]"#)
        .expect("valid regex")
});

static YAML_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?:environment|env|variables)[ \t]*:[ \t]*(?:#.*)?$",
    )
    .expect("valid regex")
});

static YAML_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^[ \t]*(?:-[ \t]+(?:name[ \t]*:[ \t]*)?["']?(?P<l>[A-Za-z_][A-Za-z0-9_]*)|["']?(?P<k>[A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*:)"#,
    )
    .expect("valid regex")
});

/// Names a configuration file defines (for the whole run's definition set).
pub fn collect_definitions(kind: FileKind, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    match kind {
        FileKind::Env => {
            for c in ENV_DEF.captures_iter(text) {
                if let Some(n) = c.name("n") {
                    out.push(n.as_str().to_string());
                }
            }
        }
        FileKind::Shell => {
            for c in SHELL_DEF.captures_iter(text) {
                if let Some(n) = c.name("n") {
                    out.push(n.as_str().to_string());
                }
            }
        }
        FileKind::Dockerfile => {
            for c in DOCKER_DEF.captures_iter(text) {
                let Some(rest) = c.name("rest") else { continue };
                let rest = rest.as_str();
                let mut any = false;
                for p in DOCKER_PAIR.captures_iter(rest) {
                    if let Some(n) = p.name("n") {
                        out.push(n.as_str().to_string());
                        any = true;
                    }
                }
                if !any {
                    // `ENV NAME value` / `ARG NAME`
                    if let Some(m) = IDENT.find(rest) {
                        if m.start() == 0 {
                            out.push(m.as_str().to_string());
                        }
                    }
                }
            }
        }
        FileKind::Json | FileKind::Toml | FileKind::Ini => {
            for c in UPPER_KEY_DEF.captures_iter(text) {
                if let Some(n) = c.name("n") {
                    out.push(n.as_str().to_string());
                }
            }
        }
        FileKind::Yaml => {
            for c in YAML_SECRET_REF.captures_iter(text) {
                if let Some(n) = c.name("n").or_else(|| c.name("a")) {
                    out.push(n.as_str().to_string());
                }
            }
            yaml_env_blocks(text, &mut out);
        }
        _ => {}
    }
    let mut seen = HashSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// Keys of `environment:` / `env:` / `variables:` blocks (map and list forms, including
/// Kubernetes `- name: X`), direct children only.
fn yaml_env_blocks(text: &str, out: &mut Vec<String>) {
    // (indent of the block's key, indent of its children once seen)
    let mut block: Option<(usize, Option<usize>)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some((parent, child)) = block {
            // Children sit deeper than the key, or (a list) at the key's own indent.
            let is_child = indent > parent
                || (indent == parent
                    && trimmed.starts_with('-')
                    && child.is_none_or(|c| c == indent));
            if is_child {
                let ci = child.unwrap_or(indent);
                block = Some((parent, Some(ci)));
                if indent == ci {
                    if let Some(n) = YAML_ITEM
                        .captures(line)
                        .and_then(|c| c.name("l").or_else(|| c.name("k")))
                    {
                        out.push(n.as_str().to_string());
                    }
                }
                continue;
            }
            block = None;
        }
        if let Some(c) = YAML_BLOCK.captures(line) {
            let mut parent = c.name("indent").map_or(0, |m| m.len());
            if trimmed.starts_with('-') {
                // `- env:` inside a list item: children sit past the dash.
                parent += 1;
            }
            block = Some((parent, None));
        }
    }
}

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
fn is_key_or_url(name: &str) -> bool {
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
struct Name<'a> {
    raw: &'a str,
    upper: String,
    letters: String,
    words: Vec<String>,
}

impl<'a> Name<'a> {
    fn new(raw: &'a str) -> Name<'a> {
        let upper = raw.to_ascii_uppercase();
        Name {
            raw,
            letters: upper.chars().filter(|c| c.is_ascii_alphabetic()).collect(),
            words: canonical_words(&upper),
            upper,
        }
    }
}

fn is_near_with(a: &Name<'_>, b: &Name<'_>) -> bool {
    if a.raw == b.raw {
        return false;
    }
    if a.upper == b.upper {
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

/// True when [`check`] can use a file of `kind` holding `text`: code (not minified) that reads
/// or writes an env var, or a config that defines one. The engine keeps no other file's text.
pub fn contributes(kind: FileKind, text: &str) -> bool {
    if is_code_like(kind) {
        !crate::source::is_minified(text) && !collect_reads(kind, text).is_empty()
    } else {
        !collect_definitions(kind, text).is_empty()
    }
}

/// Runs DS603 over the collected files.
pub fn check(ctx: &ProjectCtx<'_>) -> Vec<ProjectHit> {
    // name → first file defining it.
    let mut defined: BTreeMap<String, &ProjectFile> = BTreeMap::new();
    let mut reads: Vec<(&ProjectFile, Vec<Read>)> = Vec::new();
    for f in ctx.files {
        if is_code_like(f.kind) {
            if crate::source::is_minified(&f.text) {
                // Bundles are build output: their env reads were inlined from the sources.
                continue;
            }
            let (writes, r): (Vec<Read>, Vec<Read>) = collect_reads(f.kind, &f.text)
                .into_iter()
                .partition(|r| r.is_write);
            for w in writes {
                defined.entry(w.name).or_insert(f);
            }
            if !r.is_empty() {
                let mut r = r;
                r.sort_by_key(|x| x.range.start);
                reads.push((f, r));
            }
        } else {
            for name in collect_definitions(f.kind, &f.text) {
                defined.entry(name).or_insert(f);
            }
        }
    }
    if defined.is_empty() {
        return Vec::new();
    }
    let defined_upper: HashSet<String> = defined.keys().map(|k| k.to_ascii_uppercase()).collect();
    // Only DeepSeek-like definitions can be near a DeepSeek read: few, whatever the repo size.
    let candidates: Vec<Name<'_>> = defined
        .keys()
        .filter(|d| looks_deepseekish(d))
        .map(|d| Name::new(d))
        .collect();
    let mut near_cache: HashMap<String, Option<&str>> = HashMap::new();
    let mut out = Vec::new();
    for (file, file_reads) in &reads {
        let read_here: HashSet<&str> = file_reads.iter().map(|r| r.name.as_str()).collect();
        // Only the first read of each name in a file is judged (and reported).
        let mut seen: HashSet<&str> = HashSet::new();
        for read in file_reads {
            let name = read.name.as_str();
            if !seen.insert(name) {
                continue;
            }
            if !is_deepseek_name(name) || !is_key_or_url(name) || defined.contains_key(name) {
                continue;
            }
            if read.case_insensitive && defined_upper.contains(&name.to_ascii_uppercase()) {
                continue;
            }
            // Each distinct name is compared with the definitions once per run.
            let near = *near_cache
                .entry(name.to_string())
                .or_insert_with(|| best_near(name, &candidates));
            let near = near.filter(|d| !read_here.contains(d));
            let Some(near) = near else { continue };
            let source = &defined[near].display;
            let hit = Hit::at(read.range.clone())
                .arg("read", name)
                .arg("defined", near)
                .message(format!(
                    "`{name}` is read here but defined nowhere in the repository, while `{source}` defines `{near}`: the variable will be unset at run time"
                ))
                .help(format!(
                    "use one name everywhere: read `{near}` here, or rename it to `{name}` in `{source}` (and wherever else it is set)"
                ));
            out.push(ProjectHit {
                display: file.display.clone(),
                text: Arc::clone(&file.text),
                hit,
            });
        }
    }
    out
}

/// The closest defined name to `read` (smallest edit distance, then alphabetical).
fn best_near<'d>(read: &str, candidates: &[Name<'d>]) -> Option<&'d str> {
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
fn looks_deepseekish(name: &str) -> bool {
    let upper: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    ["DEEP", "SEEK", "DEPS", "PSEK"]
        .iter()
        .any(|w| upper.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(reads: &[Read]) -> Vec<&str> {
        reads.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn python_reads() {
        let src = "import os\nk = os.environ[\"DEEPSEEK_KEY\"]\nu = os.getenv('DEEPSEEK_BASE_URL', 'x')\nv = os.environ.get(\"A\")\n# os.getenv(\"COMMENTED\")\nclass S(BaseSettings):\n    deepseek_api_key: str = Field(env=\"DS_KEY\")\n    model_config = SettingsConfigDict()\n\n    def f(self):\n        x: int = 1\n";
        let r = collect_reads(FileKind::Python, src);
        assert_eq!(
            names(&r),
            [
                "DEEPSEEK_KEY",
                "DEEPSEEK_BASE_URL",
                "A",
                "DS_KEY",
                "DEEPSEEK_API_KEY"
            ]
        );
        assert_eq!(&src[r[0].range.clone()], "DEEPSEEK_KEY");
        assert!(r[4].case_insensitive);
    }

    #[test]
    fn js_and_rust_reads() {
        let js = "const a = process.env.DEEPSEEK_KEY;\nconst b = import.meta.env.VITE_X;\nconst c = process.env[\"Y\"];\nconst { DEEP_SEEK_API_KEY, Z: z = 1 } = process.env;\n";
        let r = collect_reads(FileKind::TypeScript, js);
        assert_eq!(
            names(&r),
            ["DEEPSEEK_KEY", "VITE_X", "Y", "DEEP_SEEK_API_KEY", "Z"]
        );
        assert_eq!(&js[r[3].range.clone()], "DEEP_SEEK_API_KEY");
        let rs = "let k = std::env::var(\"DEEPSEEK_KEY\")?; let u = dotenvy::var(\"U\"); let o = option_env!(\"O\");";
        assert_eq!(
            names(&collect_reads(FileKind::Rust, rs)),
            ["DEEPSEEK_KEY", "U", "O"]
        );
    }

    #[test]
    fn writes_are_not_reads() {
        let py = "os.environ[\"DEEPSEEK_KEY\"] = \"x\"\nmonkeypatch.setenv(\"DEEPSEEK_TOKEN\", \"t\")\nif os.environ[\"A\"] == \"b\": pass\n";
        let r = collect_reads(FileKind::Python, py);
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.name.as_str(), r.is_write)).collect();
        assert_eq!(
            got,
            [
                ("DEEPSEEK_KEY", true),
                ("A", false),
                ("DEEPSEEK_TOKEN", true)
            ]
        );
        let js = "process.env.DEEPSEEK_KEY = 'x';\nif (process.env.B === 'y') {}\n";
        let got: Vec<bool> = collect_reads(FileKind::JavaScript, js)
            .iter()
            .map(|r| r.is_write)
            .collect();
        assert_eq!(got, [true, false]);
        let gha = "steps:\n  - run: DEEPSEEK_API_KEY=${{ secrets.DS }} pytest\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, gha),
            ["DEEPSEEK_API_KEY", "DS"]
        );
    }

    #[test]
    fn notebooks_and_structured_configs() {
        let nb = r#"{"cells": [{"source": ["k = os.environ[\"DEEPSEEK_KEY\"]\n", "os.environ[\"B\"] = \"x\"\n"]}]}"#;
        let r = collect_reads(FileKind::Notebook, nb);
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.name.as_str(), r.is_write)).collect();
        assert_eq!(got, [("DEEPSEEK_KEY", false), ("B", true)]);
        assert_eq!(&nb[r[0].range.clone()], "DEEPSEEK_KEY");
        let json = r#"{"env": {"DEEPSEEK_API_KEY": "@key"}, "scripts": {"dev": "DEEPSEEK_BASE_URL=x node a.js"}, "name": "x"}"#;
        assert_eq!(
            collect_definitions(FileKind::Json, json),
            ["DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL"]
        );
        let toml = "[env]\n  DEEPSEEK_API_KEY = \"x\"\nname = \"y\"\n";
        assert_eq!(
            collect_definitions(FileKind::Toml, toml),
            ["DEEPSEEK_API_KEY"]
        );
        let py = "from decouple import config\nk = config(\"DEEPSEEK_KEY\")\nu = env.str('DEEPSEEK_URL')\n";
        assert_eq!(
            names(&collect_reads(FileKind::Python, py)),
            ["DEEPSEEK_KEY", "DEEPSEEK_URL"]
        );
    }

    #[test]
    fn only_files_with_reads_or_definitions_contribute() {
        let py = "import os\n# deepseek\nkey = os.getenv(\"DEEPSEEK_KEY\")\n";
        assert!(contributes(FileKind::Python, py));
        assert!(!contributes(FileKind::Python, "# deepseek client\nx = 1\n"));
        let bundle = format!("{}process.env.DEEPSEEK_KEY", "x".repeat(6000));
        assert!(!contributes(FileKind::JavaScript, &bundle));
        assert!(contributes(FileKind::Env, "DEEPSEEK_API_KEY=x\n"));
        assert!(!contributes(FileKind::Yaml, "deepseek: {model: v4}\n"));
    }

    #[test]
    fn definitions() {
        let env = "# c\nexport DEEPSEEK_API_KEY=sk-x\nOTHER = 1\n";
        assert_eq!(
            collect_definitions(FileKind::Env, env),
            ["DEEPSEEK_API_KEY", "OTHER"]
        );
        let compose = "services:\n  app:\n    environment:\n      - DEEPSEEK_API_KEY=${KEY}\n      - PLAIN\n    ports:\n      - \"80:80\"\n  db:\n    environment:\n      POSTGRES_USER: x\n      NESTED:\n        deep: 1\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, compose),
            ["DEEPSEEK_API_KEY", "PLAIN", "POSTGRES_USER", "NESTED"]
        );
        let gha = "jobs:\n  t:\n    steps:\n      - run: x\n        env:\n          DEEPSEEK_KEY: ${{ secrets.DS_SECRET }}\n      - env:\n          B: 1\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, gha),
            ["DS_SECRET", "DEEPSEEK_KEY", "B"]
        );
        let k8s = "env:\n- name: DEEPSEEK_API_KEY\n  valueFrom:\n    secretKeyRef:\n      name: s\n- name: B\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, k8s),
            ["DEEPSEEK_API_KEY", "B"]
        );
        let docker =
            "FROM x\nENV DEEPSEEK_API_KEY=\"\" OTHER=1\nARG DEEPSEEK_BASE_URL\nENV LEGACY value\n";
        assert_eq!(
            collect_definitions(FileKind::Dockerfile, docker),
            ["DEEPSEEK_API_KEY", "OTHER", "DEEPSEEK_BASE_URL", "LEGACY"]
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        let pieces = [
            "os.environ[\"",
            "DEEPSEEK_KEY",
            "\"]",
            " = ",
            "\u{feff}",
            "é",
            "\\",
            "\n",
            "#",
            "process.env.",
            "{",
            "}",
            "= process.env",
            "env:\n",
            "  - ",
            "ENV ",
            "class S(BaseSettings):\n",
            "    f: str\n",
            "\r\n",
            "'",
            "`",
            "export ",
            "=",
            "secrets.",
            "\u{1F600}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..40 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for kind in FileKind::ALL {
                for r in collect_reads(kind, &text) {
                    assert!(text.get(r.range.clone()).is_some());
                }
                let _ = collect_definitions(kind, &text);
            }
        }
    }

    #[test]
    fn near_names() {
        for d in [
            "DEEPSEEK_KEY",
            "DEEP_SEEK_API_KEY",
            "DEEPSEEK_APIKEY",
            "API_KEY_DEEPSEEK",
            "DEEPSEEK_API_KEYS",
            "deepseek_api_key",
        ] {
            assert!(is_near("DEEPSEEK_API_KEY", d), "{d}");
        }
        for d in [
            "DEEPSEEK_API_KEY",
            "DEEPSEEK_BASE_URL",
            "DEEPSEEK_API_KEY_2",
            "OPENAI_API_KEY",
            "NEXT_PUBLIC_DEEPSEEK_API_KEY",
        ] {
            assert!(!is_near("DEEPSEEK_API_KEY", d), "{d}");
        }
        assert!(!is_near("DEEPSEEK_API_KEY_1", "DEEPSEEK_API_KEY_2"));
        assert!(is_deepseek_name("deep-seek-key"));
        assert!(!is_deepseek_name("OPENAI_API_KEY"));
    }
}
