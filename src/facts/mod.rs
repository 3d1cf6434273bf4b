//! Per-document semantic facts: which SDK clients exist, where they send requests, with which
//! key and which model. Computed once per parsed document (on first use) and shared by every
//! rule; rules never re-walk the tree for these facts.
//!
//! Each language has its own extractor (`python`, `javascript`, `rust_lang`) that fills the
//! same language-neutral [`Facts`]; text formats fill it in [`text`]. Offsets are byte offsets
//! into the document text.
//!
//! What the extractors share, so they cannot drift:
//! - one shape: a first pass collects bindings (imports, declarations, parameters, env reads),
//!   a second pass turns calls into clients and requests, then model literals left over become
//!   model sites, and `finish` sorts and dedups (`collect` → `analyze` → `finish` in JS/Rust,
//!   `first_pass` → `calls::second_pass` in Python), each language split into the same
//!   submodules (values, env, clients, requests, http, syntax);
//! - one set of name rules ([`names`]: model option keys, what is a model name or a DeepSeek
//!   model ID, which names are evidence for the official API, calls that send nothing);
//! - one SDK table ([`sdks`], from `rules/sdks.toml`): constructors, option names, families;
//! - facts found once for every kind: auth header sites ([`auth`]), text-level env var reads
//!   and definitions ([`env_vars`]), config blocks of model sites ([`sections`]).
//!
//! `tests/model_sites.rs` writes each case in Python, TypeScript and Rust and expects the same
//! findings.

use std::ops::Range;

use crate::settings::Settings;
use crate::source::{Document, FileKind};

pub mod auth;
pub mod env_vars;
pub mod javascript;
pub mod names;
pub mod python;
pub mod rust_lang;
pub mod sdks;
pub mod sections;
pub mod text;
pub mod tree;
pub mod view;

/// A value as far as same-file analysis can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A string known statically (a literal, or a constant/variable resolved in the file).
    Str(String),
    /// An environment variable read (`os.environ["X"]`, `os.getenv("X", d)`,
    /// `process.env.X ?? d`, `std::env::var("X")`), with its literal default if any
    /// (`Some("")` for an empty default).
    Env {
        /// The variable name.
        name: String,
        /// The literal default, if one is given.
        default: Option<String>,
    },
    /// Anything else; `text` is the expression's source (used for name evidence such as
    /// `settings.deepseek_api_key`).
    Other(String),
}

/// A value with the span to report it at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// What it is.
    pub kind: ValueKind,
    /// Where to report it: the literal itself when resolved through a constant, otherwise
    /// the expression at the use site.
    pub span: Range<usize>,
    /// The expression at the use site (differs from `span` when resolved via a constant).
    pub use_span: Range<usize>,
}

impl Value {
    /// A string literal whose value is used where it is written.
    pub fn literal(s: String, span: Range<usize>) -> Value {
        Value {
            kind: ValueKind::Str(s),
            span: span.clone(),
            use_span: span,
        }
    }

    /// A value used at `use_span`, resolved to `kind`; `from` is the literal it came from when
    /// that is written elsewhere (a constant, a default), else the use is the report span.
    pub fn resolved(
        use_span: Range<usize>,
        (kind, from): (ValueKind, Option<Range<usize>>),
    ) -> Value {
        Value {
            kind,
            span: from.unwrap_or_else(|| use_span.clone()),
            use_span,
        }
    }

    /// The string value, when statically known.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// True when this value's names mention `needle` (case-insensitive): the env var name,
    /// the expression text, or the string itself.
    pub fn mentions(&self, needle: &str) -> bool {
        let hay = match &self.kind {
            ValueKind::Str(s) => s.as_str(),
            ValueKind::Env { name, .. } => name.as_str(),
            ValueKind::Other(t) => t.as_str(),
        };
        hay.to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
    }
}

