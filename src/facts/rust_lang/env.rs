//! Environment variables in Rust: `std::env::var("X")` and friends with their `unwrap_or*`
//! defaults, `env!` / `option_env!`, and `std::env::set_var("OPENAI_…", v)` recorded as a
//! global setting.
use tree_sitter::Node;

use super::syntax::{args_of, first_arg, string_value};
use super::Extractor;
use crate::facts::{EnvRead, GlobalSetting};

/// Functions that read an environment variable, with the `via` they are recorded under.
const ENV_FUNCTIONS: &[(&str, &str)] = &[
    ("std::env::var", "std::env::var"),
    ("env::var", "std::env::var"),
    ("::std::env::var", "std::env::var"),
    ("std::env::var_os", "std::env::var_os"),
    ("env::var_os", "std::env::var_os"),
    ("dotenvy::var", "dotenvy::var"),
    ("dotenv::var", "dotenv::var"),
];

impl<'t> Extractor<'t> {
    /// `std::env::var("X")` (and friends) with an `unwrap_or*` default; also
    /// `std::env::set_var("OPENAI_…", v)` as a global setting.
    pub(super) fn on_env(&mut self, n: Node<'t>) {
        let Some(path) = self.callee_path(n) else {
            return;
        };
        let full = self.full_path(&path);
        if path.ends_with("set_var") && (full.contains("env::") || path == "set_var") {
            let args = args_of(n);
            if let [k, v] = args.as_slice() {
                if k.kind() == "string_literal" {
                    self.facts.globals.push(GlobalSetting {
                        target: string_value(*k, self.text),
                        target_span: k.byte_range(),
                        value: self.value(*v),
                    });
                }
            }
            return;
        }
        let Some(via) = env_via(&path).or_else(|| env_via(&full)) else {
            return;
        };
        let Some(a) = first_arg(n).filter(|a| a.kind() == "string_literal") else {
            return;
        };
        let name = string_value(a, self.text);
        // The default, from the enclosing `.unwrap_or*` chain.
        let mut default = None;
        let mut default_span = None;
        let mut cur = n;
        for _ in 0..16 {
            let Some(p) = self.up(cur) else {
                break;
            };
            let next = match p.kind() {
                "try_expression" | "parenthesized_expression" => p,
                "field_expression" => {
                    let Some(call) = self.up(p).filter(|g| g.kind() == "call_expression") else {
                        break;
                    };
                    let m = p
                        .child_by_field_name("field")
                        .map(|x| self.t(x))
                        .unwrap_or("");
                    match m {
                        "unwrap_or_default" => {
                            default = Some(String::new());
                            default_span = Some(
                                p.child_by_field_name("field")
                                    .map_or(call.byte_range(), |f| f.start_byte()..call.end_byte()),
                            );
                            break;
                        }
                        "unwrap_or" | "unwrap_or_else" => {
                            let d = self.default_arg(call, 0);
                            default_span = d
                                .as_ref()
                                .and_then(|d| d.1.clone())
                                .or_else(|| first_arg(call).map(|x| x.byte_range()));
                            default = d.map(|d| d.0);
                            break;
                        }
                        "ok" | "as_deref" | "map" | "as_ref" | "context" | "with_context"
                        | "map_err" => call,
                        _ => break,
                    }
                }
                _ => break,
            };
            cur = next;
        }
        self.facts.env_reads.push(EnvRead {
            name,
            span: a.byte_range(),
            default,
            default_span,
            via: via.to_string(),
        });
    }

    /// `env!("X")` / `option_env!("X")`.
    pub(super) fn on_env_macro(&mut self, n: Node<'t>) {
        let m = n
            .child_by_field_name("macro")
            .map(|m| self.t(m))
            .unwrap_or("");
        if m != "env" && m != "option_env" {
            return;
        }
        let Some(tt) = n.named_child(n.named_child_count().saturating_sub(1)) else {
            return;
        };
        if let Some(f) = tt.named_child(0).filter(|f| f.kind() == "string_literal") {
            self.facts.env_reads.push(EnvRead {
                name: string_value(f, self.text),
                span: f.byte_range(),
                default: None,
                default_span: None,
                via: format!("{m}!"),
            });
        }
    }
}

pub(super) fn env_via(path: &str) -> Option<&'static str> {
    ENV_FUNCTIONS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, v)| *v)
}
