//! Baselines: `--write-baseline FILE` records the current findings, `--baseline FILE` hides
//! them so only new findings are reported.
//!
//! The file is JSON, versioned and sorted, and holds no secret and no line number: each
//! entry is a finding's code, path and fingerprint (a hash of rule, path and the matched
//! content), with a count for repeated identical findings. Moving code up or down keeps a
//! finding's fingerprint, so it stays baselined; editing the flagged text makes it new.
//!
//! ```json
//! { "version": 1, "tool": "dslint",
//!   "findings": [ { "code": "DS101", "path": "app.py", "fingerprint": "9c1e…", "count": 1 } ] }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Finding;

/// The baseline format version.
pub const VERSION: u32 = 1;

/// One baselined finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Rule code.
    pub code: String,
    /// Path as reported.
    pub path: String,
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// How many identical findings were present.
    pub count: usize,
}

/// A baseline file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// Always `dslint`.
    pub tool: String,
    /// Entries, sorted.
    pub findings: Vec<Entry>,
}

/// A baseline that cannot be read or written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BaselineError {
    /// I/O failed.
    #[error("cannot {action} baseline {path}: {reason}")]
    #[diagnostic(code(dslint::baseline::io))]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file is not a dslint baseline.
    #[error("invalid baseline {path}: {reason}")]
    #[diagnostic(
        code(dslint::baseline::invalid),
        help("recreate it with `dslint --write-baseline FILE`")
    )]
    Invalid {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl Baseline {
    /// The baseline of a set of findings.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        for f in findings {
            *counts
                .entry((f.code.to_string(), f.path.clone(), f.fingerprint.clone()))
                .or_default() += 1;
        }
        Baseline {
            version: VERSION,
            tool: "dslint".into(),
            findings: counts
                .into_iter()
                .map(|((code, path, fingerprint), count)| Entry {
                    code,
                    path,
                    fingerprint,
                    count,
                })
                .collect(),
        }
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Io {
            action: "read",
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if b.version != VERSION || b.tool != "dslint" {
            return Err(BaselineError::Invalid {
                path: path.display().to_string(),
                reason: format!("unsupported version {} (expected {VERSION})", b.version),
            });
        }
        Ok(b)
    }

    /// Writes the baseline as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        std::fs::write(path, text).map_err(|e| BaselineError::Io {
            action: "write",
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// `--write-baseline`: records `findings` at `path` and says so on standard error.
    pub fn write_findings(findings: &[Finding], path: &Path) -> Result<(), BaselineError> {
        Baseline::from_findings(findings).write(path)?;
        eprintln!(
            "dslint: wrote {} findings to baseline {}",
            findings.len(),
            path.display()
        );
        Ok(())
    }

    /// Removes baselined findings (up to each entry's count); returns how many were removed.
    pub fn filter(&self, findings: &mut Vec<Finding>) -> usize {
        self.filter_out(findings).len()
    }

    /// Removes baselined findings (up to each entry's count) and returns them.
    pub fn filter_out(&self, findings: &mut Vec<Finding>) -> Vec<Finding> {
        let mut left: BTreeMap<(String, String, String), usize> = self
            .findings
            .iter()
            .map(|e| {
                (
                    (e.code.clone(), e.path.clone(), e.fingerprint.clone()),
                    e.count,
                )
            })
            .collect();
        let mut removed = Vec::new();
        findings.retain(|f| {
            let key = (f.code.to_string(), f.path.clone(), f.fingerprint.clone());
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    removed.push(f.clone());
                    false
                }
                _ => true,
            }
        });
        removed
    }
}
