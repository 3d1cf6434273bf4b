//! What a fix run shows and writes: the summary line, the fixable hint under a report, the
//! unified diff of `--diff` (keys redacted), and the fixed files written by `--fix`.

use std::io;

use super::{FixOutcome, FixSummary};
use crate::diagnostic::Finding;
use crate::redact::redact_text;

/// `Applied 2 fixes in 1 file.`, plus how many unsafe fixes were left out.
pub fn summary_line(verb: &str, s: &FixSummary) -> String {
    let mut line = format!(
        "{verb} {} in {}.",
        plural(s.applied, "fix", "fixes"),
        plural(s.files, "file", "files")
    );
    if s.unsafe_hidden > 0 {
        line.push_str(&format!(
            " {} available with --unsafe-fixes.",
            plural(s.unsafe_hidden, "more fix is", "more fixes are")
        ));
    }
    line
}

/// The hint under a human report without `--fix`: how many findings `--fix` (and
/// `--unsafe-fixes`) would fix; `None` when no finding has a fix.
pub fn fixable_hint(findings: &[Finding]) -> Option<String> {
    let safe = findings
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| x.safe))
        .count();
    let unsafe_ = findings
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| !x.safe))
        .count();
    match (safe, unsafe_) {
        (0, 0) => None,
        (0, u) => Some(format!(
            "{} with `dslint --fix --unsafe-fixes` (review them: they may change behaviour).",
            plural(u, "problem is fixable", "problems are fixable")
        )),
        (s, 0) => Some(format!(
            "{} with `dslint --fix`.",
            plural(s, "problem is fixable", "problems are fixable")
        )),
        (s, u) => Some(format!(
            "{} with `dslint --fix`, {u} more with `--unsafe-fixes`.",
            plural(s, "problem is fixable", "problems are fixable")
        )),
    }
}

/// Writes the `--fix` summary line of the human report.
pub fn write_summary(s: &FixSummary, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "{}", summary_line("Applied", s))
}

/// `1 fix`, `2 fixes`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl FixOutcome {
    /// A unified diff of every changed file (`--diff`), keys redacted.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            out.push_str(&unified_diff(&f.path, &f.original, &f.fixed, f.existed));
        }
        out
    }

    /// Writes every changed file. Stops at the first error.
    pub fn write(&self) -> io::Result<()> {
        for f in &self.files {
            std::fs::write(&f.path, &f.fixed)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", f.path)))?;
        }
        Ok(())
    }
}

/// A unified diff (3 lines of context) between two versions of `path`, with every key-like
/// token redacted. `existed = false` shows the old side as `/dev/null`.
pub fn unified_diff(path: &str, old: &[u8], new: &[u8], existed: bool) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let from = if existed {
        format!("a/{path}")
    } else {
        "/dev/null".to_string()
    };
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&from, &format!("b/{path}"))
        .to_string();
    // Redact hunk by hunk, and say in the header of each hunk that holds a key that it is
    // redacted (text after the closing `@@` is ignored by `patch` and `git apply`).
    let mut out = String::with_capacity(text.len());
    let mut hunk = String::new();
    let flush = |hunk: &mut String, out: &mut String| {
        match redact_text(hunk) {
            std::borrow::Cow::Owned(red) if hunk.starts_with("@@ ") => {
                let (header, body) = red.split_once('\n').unwrap_or((&red, ""));
                out.push_str(header);
                out.push_str(REDACTED_HUNK);
                out.push('\n');
                out.push_str(body);
            }
            red => out.push_str(&red),
        }
        hunk.clear();
    };
    for line in text.split_inclusive('\n') {
        if line.starts_with("@@ ") || line.starts_with("--- ") {
            flush(&mut hunk, &mut out);
        }
        hunk.push_str(line);
    }
    flush(&mut hunk, &mut out);
    out
}

/// Appended to the header of a `--diff` hunk whose key is redacted.
pub const REDACTED_HUNK: &str =
    " dslint: key redacted here, so `git apply` cannot apply this hunk; `dslint --fix` applies it";
