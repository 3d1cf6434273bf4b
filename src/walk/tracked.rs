//! Tracked files the ignore walk skips. Git's rule is that ignore patterns never apply to a
//! file already in the index (a `.env` committed before `.gitignore` named it stays public),
//! so every tracked file under a directory root is linted even when ignored. Configuration
//! excludes (`extend-exclude`, `--exclude`) still apply; `--max-filesize` applies when the
//! file is read; symlinks follow `--follow`; gitlinks (submodules) and files absent from the
//! work tree (sparse checkout, deleted) are left out. The index itself is read by the run's
//! [`super::TrackedLister`] (`project::git_index::tracked_under`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::overrides::Override;

use super::WalkOptions;

/// The tracked files under the walk's directory roots, spelled as the walker spells paths
/// (`root` joined with the rest), and which of them the walk reached.
#[derive(Default)]
pub struct TrackedSet {
    files: Vec<PathBuf>,
    lookup: HashSet<PathBuf>,
    visited: Mutex<HashSet<PathBuf>>,
}

impl TrackedSet {
    /// The set of `files` (tracked paths as the walker spells them).
    pub fn new(mut files: Vec<PathBuf>) -> TrackedSet {
        files.sort();
        files.dedup();
        let lookup = files.iter().cloned().collect();
        TrackedSet {
            files,
            lookup,
            visited: Mutex::new(HashSet::new()),
        }
    }

    /// Records that the walk reached `path`.
    pub fn mark_visited(&self, path: &Path) {
        if self.lookup.contains(path) {
            self.visited
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_path_buf());
        }
    }

    /// The tracked files the walk did not reach that are on disk as regular files (or, with
    /// `--follow`, links to them) and that no configured exclude matches, sorted.
    pub fn unvisited(&self, opts: &WalkOptions, overrides: Option<&Override>) -> Vec<PathBuf> {
        let visited = self.visited.lock().unwrap_or_else(|e| e.into_inner());
        self.files
            .iter()
            .filter(|p| !visited.contains(*p))
            .filter(|p| on_disk(p, opts.follow_links))
            .filter(|p| !opts.exclude_set.is_excluded(p, false))
            .filter(|p| !overrides.is_some_and(|ov| overridden(ov, p)))
            .cloned()
            .collect()
    }
}

/// True when `path` is a regular file now (what is on disk decides, not the mode git
/// recorded); a symlink counts only when links are followed and it leads to a regular file.
fn on_disk(path: &Path, follow: bool) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if meta.file_type().is_symlink() {
        return follow && std::fs::metadata(path).is_ok_and(|m| m.is_file());
    }
    meta.is_file()
}

/// True when an `--exclude` glob matches `path` or one of its parent directories.
fn overridden(ov: &Override, path: &Path) -> bool {
    if ov.matched(path, false).is_ignore() {
        return true;
    }
    path.ancestors()
        .skip(1)
        .take_while(|a| !a.as_os_str().is_empty() && a.starts_with(ov.path()))
        .any(|a| ov.matched(a, true).is_ignore())
}
