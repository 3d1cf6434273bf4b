//! Fact extraction for JavaScript, TypeScript and TSX (see [`super::Facts`]).
//!
//! Two iterative passes over the syntax tree (nodes are collected once in pre-order; no
//! recursion over the tree): the first gathers imports, import bindings (including
//! SvelteKit `$env/*` modules) and `const`/`let`/`var` declarations; the second finds SDK
//! clients, API requests (SDK methods, LangChain, Vercel AI SDK provider calls, `fetch`,
//! `axios`), environment reads, model sites, URLs and DeepSeek names. Values are resolved
//! through same-file constants, object literals (including spreads), string concatenation
//! and template literals, with a small depth limit.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::names::{names_deepseek_api, names_setting, squash_prefix, MODEL_KEYS};
use super::sdks::{SdkEntry, TABLE};
use super::{Client, EnvRead, Facts, GlobalSetting, Request, Value, ValueKind};
use crate::settings::Settings;

/// How deep value resolution follows constants, objects and operators.
const MAX_DEPTH: u8 = 12;

/// First segments of OpenAI-SDK API paths that only an SDK client has.
const DISTINCT_ROOTS: &[&str] = &[
    "chat",
    "responses",
    "embeddings",
    "images",
    "audio",
    "moderations",
    "beta",
    "fineTuning",
    "fine_tuning",
    "vectorStores",
    "vector_stores",
    "realtime",
];

/// First segments of API paths that other libraries use too (`db.files.create`): these need
/// a receiver that is (or looks like) an LLM client.
const AMBIGUOUS_ROOTS: &[&str] = &[
    "completions",
    "models",
    "files",
    "batches",
    "uploads",
    "containers",
    "conversations",
    "assistants",
    "threads",
];

/// Last segments of OpenAI-SDK API paths (`chat.completions.create`): a path ending in
/// anything else (`result.images.map`) is not a request.
const API_METHODS: &[&str] = &[
    "create",
    "parse",
    "stream",
    "retrieve",
    "list",
    "del",
    "delete",
    "update",
    "cancel",
    "generate",
    "edit",
    "createVariation",
    "createAndPoll",
    "createAndStream",
    "createAndRun",
    "createAndRunPoll",
    "createAndRunStream",
    "poll",
    "upload",
    "uploadAndPoll",
    "submitToolOutputs",
    "submitToolOutputsAndPoll",
    "submitToolOutputsStream",
    "search",
    "content",
    "retrieveContent",
    "compact",
    "runTools",
    "pause",
    "resume",
    "waitForProcessing",
];

/// LangChain runnable methods that send a request.
const LANGCHAIN_METHODS: &[&str] = &[
    "invoke",
    "stream",
    "batch",
    "call",
    "predict",
    "generate",
    "streamEvents",
    "embedQuery",
    "embedDocuments",
];

/// Extracts the facts of a parsed document.
pub fn extract(tree: &Tree, text: &str, settings: &Settings) -> Facts {
    let mut x = Extractor::new(tree, text, settings);
    x.collect();
    x.analyze();
    x.finish()
}

/// An environment variable bound to a local name (`import { PUBLIC_X } from
/// '$env/static/public'`, `const { X = "" } = process.env`).
#[derive(Clone, Debug)]
struct EnvBinding {
    name: String,
    default: Option<String>,
}

/// A function parameter: the function's byte range and the default value, if any.
type Param<'t> = (Range<usize>, Option<Node<'t>>);

/// A found object option: the key's span, the whole property's span, and the value node.
struct Found<'t> {
    key: Range<usize>,
    whole: Range<usize>,
    value: Node<'t>,
}

