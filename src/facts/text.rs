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

use super::{EnvRead, Facts, ModelSite, Request, Value, ValueKind};
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

fn str_value(s: &str, span: Range<usize>) -> Value {
    Value {
        kind: ValueKind::Str(s.to_string()),
        span: span.clone(),
        use_span: span,
    }
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

// ---------------------------------------------------------------------------------------
// Shell: env reads and curl.

/// `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` / `${VAR:=default}`.
fn shell_env_reads(text: &str) -> Vec<EnvRead> {
    static VAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\$(?:\{(?P<b>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-=?+])(?P<d>[^}\n]*))?\}|(?P<n>[A-Za-z_][A-Za-z0-9_]*))")
            .expect("valid regex")
    });
    let mut out = Vec::new();
    for (ln_start, line) in lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let single = single_quoted_ranges(line);
        for c in VAR.captures_iter(line) {
            let Some(name) = c.name("b").or_else(|| c.name("n")) else {
                continue;
            };
            let whole = c.get(0).map_or(0..0, |m| m.range());
            if single.iter().any(|r| r.contains(&whole.start)) {
                continue;
            }
            let (default, default_span) = match (c.name("op"), c.name("d")) {
                (Some(op), Some(d)) if op.as_str().ends_with(['-', '=']) => (
                    Some(unquote(d.as_str()).to_string()),
                    Some(ln_start + d.start()..ln_start + d.end()),
                ),
                _ => (None, None),
            };
            out.push(EnvRead {
                name: name.as_str().to_string(),
                span: ln_start + name.start()..ln_start + name.end(),
                default,
                default_span,
                via: "shell".into(),
            });
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    let t = s.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return &t[1..t.len() - 1];
        }
    }
    t
}

/// Lines with their start offsets.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, l.trim_end_matches(['\n', '\r']))
    })
}

/// Byte ranges of `'…'` strings in a shell line (no expansion inside them).
fn single_quoted_ranges(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_double = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => in_double = !in_double,
            b'\'' if !in_double => {
                let end = line[i + 1..].find('\'').map_or(bytes.len(), |n| i + 1 + n);
                out.push(i..end + 1);
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A shell word: its raw span and its text with quotes removed (no expansion).
#[derive(Debug)]
struct Word {
    span: Range<usize>,
    text: String,
}

/// Splits one shell command starting at `at` into words; stops at a newline (not escaped),
/// `;`, `|`, `&`, `)` or a comment outside quotes. Returns the words and the end offset.
fn command_words(text: &str, at: usize) -> (Vec<Word>, usize) {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = at;
    loop {
        while i < bytes.len() {
            if matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            } else if bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'\n' | b'\r')) {
                i += 2;
                if bytes.get(i - 1) == Some(&b'\r') && bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
            } else {
                break;
            }
        }
        if i >= bytes.len() || matches!(bytes[i], b'\n' | b'\r' | b';' | b'|' | b'&' | b')' | b'#')
        {
            return (words, i);
        }
        let start = i;
        let mut w = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | b';' | b'|' | b'&' | b')' => break,
                b'\\' => {
                    if matches!(bytes.get(i + 1), Some(b'\n' | b'\r') | None) {
                        break;
                    }
                    let c = text[i + 1..].chars().next().unwrap_or(' ');
                    w.push(c);
                    i += 1 + c.len_utf8();
                }
                b'\'' | b'"' => {
                    let mut close = i + 1;
                    while close < bytes.len() && bytes[close] != b {
                        close += if b == b'"' && bytes[close] == b'\\' {
                            2
                        } else {
                            1
                        };
                    }
                    let close = close.min(bytes.len());
                    let inner = &text[i + 1..close.min(bytes.len())];
                    if b == b'"' {
                        w.push_str(&inner.replace("\\\"", "\"").replace("\\\\", "\\"));
                    } else {
                        w.push_str(inner);
                    }
                    i = (close + 1).min(bytes.len());
                }
                _ => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    w.push(c);
                    i += c.len_utf8();
                }
            }
        }
        words.push(Word {
            span: start..i,
            text: w,
        });
        if words.len() > 4096 {
            return (words, i);
        }
    }
}

/// curl options that take an argument (the next word).
const CURL_ARG_OPTS: &[&str] = &[
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-ascii",
    "--data-urlencode",
    "--json",
    "-X",
    "--request",
    "-o",
    "--output",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-F",
    "--form",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-x",
    "--proxy",
    "--retry",
    "-w",
    "--write-out",
    "--cacert",
    "--cert",
    "--key",
    "-T",
    "--upload-file",
    "--url",
    "-K",
    "--config",
    "--resolve",
    "--retry-delay",
    "--retry-max-time",
    "-r",
    "--range",
    "-y",
    "-Y",
];

