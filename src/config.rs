//! Configuration files: `dslint.toml`, `.dslint.toml` or `pyproject.toml` `[tool.dslint]`.
//!
//! Discovery walks up from each input path; the nearest file wins (like ruff), and there is
//! no merging across files. `--config FILE` skips discovery. Every key is validated when the
//! file is loaded, while the TOML spans are at hand, so an error points at the bad key or
//! value in the file; unknown keys are errors.
//!
//! ```toml
//! select = ["DS1", "DS2", "retired-deepseek-model"]   # codes, code prefixes or names
//! ignore = ["DS603"]
//! extend-exclude = ["vendor/", "*.min.js"]            # gitignore syntax, relative to this file
//! fail-on = "warning"                                 # error | warning | note
//! allow-secrets = ['^sk-test-[0-9a-f]{32}$']          # placeholder regexes for DS101
//!
//! [per-file-ignores]
//! "tests/**" = ["DS101"]
//!
//! [severity]
//! DS303 = "error"
//!
//! [models]
//! default = "deepseek-v4-pro"
//! [models.deepseek-chat]                              # e.g. a proxy that still serves it
//! status = "current"
//!
//! [hosts]
//! official = ["deepseek-proxy.example.com"]
//! other = { "llm.example.com" = "our gateway" }
//! ```

mod custom_rules;
mod overrides;
mod paths;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::catalogue::Catalogue;
use crate::diagnostic::Severity;
use crate::rules::{Registry, Rule};
use crate::settings::Settings;
use crate::walk::ExcludeSet;

pub use overrides::{HostsConfig, ModelOverride, ModelsConfig};
pub use paths::PerFileIgnores;
use validate::{toml_error, Validator};

/// The file names looked for in each directory, in this order.
pub const FILE_NAMES: [&str; 3] = [".dslint.toml", "dslint.toml", "pyproject.toml"];

/// An error in a configuration file (exit code 2).
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct ConfigError(pub Box<ConfigErrorKind>);

impl From<ConfigErrorKind> for ConfigError {
    fn from(k: ConfigErrorKind) -> ConfigError {
        ConfigError(Box::new(k))
    }
}

/// What went wrong with a configuration file.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigErrorKind {
    /// A key or value is invalid; the span points at it.
    #[error("invalid configuration: {message}")]
    #[diagnostic(code(dslint::config))]
    Invalid {
        /// What is wrong.
        message: String,
        /// The file.
        #[source_code]
        src: NamedSource<String>,
        /// Where in the file.
        #[label("{label}")]
        span: Option<SourceSpan>,
        /// The label under the span.
        label: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },
    /// The file cannot be read.
    #[error("cannot read configuration file {path}: {reason}")]
    #[diagnostic(code(dslint::config::io))]
    Io {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The raw `[tool.dslint]`/`dslint.toml` table, spans kept for error reporting.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    extend_exclude: Option<Vec<Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    models: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    hosts: Option<overrides::RawHosts>,
    allow_secrets: Option<Vec<Spanned<String>>>,
    rule: Option<Vec<Spanned<custom_rules::RawRule>>>,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
struct PyprojectTool {
    dslint: Option<RawConfig>,
}

/// A loaded, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; `None` for the defaults.
    pub source: Option<PathBuf>,
    /// The directory relative paths and globs are resolved against.
    pub dir: PathBuf,
    /// Rule selectors to enable (empty: all).
    pub select: Vec<String>,
    /// Rule selectors to disable.
    pub ignore: Vec<String>,
    /// Extra paths to skip (gitignore syntax, relative to `dir`).
    pub extend_exclude: Vec<String>,
    /// Glob → rule selectors ignored in matching files.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    /// Rule selector → severity.
    pub severity: Vec<(String, Severity)>,
    /// The lowest severity that fails the run.
    pub fail_on: Severity,
    /// Model catalogue overrides.
    pub models: ModelsConfig,
    /// Extra hosts.
    pub hosts: HostsConfig,
    /// Secret placeholder regexes.
    pub allow_secrets: Vec<String>,
    /// The built-in rules plus this file's `[[rule]]`s; `None` when it has none.
    pub custom_registry: Option<&'static Registry>,
}

