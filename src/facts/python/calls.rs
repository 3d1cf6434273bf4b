//! The second pass over Python calls: SDK clients, API requests (SDK, langchain, litellm,
//! raw HTTP) and the remaining model sites.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tree_sitter::Node;

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
        if f.kind() == "identifier" && syms.defined.contains(syms.src(f)) {
            return None;
        }
        let name = syms.qualified(f);
        // Borrowed, not cloned: this runs for every call in the file.
        let origin = syms.origin_module(f);
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

    /// litellm `completion(model=…, api_base=…, api_key=…)`.
    fn litellm(&self, call: Node<'t>, scope: usize) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        let q = syms.qualified(f);
        let last = q.rsplit('.').next().unwrap_or(&q);
        let api = LITELLM
            .iter()
            .find(|(n, _)| *n == q || (!n.contains('.') && *n == last))?
            .1;
        let (kw, _) = kwargs(syms, call, scope);
        let get = |names: &[&str]| {
            kw.iter()
                .find(|(k, ..)| names.contains(&k.as_str()))
                .map(|(_, _, v, s)| syms.value(*v, *s))
        };
        let model = get(&["model"]).or_else(|| positional(call, 0).map(|n| syms.value(n, scope)));
        Some(Request {
            receiver: None,
            client: None,
            api: api.to_string(),
            api_span: f.byte_range(),
            model,
            url: get(&["api_base", "base_url"]),
            api_key: get(&["api_key"]),
        })
    }

    /// A litellm-routed model under another option name: `LLMConfig(provider="deepseek/…",
    /// api_token=…, base_url=…)` (crawl4ai and other wrappers that hand `provider` to litellm).
    /// Only a `provider/model` string counts.
    fn litellm_provider(&self, call: Node<'t>, scope: usize) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        let (kw, _) = kwargs(syms, call, scope);
        let get = |names: &[&str]| {
            kw.iter()
                .find(|(k, ..)| names.contains(&k.as_str()))
                .map(|(_, _, v, s)| syms.value(*v, *s))
        };
        let model = get(&["provider", "llm_provider"])?;
        let (prefix, rest) = model.as_str()?.split_once('/')?;
        let is_provider = !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !is_provider || rest.is_empty() || rest.contains(char::is_whitespace) {
            return None;
        }
        Some(Request {
            receiver: None,
            client: None,
            api: "litellm.completion".into(),
            api_span: f.byte_range(),
            model: Some(model),
            url: get(&["api_base", "base_url"]),
            api_key: get(&["api_token", "api_key"]),
        })
    }

    /// The `base_url=` of the HTTP client a request method is called on (`httpx.Client` /
    /// `httpx.AsyncClient(base_url=…)`, bound by assignment or `with … as`).
    fn http_client_base(&self, f: Node<'t>, scope: usize) -> Option<Value> {
        let syms = self.syms;
        let obj = f.child_by_field_name("object")?;
        let (d, s) = syms.definition(obj, scope);
        if d.kind() != "call" {
            return None;
        }
        let ctor = d.child_by_field_name("function")?;
        let name = compact(syms.src(ctor));
        let last = name.rsplit('.').next().unwrap_or(&name);
        if !matches!(last, "Client" | "AsyncClient") {
            return None;
        }
        let (kw, _) = kwargs(syms, d, s);
        kw.iter()
            .find(|(k, ..)| k == "base_url")
            .map(|(_, _, v, vs)| syms.value(*v, *vs))
    }

    /// `requests.post(url, json={...}, headers=...)` and friends.
    fn http(&self, call: Node<'t>, scope: usize) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        if f.kind() != "attribute" {
            return None;
        }
        let method = f.child_by_field_name("attribute").map(|a| syms.src(a))?;
        let (kw, _) = kwargs(syms, call, scope);
        let kwarg = |name: &str| {
            kw.iter()
                .find(|(k, ..)| k == name)
                .map(|(_, _, v, s)| (*v, *s))
        };
        let url_node = match method {
            "post" => kwarg("url").or_else(|| positional(call, 0).map(|n| (n, scope))),
            "request" => {
                let m = positional(call, 0).and_then(|n| syms.literal(n))?;
                if !m.eq_ignore_ascii_case("post") {
                    return None;
                }
                kwarg("url").or_else(|| positional(call, 1).map(|n| (n, scope)))
            }
            _ => return None,
        }?;
        let mut url = syms.value(url_node.0, url_node.1);
        // A path on a client with a base URL: `client.post("/chat/completions", …)`.
        if let (Some(path), Some(base)) = (url.as_str(), self.http_client_base(f, scope)) {
            if !path.starts_with("http://") && !path.starts_with("https://") {
                url.kind = match base.as_str() {
                    Some(b) if path.is_empty() => ValueKind::Str(b.to_string()),
                    Some(b) => ValueKind::Str(format!(
                        "{}/{}",
                        b.trim_end_matches('/'),
                        path.trim_start_matches('/')
                    )),
                    None => base.kind.clone(),
                };
            }
        }
        let payload = kwarg("json")
            .or_else(|| kwarg("data"))
            .or_else(|| kwarg("content"));
        let payload = payload.map(|(n, s)| {
            // `data=json.dumps(payload)`
            if n.kind() == "call" {
                let fname = n
                    .child_by_field_name("function")
                    .map(|x| compact(syms.src(x)))
                    .unwrap_or_default();
                if fname.ends_with("dumps") {
                    if let Some(a) = positional(n, 0) {
                        return (a, s);
                    }
                }
            }
            (n, s)
        });
        let dict = payload.and_then(|(n, s)| syms.dict_of(n, s));
        let model = dict.and_then(|(d, s)| syms.dict_get(d, "model").map(|v| syms.value(v, s)));
        let is_http = url
            .as_str()
            .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"));
        if !is_http && model.is_none() {
            return None;
        }
        let api_key = kwarg("headers")
            .and_then(|(n, s)| syms.dict_of(n, s))
            .and_then(|(d, s)| {
                syms.dict_items(d)
                    .into_iter()
                    .find(|(k, ..)| k.eq_ignore_ascii_case("authorization"))
                    .map(|(_, _, v)| syms.value(v, s))
            });
        Some(Request {
            receiver: None,
            client: None,
            api: "http".into(),
            api_span: url.use_span.clone(),
            model,
            url: Some(url),
            api_key,
        })
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

    /// `<receiver>.<api path>(...)` and langchain `llm.invoke(...)`.
    fn sdk_request(&self, call: Node<'t>, scope: usize, facts: &Facts) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        let mut segs: Vec<(&'t str, Range<usize>)> = Vec::new();
        let mut cur = f;
        loop {
            match cur.kind() {
                "attribute" => {
                    let a = cur.child_by_field_name("attribute")?;
                    segs.push((syms.src(a), a.byte_range()));
                    cur = cur.child_by_field_name("object")?;
                }
                "call" => {
                    let g = cur.child_by_field_name("function")?;
                    let is_with_options = g.kind() == "attribute"
                        && g.child_by_field_name("attribute")
                            .is_some_and(|a| syms.src(a) == "with_options");
                    if !is_with_options {
                        break;
                    }
                    cur = g.child_by_field_name("object")?;
                }
                _ => break,
            }
        }
        if segs.is_empty() {
            return None;
        }
        segs.reverse();
        let base = cur;
        let names: Vec<&str> = segs.iter().map(|(s, _)| *s).collect();
        let is_openai_module =
            |t: &str| t == "openai" || syms.aliases.get(t).map(String::as_str) == Some("openai");
        let base_text = compact(syms.src(base));

        // The API path: the earliest start where a known API key (plus a verb) follows.
        let mut found: Option<(usize, String)> = None;
        if is_openai_module(&base_text) && names.len() == 2 {
            if let Some((_, api)) = LEGACY.iter().find(|(r, _)| *r == names[0]) {
                found = Some((0, format!("{api}.create")));
            }
        }
        if found.is_none() {
            'outer: for i in 0..names.len() {
                for k in &self.keys {
                    if names.len() > i + k.len() && names[i..i + k.len()] == k[..] {
                        found = Some((i, names[i..].join(".")));
                        break 'outer;
                    }
                }
            }
        }
        let receiver_of = |j: usize| -> String {
            let mut j = j;
            while j > 0 && WRAPPERS.contains(&names[j - 1]) {
                j -= 1;
            }
            if j == 0 {
                base_text.clone()
            } else {
                compact(&syms.text[base.start_byte()..segs[j - 1].1.end])
            }
        };
        let bound = |recv: &str| {
            let last = recv.rsplit('.').next().unwrap_or(recv);
            facts.clients.iter().any(|c| {
                c.binding
                    .as_deref()
                    .is_some_and(|b| b == recv || b.rsplit('.').next() == Some(last))
            })
        };
        let model_of = || {
            let (kw, _) = kwargs(syms, call, scope);
            kw.iter()
                .find(|(k, ..)| k == "model")
                .map(|(_, _, v, s)| syms.value(*v, *s))
        };

        if let Some((i, api)) = found {
            let receiver = receiver_of(i);
            let client = if receiver == base_text {
                self.resolve_client(base, scope)
            } else {
                let last = receiver.rsplit('.').next().unwrap_or(&receiver);
                self.fn_clients.get(last).copied()
            };
            let last = receiver
                .rsplit('.')
                .next()
                .unwrap_or(&receiver)
                .to_ascii_lowercase();
            let module_level = is_openai_module(&receiver) && !bound(&receiver);
            let plausible = client.is_some()
                || module_level
                || bound(&receiver)
                || DISTINCTIVE_ROOTS.contains(&names[i])
                || CLIENT_WORDS.iter().any(|w| last.contains(w));
            if !plausible {
                return None;
            }
            let api_span = segs[i].1.start..segs[segs.len() - 1].1.end;
            return Some(Request {
                receiver: (!module_level).then_some(receiver),
                client,
                api,
                api_span,
                model: model_of(),
                url: None,
                api_key: None,
            });
        }
        // langchain: `llm.invoke(...)` on a bound chat model.
        let method = *names.last()?;
        if LANGCHAIN_METHODS.contains(&method) {
            let receiver = receiver_of(names.len() - 1);
            let client = if receiver == base_text {
                self.resolve_client(base, scope)
            } else {
                None
            };
            if client.is_none() && !bound(&receiver) {
                return None;
            }
            let r = &segs[segs.len() - 1].1;
            return Some(Request {
                receiver: Some(receiver),
                client,
                api: method.to_string(),
                api_span: r.clone(),
                model: model_of(),
                url: None,
                api_key: None,
            });
        }
        None
    }
}
