//! Reading the git index (the staging area) with `gix-index`: which paths git tracks.

use std::path::PathBuf;

use super::repo::Repo;

/// One tracked work-tree file of the index (gitlinks and sparse directories left out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TrackedFile {
    /// The path relative to the work tree root, as the platform spells it (a non-UTF-8
    /// name is kept as its bytes on Unix).
    pub rel: PathBuf,
    /// True when git records the entry as a symbolic link.
    pub symlink: bool,
}

fn read_index(repo: &Repo) -> Option<gix_index::File> {
    if !repo.is_sha1() {
        return None;
    }
    let options = gix_index::decode::Options {
        thread_limit: Some(1),
        ..Default::default()
    };
    gix_index::File::at(repo.index_path(), gix_hash::Kind::Sha1, true, options).ok()
}

/// The tracked paths of `repo` (relative to its root, `/`-separated) for which `keep`
/// returns true. Empty when the index is missing, unreadable or not SHA-1.
pub fn tracked_paths(repo: &Repo, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let Some(file) = read_index(repo) else {
        return Vec::new();
    };
    let mut out: Vec<String> = file
        .entries()
        .iter()
        .filter_map(|e| {
            let path: &[u8] = e.path(&file);
            let s = std::str::from_utf8(path).ok()?;
            keep(s).then(|| s.to_string())
        })
        .collect();
    // Conflicted files have one entry per stage.
    out.sort();
    out.dedup();
    out
}

/// Every file and symbolic link the index of `repo` tracks in the work tree, sorted: no
/// submodule gitlinks (their files belong to another index), no sparse-directory entries
/// and no skip-worktree entries (sparse checkout: not on disk). Empty when the index is
/// missing, unreadable or not SHA-1.
pub fn tracked_files(repo: &Repo) -> Vec<TrackedFile> {
    use gix_index::entry::{Flags, Mode};
    let Some(file) = read_index(repo) else {
        return Vec::new();
    };
    let mut out: Vec<TrackedFile> = file
        .entries()
        .iter()
        .filter(|e| !e.flags.contains(Flags::SKIP_WORKTREE))
        .filter_map(|e| {
            let symlink = e.mode == Mode::SYMLINK;
            if !(symlink || e.mode == Mode::FILE || e.mode == Mode::FILE_EXECUTABLE) {
                return None;
            }
            let path: &[u8] = e.path(&file);
            Some(TrackedFile {
                rel: rel_path(path)?,
                symlink,
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The tracked files under each of `dirs` (the walk's [`crate::walk::TrackedLister`]):
/// reads the index of the repository holding each directory (once per repository) and
/// spells each entry under it as the directory joined with the rest of its path.
pub fn tracked_under(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut repos: Vec<(PathBuf, Vec<TrackedFile>)> = Vec::new();
    for dir in dirs {
        let Ok(canon) = std::fs::canonicalize(dir) else {
            continue;
        };
        let Some(repo) = Repo::discover(&canon) else {
            continue;
        };
        let at = match repos.iter().position(|(r, _)| *r == repo.root) {
            Some(i) => i,
            None => {
                repos.push((repo.root.clone(), tracked_files(&repo)));
                repos.len() - 1
            }
        };
        for tf in &repos[at].1 {
            let abs = repo.root.join(&tf.rel);
            if let Ok(rest) = abs.strip_prefix(&canon) {
                if !rest.as_os_str().is_empty() {
                    out.push(dir.join(rest));
                }
            }
        }
    }
    out
}

/// An index path (`/`-separated bytes) as a relative platform path.
fn rel_path(bytes: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        let s = std::str::from_utf8(bytes).ok()?;
        Some(s.split('/').collect())
    }
}
