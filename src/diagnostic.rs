//! What checks report ([`Hit`]: a span and what to say) and what users see ([`Finding`]:
//! the hit after the engine stamps code, severity, position and fingerprint), with fixes.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::source::Position;

/// The project's home page (used in SARIF, rule documentation links and crash reports).
pub const REPOSITORY: &str = "https://github.com/dslint/dslint";

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Note,
    /// Likely wrong; does not fail the run unless `fail-on = "warning"`.
    Warning,
    /// Wrong; fails the run.
    Error,
}

impl Severity {
    /// The lowercase name (`error`, `warning`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    /// Parses `error`, `warning` or `note`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "note" | "info" => Some(Severity::Note),
            _ => None,
        }
    }
}

/// One text edit: replace `start..end` (byte offsets in the file) with `content`.
///
/// Offsets are byte offsets into the file as it is on disk (a UTF-8 BOM counts). By default
/// the edit applies to the finding's own file; `path` names another file (e.g. DS501 appends
/// to the repository's `.gitignore`), written like a finding's `path` (relative to the
/// working directory, `/`-separated). A missing target file counts as empty and is created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Start byte offset in the file.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Replacement text.
    pub content: String,
    /// The file to edit when it is not the finding's own file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Edit {
    /// Replaces `range` with `content`.
    pub fn replace(range: std::ops::Range<usize>, content: impl Into<String>) -> Edit {
        Edit {
            start: range.start,
            end: range.end,
            content: content.into(),
            path: None,
        }
    }

    /// Inserts `content` at byte offset `at`.
    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(at..at, content)
    }

    /// Deletes `range`.
    pub fn delete(range: std::ops::Range<usize>) -> Edit {
        Edit::replace(range, "")
    }

    /// Makes this edit apply to another file (see [`Edit::path`]).
    pub fn in_file(mut self, path: impl Into<String>) -> Edit {
        self.path = Some(path.into());
        self
    }

    /// True for a pure insertion.
    pub fn is_insertion(&self) -> bool {
        self.start == self.end
    }

    /// True when this edit and `other` cannot both be applied: their ranges intersect, or an
    /// insertion falls strictly inside a replaced range. Insertions at the same offset do not
    /// conflict.
    pub fn conflicts_with(&self, other: &Edit) -> bool {
        let (a, b) = (self, other);
        match (a.is_insertion(), b.is_insertion()) {
            (true, true) => false,
            (true, false) => b.start < a.start && a.start < b.end,
            (false, true) => a.start < b.start && b.start < a.end,
            (false, false) => a.start < b.end && b.start < a.end,
        }
    }
}

/// A proposed fix for a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, e.g. `Rename model to "deepseek-v4-flash"`.
    pub title: String,
    /// Applied by `--fix` (safe) or only with `--unsafe-fixes`.
    pub safe: bool,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A safe fix (applied by `--fix`).
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            safe: true,
            edits,
        }
    }

    /// An unsafe fix (applied only with `--unsafe-fixes`): it may change behaviour.
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            safe: false,
            edits,
        }
    }
}

/// A diagnostic ready for reporting.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Rule code, e.g. `DS101`.
    pub code: &'static str,
    /// Rule name, e.g. `hardcoded-api-key`.
    pub name: &'static str,
    /// Effective severity.
    pub severity: Severity,
    /// What is wrong and what to do; never holds a secret in full.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Path relative to the working directory (or as given), `/`-separated.
    pub path: String,
    /// Start of the reported span (1-based).
    pub start: Position,
    /// End of the reported span (1-based, exclusive column).
    pub end: Position,
    /// Byte range in the file, for fixes and human output.
    pub byte_range: std::ops::Range<usize>,
    /// The source line(s) of the span, with secrets redacted.
    pub snippet: String,
    /// Stable fingerprint: rule + path + hash of the matched content (not the line number).
    pub fingerprint: String,
    /// An optional fix.
    pub fix: Option<Fix>,
    /// Other places in the same file that the finding covers (DS604: the file's other uses
    /// of the same public variable), in order.
    pub related: Vec<Related>,
}

/// A related location: another span in the finding's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Related {
    /// Start (1-based).
    pub start: Position,
    /// End (1-based, exclusive column).
    pub end: Position,
}

impl Finding {
    /// The order findings are reported in: path, line, column, code, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.path,
            self.start.line,
            self.start.column,
            self.code,
            &self.message,
        )
    }
}

/// A 64-bit FNV-1a hash, stable across platforms and releases (used in fingerprints).
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What a check reports: a span in the document plus what to say.
#[derive(Debug, Default, Clone)]
pub struct Hit {
    /// Byte range in the document.
    pub range: Range<usize>,
    /// Values for the `{placeholders}` of the rule's message template.
    pub args: Vec<(&'static str, String)>,
    /// A message replacing the template, when the check knows better.
    pub message: Option<String>,
    /// A help text replacing the rule's default.
    pub help: Option<String>,
    /// Content hashed into the fingerprint (defaults to the matched text).
    pub fingerprint: Option<String>,
    /// An optional fix (byte offsets in the document).
    pub fix: Option<Fix>,
    /// Other spans in the document this hit stands for (reported as related locations).
    pub related: Vec<Range<usize>>,
}

impl Hit {
    /// A hit on `range` with no arguments.
    pub fn at(range: Range<usize>) -> Hit {
        Hit {
            range,
            ..Hit::default()
        }
    }

    /// Adds a message argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.args.push((name, value.into()));
        self
    }

    /// Replaces the message.
    pub fn message(mut self, message: impl Into<String>) -> Hit {
        self.message = Some(message.into());
        self
    }

    /// Replaces the help.
    pub fn help(mut self, help: impl Into<String>) -> Hit {
        self.help = Some(help.into());
        self
    }
}

/// Fills `{name}` placeholders from `args`; unknown placeholders stay as written.
pub fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
