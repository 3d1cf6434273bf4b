//! What a run produces: findings, warnings, counters and timings ([`Report`], [`Stats`]),
//! handed from the pipeline to the reporters.

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