/// Which family a client belongs to, from the SDK table (`rules/sdks.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// An OpenAI-compatible client that defaults to `api.openai.com` (openai, langchain
    /// `ChatOpenAI`, llama-index `OpenAI`, Vercel `createOpenAI`, async-openai…).
    OpenAiCompatible,
    /// A DeepSeek-native SDK: correct host by construction.
    DeepSeekNative,
    /// An Anthropic SDK client (DeepSeek serves `/anthropic`).
    Anthropic,
}

impl Family {
    /// The name fact rows and rule conditions use (`openai-compatible`, `deepseek-native`,
    /// `anthropic`).
    pub fn as_str(self) -> &'static str {
        match self {
            Family::OpenAiCompatible => "openai-compatible",
            Family::DeepSeekNative => "deepseek-native",
            Family::Anthropic => "anthropic",
        }
    }
}

/// An SDK client construction.
///
/// When the options come from an expression the extractor cannot see into
/// (`new OpenAI(options)`, `{ ...getOpts() }`, `Client::with_config(config)` with a config
/// from elsewhere), the options not found explicitly (`base_url`, `api_key`, `model`) are set
/// to [`ValueKind::Other`] holding that expression, since they may be set there: rules treat
/// them as "given, value unknown", never as absent.
#[derive(Clone, Debug)]
pub struct Client {
    /// What it is bound to: `client`, `self.client`, `llm`; `None` when not bound.
    pub binding: Option<String>,
    /// SDK id from the table (e.g. `openai-python`, `langchain-openai`, `openai-node`).
    pub sdk: String,
    /// Its family.
    pub family: Family,
    /// The whole constructor call (`OpenAI(...)`, `new OpenAI({...})`).
    pub span: Range<usize>,
    /// The callee (`OpenAI`, `ChatOpenAI`, `OpenAIConfig::new`), where DS201 points.
    pub callee_span: Range<usize>,
    /// The base URL option, if given under a name the SDK honours.
    pub base_url: Option<Value>,
    /// The API key option, if given.
    pub api_key: Option<Value>,
    /// The model given at construction (`ChatOpenAI(model=...)`), if any.
    pub model: Option<Value>,
    /// Options given under a name the SDK ignores or rejects (`baseUrl`, `api_base`…): the
    /// name as written, its span, and the value.
    pub misspelled_base_url: Vec<(String, Range<usize>, Value)>,
    /// Span of `dangerouslyAllowBrowser: true`, if present.
    pub dangerously_allow_browser: Option<Range<usize>>,
    /// Byte offset where a new option can be inserted (after the last argument), for fixes.
    pub insert_at: Option<usize>,
}

impl Client {
    /// A client of SDK `entry` constructed at `span` (callee at `callee_span`), with no
    /// option known yet: callers fill in what the call gives.
    pub fn new(
        entry: &sdks::SdkEntry,
        binding: Option<String>,
        span: Range<usize>,
        callee_span: Range<usize>,
    ) -> Client {
        Client {
            binding,
            sdk: entry.id.clone(),
            family: entry.family(),
            span,
            callee_span,
            base_url: None,
            api_key: None,
            model: None,
            misspelled_base_url: Vec::new(),
            dangerously_allow_browser: None,
            insert_at: None,
        }
    }
}

/// An API request (or a client method call) in the document.
#[derive(Clone, Debug)]
pub struct Request {
    /// The receiver expression's text: `client`, `self.client`, `llm`, or `None` for free
    /// functions (`litellm.completion`, `fetch`).
    pub receiver: Option<String>,
    /// Index into [`Facts::clients`] when the extractor resolved it (e.g. a constructor call
    /// used directly as the receiver, or a known binding).
    pub client: Option<usize>,
    /// The API surface: `chat.completions.create`, `responses.create`, `embeddings.create`,
    /// `images.generate`, `beta.assistants.create`, `invoke`, `ai-sdk.provider-call`,
    /// `litellm.completion`, `http`…
    pub api: String,
    /// Span of the API path in the call (`responses.create`), where DS404 points.
    pub api_span: Range<usize>,
    /// The model requested, if any.
    pub model: Option<Value>,
    /// For HTTP requests and litellm `api_base`: the URL.
    pub url: Option<Value>,
    /// For litellm and HTTP: the key given (`api_key=`, an `Authorization` header value).
    /// For headers, the `Bearer ` scheme is removed: `` `Bearer ${process.env.X}` `` and
    /// `format!("Bearer {}", key)` give the key expression itself.
    pub api_key: Option<Value>,
}

