//! What a run produces: findings, warnings, counters and timings ([`Report`], [`Stats`]),
//! handed from the pipeline to the reporters. `dslint history` adds [`HistoryInfo`]: each
//! finding's commit ([`Provenance`]) and what the walk covered.

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostic::{Finding, Severity};
use crate::fix::FixSummary;
use crate::suppress::{Suppressed, Unused};

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
    pub fixes: Option<FixSummary>,
    /// `dslint: ignore` directives that suppressed nothing, sorted by path and line
    /// (reported with `--report-unused-ignores`).
    pub unused_suppressions: Vec<Unused>,
    /// Findings silenced by a `dslint: ignore` comment or the baseline, sorted like
    /// `findings`: only SARIF reports them (as suppressed results).
    pub suppressed: Vec<Suppressed>,
    /// With `--shard`, what `dslint merge` needs to check and join this report.
    pub shard: Option<crate::shard::ShardRun>,
    /// Set by `dslint history`: each finding's commit and what the walk covered.
    pub history: Option<HistoryInfo>,
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

/// Where a history finding was introduced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The full commit id (40 hex characters for SHA-1).
    pub commit: String,
    /// The commit's author date, ISO 8601 with its offset (`2024-05-01T12:00:00+02:00`).
    pub author_date: String,
}

impl Provenance {
    /// The abbreviated commit id (7 characters), as `git log --oneline` shows it.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }

    /// The author date's day (`2024-05-01`).
    pub fn day(&self) -> &str {
        &self.author_date[..self.author_date.len().min(10)]
    }
}

/// The history facts of a run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HistoryInfo {
    /// Each finding's provenance, by finding fingerprint (one finding per key and per
    /// dotenv path, so fingerprints are unique in a history report).
    #[serde(skip)]
    pub provenance: HashMap<String, Provenance>,
    /// The REV-RANGE arguments (empty: every ref).
    pub revisions: Vec<String>,
    /// The `--since` argument.
    pub since: Option<String>,
    /// Commits walked.
    pub commits_scanned: u64,
    /// Distinct blobs the commits introduced (each read at most once).
    pub blobs_introduced: u64,
    /// False for a shallow clone: commits before its boundary are not in the repository.
    pub complete: bool,
    /// Submodule paths met and not entered.
    pub submodules_not_entered: Vec<String>,
    /// The commit HEAD points at, when there is one (SARIF `revisionId`).
    #[serde(skip)]
    pub head: Option<String>,
    /// The branch HEAD names, when it names one (SARIF `branch`).
    #[serde(skip)]
    pub branch: Option<String>,
    /// The `origin` remote's URL without credentials, or the repository's `file://` URI
    /// (SARIF `repositoryUri`).
    #[serde(skip)]
    pub repository_uri: Option<String>,
}

impl HistoryInfo {
    /// The provenance of `f`, if it is a history finding.
    pub fn of(&self, f: &Finding) -> Option<&Provenance> {
        self.provenance.get(&f.fingerprint)
    }
}
