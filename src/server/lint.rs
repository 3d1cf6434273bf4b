//! What `dslint server` lints, and how: an open buffer goes through the same pipeline as
//! `dslint --stdin-filename` ([`crate::run`] with [`Options::stdin`]), then the per-file
//! ignores and the baseline as the CLI applies them; project-scope rules (DS501, DS502,
//! DS603) run over the workspace on disk. Configuration is discovered per directory, exactly
//! as the CLI does, and cached until a configuration file changes ([`Linter::reload`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::config::Config;
use crate::diagnostic::Finding;
use crate::engine::Engine;
use crate::rules::{Registry, Rule, Scope};
use crate::{walk, Options};

/// The configuration file names whose change makes the server reload.
pub const CONFIG_FILES: [&str; 3] = [".dslint.toml", "dslint.toml", "pyproject.toml"];

/// Lints buffers and the workspace with cached configuration and the baseline.
pub struct Linter {
    registry: &'static Registry,
    /// Discovered configuration, by directory.
    configs: HashMap<PathBuf, Config>,
    baseline_path: Option<PathBuf>,
    baseline: Option<Baseline>,
}

impl Linter {
    /// A linter; `baseline` is read now (an unreadable one is reported in the error).
    pub fn new(baseline: Option<PathBuf>) -> Result<Linter, String> {
        let registry = Registry::builtin().map_err(|e| e.to_string())?;
        let mut linter = Linter {
            registry,
            configs: HashMap::new(),
            baseline_path: baseline,
            baseline: None,
        };
        linter.reload()?;
        Ok(linter)
    }

    /// The rule registry.
    pub fn registry(&self) -> &'static Registry {
        self.registry
    }

    /// Forgets cached configuration and re-reads the baseline.
    pub fn reload(&mut self) -> Result<(), String> {
        self.configs.clear();
        self.baseline = None;
        if let Some(path) = &self.baseline_path {
            self.baseline = Some(Baseline::read(path).map_err(|e| e.to_string())?);
        }
        Ok(())
    }

    /// True when `path` is the baseline file.
    pub fn is_baseline(&self, path: &Path) -> bool {
        self.baseline_path.as_deref().is_some_and(|b| {
            b == path || std::fs::canonicalize(b).ok() == std::fs::canonicalize(path).ok()
        })
    }

    /// The configuration for a file at `path`.
    fn config(&mut self, path: &Path) -> Result<Config, String> {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(c) = self.configs.get(&dir) {
            return Ok(c.clone());
        }
        let config = Config::discover(path).map_err(|e| e.to_string())?;
        self.configs.insert(dir, config.clone());
        Ok(config)
    }

    /// Lints the editor's text of the file at `path` (per-file rules only: project-scope
    /// findings come from [`Linter::lint_project`]).
    pub fn lint_buffer(&mut self, path: &Path, text: &str) -> Result<Vec<Finding>, String> {
        let config = self.config(path)?;
        let (rules, severities) = config.rules(config.registry(self.registry), &[], &[]);
        let (rules, severities) = keep(rules, severities, |r| r.scope != Scope::Project);
        let engine = Engine::new(rules, severities, config.settings());
        let opts = Options {
            paths: Vec::new(),
            threads: 1,
            stdin: Some((
                path.to_string_lossy().into_owned(),
                text.as_bytes().to_vec(),
            )),
            ..Options::default()
        };
        let report = crate::run(&engine, &opts).map_err(|e| e.to_string())?;
        Ok(self.filter(&config, report.findings))
    }

    /// Runs the project-scope rules over the workspace `root` (on disk).
    pub fn lint_project(&mut self, root: &Path) -> Result<Vec<Finding>, String> {
        let config = self.config(&root.join(CONFIG_FILES[0]))?;
        let (rules, severities) = config.rules(config.registry(self.registry), &[], &[]);
        let (rules, severities) = keep(rules, severities, |r| r.scope == Scope::Project);
        if rules.is_empty() {
            return Ok(Vec::new());
        }
        let engine = Engine::new(rules, severities, config.settings());
        let opts = Options {
            paths: vec![root.to_path_buf()],
            walk: walk::WalkOptions {
                exclude_set: config.exclude_set(),
                ..walk::WalkOptions::default()
            },
            ..Options::default()
        };
        let report = crate::run(&engine, &opts).map_err(|e| e.to_string())?;
        Ok(self.filter(&config, report.findings))
    }

    /// Drops what the per-file ignores and the baseline hide.
    fn filter(&self, config: &Config, mut findings: Vec<Finding>) -> Vec<Finding> {
        let pfi = config.per_file_ignores();
        if !pfi.is_empty() {
            findings.retain(|f| {
                config
                    .registry(self.registry)
                    .find(f.code)
                    .is_none_or(|rule| !pfi.ignores(f, rule))
            });
        }
        if let Some(b) = &self.baseline {
            b.filter(&mut findings);
        }
        findings
    }
}

/// The rules (and their severities) for which `want` holds.
fn keep(
    rules: Vec<&Rule>,
    severities: Vec<crate::diagnostic::Severity>,
    want: impl Fn(&Rule) -> bool,
) -> (Vec<&Rule>, Vec<crate::diagnostic::Severity>) {
    rules
        .into_iter()
        .zip(severities)
        .filter(|(r, _)| want(r))
        .unzip()
}
