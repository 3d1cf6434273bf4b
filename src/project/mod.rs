//! Cross-file (project-scope) checks, run once after the per-file pass: git ignore state,
//! the git index, env var names across files.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Hit;
use crate::settings::Settings;
use crate::source::FileKind;

pub mod env_files;
pub mod env_names;
pub mod git_ignore;
pub mod git_index;
pub mod kinds;
pub mod repo;
pub mod row;
pub mod tracked_env;
pub mod unignored_env;
pub mod workspace;

/// Project rules (by name) whose findings in one file depend on other files' text; with
/// `--shard`, every shard reads the files these rules want, whichever shard lints them.
pub const CROSS_FILE_RULES: &[&str] = &["env-var-name-mismatch"];

/// True when the project rule named `rule` can use a file of `kind` (as [`ProjectFile::kind`]
/// will say) holding `text`. Only such files are kept: a kept text stays in memory until the
/// project rules run, so keeping every candidate would grow memory with the repository.
pub fn uses(rule: &str, kind: FileKind, text: &str) -> bool {
    match rule {
        "env-var-name-mismatch" => env_names::contributes(kind, text),
        "unignored-env-file" | "tracked-env-file" => kind == FileKind::Env,
        _ => true,
    }
}

/// A file the per-file pass kept for project rules (its kind matched and its prefilter hit).
#[derive(Debug, Clone)]
pub struct ProjectFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path as reported.
    pub display: String,
    /// Its kind.
    pub kind: FileKind,
    /// Its decoded text.
    pub text: Arc<String>,
}

/// What a project check sees.
pub struct ProjectCtx<'a> {
    /// The paths given on the command line.
    pub inputs: &'a [PathBuf],
    /// Files kept for project rules, sorted by path.
    pub files: &'a [ProjectFile],
    /// Catalogue and allowlists.
    pub settings: &'a Settings,
}

/// A project finding: a hit in one file.
#[derive(Debug, Clone)]
pub struct ProjectHit {
    /// Path as reported.
    pub display: String,
    /// The file's text (for positions and snippet); empty when the file was not read.
    pub text: Arc<String>,
    /// The hit, with byte offsets into `text`.
    pub hit: Hit,
}