/// One `http` request per `curl` command.
/// The start of a `curl` command (capture `c`).
static CURL_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?:^|[;&|(`]|\$\(|\$ |^\s*>\s*|(?-u:\b)RUN[ \t]+|(?-u:\b)sudo[ \t]+)[ \t]*(?P<c>curl)(?-u:\b)",
    )
    .expect("valid regex")
});

/// Every `curl` command in `text`: the span of its `curl` word and its words. A command that
/// starts inside the words of the previous one (a `curl` in its arguments) is skipped.
fn curl_commands(text: &str) -> Vec<(Range<usize>, Vec<Word>)> {
    let mut out = Vec::new();
    let mut next_from = 0;
    for c in CURL_COMMAND.captures_iter(text) {
        let Some(cm) = c.name("c") else { continue };
        if cm.start() < next_from {
            continue;
        }
        let (words, end) = command_words(text, cm.end());
        next_from = end;
        out.push((cm.range(), words));
    }
    out
}

fn curl_requests(text: &str) -> Vec<Request> {
    curl_commands(text)
        .into_iter()
        .filter_map(|(curl, words)| curl_request(text, curl, &words))
        .collect()
}

/// The raw spans (quotes included) of the words of every `curl` command: where a fix looks
/// for the quoted request body that holds a model.
pub fn curl_word_spans(text: &str) -> Vec<Range<usize>> {
    curl_commands(text)
        .into_iter()
        .flat_map(|(_, words)| words.into_iter().map(|w| w.span))
        .collect()
}

fn curl_request(text: &str, curl: Range<usize>, words: &[Word]) -> Option<Request> {
    let mut url: Option<&Word> = None;
    let mut data: Vec<&Word> = Vec::new();
    let mut auth: Option<&Word> = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let t = w.text.as_str();
        let (opt, inline) = match t.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o, Some(v)),
            _ => (t, None),
        };
        if opt.starts_with('-') && opt.len() > 1 {
            let takes = CURL_ARG_OPTS.contains(&opt);
            // `-H'Authorization: …'` / `-d{…}` glued to a short option.
            let glued = !takes
                && opt.len() > 2
                && !opt.starts_with("--")
                && opt.get(..2).is_some_and(|o| CURL_ARG_OPTS.contains(&o));
            let (name, arg): (&str, Option<&Word>) = if glued {
                (opt.get(..2).unwrap_or(opt), Some(w))
            } else if takes && inline.is_none() {
                i += 1;
                (opt, words.get(i))
            } else {
                (opt, if inline.is_some() { Some(w) } else { None })
            };
            if let Some(arg) = arg {
                match name {
                    "-H" | "--header" => {
                        let v = header_text(arg, glued, inline.is_some());
                        if v.to_ascii_lowercase().starts_with("authorization") {
                            auth = Some(arg);
                        }
                    }
                    "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii"
                    | "--json" => data.push(arg),
                    "--url" => url = url.or(Some(arg)),
                    _ => {}
                }
            }
        } else if url.is_none() && looks_like_url(t) {
            url = Some(w);
        }
        i += 1;
    }
    let url_value = url.map(|w| {
        let kind = if w.text.contains('$') || w.text.contains('`') {
            ValueKind::Other(w.text.clone())
        } else {
            ValueKind::Str(w.text.clone())
        };
        Value {
            kind,
            span: w.span.clone(),
            use_span: w.span.clone(),
        }
    });
    let model = data.iter().find_map(|w| json_model(text, w.span.clone()));
    let api_key = auth.map(|w| auth_key(&w.text, w.span.clone()));
    let api_span = url.map_or(curl.clone(), |w| w.span.clone());
    Some(Request {
        receiver: None,
        client: None,
        api: "http".into(),
        api_span,
        model,
        url: url_value,
        api_key,
    })
}

fn header_text(arg: &Word, glued: bool, inline: bool) -> &str {
    let t = arg.text.as_str();
    if glued {
        t.get(2..).unwrap_or("")
    } else if inline {
        t.split_once('=').map_or(t, |(_, v)| v)
    } else {
        t
    }
}