impl Config {
    /// The built-in defaults, anchored at `dir`.
    pub fn defaults(dir: PathBuf) -> Config {
        Config {
            source: None,
            dir,
            select: Vec::new(),
            ignore: Vec::new(),
            extend_exclude: Vec::new(),
            per_file_ignores: Vec::new(),
            severity: Vec::new(),
            fail_on: Severity::Warning,
            models: ModelsConfig::default(),
            hosts: HostsConfig::default(),
            allow_secrets: Vec::new(),
            custom_registry: None,
        }
    }

    /// The rules this configuration lints with: `builtin` plus its custom rules.
    pub fn registry(&self, builtin: &'static Registry) -> &'static Registry {
        self.custom_registry.unwrap_or(builtin)
    }

    /// Loads `path`. `Ok(None)` for a `pyproject.toml` without `[tool.dslint]` (unless
    /// `explicit`, where it means the defaults).
    pub fn load(path: &Path, explicit: bool) -> Result<Option<Config>, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::from(ConfigErrorKind::Io {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
        })?;
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let display = crate::source::display_path(path);
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let raw = if is_pyproject {
            let py: Pyproject =
                toml::from_str(&text).map_err(|e| toml_error(&display, &text, &e))?;
            match py.tool.and_then(|t| t.dslint) {
                Some(raw) => raw,
                None if explicit => RawConfig::default(),
                None => return Ok(None),
            }
        } else {
            toml::from_str(&text).map_err(|e| toml_error(&display, &text, &e))?
        };
        let v = Validator {
            display: &display,
            text: &text,
        };
        let mut config = v.validate(raw, dir)?;
        config.source = Some(abs);
        Ok(Some(config))
    }

    /// The configuration for `input`: the nearest configuration file in its directory or
    /// an ancestor, or the defaults.
    pub fn discover(input: &Path) -> Result<Config, ConfigError> {
        let abs = std::path::absolute(input).unwrap_or_else(|_| input.to_path_buf());
        let start = if abs.is_dir() {
            abs.clone()
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            for name in FILE_NAMES {
                let candidate = d.join(name);
                if name == "pyproject.toml" && !mentions_dslint(&candidate) {
                    continue;
                }
                if candidate.is_file() {
                    if let Some(c) = Config::load(&candidate, false)? {
                        return Ok(c);
                    }
                }
            }
            dir = d.parent();
        }
        let cwd = std::env::current_dir().unwrap_or(start);
        Ok(Config::defaults(cwd))
    }

