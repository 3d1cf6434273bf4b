//! File collection: a gitignore-aware parallel walk (the `ignore` crate).
//!
//! Hidden files are visited (`.env` matters) but `.git/` is not; explicit file arguments are
//! always linted; symlinks are not followed unless asked. As in git, ignore rules never apply
//! to tracked files: files in the git index that the ignore walk skipped are visited after it
//! (see [`tracked`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::source::display_path;

mod tracked;

/// Lists the files git tracks under each of the given directories (regular files and links,
/// no gitlinks, none marked skip-worktree), each spelled as its directory joined with the
/// rest of its path.
pub type TrackedLister = fn(&[PathBuf]) -> Vec<PathBuf>;

/// Options for the walk.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Do not read ignore files.
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Walker threads (0 = automatic).
    pub threads: usize,
    /// Extra glob patterns to exclude (gitignore syntax).
    pub exclude: Vec<String>,
    /// Lists the files git tracks under the directory roots, so that the walk also visits
    /// tracked files the ignore rules hide (the run passes the git-index reader of
    /// `project/`; `None` visits what the ignore rules allow, as outside a repository).
    pub tracked: Option<TrackedLister>,
    /// Paths excluded by configuration (`extend-exclude`), explicit files included.
    pub exclude_set: ExcludeSet,
}

/// A file to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// The path on disk.
    pub path: PathBuf,
    /// True when the user named this file explicitly.
    pub explicit: bool,
}

/// What the walk found: files, and warnings about what it could not read.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files, sorted by path.
    pub files: Vec<FileEntry>,
    /// Non-fatal problems (unreadable directories, broken links).
    pub warnings: Vec<String>,
}

/// Walks `roots` and collects every file, sorted. Each root must exist (the caller checks).
pub fn collect(roots: &[PathBuf], opts: &WalkOptions) -> Walked {
    let files = Mutex::new(Vec::new());
    let warnings = visit(roots, opts, &|entry| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(entry)
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort();
    files.dedup_by(|a, b| a.path == b.path);
    Walked { files, warnings }
}

/// Walks `roots`, calling `on_file` for each file as soon as the walk reaches it, on the
/// walker's threads (one per four of `opts.threads`; 0 = one per core): linting streams with the walk, as in
/// ripgrep, instead of waiting for a full list. Each root must exist (the caller checks); a
/// file root is visited as is, and a file reached from two roots is visited once. Returns
/// the walk's warnings, sorted.
pub fn visit(
    roots: &[PathBuf],
    opts: &WalkOptions,
    on_file: &(dyn Fn(FileEntry) + Sync),
) -> Vec<String> {
    let warnings = Mutex::new(Vec::new());
    let warn = |msg: String| warnings.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
    // Overlapping roots (`dslint . src`) reach the same file twice: remember what was seen.
    let seen: Option<Mutex<HashSet<PathBuf>>> = (roots.len() > 1).then(Default::default);
    let first_visit = |path: &Path| {
        seen.as_ref().is_none_or(|s| {
            s.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_path_buf())
        })
    };
    let mut dirs = Vec::new();
    for root in roots {
        if opts.exclude_set.is_excluded(root, root.is_dir()) {
            continue;
        }
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => dirs.push(root.clone()),
            Ok(m) if m.is_file() => {
                if first_visit(root) {
                    on_file(FileEntry {
                        path: root.clone(),
                        explicit: true,
                    });
                }
            }
            // A FIFO or device would block or never end: never open one.
            Ok(_) => warn(format!(
                "{}: not a regular file or directory; skipped",
                display_path(root)
            )),
            Err(e) => warn(format!("{}: cannot read: {e}", display_path(root))),
        }
    }
    // Tracked files under the directory roots, in the walker's spelling of their paths.
    let tracked = match opts.tracked {
        Some(list) if !opts.no_ignore => tracked::TrackedSet::new(list(&dirs)),
        _ => tracked::TrackedSet::default(),
    };
    let mut overrides = None;
    if let Some((first, rest)) = dirs.split_first() {
        let mut builder = WalkBuilder::new(first);
        for d in rest {
            builder.add(d);
        }
        // Listing directories is light next to linting (which runs on its own threads):
        // one walker thread per four workers.
        let workers = match opts.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let threads = workers.div_ceil(4);
        builder
            .hidden(false)
            .parents(true)
            .ignore(!opts.no_ignore)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .require_git(false)
            .follow_links(opts.follow_links)
            .threads(threads)
            .filter_entry({
                let skip = opts.exclude_set.clone();
                move |e| {
                    e.file_name() != ".git"
                        && !skip.is_excluded(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
                }
            });
        if !opts.exclude.is_empty() {
            let mut ov = ignore::overrides::OverrideBuilder::new(first);
            for pat in &opts.exclude {
                let _ = ov.add(&format!("!{pat}"));
            }
            if let Ok(ov) = ov.build() {
                builder.overrides(ov.clone());
                overrides = Some(ov);
            }
        }
        builder.build_parallel().run(|| {
            let warn = &warn;
            let first_visit = &first_visit;
            let tracked = &tracked;
            Box::new(move |entry| {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file()) && first_visit(e.path()) {
                            tracked.mark_visited(e.path());
                            on_file(FileEntry {
                                path: e.into_path(),
                                explicit: false,
                            });
                        }
                    }
                    Err(err) => warn(describe_walk_error(&err)),
                }
                WalkState::Continue
            })
        });
    }
    // Tracked files the ignore rules hid from the walk (a committed `.env` ignored later).
    for path in tracked.unvisited(opts, overrides.as_ref()) {
        if first_visit(&path) {
            on_file(FileEntry {
                path,
                explicit: false,
            });
        }
    }
    let mut warnings = warnings.into_inner().unwrap_or_else(|e| e.into_inner());
    warnings.sort();
    warnings
}

fn describe_walk_error(err: &ignore::Error) -> String {
    let text = err.to_string();
    crate::redact::redact_text(&text).into_owned()
}

/// Checks one `extend-exclude` pattern.
pub(crate) fn check_exclude(dir: &Path, pat: &str) -> Result<(), String> {
    let mut b = GitignoreBuilder::new(dir);
    b.add_line(None, pat).map_err(|e| e.to_string())?;
    b.build().map(|_| ()).map_err(|e| e.to_string())
}

/// The paths `extend-exclude` skips (also when named explicitly, so pre-commit honours it).
#[derive(Clone, Debug, Default)]
pub struct ExcludeSet {
    root: PathBuf,
    matcher: Option<Gitignore>,
}

impl ExcludeSet {
    /// Builds the set from gitignore-style patterns relative to `root`.
    pub fn new(root: &Path, patterns: &[String]) -> ExcludeSet {
        if patterns.is_empty() {
            return ExcludeSet::default();
        }
        let mut b = GitignoreBuilder::new(root);
        for p in patterns {
            let _ = b.add_line(None, p);
        }
        ExcludeSet {
            root: root.to_path_buf(),
            matcher: b.build().ok(),
        }
    }

    /// True when `path` (or a parent directory) is excluded.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        let Some(m) = &self.matcher else {
            return false;
        };
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        match abs.strip_prefix(&self.root) {
            Ok(rel) if !rel.as_os_str().is_empty() => {
                m.matched_path_or_any_parents(rel, is_dir).is_ignore()
            }
            _ => false,
        }
    }
}
