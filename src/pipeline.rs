//! The run: walk the inputs and lint each file on a thread pool (the per-file [`Engine`]),
//! then the project pass over the files it kept, then inline suppressions, sorting and
//! counters, into one [`Report`].

use std::cell::OnceCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::Finding;
use crate::engine::Engine;
use crate::outcome::{Report, SlowFile, Stats, SLOWEST_SHOWN, SLOW_FILE_MS};
use crate::project::{self, ProjectCtx, ProjectFile};
use crate::rules;
use crate::source::{self, Document, FileKind};
use crate::{fileread, guard, redact, suppress, walk};

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
    /// Lint only this shard's files (`--shard K/N`).
    pub shard: Option<crate::shard::Shard>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            paths: vec![PathBuf::from(".")],
            walk: walk::WalkOptions {
                tracked: Some(crate::project::git_index::tracked_under),
                ..walk::WalkOptions::default()
            },
            threads: 0,
            max_filesize: DEFAULT_MAX_FILESIZE,
            stdin: None,
            shard: None,
        }
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
    /// Findings silenced by comments (kept for SARIF).
    silenced: Mutex<Vec<suppress::Suppressed>>,
    /// Files slower than [`SLOW_FILE_MS`]; locked only for those (rare).
    slow: Mutex<Vec<SlowFile>>,
}

impl Counters {
    /// Counts and keeps the findings a file's comments silenced.
    fn silence(&self, found: Vec<suppress::Suppressed>) {
        if found.is_empty() {
            return;
        }
        self.suppressed
            .fetch_add(found.len() as u64, Ordering::Relaxed);
        let mut kept = self.silenced.lock().unwrap_or_else(|e| e.into_inner());
        kept.extend(found);
    }

    /// Remembers `path` when linting it took at least [`SLOW_FILE_MS`].
    fn note_time(&self, path: &std::path::Path, took: Duration) {
        let ms = took.as_millis() as u64;
        if ms >= SLOW_FILE_MS {
            let path = source::display_path(path);
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
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
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

    if let Some((name, _)) = &opts.stdin {
        // Standard input is linted as the one file it names, with the same bookkeeping.
        let entry = walk::FileEntry {
            path: PathBuf::from(name),
            explicit: true,
        };
        let sink = Sinks {
            counters: &counters,
            warnings: &warnings,
            project_files: &project_files,
            suppressions: &suppressions,
        };
        let started = Instant::now();
        findings = lint_path(engine, opts, &entry, &sink);
        counters.note_time(&entry.path, started.elapsed());
        stats.files_walked = 1;
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
        counters.silence(suppress::apply(&mut mine, sups));
        project_findings.extend(mine);
    }
    findings.extend(project_findings);
    stats.project_ms = project_started.elapsed().as_millis() as u64;
    let mut unused_suppressions = Vec::new();
    let mut warnings_extra = Vec::new();
    for (path, sups) in suppressions {
        // Custom rules are not built in: the engine knows them.
        let unknown = suppress::unknown_rules(&sups)
            .into_iter()
            .filter(|(_, sel)| {
                !engine
                    .rules
                    .iter()
                    .any(|r| crate::rules::select::selector_matches(sel, r))
            });
        for (line, sel) in unknown {
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
    let mut suppressed = counters
        .silenced
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    Ok(Report {
        findings,
        warnings,
        stats,
        unused_suppressions,
        suppressed,
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
    let display = source::display_path(&entry.path);
    if opts.shard.is_some_and(|s| !s.owns(&display)) {
        if let Some(file) = foreign_project_file(engine, opts, entry, display) {
            let mut files = project_files.lock().unwrap_or_else(|e| e.into_inner());
            files.push(file);
        }
        return Vec::new();
    }
    let warn = |msg: String| {
        warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(redact::redact_text(&msg).into_owned());
    };
    // With `--stdin-filename`, the one entry's bytes are standard input's.
    let read;
    let bytes: &[u8] = match &opts.stdin {
        Some((_, given)) => given,
        None => {
            // The size the open file has now, not the one the walk saw: it may have changed.
            read = match fileread::read_file(&entry.path, opts.max_filesize) {
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
            &read
        }
    };
    counters.scanned.fetch_add(1, Ordering::Relaxed);
    counters
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    // Standard input is linted whatever it holds; a file that looks binary is skipped.
    if opts.stdin.is_none() && is_binary(bytes) {
        counters.binary.fetch_add(1, Ordering::Relaxed);
        if entry.explicit {
            warn(format!("{display}: skipped: binary file"));
        }
        return Vec::new();
    }
    let kind = FileKind::from_path(&entry.path);
    let result = match guard::catch(|| engine.lint_bytes(&display, kind, bytes)) {
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
    counters.silence(result.suppressed);
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
    // Standard input has no place in a work tree: project rules do not run on it.
    if opts.stdin.is_some() {
        return out;
    }
    let ctx = ProjectCtx {
        inputs: &opts.paths,
        files,
        settings: &engine.settings,
    };
    for (i, rule) in engine.rules.iter().enumerate() {
        let hits = match rule.check {
            Some(rules::Check::Project(f)) => f(&ctx),
            Some(rules::Check::Facts(f)) if f.is_project() => f.run_project(&ctx),
            _ => continue,
        };
        for ph in hits {
            out.push(project_finding(engine, i, ph));
        }
    }
    out.retain(|f| opts.shard.is_none_or(|s| s.owns(&f.path)));
    out
}

/// A project hit as a finding, stamped by the engine like every hit of the per-file pass
/// (the file is one whole document).
fn project_finding(engine: &Engine<'_>, i: usize, ph: project::ProjectHit) -> Finding {
    let mut hit = ph.hit;
    // Without content of its own, a project hit is fingerprinted by its rule and file.
    hit.fingerprint.get_or_insert_with(String::new);
    let doc = Document::whole(ph.text.to_string(), FileKind::Text);
    let (doc_index, host_index) = (OnceCell::new(), OnceCell::new());
    let rule = engine.rules[i];
    engine.finding(
        i,
        rule,
        &doc,
        &doc_index,
        &doc.text,
        &host_index,
        &ph.display,
        hit,
    )
}

/// For a file of another shard: its text when a cross-file project rule wants it (read,
/// prefiltered and decoded like the per-file pass does), else `None`. Unreadable, binary and
/// too large files are the owning shard's to report.
pub(crate) fn foreign_project_file(
    engine: &Engine<'_>,
    opts: &Options,
    entry: &walk::FileEntry,
    display: String,
) -> Option<ProjectFile> {
    let kind = FileKind::from_path(&entry.path);
    if !engine.wants_foreign(kind) {
        return None;
    }
    let bytes = match fileread::read_file(&entry.path, opts.max_filesize) {
        Ok(fileread::ReadOutcome::Bytes(b)) => b,
        _ => return None,
    };
    if is_binary(&bytes) {
        return None;
    }
    let text = crate::guard::catch(|| engine.project_text(kind, &bytes)).ok()??;
    Some(ProjectFile {
        path: entry.path.clone(),
        display,
        kind: kind.unwrap_or(FileKind::Text),
        text: std::sync::Arc::clone(&text),
    })
}