struct Extractor<'t> {
    text: &'t str,
    settings: &'t Settings,
    nodes: Vec<Node<'t>>,
    /// Parent of each node, by node id.
    parents: HashMap<usize, Node<'t>>,
    facts: Facts,
    /// Declarations by name: (start byte, value node).
    decls: HashMap<&'t str, Vec<(usize, Node<'t>)>>,
    /// Function parameters by name: the function's byte range and the default value, if
    /// any. Inside that function the parameter shadows every outer declaration.
    params: HashMap<&'t str, Vec<Param<'t>>>,
    /// Names assigned again after their declaration (`let apiKey = ''; … apiKey = await
    /// load()`): their value at a use is not known statically.
    reassigned: std::collections::HashSet<&'t str>,
    /// Local name → module it was imported from.
    import_of: HashMap<String, String>,
    /// Local name → the name it was imported as (`import { deepseek as ds }`: `ds` →
    /// `deepseek`).
    imported_as: HashMap<String, String>,
    /// Local names bound to environment variables.
    env_names: HashMap<String, EnvBinding>,
    /// Local names bound to an environment object (`env` from `$env/dynamic/public`).
    env_objects: HashMap<String, String>,
    /// Callee name of each client, parallel to `facts.clients`.
    ctor: Vec<String>,
    /// Classes and functions defined in this file (a local `class OpenAI` is not the SDK).
    local_defs: Vec<&'t str>,
    /// Spans of model values attached to a client or request.
    consumed: Vec<Range<usize>>,
    /// Pre-built provider instances (`openai` from `@ai-sdk/openai`) whose location is still
    /// the import: moved to their first provider call, where the model is sent.
    unplaced_instances: Vec<usize>,
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
            reassigned: std::collections::HashSet::new(),
            params: HashMap::new(),
            import_of: HashMap::new(),
            imported_as: HashMap::new(),
            env_names: HashMap::new(),
            env_objects: HashMap::new(),
            ctor: Vec::new(),
            local_defs: Vec::new(),
            consumed: Vec::new(),
            unplaced_instances: Vec::new(),
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
                "import_statement" => self.on_import(n),
                "call_expression" => self.on_require(n),
                "variable_declarator" => self.on_declarator(n),
                "formal_parameters" => self.on_params(n),
                "assignment_expression" => {
                    if let Some(l) = n.child_by_field_name("left").map(unwrap) {
                        if l.kind() == "identifier" {
                            self.reassigned.insert(self.t(l));
                        }
                    }
                }
                "class_declaration" | "function_declaration" | "abstract_class_declaration" => {
                    if let Some(name) = n.child_by_field_name("name") {
                        self.local_defs.push(self.t(name));
                    }
                }
                _ => {}
            }
        }
    }

    fn on_import(&mut self, n: Node<'t>) {
        let Some(src) = n.child_by_field_name("source") else {
            // TS `import x = require("y")`.
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                if ch.kind() == "import_require_clause" {
                    if let Some(s) = ch.child_by_field_name("source") {
                        let module = string_value(s, self.text);
                        if let Some(id) = ch.named_child(0).filter(|x| x.kind() == "identifier") {
                            self.import_of
                                .insert(self.t(id).to_string(), module.clone());
                        }
                        self.facts.imports.push(module);
                    }
                }
            }
            return;
        };
        let module = string_value(src, self.text);
        let mut c = n.walk();
        for clause in n.named_children(&mut c) {
            if clause.kind() != "import_clause" {
                continue;
            }
            let mut c2 = clause.walk();
            for part in clause.named_children(&mut c2) {
                match part.kind() {
                    "identifier" => self.bind_import(self.t(part), "default", part, &module),
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            self.bind_import(self.t(id), "*", id, &module);
                        }
                    }
                    "named_imports" => {
                        let mut c3 = part.walk();
                        for spec in part.named_children(&mut c3) {
                            if spec.kind() != "import_specifier" {
                                continue;
                            }
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let imported = if name.kind() == "string" {
                                string_value(name, self.text)
                            } else {
                                self.t(name).to_string()
                            };
                            let local = spec.child_by_field_name("alias").unwrap_or(name);
                            let local_text = if local.kind() == "string" {
                                string_value(local, self.text)
                            } else {
                                self.t(local).to_string()
                            };
                            self.bind_import(&local_text, &imported, spec, &module);
                        }
                    }
                    _ => {}
                }
            }
        }
        self.facts.imports.push(module);
    }

    /// Records that `local` is `imported` from `module`; `$env/*` names become env bindings.
    fn bind_import(&mut self, local: &str, imported: &str, site: Node<'t>, module: &str) {
        self.import_of.insert(local.to_string(), module.to_string());
        self.imported_as
            .insert(local.to_string(), imported.to_string());
        if let Some(kind) = module.strip_prefix("$env/") {
            if kind.starts_with("static/") {
                if imported != "default" && imported != "*" {
                    self.env_names.insert(
                        local.to_string(),
                        EnvBinding {
                            name: imported.to_string(),
                            default: None,
                        },
                    );
                    let span = site
                        .child_by_field_name("name")
                        .map(|x| x.byte_range())
                        .unwrap_or_else(|| site.byte_range());
                    self.facts.env_reads.push(EnvRead {
                        name: imported.to_string(),
                        span,
                        default: None,
                        default_span: None,
                        via: module.to_string(),
                    });
                } else {
                    self.env_objects
                        .insert(local.to_string(), module.to_string());
                }
            } else if kind.starts_with("dynamic/") {
                self.env_objects
                    .insert(local.to_string(), module.to_string());
            }
        }
    }

    /// `require("x")` and `import("x")`, with `const X = require("x")` /
    /// `const { A } = require("x")` bindings.
    fn on_require(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        let is_import =
            f.kind() == "import" || (f.kind() == "identifier" && self.t(f) == "require");
        if !is_import {
            return;
        }
        let Some(arg) = first_arg(n) else {
            return;
        };
        if !matches!(arg.kind(), "string" | "template_string") {
            return;
        }
        let module = string_value(arg, self.text);
        // Bind names: climb through await / member access (`require("x").default`).
        let mut up = self.up(n);
        while let Some(p) = up {
            if matches!(
                p.kind(),
                "await_expression" | "parenthesized_expression" | "member_expression"
            ) {
                up = self.up(p);
            } else {
                break;
            }
        }
        if let Some(decl) = up.filter(|p| p.kind() == "variable_declarator") {
            if let Some(name) = decl.child_by_field_name("name") {
                match name.kind() {
                    "identifier" => {
                        self.import_of
                            .insert(self.t(name).to_string(), module.clone());
                    }
                    "object_pattern" => {
                        let mut c = name.walk();
                        for p in name.named_children(&mut c) {
                            let local = match p.kind() {
                                "shorthand_property_identifier_pattern" => Some(p),
                                "pair_pattern" => p.child_by_field_name("value"),
                                _ => None,
                            };
                            if let Some(l) = local {
                                self.import_of.insert(self.t(l).to_string(), module.clone());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        self.facts.imports.push(module);
    }

    fn on_declarator(&mut self, n: Node<'t>) {
        let (Some(name), Some(value)) = (
            n.child_by_field_name("name"),
            n.child_by_field_name("value"),
        ) else {
            return;
        };
        match name.kind() {
            "identifier" => {
                let v = unwrap(value);
                // `const env = process.env` makes `env.X` an env read.
                let vt = squash(self.t(v));
                if let Some(via) = env_object_via(&vt) {
                    self.env_objects
                        .insert(self.t(name).to_string(), via.to_string());
                }
                self.decls
                    .entry(self.t(name))
                    .or_default()
                    .push((n.start_byte(), value));
            }
            "object_pattern" => {
                // `const { DEEPSEEK_API_KEY, X = "" } = process.env`
                let vt = squash(self.t(unwrap(value)));
                let via = env_object_via(&vt)
                    .map(str::to_string)
                    .or_else(|| self.env_objects.get(vt.as_str()).cloned());
                let Some(via) = via else {
                    return;
                };
                let mut c = name.walk();
                for p in name.named_children(&mut c) {
                    let (key, local, default) = match p.kind() {
                        "shorthand_property_identifier_pattern" => (p, p, None),
                        "object_assignment_pattern" => {
                            let Some(l) = p.child_by_field_name("left") else {
                                continue;
                            };
                            (l, l, p.child_by_field_name("right"))
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(v)) =
                                (p.child_by_field_name("key"), p.child_by_field_name("value"))
                            else {
                                continue;
                            };
                            if v.kind() == "assignment_pattern" {
                                let l = v.child_by_field_name("left").unwrap_or(v);
                                (k, l, v.child_by_field_name("right"))
                            } else {
                                (k, v, None)
                            }
                        }
                        _ => continue,
                    };
                    let env_name = if key.kind() == "string" {
                        string_value(key, self.text)
                    } else {
                        self.t(key).to_string()
                    };
                    let default_lit = default
                        .filter(|d| matches!(d.kind(), "string" | "template_string"))
                        .map(|d| (string_value(d, self.text), d.byte_range()));
                    self.env_names.insert(
                        self.t(local).to_string(),
                        EnvBinding {
                            name: env_name.clone(),
                            default: default_lit.as_ref().map(|d| d.0.clone()),
                        },
                    );
                    self.facts.env_reads.push(EnvRead {
                        name: env_name,
                        span: key.byte_range(),
                        default: default_lit.as_ref().map(|d| d.0.clone()),
                        default_span: default_lit.map(|d| d.1),
                        via: via.clone(),
                    });
                }
            }
            _ => {}
        }
    }

    // ----- value resolution ---------------------------------------------------------------

    /// The declaration value `name` refers to at byte `at`: the nearest preceding one, else
    /// the first.
    /// Simple parameters of a function (`p`, `model = "…"`, `model: string = "…"`,
    /// `model?: string`), recorded with the function's range.
    fn on_params(&mut self, n: Node<'t>) {
        let Some(func) = self.up(n) else {
            return;
        };
        let mut c = n.walk();
        let kids: Vec<Node<'t>> = n.named_children(&mut c).collect();
        for p in kids {
            let (name, default) = match p.kind() {
                "identifier" => (Some(p), None),
                "required_parameter" | "optional_parameter" => (
                    p.child_by_field_name("pattern"),
                    p.child_by_field_name("value"),
                ),
                "assignment_pattern" => (
                    p.child_by_field_name("left"),
                    p.child_by_field_name("right"),
                ),
                _ => continue,
            };
            let Some(name) = name.filter(|x| x.kind() == "identifier") else {
                continue;
            };
            self.params
                .entry(self.t(name))
                .or_default()
                .push((func.byte_range(), default));
        }
    }

    /// The parameter `name` used at `at` refers to (innermost function first): `Some(default)`
    /// or `Some(None)` for a parameter without default; `None` when `name` is no parameter
    /// there.
    fn param(&self, name: &str, at: usize) -> Option<Option<Node<'t>>> {
        self.params
            .get(name)?
            .iter()
            .filter(|(r, _)| r.contains(&at))
            .min_by_key(|(r, _)| r.len())
            .map(|(_, d)| *d)
    }

    fn decl(&self, name: &str, at: usize) -> Option<Node<'t>> {
        let list = self.decls.get(name)?;
        list.iter()
            .rev()
            .find(|(s, _)| *s < at)
            .or_else(|| list.first())
            .map(|(_, v)| *v)
    }

    /// A value with its report span.
    fn value(&self, node: Node<'t>) -> Value {
        let use_span = node.byte_range();
        let (kind, span) = self.resolve(node, 0);
        Value {
            kind,
            span: span.unwrap_or_else(|| use_span.clone()),
            use_span,
        }
    }

    /// Resolves an expression; the span is set when the value comes from a literal elsewhere.
    fn resolve(&self, node: Node<'t>, depth: u8) -> (ValueKind, Option<Range<usize>>) {
        let node = unwrap(node);
        let other = || (ValueKind::Other(squash(self.t(node))), None);
        if depth > MAX_DEPTH {
            return other();
        }
        if let Some((name, _, _)) = self.env_read(node) {
            return (
                ValueKind::Env {
                    name,
                    default: None,
                },
                None,
            );
        }
        match node.kind() {
            "string" => (
                ValueKind::Str(string_value(node, self.text)),
                Some(node.byte_range()),
            ),
            "template_string" => {
                let mut out = String::new();
                let mut c = node.walk();
                for ch in node.named_children(&mut c) {
                    match ch.kind() {
                        "string_fragment" => out.push_str(self.t(ch)),
                        "escape_sequence" => out.push_str(&unescape(self.t(ch))),
                        "template_substitution" => {
                            let Some(e) = ch.named_child(0) else {
                                return other();
                            };
                            match self.resolve(e, depth + 1).0 {
                                ValueKind::Str(s) => out.push_str(&s),
                                _ => return other(),
                            }
                        }
                        _ => {}
                    }
                }
                (ValueKind::Str(out), Some(node.byte_range()))
            }
            "binary_expression" => {
                let op = node
                    .child_by_field_name("operator")
                    .map(|o| o.kind())
                    .unwrap_or("");
                let (Some(l), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    return other();
                };
                match op {
                    "+" => match (self.resolve(l, depth + 1).0, self.resolve(r, depth + 1).0) {
                        (ValueKind::Str(a), ValueKind::Str(b)) => {
                            (ValueKind::Str(a + &b), Some(node.byte_range()))
                        }
                        _ => other(),
                    },
                    "??" | "||" => {
                        let left = self.resolve(l, depth + 1);
                        match left.0 {
                            ValueKind::Env {
                                name,
                                default: None,
                            } => {
                                let default = match self.resolve(r, depth + 1).0 {
                                    ValueKind::Str(s) => Some(s),
                                    _ => None,
                                };
                                (ValueKind::Env { name, default }, None)
                            }
                            ValueKind::Str(_) => left,
                            // `config.get("MODEL") ?? "deepseek-chat"`: the fallback is what
                            // is sent when the setting is unset (an empty fallback says
                            // nothing, so the expression stays opaque).
                            _ => match self.resolve(r, depth + 1) {
                                (ValueKind::Str(s), span) if !s.is_empty() => {
                                    (ValueKind::Str(s), span)
                                }
                                _ => other(),
                            },
                        }
                    }
                    _ => other(),
                }
            }
            "identifier" | "shorthand_property_identifier" => {
                let name = self.t(node);
                if let Some(b) = self.env_names.get(name) {
                    return (
                        ValueKind::Env {
                            name: b.name.clone(),
                            default: b.default.clone(),
                        },
                        None,
                    );
                }
                if self.reassigned.contains(name) {
                    return other();
                }
                match self.param(name, node.start_byte()) {
                    // The default is what is sent when the caller passes nothing.
                    Some(Some(d)) if !d.byte_range().contains(&node.start_byte()) => {
                        let (k, s) = self.resolve(d, depth + 1);
                        return match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s.or_else(|| Some(unwrap(d).byte_range()))),
                        };
                    }
                    Some(_) => return other(),
                    None => {}
                }
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
            "member_expression" => {
                let (Some(obj), Some(prop)) = (
                    node.child_by_field_name("object"),
                    node.child_by_field_name("property"),
                ) else {
                    return other();
                };
                let Some(o) = self.object(obj, depth + 1) else {
                    return other();
                };
                match self.find(o, &[self.t(prop)], depth + 1) {
                    Some(f) => {
                        let (k, s) = self.resolve(f.value, depth + 1);
                        match k {
                            ValueKind::Other(_) => other(),
                            k => (k, s),
                        }
                    }
                    None => other(),
                }
            }
            "call_expression" => {
                // `String(x)` passes its argument through.
                let f = node.child_by_field_name("function");
                if f.is_some_and(|f| self.t(f) == "String") {
                    if let Some(a) = first_arg(node) {
                        return self.resolve(a, depth + 1);
                    }
                }
                other()
            }
            _ => other(),
        }
    }

    /// An env read at `node`: (name, via, name span).
    fn env_read(&self, node: Node<'t>) -> Option<(String, String, Range<usize>)> {
        match node.kind() {
            "member_expression" => {
                let obj = node.child_by_field_name("object")?;
                let prop = node.child_by_field_name("property")?;
                let via = self.env_object(obj)?;
                Some((self.t(prop).to_string(), via, prop.byte_range()))
            }
            "subscript_expression" => {
                let obj = node.child_by_field_name("object")?;
                let idx = node.child_by_field_name("index")?;
                if !matches!(idx.kind(), "string" | "template_string") {
                    return None;
                }
                let via = self.env_object(obj)?;
                Some((string_value(idx, self.text), via, idx.byte_range()))
            }
            "call_expression" => {
                let f = node.child_by_field_name("function")?;
                if squash(self.t(f)) != "Deno.env.get" {
                    return None;
                }
                let a = first_arg(node)?;
                if a.kind() != "string" {
                    return None;
                }
                Some((
                    string_value(a, self.text),
                    "Deno.env".to_string(),
                    a.byte_range(),
                ))
            }
            _ => None,
        }
    }

    /// `process.env`, `import.meta.env`, `Bun.env`, or a name bound to an env object.
    fn env_object(&self, obj: Node<'t>) -> Option<String> {
        let t = squash(self.t(unwrap(obj)));
        if let Some(v) = env_object_via(&t) {
            return Some(v.to_string());
        }
        self.env_objects.get(t.as_str()).cloned()
    }

    /// The object literal an expression stands for (through constants and member access).
    fn object(&self, node: Node<'t>, depth: u8) -> Option<Node<'t>> {
        let mut node = unwrap(node);
        let mut depth = depth;
        loop {
            if depth > MAX_DEPTH {
                return None;
            }
            depth += 1;
            match node.kind() {
                "object" => return Some(node),
                "identifier" => {
                    let v = self.decl(self.t(node), node.start_byte())?;
                    if v.byte_range().contains(&node.start_byte()) {
                        return None;
                    }
                    node = unwrap(v);
                }
                "member_expression" => {
                    let obj = node.child_by_field_name("object")?;
                    let prop = node.child_by_field_name("property")?;
                    let o = self.object(obj, depth)?;
                    node = unwrap(self.find(o, &[self.t(prop)], depth)?.value);
                }
                _ => return None,
            }
        }
    }

    /// Finds option `path` (nested for several segments) in an object literal, following
    /// spreads of known objects. The last definition wins.
    fn find(&self, obj: Node<'t>, path: &[&str], depth: u8) -> Option<Found<'t>> {
        let (first, rest) = path.split_first()?;
        if depth > MAX_DEPTH {
            return None;
        }
        let mut children: Vec<Node<'t>> = {
            let mut c = obj.walk();
            obj.named_children(&mut c).collect()
        };
        children.reverse();
        for ch in children {
            let hit = match ch.kind() {
                "pair" => {
                    let key = ch.child_by_field_name("key");
                    let value = ch.child_by_field_name("value");
                    match (key, value) {
                        (Some(k), Some(v)) if self.key_name(k).as_deref() == Some(*first) => {
                            Some(Found {
                                key: k.byte_range(),
                                whole: ch.byte_range(),
                                value: v,
                            })
                        }
                        _ => None,
                    }
                }
                "shorthand_property_identifier" => (self.t(ch) == *first).then(|| Found {
                    key: ch.byte_range(),
                    whole: ch.byte_range(),
                    value: ch,
                }),
                "spread_element" => {
                    // The spread object is searched for the whole path.
                    let o = ch.named_child(0).and_then(|i| self.object(i, depth + 1));
                    if let Some(f) = o.and_then(|o| self.find(o, path, depth + 1)) {
                        return Some(f);
                    }
                    None
                }
                _ => None,
            };
            if let Some(f) = hit {
                if rest.is_empty() {
                    return Some(f);
                }
                let o = self.object(f.value, depth + 1)?;
                return self.find(o, rest, depth + 1);
            }
        }
        None
    }

    /// True when an object has a spread this file cannot see into.
    fn has_opaque_spread(&self, obj: Node<'t>) -> bool {
        let mut stack = vec![(obj, 0u8)];
        while let Some((o, d)) = stack.pop() {
            if d > MAX_DEPTH {
                return true;
            }
            let mut c = o.walk();
            for ch in o.named_children(&mut c) {
                if ch.kind() == "spread_element" {
                    match ch.named_child(0).and_then(|i| self.object(i, d + 1)) {
                        Some(inner) => stack.push((inner, d + 1)),
                        None => return true,
                    }
                }
            }
        }
        false
    }

    /// A property key's name (`baseURL`, `"model"`); `None` for computed keys.
    fn key_name(&self, key: Node<'t>) -> Option<String> {
        match key.kind() {
            "property_identifier" | "identifier" | "private_property_identifier" => {
                Some(self.t(key).to_string())
            }
            "string" => Some(string_value(key, self.text)),
            "number" => Some(self.t(key).to_string()),
            _ => None,
        }
    }

    // ----- pass 2 -------------------------------------------------------------------------

    fn analyze(&mut self) {
        self.default_instances();
        // Clients first, so that requests can resolve their receivers.
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "new_expression" => {
                    if let Some(c) = n.child_by_field_name("constructor") {
                        self.on_constructor(n, c);
                    }
                }
                "call_expression" => {
                    if let Some(f) = n.child_by_field_name("function") {
                        if matches!(f.kind(), "identifier" | "member_expression") {
                            self.on_constructor(n, f);
                        }
                    }
                }
                _ => {}
            }
        }
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "call_expression" => self.on_call(n),
                "member_expression" | "subscript_expression" => self.on_env_member(n),
                "assignment_expression" => self.on_assignment(n),
                "string" | "template_string" => self.on_string(n),
                "identifier"
                | "property_identifier"
                | "shorthand_property_identifier"
                | "shorthand_property_identifier_pattern"
                | "type_identifier"
                    if !self.facts.mentions_deepseek && names_deepseek_api(self.t(n)) =>
                {
                    self.facts.mentions_deepseek = true;
                }
                _ => {}
            }
        }
        // Model sites last: they skip models already attached to clients and requests.
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "pair" => self.on_model_pair(n),
                "variable_declarator" => self.on_model_decl(n),
                "public_field_definition"
                | "field_definition"
                | "required_parameter"
                | "optional_parameter"
                | "assignment_pattern"
                | "object_assignment_pattern"
                | "assignment_expression"
                | "enum_assignment" => self.on_model_binding(n),
                _ => {}
            }
        }
        // DeepSeek model IDs written where a value is sent or configured, whatever their name.
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            match n.kind() {
                "string" | "template_string" => self.on_model_literal(n),
                _ => {}
            }
        }
    }

    /// Pre-built provider instances imported from a module (`openai` from `@ai-sdk/openai`).
    fn default_instances(&mut self) {
        let mut found = Vec::new();
        for (local, module) in &self.import_of {
            let imported = self.imported_as.get(local).unwrap_or(local);
            for e in TABLE.clients.iter().filter(|e| e.lang == "ecmascript") {
                if e.instances
                    .iter()
                    .any(|i| i.module == *module && i.name == *imported)
                {
                    found.push((local.clone(), e));
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        for (local, e) in found {
            // The span of the import specifier naming it.
            let span = self
                .nodes
                .iter()
                .find(|n| {
                    n.kind() == "import_specifier"
                        && n.child_by_field_name("alias")
                            .or_else(|| n.child_by_field_name("name"))
                            .is_some_and(|x| self.t(x) == local)
                })
                .map(|n| n.byte_range())
                .unwrap_or(0..0);
            self.unplaced_instances.push(self.facts.clients.len());
            self.facts
                .clients
                .push(Client::new(e, Some(local.clone()), span.clone(), span));
            self.ctor.push(local);
        }
    }

    /// The SDK entry for a callee, resolving the module it was imported from.
    fn sdk_for(&self, callee: &str) -> Option<&'static SdkEntry> {
        let head = callee.split('.').next().unwrap_or(callee);
        // Borrowed, not cloned: this runs for every call in the file.
        match self.import_of.get(head) {
            Some(m) => TABLE.constructor("ecmascript", callee, std::slice::from_ref(m)),
            None => TABLE.constructor("ecmascript", callee, &self.facts.imports),
        }
    }

    fn on_constructor(&mut self, n: Node<'t>, callee: Node<'t>) {
        let name = squash(self.t(callee));
        if name.is_empty() || name.len() > 80 {
            return;
        }
        if self.local_defs.contains(&name.as_str()) && !self.import_of.contains_key(&name) {
            return;
        }
        let Some(entry) = self.sdk_for(&name) else {
            return;
        };
        let args = n.child_by_field_name("arguments");
        let arg_nodes: Vec<Node<'t>> = args
            .map(|a| {
                let mut c = a.walk();
                a.named_children(&mut c)
                    .filter(|x| x.kind() != "comment")
                    .collect()
            })
            .unwrap_or_default();
        let first = arg_nodes.first().copied();
        let obj = first.and_then(|f| self.object(f, 0));
        let opaque = match (first, obj) {
            (Some(_), None) => true,
            (_, Some(o)) => self.has_opaque_spread(o),
            (None, None) => false,
        };
        // Old LangChain: `new ChatOpenAI(fields, { basePath })`: the second argument is the
        // `configuration` object.
        let second = arg_nodes.get(1).and_then(|s| self.object(*s, 0));
        let lookup = |names: &[String]| -> Option<Found<'t>> {
            names.iter().find_map(|opt| {
                let path: Vec<&str> = opt.split('.').collect();
                obj.and_then(|o| self.find(o, &path, 0)).or_else(|| {
                    match (path.split_first(), second) {
                        (Some((&"configuration", rest)), Some(s)) if !rest.is_empty() => {
                            self.find(s, rest, 0)
                        }
                        _ => None,
                    }
                })
            })
        };
        let opaque_value = || {
            first.map(|f| Value {
                kind: ValueKind::Other(squash(self.t(f))),
                span: f.byte_range(),
                use_span: f.byte_range(),
            })
        };
        let pick = |names: &[String]| -> Option<Value> {
            match lookup(names) {
                Some(f) => Some(self.value(f.value)),
                None if opaque => opaque_value(),
                None => None,
            }
        };
        let base_url = pick(&entry.base_url);
        // A key passed as an `Authorization` header (`headers` / `defaultHeaders`) counts.
        let api_key = pick(&entry.api_key).or_else(|| {
            let o = obj?;
            ["headers", "defaultHeaders"]
                .iter()
                .find_map(|h| self.find(o, &[h], 0))
                .and_then(|f| self.auth_header(f.value))
        });
        let model = if entry.model.is_empty() {
            None
        } else {
            pick(&entry.model)
        };
        let mut misspelled = Vec::new();
        for opt in &entry.misspelled_base_url {
            let path: Vec<&str> = opt.split('.').collect();
            if let Some(f) = obj.and_then(|o| self.find(o, &path, 0)) {
                misspelled.push((opt.clone(), f.key.clone(), self.value(f.value)));
            }
        }
        let dangerously_allow_browser = obj
            .and_then(|o| self.find(o, &["dangerouslyAllowBrowser"], 0))
            .filter(|f| unwrap(f.value).kind() == "true")
            .map(|f| f.whole);
        let insert_at = obj.map(|o| {
            let mut c = o.walk();
            let last = o
                .named_children(&mut c)
                .filter(|x| x.kind() != "comment")
                .last();
            match last {
                Some(l) => l.end_byte(),
                None => o.start_byte() + 1,
            }
        });
        if let Some(m) = &model {
            self.consumed.push(m.span.clone());
        }
        self.facts.clients.push(Client {
            base_url,
            api_key,
            model,
            misspelled_base_url: misspelled,
            dangerously_allow_browser,
            insert_at,
            ..Client::new(
                entry,
                self.binding_of(n),
                n.byte_range(),
                callee.byte_range(),
            )
        });
        self.ctor.push(name);
    }

    /// What a construction is bound to: a declared name, an assignment target, a class
    /// field (`this.client`), an object key, or `getClient()` for a function returning it.
    fn binding_of(&self, n: Node<'t>) -> Option<String> {
        let mut cur = n;
        let mut up = self.up(n);
        while let Some(p) = up {
            match p.kind() {
                "await_expression"
                | "parenthesized_expression"
                | "as_expression"
                | "satisfies_expression"
                | "non_null_expression"
                | "type_assertion" => {
                    cur = p;
                    up = self.up(p);
                }
                "variable_declarator" => {
                    let name = p.child_by_field_name("name")?;
                    return (name.kind() == "identifier").then(|| self.t(name).to_string());
                }
                "assignment_expression" => {
                    let left = p.child_by_field_name("left")?;
                    if left.byte_range() == cur.byte_range() {
                        return None;
                    }
                    return Some(squash(self.t(left)));
                }
                "public_field_definition" | "field_definition" => {
                    let name = p
                        .child_by_field_name("name")
                        .or_else(|| p.child_by_field_name("property"))?;
                    return Some(format!("this.{}", self.t(name)));
                }
                "pair" => {
                    let key = p.child_by_field_name("key")?;
                    return self.key_name(key);
                }
                "return_statement" => {
                    return self.enclosing_function_name(p).map(|f| format!("{f}()"));
                }
                "arrow_function" => {
                    // Expression body: `const getClient = () => new OpenAI()`.
                    return self.enclosing_function_name(cur).map(|f| format!("{f}()"));
                }
                _ => return None,
            }
        }
        None
    }

    /// The name of the function enclosing `n` (declaration, method, or `const f = () =>`).
    fn enclosing_function_name(&self, n: Node<'t>) -> Option<String> {
        let mut up = self.up(n);
        while let Some(p) = up {
            match p.kind() {
                "function_declaration" | "generator_function_declaration" => {
                    return p.child_by_field_name("name").map(|x| self.t(x).to_string());
                }
                "method_definition" => {
                    return p
                        .child_by_field_name("name")
                        .map(|x| format!("this.{}", self.t(x)));
                }
                "arrow_function" | "function_expression" | "function" => {
                    let d = self.up(p)?;
                    if d.kind() == "variable_declarator" {
                        return d.child_by_field_name("name").map(|x| self.t(x).to_string());
                    }
                    return None;
                }
                _ => up = self.up(p),
            }
        }
        None
    }

    /// The client a receiver text is bound to (exact binding, else same last segment).
    fn client_by_receiver(&self, recv: &str) -> Option<usize> {
        if let Some(i) = self
            .facts
            .clients
            .iter()
            .rposition(|c| c.binding.as_deref() == Some(recv))
        {
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

    fn on_call(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        self.on_call_env(n);
        let f = unwrap(f);
        // Member chain: base object and property segments.
        let mut segs: Vec<Node<'t>> = Vec::new();
        let mut base = f;
        while base.kind() == "member_expression" {
            let Some(prop) = base.child_by_field_name("property") else {
                break;
            };
            segs.push(prop);
            let Some(obj) = base.child_by_field_name("object") else {
                break;
            };
            base = unwrap(obj);
        }
        segs.reverse();
        let names: Vec<&str> = segs.iter().map(|s| self.t(*s)).collect();
        let callee = squash(self.t(f));

        if self.try_http(n, &callee) {
            return;
        }
        if self.try_provider_call(n, f, &callee, &names) {
            return;
        }
        if segs.is_empty() {
            return;
        }
        // SDK API path: receiver + root + … + method.
        for i in 0..segs.len() {
            if segs.len() - i < 2 {
                break;
            }
            let root = names[i];
            let distinct = DISTINCT_ROOTS.contains(&root);
            let ambiguous = AMBIGUOUS_ROOTS.contains(&root);
            if !distinct && !ambiguous {
                continue;
            }
            let recv_end = if i == 0 {
                base.end_byte()
            } else {
                segs[i - 1].end_byte()
            };
            let recv_text = squash(self.text.get(base.start_byte()..recv_end).unwrap_or(""));
            if recv_text.is_empty() || recv_text == "this" {
                return;
            }
            if !names.last().is_some_and(|m| API_METHODS.contains(m)) {
                return;
            }
            let client = self.client_of_node(base, i, &recv_text);
            if !distinct && client.is_none() && !looks_like_client(&recv_text) {
                return;
            }
            let api = names[i..].join(".");
            let api_span = segs[i].start_byte()..f.end_byte();
            let model = self.request_model(n);
            self.push_request(Request {
                receiver: Some(recv_text),
                client,
                api,
                api_span,
                model,
                url: None,
                api_key: None,
            });
            return;
        }
        // LangChain runnables bound to a LangChain client.
        if let Some(&method) = names.last() {
            if LANGCHAIN_METHODS.contains(&method) {
                let recv_end = if segs.len() >= 2 {
                    segs[segs.len() - 2].end_byte()
                } else {
                    base.end_byte()
                };
                let recv_text = squash(self.text.get(base.start_byte()..recv_end).unwrap_or(""));
                let client = self.client_of_node(base, segs.len() - 1, &recv_text);
                if let Some(ci) = client {
                    if self.facts.clients[ci].sdk.starts_with("langchain") {
                        let embeds = self.ctor[ci].contains("Embeddings");
                        let api = if embeds {
                            format!("embeddings.{method}")
                        } else {
                            method.to_string()
                        };
                        let span = segs.last().map(|s| s.byte_range()).unwrap_or(0..0);
                        self.push_request(Request {
                            receiver: Some(recv_text),
                            client: Some(ci),
                            api,
                            api_span: span,
                            model: None,
                            url: None,
                            api_key: None,
                        });
                    }
                }
            }
        }
    }

    /// The client behind a receiver: a construction used inline, or a bound name.
    fn client_of_node(&self, base: Node<'t>, seg_count: usize, recv: &str) -> Option<usize> {
        if seg_count == 0 && base.kind() == "new_expression" {
            let r = base.byte_range();
            if let Some(i) = self.facts.clients.iter().position(|c| c.span == r) {
                return Some(i);
            }
        }
        self.client_by_receiver(recv)
    }

    fn push_request(&mut self, req: Request) {
        if let Some(m) = &req.model {
            self.consumed.push(m.span.clone());
        }
        self.facts.requests.push(req);
    }

    /// The `model` option of a call's first (object) argument.
    fn request_model(&self, call: Node<'t>) -> Option<Value> {
        let a = first_arg(call)?;
        let o = self.object(a, 0)?;
        MODEL_KEYS
            .iter()
            .find_map(|k| self.find(o, &[k], 0))
            .map(|f| self.value(f.value))
    }

    /// Vercel AI SDK: `provider("id")`, `provider.chat("id")`, `provider.embedding("id")`…
    fn try_provider_call(
        &mut self,
        n: Node<'t>,
        f: Node<'t>,
        callee: &str,
        names: &[&str],
    ) -> bool {
        let (recv, method) = match names.len() {
            0 if f.kind() == "identifier" => (callee.to_string(), None),
            1 => {
                let (r, _) = callee.rsplit_once('.').unwrap_or((callee, ""));
                (r.to_string(), Some(names[0]))
            }
            _ => return false,
        };
        let Some(ci) = self
            .facts
            .clients
            .iter()
            .rposition(|c| c.binding.as_deref() == Some(recv.as_str()))
        else {
            return false;
        };
        let sdk = self.facts.clients[ci].sdk.as_str();
        if !sdk.starts_with("vercel-ai") {
            return false;
        }
        let compatible = self.ctor[ci] == "createOpenAICompatible";
        let native = self.facts.clients[ci].family == super::Family::DeepSeekNative;
        let api = match method {
            None | Some("languageModel") if compatible || native => "chat.completions",
            None | Some("responses") | Some("languageModel") => "ai-sdk.responses",
            Some("chat") | Some("chatModel") => "chat.completions",
            Some("completion") | Some("completionModel") => "completions",
            Some("embedding")
            | Some("textEmbedding")
            | Some("textEmbeddingModel")
            | Some("embeddingModel") => "ai-sdk.embedding",
            Some("image") | Some("imageModel") => "ai-sdk.image",
            Some("transcription") | Some("transcriptionModel") => "ai-sdk.transcription",
            Some("speech") | Some("speechModel") => "ai-sdk.speech",
            _ => return false,
        };
        let model = first_arg(n).map(|a| self.value(a));
        if let Some(pos) = self.unplaced_instances.iter().position(|&i| i == ci) {
            self.unplaced_instances.remove(pos);
            let c = &mut self.facts.clients[ci];
            c.span = n.byte_range();
            c.callee_span = f.byte_range();
        }
        self.push_request(Request {
            receiver: Some(recv),
            client: Some(ci),
            api: api.to_string(),
            api_span: f.byte_range(),
            model,
            url: None,
            api_key: None,
        });
        true
    }

    /// `fetch(url, { headers, body: JSON.stringify({ model }) })`, `axios.post(url, data,
    /// { headers })`, `axios({ url, data, headers })`.
    fn try_http(&mut self, n: Node<'t>, callee: &str) -> bool {
        let args: Vec<Node<'t>> = match n.child_by_field_name("arguments") {
            Some(a) => {
                let mut c = a.walk();
                a.named_children(&mut c)
                    .filter(|x| x.kind() != "comment")
                    .collect()
            }
            None => return false,
        };
        let (url, body, headers) = match callee {
            "fetch" | "globalThis.fetch" | "window.fetch" | "$fetch" | "ofetch" => {
                let Some(u) = args.first() else {
                    return false;
                };
                let init = args.get(1).and_then(|i| self.object(*i, 0));
                let body = init
                    .and_then(|o| self.find(o, &["body"], 0))
                    .map(|f| f.value);
                let headers = init
                    .and_then(|o| self.find(o, &["headers"], 0))
                    .map(|f| f.value);
                (Some(*u), body, headers)
            }
            "axios.post" | "axios.put" | "axios.patch" => {
                let Some(u) = args.first() else {
                    return false;
                };
                let cfg = args.get(2).and_then(|c| self.object(*c, 0));
                let headers = cfg
                    .and_then(|o| self.find(o, &["headers"], 0))
                    .map(|f| f.value);
                (Some(*u), args.get(1).copied(), headers)
            }
            "axios" | "axios.request" => {
                let Some(cfg) = args.first().and_then(|c| self.object(*c, 0)) else {
                    return false;
                };
                let get = |k: &str| self.find(cfg, &[k], 0).map(|f| f.value);
                (get("url"), get("data"), get("headers"))
            }
            _ => return self.try_axios_instance(n, callee, &args),
        };
        let url_value = url.map(|u| self.value(u));
        self.push_http(n, url_value, body, headers)
    }

    /// `api.post(path, data, config)` on `const api = axios.create({ baseURL, headers })`.
    fn try_axios_instance(&mut self, n: Node<'t>, callee: &str, args: &[Node<'t>]) -> bool {
        let Some((recv, method)) = callee.rsplit_once('.') else {
            return false;
        };
        if !matches!(method, "post" | "put" | "patch") || recv.contains(['.', '(']) {
            return false;
        }
        let Some(inst) = self.decl(recv, n.start_byte()).map(unwrap) else {
            return false;
        };
        let is_create = inst.kind() == "call_expression"
            && inst
                .child_by_field_name("function")
                .is_some_and(|f| squash(self.t(f)) == "axios.create");
        if !is_create {
            return false;
        }
        let cfg = first_arg(inst).and_then(|c| self.object(c, 0));
        let base = cfg
            .and_then(|o| self.find(o, &["baseURL"], 0))
            .map(|f| self.value(f.value));
        let path = args.first().map(|p| self.value(*p));
        let url = match (base, path) {
            (Some(b), Some(p)) => match (&b.kind, &p.kind) {
                (ValueKind::Str(bs), ValueKind::Str(ps)) if !ps.contains("://") => Some(Value {
                    kind: ValueKind::Str(format!("{}{}", bs.trim_end_matches('/'), ps)),
                    span: b.span.clone(),
                    use_span: p.use_span.clone(),
                }),
                (_, ValueKind::Str(ps)) if ps.contains("://") => Some(p),
                _ => Some(b),
            },
            (b, p) => b.or(p),
        };
        let call_cfg = args.get(2).and_then(|c| self.object(*c, 0));
        let headers = call_cfg
            .and_then(|o| self.find(o, &["headers"], 0))
            .or_else(|| cfg.and_then(|o| self.find(o, &["headers"], 0)))
            .map(|f| f.value);
        self.push_http(n, url, args.get(1).copied(), headers)
    }

    /// Records an HTTP request when it says enough (a model, a key or a known host).
    fn push_http(
        &mut self,
        n: Node<'t>,
        url_value: Option<Value>,
        body: Option<Node<'t>>,
        headers: Option<Node<'t>>,
    ) -> bool {
        let model = body.and_then(|b| self.body_object(b)).and_then(|o| {
            MODEL_KEYS
                .iter()
                .find_map(|k| self.find(o, &[k], 0))
                .map(|f| self.value(f.value))
        });
        let api_key = headers.and_then(|h| self.auth_header(h));
        let url_known = url_value.as_ref().is_some_and(|v| {
            v.as_str().is_some_and(|s| {
                !matches!(
                    self.settings.catalogue.classify_url(s),
                    crate::catalogue::UrlTarget::Unknown
                )
            })
        });
        if model.is_none() && api_key.is_none() && !url_known {
            return false;
        }
        let span = n
            .child_by_field_name("function")
            .map(|x| x.byte_range())
            .unwrap_or_else(|| n.byte_range());
        self.push_request(Request {
            receiver: None,
            client: None,
            api: "http".to_string(),
            api_span: span,
            model,
            url: url_value,
            api_key,
        });
        true
    }

    /// The object literal of a request body: `JSON.stringify(obj)` or an object.
    fn body_object(&self, b: Node<'t>) -> Option<Node<'t>> {
        let mut b = unwrap(b);
        if b.kind() == "identifier" {
            let v = self.decl(self.t(b), b.start_byte())?;
            b = unwrap(v);
        }
        if b.kind() == "call_expression" {
            let f = b.child_by_field_name("function")?;
            if squash(self.t(f)) != "JSON.stringify" {
                return None;
            }
            return self.object(first_arg(b)?, 0);
        }
        self.object(b, 0)
    }

    /// The key in an `Authorization` header, the `Bearer ` scheme removed.
    fn auth_header(&self, h: Node<'t>) -> Option<Value> {
        let mut h = unwrap(h);
        if h.kind() == "new_expression" {
            // `new Headers({ ... })`
            h = first_arg(h)?;
        }
        let o = self.object(h, 0)?;
        let f = ["Authorization", "authorization"]
            .iter()
            .find_map(|k| self.find(o, &[k], 0))?;
        let v = unwrap(f.value);
        // `Bearer ${key}` or "Bearer " + key: the key expression itself.
        match v.kind() {
            "template_string" => {
                let mut c = v.walk();
                let parts: Vec<Node<'t>> = v.named_children(&mut c).collect();
                if let [frag, sub] = parts.as_slice() {
                    if frag.kind() == "string_fragment"
                        && self.t(*frag).trim().eq_ignore_ascii_case("bearer")
                        && sub.kind() == "template_substitution"
                    {
                        return sub.named_child(0).map(|e| self.value(e));
                    }
                }
            }
            "binary_expression" => {
                let l = v.child_by_field_name("left")?;
                let r = v.child_by_field_name("right")?;
                if l.kind() == "string" && string_value(l, self.text).trim() == "Bearer" {
                    return Some(self.value(r));
                }
            }
            _ => {}
        }
        let mut value = self.value(v);
        if let ValueKind::Str(s) = &value.kind {
            if let Some(rest) = s.strip_prefix("Bearer ") {
                value.kind = ValueKind::Str(rest.to_string());
            }
        }
        Some(value)
    }

    /// Records env reads through `process.env.X`, `process.env["X"]`, `import.meta.env.X`,
    /// `Deno.env.get("X")` and `$env/dynamic/*` objects.
    fn on_env_member(&mut self, n: Node<'t>) {
        let target = match n.kind() {
            "member_expression" | "subscript_expression" => n,
            _ => return,
        };
        let Some((name, via, span)) = self.env_read(target) else {
            return;
        };
        // A write (`process.env.X = …`) is a global setting, not a read.
        if let Some(p) = self.up(n) {
            if p.kind() == "assignment_expression"
                && p.child_by_field_name("left")
                    .is_some_and(|l| l.byte_range() == n.byte_range())
            {
                return;
            }
        }
        let (default, default_span) = self.default_of(n);
        self.facts.env_reads.push(EnvRead {
            name,
            span,
            default,
            default_span,
            via,
        });
    }

    /// The literal default after `??` / `||` when `n` is the left operand (of a whole
    /// `A || B || 'x'` chain when it is its first operand).
    fn default_of(&self, n: Node<'t>) -> (Option<String>, Option<Range<usize>>) {
        let mut cur = n;
        let mut up = self.up(n);
        while let Some(p) = up {
            match p.kind() {
                "parenthesized_expression" | "non_null_expression" | "as_expression" => {
                    cur = p;
                    up = self.up(p);
                }
                "binary_expression" => {
                    let op = p.child_by_field_name("operator").map(|o| o.kind());
                    let left = p.child_by_field_name("left");
                    if !(matches!(op, Some("??") | Some("||"))
                        && left.is_some_and(|l| l.byte_range() == cur.byte_range()))
                    {
                        return (None, None);
                    }
                    let Some(r) = p.child_by_field_name("right").map(unwrap) else {
                        return (None, None);
                    };
                    if matches!(r.kind(), "string" | "template_string") {
                        if let ValueKind::Str(s) = self.resolve(r, 0).0 {
                            return (Some(s), Some(r.byte_range()));
                        }
                        return (None, None);
                    }
                    // `A || B || ''`: the chain's last fallback is the default of its first read.
                    cur = p;
                    up = self.up(p);
                }
                _ => return (None, None),
            }
        }
        (None, None)
    }

    fn on_call_env(&mut self, n: Node<'t>) {
        if let Some((name, via, span)) = self.env_read(n) {
            let (default, default_span) = self.default_of(n);
            self.facts.env_reads.push(EnvRead {
                name,
                span,
                default,
                default_span,
                via,
            });
        }
    }

    /// `process.env.OPENAI_BASE_URL = …` and friends.
    fn on_assignment(&mut self, n: Node<'t>) {
        let (Some(l), Some(r)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return;
        };
        if let Some((name, _, span)) = self.env_read(l) {
            self.facts.globals.push(GlobalSetting {
                target: name,
                target_span: span,
                value: self.value(r),
            });
        }
    }

    fn on_string(&mut self, n: Node<'t>) {
        // Only plain literals (a template with substitutions is not one).
        if has_substitution(n) {
            return;
        }
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

    fn finish(mut self) -> Facts {
        self.facts.imports.dedup();
        self.facts.env_reads.sort_by_key(|a| a.span.start);
        self.facts
            .env_reads
            .dedup_by(|a, b| a.span == b.span && a.name == b.name);
        if !self.facts.mentions_deepseek {
            self.facts.mentions_deepseek = self
                .facts
                .env_reads
                .iter()
                .any(|e| names_deepseek_api(&e.name));
        }
        self.facts
    }
}

/// Keys of a settings object that hold an API base URL.
const BASE_URL_KEYS: &[&str] = &[
    "baseURL", "baseUrl", "base_url", "apiBase", "api_base", "basePath",
];

/// Skips expression wrappers that do not change the value.
fn unwrap(mut n: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        match n.kind() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "await_expression" => match n.named_child(0) {
                Some(c) if c.kind() != "comment" => n = c,
                _ => return n,
            },
            "type_assertion" => match n.named_child(n.named_child_count().saturating_sub(1)) {
                Some(c) => n = c,
                None => return n,
            },
            _ => return n,
        }
    }
    n
}

