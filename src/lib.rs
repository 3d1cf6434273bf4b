//! dslint: a fast linter for the mistakes behind DeepSeek's "401 Authentication Fails".
//!
//! The pipeline, in one direction: collect files ([`walk`]) → literal prefilter on the bytes
//! ([`prefilter`]) → decode and split into documents ([`source`], [`lang::embedded`]) →
//! parse only candidates ([`lang`]) → per-document facts ([`facts`]) → rules ([`rules`],
//! [`checks`]) → project rules ([`project`]) → findings sorted deterministically → one
//! reporter ([`report`]).

pub mod app;
pub mod baseline;
pub mod catalogue;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod facts;
pub mod fileread;
pub mod fix;
pub mod guard;
pub mod history;
pub mod lang;
pub mod prefilter;
pub mod project;
pub mod redact;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod walk;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Finding, Severity};
use crate::engine::Engine;
use crate::project::{ProjectCtx, ProjectFile};
use crate::source::{FileKind, LineIndex};

/// The project's home page (used in SARIF and docs links).
pub const REPOSITORY: &str = "https://github.com/dslint/dslint";

/// Files larger than this are skipped unless `--max-filesize` says otherwise.
pub const DEFAULT_MAX_FILESIZE: u64 = 10 * 1024 * 1024;

/// What to lint and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and directories to lint.
    pub paths: Vec<PathBuf>,
    /// Walk options.
    pub walk: walk::WalkOptions,
    /// Worker threads for linting (0 = all cores).
    pub threads: usize,
    /// Files above this size are skipped.
    pub max_filesize: u64,
    /// Lint standard input as this file instead of walking `paths`.
    pub stdin: Option<(String, Vec<u8>)>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            paths: vec![PathBuf::from(".")],
            walk: walk::WalkOptions::default(),
            threads: 0,
            max_filesize: DEFAULT_MAX_FILESIZE,
            stdin: None,
        }
    }
}

/// Counters and timings of a run (`--stats`).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    /// Files found by the walk.
    pub files_walked: u64,
    /// Files read and checked by the prefilter.
    pub files_scanned: u64,
    /// Files skipped as binary.
    pub skipped_binary: u64,
    /// Files skipped as too large.
    pub skipped_large: u64,
    /// Files that could not be read.
    pub skipped_unreadable: u64,
    /// Files where the prefilter found a literal (candidates).
    pub files_prefiltered: u64,
    /// Files parsed with tree-sitter.
    pub files_parsed: u64,
    /// Code files not parsed because they look minified.
    pub files_minified: u64,
    /// JS/TS files not parsed because a build generated them (`.d.ts`, source-mapped bundles).
    pub files_generated: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Findings hidden by `dslint: ignore` comments.
    pub suppressed: u64,
    /// Findings hidden by the baseline.
    pub baselined: u64,
    /// Time before linting starts (path checks). The walk streams files into linting, so
    /// walking is counted in `lint_ms`.
    pub walk_ms: u64,
    /// Time spent walking and linting files (they overlap).
    pub lint_ms: u64,
    /// Time spent in project rules.
    pub project_ms: u64,
    /// Total time.
    pub total_ms: u64,
    /// The slowest files to lint (at least [`SLOW_FILE_MS`] each), slowest first, at most
    /// [`SLOWEST_SHOWN`]: where to look when a run is slow.
    pub slowest: Vec<SlowFile>,
}

/// A file that took at least [`SLOW_FILE_MS`] to lint (`--stats`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SlowFile {
    /// The path, as reported.
    pub path: String,
    /// Milliseconds spent reading and linting it.
    pub ms: u64,
}

/// Files that take at least this long are listed in [`Stats::slowest`].
pub const SLOW_FILE_MS: u64 = 50;
/// How many slow files [`Stats::slowest`] keeps.
pub const SLOWEST_SHOWN: usize = 10;

/// The result of a run.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings, sorted by path, line, column, code.
    pub findings: Vec<Finding>,
    /// Non-fatal warnings (unreadable files, malformed notebooks), sorted.
    pub warnings: Vec<String>,
    /// Counters and timings.
    pub stats: Stats,
    /// What `--fix` applied before this report was made; `None` without `--fix`.
    pub fixes: Option<fix::FixSummary>,
    /// `dslint: ignore` directives that suppressed nothing, sorted by path and line
    /// (reported with `--report-unused-ignores`).
    pub unused_suppressions: Vec<suppress::Unused>,
    /// Set by `dslint history`: each finding's commit and what the walk covered.
    pub history: Option<history::HistoryInfo>,
}

