//! Fact extraction for text formats (env, YAML, JSON, TOML, INI, shell, Dockerfile).
//!
//! Markdown code blocks and notebook cells arrive here already split into documents of these
//! kinds. What is found:
//! - `urls`: every `http(s)://` URL, span = the URL (with its quotes when quoted);
//! - `mentions_deepseek`: a key, variable or setting name containing `DEEPSEEK`;
//! - `requests` (shell, Dockerfile): one per `curl` command, `api = "http"`, with the URL, the
//!   model from the `-d`/`--data`/`--json` JSON body and the key from the `Authorization`
//!   header;
//! - `env_reads` (shell, Dockerfile): `$VAR`, `${VAR}`, `${VAR:-default}`;
//! - `models`: model positions not attached to a request: `"model": "x"` (any kind, e.g. JSON,
//!   heredocs), `model: x` (YAML), `model = "x"` (TOML, INI), `*MODEL*=x` (env, shell, Dockerfile
//!   `ENV`/`ARG`), `${MODEL:-x}` defaults and `--model x` (shell).
//!
//! Spans are byte ranges in the document; a quoted value's span includes its quotes, like a
//! string literal node in code.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Facts, Value};
use crate::settings::Settings;
use crate::source::{Document, FileKind};

/// Extracts model sites, URLs, env reads and `curl` requests from a text document.
pub fn extract(doc: &Document, _settings: &Settings) -> Facts {
    let text = doc.text.as_str();
    let mut facts = Facts {
        urls: urls(text),
        mentions_deepseek: mentions_deepseek(text),
        ..Facts::default()
    };
    if matches!(doc.kind, FileKind::Shell | FileKind::Dockerfile) {
        facts.requests = curl_requests(text);
        facts.env_reads = shell_env_reads(text);
    }
    if doc.kind == FileKind::Yaml {
        facts.requests.extend(litellm_yaml_requests(text));
    }
    let taken: Vec<Range<usize>> = facts
        .requests
        .iter()
        .filter_map(|r| r.model.as_ref().map(|m| m.span.clone()))
        .collect();
    let mut models = model_sites(text, doc.kind);
    models.retain(|m| !taken.iter().any(|t| overlaps(t, &m.value.span)));
    models.sort_by_key(|m| m.value.span.start);
    models.dedup_by(|a, b| overlaps(&a.value.span, &b.value.span));
    facts.model_scopes = super::sections::model_scopes(text, doc.kind, &models, &facts.urls);
    facts.models = models;
    facts
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

// ---------------------------------------------------------------------------------------
// URLs and names.

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"https?://[A-Za-z0-9\-._~%!$&*+,;=:@/?#\[\]]+"#).expect("valid regex")
});

/// Every `http(s)://` URL; trailing punctuation is dropped, quotes around it are in the span.
fn urls(text: &str) -> Vec<Value> {
    let bytes = text.as_bytes();
    URL.find_iter(text)
        .map(|m| {
            let mut end = m.end();
            while end > m.start()
                && matches!(bytes[end - 1], b'.' | b',' | b';' | b':' | b')' | b']')
            {
                end -= 1;
            }
            let url = &text[m.start()..end];
            let mut span = m.start()..end;
            if m.start() > 0 {
                let q = bytes[m.start() - 1];
                if matches!(q, b'"' | b'\'') && bytes.get(end) == Some(&q) {
                    span = m.start() - 1..end + 1;
                }
            }
            str_value(url, span)
        })
        .collect()
}

/// A name (key, variable, setting) containing `deepseek`: not a URL host (`api.deepseek.com`)
/// nor a model ID (`deepseek-v4-flash`).
fn mentions_deepseek(text: &str) -> bool {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[A-Za-z0-9_]*deepseek[A-Za-z0-9_]*").expect("valid regex")
    });
    let bytes = text.as_bytes();
    NAME.find_iter(text).any(|m| {
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        !matches!(before, Some(b'.' | b'/' | b'-' | b'@'))
            && !matches!(after, Some(b'.' | b'-' | b'/'))
    })
}

mod models;
mod scan;
mod shell;

pub use models::{escaped_json_models, json_pairs_in_code};
use models::{litellm_yaml_requests, model_sites};
use scan::str_value;
pub use shell::curl_word_spans;
use shell::{curl_requests, shell_env_reads};

#[cfg(test)]
mod tests;