    /// The enabled rules and their effective severities. CLI `--select` replaces the
    /// configuration's `select` and `ignore`; CLI `--ignore` adds to them.
    pub fn rules<'r>(
        &self,
        registry: &'r Registry,
        cli_select: &[String],
        cli_ignore: &[String],
    ) -> (Vec<&'r Rule>, Vec<Severity>) {
        let (select, mut ignore) = if cli_select.is_empty() {
            (self.select.clone(), self.ignore.clone())
        } else {
            (cli_select.to_vec(), Vec::new())
        };
        ignore.extend_from_slice(cli_ignore);
        let rules = crate::rules::select::enabled_rules(registry, &select, &ignore);
        let severities = rules.iter().map(|r| self.severity_of(r)).collect();
        (rules, severities)
    }

    /// A rule's severity after `[severity]` overrides (a more specific selector wins).
    pub fn severity_of(&self, rule: &Rule) -> Severity {
        let mut best: Option<(usize, Severity)> = None;
        for (sel, sev) in &self.severity {
            if crate::rules::select::selector_matches(sel, rule) {
                let specificity = if rule.is_named(sel) {
                    usize::MAX
                } else {
                    sel.len()
                };
                if best.is_none_or(|(s, _)| specificity >= s) {
                    best = Some((specificity, *sev));
                }
            }
        }
        best.map(|(_, s)| s).unwrap_or(rule.severity)
    }

    /// Runtime settings: the catalogue with `[models]`/`[hosts]` applied, and the secret
    /// allowlist.
    pub fn settings(&self) -> Settings {
        let mut data = Catalogue::builtin().data;
        overrides::apply(&mut data, &self.models, &self.hosts);
        let catalogue = Catalogue::from_data(data).unwrap_or_else(|_| Catalogue::builtin());
        let secret_allowlist = self
            .allow_secrets
            .iter()
            .filter_map(|r| regex::Regex::new(r).ok())
            .collect();
        Settings {
            catalogue,
            secret_allowlist,
        }
    }

    /// The `extend-exclude` matcher.
    pub fn exclude_set(&self) -> ExcludeSet {
        ExcludeSet::new(&self.dir, &self.extend_exclude)
    }

    /// The `per-file-ignores` matcher.
    pub fn per_file_ignores(&self) -> PerFileIgnores {
        PerFileIgnores::new(&self.dir, &self.per_file_ignores)
    }

    /// The effective configuration as TOML (`dslint config`), with every enabled rule's
    /// severity spelled out.
    pub fn to_toml(&self, rules: &[&Rule], severities: &[Severity]) -> String {
        let eff = Effective {
            select: if self.select.is_empty() {
                vec!["ALL".into()]
            } else {
                self.select.clone()
            },
            ignore: self.ignore.clone(),
            extend_exclude: self.extend_exclude.clone(),
            fail_on: self.fail_on.as_str().into(),
            allow_secrets: self.allow_secrets.clone(),
            per_file_ignores: self.per_file_ignores.iter().cloned().collect(),
            severity: rules
                .iter()
                .zip(severities)
                .map(|(r, s)| (r.code.to_string(), s.as_str().to_string()))
                .collect(),
            models: self.models.clone(),
            hosts: self.hosts.clone(),
        };
        let source = match &self.source {
            Some(p) => format!("# from {}", p.display()),
            None => "# no configuration file found: built-in defaults".to_string(),
        };
        let body = toml::to_string_pretty(&eff).unwrap_or_default();
        format!("{source}\n# enabled rules: {}\n\n{body}", rules.len())
    }
}

