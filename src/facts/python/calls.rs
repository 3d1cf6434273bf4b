//! The second pass over Python calls: SDK clients, API requests (SDK, langchain, litellm,
//! raw HTTP) and the remaining model sites. SDK and litellm requests are read in
//! [`requests`], plain HTTP requests in [`http`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tree_sitter::Node;

mod http;
mod requests;

use super::symbols::{compact, Symbols};
use super::Collected;
use crate::facts::env_default_model;
use crate::facts::names::is_model_name;
use crate::facts::sdks::{SdkEntry, TABLE};
use crate::facts::{Client, Facts, ModelSite, Request, Value, ValueKind};
use crate::settings::Settings;

/// langchain runnable methods that send a request through a bound chat model.
const LANGCHAIN_METHODS: &[&str] = &[
    "invoke", "ainvoke", "stream", "astream", "batch", "abatch", "predict", "apredict",
];

/// litellm entry points: qualified name → request API.
const LITELLM: &[(&str, &str)] = &[
    ("litellm.completion", "litellm.completion"),
    ("litellm.acompletion", "litellm.completion"),
    ("litellm.text_completion", "litellm.completion"),
    ("litellm.atext_completion", "litellm.completion"),
    ("litellm.embedding", "litellm.embedding"),
    ("litellm.aembedding", "litellm.embedding"),
    // Wrappers that route through litellm (`provider/model` names).
    ("dspy.LM", "litellm.completion"),
    ("crewai.LLM", "litellm.completion"),
    ("ChatLiteLLM", "litellm.completion"),
    ("ChatLiteLLMRouter", "litellm.completion"),
    // smolagents / strands `LiteLLMModel(model_id=…)`, Google ADK `LiteLlm(model=…)`,
    // llama-index `LiteLLM(model=…)`.
    ("LiteLLMModel", "litellm.completion"),
    ("LiteLlm", "litellm.completion"),
    ("LiteLLM", "litellm.completion"),
];

/// openai 0.x module resources → the 1.x API path.
const LEGACY: &[(&str, &str)] = &[
    ("ChatCompletion", "chat.completions"),
    ("Completion", "completions"),
    ("Embedding", "embeddings"),
    ("Image", "images"),
    ("Moderation", "moderations"),
];

/// API roots distinctive enough to be a request whatever the receiver's name.
const DISTINCTIVE_ROOTS: &[&str] = &[
    "chat",
    "beta",
    "responses",
    "embeddings",
    "moderations",
    "fine_tuning",
    "vector_stores",
    "realtime",
    "conversations",
];

/// Receiver names that look like an SDK client.
const CLIENT_WORDS: &[&str] = &["client", "openai", "deepseek", "llm", "api"];

/// Segments between a client and its API path that do not change the API.
const WRAPPERS: &[&str] = &["with_raw_response", "with_streaming_response"];

/// The API paths of the SDK table, split into segments (longest first).
fn api_keys() -> Vec<Vec<&'static str>> {
    let mut keys: Vec<Vec<&'static str>> = TABLE
        .apis
        .supported
        .iter()
        .map(String::as_str)
        .chain(TABLE.apis.unsupported.keys().map(String::as_str))
        .filter(|k| !k.contains('-') && !LANGCHAIN_METHODS.contains(k))
        .map(|k| k.split('.').collect())
        .collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    keys
}

struct Pass<'a, 't> {
    syms: &'a Symbols<'t>,
    imports: Vec<String>,
    /// Client constructor call node id → client index.
    client_calls: HashMap<usize, usize>,
    /// Function name → client it returns.
    fn_clients: HashMap<String, usize>,
    keys: Vec<Vec<&'static str>>,
}

