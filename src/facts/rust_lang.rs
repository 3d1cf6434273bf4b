//! Fact extraction for Rust (see [`super::Facts`]).
//!
//! Understands `async-openai` (`OpenAIConfig::new().with_api_key(..).with_api_base(..)`,
//! `Client::with_config(config)`, `Client::new()`, `client.chat().create(req)` with
//! `CreateChatCompletionRequestArgs::default().model(..)` builders), environment reads
//! (`std::env::var`, `env::var`, `dotenvy::var`, with `unwrap_or*` defaults), `reqwest`
//! `.post(url)` chains with `json!` bodies and bearer auth, constants, URLs and DeepSeek names.
//! Nodes are collected once in pre-order (no recursion over the tree); value resolution is
//! depth-limited.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::names::{names_deepseek_api, names_setting, squash_prefix};
use super::sdks::{SdkEntry, TABLE};
use super::{Client, EnvRead, Facts, GlobalSetting, Request, Value, ValueKind};
use crate::settings::Settings;

/// How deep value resolution follows constants and method chains.
const MAX_DEPTH: u8 = 12;

/// async-openai client methods that open an API group (`client.chat()`), with the path.
const API_GROUPS: &[(&str, &str)] = &[
    ("chat", "chat.completions"),
    ("completions", "completions"),
    ("embeddings", "embeddings"),
    ("responses", "responses"),
    ("images", "images"),
    ("audio", "audio"),
    ("moderations", "moderations"),
    ("files", "files"),
    ("fine_tuning", "fine_tuning"),
    ("assistants", "assistants"),
    ("threads", "threads"),
    ("vector_stores", "vector_stores"),
    ("batches", "batches"),
    ("uploads", "uploads"),
    ("models", "models"),
    ("containers", "containers"),
    ("conversations", "conversations"),
    ("realtime", "realtime"),
];

/// Groups that other libraries use too: they need a client-like receiver.
const AMBIGUOUS_GROUPS: &[&str] = &[
    "completions",
    "files",
    "models",
    "batches",
    "uploads",
    "containers",
    "conversations",
];

/// Last methods of an async-openai API path besides `create*` (`client.files().list()`).
const RUST_API_METHODS: &[&str] = &[
    "retrieve",
    "list",
    "delete",
    "cancel",
    "update",
    "transcribe",
    "transcribe_raw",
    "translate",
    "speech",
    "upload",
    "content",
    "search",
    "compact",
    "modify",
];

/// Functions that read an environment variable, with the `via` they are recorded under.
const ENV_FUNCTIONS: &[(&str, &str)] = &[
    ("std::env::var", "std::env::var"),
    ("env::var", "std::env::var"),
    ("::std::env::var", "std::env::var"),
    ("std::env::var_os", "std::env::var_os"),
    ("env::var_os", "std::env::var_os"),
    ("dotenvy::var", "dotenvy::var"),
    ("dotenv::var", "dotenv::var"),
];

/// Extracts the facts of a parsed document.
pub fn extract(tree: &Tree, text: &str, settings: &Settings) -> Facts {
    let mut x = Extractor::new(tree, text, settings);
    x.collect();
    x.analyze();
    x.facts
}

/// An `OpenAIConfig` builder chain.
struct Config {
    entry: &'static SdkEntry,
    binding: Option<String>,
    span: Range<usize>,
    callee_span: Range<usize>,
    base_url: Option<Value>,
    api_key: Option<Value>,
    insert_at: usize,
    used: bool,
}

/// One method call of a chain: name, its field node, the call node.
struct Method<'t> {
    name: &'t str,
    field: Node<'t>,
    call: Node<'t>,
}

struct Extractor<'t> {
    text: &'t str,
    settings: &'t Settings,
    nodes: Vec<Node<'t>>,
    /// Parent of each node, by node id.
    parents: HashMap<usize, Node<'t>>,
    facts: Facts,
    /// `let`/`const`/`static` values by name: (start byte, value node).
    decls: HashMap<&'t str, Vec<(usize, Node<'t>)>>,
    /// Names brought in by `use`, with their full path (`Client` → `async_openai::Client`).
    uses: HashMap<String, String>,
    configs: Vec<Config>,
    consumed: Vec<Range<usize>>,
}

