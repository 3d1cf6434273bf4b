//! The fix step of one CLI run (`--fix`/`--diff`): fixes applied per configuration group,
//! then the diff printed, standard input's fixed text printed, or the files written.

use std::io::{self, Write};
use std::path::Path;

use super::output::{plural, summary_line, REDACTED_HUNK};
use super::{fix_all_filtered, FixMode, FixOutcome, FixSummary};
use crate::diagnostic::Finding;
use crate::engine::Engine;
use crate::source::FileKind;

/// The fix step of one CLI run (`--fix`/`--diff`), across the configuration groups of the
/// inputs: [`FixRun::apply`] once per group with that group's engine, then
/// [`FixRun::finish`].
#[derive(Debug)]
pub struct FixRun {
    mode: FixMode,
    stdin: Option<(String, Vec<u8>)>,
    outcome: FixOutcome,
    /// With `--stdin-filename`: whether findings at or above `fail-on` remain after fixing.
    stdin_failing: bool,
}

/// What the CLI does after [`FixRun::finish`].
#[derive(Debug)]
pub enum FixEnd {
    /// Exit now with this code (`--diff`, or `--fix` on standard input).
    Exit(u8),
    /// The files are written: lint again and report what remains, with this summary.
    Relint(FixSummary),
}

impl FixRun {
    /// A fix step; `stdin` is the `--stdin-filename` name and content, if any.
    pub fn new(mode: FixMode, stdin: Option<(&str, &[u8])>) -> FixRun {
        FixRun {
            mode,
            stdin: stdin.map(|(n, b)| (crate::source::display_path(Path::new(n)), b.to_vec())),
            outcome: FixOutcome::default(),
            stdin_failing: false,
        }
    }

    /// Applies (in memory) the fixes of one group's findings. `filter` drops the findings
    /// the CLI hides (per-file ignores, baseline) and is applied to every re-lint too;
    /// `fail_on` decides the exit code of `--fix` on standard input.
    pub fn apply(
        &mut self,
        engine: &Engine<'_>,
        findings: &[Finding],
        filter: &dyn Fn(&mut Vec<Finding>),
        fail_on: crate::diagnostic::Severity,
    ) {
        let preloaded = self.stdin.as_ref().map(|(n, b)| (n.as_str(), b.as_slice()));
        let out = fix_all_filtered(engine, findings, self.mode, preloaded, filter);
        if let Some((name, bytes)) = &self.stdin {
            let fixed = out
                .files
                .iter()
                .find(|f| &f.path == name)
                .map_or(bytes.as_slice(), |f| f.fixed.as_slice());
            let kind = FileKind::from_path(Path::new(name));
            let mut left = engine.lint_bytes(name, kind, fixed).findings;
            filter(&mut left);
            self.stdin_failing |= left.iter().any(|f| f.severity >= fail_on);
        }
        let s = &mut self.outcome.summary;
        s.applied += out.summary.applied;
        s.unsafe_hidden += out.summary.unsafe_hidden;
        self.outcome.notes.extend(out.notes);
        self.outcome.files.extend(out.files);
        self.outcome.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.outcome.summary.files = self.outcome.files.len();
    }

    /// Prints the notes, then: `--diff` prints the diff (exit 1 when there are fixes);
    /// `--fix` on standard input prints the fixed text (exit 1 when findings remain);
    /// `--fix` writes the files and asks for a re-lint.
    pub fn finish(self, diff: bool, quiet: bool) -> miette::Result<FixEnd> {
        for n in &self.outcome.notes {
            eprintln!("note: {n}");
        }
        let s = self.outcome.summary;
        let mut out = io::stdout().lock();
        if diff {
            let text = self.outcome.diff();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(miette::Report::from_err)?;
            let redacted = text.matches(REDACTED_HUNK).count();
            if redacted > 0 {
                eprintln!(
                    "note: {} keys redacted (marked `dslint: key redacted` in the hunk header): \
                     `git apply` cannot apply {}; `dslint --fix` applies every hunk",
                    plural(redacted, "hunk holds", "hunks hold"),
                    if redacted == 1 { "it" } else { "them" }
                );
            }
            if !quiet {
                eprintln!("{}", summary_line("Would apply", &s));
            }
            return Ok(FixEnd::Exit(u8::from(s.applied > 0)));
        }
        if let Some((name, bytes)) = &self.stdin {
            let fixed = self
                .outcome
                .files
                .iter()
                .find(|f| &f.path == name)
                .map_or(bytes.as_slice(), |f| f.fixed.as_slice());
            out.write_all(fixed)
                .and_then(|_| out.flush())
                .map_err(miette::Report::from_err)?;
            if !quiet {
                eprintln!("{}", summary_line("Applied", &s));
            }
            return Ok(FixEnd::Exit(u8::from(self.stdin_failing)));
        }
        self.outcome.write().map_err(miette::Report::from_err)?;
        Ok(FixEnd::Relint(s))
    }
}