/// Runs the second pass.
pub(crate) fn second_pass<'t>(
    syms: &Symbols<'t>,
    col: &Collected<'t>,
    facts: &mut Facts,
    _settings: &Settings,
) {
    let mut p = Pass {
        syms,
        imports: facts.imports.clone(),
        client_calls: HashMap::new(),
        fn_clients: HashMap::new(),
        keys: api_keys(),
    };
    for &(call, scope) in &col.calls {
        if let Some(c) = p.client(call, scope) {
            p.client_calls.insert(call.id(), facts.clients.len());
            facts.clients.push(c);
        }
    }
    // Functions that return a client (`def get_client(): return OpenAI(...)`); a function
    // returning different clients (one per provider) is ambiguous and left out.
    let mut ambiguous: HashSet<String> = HashSet::new();
    for (fname, e, scope) in &col.returns {
        let (d, _) = syms.definition(*e, *scope);
        if let Some(&i) = p.client_calls.get(&d.id()) {
            if p.fn_clients
                .insert(fname.clone(), i)
                .is_some_and(|prev| prev != i)
            {
                ambiguous.insert(fname.clone());
            }
        }
    }
    p.fn_clients.retain(|f, _| !ambiguous.contains(f));
    // `client.base_url = "…"` after construction.
    for c in &mut facts.clients {
        let Some(b) = c.binding.clone() else { continue };
        for opt in ["base_url", "api_key"] {
            let Some(a) = syms
                .assigns
                .get(&format!("{b}.{opt}"))
                .and_then(|l| l.last())
            else {
                continue;
            };
            let v = syms.value(a.value, a.scope);
            match opt {
                "base_url" => {
                    c.base_url.get_or_insert(v);
                }
                _ => {
                    c.api_key.get_or_insert(v);
                }
            }
        }
    }
    let mut site_nodes: Vec<(Node<'t>, usize)> = Vec::new();
    for &(call, scope) in &col.calls {
        if p.client_calls.contains_key(&call.id()) {
            continue;
        }
        if let Some(r) = p
            .litellm(call, scope)
            .or_else(|| p.litellm_provider(call, scope))
            .or_else(|| p.http(call, scope))
            .or_else(|| p.sdk_request(call, scope, facts))
        {
            facts.requests.push(r);
            continue;
        }
        // Any other call: its `model=` keyword is a model site.
        if let Some(args) = call.child_by_field_name("arguments") {
            let mut cursor = args.walk();
            for a in args.named_children(&mut cursor) {
                if a.kind() != "keyword_argument" {
                    continue;
                }
                let name = a.child_by_field_name("name").map(|n| syms.src(n));
                if name.is_some_and(is_model_name) {
                    if let Some(v) = a.child_by_field_name("value") {
                        site_nodes.push((v, scope));
                    }
                }
            }
        }
    }
    for c in &mut facts.clients {
        if let Some(m) = c.model.take() {
            c.model = Some(env_default_model(m, &facts.env_reads));
        }
    }
    for r in &mut facts.requests {
        if let Some(m) = r.model.take() {
            r.model = Some(env_default_model(m, &facts.env_reads));
        }
    }
    site_nodes.extend(col.model_pairs.iter().copied());
    site_nodes.extend(col.model_names.iter().copied());
    let mut seen = facts.bound_model_spans();
    site_nodes.sort_by_key(|(n, _)| n.start_byte());
    for (n, scope) in site_nodes {
        let v = env_default_model(syms.value(n, scope), &facts.env_reads);
        if !matches!(v.kind, ValueKind::Str(_)) {
            continue;
        }
        if !seen.insert(v.span.clone()) {
            continue;
        }
        // `{"model": "…", "base_url": "https://api.deepseek.com"}`: a settings dict; the model
        // goes where its base URL says.
        if let Some((key, url)) = sibling_base_url(syms, n, scope) {
            facts.requests.push(Request {
                receiver: None,
                client: None,
                api: "config".into(),
                api_span: key,
                model: Some(v),
                url: Some(url),
                api_key: None,
            });
        } else {
            facts.models.push(ModelSite { value: v });
        }
    }
}

/// Dict keys that hold an API base URL.
const BASE_URL_KEYS: &[&str] = &[
    "base_url",
    "api_base",
    "baseURL",
    "base_url_v1",
    "openai_api_base",
];

/// For a dict value `n` (`{"model": n, …}`): the model key's span and the base URL given in
/// the same dict literal, when it is a known `http(s)://` string.
fn sibling_base_url<'t>(
    syms: &Symbols<'t>,
    n: Node<'t>,
    scope: usize,
) -> Option<(Range<usize>, Value)> {
    let pair = n.parent().filter(|p| p.kind() == "pair")?;
    let key = pair.child_by_field_name("key")?;
    let dict = pair.parent().filter(|d| d.kind() == "dictionary")?;
    let (_, _, u) = syms
        .dict_items(dict)
        .into_iter()
        .find(|(k, ..)| BASE_URL_KEYS.contains(&k.as_str()))?;
    let url = syms.value(u, scope);
    url.as_str()
        .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
        .then_some((key.byte_range(), url))
}

/// The keyword arguments of a call: `(name, name span, value)`, with `**dict` splats of
/// literal dicts expanded; unresolved splats are returned separately.
#[allow(clippy::type_complexity)]
fn kwargs<'t>(
    syms: &Symbols<'t>,
    call: Node<'t>,
    scope: usize,
) -> (Vec<(String, Range<usize>, Node<'t>, usize)>, Vec<Node<'t>>) {
    let mut out = Vec::new();
    let mut unresolved = Vec::new();
    let Some(args) = call.child_by_field_name("arguments") else {
        return (out, unresolved);
    };
    let mut cursor = args.walk();
    for a in args.named_children(&mut cursor) {
        match a.kind() {
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (
                    a.child_by_field_name("name"),
                    a.child_by_field_name("value"),
                ) {
                    out.push((syms.src(k).to_string(), k.byte_range(), v, scope));
                }
            }
            "dictionary_splat" => {
                let Some(inner) = a.named_child(0) else {
                    continue;
                };
                match syms.dict_of(inner, scope) {
                    Some((d, s)) => {
                        for (k, kn, v) in syms.dict_items(d) {
                            out.push((k, kn.byte_range(), v, s));
                        }
                    }
                    None => unresolved.push(a),
                }
            }
            _ => {}
        }
    }
    (out, unresolved)
}

