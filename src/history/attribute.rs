//! Attribution: each key once, at the commit that introduced it; each committed `.env*` path
//! with values once (the history form of DS502).
//!
//! Blobs arrive in commit order (oldest first) and, within a commit, in path order, each blob
//! id only the first time it is met. A key is identified by its value, not by its path or
//! blob, so a renamed file, a file edited many times after the key was added, or the same key
//! copied elsewhere later gives no new finding, while a rotated key (a new value) does. Only
//! the keys of this run are held, in memory, never printed.

use std::collections::HashSet;

use crate::diagnostic::{stable_hash, Finding, Severity};
use crate::rules::Rule;
use crate::source::Position;

use super::provenance::Provenance;
use super::scan::{BlobJob, BlobOutcome};

/// A finding kept for the report, waiting for its commit's details.
#[derive(Debug)]
pub enum Pending {
    /// A DS101 finding (path, position, redacted message and snippet as the engine made them).
    Key(Box<Finding>),
    /// A dotenv file with values.
    Env {
        /// Its path.
        path: String,
        /// The names given values.
        names: Vec<String>,
        /// The length of its first line.
        first_line_len: usize,
    },
}

/// The first introductions seen so far.
#[derive(Debug, Default)]
pub struct Attribution {
    keys: HashSet<String>,
    env_paths: HashSet<String>,
    /// Findings kept, with the index of their commit in the plan, in report order.
    pub kept: Vec<(usize, Pending)>,
}

impl Attribution {
    /// Takes what one blob gave, keeping only first introductions.
    pub fn add(&mut self, job: &BlobJob, outcome: BlobOutcome) {
        for hit in outcome.keys {
            if self.keys.insert(hit.key) {
                self.kept
                    .push((job.commit, Pending::Key(Box::new(hit.finding))));
            }
        }
        if let Some(env) = outcome.env {
            let path = job.path.to_string();
            if self.env_paths.insert(path.clone()) {
                self.kept.push((
                    job.commit,
                    Pending::Env {
                        path,
                        names: env.names,
                        first_line_len: env.first_line_len,
                    },
                ));
            }
        }
    }
}

/// At most this many variable names are listed in a DS502 message.
const NAMES_SHOWN: usize = 4;

/// The DS101 finding as history reports it: the engine's finding, with a help that says where
/// the key has been since.
pub fn key_finding(mut f: Finding, at: &Provenance) -> Finding {
    f.help = format!(
        "Revoke and rotate this key: commit {} ({}) put it in the history, and every clone keeps it even where the file no longer holds it. Read keys at run time from an environment variable or a secret store.",
        at.short(),
        at.day()
    );
    f
}

/// The history form of DS502 for a dotenv file committed with values.
pub fn env_finding(
    rule: &Rule,
    severity: Severity,
    path: &str,
    names: &[String],
    first_line_len: usize,
    at: &Provenance,
    tracked: bool,
) -> Finding {
    let mut listed = names
        .iter()
        .take(NAMES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_SHOWN {
        listed.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
    }
    let message = if tracked {
        format!(
            "`{path}` was committed with values ({listed}) in {} ({}) and is still tracked",
            at.short(),
            at.day()
        )
    } else {
        format!(
            "`{path}` was committed with values ({listed}) in {} ({}); it is no longer tracked, but every clone still holds it",
            at.short(),
            at.day()
        )
    };
    let help = if tracked {
        format!("Rotate every key it held (they are in the history), then untrack it with `git rm --cached {path}`, ignore it in .gitignore, and commit a `.env.example` with empty values instead.")
    } else {
        "Rotate every key it held: deleting the file does not remove it from the history."
            .to_string()
    };
    let line_end = u32::try_from(first_line_len)
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let fp = stable_hash(&[rule.code.as_bytes(), path.as_bytes(), path.as_bytes()]);
    Finding {
        code: rule.code,
        name: rule.name,
        severity,
        message,
        help,
        path: path.to_string(),
        start: Position {
            line: 1,
            column: 1,
            column_utf16: 1,
        },
        end: Position {
            line: 1,
            column: line_end,
            column_utf16: line_end,
        },
        byte_range: 0..first_line_len,
        // Names only: a value (any secret, not only `sk-` keys) is never shown.
        snippet: names.first().map_or(String::new(), |n| format!("{n}=…")),
        fingerprint: format!("{fp:016x}"),
        fix: None,
        related: Vec::new(),
    }
}
