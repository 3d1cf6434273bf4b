//! Check dispatch: the Rust functions that a rule file's `check = "..."` names, and the
//! shapes they have (per match, per document, per run); and the named fixes that a condition
//! rule's `[edit] named = "..."` names.
//!
//! The checks themselves live in [`crate::checks`] (per document) and [`crate::project`]
//! (cross-file); this table is the one place that ties their names to them.

use crate::checks::kinds::Fact;
use crate::checks::{auth_header, browser, clients, secret, Ctx, Matched};
use crate::diagnostic::Hit;
use crate::project::{env_names, ProjectCtx, ProjectHit};

/// A check on each match: pushes zero or more hits.
pub type MatchCheck = fn(&Ctx<'_>, &Matched<'_>, &mut Vec<Hit>);
/// A check on a whole document.
pub type FileCheck = fn(&Ctx<'_>, &mut Vec<Hit>);
/// A check over the whole run (cross-file).
pub type ProjectCheck = fn(&ProjectCtx<'_>) -> Vec<ProjectHit>;

/// A named check.
#[derive(Clone, Copy)]
pub enum Check {
    /// Runs on each pattern/query match.
    Match(MatchCheck),
    /// Runs once per document.
    File(FileCheck),
    /// Runs once per run.
    Project(ProjectCheck),
    /// A custom rule's condition over facts, run once per document.
    Custom(&'static super::custom::CustomCheck),
    /// A built-in rule's condition over facts (`on` + `when` in its file), run once per
    /// document.
    Facts(&'static super::fact_rule::FactRule),
}

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

/// Looks up a check by the name used in rule files.
pub fn lookup(name: &str) -> Option<Check> {
    Some(match name {
        "auth-duplicated-prefix" => Check::Match(auth_header::check_duplicated),
        "auth-missing-bearer" => Check::Match(auth_header::check_scheme),
        "auth-malformed" => Check::Match(auth_header::check_malformed),
        "env-var-name-mismatch" => Check::Project(env_names::check),
        _ => return None,
    })
}
