//! Check dispatch: the Rust functions that a rule file's `check = "..."` names, and the
//! shapes they have (per match, per document, per run). The gates and fixes that condition
//! rules name are in [`super::named`].
//!
//! The checks themselves live in [`crate::checks`] (per document) and [`crate::project`]
//! (cross-file); this table is the one place that ties their names to them.

use crate::checks::{auth_header, Ctx, Matched};
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

/// Looks up a check by the name used in rule files.
pub fn lookup(name: &str) -> Option<Check> {
    Some(match name {
        "auth-duplicated-prefix" => Check::File(auth_header::check_duplicated),
        "auth-missing-bearer" => Check::File(auth_header::check_scheme),
        "auth-malformed" => Check::File(auth_header::check_malformed),
        "env-var-name-mismatch" => Check::Project(env_names::check),
        _ => return None,
    })
}