/// An environment variable read by code.
#[derive(Clone, Debug)]
pub struct EnvRead {
    /// The name.
    pub name: String,
    /// Span of the name (or of the whole read).
    pub span: Range<usize>,
    /// The literal default, if any (`Some("")` for an empty default).
    pub default: Option<String>,
    /// Span of the default literal, if any.
    pub default_span: Option<Range<usize>>,
    /// How it is read: `process.env`, `import.meta.env`, `$env/static/public`, `os.environ`,
    /// `os.getenv`, `std::env::var`…
    pub via: String,
}

/// A module-level setting made in code that changes every client's behaviour:
/// `openai.api_base = …`, `openai.base_url = …`, `openai.api_key = …`,
/// `os.environ["OPENAI_BASE_URL"] = …`, `os.environ["DEEPSEEK_API_KEY"] = …` (what litellm and
/// the SDKs read when no key is given).
#[derive(Clone, Debug)]
pub struct GlobalSetting {
    /// The target as written (`openai.api_base`, `OPENAI_BASE_URL`).
    pub target: String,
    /// Span of the target (where DS203 points for `openai.api_base`).
    pub target_span: Range<usize>,
    /// The value assigned.
    pub value: Value,
}

/// A model named anywhere in a model position (`model=`, `"model": …`, `model: …`) that is
/// not already attached to a request or a client.
#[derive(Clone, Debug)]
pub struct ModelSite {
    /// The model value.
    pub value: Value,
}

/// The block of a structured config that a model site sits in (a YAML mapping, a TOML table,
/// a JSON object, a group of `.env` keys), with the evidence inside it: see [`sections`].
#[derive(Clone, Debug)]
pub struct ModelScope {
    /// Span of the model value.
    pub model: Range<usize>,
    /// The URLs of the block.
    pub urls: Vec<Value>,
    /// True when a key or value of the block names DeepSeek (`deepseek:`, `provider: deepseek`).
    pub names_deepseek: bool,
}

/// Everything the rules need to know about one document.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Client constructions.
    pub clients: Vec<Client>,
    /// Requests.
    pub requests: Vec<Request>,
    /// Environment variable reads.
    pub env_reads: Vec<EnvRead>,
    /// Module-level settings.
    pub globals: Vec<GlobalSetting>,
    /// Other model sites.
    pub models: Vec<ModelSite>,
    /// The config blocks of model sites in structured text (not for code).
    pub model_scopes: Vec<ModelScope>,
    /// Imported module names (`openai`, `litellm`, `@ai-sdk/deepseek`, `async_openai`).
    pub imports: Vec<String>,
    /// Every string literal in the document that is an `http(s)://` URL (resolved values),
    /// for document-level evidence of where requests go.
    pub urls: Vec<Value>,
    /// True when the document names a DeepSeek credential or setting anywhere (an env var,
    /// identifier, attribute or key containing `DEEPSEEK`, case-insensitive).
    pub mentions_deepseek: bool,
}

impl Facts {
    /// Records a model site found by a language extractor: a non-empty string without
    /// whitespace, or an env read with a literal default, that is not at a span a client or
    /// request already took (`consumed`) nor recorded before. The JS/TS and Rust extractors
    /// share it.
    pub fn push_model_site(&mut self, value: Value, consumed: &[Range<usize>]) {
        let keep = match &value.kind {
            ValueKind::Str(s) => !s.is_empty() && !s.contains(char::is_whitespace),
            ValueKind::Env { default, .. } => default.is_some(),
            ValueKind::Other(_) => false,
        };
        if !keep
            || consumed.contains(&value.span)
            || self.models.iter().any(|m| m.value.span == value.span)
        {
            return;
        }
        self.models.push(ModelSite { value });
    }

