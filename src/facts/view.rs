//! The flat fact view that custom rules' conditions read: a few fact kinds (`request`,
//! `client`, `key`, `env_read`, `url`), each a table of named fields computed from a
//! document's [`Facts`] and the catalogue. The fields and their meaning are listed in
//! [`KINDS`] (and in the README's "Custom rules" section); every value is a string, a
//! boolean, or null (not known statically).

use std::ops::Range;

use super::{Client, Facts, Family, Request, Value, ValueKind};
use crate::catalogue::{Catalogue, Status, UrlTarget};
use crate::settings::Settings;

/// A field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// Not known statically, or not given.
    Null,
}

impl Val {
    fn opt(s: Option<&str>) -> Val {
        s.map_or(Val::Null, |s| Val::Str(s.to_string()))
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One fact kind: its name and its fields with a one-line description each.
#[derive(Debug)]
pub struct Kind {
    /// The name used in `on = "…"` and as the first segment of a field path.
    pub name: &'static str,
    /// `(field, description)`, in the order of [`Row::values`].
    pub fields: &'static [(&'static str, &'static str)],
}

/// The fact kinds.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "request",
        fields: &[
            ("model", "the model ID as written (null when not a known string)"),
            ("model_status", "current | retired | not-served | openai | unknown, from the catalogue"),
            ("api", "the API surface (`chat.completions.create`, `http`, `client` for a model given to a client constructor, `model` for a model named elsewhere)"),
            ("url", "the URL the request goes to: its own, else its client's base URL"),
            ("host", "that URL's host (lowercase), or the SDK's default host"),
            ("target", "official | openai | wrong | other | unknown"),
            ("sdk", "the client's SDK id (`openai-python`…), null without a client"),
            ("key_source", "literal | env | other | none"),
            ("key_env", "the environment variable the key is read from"),
            ("deepseek", "true when the model, host or key names DeepSeek"),
        ],
    },
    Kind {
        name: "client",
        fields: &[
            ("sdk", "the SDK id (`openai-python`, `langchain-openai`, `openai-node`…)"),
            ("family", "openai-compatible | deepseek-native | anthropic"),
            ("binding", "what it is bound to (`client`, `self.llm`), null when unbound"),
            ("base_url", "the base URL, when statically known"),
            ("host", "the base URL's host (lowercase), or the SDK's default host"),
            ("target", "official | openai | wrong | other | unknown"),
            ("model", "the model given at construction"),
            ("model_status", "that model's status, as for requests"),
            ("key_source", "literal | env | other | none"),
            ("key_env", "the environment variable the key is read from"),
            ("deepseek", "true when the model, host or key names DeepSeek"),
        ],
    },
    Kind {
        name: "key",
        fields: &[
            ("source", "literal | env | other"),
            ("env", "the environment variable it is read from"),
            ("default", "the default of that read (`\"\"` for an empty default)"),
            ("value", "the literal key (shown redacted in messages: `sk-…9f3a`)"),
            ("sdk", "the SDK id of the client it is given to, null for a request"),
            ("deepseek", "true when its client's or request's model, host or key names DeepSeek"),
        ],
    },
    Kind {
        name: "env_read",
        fields: &[
            ("name", "the variable name"),
            ("default", "the literal default"),
            ("via", "how it is read (`os.getenv`, `process.env`, `std::env::var`…)"),
        ],
    },
    Kind {
        name: "url",
        fields: &[
            ("value", "an `http(s)://` URL string in the document"),
            ("host", "its host (lowercase)"),
            ("target", "official | openai | wrong | other | unknown"),
        ],
    },
];

/// The kind named `name`.
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

impl Kind {
    /// The index of field `name`.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|(f, _)| *f == name)
    }
}

/// One fact: where to report it and its field values (in [`Kind::fields`] order).
#[derive(Clone, Debug)]
pub struct Row {
    /// The span a finding on it points at.
    pub span: Range<usize>,
    /// The values.
    pub values: Vec<Val>,
}

/// The host of `url` (lowercase, no port or credentials), if it has one.
pub fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// The target class of a URL.
pub fn url_target(cat: &Catalogue, url: &str) -> &'static str {
    match cat.classify_url(url) {
        UrlTarget::DeepSeek | UrlTarget::DeepSeekAnthropic => "official",
        UrlTarget::DeepSeekMalformed(_) | UrlTarget::DeepSeekWrongHost(_) => "wrong",
        UrlTarget::OpenAI => "openai",
        UrlTarget::Other(_) => "other",
        UrlTarget::Unknown => "unknown",
    }
}

