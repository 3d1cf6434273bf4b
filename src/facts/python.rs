//! Fact extraction for Python (see [`super::Facts`]).
//!
//! Two passes over the tree, both iterative: the first builds the symbol table (scopes,
//! assignments, imports) and collects calls, dict pairs, URLs and names; the second turns
//! calls into clients, requests and model sites, resolving arguments through the table.

mod calls;
mod symbols;

use tree_sitter::Node;

use super::names::contains_deepseek;
use super::{Facts, GlobalSetting};
use crate::settings::Settings;
use symbols::{compact, Assign, Scope, Symbols};

/// Keyword/dict-key names that hold a model ID.
pub(crate) const MODEL_KEYS: &[&str] = &["model", "model_name", "model_id", "modelName"];

/// What the first pass collects besides the symbol table.
#[derive(Default)]
pub(crate) struct Collected<'t> {
    /// Every call, with its scope, in source order.
    pub calls: Vec<(Node<'t>, usize)>,
    /// `"model": …` dict pairs (value node, scope).
    pub model_pairs: Vec<(Node<'t>, usize)>,
    /// Assignments to names containing `model`, and parameter defaults named `model…`.
    pub model_names: Vec<(Node<'t>, usize)>,
    /// `return <expr>` statements: enclosing function name, expression, scope.
    pub returns: Vec<(String, Node<'t>, usize)>,
}

/// Extracts the facts of a parsed document.
pub fn extract(tree: &tree_sitter::Tree, text: &str, settings: &Settings) -> Facts {
    let mut facts = Facts::default();
    let mut syms = Symbols::new(text);
    let mut col = Collected::default();
    first_pass(tree.root_node(), &mut syms, &mut col, &mut facts);
    calls::second_pass(&syms, &col, &mut facts, settings);
    facts
}

/// Parameter names (with defaults) of a function's `parameters` node.
fn params<'t>(syms: &Symbols<'t>, params: Node<'t>) -> Vec<(String, Option<Node<'t>>)> {
    let mut out = Vec::new();
    let mut cursor = params.walk();
    for p in params.named_children(&mut cursor) {
        match p.kind() {
            "identifier" => out.push((syms.src(p).to_string(), None)),
            "default_parameter" | "typed_default_parameter" => {
                if let Some(n) = p.child_by_field_name("name") {
                    out.push((syms.src(n).to_string(), p.child_by_field_name("value")));
                }
            }
            "typed_parameter" => {
                let mut c2 = p.walk();
                let first = p.named_children(&mut c2).find(|c| c.kind() == "identifier");
                if let Some(n) = first {
                    out.push((syms.src(n).to_string(), None));
                }
            }
            _ => {}
        }
    }
    out
}

fn first_pass<'t>(
    root: Node<'t>,
    syms: &mut Symbols<'t>,
    col: &mut Collected<'t>,
    facts: &mut Facts,
) {
    // (node, scope, index of the enclosing function's name in `fn_names`)
    let mut fn_names: Vec<String> = Vec::new();
    let mut stack: Vec<(Node<'t>, usize, Option<usize>)> = vec![(root, 0, None)];
    while let Some((n, scope, func)) = stack.pop() {
        let mut child_scope = scope;
        let mut child_func = func;
        match n.kind() {
            "function_definition" => {
                let ps = n
                    .child_by_field_name("parameters")
                    .map(|p| params(syms, p))
                    .unwrap_or_default();
                for (name, default) in &ps {
                    if let Some(d) = default {
                        if name.to_ascii_lowercase().contains("model") {
                            col.model_names.push((*d, scope));
                        }
                    }
                }
                syms.scopes.push(Scope {
                    parent: scope,
                    is_class: false,
                    params: ps,
                });
                child_scope = syms.scopes.len() - 1;
                child_func = n.child_by_field_name("name").map(|x| {
                    fn_names.push(syms.src(x).to_string());
                    fn_names.len() - 1
                });
            }
            "class_definition" => {
                if let Some(name) = n.child_by_field_name("name") {
                    syms.defined.insert(syms.src(name).to_string());
                }
                syms.scopes.push(Scope {
                    parent: scope,
                    is_class: true,
                    params: Vec::new(),
                });
                child_scope = syms.scopes.len() - 1;
            }
            "import_statement" | "import_from_statement" => {
                import(n, syms, facts);
                continue;
            }
            "assignment" => assignment(n, scope, syms, col, facts),
            // `with httpx.AsyncClient(base_url=…) as client:` binds `client` to the call.
            "as_pattern" => {
                let alias = n
                    .child_by_field_name("alias")
                    .and_then(|a| a.named_child(0).or(Some(a)));
                if let (Some(value), Some(alias)) = (n.named_child(0), alias) {
                    if alias.kind() == "identifier" && value.kind() == "call" {
                        syms.add_assign(
                            syms.src(alias).to_string(),
                            Assign {
                                scope,
                                start: n.start_byte(),
                                value,
                            },
                        );
                    }
                }
            }
            "call" => {
                col.calls.push((n, scope));
                if let Some(r) = syms.env_read(n) {
                    facts.env_reads.push(r);
                }
                setdefault_global(n, scope, syms, facts);
            }
            "subscript" => {
                let is_target = n.parent().is_some_and(|p| {
                    p.kind() == "assignment"
                        && p.child_by_field_name("left").map(|l| l.id()) == Some(n.id())
                });
                if !is_target {
                    if let Some(r) = syms.env_read(n) {
                        facts.env_reads.push(r);
                    }
                }
            }
            "pair" => {
                if let (Some(k), Some(v)) =
                    (n.child_by_field_name("key"), n.child_by_field_name("value"))
                {
                    if let Some(key) = syms.literal(k) {
                        if MODEL_KEYS.contains(&key.as_str()) {
                            col.model_pairs.push((v, scope));
                        }
                        if key.to_ascii_lowercase().contains("deepseek") {
                            facts.mentions_deepseek = true;
                        }
                    }
                }
            }
            "return_statement" => {
                if let (Some(f), Some(e)) = (func.and_then(|i| fn_names.get(i)), n.named_child(0)) {
                    col.returns.push((f.clone(), e, scope));
                }
            }
            "identifier" if !facts.mentions_deepseek && contains_deepseek(syms.src(n)) => {
                facts.mentions_deepseek = true;
            }
            "string" => {
                if let Some(s) = syms.literal(n) {
                    if deepseek_model_element(syms, n, &s) {
                        col.model_pairs.push((n, scope));
                    }
                    let t = s.trim_start();
                    if t.starts_with("http://") || t.starts_with("https://") {
                        facts.urls.push(super::Value {
                            kind: super::ValueKind::Str(s.clone()),
                            span: n.byte_range(),
                            use_span: n.byte_range(),
                        });
                    }
                }
            }
            _ => {}
        }
        let mut cursor = n.walk();
        let children: Vec<Node<'t>> = n.children(&mut cursor).collect();
        for c in children.into_iter().rev() {
            stack.push((c, child_scope, child_func));
        }
    }
    if facts
        .env_reads
        .iter()
        .any(|r| r.name.to_ascii_lowercase().contains("deepseek"))
    {
        facts.mentions_deepseek = true;
    }
}

/// Calls whose string arguments are not sent anywhere (string methods, logging, printing).
const NON_SENDING_CALLS: &[&str] = &[
    "startswith",
    "endswith",
    "replace",
    "split",
    "find",
    "index",
    "count",
    "strip",
    "lower",
    "upper",
    "print",
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "log",
    "isinstance",
    "match",
    "search",
    "fullmatch",
    "compile",
    "contains",
    "__contains__",
];

/// True unless the argument list belongs to a call that sends nothing (`startswith`, `print`).
fn sending_call(syms: &Symbols<'_>, args: Node<'_>) -> bool {
    let Some(f) = args
        .parent()
        .and_then(|c| c.child_by_field_name("function"))
    else {
        return false;
    };
    let name = compact(syms.src(f));
    let last = name.rsplit('.').next().unwrap_or(&name);
    !NON_SENDING_CALLS.contains(&last)
}

/// A DeepSeek model ID written as a list/tuple element, a positional argument or a dict
/// value (`["deepseek-chat", "deepseek-reasoner"]`, `OpenAIModel("deepseek-chat")`): a model
/// site even without a `model` name next to it.
fn deepseek_model_element(syms: &Symbols<'_>, n: Node<'_>, s: &str) -> bool {
    let looks = s.len() < 64 && !s.contains(char::is_whitespace) && !s.ends_with('-') && {
        let l = s.to_ascii_lowercase();
        l.starts_with("deepseek-") || l.starts_with("deepseek:deepseek-")
    };
    if !looks {
        return false;
    }
    let Some(p) = n.parent() else {
        return false;
    };
    match p.kind() {
        // Not `model in ("deepseek-chat", ...)`: a comparison sends nothing.
        "list" | "tuple" => match p.parent() {
            Some(g) if g.kind() == "comparison_operator" => false,
            Some(g) if g.kind() == "argument_list" => sending_call(syms, g),
            _ => true,
        },
        "argument_list" => sending_call(syms, p),
        "pair" => p.child_by_field_name("value").map(|v| v.id()) == Some(n.id()),
        _ => false,
    }
}

/// `import a.b as c`, `from a.b import X as Y`.
fn import<'t>(n: Node<'t>, syms: &mut Symbols<'t>, facts: &mut Facts) {
    let mut cursor = n.walk();
    if n.kind() == "import_statement" {
        for c in n.children_by_field_name("name", &mut cursor) {
            let (name, alias) = match c.kind() {
                "aliased_import" => (
                    c.child_by_field_name("name").map(|x| compact(syms.src(x))),
                    c.child_by_field_name("alias")
                        .map(|x| syms.src(x).to_string()),
                ),
                _ => (Some(compact(syms.src(c))), None),
            };
            if let Some(name) = name {
                if let Some(a) = alias {
                    syms.aliases.insert(a, name.clone());
                }
                note_deepseek(&name, facts);
                facts.imports.push(name);
            }
        }
        return;
    }
    let Some(module) = n.child_by_field_name("module_name") else {
        return;
    };
    let module = compact(syms.src(module));
    note_deepseek(&module, facts);
    for c in n.children_by_field_name("name", &mut cursor) {
        let (name, alias) = match c.kind() {
            "aliased_import" => (
                c.child_by_field_name("name").map(|x| compact(syms.src(x))),
                c.child_by_field_name("alias")
                    .map(|x| syms.src(x).to_string()),
            ),
            _ => (Some(compact(syms.src(c))), None),
        };
        if let Some(name) = name {
            let local = alias.unwrap_or_else(|| name.clone());
            syms.aliases.insert(local, format!("{module}.{name}"));
        }
    }
    facts.imports.push(module);
}

fn note_deepseek(name: &str, facts: &mut Facts) {
    if name.to_ascii_lowercase().contains("deepseek") {
        facts.mentions_deepseek = true;
    }
}

/// `NAME = value`, `self.x = value`, `a = b = value`, `openai.api_key = …`,
/// `os.environ["OPENAI_BASE_URL"] = …`.
fn assignment<'t>(
    n: Node<'t>,
    scope: usize,
    syms: &mut Symbols<'t>,
    col: &mut Collected<'t>,
    facts: &mut Facts,
) {
    let Some(left) = n.child_by_field_name("left") else {
        return;
    };
    let mut right = n.child_by_field_name("right");
    // `a = b = value`: the innermost right-hand side.
    while let Some(r) = right.filter(|r| r.kind() == "assignment") {
        right = r.child_by_field_name("right");
    }
    let Some(right) = right else {
        return;
    };
    match left.kind() {
        "identifier" | "attribute" => {
            let name = compact(syms.src(left));
            if left.kind() == "attribute" {
                let q = syms.qualified(left);
                if let Some(attr) = q.strip_prefix("openai.") {
                    if matches!(attr, "api_key" | "api_base" | "base_url" | "api_type") {
                        facts.globals.push(GlobalSetting {
                            target: q.clone(),
                            target_span: left.byte_range(),
                            value: syms.value(right, scope),
                        });
                    }
                }
            }
            let last = name.rsplit('.').next().unwrap_or(&name);
            if last.to_ascii_lowercase().contains("model") {
                col.model_names.push((right, scope));
            }
            syms.add_assign(
                name,
                Assign {
                    scope,
                    start: n.start_byte(),
                    value: right,
                },
            );
        }
        "subscript" => {
            let Some(v) = left.child_by_field_name("value") else {
                return;
            };
            if !matches!(syms.qualified(v).as_str(), "os.environ" | "environ") {
                return;
            }
            if let Some(key) = left
                .child_by_field_name("subscript")
                .and_then(|k| syms.literal(k))
            {
                note_deepseek(&key, facts);
                if key.starts_with("OPENAI_") {
                    facts.globals.push(GlobalSetting {
                        target: key,
                        target_span: left.byte_range(),
                        value: syms.value(right, scope),
                    });
                }
            }
        }
        _ => {}
    }
}

/// `os.environ.setdefault("OPENAI_BASE_URL", …)`, `os.putenv(…)`.
fn setdefault_global<'t>(n: Node<'t>, scope: usize, syms: &Symbols<'t>, facts: &mut Facts) {
    let Some(f) = n.child_by_field_name("function") else {
        return;
    };
    let q = syms.qualified(f);
    if !matches!(
        q.as_str(),
        "os.environ.setdefault" | "environ.setdefault" | "os.putenv"
    ) {
        return;
    }
    let Some(args) = n.child_by_field_name("arguments") else {
        return;
    };
    let (Some(k), Some(v)) = (args.named_child(0), args.named_child(1)) else {
        return;
    };
    if let Some(key) = syms.literal(k).filter(|k| k.starts_with("OPENAI_")) {
        facts.globals.push(GlobalSetting {
            target: key,
            target_span: k.byte_range(),
            value: syms.value(v, scope),
        });
    }
}
