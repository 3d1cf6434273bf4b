//! Model sites in text formats: `"model": "x"` pairs (plain or JSON-escaped inside a
//! string), `model: x` (YAML), `model = "x"` (TOML, INI), `*MODEL*=x` (env, shell,
//! Dockerfile), `${MODEL:-x}` defaults and `--model x`; and the requests of a litellm proxy
//! config (`model:` under `litellm_params:`).

use std::sync::LazyLock;

use regex::Regex;

use super::scan::{lines, str_value, unquote};
use crate::facts::{ModelSite, Request, Value, ValueKind};
use crate::source::FileKind;

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

/// litellm proxy YAML: each `model:` under a `litellm_params:` block is a litellm request
/// (`deepseek/deepseek-chat` routes to the official API), with the block's `api_base` and
/// `api_key` when given.
pub(super) fn litellm_yaml_requests(text: &str) -> Vec<Request> {
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

/// Provider-qualified model IDs of eval and agent configs (promptfoo `id: deepseek:deepseek-chat`,
/// `- openai:chat:deepseek-v4-flash`, `"providers": ["deepseek:…"]`): a quoted string or a
/// YAML value. `deepseek:<id>` keeps its prefix (that provider calls the official API); for
/// `openai:chat:<id>` the site is the ID alone, judged by the file's URLs like any model.
fn provider_ids(text: &str) -> Vec<Value> {
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?m)(?:^[ \t]*-[ \t]+|:[ \t]+|["'])(?P<v>(?P<p>deepseek:|openai:chat:)(?P<id>[A-Za-z0-9][\w.-]*))["']?[ \t]*(?:[,\]}#\r]|$)"#)
            .expect("valid regex")
    });
    if !text.contains("deepseek:") && !text.contains("openai:chat:") {
        return Vec::new();
    }
    ID.captures_iter(text)
        .filter_map(|c| {
            let (v, p, id) = (c.name("v")?, c.name("p")?, c.name("id")?);
            let site = if p.as_str() == "deepseek:" { v } else { id };
            plausible_model(id.as_str()).then(|| str_value(site.as_str(), site.range()))
        })
        .collect()
}

fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

pub(super) fn model_sites(text: &str, kind: FileKind) -> Vec<ModelSite> {
    let mut out = keyed_model_sites(text, kind);
    if matches!(kind, FileKind::Yaml | FileKind::Json) {
        for value in provider_ids(text) {
            if !out.iter().any(|m| overlaps(&m.value.span, &value.span)) {
                out.push(ModelSite { value });
            }
        }
    }
    out
}

/// Model IDs under a model key (or a `*MODEL*` variable), and flag and default forms.
fn keyed_model_sites(text: &str, kind: FileKind) -> Vec<ModelSite> {
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
