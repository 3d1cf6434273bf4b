//! SDK clients in JavaScript/TypeScript: constructions (`new OpenAI({…})`,
//! `createOpenAI({…})`, LangChain `new ChatOpenAI(fields, configuration)`), pre-built
//! provider instances imported from a module (`openai` from `@ai-sdk/openai`), their
//! options (base URL, key, model, misspelled base URL options, `dangerouslyAllowBrowser`),
//! what each is bound to, and the client a receiver text names.
use tree_sitter::Node;

use super::syntax::{squash, unwrap};
use super::{Extractor, Found};
use crate::facts::sdks::{SdkEntry, TABLE};
use crate::facts::{Client, Value, ValueKind};

impl<'t> Extractor<'t> {
    /// Pre-built provider instances imported from a module (`openai` from `@ai-sdk/openai`).
    pub(super) fn default_instances(&mut self) {
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
    pub(super) fn sdk_for(&self, callee: &str) -> Option<&'static SdkEntry> {
        let head = callee.split('.').next().unwrap_or(callee);
        // Borrowed, not cloned: this runs for every call in the file.
        match self.import_of.get(head) {
            Some(m) => TABLE.constructor("ecmascript", callee, std::slice::from_ref(m)),
            None => TABLE.constructor("ecmascript", callee, &self.facts.imports),
        }
    }

    pub(super) fn on_constructor(&mut self, n: Node<'t>, callee: Node<'t>) {
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
        // What the file cannot see into: the whole argument, or a spread inside the object
        // (`{ model, ...rest }`: only `rest` may hold the options not written here).
        let opaque = match (first, obj) {
            (Some(f), None) => Some(f),
            (_, Some(o)) => self.opaque_spread(o),
            (None, None) => None,
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
            opaque.map(|f| Value {
                kind: ValueKind::Other(squash(self.t(f))),
                span: f.byte_range(),
                use_span: f.byte_range(),
            })
        };
        let pick = |names: &[String]| -> Option<Value> {
            match lookup(names) {
                Some(f) => Some(self.value(f.value)),
                None if opaque.is_some() => opaque_value(),
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
    pub(super) fn binding_of(&self, n: Node<'t>) -> Option<String> {
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
    pub(super) fn enclosing_function_name(&self, n: Node<'t>) -> Option<String> {
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
    pub(super) fn client_by_receiver(&self, recv: &str) -> Option<usize> {
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
}
