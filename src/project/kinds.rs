//! Project-level fact kinds: facts about the run's files as a whole (git ignore state, the
//! git index), read by project-scope condition rules (`scope = "project"` + `on` + `when`).
//! A row carries the file it is reported in and the fixes the facts offer by name.

pub use super::row::ProjectRow;
use super::{tracked_env, unignored_env, ProjectCtx};
use crate::facts::view::Kind;

/// A project kind: its fields, the names of the fixes its rows may offer, and its rows.
#[derive(Debug)]
pub struct ProjectKind {
    /// Name and fields.
    pub kind: Kind,
    /// The fixes a row may offer.
    pub fixes: &'static [&'static str],
    rows: fn(&ProjectCtx<'_>) -> Vec<ProjectRow>,
}

/// The project kinds.
pub const KINDS: &[ProjectKind] = &[
    ProjectKind {
        kind: unignored_env::ENV_FILE,
        fixes: &["ignore-in-gitignore"],
        rows: unignored_env::env_files,
    },
    ProjectKind {
        kind: tracked_env::TRACKED_ENV_FILE,
        fixes: &[],
        rows: tracked_env::tracked_env_files,
    },
];

/// The project kind named `name`.
pub fn kind(name: &str) -> Option<&'static ProjectKind> {
    KINDS.iter().find(|k| k.kind.name == name)
}

impl ProjectKind {
    /// The facts of this kind in the run.
    pub fn rows(&self, ctx: &ProjectCtx<'_>) -> Vec<ProjectRow> {
        (self.rows)(ctx)
    }
}
