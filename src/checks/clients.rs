//! The client and model rules (DS201–DS203, DS401–DS404, DS601, DS602): language-neutral
//! checks over [`Facts`], whichever extractor filled them.
//!
//! This module decides *where requests go*: for each client, request and model site, a
//! [`Target`] resolved from the base URL, the SDK, global settings in the file and DeepSeek
//! evidence (a key from a name containing `DEEPSEEK`, a DeepSeek base URL, a `deepseek-*`
//! model). The rule modules only judge targets.

pub mod apis;
pub mod base_url;
pub mod base_url_option;
pub mod client_use;
pub mod env_template;
pub mod keys;
pub mod models;
pub mod supplied;
pub mod url_use;

use crate::catalogue::{Catalogue, UrlTarget};
use crate::facts::sdks::TABLE;
use crate::facts::{Client, Facts, Family, Request, Value, ValueKind};
use crate::settings::Settings;

/// Where a client, request or model site sends its requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// DeepSeek's official API, or meant for it (a DeepSeek host in a wrong form, or an
    /// OpenAI-default client with DeepSeek evidence).
    DeepSeek,
    /// The official host's Anthropic-format endpoint.
    DeepSeekAnthropic,
    /// The OpenAI API, with no DeepSeek evidence.
    OpenAI,
    /// Another provider or a local server (display name).
    Other(String),
    /// A URL from a variable or config we cannot resolve, or an unknown host: not judged.
    Unknown,
    /// No client and no evidence either way (document-level guess for model sites).
    Unbound,
}

/// How a target was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// From the client or request itself.
    Bound,
    /// From document-level context (URLs, names, imports).
    Document,
}

/// The base URL every suggestion uses: `https://` + the first official host.
pub fn official_base(settings: &Settings) -> String {
    let host = settings
        .catalogue
        .data
        .hosts
        .official
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    format!("https://{host}")
}

/// The Anthropic-format endpoint on the official host.
pub fn official_anthropic(settings: &Settings) -> String {
    format!(
        "{}{}",
        official_base(settings),
        settings.catalogue.data.hosts.anthropic_path
    )
}

/// True when a value names DeepSeek (env var, expression text or string).
pub fn names_deepseek(v: &Value) -> bool {
    v.mentions("deepseek")
}

/// The provider whose credential a key value is, when it is not DeepSeek's: `OPENAI_API_KEY`,
/// `settings.openai_api_key`, a literal `sk-proj-…` key → `OpenAI`; `ANTHROPIC_API_KEY` →
/// `Anthropic`.
pub fn foreign_key_provider(v: &Value) -> Option<&'static str> {
    if names_deepseek(v) {
        return None;
    }
    let upper = match &v.kind {
        ValueKind::Env { name, .. } => name.to_ascii_uppercase(),
        ValueKind::Other(t) => {
            let u = t.to_ascii_uppercase();
            if !u.contains("_API_KEY") {
                return None;
            }
            u
        }
        ValueKind::Str(s) => {
            return (s.starts_with("sk-proj-") || s.contains("T3BlbkFJ")).then_some("OpenAI");
        }
    };
    if upper.contains("OPENAI") {
        Some("OpenAI")
    } else if upper.contains("ANTHROPIC") {
        Some("Anthropic")
    } else {
        None
    }
}

/// True for a model ID in the official API's naming (`deepseek-…`, no provider prefix or
/// Ollama tag).
pub fn is_official_style_deepseek(id: &str) -> bool {
    Catalogue::looks_deepseek(id) && !id.contains('/') && !id.contains(':')
}

/// Splits an HTTP URL into its base and the API endpoint after it
/// (`https://api.deepseek.com/v1/chat/completions` → base `…/v1`, api `chat.completions`).
pub fn split_endpoint(url: &str) -> (&str, Option<&'static str>) {
    let trimmed = url.trim().trim_end_matches('/');
    let path_end = trimmed.find(['?', '#']).unwrap_or(trimmed.len());
    let no_query = &trimmed[..path_end];
    TABLE
        .apis
        .endpoints
        .iter()
        .filter(|(suffix, _)| no_query.ends_with(suffix.as_str()))
        .max_by_key(|(suffix, _)| suffix.len())
        .map(|(suffix, api)| {
            (
                &no_query[..no_query.len() - suffix.len()],
                Some(api.as_str()),
            )
        })
        .unwrap_or((trimmed, None))
}