impl<'t> Extractor<'t> {
    fn new(tree: &'t Tree, text: &'t str, settings: &'t Settings) -> Extractor<'t> {
        let (nodes, parents) = super::tree::preorder_with_parents(tree);
        Extractor {
            text,
            settings,
            nodes,
            parents,
            facts: Facts::default(),
            decls: HashMap::new(),
            uses: HashMap::new(),
            configs: Vec::new(),
            consumed: Vec::new(),
        }
    }

    /// The parent of a node (from the table built while walking).
    fn up(&self, n: Node<'t>) -> Option<Node<'t>> {
        self.parents.get(&n.id()).copied()
    }

    fn t(&self, n: Node<'_>) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    // ----- pass 1 -------------------------------------------------------------------------

    fn collect(&mut self) {
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "use_declaration" => self.on_use(n),
                "let_declaration" => {
                    if let (Some(p), Some(v)) = (
                        n.child_by_field_name("pattern"),
                        n.child_by_field_name("value"),
                    ) {
                        let p = if p.kind() == "mut_pattern" {
                            p.named_child(p.named_child_count().saturating_sub(1))
                                .unwrap_or(p)
                        } else {
                            p
                        };
                        if p.kind() == "identifier" {
                            self.decls
                                .entry(self.t(p))
                                .or_default()
                                .push((n.start_byte(), v));
                        }
                    }
                }
                "const_item" | "static_item" => {
                    if let (Some(name), Some(v)) = (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("value"),
                    ) {
                        self.decls
                            .entry(self.t(name))
                            .or_default()
                            .push((n.start_byte(), v));
                    }
                }
                "scoped_identifier" | "scoped_type_identifier" => {
                    // Fully qualified use without `use`: `async_openai::Client::new()`.
                    let t = self.t(n);
                    if let Some((head, _)) = t.split_once("::") {
                        if matches!(
                            head,
                            "async_openai" | "reqwest" | "dotenvy" | "openai_api_rs"
                        ) {
                            self.push_import(head.to_string());
                        }
                    }
                }
                "extern_crate_declaration" => {
                    if let Some(name) = n.child_by_field_name("name") {
                        self.push_import(self.t(name).to_string());
                    }
                }
                _ => {}
            }
        }
    }

    fn push_import(&mut self, m: String) {
        if !self.facts.imports.contains(&m) {
            self.facts.imports.push(m);
        }
    }

    /// `use a::b::{C, d::E as F};`: records the crate and each imported name's path.
    fn on_use(&mut self, n: Node<'t>) {
        let Some(arg) = n.child_by_field_name("argument") else {
            return;
        };
        // Explicit stack of (node, path prefix).
        let mut stack: Vec<(Node<'t>, String)> = vec![(arg, String::new())];
        let mut guard = 0;
        while let Some((node, prefix)) = stack.pop() {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            let join = |s: &str| {
                if prefix.is_empty() {
                    s.to_string()
                } else {
                    format!("{prefix}::{s}")
                }
            };
            match node.kind() {
                "identifier" | "scoped_identifier" | "crate" | "self" | "super" => {
                    let full = join(&squash(self.t(node)));
                    let last = full.rsplit("::").next().unwrap_or(&full).to_string();
                    self.record_use(last, full);
                }
                "use_as_clause" => {
                    if let (Some(p), Some(a)) = (
                        node.child_by_field_name("path"),
                        node.child_by_field_name("alias"),
                    ) {
                        let full = join(&squash(self.t(p)));
                        self.record_use(self.t(a).to_string(), full);
                    }
                }
                "scoped_use_list" => {
                    let p = node
                        .child_by_field_name("path")
                        .map(|p| join(&squash(self.t(p))))
                        .unwrap_or(prefix.clone());
                    if let Some(list) = node.child_by_field_name("list") {
                        stack.push((list, p));
                    }
                }
                "use_list" => {
                    let mut c = node.walk();
                    for ch in node.named_children(&mut c) {
                        stack.push((ch, prefix.clone()));
                    }
                }
                "use_wildcard" => {
                    let full = join(self.t(node).trim_end_matches("::*"));
                    let head = full.split("::").next().unwrap_or("").to_string();
                    if !head.is_empty() {
                        self.push_import(head);
                    }
                }
                _ => {}
            }
        }
    }

    fn record_use(&mut self, local: String, full: String) {
        let head = full.split("::").next().unwrap_or("").to_string();
        if !head.is_empty() && !matches!(head.as_str(), "crate" | "self" | "super") {
            self.push_import(head);
        }
        self.uses.insert(local, full);
    }

    /// The full path a (possibly scoped) name stands for, through `use`.
    fn full_path(&self, written: &str) -> String {
        let (head, rest) = match written.split_once("::") {
            Some((h, r)) => (h, Some(r)),
            None => (written, None),
        };
        match (self.uses.get(head), rest) {
            (Some(full), Some(r)) => format!("{full}::{r}"),
            (Some(full), None) => full.clone(),
            _ => written.to_string(),
        }
    }

    fn imports_async_openai(&self) -> bool {
        self.facts
            .imports
            .iter()
            .any(|m| m == "async_openai" || m == "openai_api_rs")
    }

    fn decl(&self, name: &str, at: usize) -> Option<Node<'t>> {
        let list = self.decls.get(name)?;
        list.iter()
            .rev()
            .find(|(s, _)| *s < at)
            .or_else(|| list.first())
            .map(|(_, v)| *v)
    }

    // ----- chains and values --------------------------------------------------------------

    /// Splits `a.b(x).c(y)` into its base (`a`) and method calls (`b`, `c`) in source order.
    /// Does not look through `?` or `.await`.
    fn chain(&self, mut n: Node<'t>) -> (Node<'t>, Vec<Method<'t>>) {
        let mut methods = Vec::new();
        for _ in 0..512 {
            if n.kind() != "call_expression" {
                break;
            }
            let Some(f) = n.child_by_field_name("function") else {
                break;
            };
            let f = if f.kind() == "generic_function" {
                f.child_by_field_name("function").unwrap_or(f)
            } else {
                f
            };
            if f.kind() != "field_expression" {
                break;
            }
            let (Some(v), Some(field)) = (
                f.child_by_field_name("value"),
                f.child_by_field_name("field"),
            ) else {
                break;
            };
            methods.push(Method {
                name: self.t(field),
                field,
                call: n,
            });
            n = v;
        }
        methods.reverse();
        (n, methods)
    }

    /// The path a call's function names (`OpenAIConfig::new`, `std::env::var`), if it is a
    /// plain or scoped identifier.
    fn callee_path(&self, call: Node<'t>) -> Option<String> {
        let f = call.child_by_field_name("function")?;
        let f = if f.kind() == "generic_function" {
            f.child_by_field_name("function")?
        } else {
            f
        };
        matches!(f.kind(), "identifier" | "scoped_identifier").then(|| squash(self.t(f)))
    }

    fn value(&self, node: Node<'t>) -> Value {
        let use_span = node.byte_range();
        let (kind, span) = self.resolve(node, 0);
        Value {
            kind,
            span: span.unwrap_or_else(|| use_span.clone()),
            use_span,
        }
    }

    fn resolve(&self, node: Node<'t>, depth: u8) -> (ValueKind, Option<Range<usize>>) {
        let node = unwrap_ref(node);
        let other = || (ValueKind::Other(squash(self.t(node))), None);
        if depth > MAX_DEPTH {
            return other();
        }
        match node.kind() {
            "string_literal" | "raw_string_literal" => (
                ValueKind::Str(string_value(node, self.text)),
                Some(node.byte_range()),
            ),
            "identifier" => {
                let name = self.t(node);
                match self.decl(name, node.start_byte()) {
                    Some(v) if !v.byte_range().contains(&node.start_byte()) => {
                        let (k, s) = self.resolve(v, depth + 1);
                        match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s.or_else(|| Some(unwrap(v).byte_range()))),
                        }
                    }
                    _ => other(),
                }
            }
            "macro_invocation" => {
                let m = node
                    .child_by_field_name("macro")
                    .map(|m| self.t(m))
                    .unwrap_or("");
                let tt = node.named_child(node.named_child_count().saturating_sub(1));
                let first = tt.and_then(|t| t.named_child(0));
                match (m, first) {
                    ("env" | "option_env", Some(f)) if f.kind() == "string_literal" => (
                        ValueKind::Env {
                            name: string_value(f, self.text),
                            default: None,
                        },
                        None,
                    ),
                    ("format", Some(f)) if f.kind() == "string_literal" => {
                        match tt.and_then(|t| self.format(t, f, node.start_byte(), depth)) {
                            Some(s) => (ValueKind::Str(s), Some(node.byte_range())),
                            None => other(),
                        }
                    }
                    _ => other(),
                }
            }
            "call_expression" => {
                if let Some(path) = self.callee_path(node) {
                    let full = self.full_path(&path);
                    if env_via(&path).or_else(|| env_via(&full)).is_some() {
                        if let Some(a) = first_arg(node).filter(|a| a.kind() == "string_literal") {
                            return (
                                ValueKind::Env {
                                    name: string_value(a, self.text),
                                    default: None,
                                },
                                None,
                            );
                        }
                    }
                    if path == "String::from" || path.ends_with("::String::from") {
                        if let Some(a) = first_arg(node) {
                            return self.resolve(a, depth + 1);
                        }
                    }
                    if path == "String::new" || path == "String::default" {
                        return (ValueKind::Str(String::new()), Some(node.byte_range()));
                    }
                    return other();
                }
                let (base, methods) = self.chain(node);
                let Some(last) = methods.last() else {
                    return other();
                };
                // The receiver of the last method.
                let recv = if methods.len() >= 2 {
                    methods[methods.len() - 2].call
                } else {
                    base
                };
                match last.name {
                    "to_string" | "to_owned" | "into" | "clone" | "as_str" | "as_ref"
                    | "unwrap" | "expect" | "ok" | "context" | "with_context" | "trim"
                    | "as_deref" => {
                        let (k, s) = self.resolve(recv, depth + 1);
                        match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s),
                        }
                    }
                    "unwrap_or_default" | "unwrap_or" | "unwrap_or_else" => {
                        let (k, s) = self.resolve(recv, depth + 1);
                        match k {
                            ValueKind::Env {
                                name,
                                default: None,
                            } => {
                                let d = match last.name {
                                    "unwrap_or_default" => Some(String::new()),
                                    _ => self.default_arg(last.call, depth + 1).map(|d| d.0),
                                };
                                (ValueKind::Env { name, default: d }, None)
                            }
                            // `model.unwrap_or("deepseek-chat")` on an option this file cannot
                            // see into: the fallback is what is sent when it is unset (an empty
                            // fallback says nothing).
                            ValueKind::Other(_) if last.name != "unwrap_or_default" => {
                                match self.default_arg(last.call, depth + 1) {
                                    Some((s, span)) if !s.is_empty() => (ValueKind::Str(s), span),
                                    _ => other(),
                                }
                            }
                            ValueKind::Other(_) => other(),
                            k => (k, s),
                        }
                    }
                    _ => other(),
                }
            }
            _ => other(),
        }
    }

    /// `format!("{}/chat/completions", BASE)` / `format!("{BASE}/v1")` when every argument
    /// is a literal or a constant string.
    fn format(&self, tt: Node<'t>, fmt: Node<'t>, at: usize, depth: u8) -> Option<String> {
        let template = string_value(fmt, self.text);
        // Positional arguments: single tokens between commas.
        let mut c = tt.walk();
        let kids: Vec<Node<'t>> = tt.children(&mut c).collect();
        let start = kids
            .iter()
            .position(|k| k.byte_range() == fmt.byte_range())?;
        let mut args: Vec<Vec<Node<'t>>> = Vec::new();
        for k in &kids[start + 1..] {
            match self.t(*k) {
                "," => args.push(Vec::new()),
                ")" | "]" | "}" if k.kind() != "string_literal" => {}
                _ => {
                    if let Some(last) = args.last_mut() {
                        last.push(*k);
                    }
                }
            }
        }
        args.retain(|a| !a.is_empty());
        let arg_value = |toks: &[Node<'t>]| -> Option<String> {
            match toks {
                [one] if matches!(one.kind(), "string_literal" | "raw_string_literal") => {
                    Some(string_value(*one, self.text))
                }
                [one] if one.kind() == "identifier" => self.named_str(self.t(*one), at, depth),
                _ => None,
            }
        };
        let mut out = String::new();
        let mut next = 0;
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            if let Some(stripped) = after.strip_prefix('{') {
                out.push('{');
                rest = stripped;
                continue;
            }
            let close = after.find('}')?;
            let name = after[..close].split(':').next().unwrap_or("");
            let v = if name.is_empty() {
                let a = args.get(next)?;
                next += 1;
                arg_value(a)?
            } else if let Ok(i) = name.parse::<usize>() {
                arg_value(args.get(i)?)?
            } else {
                self.named_str(name, at, depth)?
            };
            out.push_str(&v);
            rest = &after[close + 1..];
        }
        out.push_str(&rest.replace("}}", "}"));
        Some(out)
    }

    /// The string a name holds, when it is a constant or variable with a known string.
    fn named_str(&self, name: &str, at: usize, depth: u8) -> Option<String> {
        let v = self.decl(name, at)?;
        match self.resolve(v, depth + 1).0 {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The literal default of `.unwrap_or(x)` / `.unwrap_or_else(|_| x)`, and the span of
    /// the literal when one is written there.
    fn default_arg(&self, call: Node<'t>, depth: u8) -> Option<(String, Option<Range<usize>>)> {
        let a = first_arg(call)?;
        let a = if a.kind() == "closure_expression" {
            let body = a.child_by_field_name("body")?;
            if body.kind() == "block" {
                body.named_child(body.named_child_count().checked_sub(1)?)?
            } else {
                body
            }
        } else {
            a
        };
        match self.resolve(a, depth) {
            (ValueKind::Str(s), span) => Some((s, span)),
            _ => None,
        }
    }

    // ----- pass 2 -------------------------------------------------------------------------

    fn analyze(&mut self) {
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            if n.kind() == "call_expression" {
                self.on_config(n);
            }
        }
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            if n.kind() == "call_expression" {
                self.on_client(n);
            }
        }
        // Configs never handed to `Client::with_config` are clients in their own right.
        for cfg in std::mem::take(&mut self.configs) {
            if !cfg.used {
                let client = Self::config_client(&cfg, cfg.binding.clone(), cfg.span.clone());
                self.facts.clients.push(client);
            }
        }
        self.facts.clients.sort_by_key(|c| c.span.start);
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "call_expression" => {
                    self.on_request(n);
                    self.on_http(n);
                    self.on_env(n);
                }
                "macro_invocation" => self.on_env_macro(n),
                "string_literal" | "raw_string_literal" => self.on_string(n),
                "identifier" | "field_identifier" | "type_identifier"
                    if !self.facts.mentions_deepseek && names_deepseek_api(self.t(n)) =>
                {
                    self.facts.mentions_deepseek = true;
                }
                _ => {}
            }
        }
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "call_expression" => self.on_model_method(n),
                "const_item" | "static_item" | "let_declaration" => self.on_model_decl(n),
                "field_initializer" => self.on_model_field(n),
                "token_tree" => self.on_model_json(n),
                _ => {}
            }
        }
        // DeepSeek model IDs written where a value is sent or configured, whatever their name.
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            if matches!(n.kind(), "string_literal" | "raw_string_literal") {
                self.on_model_literal(n);
            }
        }
        self.facts.env_reads.sort_by_key(|e| e.span.start);
    }

    /// `OpenAIConfig::new()` (the base of a builder chain): records the whole chain.
    fn on_config(&mut self, n: Node<'t>) {
        let Some(path) = self.callee_path(n) else {
            return;
        };
        let short = last_two(&path);
        let Some(entry) = TABLE.constructor("rust", &short, &self.facts.imports) else {
            return;
        };
        let callee_span = callee_span(n);
        // Climb to the top of the builder chain.
        let mut top = n;
        while let Some(p) = self.up(top) {
            if p.kind() != "field_expression" {
                break;
            }
            match self.up(p) {
                Some(g) if g.kind() == "call_expression" => top = g,
                _ => break,
            }
        }
        let (_, methods) = self.chain(top);
        let pick = |names: &[String]| {
            methods
                .iter()
                .rev()
                .find(|m| names.iter().any(|x| x == m.name))
                .and_then(|m| first_arg(m.call))
                .map(|a| self.value(a))
        };
        let base_url = pick(&entry.base_url);
        let api_key = pick(&entry.api_key);
        self.configs.push(Config {
            entry,
            binding: self.binding_of(top),
            span: top.byte_range(),
            callee_span,
            base_url,
            api_key,
            insert_at: top.end_byte(),
            used: false,
        });
    }

    /// The client a config builds, bound to `binding` at `span`.
    fn config_client(cfg: &Config, binding: Option<String>, span: Range<usize>) -> Client {
        Client {
            base_url: cfg.base_url.clone(),
            api_key: cfg.api_key.clone(),
            insert_at: Some(cfg.insert_at),
            ..Client::new(cfg.entry, binding, span, cfg.callee_span.clone())
        }
    }

    /// `Client::with_config(config)` and `Client::new()` of async-openai.
    fn on_client(&mut self, n: Node<'t>) {
        let Some(path) = self.callee_path(n) else {
            return;
        };
        let full = self.full_path(&path);
        let is_ao = full.starts_with("async_openai::")
            || (path.starts_with("Client::") && self.imports_async_openai() && {
                // `Client` not brought in from another crate (reqwest…).
                self.uses
                    .get("Client")
                    .is_none_or(|p| p.starts_with("async_openai"))
            });
        if !is_ao {
            return;
        }
        let mut segs = full.rsplit("::");
        let method = segs.next().unwrap_or("");
        if segs.next() != Some("Client") {
            return;
        }
        let Some(entry) = TABLE.clients.iter().find(|e| e.id == "async-openai") else {
            return;
        };
        let binding = self.binding_of(n);
        match method {
            "with_config" => {
                let Some(arg) = first_arg(n) else {
                    return;
                };
                let a = unwrap_ref(arg);
                let found = match a.kind() {
                    "identifier" => {
                        let name = self.t(a);
                        self.configs
                            .iter()
                            .rposition(|c| {
                                c.binding.as_deref() == Some(name) && c.span.start < n.start_byte()
                            })
                            .or_else(|| {
                                self.configs
                                    .iter()
                                    .position(|c| c.binding.as_deref() == Some(name))
                            })
                    }
                    _ => self.configs.iter().position(|c| c.span == a.byte_range()),
                };
                match found {
                    Some(i) => {
                        self.configs[i].used = true;
                        let client = Self::config_client(&self.configs[i], binding, n.byte_range());
                        self.facts.clients.push(client);
                    }
                    None => {
                        // A config this file cannot see: its options may be set there.
                        let opaque = Value {
                            kind: ValueKind::Other(squash(self.t(arg))),
                            span: arg.byte_range(),
                            use_span: arg.byte_range(),
                        };
                        self.facts.clients.push(Client {
                            base_url: Some(opaque.clone()),
                            api_key: Some(opaque),
                            ..Client::new(entry, binding, n.byte_range(), callee_span(n))
                        });
                    }
                }
            }
            "new" | "default" => {
                self.facts.clients.push(Client::new(
                    entry,
                    binding,
                    n.byte_range(),
                    callee_span(n),
                ));
            }
            _ => {}
        }
    }

    /// What an expression is bound to: `let` name, `self.field = …`, a struct field
    /// initializer (`self.client`), or `name()` for a function returning it.
    fn binding_of(&self, n: Node<'t>) -> Option<String> {
        let mut cur = n;
        let mut up = self.up(n);
        while let Some(p) = up {
            match p.kind() {
                "try_expression" | "await_expression" | "parenthesized_expression" => {
                    cur = p;
                    up = self.up(p);
                }
                "let_declaration" => {
                    let pat = p.child_by_field_name("pattern")?;
                    let pat = if pat.kind() == "mut_pattern" {
                        pat.named_child(pat.named_child_count().saturating_sub(1))?
                    } else {
                        pat
                    };
                    return (pat.kind() == "identifier").then(|| self.t(pat).to_string());
                }
                "assignment_expression" => {
                    let l = p.child_by_field_name("left")?;
                    if l.byte_range() == cur.byte_range() {
                        return None;
                    }
                    return Some(squash(self.t(l)));
                }
                "field_initializer" => {
                    let f = p.child_by_field_name("field")?;
                    return Some(format!("self.{}", self.t(f)));
                }
                "block" => {
                    // Tail expression of a function body.
                    let last = p.named_child(p.named_child_count().checked_sub(1)?)?;
                    if last.byte_range() != cur.byte_range() {
                        return None;
                    }
                    let f = self.up(p)?;
                    if f.kind() != "function_item" {
                        return None;
                    }
                    return f
                        .child_by_field_name("name")
                        .map(|x| format!("{}()", self.t(x)));
                }
                "return_expression" => {
                    let mut a = self.up(p);
                    while let Some(x) = a {
                        if x.kind() == "function_item" {
                            return x
                                .child_by_field_name("name")
                                .map(|nm| format!("{}()", self.t(nm)));
                        }
                        if x.kind() == "closure_expression" {
                            return None;
                        }
                        a = self.up(x);
                    }
                    return None;
                }
                _ => return None,
            }
        }
        None
    }

    fn client_by_receiver(&self, recv: &str) -> Option<usize> {
        let alt = recv.strip_prefix("self.").map(|r| r.to_string());
        if let Some(i) = self.facts.clients.iter().rposition(|c| {
            c.binding.as_deref() == Some(recv)
                || alt
                    .as_deref()
                    .is_some_and(|a| c.binding.as_deref() == Some(a))
        }) {
            return Some(i);
        }
        // `let client = get_client();`: the client bound to `get_client()`.
        if let Some(v) = self.decl(recv, usize::MAX) {
            let vt = squash(self.t(unwrap(v)));
            if let Some(i) = self
                .facts
                .clients
                .iter()
                .rposition(|c| c.binding.as_deref() == Some(vt.as_str()))
            {
                return Some(i);
            }
        }
        self.facts.client_by_last_segment(recv)
    }

    /// `client.chat().create(req)`, `client.embeddings().create(..)`, `client.responses()…`.
    fn on_request(&mut self, n: Node<'t>) {
        // Only the outermost call of a chain.
        if self.up(n).is_some_and(|p| {
            p.kind() == "field_expression"
                && self.up(p).is_some_and(|g| g.kind() == "call_expression")
        }) {
            return;
        }
        let (base, methods) = self.chain(n);
        if methods.len() < 2 {
            return;
        }
        let Some(i) = methods
            .iter()
            .position(|m| API_GROUPS.iter().any(|(g, _)| *g == m.name))
        else {
            return;
        };
        // The group must be a no-argument call followed by at least one more method, and
        // this call must be the end of the API path (not `.await`ed further in the chain).
        if i + 1 >= methods.len() || first_arg(methods[i].call).is_some() {
            return;
        }
        let recv_end = if i == 0 {
            base.end_byte()
        } else {
            methods[i - 1].call.end_byte()
        };
        let recv = squash(self.text.get(base.start_byte()..recv_end).unwrap_or(""));
        if recv.is_empty() {
            return;
        }
        let last = methods.last().map(|m| m.name).unwrap_or("");
        if !(last.starts_with("create") || RUST_API_METHODS.contains(&last)) {
            return;
        }
        let group = methods[i].name;
        let client = if i == 0 && base.kind() == "call_expression" {
            self.facts
                .clients
                .iter()
                .position(|c| c.span == base.byte_range())
                .or_else(|| self.client_by_receiver(&recv))
        } else {
            self.client_by_receiver(&recv)
        };
        let known = client.is_some() || looks_like_client(&recv);
        if !known && (AMBIGUOUS_GROUPS.contains(&group) || !self.imports_async_openai()) {
            return;
        }
        let path = API_GROUPS
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, p)| *p)
            .unwrap_or(group);
        let mut api = path.to_string();
        for m in &methods[i + 1..] {
            api.push('.');
            api.push_str(m.name);
        }
        let api_span = methods[i].field.start_byte()
            ..methods.last().map_or(n.end_byte(), |m| m.field.end_byte());
        let model = methods
            .last()
            .and_then(|m| first_arg(m.call))
            .and_then(|a| self.request_model(a, 0));
        if let Some(m) = &model {
            self.consumed.push(m.span.clone());
        }
        self.facts.requests.push(Request {
            receiver: Some(recv),
            client,
            api,
            api_span,
            model,
            url: None,
            api_key: None,
        });
    }

    /// The model of a request value: a builder chain with `.model(..)`, a struct literal
    /// with `model:`, or a `json!` body.
    fn request_model(&self, arg: Node<'t>, depth: u8) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let a = unwrap_ref(arg);
        match a.kind() {
            "identifier" => {
                let v = self.decl(self.t(a), a.start_byte())?;
                if v.byte_range().contains(&a.start_byte()) {
                    return None;
                }
                self.request_model(v, depth + 1)
            }
            "call_expression" => {
                let (_, methods) = self.chain(a);
                methods
                    .iter()
                    .rev()
                    .find(|m| m.name == "model")
                    .and_then(|m| first_arg(m.call))
                    .map(|x| self.value(x))
            }
            "struct_expression" => {
                let body = a.child_by_field_name("body")?;
                let mut c = body.walk();
                let found = body.named_children(&mut c).find_map(|f| match f.kind() {
                    "field_initializer"
                        if f.child_by_field_name("field")
                            .is_some_and(|x| self.t(x) == "model") =>
                    {
                        f.child_by_field_name("value").map(|v| self.value(v))
                    }
                    "shorthand_field_initializer" if self.t(f) == "model" => {
                        f.named_child(0).map(|v| self.value(v))
                    }
                    _ => None,
                });
                found
            }
            "macro_invocation" => {
                let tt = a.named_child(a.named_child_count().saturating_sub(1))?;
                self.json_field(tt, "model")
            }
            _ => None,
        }
    }

    /// The value after `"field":` in a `json!` token tree (nested objects searched too).
    fn json_field(&self, tt: Node<'t>, field: &str) -> Option<Value> {
        let mut stack = vec![tt];
        let mut guard = 0;
        while let Some(t) = stack.pop() {
            guard += 1;
            if guard > 10_000 {
                return None;
            }
            let mut c = t.walk();
            let kids: Vec<Node<'t>> = t.children(&mut c).collect();
            for (i, k) in kids.iter().enumerate() {
                if k.kind() == "token_tree" {
                    stack.push(*k);
                    continue;
                }
                if k.kind() == "string_literal"
                    && string_value(*k, self.text) == field
                    && kids.get(i + 1).is_some_and(|c| self.t(*c) == ":")
                {
                    let v = kids.get(i + 2)?;
                    return Some(self.value(*v));
                }
            }
        }
        None
    }

    /// reqwest: `client.post("https://…").bearer_auth(key).json(&json!({ "model": … }))`.
    fn on_http(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        if f.kind() != "field_expression" {
            return;
        }
        let Some(field) = f.child_by_field_name("field") else {
            return;
        };
        if self.t(field) != "post" {
            return;
        }
        let Some(url_node) = first_arg(n) else {
            return;
        };
        let url = self.value(url_node);
        // Walk up the rest of the builder chain.
        let mut body = None;
        let mut api_key = None;
        let mut cur = n;
        for _ in 0..64 {
            let Some(p) = self.up(cur) else {
                break;
            };
            if p.kind() != "field_expression" {
                break;
            }
            let Some(call) = self.up(p).filter(|g| g.kind() == "call_expression") else {
                break;
            };
            let name = p
                .child_by_field_name("field")
                .map(|x| self.t(x))
                .unwrap_or("");
            match name {
                "json" | "body" => body = first_arg(call),
                "bearer_auth" => api_key = first_arg(call).map(|a| self.value(a)),
                "header" => {
                    let args = args_of(call);
                    if let [k, v] = args.as_slice() {
                        let kt = self.t(*k).to_ascii_lowercase();
                        if kt.contains("authorization") {
                            api_key = Some(self.auth_value(*v));
                        }
                    }
                }
                _ => {}
            }
            cur = call;
        }
        let model = body.and_then(|b| self.request_model(b, 0));
        let url_known = url.as_str().is_some_and(|s| {
            !matches!(
                self.settings.catalogue.classify_url(s),
                crate::catalogue::UrlTarget::Unknown
            )
        });
        if model.is_none() && !url_known {
            return;
        }
        if let Some(m) = &model {
            self.consumed.push(m.span.clone());
        }
        self.facts.requests.push(Request {
            receiver: None,
            client: None,
            api: "http".to_string(),
            api_span: field.byte_range(),
            model,
            url: Some(url),
            api_key,
        });
    }

    /// The key in an `Authorization` header value: `format!("Bearer {}", key)` gives `key`.
    fn auth_value(&self, v: Node<'t>) -> Value {
        let v = unwrap_ref(v);
        if v.kind() == "macro_invocation"
            && v.child_by_field_name("macro")
                .is_some_and(|m| self.t(m) == "format")
        {
            if let Some(tt) = v.named_child(v.named_child_count().saturating_sub(1)) {
                let mut c = tt.walk();
                let kids: Vec<Node<'t>> = tt.named_children(&mut c).collect();
                if let Some(fmt) = kids.first().filter(|k| k.kind() == "string_literal") {
                    let s = string_value(*fmt, self.text);
                    if let Some(inline) = s
                        .strip_prefix("Bearer {")
                        .and_then(|r| r.strip_suffix('}'))
                        .filter(|r| !r.is_empty())
                    {
                        // `format!("Bearer {key}")`.
                        if let Some(d) = self.decl(inline, v.start_byte()) {
                            let mut val = self.value(d);
                            val.use_span = v.byte_range();
                            return val;
                        }
                    } else if s.starts_with("Bearer {") {
                        if let Some(arg) = kids.get(1) {
                            return self.value(*arg);
                        }
                    }
                }
            }
        }
        let mut value = self.value(v);
        if let ValueKind::Str(s) = &value.kind {
            if let Some(rest) = s.strip_prefix("Bearer ") {
                value.kind = ValueKind::Str(rest.to_string());
            }
        }
        value
    }

    /// `std::env::var("X")` (and friends) with an `unwrap_or*` default; also
    /// `std::env::set_var("OPENAI_…", v)` as a global setting.
    fn on_env(&mut self, n: Node<'t>) {
        let Some(path) = self.callee_path(n) else {
            return;
        };
        let full = self.full_path(&path);
        if path.ends_with("set_var") && (full.contains("env::") || path == "set_var") {
            let args = args_of(n);
            if let [k, v] = args.as_slice() {
                if k.kind() == "string_literal" {
                    self.facts.globals.push(GlobalSetting {
                        target: string_value(*k, self.text),
                        target_span: k.byte_range(),
                        value: self.value(*v),
                    });
                }
            }
            return;
        }
        let Some(via) = env_via(&path).or_else(|| env_via(&full)) else {
            return;
        };
        let Some(a) = first_arg(n).filter(|a| a.kind() == "string_literal") else {
            return;
        };
        let name = string_value(a, self.text);
        // The default, from the enclosing `.unwrap_or*` chain.
        let mut default = None;
        let mut default_span = None;
        let mut cur = n;
        for _ in 0..16 {
            let Some(p) = self.up(cur) else {
                break;
            };
            let next = match p.kind() {
                "try_expression" | "parenthesized_expression" => p,
                "field_expression" => {
                    let Some(call) = self.up(p).filter(|g| g.kind() == "call_expression") else {
                        break;
                    };
                    let m = p
                        .child_by_field_name("field")
                        .map(|x| self.t(x))
                        .unwrap_or("");
                    match m {
                        "unwrap_or_default" => {
                            default = Some(String::new());
                            default_span = Some(
                                p.child_by_field_name("field")
                                    .map_or(call.byte_range(), |f| f.start_byte()..call.end_byte()),
                            );
                            break;
                        }
                        "unwrap_or" | "unwrap_or_else" => {
                            let d = self.default_arg(call, 0);
                            default_span = d
                                .as_ref()
                                .and_then(|d| d.1.clone())
                                .or_else(|| first_arg(call).map(|x| x.byte_range()));
                            default = d.map(|d| d.0);
                            break;
                        }
                        "ok" | "as_deref" | "map" | "as_ref" | "context" | "with_context"
                        | "map_err" => call,
                        _ => break,
                    }
                }
                _ => break,
            };
            cur = next;
        }
        self.facts.env_reads.push(EnvRead {
            name,
            span: a.byte_range(),
            default,
            default_span,
            via: via.to_string(),
        });
    }

    /// `env!("X")` / `option_env!("X")`.
    fn on_env_macro(&mut self, n: Node<'t>) {
        let m = n
            .child_by_field_name("macro")
            .map(|m| self.t(m))
            .unwrap_or("");
        if m != "env" && m != "option_env" {
            return;
        }
        let Some(tt) = n.named_child(n.named_child_count().saturating_sub(1)) else {
            return;
        };
        if let Some(f) = tt.named_child(0).filter(|f| f.kind() == "string_literal") {
            self.facts.env_reads.push(EnvRead {
                name: string_value(f, self.text),
                span: f.byte_range(),
                default: None,
                default_span: None,
                via: format!("{m}!"),
            });
        }
    }

    fn on_string(&mut self, n: Node<'t>) {
        let s = string_value(n, self.text);
        let trimmed = s.trim();
        if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
            self.facts
                .urls
                .push(Value::literal(s.clone(), n.byte_range()));
        }
        if !self.facts.mentions_deepseek && names_setting(&s) {
            self.facts.mentions_deepseek = true;
        }
    }
}