fn looks_like_url(t: &str) -> bool {
    t.starts_with("http://")
        || t.starts_with("https://")
        || ((t.starts_with('$') || t.starts_with("localhost")) && t.contains('/'))
}

/// The key in an `Authorization: Bearer <key>` header value.
fn auth_key(header: &str, span: Range<usize>) -> Value {
    let v = header.split_once(':').map_or(header, |(_, v)| v).trim();
    let v = match v.split_once(char::is_whitespace) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => v,
    };
    static ENV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\$(?:\{(?P<b>[A-Za-z_]\w*)(?::?-(?P<d>[^}]*))?\}|(?P<n>[A-Za-z_]\w*))$")
            .expect("valid regex")
    });
    let kind = match ENV.captures(v) {
        Some(c) => ValueKind::Env {
            name: c
                .name("b")
                .or_else(|| c.name("n"))
                .map_or(String::new(), |m| m.as_str().to_string()),
            default: c.name("d").map(|d| d.as_str().to_string()),
        },
        None if v.contains('$') || v.contains('`') => ValueKind::Other(v.to_string()),
        None => ValueKind::Str(v.to_string()),
    };
    Value {
        kind,
        span: span.clone(),
        use_span: span,
    }
}

/// `"model": "x"` inside a raw data word (quotes possibly escaped as `\"`).
fn json_model(text: &str, span: Range<usize>) -> Option<Value> {
    static MODEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\\?"model\\?"\s*:\s*(?P<v>\\?"(?P<id>[^"\\]+)\\?")"#).expect("valid regex")
    });
    let raw = text.get(span.clone())?;
    let c = MODEL.captures(raw)?;
    let v = c.name("v")?;
    let id = c.name("id")?;
    let span = if v.as_str().starts_with('\\') {
        span.start + id.start()..span.start + id.end()
    } else {
        span.start + v.start()..span.start + v.end()
    };
    Some(str_value(id.as_str(), span))
}

// ---------------------------------------------------------------------------------------
// JSON inside strings.

/// `\"model\": \"x\"`: a model key/value pair of JSON encoded inside a string (a Postman
/// `raw` body, an escaped request body in code). The span is the ID itself.
pub fn escaped_json_models(text: &str) -> Vec<Value> {
    static ESCAPED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\\"(?P<k>[A-Za-z_][\w-]*)\\"\s*:\s*\\"(?P<id>[^"\\\n]*)\\""#)
            .expect("valid regex")
    });
    if !text.contains("\\\"") {
        return Vec::new();
    }
    ESCAPED
        .captures_iter(text)
        .filter_map(|c| {
            let (k, id) = (c.name("k")?, c.name("id")?);
            (is_model_key(k.as_str()) && plausible_model(id.as_str()))
                .then(|| str_value(id.as_str(), id.range()))
        })
        .collect()
}

/// Model pairs of JSON written inside string literals of code (`'{"model": "x"}'`,
/// `` `{"model": "${m}"}` ``, `"{\"model\": \"x\"}"`, Rust `r#"{"model": "x"}"#`): every
/// `"model": "x"` pair, plain or escaped; the caller keeps those that lie strictly inside a
/// string literal node.
pub fn json_pairs_in_code(text: &str) -> Vec<Value> {
    static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""(?P<k>[A-Za-z_][\w-]*)"\s*:\s*(?P<v>"(?P<id>[^"\\\n]*)")"#)
            .expect("valid regex")
    });
    let mut out: Vec<Value> = PLAIN
        .captures_iter(text)
        .filter_map(|c| {
            let (k, v, id) = (c.name("k")?, c.name("v")?, c.name("id")?);
            (is_model_key(k.as_str()) && plausible_model(id.as_str()))
                .then(|| str_value(id.as_str(), v.range()))
        })
        .collect();
    out.extend(escaped_json_models(text));
    out
}

// ---------------------------------------------------------------------------------------
// litellm proxy config.

