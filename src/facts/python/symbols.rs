//! The Python symbol table: scopes, same-file assignments, import aliases, and resolving an
//! expression to a [`Value`] through them (constants, string concatenation, f-strings,
//! environment reads, literal dicts).

use std::collections::HashMap;

use tree_sitter::Node;

use crate::facts::{EnvRead, Value, ValueKind};

/// How deep a chain of `A = B`, `B = C`… is followed.
const MAX_DEPTH: usize = 8;

/// One lexical scope: the module (index 0), a function or a class body.
#[derive(Debug)]
pub struct Scope<'t> {
    /// The enclosing scope (the module is its own parent).
    pub parent: usize,
    /// Class bodies are skipped when resolving names from nested functions.
    pub is_class: bool,
    /// Function parameters with their default values.
    pub params: Vec<(String, Option<Node<'t>>)>,
}

/// One assignment `target = value`.
#[derive(Debug, Clone, Copy)]
pub struct Assign<'t> {
    /// The scope it is made in.
    pub scope: usize,
    /// Where the assignment starts.
    pub start: usize,
    /// The assigned expression.
    pub value: Node<'t>,
}

/// The symbol table of one Python document.
#[derive(Debug)]
pub struct Symbols<'t> {
    /// The document text.
    pub text: &'t str,
    /// Scopes; index 0 is the module.
    pub scopes: Vec<Scope<'t>>,
    /// Assignments by target text (`NAME`, `self.client`).
    pub assigns: HashMap<String, Vec<Assign<'t>>>,
    /// Imported names: local name → qualified name (`OpenAI` → `openai.OpenAI`,
    /// `np` → `numpy`).
    pub aliases: HashMap<String, String>,
    /// Classes defined in this file (a local `class OpenAI` is not the SDK's).
    pub defined: std::collections::HashSet<String>,
}