/// The catalogue status of a model ID: `current`, `retired`, `not-served`, `openai` or
/// `unknown`. A litellm `deepseek/` or a `deepseek:` provider prefix is ignored.
pub fn model_status(cat: &Catalogue, id: &str) -> &'static str {
    let id = id.trim();
    let bare = ["deepseek/", "deepseek:"]
        .iter()
        .find_map(|p| {
            id.get(..p.len())
                .filter(|h| h.eq_ignore_ascii_case(p))
                .map(|_| &id[p.len()..])
        })
        .unwrap_or(id);
    match cat.model(bare).map(|m| m.status.clone()) {
        Some(Status::Current) => "current",
        Some(Status::Retired) => "retired",
        Some(Status::NotServedByOfficialApi) => "not-served",
        None if cat.is_openai_model(bare) => "openai",
        None => "unknown",
    }
}

/// Where a request or client sends: `(url, host, target)`.
fn destination(
    cat: &Catalogue,
    url: Option<&Value>,
    client: Option<&Client>,
) -> (Val, Val, &'static str) {
    let url = url.or_else(|| client.and_then(|c| c.base_url.as_ref()));
    if let Some(u) = url {
        return match u.as_str() {
            Some(s) => (
                Val::Str(s.to_string()),
                Val::opt(host(s).as_deref()),
                url_target(cat, s),
            ),
            None => (Val::Null, Val::Null, "unknown"),
        };
    }
    match client.map(|c| c.family) {
        Some(Family::DeepSeekNative) => {
            (Val::Null, Val::Str("api.deepseek.com".into()), "official")
        }
        Some(Family::OpenAiCompatible) => (Val::Null, Val::Str("api.openai.com".into()), "openai"),
        Some(Family::Anthropic) => (Val::Null, Val::Str("api.anthropic.com".into()), "other"),
        None => (Val::Null, Val::Null, "unknown"),
    }
}

/// `(source, env)` of a key value.
fn key_source(key: Option<&Value>) -> (&'static str, Val) {
    match key.map(|k| &k.kind) {
        None => ("none", Val::Null),
        Some(ValueKind::Str(_)) => ("literal", Val::Null),
        Some(ValueKind::Env { name, .. }) => ("env", Val::Str(name.clone())),
        Some(ValueKind::Other(_)) => ("other", Val::Null),
    }
}

/// True when a model, URL or key names DeepSeek.
fn names_deepseek(model: &Val, host: &Val, target: &str, key: Option<&Value>) -> bool {
    model.as_str().is_some_and(Catalogue::looks_deepseek)
        || host.as_str().is_some_and(|h| h.contains("deepseek"))
        || target == "official"
        || target == "wrong"
        || key.is_some_and(|k| !matches!(k.kind, ValueKind::Str(_)) && k.mentions("deepseek"))
}

fn model_fields(cat: &Catalogue, model: Option<&Value>) -> (Val, Val) {
    match model.and_then(Value::as_str) {
        Some(m) => (
            Val::Str(m.trim().to_string()),
            Val::Str(model_status(cat, m).into()),
        ),
        None => (Val::Null, Val::Null),
    }
}

/// A request's row: its model, where it goes (its URL, else its client's), with which key.
fn request_row(
    cat: &Catalogue,
    model: Option<&Value>,
    api: &str,
    url: Option<&Value>,
    client: Option<&Client>,
    key: Option<&Value>,
    span: Range<usize>,
) -> Row {
    let (model_val, status) = model_fields(cat, model);
    let (url, host, target) = destination(cat, url, client);
    let key = key.or(client.and_then(|c| c.api_key.as_ref()));
    let (source, env) = key_source(key);
    let deepseek = names_deepseek(&model_val, &host, target, key)
        || client.is_some_and(|c| c.family == Family::DeepSeekNative);
    Row {
        span: model.map_or(span, |m| m.span.clone()),
        values: vec![
            model_val,
            status,
            Val::Str(api.to_string()),
            url,
            host,
            Val::Str(target.into()),
            Val::opt(client.map(|c| c.sdk.as_str())),
            Val::Str(source.into()),
            env,
            Val::Bool(deepseek),
        ],
    }
}

fn of_request(cat: &Catalogue, facts: &Facts, r: &Request) -> Row {
    let client = facts.client_of(r);
    let span = r.api_span.clone();
    request_row(
        cat,
        r.model.as_ref(),
        &r.api,
        r.url.as_ref(),
        client,
        r.api_key.as_ref(),
        span,
    )
}

