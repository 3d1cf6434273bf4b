//! Path-based configuration: `extend-exclude` (gitignore syntax) and `per-file-ignores`
//! (globs), both relative to the configuration file's directory.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::diagnostic::Finding;

/// Checks one `extend-exclude` pattern.
pub(super) fn check_exclude(dir: &Path, pat: &str) -> Result<(), String> {
    let mut b = GitignoreBuilder::new(dir);
    b.add_line(None, pat).map_err(|e| e.to_string())?;
    b.build().map(|_| ()).map_err(|e| e.to_string())
}

/// Checks one `per-file-ignores` glob.
pub(super) fn check_glob(glob: &str) -> Result<(), String> {
    GlobBuilder::new(glob)
        .build()
        .map(|_| ())
        .map_err(|e| e.to_string())
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

/// `per-file-ignores`: which rules are off in which files.
#[derive(Clone, Debug, Default)]
pub struct PerFileIgnores {
    root: PathBuf,
    entries: Vec<(GlobMatcher, bool, Vec<String>)>,
}

impl PerFileIgnores {
    /// Compiles `glob → selectors` pairs relative to `root`. A glob without `/` also matches
    /// a file name in any directory.
    pub fn new(root: &Path, pairs: &[(String, Vec<String>)]) -> PerFileIgnores {
        let entries = pairs
            .iter()
            .filter_map(|(g, sels)| {
                let m = GlobBuilder::new(g).build().ok()?.compile_matcher();
                Some((m, !g.contains('/'), sels.clone()))
            })
            .collect();
        PerFileIgnores {
            root: root.to_path_buf(),
            entries,
        }
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when `finding` is in a file whose glob ignores its rule.
    pub fn ignores(&self, finding: &Finding, rule: &crate::rules::Rule) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let path = Path::new(&finding.path);
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let rel = abs.strip_prefix(&self.root).unwrap_or(&abs);
        let name = path.file_name().map(Path::new);
        self.entries.iter().any(|(m, basename, sels)| {
            (m.is_match(rel) || (*basename && name.is_some_and(|n| m.is_match(n))))
                && sels.iter().any(|s| crate::cli::selector_matches(s, rule))
        })
    }
}