/// The first non-comment argument of a call or `new`.
fn first_arg(call: Node<'_>) -> Option<Node<'_>> {
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let first = args.named_children(&mut c).find(|x| x.kind() != "comment");
    first
}

/// True for a template literal with a `${…}` substitution: not a plain string.
fn has_substitution(n: Node<'_>) -> bool {
    let mut c = n.walk();
    n.kind() == "template_string"
        && n.named_children(&mut c)
            .any(|x| x.kind() == "template_substitution")
}

/// The content of a string or template literal (escapes decoded, substitutions as written).
fn string_value(n: Node<'_>, text: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        let t = text.get(ch.byte_range()).unwrap_or("");
        match ch.kind() {
            "string_fragment" | "html_character_reference" => out.push_str(t),
            "escape_sequence" => out.push_str(&unescape(t)),
            "template_substitution" => out.push_str(t),
            _ => {}
        }
    }
    out
}

/// Decodes one JS escape sequence.
fn unescape(esc: &str) -> String {
    let body = &esc[esc.len().min(1)..];
    match body {
        "n" => "\n".into(),
        "t" => "\t".into(),
        "r" => "\r".into(),
        "0" => "\0".into(),
        _ if body.starts_with('u') || body.starts_with('x') => {
            let hex = body[1..].trim_matches(|c| c == '{' || c == '}');
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        }
        _ if body.starts_with(['\n', '\r']) => String::new(),
        _ => body.to_string(),
    }
}