/// A URL target, or `None` when the value cannot be resolved to a URL.
pub fn url_target(settings: &Settings, v: &Value) -> Option<UrlTarget> {
    let cat = &settings.catalogue;
    match &v.kind {
        ValueKind::Str(s) => Some(cat.classify_url(s)),
        ValueKind::Env { name, default } => {
            if let Some(d) = default.as_deref().filter(|d| !d.trim().is_empty()) {
                let t = cat.classify_url(d);
                if t != UrlTarget::Unknown {
                    return Some(t);
                }
            }
            name.to_ascii_lowercase()
                .contains("deepseek")
                .then_some(UrlTarget::DeepSeek)
        }
        ValueKind::Other(_) => names_deepseek(v).then_some(UrlTarget::DeepSeek),
    }
}

/// Maps a URL classification to a target.
fn from_url(t: &UrlTarget) -> Target {
    match t {
        UrlTarget::DeepSeek | UrlTarget::DeepSeekMalformed(_) | UrlTarget::DeepSeekWrongHost(_) => {
            Target::DeepSeek
        }
        UrlTarget::DeepSeekAnthropic => Target::DeepSeekAnthropic,
        UrlTarget::OpenAI => Target::OpenAI,
        UrlTarget::Other(n) => Target::Other(n.clone()),
        UrlTarget::Unknown => Target::Unknown,
    }
}

/// True for a global setting that changes the base URL of every client.
pub fn is_base_url_global(target: &str) -> bool {
    let t = target.to_ascii_lowercase();
    matches!(
        t.as_str(),
        "openai.base_url" | "openai.api_base" | "openai_base_url" | "openai_api_base"
    )
}

/// True for a global setting that sets the OpenAI key for every client.
pub fn is_key_global(target: &str) -> bool {
    let t = target.to_ascii_lowercase();
    matches!(t.as_str(), "openai.api_key" | "openai_api_key")
}

/// The facts of one document with everything the client rules derive from them.
pub struct Analysis<'a> {
    /// The facts.
    pub facts: &'a Facts,
    /// The settings (catalogue).
    pub settings: &'a Settings,
    /// Per client: the URL it is aimed at (`None` = unresolvable) and whether the URL was
    /// explicit (argument or global) rather than the SDK default.
    pub client_urls: Vec<(Option<UrlTarget>, bool)>,
    /// Per client: DeepSeek evidence other than its base URL, described.
    pub evidence: Vec<Option<String>>,
    /// The base URL set globally in the file (`openai.base_url = …`, `OPENAI_BASE_URL`).
    pub global_base: Option<&'a Value>,
    /// The document names a DeepSeek URL.
    pub doc_deepseek_url: bool,
    /// The document shows another provider (URL, client, import).
    pub doc_other_provider: bool,
}

