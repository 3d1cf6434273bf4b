//! Fact extraction for Rust (see [`super::Facts`]).
//!
//! Understands `async-openai` (`OpenAIConfig::new().with_api_key(..).with_api_base(..)`,
//! `Client::with_config(config)`, `Client::new()`, `client.chat().create(req)` with
//! `CreateChatCompletionRequestArgs::default().model(..)` builders), environment reads
//! (`std::env::var`, `env::var`, `dotenvy::var`, with `unwrap_or*` defaults), `reqwest`
//! `.post(url)` chains with `json!` bodies and bearer auth, constants, URLs and DeepSeek names.
//! Nodes are collected once in pre-order (no recursion over the tree); value resolution is
//! depth-limited.
//!
//! This module holds the extractor's state and its passes; the handlers live in
//! submodules: [`uses`] (pass 1), [`values`] (value resolution and method chains),
//! [`clients`], [`requests`], [`http`], [`env`] and [`models`] (pass 2), and [`syntax`]
//! (stateless helpers).

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node, Tree};

use super::names::{names_deepseek_api, names_setting};
use super::sdks::SdkEntry;
use super::{Facts, Value};
use crate::settings::Settings;
use syntax::string_value;

/// How deep value resolution follows constants and method chains.
const MAX_DEPTH: u8 = 12;

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

mod clients;
mod env;
mod http;
mod models;
mod requests;
mod syntax;
mod uses;
mod values;

#[cfg(test)]
mod tests;
