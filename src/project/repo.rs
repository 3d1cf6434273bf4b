//! Git repository discovery without a `git` binary: walk up to `.git` (a directory, or a file
//! `gitdir: …` for worktrees and submodules), resolve the common directory, and read the few
//! configuration values dslint needs (`core.excludesFile`, `extensions.objectFormat`).

use std::path::{Component, Path, PathBuf};

/// A git repository with a work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// The work tree root (the directory holding `.git`), canonical.
    pub root: PathBuf,
    /// The git directory (`.git`, or the worktree's private git directory).
    pub git_dir: PathBuf,
    /// The common git directory (holds `info/exclude` and `config`).
    pub common_dir: PathBuf,
}

impl Repo {
    /// Finds the repository containing `path` (a file or directory; made absolute and
    /// canonical first). `None` outside a repository, for bare repositories, and on IO errors.
    ///
    /// `GIT_CEILING_DIRECTORIES` is honoured as git does: discovery never moves up into a
    /// listed directory.
    pub fn discover(path: &Path) -> Option<Repo> {
        let start = canonical(path)?;
        let mut dir = if start.is_dir() {
            start
        } else {
            start.parent()?.to_path_buf()
        };
        let ceilings = ceiling_dirs();
        loop {
            let dot_git = dir.join(".git");
            if let Some((git_dir, common_dir)) = resolve_dot_git(&dot_git) {
                return Some(Repo {
                    root: dir,
                    git_dir,
                    common_dir,
                });
            }
            let parent = dir.parent()?.to_path_buf();
            if ceilings.contains(&parent) {
                return None;
            }
            dir = parent;
        }
    }

    /// The path of `abs` (canonical, under [`Repo::root`]) relative to the work tree, with
    /// `/` separators; `None` when it is not under the root.
    pub fn relative(&self, abs: &Path) -> Option<String> {
        relative_to(&self.root, abs)
    }

    /// The `core.excludesFile` of the repository's own config, if set.
    pub fn local_excludes_file(&self) -> Option<PathBuf> {
        let text = std::fs::read_to_string(self.common_dir.join("config")).ok()?;
        let value = config_value(&text, "core", "excludesfile")?;
        Some(expand_home(&value))
    }

    /// True when the repository uses SHA-1 object names (the default).
    pub fn is_sha1(&self) -> bool {
        std::fs::read_to_string(self.common_dir.join("config"))
            .ok()
            .and_then(|t| config_value(&t, "extensions", "objectformat"))
            .is_none_or(|v| v.eq_ignore_ascii_case("sha1"))
    }

    /// The index file of this work tree.
    pub fn index_path(&self) -> PathBuf {
        self.git_dir.join("index")
    }
}

/// `path` relative to `root` with `/` separators (`None` when not under it; `""` for root).
pub fn relative_to(root: &Path, abs: &Path) -> Option<String> {
    let rel = abs.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Some(parts.join("/"))
}

/// Canonical absolute form of `path` (symlinks resolved); `None` when it does not exist.
pub fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Resolves a `.git` entry: a directory is the git dir; a file holds `gitdir: <path>`.
fn resolve_dot_git(dot_git: &Path) -> Option<(PathBuf, PathBuf)> {
    let meta = std::fs::metadata(dot_git).ok()?;
    let git_dir = if meta.is_dir() {
        dot_git.to_path_buf()
    } else {
        let text = std::fs::read_to_string(dot_git).ok()?;
        let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
        let base = dot_git.parent()?;
        let p = base.join(target);
        canonical(&p)?
    };
    // A git directory has HEAD; this rejects stray `.git` folders.
    if !git_dir.join("HEAD").exists() {
        return None;
    }
    let common_dir = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(rel) => canonical(&git_dir.join(rel.trim())).unwrap_or_else(|| git_dir.clone()),
        Err(_) => git_dir.clone(),
    };
    Some((git_dir, common_dir))
}

fn ceiling_dirs() -> Vec<PathBuf> {
    std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| canonical(&p).unwrap_or(p))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads `key` of `[section]` from a git config text (minimal: no includes, no subsections;
/// names are case-insensitive, the last value wins, quotes and trailing comments removed).
pub fn config_value(text: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    let mut found = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.split([']', ' ', '"']).next().unwrap_or("");
            in_section = name.eq_ignore_ascii_case(section) && !rest.contains('"');
            continue;
        }
        if !in_section {
            continue;
        }
        let (k, v) = match line.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (line, "true"),
        };
        if k.eq_ignore_ascii_case(key) {
            let v = strip_comment(v);
            found = Some(v.trim_matches('"').to_string());
        }
    }
    found
}

fn strip_comment(v: &str) -> &str {
    let mut quoted = false;
    for (i, c) in v.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' | ';' if !quoted => return v[..i].trim_end(),
            _ => {}
        }
    }
    v
}

/// Expands a leading `~/` to the home directory.
fn expand_home(value: &str) -> PathBuf {
    if let Some(rest) = value.strip_prefix("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    PathBuf::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_config_values() {
        let text = "[core]\n\tbare = false\n\texcludesFile = \"~/.gitignore_global\" # x\n[remote \"origin\"]\n\turl = u\n[extensions]\n\tobjectFormat = sha256\n";
        assert_eq!(
            config_value(text, "core", "excludesfile").as_deref(),
            Some("~/.gitignore_global")
        );
        assert_eq!(
            config_value(text, "extensions", "objectformat").as_deref(),
            Some("sha256")
        );
        assert_eq!(config_value(text, "remote", "url"), None);
    }

    #[test]
    fn relative_paths_use_slashes() {
        let root = Path::new("/a/b");
        assert_eq!(
            relative_to(root, Path::new("/a/b/c/.env")).as_deref(),
            Some("c/.env")
        );
        assert_eq!(relative_to(root, Path::new("/a/x")), None);
    }
}
