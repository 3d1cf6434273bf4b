//! async-openai clients in Rust: `OpenAIConfig::new()` builder chains with their base URL
//! and key, `Client::with_config(config)` / `Client::new()`, what each is bound to, and the
//! client a receiver text names.
use std::ops::Range;

use tree_sitter::Node;

use super::syntax::{callee_span, first_arg, last_two, squash, unwrap, unwrap_ref};
use super::{Config, Extractor};
use crate::facts::sdks::TABLE;
use crate::facts::{Client, Value, ValueKind};

impl<'t> Extractor<'t> {
    /// `OpenAIConfig::new()` (the base of a builder chain): records the whole chain.
    pub(super) fn on_config(&mut self, n: Node<'t>) {
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
    pub(super) fn config_client(
        cfg: &Config,
        binding: Option<String>,
        span: Range<usize>,
    ) -> Client {
        Client {
            base_url: cfg.base_url.clone(),
            api_key: cfg.api_key.clone(),
            insert_at: Some(cfg.insert_at),
            ..Client::new(cfg.entry, binding, span, cfg.callee_span.clone())
        }
    }

    /// `Client::with_config(config)` and `Client::new()` of async-openai.
    pub(super) fn on_client(&mut self, n: Node<'t>) {
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
    pub(super) fn binding_of(&self, n: Node<'t>) -> Option<String> {
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

    pub(super) fn client_by_receiver(&self, recv: &str) -> Option<usize> {
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
}