    /// The spans of the models clients and requests send: a model site at one of these is
    /// already judged by the client or request, which knows its target.
    pub fn bound_model_spans(&self) -> std::collections::HashSet<Range<usize>> {
        self.clients
            .iter()
            .filter_map(|c| c.model.as_ref())
            .chain(self.requests.iter().filter_map(|r| r.model.as_ref()))
            .map(|v| v.span.clone())
            .collect()
    }

    /// Index of the latest client whose binding ends in the same last path segment as
    /// `recv` (`self.client` for `client`, `client` for `app.client`).
    pub fn client_by_last_segment(&self, recv: &str) -> Option<usize> {
        let last = recv.rsplit('.').next().unwrap_or(recv);
        self.clients.iter().rposition(|c| {
            c.binding
                .as_deref()
                .is_some_and(|b| b.rsplit('.').next() == Some(last))
        })
    }

    /// The client a request goes through: the resolved one, else the one bound to its
    /// receiver, else the only OpenAI-compatible client in the document.
    pub fn client_of(&self, req: &Request) -> Option<&Client> {
        if let Some(i) = req.client {
            return self.clients.get(i);
        }
        if let Some(recv) = &req.receiver {
            if let Some(c) = self
                .clients
                .iter()
                .rev()
                .find(|c| c.binding.as_deref() == Some(recv.as_str()))
            {
                return Some(c);
            }
            if let Some(i) = self.client_by_last_segment(recv) {
                return self.clients.get(i);
            }
        }
        let mut compatible = self
            .clients
            .iter()
            .filter(|c| c.family != Family::Anthropic);
        match (compatible.next(), compatible.next()) {
            (Some(only), None) if req.receiver.is_some() => Some(only),
            _ => None,
        }
    }

    /// True when any import names `module` (prefix match on path segments).
    pub fn imports_module(&self, module: &str) -> bool {
        self.imports.iter().any(|m| {
            m == module
                || m.starts_with(&format!("{module}."))
                || m.starts_with(&format!("{module}/"))
        })
    }
}

/// Computes the facts of a document. Text formats and unparsed documents have none.
pub fn extract(doc: &Document, tree: Option<&tree_sitter::Tree>, settings: &Settings) -> Facts {
    if !doc.kind.is_code() {
        return extract_text(doc, settings);
    }
    let Some(tree) = tree else {
        return Facts::default();
    };
    let text = doc.text.as_str();
    let mut facts = match doc.kind {
        FileKind::Python => python::extract(tree, text, settings),
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => {
            javascript::extract(tree, text, settings)
        }
        FileKind::Rust => rust_lang::extract(tree, text, settings),
        _ => return Facts::default(),
    };
    add_string_json_models(&mut facts, tree, text);
    env_default_models(&mut facts);
    attach_inner_models(&mut facts);
    facts
}

/// A client's or request's model written as an expression the extractor cannot evaluate
/// (`cond ? "deepseek-chat" : "gpt-4o"`, `pick("deepseek-chat")`) that holds a model site:
/// the first such site is what that client or request sends, judged by its target rather
/// than by the document's.
fn attach_inner_models(facts: &mut Facts) {
    if facts.models.is_empty() {
        return;
    }
    let models = &mut facts.models;
    let slots = facts
        .clients
        .iter_mut()
        .map(|c| &mut c.model)
        .chain(facts.requests.iter_mut().map(|r| &mut r.model));
    for slot in slots {
        let Some(m) = slot.as_ref() else { continue };
        if !matches!(m.kind, ValueKind::Other(_)) {
            continue;
        }
        let outer = m.use_span.clone();
        let inner = models.iter().position(|s| {
            s.value.span.start >= outer.start
                && s.value.span.end <= outer.end
                && s.value.span != outer
        });
        if let Some(i) = inner {
            *slot = Some(models.remove(i).value);
        }
    }
}