/// True when a `pyproject.toml` has a `[tool.dslint…]` table (others, even malformed ones,
/// are skipped by discovery).
fn mentions_dslint(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| {
        t.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("[tool.dslint") || l.starts_with("[tool.\"dslint\"")
        })
    })
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Effective {
    select: Vec<String>,
    ignore: Vec<String>,
    extend_exclude: Vec<String>,
    fail_on: String,
    allow_secrets: Vec<String>,
    per_file_ignores: BTreeMap<String, Vec<String>>,
    severity: BTreeMap<String, String>,
    models: ModelsConfig,
    hosts: HostsConfig,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(name: &str, text: &str) -> Result<Option<Config>, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        Config::load(&path, false)
    }

    fn err_text(e: ConfigError) -> (String, Option<SourceSpan>) {
        match *e.0 {
            ConfigErrorKind::Invalid { message, span, .. } => (message, span),
            ConfigErrorKind::Io { reason, .. } => (reason, None),
        }
    }

    #[test]
    fn every_key_loads() {
        let text = r#"
select = ["DS1", "hardcoded-api-key"]
ignore = ["DS10"]
extend-exclude = ["vendor/"]
fail-on = "error"
allow-secrets = ['^sk-test-']
[per-file-ignores]
"tests/**" = ["DS101"]
[severity]
DS101 = "warning"
DS1 = "note"
[models]
default = "deepseek-v4-pro"
[models.deepseek-chat]
status = "current"
note = "served by our proxy"
[hosts]
official = ["deepseek-proxy.example.com"]
other = { "llm.example.com" = "our gateway" }
"#;
        let c = load_str("dslint.toml", text).unwrap().unwrap();
        assert_eq!(c.select, ["DS1", "hardcoded-api-key"]);
        assert_eq!(c.ignore, ["DS10"]);
        assert_eq!(c.extend_exclude, ["vendor/"]);
        assert_eq!(c.fail_on, Severity::Error);
        assert_eq!(
            c.per_file_ignores,
            [("tests/**".into(), vec!["DS101".into()])]
        );
        let registry = Registry::builtin().unwrap();
        let ds101 = registry.find("DS101").unwrap();
        assert_eq!(c.severity_of(ds101), Severity::Warning);
        let s = c.settings();
        assert_eq!(s.catalogue.default_model(), "deepseek-v4-pro");
        assert_eq!(
            s.catalogue.model("deepseek-chat").unwrap().status,
            crate::catalogue::Status::Current
        );
        assert_eq!(
            s.catalogue
                .classify_url("https://deepseek-proxy.example.com/v1"),
            crate::catalogue::UrlTarget::DeepSeek
        );
        assert_eq!(
            s.catalogue.classify_url("https://llm.example.com/v1"),
            crate::catalogue::UrlTarget::Other("our gateway".into())
        );
        assert!(s.is_allowlisted_secret("sk-test-abc"));
    }

    #[test]
    fn pyproject_without_table_is_skipped() {
        assert!(load_str("pyproject.toml", "[project]\nname = 'x'\n")
            .unwrap()
            .is_none());
        let c = load_str("pyproject.toml", "[tool.dslint]\nignore = ['DS101']\n")
            .unwrap()
            .unwrap();
        assert_eq!(c.ignore, ["DS101"]);
    }

    #[test]
    fn errors_point_at_the_bad_key_or_value() {
        let text = "select = [\"DS1\"]\nunknown-key = 1\n";
        let (msg, span) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("unknown-key"), "{msg}");
        let span = span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "unknown-key"
        );

        let text = "ignore = [\"DS999\"]\n";
        let (msg, span) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("unknown rule `DS999`"), "{msg}");
        let span = span.unwrap();
        assert_eq!(
            &text[span.offset()..span.offset() + span.len()],
            "\"DS999\""
        );

        let text = "[severity]\nDS101 = \"fatal\"\n";
        let (msg, _) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("`fatal` is not a severity"), "{msg}");

        let text = "[severity]\nDS999 = \"error\"\n";
        let (msg, span) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("DS999"), "{msg}");
        let span = span.unwrap();
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "DS999");

        let text = "fail-on = \"sometimes\"\n";
        assert!(load_str("dslint.toml", text).is_err());

        let text = "allow-secrets = ['(']\n";
        let (msg, _) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("allow-secrets"), "{msg}");

        let text = "[per-file-ignores]\n\"a/[\" = [\"DS101\"]\n";
        assert!(load_str("dslint.toml", text).is_err());

        let text = "[models]\ndefault = \"deepseek-chat\"\n";
        let (msg, _) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("deepseek-chat"), "{msg}");

        let text = "[models.my-model]\nstatus = \"current\"\ncolour = \"blue\"\n";
        let (msg, _) = err_text(load_str("dslint.toml", text).unwrap_err());
        assert!(msg.contains("colour"), "{msg}");

        let text = "[hosts]\nwrongkey = []\n";
        assert!(load_str("dslint.toml", text).is_err());

        let text = "select = \"DS1\"\n";
        assert!(load_str("dslint.toml", text).is_err());
    }

    #[test]
    fn discovery_prefers_the_nearest_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("dslint.toml"), "ignore = ['DS101']\n").unwrap();
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::write(
            root.join("sub/pyproject.toml"),
            "[tool.dslint]\nfail-on = 'error'\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("other")).unwrap();
        std::fs::write(root.join("other/pyproject.toml"), "[project\nbroken = ").unwrap();
        let c = Config::discover(&root.join("sub/deeper")).unwrap();
        assert_eq!(c.fail_on, Severity::Error);
        assert!(c.ignore.is_empty());
        let c = Config::discover(&root.join("other")).unwrap();
        assert_eq!(c.ignore, ["DS101"]);
        std::fs::write(root.join("sub/.dslint.toml"), "ignore = ['DS1']\n").unwrap();
        let c = Config::discover(&root.join("sub/deeper")).unwrap();
        assert_eq!(c.ignore, ["DS1"]);
    }
}