impl<'a> Analysis<'a> {
    /// Analyses a document's facts.
    pub fn new(facts: &'a Facts, settings: &'a Settings) -> Analysis<'a> {
        let global_base = facts
            .globals
            .iter()
            .rev()
            .find(|g| is_base_url_global(&g.target))
            .map(|g| &g.value);
        let mut a = Analysis {
            facts,
            settings,
            client_urls: Vec::new(),
            evidence: Vec::new(),
            global_base,
            doc_deepseek_url: false,
            doc_other_provider: false,
        };
        for c in &facts.clients {
            let url = a.client_url(c);
            a.client_urls.push(url);
            let ev = a.client_evidence(c);
            a.evidence.push(ev);
        }
        let (deepseek_url, other_url) = url_evidence(&settings.catalogue, &facts.urls);
        a.doc_deepseek_url = deepseek_url;
        a.doc_other_provider = other_url;
        for i in 0..facts.clients.len() {
            if matches!(
                a.client_target(i),
                Target::OpenAI | Target::Other(_) | Target::Unknown
            ) {
                a.doc_other_provider = true;
            }
        }
        if facts.imports.iter().any(|i| {
            TABLE.context.other_provider_imports.iter().any(|m| {
                i.strip_prefix(m.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '/']))
            })
        }) {
            a.doc_other_provider = true;
        }
        a
    }

    /// The URL a client is aimed at, and whether it was set explicitly.
    fn client_url(&self, c: &Client) -> (Option<UrlTarget>, bool) {
        if let Some(v) = &c.base_url {
            return (url_target(self.settings, v), true);
        }
        match c.family {
            Family::DeepSeekNative => (Some(UrlTarget::DeepSeek), false),
            Family::Anthropic => (Some(UrlTarget::Other("Anthropic".into())), false),
            Family::OpenAiCompatible => match self.global_base {
                Some(g) => (url_target(self.settings, g), true),
                None => (Some(UrlTarget::OpenAI), false),
            },
        }
    }

    /// The models sent through client `c`: its own and those of requests bound to it.
    pub fn client_models(&self, c: &'a Client) -> Vec<&'a Value> {
        let mut out: Vec<&Value> = c.model.iter().collect();
        for r in &self.facts.requests {
            if let (Some(m), Some(rc)) = (&r.model, self.facts.client_of(r)) {
                if std::ptr::eq(rc, c) {
                    out.push(m);
                }
            }
        }
        out
    }

    /// DeepSeek evidence of a client other than its base URL: its key's name or a
    /// `deepseek-*` model sent through it.
    fn client_evidence(&self, c: &'a Client) -> Option<String> {
        if c.family == Family::DeepSeekNative {
            return Some("is a DeepSeek SDK client".into());
        }
        if let Some(k) = c.api_key.as_ref().filter(|k| names_deepseek(k)) {
            let name = match &k.kind {
                ValueKind::Env { name, .. } => name.clone(),
                ValueKind::Other(t) => t.clone(),
                ValueKind::Str(_) => "a DeepSeek key".into(),
            };
            return Some(format!("uses the DeepSeek key `{name}`"));
        }
        self.client_models(c)
            .into_iter()
            .filter_map(|m| m.as_str())
            .find(|m| is_official_style_deepseek(m))
            .map(|m| format!("sends the DeepSeek model `{m}`"))
    }

    /// Index of a client in the facts.
    pub fn index_of(&self, c: &Client) -> Option<usize> {
        self.facts.clients.iter().position(|x| std::ptr::eq(x, c))
    }

    /// Where client `i` sends requests.
    pub fn client_target(&self, i: usize) -> Target {
        let (url, _) = &self.client_urls[i];
        match url {
            None => Target::Unknown,
            Some(UrlTarget::OpenAI) if self.evidence[i].is_some() => Target::DeepSeek,
            Some(t) => from_url(t),
        }
    }

    /// True when client `i`'s base URL itself points at DeepSeek (argument, global or a
    /// DeepSeek-native SDK), as opposed to DeepSeek evidence with an OpenAI URL.
    pub fn client_url_is_deepseek(&self, i: usize) -> bool {
        matches!(&self.client_urls[i].0, Some(t) if t.is_deepseek() || *t == UrlTarget::DeepSeekAnthropic)
    }

    /// The target of the model site at `span` from its config block alone (its URLs, then
    /// whether the block names DeepSeek); `None` when the block says nothing or there is none.
    pub fn scope_target(&self, span: &std::ops::Range<usize>) -> Option<Target> {
        let scope = self.facts.model_scopes.iter().find(|s| s.model == *span)?;
        let (deepseek_url, other_url) = url_evidence(&self.settings.catalogue, &scope.urls);
        if deepseek_url {
            Some(Target::DeepSeek)
        } else if other_url {
            Some(Target::Other("another provider".into()))
        } else if scope.names_deepseek {
            Some(Target::DeepSeek)
        } else {
            None
        }
    }

    /// The document-level target of a model site or an unbound request.
    pub fn doc_target(&self) -> Target {
        if self.doc_other_provider {
            Target::Other("another provider".into())
        } else if self.doc_deepseek_url || self.facts.mentions_deepseek {
            Target::DeepSeek
        } else {
            Target::Unbound
        }
    }

    /// Where a request goes, and how that was decided.
    pub fn request_target(&self, r: &Request) -> (Target, Origin) {
        if let Some(c) = self.facts.client_of(r) {
            if let Some(i) = self.index_of(c) {
                return (self.client_target(i), Origin::Bound);
            }
        }
        if r.api.starts_with("litellm.") {
            return self.litellm_target(r);
        }
        if r.api == "http" || r.api == "config" {
            if let Some(u) = &r.url {
                if let Some(s) = u.as_str() {
                    let (base, _) = split_endpoint(s);
                    return (
                        from_url(&self.settings.catalogue.classify_url(base)),
                        Origin::Bound,
                    );
                }
                if let Some(t) = url_target(self.settings, u) {
                    return (from_url(&t), Origin::Bound);
                }
            }
            return (self.doc_target(), Origin::Document);
        }
        if r.receiver.is_none() {
            // openai module-level client (`openai.chat.completions.create`, 0.x
            // `openai.ChatCompletion.create`).
            if let Some(g) = self.global_base {
                return match url_target(self.settings, g) {
                    Some(t) => (from_url(&t), Origin::Bound),
                    None => (Target::Unknown, Origin::Bound),
                };
            }
            let key_ds = self
                .facts
                .globals
                .iter()
                .any(|g| is_key_global(&g.target) && names_deepseek(&g.value));
            let model_ds = r
                .model
                .as_ref()
                .and_then(|m| m.as_str())
                .is_some_and(is_official_style_deepseek);
            return if key_ds || model_ds {
                (Target::DeepSeek, Origin::Bound)
            } else {
                (Target::OpenAI, Origin::Bound)
            };
        }
        // A client made elsewhere (imported, a parameter) that is sent a `deepseek-*` model:
        // the model is DeepSeek evidence for the request, unless the file names another host.
        let doc = self.doc_target();
        let model_ds = r
            .model
            .as_ref()
            .and_then(|m| m.as_str())
            .is_some_and(is_official_style_deepseek);
        if model_ds && !matches!(doc, Target::Other(_)) {
            return (Target::DeepSeek, Origin::Bound);
        }
        (doc, Origin::Document)
    }

    /// litellm: `api_base` decides; else the `deepseek/` provider prefix routes to the
    /// official API; another prefix to another provider.
    fn litellm_target(&self, r: &Request) -> (Target, Origin) {
        if let Some(u) = &r.url {
            return match url_target(self.settings, u) {
                Some(t) => (from_url(&t), Origin::Bound),
                None => (Target::Unknown, Origin::Bound),
            };
        }
        let Some(m) = r.model.as_ref().and_then(|m| m.as_str()) else {
            return (Target::Unknown, Origin::Bound);
        };
        match m.split_once('/') {
            Some((p, _)) if p.eq_ignore_ascii_case("deepseek") => (Target::DeepSeek, Origin::Bound),
            Some((p, _)) => (Target::Other(p.to_string()), Origin::Bound),
            None if self.settings.catalogue.is_openai_model(m) => (Target::OpenAI, Origin::Bound),
            None => (self.doc_target(), Origin::Document),
        }
    }
}

