//! The end of `dslint history`: commit details for the findings, the baseline, notes on what
//! the scan could not cover, and the ordinary reporters (which show the commits when
//! [`Report::history`](crate::Report::history) is set).

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use gix::bstr::ByteSlice;
use gix::hash::ObjectId;

use crate::baseline::Baseline;
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::report::{self, ReportCtx};
use crate::rules::{Registry, Rule};
use crate::Report;

use super::provenance::{public_url, HistoryInfo, Provenance};
use crate::cli::HistoryArgs;

/// At most this many submodule paths are named in the note.
const SUBMODULES_NAMED: usize = 5;

/// The provenance of commit `id`: its full id and author date. A commit that cannot be read
/// keeps its id and an empty date.
pub fn provenance(repo: &gix::Repository, id: ObjectId) -> Provenance {
    let author_date = repo
        .find_commit(id)
        .ok()
        .and_then(|c| c.author().ok().and_then(|a| a.time().ok()))
        .map(|t| t.format_or_unix(gix::date::time::format::ISO8601_STRICT))
        .unwrap_or_default();
    Provenance {
        commit: id.to_string(),
        author_date,
    }
}

/// Which paths the repository tracks now: its index, or HEAD's tree in a bare repository.
pub struct Tracked<'r> {
    index: Option<gix::index::File>,
    head: Option<gix::Tree<'r>>,
}

impl<'r> Tracked<'r> {
    /// Reads the index (or HEAD's tree) once.
    pub fn new(repo: &'r gix::Repository) -> Tracked<'r> {
        let index = repo.open_index().ok();
        let head = if index.is_none() {
            repo.head_tree().ok()
        } else {
            None
        };
        Tracked { index, head }
    }

    /// True when `path` (repository-relative, `/`-separated) is tracked.
    pub fn contains(&self, path: &str) -> bool {
        if let Some(index) = &self.index {
            return index.entry_by_path(path.as_bytes().as_bstr()).is_some();
        }
        self.head
            .as_ref()
            .and_then(|t| t.lookup_entry(path.split('/')).ok().flatten())
            .is_some()
    }
}

/// Fills in HEAD, its branch and the repository URI (for SARIF `versionControlProvenance`).
pub fn describe_repo(repo: &gix::Repository, root: &Path, info: &mut HistoryInfo) {
    info.head = repo.head_id().ok().map(|id| id.to_string());
    info.branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|n| n.shorten().to_string());
    info.repository_uri = repo
        .find_remote("origin")
        .ok()
        .and_then(|r| r.url(gix::remote::Direction::Fetch).map(public_url))
        .or_else(|| {
            let abs = std::fs::canonicalize(root).ok()?;
            let mut s = abs.to_string_lossy().replace('\\', "/");
            if !s.starts_with('/') {
                s.insert(0, '/');
            }
            Some(format!(
                "file://{}/",
                report::sarif::encode_path(s.trim_end_matches('/'))
            ))
        });
}

/// Notes about what the scan could not cover, for standard error.
fn notes(info: &HistoryInfo) -> Vec<String> {
    let mut out = Vec::new();
    if !info.complete {
        out.push("this is a shallow clone: history is incomplete (commits before its boundary are not in the repository; keys they held are attributed to the oldest commit present). Run `git fetch --unshallow` to scan everything.".to_string());
    }
    let subs = &info.submodules_not_entered;
    if !subs.is_empty() {
        let mut named = subs
            .iter()
            .take(SUBMODULES_NAMED)
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if subs.len() > SUBMODULES_NAMED {
            named.push_str(&format!(" and {} more", subs.len() - SUBMODULES_NAMED));
        }
        out.push(format!(
            "{} submodule{} not entered (each is its own repository; run `dslint history` inside it): {named}",
            subs.len(),
            if subs.len() == 1 { "" } else { "s" }
        ));
    }
    out
}

/// Applies per-file ignores and the baseline, writes the report and returns the exit code.
pub fn finish(
    args: &HistoryArgs,
    config: &Config,
    mut report: Report,
    use_color: impl Fn(bool) -> bool,
) -> miette::Result<u8> {
    let registry = Registry::builtin().map_err(|e| miette::miette!("{e}"))?;
    let pfi = config.per_file_ignores();
    if !pfi.is_empty() {
        report.findings.retain(|f| match registry.find(f.code) {
            Some(rule) => !pfi.ignores(f, rule),
            None => true,
        });
    }
    if let Some(path) = &args.baseline {
        let baseline = Baseline::read(path)?;
        report.stats.baselined = baseline.filter(&mut report.findings) as u64;
    }
    let fail_on = args.fail_on.map(Severity::from).unwrap_or(config.fail_on);
    let mut failing = report.findings.iter().any(|f| f.severity >= fail_on);
    if let Some(path) = &args.write_baseline {
        Baseline::write_findings(&report.findings, path)?;
        failing = false;
    }
    for w in &report.warnings {
        eprintln!("warning: {}", crate::redact::redact_text(w));
    }
    if let Some(info) = &report.history {
        for n in notes(info) {
            eprintln!("note: {n}");
        }
    }
    write(args, registry, &report, use_color)?;
    Ok(u8::from(failing))
}

fn write(
    args: &HistoryArgs,
    registry: &Registry,
    report: &Report,
    use_color: impl Fn(bool) -> bool,
) -> miette::Result<()> {
    let all: Vec<&Rule> = registry.rules.iter().collect();
    let stdout = io::stdout();
    let to_terminal = args.output.is_none() && stdout.is_terminal();
    let ctx = ReportCtx {
        rules: &all,
        color: use_color(to_terminal),
        quiet: args.quiet,
        stats: args.stats,
        stdin: None,
    };
    let reporter = report::reporter(args.format);
    let mut buf = Vec::new();
    reporter
        .write(report, &ctx, &mut buf)
        .map_err(miette::Report::from_err)?;
    match &args.output {
        Some(path) => std::fs::write(path, buf)
            .map_err(|e| miette::miette!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = stdout.lock();
            out.write_all(&buf)
                .and_then(|_| out.flush())
                .map_err(miette::Report::from_err)
        }
    }
}
