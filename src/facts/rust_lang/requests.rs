//! API requests in Rust: async-openai calls (`client.chat().create(req)`,
//! `client.embeddings().create(..)`…) with the client they go through, and the model of a
//! request value (a builder chain with `.model(..)`, a struct literal, a `json!` body).
use tree_sitter::Node;

use super::syntax::{first_arg, squash, string_value, unwrap_ref};
use super::{Extractor, MAX_DEPTH};
use crate::facts::{Request, Value};

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

impl<'t> Extractor<'t> {
    /// `client.chat().create(req)`, `client.embeddings().create(..)`, `client.responses()…`.
    pub(super) fn on_request(&mut self, n: Node<'t>) {
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
    pub(super) fn request_model(&self, arg: Node<'t>, depth: u8) -> Option<Value> {
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
    pub(super) fn json_field(&self, tt: Node<'t>, field: &str) -> Option<Value> {
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
