//! Fact extraction for Python (see [`super::Facts`]).
//!
//! Two passes over the tree, both iterative: the first builds the symbol table (scopes,
//! assignments, imports) and collects calls, dict pairs, URLs and names; the second turns
//! calls into clients, requests and model sites, resolving arguments through the table.

mod calls;
mod symbols;

use tree_sitter::Node;

use super::names::{
    deepseek_model_slot, is_model_name, is_response_body, looks_like_deepseek_model,
    names_deepseek_api, names_deepseek_key, Slot,
};
use super::{Facts, GlobalSetting};
use crate::settings::Settings;
use symbols::{compact, Assign, Scope, Symbols};

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
                        if is_model_name(name) {
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
                        if is_model_name(&key) && !in_response(syms, n) {
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
            "identifier" if !facts.mentions_deepseek && names_deepseek_api(syms.src(n)) => {
                facts.mentions_deepseek = true;
            }
            "string" => {
                if let Some(s) = syms.literal(n) {
                    if deepseek_model_element(syms, n, &s) {
                        col.model_pairs.push((n, scope));
                    }
                    let t = s.trim_start();
                    if t.starts_with("http://") || t.starts_with("https://") {
                        facts
                            .urls
                            .push(super::Value::literal(s.clone(), n.byte_range()));
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

/// The callee's last segment of the call an argument list belongs to (`create` for
/// `client.chat.completions.create(…)`).
fn callee_last<'a>(syms: &Symbols<'a>, args: Node<'_>) -> Option<&'a str> {
    let f = args.parent()?.child_by_field_name("function")?;
    let name = syms.src(f);
    Some(name.rsplit('.').next().unwrap_or(name).trim())
}

/// Where a string literal sits ([`Slot`]), after skipping parentheses, the branches of a
/// conditional expression and the default of `x or "…"`.
fn slot<'a>(syms: &Symbols<'a>, n: Node<'_>) -> Slot<'a> {
    let mut cur = n;
    let mut parent = n.parent();
    while let Some(p) = parent {
        let through = match p.kind() {
            "parenthesized_expression" => true,
            // `a if cond else b`: the branches, not the condition.
            "conditional_expression" => p.named_child(1).map(|c| c.id()) != Some(cur.id()),
            "boolean_operator" => p.child_by_field_name("right").map(|r| r.id()) == Some(cur.id()),
            _ => false,
        };
        if !through {
            break;
        }
        cur = p;
        parent = p.parent();
    }
    let Some(p) = parent else {
        return Slot::Other;
    };
    let is = |field: &str| p.child_by_field_name(field).map(|v| v.id()) == Some(cur.id());
    match p.kind() {
        // Not `model in ("deepseek-chat", ...)`: a comparison sends nothing.
        "list" | "tuple" | "set" => match p.parent() {
            Some(g) if g.kind() == "comparison_operator" => Slot::Other,
            Some(g) if g.kind() == "argument_list" => match callee_last(syms, g) {
                Some(c) => Slot::Argument(c),
                None => Slot::Other,
            },
            _ => Slot::Element,
        },
        "argument_list" => match callee_last(syms, p) {
            Some(c) => Slot::Argument(c),
            None => Slot::Other,
        },
        "keyword_argument" if is("value") => {
            Slot::Value(p.child_by_field_name("name").map(|k| syms.src(k)))
        }
        "pair" if in_response(syms, p) => Slot::Other,
        "pair" if is("value") => Slot::Value(
            p.child_by_field_name("key")
                .filter(|k| k.kind() == "string")
                .map(|k| syms.src(k).trim_matches(|c| c == '"' || c == '\'')),
        ),
        "assignment" if is("right") => {
            Slot::Value(p.child_by_field_name("left").map(|l| syms.src(l)))
        }
        "default_parameter" | "typed_default_parameter" if is("value") => {
            Slot::Value(p.child_by_field_name("name").map(|k| syms.src(k)))
        }
        "return_statement" => Slot::Value(None),
        _ => Slot::Other,
    }
}

/// True when a dict pair belongs to a dict that is an API response (a mock or fixture).
fn in_response(syms: &Symbols<'_>, pair: Node<'_>) -> bool {
    pair.parent()
        .filter(|d| d.kind() == "dictionary")
        .is_some_and(|d| is_response_body(syms.src(d)))
}

/// A DeepSeek model ID written where a value is sent or configured (a list element, a
/// positional argument, a dict value, an assignment, a default): a model site even without
/// a `model` name next to it (`["deepseek-chat", "deepseek-reasoner"]`,
/// `OpenAIModel("deepseek-chat")`, `DEFAULT = "deepseek-chat"`).
fn deepseek_model_element(syms: &Symbols<'_>, n: Node<'_>, s: &str) -> bool {
    looks_like_deepseek_model(s) && deepseek_model_slot(slot(syms, n))
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
            if is_model_name(&name) {
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
                if key.starts_with("OPENAI_") || names_deepseek_key(&key) {
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
    if let Some(key) = syms
        .literal(k)
        .filter(|k| k.starts_with("OPENAI_") || names_deepseek_key(k))
    {
        facts.globals.push(GlobalSetting {
            target: key,
            target_span: k.byte_range(),
            value: syms.value(v, scope),
        });
    }
}