/// Every model value read from the environment with a literal default, in any language,
/// judged by that default ([`env_default_model`]).
fn env_default_models(facts: &mut Facts) {
    let reads = std::mem::take(&mut facts.env_reads);
    let models = facts
        .clients
        .iter_mut()
        .filter_map(|c| c.model.as_mut())
        .chain(facts.requests.iter_mut().filter_map(|r| r.model.as_mut()))
        .chain(facts.models.iter_mut().map(|m| &mut m.value));
    for m in models {
        if matches!(m.kind, ValueKind::Env { .. }) {
            *m = env_default_model(m.clone(), &reads);
        }
    }
    facts.env_reads = reads;
    // A default written once may now be both a site and a client's or request's model: the
    // client or request, which knows its target, keeps it.
    let mut seen = facts.bound_model_spans();
    facts.models.retain(|m| seen.insert(m.value.span.clone()));
}

/// A model read from the environment with a literal default (`os.getenv("MODEL",
/// "deepseek-chat")`) is judged by its default, reported at the default literal.
pub(crate) fn env_default_model(v: Value, reads: &[EnvRead]) -> Value {
    let ValueKind::Env {
        default: Some(d), ..
    } = &v.kind
    else {
        return v;
    };
    if d.trim().is_empty() {
        return v;
    }
    let span = reads
        .iter()
        .filter(|r| r.span.start >= v.span.start && r.span.end <= v.span.end)
        .find_map(|r| r.default_span.clone());
    match span {
        Some(span) => Value {
            kind: ValueKind::Str(d.clone()),
            span,
            use_span: v.use_span,
        },
        None => v,
    }
}

/// Node kinds of string literals (and their content pieces) in the parsed languages.
const STRING_KINDS: &[&str] = &[
    "string",
    "string_content",
    "string_fragment",
    "template_string",
    "string_literal",
    "raw_string_literal",
    "concatenated_string",
];

/// Model sites of JSON written inside string literals (`'{"model": "deepseek-chat"}'`, a
/// template literal body, an escaped `"{\"model\": …}"`), the same for every language: a
/// pair counts when it lies inside a string literal node rather than being one (a dict or
/// object pair is the extractor's to judge) and no extracted model covers it.
fn add_string_json_models(facts: &mut Facts, tree: &tree_sitter::Tree, text: &str) {
    if !text.contains("model") {
        return;
    }
    let root = tree.root_node();
    for v in text::json_pairs_in_code(text) {
        let taken = facts
            .clients
            .iter()
            .filter_map(|c| c.model.as_ref())
            .chain(facts.requests.iter().filter_map(|r| r.model.as_ref()))
            .chain(facts.models.iter().map(|m| &m.value))
            .any(|m| m.span.start < v.span.end && v.span.start < m.span.end);
        if taken {
            continue;
        }
        let Some(node) = root.descendant_for_byte_range(v.span.start, v.span.end) else {
            continue;
        };
        let escaped = !text[v.span.clone()].starts_with('"');
        let inside = node.start_byte() < v.span.start || node.end_byte() > v.span.end;
        if STRING_KINDS.contains(&node.kind()) && (escaped || inside) && !is_response(node, text) {
            facts.models.push(ModelSite { value: v });
        }
    }
    facts.models.sort_by_key(|m| m.value.span.start);
}

/// True when the string literal holding a JSON pair is an API *response* (a test fixture
/// that a client deserializes: `"choices": […]`, `"object": "chat.completion"`): its
/// `model` says what answered, not what is sent.
fn is_response(node: tree_sitter::Node<'_>, text: &str) -> bool {
    let mut lit = node;
    while let Some(p) = lit.parent().filter(|p| STRING_KINDS.contains(&p.kind())) {
        lit = p;
    }
    names::is_response_body(text.get(lit.byte_range()).unwrap_or(""))
}

/// Computes the facts of a text-format document (env, YAML, JSON, TOML, INI, shell,
/// Dockerfile): model sites, URLs and requests found by [`text::extract`].
pub fn extract_text(doc: &Document, settings: &Settings) -> Facts {
    text::extract(doc, settings)
}
