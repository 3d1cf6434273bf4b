//! Where each linted file lives: its git repository (or, outside one, the directory git would
//! be initialised in), with cached ignore rules and index contents per repository.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::env_files::{file_name, is_secret_env_name};
use super::git_ignore::IgnoreRules;
use super::git_index;
use super::repo::{canonical, Repo};

/// A command-line input, as given and resolved.
#[derive(Debug, Clone)]
pub struct Input {
    /// As given on the command line.
    pub given: PathBuf,
    /// Canonical absolute path.
    pub canon: PathBuf,
    /// True for a directory.
    pub is_dir: bool,
}

/// Caches repository discovery, ignore rules and tracked env files for one run.
pub struct Workspace {
    /// The inputs that exist.
    pub inputs: Vec<Input>,
    cwd: Option<PathBuf>,
    repos: HashMap<PathBuf, Option<Repo>>,
    rules: HashMap<PathBuf, IgnoreRules>,
    tracked: HashMap<PathBuf, HashSet<String>>,
}

impl Workspace {
    /// Resolves the inputs (those that do not exist are dropped).
    pub fn new(inputs: &[PathBuf]) -> Workspace {
        let inputs = inputs
            .iter()
            .filter_map(|p| {
                let canon = canonical(p)?;
                Some(Input {
                    given: p.clone(),
                    is_dir: canon.is_dir(),
                    canon,
                })
            })
            .collect();
        Workspace {
            inputs,
            cwd: std::env::current_dir().ok().and_then(|c| canonical(&c)),
            repos: HashMap::new(),
            rules: HashMap::new(),
            tracked: HashMap::new(),
        }
    }

    /// The repository holding `abs` (canonical), cached per directory.
    pub fn repo_of(&mut self, abs: &Path) -> Option<Repo> {
        let dir = if abs.is_dir() {
            abs.to_path_buf()
        } else {
            abs.parent()?.to_path_buf()
        };
        self.repos
            .entry(dir)
            .or_insert_with_key(|d| Repo::discover(d))
            .clone()
    }

    /// Outside a repository, the directory whose `.gitignore` files decide: the outermost of
    /// the current directory and the input directories that holds `abs`, else its parent.
    pub fn plain_root(&self, abs: &Path) -> PathBuf {
        let candidates = self
            .cwd
            .iter()
            .chain(self.inputs.iter().filter(|i| i.is_dir).map(|i| &i.canon));
        candidates
            .filter(|c| abs.starts_with(c))
            .min_by_key(|c| c.components().count())
            .cloned()
            .unwrap_or_else(|| abs.parent().unwrap_or(abs).to_path_buf())
    }

    /// The root and relative path deciding `abs`'s ignore state, with its repository.
    pub fn locate(&mut self, abs: &Path) -> Option<(Option<Repo>, PathBuf, String)> {
        let repo = self.repo_of(abs);
        let root = match &repo {
            Some(r) => r.root.clone(),
            None => self.plain_root(abs),
        };
        let rel = super::repo::relative_to(&root, abs)?;
        Some((repo, root, rel))
    }

    /// The ignore rules evaluated from `root` (a repository's when `repo` is given).
    pub fn rules(&mut self, root: &Path, repo: Option<&Repo>) -> &mut IgnoreRules {
        self.rules
            .entry(root.to_path_buf())
            .or_insert_with(|| match repo {
                Some(r) => IgnoreRules::for_repo(r),
                None => IgnoreRules::for_plain_dir(root),
            })
    }

    /// The tracked secret env files of `repo` (relative paths), read once.
    pub fn tracked_env_files(&mut self, repo: &Repo) -> &HashSet<String> {
        self.tracked.entry(repo.root.clone()).or_insert_with(|| {
            git_index::tracked_paths(repo, |p| is_secret_env_name(file_name(p)))
                .into_iter()
                .collect()
        })
    }

    /// The input that covers `abs` (a directory containing it, or the file itself).
    pub fn input_for(&self, abs: &Path) -> Option<&Input> {
        self.inputs.iter().find(|i| {
            if i.is_dir {
                abs.starts_with(&i.canon)
            } else {
                abs == i.canon
            }
        })
    }
}

/// `abs` as the user would see it: under `input`'s given form, relative to the current
/// directory when possible (the walker's display form).
pub fn display_under(input: &Input, abs: &Path) -> String {
    let shown = match abs.strip_prefix(&input.canon) {
        Ok(rest) if !rest.as_os_str().is_empty() => input.given.join(rest),
        _ => input.given.clone(),
    };
    crate::source::display_path(&shown)
}
