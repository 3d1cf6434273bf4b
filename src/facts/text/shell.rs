//! Shell scripts and Dockerfiles: environment reads (`$VAR`, `${VAR:-default}`, not inside
//! single quotes or comments) and one `http` request per `curl` command, with its URL, the
//! model of its JSON body and the key of its `Authorization` header.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::scan::{lines, str_value, unquote};
use crate::facts::{EnvRead, Request, Value, ValueKind};

/// `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` / `${VAR:=default}`.
pub(super) fn shell_env_reads(text: &str) -> Vec<EnvRead> {
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

pub(super) fn curl_requests(text: &str) -> Vec<Request> {
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