/// litellm proxy YAML: each `model:` under a `litellm_params:` block is a litellm request
/// (`deepseek/deepseek-chat` routes to the official API), with the block's `api_base` and
/// `api_key` when given.
fn litellm_yaml_requests(text: &str) -> Vec<Request> {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?P<ind>\s*)(?:-\s+)?(?P<k>[A-Za-z_][\w-]*)\s*:\s*(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s#"'][^#\n]*?)?\s*(?:#.*)?$"#)
            .expect("valid regex")
    });
    if !text.contains("litellm_params") {
        return Vec::new();
    }
    let mut out: Vec<Request> = Vec::new();
    // Indent of the open `litellm_params:` block, if inside one.
    let mut block: Option<usize> = None;
    for (ln_start, line) in lines(text) {
        let Some(c) = KEY.captures(line) else {
            continue;
        };
        let (Some(ind), Some(k)) = (c.name("ind"), c.name("k")) else {
            continue;
        };
        // A `- ` list marker counts as indentation for the key after it.
        let indent = k.start().max(ind.end());
        if block.is_some_and(|b| indent <= b) {
            block = None;
        }
        let key = k.as_str();
        if key == "litellm_params" {
            block = Some(indent);
            out.push(Request {
                receiver: None,
                client: None,
                api: "litellm.completion".into(),
                api_span: ln_start + k.start()..ln_start + k.end(),
                model: None,
                url: None,
                api_key: None,
            });
            continue;
        }
        let (Some(_), Some(v), Some(r)) = (block, c.name("v"), out.last_mut()) else {
            continue;
        };
        let value = unquote(v.as_str());
        let span = ln_start + v.start()..ln_start + v.end();
        match key {
            "model" if plausible_model(value) => r.model = Some(str_value(value, span)),
            "api_base" | "base_url" => r.url = Some(str_value(value, span)),
            "api_key" => {
                r.api_key = Some(Value {
                    kind: match value.strip_prefix("os.environ/") {
                        Some(name) => ValueKind::Env {
                            name: name.to_string(),
                            default: None,
                        },
                        None => ValueKind::Str(value.to_string()),
                    },
                    span: span.clone(),
                    use_span: span,
                })
            }
            _ => {}
        }
    }
    out.retain(|r| r.model.is_some());
    out
}

// ---------------------------------------------------------------------------------------
// Model sites.

/// True for keys that hold a model ID.
fn is_model_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace('-', "_");
    k == "model"
        || k.ends_with("_model")
        || k.ends_with("model_name")
        || k.ends_with("model_id")
        || k.ends_with("modelname")
        || k.ends_with("modelid")
        || (k.ends_with("model") && k.len() <= 24)
}

/// A plausible model ID: no spaces, no placeholders.
fn plausible_model(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 120
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/' | '@'))
        && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && !matches!(v, "true" | "false" | "null" | "none" | "None")
}