/// Collapses whitespace out of an expression's text (`client . chat` → `client.chat`).
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl<'t> Symbols<'t> {
    /// An empty table over `text` with the module scope.
    pub fn new(text: &'t str) -> Symbols<'t> {
        Symbols {
            text,
            scopes: vec![Scope {
                parent: 0,
                is_class: false,
                params: Vec::new(),
            }],
            assigns: HashMap::new(),
            aliases: HashMap::new(),
            defined: std::collections::HashSet::new(),
        }
    }

    /// The source text of a node.
    pub fn src(&self, n: Node<'_>) -> &'t str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    /// The whitespace-free text of a node with a leading import alias expanded
    /// (`OAI` → `openai.OpenAI`, `oa.OpenAI` → `openai.OpenAI`).
    pub fn qualified(&self, n: Node<'_>) -> String {
        let raw = compact(self.src(n));
        let (head, rest) = match raw.find('.') {
            Some(i) => (&raw[..i], &raw[i..]),
            None => (raw.as_str(), ""),
        };
        match self.aliases.get(head) {
            Some(q) => format!("{q}{rest}"),
            None => raw,
        }
    }

    /// The module a name was imported from, when known (`OpenAI` → `openai`).
    pub fn origin_module(&self, n: Node<'_>) -> Option<String> {
        let raw = compact(self.src(n));
        let head = raw.split('.').next().unwrap_or("");
        let q = self.aliases.get(head)?;
        if raw.contains('.') {
            // `oa.OpenAI`: the alias names the module itself.
            Some(q.clone())
        } else {
            q.rsplit_once('.').map(|(m, _)| m.to_string())
        }
    }

    /// Records an assignment.
    pub fn add_assign(&mut self, name: String, a: Assign<'t>) {
        self.assigns.entry(name).or_default().push(a);
    }

    /// Finds what identifier `name` used at `at` in `scope` is bound to: a parameter default
    /// or the assignment in the nearest enclosing scope (the last one before the use, else the
    /// first one). `Err(())` when it is a parameter without default (unknown).
    fn lookup(&self, name: &str, scope: usize, at: usize) -> Result<Option<(Node<'t>, usize)>, ()> {
        let mut s = scope.min(self.scopes.len() - 1);
        let mut first = true;
        loop {
            let sc = &self.scopes[s];
            if first || !sc.is_class {
                if let Some((_, default)) = sc.params.iter().find(|(p, _)| p == name) {
                    return match default {
                        Some(d) => Ok(Some((*d, s))),
                        None => Err(()),
                    };
                }
                if let Some(list) = self.assigns.get(name) {
                    let here: Vec<&Assign<'t>> = list.iter().filter(|a| a.scope == s).collect();
                    let before = here.iter().rev().find(|a| a.start < at);
                    if let Some(a) = before.or(here.first()) {
                        return Ok(Some((a.value, a.scope)));
                    }
                }
            }
            if s == 0 {
                return Ok(None);
            }
            s = self.scopes[s].parent;
            first = false;
        }
    }

    /// Resolves an attribute (`self.model`, `Config.BASE_URL`, `settings.MODEL`) to an
    /// assignment: one to the same text anywhere, else a class attribute of the same name.
    fn lookup_attr(&self, full: &str, at: usize) -> Option<(Node<'t>, usize)> {
        if let Some(list) = self.assigns.get(full) {
            let before = list.iter().rev().find(|a| a.start < at);
            if let Some(a) = before.or(list.first()) {
                return Some((a.value, a.scope));
            }
        }
        let last = full.rsplit('.').next()?;
        let list = self.assigns.get(last)?;
        list.iter()
            .find(|a| self.scopes.get(a.scope).is_some_and(|s| s.is_class))
            .map(|a| (a.value, a.scope))
    }

    /// The node an identifier or attribute is bound to, following `A = B` chains, or the node
    /// itself.
    pub fn definition(&self, n: Node<'t>, scope: usize) -> (Node<'t>, usize) {
        let mut cur = (n, scope);
        for _ in 0..MAX_DEPTH {
            let next = match cur.0.kind() {
                "identifier" => self
                    .lookup(self.src(cur.0), cur.1, cur.0.start_byte())
                    .ok()
                    .flatten(),
                "attribute" => self.lookup_attr(&compact(self.src(cur.0)), cur.0.start_byte()),
                "parenthesized_expression" => cur.0.named_child(0).map(|c| (c, cur.1)),
                _ => None,
            };
            match next {
                Some(nx) if nx.0.id() != cur.0.id() => cur = nx,
                _ => break,
            }
        }
        cur
    }

    /// The literal dict an expression is (or is bound to), if any.
    pub fn dict_of(&self, n: Node<'t>, scope: usize) -> Option<(Node<'t>, usize)> {
        let (d, s) = self.definition(n, scope);
        match d.kind() {
            "dictionary" => Some((d, s)),
            // `dict(base_url=..., api_key=...)`
            "call" => {
                let f = d.child_by_field_name("function")?;
                (self.src(f) == "dict").then_some((d, s))
            }
            _ => None,
        }
    }

    /// The string content of a plain string literal (no interpolation), with its node.
    pub fn literal(&self, n: Node<'_>) -> Option<String> {
        if n.kind() != "string" {
            return None;
        }
        let mut out = String::new();
        let mut cursor = n.walk();
        for c in n.named_children(&mut cursor) {
            match c.kind() {
                "string_content" => out.push_str(self.src(c)),
                "interpolation" => return None,
                _ => {}
            }
        }
        Some(out)
    }

    /// Resolves an expression to a value. `span` is the literal's span when resolved through
    /// a constant; `use_span` is the expression itself.
    pub fn value(&self, n: Node<'t>, scope: usize) -> Value {
        let (kind, span) = self.resolve(n, scope, 0);
        Value {
            kind,
            span,
            use_span: n.byte_range(),
        }
    }

    fn other(&self, n: Node<'_>) -> (ValueKind, std::ops::Range<usize>) {
        (ValueKind::Other(compact(self.src(n))), n.byte_range())
    }

    fn resolve(
        &self,
        n: Node<'t>,
        scope: usize,
        depth: usize,
    ) -> (ValueKind, std::ops::Range<usize>) {
        if depth > MAX_DEPTH {
            return self.other(n);
        }
        match n.kind() {
            "string" => {
                if let Some(s) = self.literal(n) {
                    return (ValueKind::Str(s), n.byte_range());
                }
                // f-string: resolve every interpolation to a string.
                let mut out = String::new();
                let mut cursor = n.walk();
                for c in n.named_children(&mut cursor) {
                    match c.kind() {
                        "string_content" => out.push_str(self.src(c)),
                        "interpolation" => {
                            let Some(e) = c.child_by_field_name("expression") else {
                                return self.other(n);
                            };
                            if c.child_by_field_name("format_specifier").is_some() {
                                return self.other(n);
                            }
                            match self.resolve(e, scope, depth + 1).0 {
                                ValueKind::Str(s) => out.push_str(&s),
                                _ => return self.other(n),
                            }
                        }
                        _ => {}
                    }
                }
                (ValueKind::Str(out), n.byte_range())
            }
            "concatenated_string" => {
                let mut out = String::new();
                let mut cursor = n.walk();
                for c in n.named_children(&mut cursor) {
                    match self.resolve(c, scope, depth + 1).0 {
                        ValueKind::Str(s) => out.push_str(&s),
                        _ => return self.other(n),
                    }
                }
                (ValueKind::Str(out), n.byte_range())
            }
            "binary_operator" => {
                let op = n.child_by_field_name("operator").map(|o| self.src(o));
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    return self.other(n);
                };
                if op != Some("+") {
                    return self.other(n);
                }
                match (
                    self.resolve(l, scope, depth + 1).0,
                    self.resolve(r, scope, depth + 1).0,
                ) {
                    (ValueKind::Str(a), ValueKind::Str(b)) => {
                        (ValueKind::Str(a + &b), n.byte_range())
                    }
                    _ => self.other(n),
                }
            }
            "parenthesized_expression" => match n.named_child(0) {
                Some(c) => self.resolve(c, scope, depth + 1),
                None => self.other(n),
            },
            "identifier" | "attribute" => {
                let (d, s) = self.definition(n, scope);
                if d.id() == n.id() {
                    return self.other(n);
                }
                let (k, span) = self.resolve(d, s, depth + 1);
                match k {
                    // Keep the name as evidence (`api_key=settings.deepseek_key`).
                    ValueKind::Other(t) => (
                        ValueKind::Other(format!("{}={t}", compact(self.src(n)))),
                        span,
                    ),
                    k => (k, span),
                }
            }
            "subscript" => {
                if let Some(r) = self.env_read(n) {
                    return (
                        ValueKind::Env {
                            name: r.name,
                            default: r.default,
                        },
                        n.byte_range(),
                    );
                }
                // `CONFIG["base_url"]` with a literal dict.
                if let (Some(v), Some(k)) = (
                    n.child_by_field_name("value"),
                    n.child_by_field_name("subscript"),
                ) {
                    if let (Some((d, s)), Some(key)) = (self.dict_of(v, scope), self.literal(k)) {
                        if let Some(val) = self.dict_get(d, &key) {
                            return self.resolve(val, s, depth + 1);
                        }
                    }
                }
                self.other(n)
            }
            "call" => {
                if let Some(r) = self.env_read(n) {
                    return (
                        ValueKind::Env {
                            name: r.name,
                            default: r.default,
                        },
                        n.byte_range(),
                    );
                }
                // `str(x)`, `SecretStr(x)`: the inner value.
                let f = n.child_by_field_name("function").map(|f| self.src(f));
                if matches!(f, Some("str" | "SecretStr")) {
                    if let Some(a) = n
                        .child_by_field_name("arguments")
                        .and_then(|a| a.named_child(0))
                    {
                        return self.resolve(a, scope, depth + 1);
                    }
                }
                self.other(n)
            }
            "boolean_operator" => {
                let is_or = n
                    .child_by_field_name("operator")
                    .is_some_and(|o| self.src(o) == "or");
                if let (true, Some(l), Some(r)) = (
                    is_or,
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) {
                    let left = self.resolve(l, scope, depth + 1).0;
                    let right = self.resolve(r, scope, depth + 1).0;
                    match (left, right) {
                        (
                            ValueKind::Env {
                                name,
                                default: None,
                            },
                            ValueKind::Str(d),
                        ) => {
                            return (
                                ValueKind::Env {
                                    name,
                                    default: Some(d),
                                },
                                n.byte_range(),
                            )
                        }
                        (ValueKind::Env { name, default }, _) => {
                            return (ValueKind::Env { name, default }, n.byte_range())
                        }
                        _ => {}
                    }
                }
                self.other(n)
            }
            _ => self.other(n),
        }
    }

    /// The value node of key `key` in a literal dict (or `dict(key=...)` call).
    pub fn dict_get(&self, d: Node<'t>, key: &str) -> Option<Node<'t>> {
        self.dict_items(d)
            .into_iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    /// The string-keyed items of a literal dict or `dict(...)` call: `(key, key node, value)`.
    pub fn dict_items(&self, d: Node<'t>) -> Vec<(String, Node<'t>, Node<'t>)> {
        let mut out = Vec::new();
        if d.kind() == "call" {
            if let Some(args) = d.child_by_field_name("arguments") {
                let mut cursor = args.walk();
                for a in args.named_children(&mut cursor) {
                    if a.kind() == "keyword_argument" {
                        if let (Some(k), Some(v)) = (
                            a.child_by_field_name("name"),
                            a.child_by_field_name("value"),
                        ) {
                            out.push((self.src(k).to_string(), k, v));
                        }
                    }
                }
            }
            return out;
        }
        let mut cursor = d.walk();
        for p in d.named_children(&mut cursor) {
            if p.kind() != "pair" {
                continue;
            }
            if let (Some(k), Some(v)) =
                (p.child_by_field_name("key"), p.child_by_field_name("value"))
            {
                if let Some(key) = self.literal(k) {
                    out.push((key, k, v));
                }
            }
        }
        out
    }

    /// If `n` reads an environment variable (`os.environ["X"]`, `os.environ.get("X", d)`,
    /// `os.getenv("X", d)`, `environ.get`, `getenv`), the read.
    pub fn env_read(&self, n: Node<'_>) -> Option<EnvRead> {
        match n.kind() {
            "subscript" => {
                let v = n.child_by_field_name("value")?;
                if !self.src(v).ends_with("environ") {
                    return None;
                }
                let q = self.qualified(v);
                if !matches!(q.as_str(), "os.environ" | "environ") {
                    return None;
                }
                let k = n.child_by_field_name("subscript")?;
                let name = self.literal(k)?;
                Some(EnvRead {
                    name,
                    span: k.byte_range(),
                    default: None,
                    default_span: None,
                    via: "os.environ".into(),
                })
            }
            "call" => {
                let f = n.child_by_field_name("function")?;
                let raw = self.src(f);
                if !(raw.ends_with("getenv") || raw.ends_with(".get")) {
                    return None;
                }
                let q = self.qualified(f);
                let via = match q.as_str() {
                    "os.getenv" | "getenv" => "os.getenv",
                    "os.environ.get" | "environ.get" => "os.environ.get",
                    _ => return None,
                };
                let args = n.child_by_field_name("arguments")?;
                let mut cursor = args.walk();
                let mut positional = Vec::new();
                let mut default_node = None;
                for a in args.named_children(&mut cursor) {
                    if a.kind() == "keyword_argument" {
                        let name = a.child_by_field_name("name").map(|k| self.src(k));
                        if name == Some("default") {
                            default_node = a.child_by_field_name("value");
                        } else if name == Some("key") {
                            positional.insert(0, a.child_by_field_name("value")?);
                        }
                    } else if a.kind() != "comment" {
                        positional.push(a);
                    }
                }
                let key = *positional.first()?;
                let name = self.literal(key)?;
                let default_node = default_node.or(positional.get(1).copied());
                let default = default_node.and_then(|d| self.literal(d));
                Some(EnvRead {
                    name,
                    span: key.byte_range(),
                    default_span: default.as_ref().and(default_node.map(|d| d.byte_range())),
                    default,
                    via: via.into(),
                })
            }
            _ => None,
        }
    }
}