fn client_row(cat: &Catalogue, c: &Client) -> Row {
    let (model, status) = model_fields(cat, c.model.as_ref());
    let (url, host, target) = destination(cat, None, Some(c));
    let (source, env) = key_source(c.api_key.as_ref());
    let deepseek = names_deepseek(&model, &host, target, c.api_key.as_ref())
        || c.family == Family::DeepSeekNative;
    let family = c.family.as_str();
    Row {
        span: c.callee_span.clone(),
        values: vec![
            Val::Str(c.sdk.clone()),
            Val::Str(family.into()),
            Val::opt(c.binding.as_deref()),
            url,
            host,
            Val::Str(target.into()),
            model,
            status,
            Val::Str(source.into()),
            env,
            Val::Bool(deepseek),
        ],
    }
}

fn key_row(key: &Value, sdk: Option<&str>, deepseek: bool) -> Row {
    let (source, env) = key_source(Some(key));
    let default = match &key.kind {
        ValueKind::Env { default, .. } => Val::opt(default.as_deref()),
        _ => Val::Null,
    };
    Row {
        span: key.span.clone(),
        values: vec![
            Val::Str(source.into()),
            env,
            default,
            Val::opt(key.as_str()),
            Val::opt(sdk),
            Val::Bool(deepseek),
        ],
    }
}

/// The facts of kind `kind` in a document, in document order of extraction.
pub fn rows(kind: &str, facts: &Facts, settings: &Settings) -> Vec<Row> {
    let cat = &settings.catalogue;
    match kind {
        "request" => {
            // A model given to a constructor is what the client's requests send.
            let mut out: Vec<Row> = facts
                .clients
                .iter()
                .filter(|c| c.model.is_some())
                .map(|c| {
                    let span = c.callee_span.clone();
                    request_row(cat, c.model.as_ref(), "client", None, Some(c), None, span)
                })
                .collect();
            out.extend(facts.requests.iter().map(|r| of_request(cat, facts, r)));
            out.extend(facts.models.iter().map(|m| {
                let (model, status) = model_fields(cat, Some(&m.value));
                let deepseek = model.as_str().is_some_and(Catalogue::looks_deepseek);
                Row {
                    span: m.value.span.clone(),
                    values: vec![
                        model,
                        status,
                        Val::Str("model".into()),
                        Val::Null,
                        Val::Null,
                        Val::Str("unknown".into()),
                        Val::Null,
                        Val::Str("none".into()),
                        Val::Null,
                        Val::Bool(deepseek),
                    ],
                }
            }));
            out
        }
        "client" => facts.clients.iter().map(|c| client_row(cat, c)).collect(),
        "key" => {
            let mut out = Vec::new();
            for c in &facts.clients {
                if let Some(k) = &c.api_key {
                    let deepseek = client_row(cat, c).values[10] == Val::Bool(true);
                    out.push(key_row(k, Some(&c.sdk), deepseek));
                }
            }
            for r in &facts.requests {
                if let Some(k) = &r.api_key {
                    let deepseek = of_request(cat, facts, r).values[9] == Val::Bool(true);
                    out.push(key_row(k, None, deepseek));
                }
            }
            out
        }
        "env_read" => facts
            .env_reads
            .iter()
            .map(|e| Row {
                span: e.span.clone(),
                values: vec![
                    Val::Str(e.name.clone()),
                    Val::opt(e.default.as_deref()),
                    Val::Str(e.via.clone()),
                ],
            })
            .collect(),
        "url" => facts
            .urls
            .iter()
            .filter_map(|u| {
                let s = u.as_str()?;
                Some(Row {
                    span: u.span.clone(),
                    values: vec![
                        Val::Str(s.to_string()),
                        Val::opt(host(s).as_deref()),
                        Val::Str(url_target(cat, s).into()),
                    ],
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_statuses() {
        assert_eq!(
            host("https://User@LLM.example.com:8443/v1").as_deref(),
            Some("llm.example.com")
        );
        assert_eq!(host("not a url"), None);
        let cat = Catalogue::builtin();
        assert_eq!(model_status(&cat, "deepseek-chat"), "retired");
        assert_eq!(model_status(&cat, "deepseek/deepseek-chat"), "retired");
        assert_eq!(model_status(&cat, "deepseek-v4-flash"), "current");
        assert_eq!(model_status(&cat, "gpt-4o"), "openai");
        assert_eq!(model_status(&cat, "deepseek-r1"), "not-served");
        assert_eq!(model_status(&cat, "my-model"), "unknown");
        assert_eq!(url_target(&cat, "https://api.deepseek.com/v1"), "official");
        assert_eq!(url_target(&cat, "https://api.deepseek.ai"), "wrong");
    }

    #[test]
    fn every_kind_has_rows_of_its_width() {
        for k in KINDS {
            assert!(kind(k.name).is_some());
            for r in rows(k.name, &Facts::default(), &Settings::default()) {
                assert_eq!(r.values.len(), k.fields.len());
            }
        }
    }
}