/// Skips `?`, `.await` and parentheses.
fn unwrap(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        match n.kind() {
            "try_expression" | "await_expression" | "parenthesized_expression" => {
                match n.named_child(0) {
                    Some(c) => n = c,
                    None => return n,
                }
            }
            _ => return n,
        }
    }
    n
}

/// Skips `&`, `&mut`, `.clone()`-free wrappers and parentheses.
fn unwrap_ref(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        n = unwrap(n);
        if n.kind() == "reference_expression" {
            match n.child_by_field_name("value") {
                Some(v) => n = v,
                None => return n,
            }
        } else {
            return n;
        }
    }
    n
}

fn args_of(call: Node<'_>) -> Vec<Node<'_>> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut c = args.walk();
    let v: Vec<Node<'_>> = args
        .named_children(&mut c)
        .filter(|x| {
            !matches!(
                x.kind(),
                "line_comment" | "block_comment" | "attribute_item"
            )
        })
        .collect();
    v
}

fn first_arg(call: Node<'_>) -> Option<Node<'_>> {
    args_of(call).into_iter().next()
}

/// The content of a string literal, escapes decoded.
fn string_value(n: Node<'_>, text: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        let t = text.get(ch.byte_range()).unwrap_or("");
        match ch.kind() {
            "string_content" => out.push_str(t),
            "escape_sequence" => out.push_str(match t {
                "\\n" => "\n",
                "\\t" => "\t",
                "\\r" => "\r",
                "\\\\" => "\\",
                "\\\"" => "\"",
                "\\'" => "'",
                "\\0" => "\0",
                _ => "",
            }),
            _ => {}
        }
    }
    out
}

/// Source text with whitespace removed; only a prefix is kept ([`squash_prefix`]).
fn squash(s: &str) -> String {
    squash_prefix(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `a::b::C::new` → `C::new`.
fn last_two(path: &str) -> String {
    let parts: Vec<&str> = path.rsplitn(3, "::").collect();
    match parts.as_slice() {
        [last, prev, ..] => format!("{prev}::{last}"),
        _ => path.to_string(),
    }
}

fn env_via(path: &str) -> Option<&'static str> {
    ENV_FUNCTIONS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, v)| *v)
}

fn looks_like_client(recv: &str) -> bool {
    let last = recv
        .rsplit('.')
        .next()
        .unwrap_or(recv)
        .trim_end_matches("()")
        .to_ascii_lowercase();
    last.contains("openai")
        || last.contains("client")
        || last.contains("deepseek")
        || last.contains("llm")
}

/// The callee of call `n` (`Client::new`), or the whole call when it has none.
fn callee_span(n: Node<'_>) -> Range<usize> {
    n.child_by_field_name("function")
        .map(|f| f.byte_range())
        .unwrap_or_else(|| n.byte_range())
}

mod models;

#[cfg(test)]
mod tests;