impl Report {
    /// Number of findings at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Number of distinct files with findings.
    pub fn files_with_findings(&self) -> usize {
        let mut n = 0;
        let mut last: Option<&str> = None;
        for f in &self.findings {
            if last != Some(f.path.as_str()) {
                n += 1;
                last = Some(&f.path);
            }
        }
        n
    }
}

/// A fatal error of a run (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    /// A path given on the command line does not exist.
    #[error("path does not exist: {0}")]
    #[diagnostic(
        code(dslint::path),
        help("check the spelling, or run dslint from the project root")
    )]
    MissingPath(String),
    /// The thread pool could not be built.
    #[error("could not start worker threads: {0}")]
    Threads(String),
}

#[derive(Default)]
struct Counters {
    scanned: AtomicU64,
    binary: AtomicU64,
    large: AtomicU64,
    unreadable: AtomicU64,
    prefiltered: AtomicU64,
    parsed: AtomicU64,
    minified: AtomicU64,
    generated: AtomicU64,
    bytes: AtomicU64,
    suppressed: AtomicU64,
    /// Files slower than [`SLOW_FILE_MS`]; locked only for those (rare).
    slow: Mutex<Vec<SlowFile>>,
}

impl Counters {
    /// Remembers `path` when linting it took at least [`SLOW_FILE_MS`].
    fn note_time(&self, path: &std::path::Path, took: Duration) {
        let ms = took.as_millis() as u64;
        if ms >= SLOW_FILE_MS {
            let path = walk::display_path(path);
            let mut slow = self.slow.lock().unwrap_or_else(|e| e.into_inner());
            slow.push(SlowFile { path, ms });
        }
    }
}

/// Where the per-file pass puts what it collects besides findings.
struct Sinks<'a> {
    counters: &'a Counters,
    warnings: &'a Mutex<Vec<String>>,
    project_files: &'a Mutex<Vec<ProjectFile>>,
    suppressions: &'a Mutex<Vec<(String, Vec<suppress::Suppression>)>>,
}

