//! `dslint history`: the keys that git history still holds.
//!
//! A key deleted from the working tree is still in every clone: in the commit that added it,
//! in a `.env` committed and later removed, on a branch nobody merged. The pipeline:
//!
//! 1. [`revs`] opens the repository with `gix` (never the `git` binary) and lists the commits
//!    to scan, oldest first: every ref by default, or the REV-RANGE arguments, bounded by
//!    `--since`. Only ids are kept.
//! 2. [`diff`] compares each commit's tree with its first parent's and lists the blobs it
//!    introduced (in parallel, a chunk of commits at a time).
//! 3. [`scan`] reads each blob id once, however many commits hold it, and runs the
//!    working-tree engine's DS101 check on it, in parallel. Memory stays bounded: a chunk's
//!    blobs are scanned and dropped before the next chunk is diffed.
//! 4. [`attribute`] keeps each key's first introduction and each committed `.env*` file with
//!    values (the history form of DS502).
//! 5. [`output`] adds the commits to the ordinary report ([`provenance`]) and writes it with
//!    the usual reporters, baseline and exit code.

pub mod attribute;
pub mod diff;
pub mod env;
pub mod output;
pub mod provenance;
pub mod revs;
pub mod scan;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use gix::hash::ObjectId;
use rayon::prelude::*;

use crate::config::Config;
use crate::engine::Engine;
use crate::rules::Registry;
use crate::{Report, Stats};

pub use crate::cli::HistoryArgs;
pub use provenance::{HistoryInfo, Provenance};
pub use revs::HistoryError;

use attribute::{Attribution, Pending};
use scan::{BlobJob, Counters};

/// Commits diffed per chunk: enough to keep every thread busy, few enough that a chunk's
/// blob list stays small.
const CHUNK: usize = 256;

/// Runs `dslint history` and returns the exit code (0 clean, 1 findings at or above
/// `fail-on`).
pub fn run(args: &HistoryArgs, use_color: impl Fn(bool) -> bool) -> miette::Result<u8> {
    let started = Instant::now();
    let registry = Registry::builtin().map_err(|e| miette::miette!("{e}"))?;
    let repo = revs::open(&args.repo)?;
    let root: PathBuf = repo.workdir().unwrap_or(repo.git_dir()).to_path_buf();
    let config = match &args.config {
        Some(file) => Config::load(file, true)?.unwrap_or_else(|| Config::defaults(root.clone())),
        None => Config::discover(&root)?,
    };
    let since = args.since.as_deref().map(revs::parse_since).transpose()?;
    let plan = revs::plan(&repo, &args.revs, since)?;

    let (rules, severities) = config.rules(registry, &[], &[]);
    let pick = |code: &str| rules.iter().position(|r| r.code == code);
    let engine =
        pick("DS101").map(|i| Engine::new(vec![rules[i]], vec![severities[i]], config.settings()));
    let ds502 = pick("DS502").map(|i| (rules[i], severities[i]));

    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| miette::miette!("could not start worker threads: {e}"))?;
    // gix repositories are not shared between threads: one handle (with its object cache)
    // per worker, locked only by its own thread.
    let shared = repo.clone().into_sync();
    let handles: Vec<Mutex<gix::Repository>> = (0..pool.current_num_threads())
        .map(|_| Mutex::new(shared.to_thread_local()))
        .collect();
    let with_repo = |f: &mut dyn FnMut(&gix::Repository)| {
        let i = rayon::current_thread_index().unwrap_or(0) % handles.len();
        let guard = handles[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&guard);
    };

    let counters = Counters::default();
    let mut warnings = plan.warnings.clone();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut attribution = Attribution::default();
    let mut submodules: BTreeSet<String> = BTreeSet::new();
    for (n, chunk) in plan.commits.chunks(CHUNK).enumerate() {
        let changes: Vec<diff::CommitChanges> = pool.install(|| {
            chunk
                .par_iter()
                .map(|c| {
                    let mut out = None;
                    with_repo(&mut |r| out = Some(diff::changes(r, c)));
                    out.unwrap_or_default()
                })
                .collect()
        });
        let mut jobs = Vec::new();
        for (i, ch) in changes.into_iter().enumerate() {
            warnings.extend(ch.warnings);
            submodules.extend(ch.submodules.iter().map(ToString::to_string));
            for b in ch.blobs {
                if seen.insert(b.blob) {
                    jobs.push(BlobJob {
                        commit: n * CHUNK + i,
                        path: b.path,
                        blob: b.blob,
                    });
                }
            }
        }
        let outcomes: Vec<scan::BlobOutcome> = pool.install(|| {
            jobs.par_iter()
                .map(|job| {
                    let mut out = None;
                    with_repo(&mut |r| {
                        out = Some(scan::scan(
                            r,
                            engine.as_ref(),
                            ds502.is_some(),
                            job,
                            args.max_filesize,
                            &counters,
                        ))
                    });
                    out.unwrap_or_default()
                })
                .collect()
        });
        for (job, mut outcome) in jobs.iter().zip(outcomes) {
            if let Some(w) = outcome.warning.take() {
                warnings.push(w);
            }
            attribution.add(job, outcome);
        }
    }

    // Commit details only for the commits that have findings.
    let mut provenance_of: HashMap<usize, Provenance> = HashMap::new();
    let mut info = HistoryInfo {
        revisions: args.revs.clone(),
        since: args.since.clone(),
        commits_scanned: plan.commits.len() as u64,
        blobs_introduced: seen.len() as u64,
        complete: !plan.shallow,
        submodules_not_entered: submodules.into_iter().collect(),
        ..HistoryInfo::default()
    };
    let tracked = output::Tracked::new(&repo);
    let mut findings = Vec::new();
    for (idx, pending) in attribution.kept {
        let at = provenance_of
            .entry(idx)
            .or_insert_with(|| output::provenance(&repo, plan.commits[idx].id))
            .clone();
        let f = match pending {
            Pending::Key(f) => attribute::key_finding(*f, &at),
            Pending::Env {
                path,
                names,
                first_line_len,
            } => {
                let Some((rule, severity)) = ds502 else {
                    continue;
                };
                let still = tracked.contains(&path);
                attribute::env_finding(rule, severity, &path, &names, first_line_len, &at, still)
            }
        };
        info.provenance.insert(f.fingerprint.clone(), at);
        findings.push(f);
    }
    output::describe_repo(&repo, &root, &mut info);

    let stats = Stats {
        files_walked: info.blobs_introduced,
        files_scanned: counters.scanned.load(Ordering::Relaxed),
        skipped_binary: counters.binary.load(Ordering::Relaxed),
        skipped_large: counters.large.load(Ordering::Relaxed),
        skipped_unreadable: counters.unreadable.load(Ordering::Relaxed),
        bytes: counters.bytes.load(Ordering::Relaxed),
        lint_ms: started.elapsed().as_millis() as u64,
        total_ms: started.elapsed().as_millis() as u64,
        ..Stats::default()
    };
    let report = Report {
        findings,
        warnings,
        stats,
        history: Some(info),
        ..Report::default()
    };
    output::finish(args, &config, report, use_color)
}
