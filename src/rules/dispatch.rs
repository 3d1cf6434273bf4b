//! Check dispatch: the Rust functions that a rule file's `check = "..."` names, and the
//! shapes they have (per match, per document, per run).
//!
//! The checks themselves live in [`crate::checks`] (per document) and [`crate::project`]
//! (cross-file); this table is the one place that ties their names to them.

use crate::checks::{auth_header, browser, clients, secret, Ctx, Matched};
use crate::diagnostic::Hit;
use crate::project::{env_names, tracked_env, unignored_env, ProjectCtx, ProjectHit};

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
}

/// Looks up a check by the name used in rule files.
pub fn lookup(name: &str) -> Option<Check> {
    Some(match name {
        "secret-key" => Check::Match(secret::check_key),
        "missing-base-url" => Check::File(clients::base_url::missing_base_url),
        "wrong-base-url" => Check::File(clients::base_url::wrong_base_url),
        "misspelled-base-url-option" => Check::File(clients::base_url::misspelled_base_url_option),
        "openai-model-on-deepseek" => Check::File(clients::models::openai_model_on_deepseek),
        "unknown-deepseek-model" => Check::File(clients::models::unknown_deepseek_model),
        "retired-deepseek-model" => Check::File(clients::models::retired_deepseek_model),
        "unsupported-api-on-deepseek" => Check::File(clients::apis::unsupported_api_on_deepseek),
        "provider-key-mismatch" => Check::File(clients::keys::provider_key_mismatch),
        "empty-api-key" => Check::File(clients::keys::empty_api_key),
        "auth-duplicated-prefix" => Check::Match(auth_header::check_duplicated),
        "auth-missing-bearer" => Check::Match(auth_header::check_scheme),
        "auth-malformed" => Check::Match(auth_header::check_malformed),
        "browser-exposed-key" => Check::File(browser::check_browser_key),
        "unignored-env-file" => Check::Project(unignored_env::check),
        "tracked-env-file" => Check::Project(tracked_env::check),
        "env-var-name-mismatch" => Check::Project(env_names::check),
        _ => return None,
    })
}