/// True when the first 8 KiB hold a NUL byte (and the file is not UTF-16).
fn is_binary(bytes: &[u8]) -> bool {
    !source::is_utf16(bytes) && memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// Runs the whole pipeline.
pub fn run(engine: &Engine<'_>, opts: &Options) -> Result<Report, RunError> {
    let started = Instant::now();
    let counters = Counters::default();
    let warnings = Mutex::new(Vec::new());
    let project_files = Mutex::new(Vec::new());
    let suppressions = Mutex::new(Vec::new());
    let mut findings: Vec<Finding>;
    let mut stats = Stats::default();

    if let Some((name, bytes)) = &opts.stdin {
        let kind = FileKind::from_path(std::path::Path::new(name));
        let display = walk::display_path(std::path::Path::new(name));
        counters.scanned.fetch_add(1, Ordering::Relaxed);
        counters
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let r = guard::catch(|| engine.lint_bytes(&display, kind, bytes)).unwrap_or_else(|msg| {
            engine::FileResult {
                warnings: vec![format!(
                    "{display}: skipped after an internal error ({msg}); please report it"
                )],
                ..engine::FileResult::default()
            }
        });
        findings = r.findings;
        counters
            .suppressed
            .fetch_add(r.suppressed as u64, Ordering::Relaxed);
        if !r.suppressions.is_empty() {
            suppressions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((display.clone(), r.suppressions));
        }
        stats.files_walked = 1;
        stats.files_prefiltered = u64::from(r.candidate);
        stats.files_parsed = u64::from(r.parsed);
        warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(r.warnings);
    } else {
        for p in &opts.paths {
            if std::fs::symlink_metadata(p).is_err() {
                return Err(RunError::MissingPath(p.display().to_string()));
            }
        }
        stats.walk_ms = started.elapsed().as_millis() as u64;
        let lint_started = Instant::now();
        // The walk streams files to the rayon pool as it reaches them (no full list first);
        // findings are sorted at the end, so the order does not matter.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .build()
            .map_err(|e| RunError::Threads(e.to_string()))?;
        let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
        let walked = AtomicU64::new(0);
        let (tx, rx) = std::sync::mpsc::sync_channel::<walk::FileEntry>(4096);
        let walk_warnings = std::thread::scope(|scope| {
            let walker = scope.spawn(move || {
                walk::visit(&opts.paths, &opts.walk, &|entry| {
                    // The receiver lives until the walk ends; a send cannot fail before.
                    let _ = tx.send(entry);
                })
            });
            pool.install(|| {
                rx.into_iter().par_bridge().for_each(|entry| {
                    walked.fetch_add(1, Ordering::Relaxed);
                    let sink = Sinks {
                        counters: &counters,
                        warnings: &warnings,
                        project_files: &project_files,
                        suppressions: &suppressions,
                    };
                    let started = Instant::now();
                    let mine = lint_path(engine, opts, &entry, &sink);
                    counters.note_time(&entry.path, started.elapsed());
                    if !mine.is_empty() {
                        found.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
                    }
                })
            });
            walker.join().unwrap_or_default()
        });
        stats.files_walked = walked.into_inner();
        warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(walk_warnings);
        findings = found.into_inner().unwrap_or_else(|e| e.into_inner());
        stats.lint_ms = lint_started.elapsed().as_millis() as u64;
    }

    let project_started = Instant::now();
    let mut project_files = project_files
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    project_files.sort_by(|a: &ProjectFile, b| a.display.cmp(&b.display));
    let mut project_findings = run_project_rules(engine, opts, &project_files);
    let mut suppressions = suppressions.into_inner().unwrap_or_else(|e| e.into_inner());
    for (path, sups) in suppressions.iter_mut() {
        let mut mine: Vec<Finding> = Vec::new();
        project_findings.retain(|f| {
            if f.path == *path {
                mine.push(f.clone());
                false
            } else {
                true
            }
        });
        stats.suppressed += suppress::apply(&mut mine, sups) as u64;
        project_findings.extend(mine);
    }
    findings.extend(project_findings);
    stats.project_ms = project_started.elapsed().as_millis() as u64;
    let mut unused_suppressions = Vec::new();
    let mut warnings_extra = Vec::new();
    for (path, sups) in suppressions {
        for (line, sel) in suppress::unknown_rules(&sups) {
            warnings_extra.push(format!(
                "{path}:{line}: unknown rule `{sel}` in a `dslint: ignore` comment"
            ));
        }
        unused_suppressions.extend(sups.into_iter().filter(|s| !s.used).map(|suppression| {
            suppress::Unused {
                path: path.clone(),
                suppression,
            }
        }));
    }
    unused_suppressions.sort_by(|a, b| {
        (a.path.as_str(), a.suppression.line).cmp(&(b.path.as_str(), b.suppression.line))
    });

    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    let mut warnings = warnings.into_inner().unwrap_or_else(|e| e.into_inner());
    warnings.extend(warnings_extra);
    warnings.sort();
    warnings.dedup();

    stats.files_scanned += counters.scanned.load(Ordering::Relaxed);
    stats.skipped_binary = counters.binary.load(Ordering::Relaxed);
    stats.skipped_large = counters.large.load(Ordering::Relaxed);
    stats.skipped_unreadable = counters.unreadable.load(Ordering::Relaxed);
    stats.files_prefiltered += counters.prefiltered.load(Ordering::Relaxed);
    stats.files_parsed += counters.parsed.load(Ordering::Relaxed);
    stats.files_minified = counters.minified.load(Ordering::Relaxed);
    stats.files_generated = counters.generated.load(Ordering::Relaxed);
    stats.bytes = counters.bytes.load(Ordering::Relaxed);
    stats.suppressed += counters.suppressed.load(Ordering::Relaxed);
    stats.total_ms = started.elapsed().as_millis() as u64;
    let mut slow = counters
        .slow
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    slow.sort_by(|a, b| b.ms.cmp(&a.ms).then_with(|| a.path.cmp(&b.path)));
    slow.truncate(SLOWEST_SHOWN);
    stats.slowest = slow;
    Ok(Report {
        findings,
        warnings,
        stats,
        unused_suppressions,
        ..Report::default()
    })
}

fn lint_path(
    engine: &Engine<'_>,
    opts: &Options,
    entry: &walk::FileEntry,
    sink: &Sinks<'_>,
) -> Vec<Finding> {
    let Sinks {
        counters,
        warnings,
        project_files,
        suppressions,
    } = *sink;
    let display = walk::display_path(&entry.path);
    let warn = |msg: String| {
        warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(redact::redact_text(&msg).into_owned());
    };
    // The size the open file has now, not the one the walk saw: it may have changed.
    let read = fileread::read_file(&entry.path, opts.max_filesize);
    let bytes = match read {
        Ok(fileread::ReadOutcome::Bytes(b)) => b,
        Ok(fileread::ReadOutcome::TooLarge) => {
            counters.large.fetch_add(1, Ordering::Relaxed);
            if entry.explicit {
                warn(format!(
                    "{display}: skipped: larger than --max-filesize ({} bytes)",
                    opts.max_filesize
                ));
            }
            return Vec::new();
        }
        Err(e) => {
            counters.unreadable.fetch_add(1, Ordering::Relaxed);
            warn(format!("{display}: cannot read: {e}"));
            return Vec::new();
        }
    };
    counters.scanned.fetch_add(1, Ordering::Relaxed);
    counters
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    if is_binary(&bytes) {
        counters.binary.fetch_add(1, Ordering::Relaxed);
        if entry.explicit {
            warn(format!("{display}: skipped: binary file"));
        }
        return Vec::new();
    }
    let kind = FileKind::from_path(&entry.path);
    let result = match guard::catch(|| engine.lint_bytes(&display, kind, &bytes)) {
        Ok(r) => r,
        Err(msg) => {
            counters.unreadable.fetch_add(1, Ordering::Relaxed);
            warn(format!(
                "{display}: skipped after an internal error ({msg}); please report it"
            ));
            return Vec::new();
        }
    };
    if result.candidate {
        counters.prefiltered.fetch_add(1, Ordering::Relaxed);
    }
    if result.parsed {
        counters.parsed.fetch_add(1, Ordering::Relaxed);
    }
    if result.generated {
        counters.generated.fetch_add(1, Ordering::Relaxed);
    }
    if result.minified {
        counters.minified.fetch_add(1, Ordering::Relaxed);
    }
    for w in result.warnings {
        warn(w);
    }
    counters
        .suppressed
        .fetch_add(result.suppressed as u64, Ordering::Relaxed);
    if !result.suppressions.is_empty() {
        suppressions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((display.clone(), result.suppressions));
    }
    if let Some(text) = result.project_text {
        let kind = kind.unwrap_or(FileKind::Text);
        project_files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(ProjectFile {
                path: entry.path.clone(),
                display,
                kind,
                text,
            });
    }
    result.findings
}

/// Runs every enabled project-scope rule and turns its hits into findings.
fn run_project_rules(engine: &Engine<'_>, opts: &Options, files: &[ProjectFile]) -> Vec<Finding> {
    let mut out = Vec::new();
    // Standard input has no place in a work tree: no paths for git-based project rules.
    let inputs: &[PathBuf] = if opts.stdin.is_some() {
        &[]
    } else {
        &opts.paths
    };
    let ctx = ProjectCtx {
        inputs,
        files,
        settings: &engine.settings,
    };
    for (i, rule) in engine.rules.iter().enumerate() {
        let Some(checks::Check::Project(f)) = rule.check else {
            continue;
        };
        for ph in f(&ctx) {
            out.push(project_finding(engine, i, ph));
        }
    }
    out
}

fn project_finding(engine: &Engine<'_>, i: usize, ph: project::ProjectHit) -> Finding {
    let rule = engine.rules[i];
    let text = ph.text.as_str();
    let idx = LineIndex::new(text);
    let start = idx.position(text, ph.hit.range.start);
    let end = idx.position(text, ph.hit.range.end);
    let line = (start.line as usize - 1).min(idx.len() - 1);
    let snippet = redact::redact_text(&text[idx.line_range(text, line)]).into_owned();
    let message = ph
        .hit
        .message
        .clone()
        .unwrap_or_else(|| engine::fill(rule.message, &ph.hit.args));
    let help = ph
        .hit
        .help
        .clone()
        .unwrap_or_else(|| engine::fill(rule.help, &ph.hit.args));
    let content = ph.hit.fingerprint.clone().unwrap_or_default();
    let fp = diagnostic::stable_hash(&[
        rule.code.as_bytes(),
        ph.display.as_bytes(),
        content.as_bytes(),
    ]);
    Finding {
        code: rule.code,
        name: rule.name,
        severity: engine.severities[i],
        message: redact::redact_text(&message).into_owned(),
        help: redact::redact_text(&help).into_owned(),
        path: ph.display,
        start,
        end,
        byte_range: ph.hit.range.clone(),
        snippet,
        fingerprint: format!("{fp:016x}"),
        fix: ph.hit.fix,
    }
}

/// Formats a duration as milliseconds for summaries.
pub fn millis(d: Duration) -> u128 {
    d.as_millis()
}