fn model_sites(text: &str, kind: FileKind) -> Vec<ModelSite> {
    let mut out = Vec::new();
    // `"model": "x"` anywhere (JSON, YAML flow maps, heredoc bodies, JSON in env values).
    static JSON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"["'](?P<k>[A-Za-z_][\w-]*)["']\s*:\s*(?P<v>"(?P<id>[^"\\\n]*)")"#)
            .expect("valid regex")
    });
    for c in JSON.captures_iter(text) {
        if let (Some(k), Some(v), Some(id)) = (c.name("k"), c.name("v"), c.name("id")) {
            if is_model_key(k.as_str()) && plausible_model(id.as_str()) {
                out.push(ModelSite {
                    value: str_value(id.as_str(), v.range()),
                });
            }
        }
    }
    // JSON encoded inside a string value: Postman `raw` bodies, request bodies kept in a
    // config value (`"body": "{\"model\": \"x\"}"`).
    out.extend(
        escaped_json_models(text)
            .into_iter()
            .map(|value| ModelSite { value }),
    );
    let line_re: &Regex = match kind {
        FileKind::Yaml => {
            static R: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r#"^\s*(?:-\s+)?["']?(?P<k>[A-Za-z_][\w-]*)["']?\s*:\s+(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s#"'{}\[\],][^#\n]*?)\s*(?:#.*)?$"#)
                    .expect("valid regex")
            });
            &R
        }
        FileKind::Toml | FileKind::Ini => {
            static R: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r#"^\s*["']?(?P<k>[A-Za-z_][\w.-]*)["']?\s*[=:]\s*(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s#;"'\[{][^#;\n]*?)\s*(?:[#;].*)?$"#)
                    .expect("valid regex")
            });
            &R
        }
        FileKind::Env | FileKind::Shell | FileKind::Dockerfile => {
            static R: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r#"^\s*(?:export\s+|ENV\s+|ARG\s+|-e\s+)?(?P<k>[A-Za-z_][A-Za-z0-9_]*)(?:=|\s+(?:[A-Za-z_]*MODEL[A-Za-z_]*=)?)(?P<v>"[^"\n]*"|'[^'\n]*'|[^\s#"'$][^\s#]*)"#)
                    .expect("valid regex")
            });
            &R
        }
        _ => return out,
    };
    for (ln_start, line) in lines(text) {
        let Some(c) = line_re.captures(line) else {
            continue;
        };
        let (Some(k), Some(v)) = (c.name("k"), c.name("v")) else {
            continue;
        };
        let key = k.as_str();
        let env_like = matches!(kind, FileKind::Env | FileKind::Shell | FileKind::Dockerfile);
        let is_model = if env_like {
            key.to_ascii_uppercase().contains("MODEL")
        } else {
            is_model_key(key.rsplit('.').next().unwrap_or(key))
        };
        if !is_model {
            continue;
        }
        if kind == FileKind::Dockerfile && key.eq_ignore_ascii_case("env") {
            continue;
        }
        let id = unquote(v.as_str());
        if plausible_model(id) {
            out.push(ModelSite {
                value: str_value(id, ln_start + v.start()..ln_start + v.end()),
            });
        }
    }
    // Dockerfile `ENV DEEPSEEK_MODEL deepseek-v4-flash` (space form).
    if kind == FileKind::Dockerfile {
        static SPACE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?m)^\s*ENV\s+(?P<k>[A-Za-z_]*MODEL[A-Za-z_]*)\s+(?P<v>[A-Za-z0-9][\w.:/@-]*)\s*$")
                .expect("valid regex")
        });
        for c in SPACE.captures_iter(text) {
            if let Some(v) = c.name("v") {
                out.push(ModelSite {
                    value: str_value(v.as_str(), v.range()),
                });
            }
        }
    }
    if matches!(
        kind,
        FileKind::Shell | FileKind::Dockerfile | FileKind::Yaml | FileKind::Env
    ) {
        // `${DEEPSEEK_MODEL:-x}` defaults and `--model x`.
        static DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\$\{[A-Za-z_]*MODEL[A-Za-z_]*:?[-=](?P<v>[A-Za-z0-9][\w.:/@-]*)\}")
                .expect("valid regex")
        });
        static FLAG: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r#"(?:^|\s)--model(?:=|\s+)(?P<v>"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9][\w.:/@-]*)"#,
            )
            .expect("valid regex")
        });
        for c in DEFAULT.captures_iter(text) {
            if let Some(v) = c.name("v") {
                out.push(ModelSite {
                    value: str_value(v.as_str(), v.range()),
                });
            }
        }
        if kind != FileKind::Yaml && kind != FileKind::Env {
            for c in FLAG.captures_iter(text) {
                if let Some(v) = c.name("v") {
                    let id = unquote(v.as_str());
                    if plausible_model(id) {
                        out.push(ModelSite {
                            value: str_value(id, v.range()),
                        });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: FileKind, text: &str) -> Facts {
        extract(
            &Document::whole(text.to_string(), kind),
            &Settings::default(),
        )
    }

    fn models(f: &Facts) -> Vec<&str> {
        f.models.iter().filter_map(|m| m.value.as_str()).collect()
    }

    #[test]
    fn curl_request_with_url_model_and_key() {
        let sh = "curl https://api.deepseek.com/chat/completions \\\n  -H \"Content-Type: application/json\" \\\n  -H \"Authorization: Bearer $DEEPSEEK_API_KEY\" \\\n  -d '{\"model\": \"deepseek-chat\", \"messages\": []}'\n";
        let f = facts(FileKind::Shell, sh);
        assert_eq!(f.requests.len(), 1);
        let r = &f.requests[0];
        assert_eq!(r.api, "http");
        assert_eq!(
            r.url.as_ref().and_then(Value::as_str),
            Some("https://api.deepseek.com/chat/completions")
        );
        let m = r.model.as_ref().expect("model");
        assert_eq!(m.as_str(), Some("deepseek-chat"));
        assert_eq!(&sh[m.span.clone()], "\"deepseek-chat\"");
        assert_eq!(
            r.api_key.as_ref().map(|k| &k.kind),
            Some(&ValueKind::Env {
                name: "DEEPSEEK_API_KEY".into(),
                default: None
            })
        );
        assert!(
            f.models.is_empty(),
            "the request's model is not a separate site"
        );
        assert!(f.env_reads.iter().any(|e| e.name == "DEEPSEEK_API_KEY"));
        assert!(f.mentions_deepseek);
        assert_eq!(f.urls.len(), 1);
    }

    #[test]
    fn curl_with_escaped_json_and_variable_url() {
        let sh = "$ curl -sS \"$DEEPSEEK_BASE_URL/chat/completions\" -H 'Authorization: Bearer sk-xxx' --data \"{\\\"model\\\": \\\"gpt-4o\\\"}\"\n";
        let f = facts(FileKind::Shell, sh);
        assert_eq!(f.requests.len(), 1);
        let r = &f.requests[0];
        assert!(matches!(
            r.url.as_ref().map(|u| &u.kind),
            Some(ValueKind::Other(_))
        ));
        let m = r.model.as_ref().expect("model");
        assert_eq!(m.as_str(), Some("gpt-4o"));
        assert_eq!(&sh[m.span.clone()], "gpt-4o");
        assert_eq!(r.api_key.as_ref().and_then(Value::as_str), Some("sk-xxx"));
    }

    #[test]
    fn model_sites_per_format() {
        let json = "{\n  \"model\": \"deepseek-reasoner\",\n  \"base_url\": \"https://api.deepseek.com\"\n}\n";
        let f = facts(FileKind::Json, json);
        assert_eq!(models(&f), ["deepseek-reasoner"]);
        assert_eq!(
            &json[f.models[0].value.span.clone()],
            "\"deepseek-reasoner\""
        );
        assert!(!f.mentions_deepseek, "a host and a model are not names");

        let yaml = "llm:\n  provider: deepseek\n  model: deepseek-chat  # old\n  fallback_model: 'gpt-4o'\n  models:\n    - name: x\n";
        let f = facts(FileKind::Yaml, yaml);
        assert_eq!(models(&f), ["deepseek-chat", "gpt-4o"]);
        assert_eq!(&yaml[f.models[0].value.span.clone()], "deepseek-chat");
        assert!(f.mentions_deepseek);

        let toml = "[llm]\nmodel = \"deepseek-v4-flash\"\nname = \"x\"\n";
        assert_eq!(models(&facts(FileKind::Toml, toml)), ["deepseek-v4-flash"]);

        let ini = "[llm]\nmodel = deepseek-chat\n";
        assert_eq!(models(&facts(FileKind::Ini, ini)), ["deepseek-chat"]);

        let env = "DEEPSEEK_API_KEY=sk-x\nDEEPSEEK_MODEL=deepseek-chat\nexport CHAT_MODEL=\"o3-mini\"\nMODEL_DIR=/srv/models\n";
        let f = facts(FileKind::Env, env);
        assert_eq!(models(&f), ["deepseek-chat", "o3-mini"]);
        assert!(f.mentions_deepseek);

        let docker = "FROM python:3.12\nENV DEEPSEEK_MODEL=deepseek-chat\nENV OTHER_MODEL gpt-4o\n";
        assert_eq!(
            models(&facts(FileKind::Dockerfile, docker)),
            ["deepseek-chat", "gpt-4o"]
        );

        let docker = "FROM alpine\nRUN curl -s https://api.deepseek.com/models -H \"Authorization: Bearer $KEY\"\n";
        let f = facts(FileKind::Dockerfile, docker);
        assert_eq!(f.requests.len(), 1);

        let sh = "python run.py --model deepseek-reasoner\nMODEL=${DEEPSEEK_MODEL:-deepseek-chat}\ncat <<EOF\n{\"model\": \"deepseek-v3\"}\nEOF\n";
        let f = facts(FileKind::Shell, sh);
        assert_eq!(
            models(&f),
            ["deepseek-reasoner", "deepseek-chat", "deepseek-v3"]
        );
        let e = f
            .env_reads
            .iter()
            .find(|e| e.name == "DEEPSEEK_MODEL")
            .expect("read");
        assert_eq!(e.default.as_deref(), Some("deepseek-chat"));
    }

    #[test]
    fn env_reads_skip_single_quotes_and_comments() {
        let sh = "# $NOT_THIS\necho '$NOR_THIS' \"$YES\" ${ALSO:-}\n";
        let f = facts(FileKind::Shell, sh);
        let names: Vec<&str> = f.env_reads.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["YES", "ALSO"]);
        assert_eq!(f.env_reads[1].default.as_deref(), Some(""));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for kind in [
            FileKind::Shell,
            FileKind::Yaml,
            FileKind::Env,
            FileKind::Json,
        ] {
            for s in [
                "curl",
                "curl \"",
                "curl -H",
                "curl 'x",
                "\\",
                "${",
                "\"model\": \"",
                "é curl -d '{\"model\":\"é\"}'",
            ] {
                let _ = facts(kind, s);
            }
        }
    }
}
