//! Pass 1 for JavaScript/TypeScript: what each name is bound to. Imports (ES `import`,
//! TS `import x = require(…)`, `require(…)` / `import(…)` with their destructured names,
//! SvelteKit `$env/*` modules), `const`/`let`/`var` declarations (including
//! `const { X = "" } = process.env`) and function parameters with their defaults.
use tree_sitter::Node;

use super::env::env_object_via;
use super::syntax::{first_arg, squash, string_value, unwrap};
use super::{EnvBinding, Extractor};
use crate::facts::EnvRead;

impl<'t> Extractor<'t> {
    pub(super) fn on_import(&mut self, n: Node<'t>) {
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
    pub(super) fn bind_import(
        &mut self,
        local: &str,
        imported: &str,
        site: Node<'t>,
        module: &str,
    ) {
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
    pub(super) fn on_require(&mut self, n: Node<'t>) {
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

    pub(super) fn on_declarator(&mut self, n: Node<'t>) {
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

    /// The declaration value `name` refers to at byte `at`: the nearest preceding one, else
    /// the first.
    /// Simple parameters of a function (`p`, `model = "…"`, `model: string = "…"`,
    /// `model?: string`), recorded with the function's range.
    pub(super) fn on_params(&mut self, n: Node<'t>) {
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
}