/// For `super().__init__` inside a class body, the class's first base (`OpenAI` in
/// `class DeepSeek(OpenAI)`): the call constructs that base's client.
fn super_init_base<'t>(syms: &Symbols<'t>, f: Node<'t>) -> Option<Node<'t>> {
    if f.kind() != "attribute" || syms.src(f.child_by_field_name("attribute")?) != "__init__" {
        return None;
    }
    let obj = f.child_by_field_name("object")?;
    let callee = obj.child_by_field_name("function");
    if obj.kind() != "call" || callee.map(|g| syms.src(g)) != Some("super") {
        return None;
    }
    let mut up = f.parent();
    while let Some(p) = up.filter(|p| p.kind() != "class_definition") {
        up = p.parent();
    }
    let supers = up?.child_by_field_name("superclasses")?;
    let mut cursor = supers.walk();
    let first = supers
        .named_children(&mut cursor)
        .find(|a| matches!(a.kind(), "identifier" | "attribute"));
    first
}

/// The first positional argument of a call.
fn positional<'t>(call: Node<'t>, i: usize) -> Option<Node<'t>> {
    let args = call.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    let found = args
        .named_children(&mut cursor)
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "dictionary_splat" | "list_splat" | "comment"
            )
        })
        .nth(i);
    found
}

/// What a constructor call is bound to: the assignment target (through wrapping calls such
/// as `instructor.from_openai(OpenAI())`) or the `with … as x` name.
fn binding_of(syms: &Symbols<'_>, call: Node<'_>) -> Option<String> {
    let mut cur = call;
    while let Some(p) = cur.parent() {
        match p.kind() {
            "argument_list" | "keyword_argument" | "parenthesized_expression" | "await" => {}
            "call" => {
                if p.child_by_field_name("function").map(|f| f.id()) == Some(cur.id()) {
                    return None;
                }
            }
            "assignment" => {
                let is_right = p.child_by_field_name("right").map(|r| r.id()) == Some(cur.id());
                return is_right
                    .then(|| p.child_by_field_name("left").map(|l| compact(syms.src(l))))
                    .flatten();
            }
            "as_pattern" => {
                return p.child_by_field_name("alias").map(|a| compact(syms.src(a)));
            }
            _ => return None,
        }
        cur = p;
    }
    None
}

impl<'t> Pass<'_, 't> {
    /// A client constructor call.
    fn client(&self, call: Node<'t>, scope: usize) -> Option<Client> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        if !matches!(f.kind(), "identifier" | "attribute") {
            return None;
        }
        // `super().__init__(…)` in `class DeepSeek(OpenAI)` constructs the base class's client.
        let ctor = match super_init_base(syms, f) {
            Some(base) => base,
            None if f.kind() == "identifier" && syms.defined.contains(syms.src(f)) => return None,
            None => f,
        };
        let name = syms.qualified(ctor);
        // Borrowed, not cloned: this runs for every call in the file.
        let origin = syms.origin_module(ctor);
        let imports: &[String] = match &origin {
            Some(m) => std::slice::from_ref(m),
            None => &self.imports,
        };
        let entry: &SdkEntry = TABLE.constructor("python", &name, imports)?;
        let args = call.child_by_field_name("arguments")?;
        let (kw, unresolved) = kwargs(syms, call, scope);
        let mut c = Client::new(
            entry,
            binding_of(syms, call),
            call.byte_range(),
            f.byte_range(),
        );
        for (k, kspan, v, s) in kw {
            let val = syms.value(v, s);
            if entry.base_url.contains(&k) {
                c.base_url.get_or_insert(val);
            } else if entry.api_key.contains(&k) {
                c.api_key.get_or_insert(val);
            } else if entry.model.contains(&k) {
                c.model.get_or_insert(val);
            } else if entry.misspelled_base_url.contains(&k) {
                c.misspelled_base_url.push((k, kspan, val));
            }
        }
        if let Some(splat) = unresolved.first() {
            let v = Value {
                kind: ValueKind::Other(compact(syms.src(*splat))),
                span: splat.byte_range(),
                use_span: splat.byte_range(),
            };
            c.base_url.get_or_insert(v.clone());
            c.api_key.get_or_insert(v);
        }
        let mut cursor = args.walk();
        let last = args
            .named_children(&mut cursor)
            .filter(|a| a.kind() != "comment")
            .last();
        c.insert_at = Some(match last {
            Some(a) => a.end_byte(),
            None => args.start_byte() + 1,
        });
        Some(c)
    }

    /// The client a receiver expression resolves to, if the extractor can tell.
    fn resolve_client(&self, base: Node<'t>, scope: usize) -> Option<usize> {
        let (d, _) = self.syms.definition(base, scope);
        if let Some(&i) = self.client_calls.get(&d.id()) {
            return Some(i);
        }
        if d.kind() == "call" {
            let f = d.child_by_field_name("function")?;
            let name = compact(self.syms.src(f));
            let last = name.rsplit('.').next().unwrap_or(&name);
            return self.fn_clients.get(last).copied();
        }
        if matches!(d.kind(), "identifier" | "attribute") {
            let name = compact(self.syms.src(d));
            let last = name.rsplit('.').next().unwrap_or(&name);
            if name.starts_with("self.") {
                return self.fn_clients.get(last).copied();
            }
        }
        None
    }
}