/// What URL literals say about where requests go: (a DeepSeek URL is among them, a URL of
/// another provider or an API-looking unknown host is among them).
fn url_evidence(cat: &Catalogue, urls: &[Value]) -> (bool, bool) {
    let (mut deepseek, mut other) = (false, false);
    for s in urls.iter().filter_map(Value::as_str) {
        let (base, _) = split_endpoint(s);
        match cat.classify_url(base) {
            t if t.is_deepseek() => deepseek = true,
            UrlTarget::DeepSeekAnthropic => {}
            UrlTarget::OpenAI | UrlTarget::Other(_) => other = true,
            UrlTarget::Unknown if api_like(s) => other = true,
            _ => {}
        }
    }
    (deepseek, other)
}

/// True when an unknown-host URL looks like an API base rather than a web page.
pub fn api_like(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    host.starts_with("api.")
        || path.starts_with("v1")
        || path.contains("/v1")
        || path.starts_with("api/")
        || path.contains("completions")
}

/// Replaces the model ID inside a string literal span with `new`, keeping quotes and any
/// provider prefix: the edit, when the literal is plain.
pub fn model_edit(text: &str, v: &Value, old: &str, new: &str) -> Option<crate::diagnostic::Edit> {
    replace_in(text, &v.span, old, new)
}

/// Replaces the one occurrence of `old` inside `span` of `text` with `new`: the edit, unless
/// `old` is absent or occurs more than once there.
pub fn replace_in(
    text: &str,
    span: &std::ops::Range<usize>,
    old: &str,
    new: &str,
) -> Option<crate::diagnostic::Edit> {
    let lit = text.get(span.clone())?;
    let pos = lit.find(old)?;
    if lit[pos + old.len()..].contains(old) {
        return None;
    }
    let start = span.start + pos;
    Some(crate::diagnostic::Edit::replace(
        start..start + old.len(),
        new,
    ))
}