/// Source text with whitespace removed and optional chaining / non-null assertions
/// normalized: `client?.chat` → `client.chat`, `a?.()` → `a()`, `this.client!.x` →
/// `this.client.x`.
///
/// Only a prefix is kept ([`squash_prefix`]).
fn squash(s: &str) -> String {
    let s = squash_prefix(s);
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '?' && next == Some('.') {
            // `?.` → `.`, and `?.(` / `?.[` → `(` / `[`.
            if matches!(chars.get(i + 2), Some('(') | Some('[')) {
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if c == '!' && matches!(next, None | Some('.' | ')' | ']' | ',' | ';' | '[')) {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The `via` of an env object written as `t` (whitespace removed).
fn env_object_via(t: &str) -> Option<&'static str> {
    match t {
        "process.env" | "globalThis.process.env" => Some("process.env"),
        "import.meta.env" => Some("import.meta.env"),
        "Bun.env" => Some("Bun.env"),
        _ => None,
    }
}

/// True for receivers named like an LLM client (`openai`, `client`, `this.deepseek`, `llm`).
fn looks_like_client(recv: &str) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    last.contains("openai")
        || last.contains("client")
        || last.contains("deepseek")
        || last.contains("llm")
        || last == "ai"
}

mod models;

#[cfg(test)]
mod tests;
