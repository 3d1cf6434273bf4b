//! `--format human`: miette diagnostics with the source line underlined, then a summary.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{ReportCtx, Reporter};
use crate::diagnostic::{Finding, Severity};
use crate::outcome::Report;
use crate::redact::mask_same_len;

/// The human reporter.
pub struct Human;

/// One finding as a miette diagnostic, over its (masked) source file.
struct HumanDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for HumanDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for HumanDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for HumanDiagnostic<'_> {}

impl Diagnostic for HumanDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} {}",
            self.finding.code, self.finding.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let r = &self.finding.byte_range;
        let label = self.finding.name.to_string();
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            r.start,
            r.end.saturating_sub(r.start),
        ))))
    }
}

fn load_source(f: &Finding, ctx: &ReportCtx<'_>) -> Option<NamedSource<String>> {
    let text = super::source_text(ctx, &f.path)?;
    if f.byte_range.end > text.len() {
        return None;
    }
    // A very long line (minified code) is no use as an excerpt and miette cannot render one
    // wider than 65535 columns: when the finding's line or a context line is long, fall back
    // to the finding's (windowed) snippet.
    let at = crate::source::floor_char_boundary(&text, f.byte_range.start);
    let before = text[..at].rsplitn(3, '\n');
    let after = text[at..].splitn(3, '\n');
    let first = before.take(2).fold(0, |n, l| n.max(l.len()));
    let second = after.take(2).fold(0, |n, l| n.max(l.len()));
    if first.max(second) > crate::engine::SNIPPET_MAX_LEN {
        return None;
    }
    let masked = mask_same_len(&text).into_owned();
    Some(NamedSource::new(&f.path, masked).with_language(""))
}

impl Reporter for Human {
    fn write(&self, report: &Report, ctx: &ReportCtx<'_>, out: &mut dyn Write) -> io::Result<()> {
        let theme = if ctx.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_context_lines(1)
            .with_width(100);
        for f in &report.findings {
            // A history finding's file is the one in its commit, not the one on disk.
            let commit = report.history.as_ref().and_then(|h| h.of(f));
            let diag = HumanDiagnostic {
                finding: f,
                source: if commit.is_some() {
                    None
                } else {
                    load_source(f, ctx)
                },
            };
            let mut rendered = String::new();
            if handler.render_report(&mut rendered, &diag).is_err() {
                rendered = format!(
                    "{}:{}:{}: {} {}\n",
                    f.path, f.start.line, f.start.column, f.code, f.message
                );
            }
            if let Some(c) = commit {
                write!(out, "{} {} ", c.short(), c.day())?;
            }
            if diag.source.is_none() {
                writeln!(out, "{}:{}:{}", f.path, f.start.line, f.start.column)?;
            }
            out.write_all(rendered.as_bytes())?;
            if diag.source.is_none() && !f.snippet.is_empty() {
                writeln!(out, "  | {}", f.snippet)?;
            }
            if !f.related.is_empty() {
                let at: Vec<String> = f
                    .related
                    .iter()
                    .map(|r| format!("{}:{}", r.start.line, r.start.column))
                    .collect();
                writeln!(out, "  = also used at {}", at.join(", "))?;
            }
        }
        if !ctx.quiet {
            let errors = report.count(Severity::Error);
            let warnings = report.count(Severity::Warning);
            let notes = report.count(Severity::Note);
            let s = &report.stats;
            if let Some(h) = &report.history {
                write_history_summary(report, h, out)?;
            } else if report.findings.is_empty() {
                writeln!(
                    out,
                    "No problems found; scanned {} files in {} ms",
                    s.files_scanned, s.total_ms
                )?;
            } else {
                let plural =
                    |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
                let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
                if notes > 0 {
                    parts.push(plural(notes, "note"));
                }
                writeln!(
                    out,
                    "{} ({}) in {}; scanned {} files in {} ms",
                    plural(report.findings.len(), "problem"),
                    parts.join(", "),
                    plural(report.files_with_findings(), "file"),
                    s.files_scanned,
                    s.total_ms
                )?;
            }
        }
        if !ctx.quiet {
            match report.fixes {
                Some(fixes) => crate::fix::write_summary(&fixes, out)?,
                None => {
                    if let Some(hint) = crate::fix::fixable_hint(&report.findings) {
                        writeln!(out, "{hint}")?;
                    }
                }
            }
        }
        if ctx.stats {
            write_stats(report, out)?;
        }
        Ok(())
    }
}

/// The summary line of `dslint history`.
fn write_history_summary(
    report: &Report,
    h: &crate::outcome::HistoryInfo,
    out: &mut dyn Write,
) -> io::Result<()> {
    let plural = |n: u64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let scanned = format!(
        "scanned {} ({}) in {} ms",
        plural(h.commits_scanned, "commit"),
        plural(report.stats.files_scanned, "blob"),
        report.stats.total_ms
    );
    let keys = report.findings.iter().filter(|f| f.code == "DS101").count() as u64;
    let envs = report.findings.len() as u64 - keys;
    let mut found = Vec::new();
    if keys > 0 {
        found.push(plural(keys, "key"));
    }
    if envs > 0 {
        found.push(plural(envs, "committed .env file"));
    }
    if found.is_empty() {
        writeln!(out, "No keys found in history; {scanned}")
    } else {
        writeln!(out, "{} in history; {scanned}", found.join(" and "))
    }
}

/// Writes the `--stats` block.
pub fn write_stats(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.stats;
    writeln!(out, "files walked:      {}", s.files_walked)?;
    writeln!(
        out,
        "files scanned:     {} ({} bytes)",
        s.files_scanned, s.bytes
    )?;
    writeln!(
        out,
        "files skipped:     {} binary, {} too large, {} unreadable",
        s.skipped_binary, s.skipped_large, s.skipped_unreadable
    )?;
    writeln!(out, "prefilter hits:    {}", s.files_prefiltered)?;
    writeln!(
        out,
        "findings hidden:   {} by dslint: ignore comments, {} by the baseline",
        s.suppressed, s.baselined
    )?;
    writeln!(
        out,
        "files parsed:      {} (not parsed: {} minified, {} generated)",
        s.files_parsed, s.files_minified, s.files_generated
    )?;
    writeln!(
        out,
        "time:              setup {} ms, walk and lint {} ms, project {} ms, total {} ms",
        s.walk_ms, s.lint_ms, s.project_ms, s.total_ms
    )?;
    for f in &s.slowest {
        writeln!(out, "slow file:         {} ms {}", f.ms, f.path)?;
    }
    if let Some(h) = &report.history {
        writeln!(
            out,
            "history:           {} commits, {} distinct blobs introduced, {} submodules not entered, {}",
            h.commits_scanned,
            h.blobs_introduced,
            h.submodules_not_entered.len(),
            if h.complete { "complete" } else { "incomplete (shallow clone)" }
        )?;
    }
    Ok(())
}
