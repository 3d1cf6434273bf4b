//! Git's ignore semantics for single paths, evaluated from a work tree root (the `ignore`
//! crate's gitignore matcher does the pattern matching).
//!
//! Precedence follows git: the `.gitignore` nearest to the path wins over those above it, then
//! `$GIT_DIR/info/exclude`, then `core.excludesFile`; within one file the last matching
//! pattern wins (so `!.env.example` re-includes), and a path inside an ignored directory is
//! ignored whatever its own patterns say (git never looks inside).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::repo::Repo;

/// Ignore rules of one work tree, loaded lazily per directory.
pub struct IgnoreRules {
    root: PathBuf,
    /// `info/exclude` then `core.excludesFile`, in precedence order.
    repo_wide: Vec<Gitignore>,
    /// `.gitignore` matcher per directory (relative path, `""` = root); `None` = no file.
    per_dir: HashMap<String, Option<Gitignore>>,
}

impl IgnoreRules {
    /// The rules of a git repository: every `.gitignore` under its root, `info/exclude`, and
    /// `core.excludesFile` (the repository's config first, then the global one).
    pub fn for_repo(repo: &Repo) -> IgnoreRules {
        let mut repo_wide = Vec::new();
        if let Some(gi) = load(&repo.root, &repo.common_dir.join("info").join("exclude")) {
            repo_wide.push(gi);
        }
        let excludes = repo
            .local_excludes_file()
            .or_else(ignore::gitignore::gitconfig_excludes_path);
        if let Some(path) = excludes {
            if let Some(gi) = load(&repo.root, &path) {
                repo_wide.push(gi);
            }
        }
        IgnoreRules {
            root: repo.root.clone(),
            repo_wide,
            per_dir: HashMap::new(),
        }
    }

    /// The rules of a directory that is not (yet) a repository: only its `.gitignore` files,
    /// as git would apply them after `git init` there.
    pub fn for_plain_dir(root: &Path) -> IgnoreRules {
        IgnoreRules {
            root: root.to_path_buf(),
            repo_wide: Vec::new(),
            per_dir: HashMap::new(),
        }
    }

    /// The root the rules are evaluated from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// True when git would ignore the file at `rel` (relative to the root, `/`-separated).
    pub fn is_ignored(&mut self, rel: &str) -> bool {
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            return false;
        }
        // Parent directories first: git does not descend into an ignored directory.
        for depth in 1..parts.len() {
            if self.matched(&parts[..depth], true) {
                return true;
            }
        }
        self.matched(&parts, false)
    }

    /// Evaluates the path made of `parts` against every applicable source, nearest first.
    fn matched(&mut self, parts: &[&str], is_dir: bool) -> bool {
        let path = parts.join("/");
        for depth in (0..parts.len()).rev() {
            let dir = parts[..depth].join("/");
            let sub = parts[depth..].join("/");
            if let Some(gi) = self.dir_rules(&dir) {
                match gi.matched(Path::new(&sub), is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        for gi in &self.repo_wide {
            match gi.matched(Path::new(&path), is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }

    fn dir_rules(&mut self, dir: &str) -> Option<&Gitignore> {
        if !self.per_dir.contains_key(dir) {
            let abs = if dir.is_empty() {
                self.root.clone()
            } else {
                self.root.join(dir)
            };
            let gi = load(&abs, &abs.join(".gitignore"));
            self.per_dir.insert(dir.to_string(), gi);
        }
        self.per_dir.get(dir).and_then(|g| g.as_ref())
    }

    /// True when any `.gitignore` exists from the root down to `rel`'s directory, or a
    /// repository-wide exclude file has patterns.
    pub fn has_any_rules(&mut self, rel: &str) -> bool {
        if self.repo_wide.iter().any(|g| !g.is_empty()) {
            return true;
        }
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        (0..parts.len()).any(|d| self.dir_rules(&parts[..d].join("/")).is_some())
    }
}

/// Loads one ignore file rooted at `root`; `None` when it is missing or unreadable.
fn load(root: &Path, file: &Path) -> Option<Gitignore> {
    if !file.is_file() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(root);
    // A bad line is skipped; the rest still applies (as in git).
    let _ = builder.add(file);
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(files: &[(&str, &str)]) -> (tempfile::TempDir, IgnoreRules) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let r = IgnoreRules::for_plain_dir(dir.path());
        (dir, r)
    }

    #[test]
    fn plain_and_anchored_patterns() {
        let (_d, mut r) = rules(&[(".gitignore", "/.env\n")]);
        assert!(r.is_ignored(".env"));
        assert!(!r.is_ignored("sub/.env"));
        let (_d, mut r) = rules(&[(".gitignore", ".env\n")]);
        assert!(r.is_ignored("sub/.env"));
        assert!(!r.is_ignored(".env.local"));
        let (_d, mut r) = rules(&[(".gitignore", "*.env\n**/.env.*\n")]);
        assert!(r.is_ignored(".env"));
        assert!(r.is_ignored("a/b/.env.local"));
        let (_d, mut r) = rules(&[(".gitignore", "# comment\n\n.env # not a comment\n")]);
        assert!(!r.is_ignored(".env"));
    }

    #[test]
    fn negation_and_nesting() {
        let (_d, mut r) = rules(&[
            (".gitignore", ".env*\n!.env.example\n"),
            ("api/.gitignore", "!.env.local\n"),
        ]);
        assert!(r.is_ignored(".env"));
        assert!(!r.is_ignored(".env.example"));
        assert!(r.is_ignored("api/.env"));
        assert!(!r.is_ignored("api/.env.local"));
    }

    #[test]
    fn ignored_directory_cannot_be_reentered() {
        let (_d, mut r) = rules(&[(".gitignore", "secrets/\n!secrets/.env\n")]);
        assert!(r.is_ignored("secrets/.env"));
        assert!(r.has_any_rules("secrets/.env"));
        let (_d, mut r) = rules(&[]);
        assert!(!r.is_ignored(".env"));
        assert!(!r.has_any_rules(".env"));
    }
}
