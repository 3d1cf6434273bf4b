//! Validating a raw configuration file: each key checked against the rules and the
//! catalogue while the TOML spans are at hand, so an error points at the bad key or value.

use std::path::PathBuf;

use miette::{NamedSource, SourceSpan};
use toml::Spanned;

use super::{custom_rules, overrides, paths, Config, ConfigError, ConfigErrorKind, RawConfig};
use crate::catalogue::Catalogue;
use crate::diagnostic::Severity;
use crate::rules::Registry;

pub(super) fn toml_error(display: &str, text: &str, e: &toml::de::Error) -> ConfigError {
    ConfigError::from(ConfigErrorKind::Invalid {
        message: format!("{display}: {}", e.message().trim()),
        src: NamedSource::new(display, text.to_string()),
        span: e.span().map(SourceSpan::from),
        label: "here".into(),
        help: None,
    })
}

/// Validates a raw configuration against the rules and the catalogue.
pub(super) struct Validator<'a> {
    pub(super) display: &'a str,
    pub(super) text: &'a str,
}

impl Validator<'_> {
    fn error(
        &self,
        span: std::ops::Range<usize>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError::from(ConfigErrorKind::Invalid {
            message: format!("{}: {message}", self.display),
            src: NamedSource::new(self.display, self.text.to_string()),
            span: Some(SourceSpan::from(span)),
            label: label.to_string(),
            help,
        })
    }

    fn selectors(
        &self,
        registry: &Registry,
        list: Option<Vec<Spanned<String>>>,
    ) -> Result<Vec<String>, ConfigError> {
        let mut out = Vec::new();
        for s in list.unwrap_or_default() {
            self.selector(registry, &s)?;
            out.push(s.into_inner());
        }
        Ok(out)
    }

    fn selector(&self, registry: &Registry, s: &Spanned<String>) -> Result<(), ConfigError> {
        if registry
            .rules
            .iter()
            .any(|r| crate::rules::select::selector_matches(s.get_ref(), r))
        {
            return Ok(());
        }
        Err(self.error(
            s.span(),
            format!("unknown rule `{}`", s.get_ref()),
            "no rule has this code, code prefix or name",
            Some("see `dslint --list-rules`".into()),
        ))
    }

    fn severity(&self, s: &Spanned<String>) -> Result<Severity, ConfigError> {
        Severity::parse(s.get_ref()).ok_or_else(|| {
            self.error(
                s.span(),
                format!("`{}` is not a severity", s.get_ref()),
                "expected \"error\", \"warning\" or \"note\"",
                None,
            )
        })
    }

    pub(super) fn validate(&self, raw: RawConfig, dir: PathBuf) -> Result<Config, ConfigError> {
        let registry = Registry::builtin().map_err(|e| {
            ConfigError::from(ConfigErrorKind::Io {
                path: "rules".into(),
                reason: e.to_string(),
            })
        })?;
        let mut c = Config::defaults(dir);
        c.custom_registry =
            custom_rules::build(self.text, self.display, raw.rule.unwrap_or_default())
                .map_err(|(span, msg, label)| self.error(span, msg, label, None))?;
        let registry = c.registry(registry);
        c.select = self.selectors(registry, raw.select)?;
        c.ignore = self.selectors(registry, raw.ignore)?;
        for pat in raw.extend_exclude.unwrap_or_default() {
            if let Err(e) = crate::walk::check_exclude(&c.dir, pat.get_ref()) {
                return Err(self.error(pat.span(), e, "invalid pattern", None));
            }
            c.extend_exclude.push(pat.into_inner());
        }
        for (glob, sels) in raw.per_file_ignores.unwrap_or_default() {
            if let Err(e) = paths::check_glob(glob.get_ref()) {
                return Err(self.error(glob.span(), e, "invalid glob", None));
            }
            let mut codes = Vec::new();
            for s in sels {
                self.selector(registry, &s)?;
                codes.push(s.into_inner());
            }
            c.per_file_ignores.push((glob.into_inner(), codes));
        }
        for (sel, sev) in raw.severity.unwrap_or_default() {
            self.selector(registry, &sel)?;
            let sev = self.severity(&sev)?;
            c.severity.push((sel.into_inner(), sev));
        }
        if let Some(f) = raw.fail_on {
            c.fail_on = self.severity(&f)?;
        }
        for r in raw.allow_secrets.unwrap_or_default() {
            if let Err(e) = regex::Regex::new(r.get_ref()) {
                let detail = e.to_string();
                let label = detail.lines().last().unwrap_or("invalid regex");
                return Err(self.error(
                    r.span(),
                    "invalid regex in `allow-secrets`".into(),
                    label,
                    None,
                ));
            }
            c.allow_secrets.push(r.into_inner());
        }
        if let Some(models) = raw.models {
            c.models = overrides::models(models)
                .map_err(|(span, msg, help)| self.error(span, msg, "invalid model entry", help))?;
        }
        if let Some(hosts) = raw.hosts {
            c.hosts = overrides::hosts(hosts)
                .map_err(|(span, msg)| self.error(span, msg, "invalid host", None))?;
        }
        // The effective catalogue must still suggest a current model.
        let mut data = Catalogue::builtin().data;
        overrides::apply(&mut data, &c.models, &c.hosts);
        if let Err((span, msg)) = overrides::check_default(&data, &c.models) {
            return Err(self.error(
                span.unwrap_or(0..0),
                msg,
                "not a current model",
                Some("`dslint models` lists the current IDs".into()),
            ));
        }
        Ok(c)
    }
}
