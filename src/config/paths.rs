//! Path-based configuration: `per-file-ignores` (globs), relative to the configuration file's
//! directory. `extend-exclude` is applied by the walk ([`crate::walk::ExcludeSet`]).

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::diagnostic::Finding;

/// Checks one `per-file-ignores` glob.
pub(super) fn check_glob(glob: &str) -> Result<(), String> {
    GlobBuilder::new(glob)
        .build()
        .map(|_| ())
        .map_err(|e| e.to_string())
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
                && sels
                    .iter()
                    .any(|s| crate::rules::select::selector_matches(s, rule))
        })
    }
}
