//! Fact extraction for JavaScript, TypeScript and TSX (see [`super::Facts`]).
//!
//! Two iterative passes over the syntax tree (nodes are collected once in pre-order; no
//! recursion over the tree): the first gathers imports, import bindings (including
//! SvelteKit `$env/*` modules) and `const`/`let`/`var` declarations; the second finds SDK
//! clients, API requests (SDK methods, LangChain, Vercel AI SDK provider calls, `fetch`,
//! `axios`), environment reads, model sites, URLs and DeepSeek names. Values are resolved
//! through same-file constants, object literals (including spreads), string concatenation
//! and template literals, with a small depth limit.
//!
//! This module holds the extractor's state and its passes; the handlers live in
//! submodules: [`bindings`] (pass 1), [`values`] (value resolution), [`clients`],
//! [`requests`], [`http`], [`env`] and [`models`] (pass 2), and [`syntax`] (stateless
//! helpers).

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::names::{names_deepseek_api, names_setting};
use super::{Facts, Value};
use crate::settings::Settings;
use syntax::{has_substitution, string_value, unwrap};

/// How deep value resolution follows constants, objects and operators.
const MAX_DEPTH: u8 = 12;

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
                "call_expression" => match n.child_by_field_name("function") {
                    Some(f) if matches!(f.kind(), "identifier" | "member_expression") => {
                        self.on_constructor(n, f);
                    }
                    // `super({…})` in `class DeepSeekChat extends ChatOpenAI` constructs the
                    // base class's client.
                    Some(f) if f.kind() == "super" => {
                        if let Some(base) = extended_class(n) {
                            self.on_constructor(n, base);
                        }
                    }
                    _ => {}
                },
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

/// The class a `super(…)` call sits in extends: `ChatOpenAI` in
/// `class DeepSeekChat extends ChatOpenAI { constructor() { super({…}) } }`.
fn extended_class(call: Node<'_>) -> Option<Node<'_>> {
    let mut up = call.parent();
    while let Some(p) = up.filter(|p| !matches!(p.kind(), "class_declaration" | "class")) {
        up = p.parent();
    }
    let mut cursor = up?.walk();
    let heritage = up?
        .named_children(&mut cursor)
        .find(|c| c.kind() == "class_heritage")?;
    // JavaScript: `extends <expression>`; TypeScript wraps it in an `extends_clause`.
    let mut cursor = heritage.walk();
    let clause = heritage.named_children(&mut cursor).next()?;
    let value = if clause.kind() == "extends_clause" {
        clause.child_by_field_name("value")?
    } else {
        clause
    };
    matches!(value.kind(), "identifier" | "member_expression").then_some(value)
}

mod bindings;
mod clients;
mod env;
mod http;
mod models;
mod requests;
mod syntax;
mod values;

#[cfg(test)]
mod tests;
