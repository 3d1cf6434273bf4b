//! The named gates and fixes of condition rules: the Rust functions a rule file's
//! `gate = "…"` and `[edit] named = "…"` name. A gate is a quick test of a document's text;
//! a named fix builds a fix from one fact.

use crate::checks::fact::Fact;
use crate::checks::{browser, clients, secret, Ctx};
use crate::diagnostic::Hit;

/// A fix written in Rust, named by a condition rule's `[edit] named = "…"`: it may set the
/// hit's fix (and adjust its help) from the fact.
pub type NamedFix = fn(&Ctx<'_>, &Fact<'_>, &mut Hit);

/// A quick test of a document's text and kind: false when a condition rule cannot hold
/// anywhere in it (so its facts are not computed).
pub type Gate = fn(&str, crate::source::FileKind) -> bool;

/// Looks up a named gate.
pub fn lookup_gate(name: &str) -> Option<Gate> {
    Some(match name {
        "may-have-empty-key" => crate::checks::gate::may_have_empty_key,
        "may-misspell-base-url" => crate::checks::gate::may_misspell_base_url,
        "may-expose-key" => browser::may_expose_key,
        _ => return None,
    })
}

/// Looks up a named fix.
pub fn lookup_fix(name: &str) -> Option<NamedFix> {
    Some(match name {
        "retired-model" => clients::models::retired_model_fix,
        "key-from-env" => secret::key_from_env_fix,
        "add-base-url" => clients::client_use::add_base_url_fix,
        "base-url-option" => clients::base_url_option::base_url_option_fix,
        _ => return None,
    })
}
