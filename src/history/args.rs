//! The `dslint history` command line: which commits to scan and how to report.
//!
//! The working-tree flags that make sense for history are repeated here (a subcommand does
//! not inherit them): output format and file, baseline, `--max-filesize`, `--stats`,
//! `--threads`, `--config`, `--fail-on`, `--color`, `--quiet`.

use std::path::PathBuf;

use crate::cli::{ColorChoice, Level};
use crate::report::Format;

/// Scan git history for keys that past commits introduced (DS101) and `.env` files that were
/// committed with values (DS502).
///
/// By default every commit reachable from any ref (branches, tags, remote-tracking branches,
/// the stash) is scanned. Each key is reported once, at the commit that introduced it.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Revisions or ranges to scan instead of every ref: `main..HEAD` (a pull request),
    /// `v1.2..`, `feature`, `^old new`.
    #[arg(value_name = "REV-RANGE")]
    pub revs: Vec<String>,

    /// Only commits more recent than DATE (`2024-05-01`, `2024-05-01T12:00:00+02:00`,
    /// `2 weeks ago`).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// The repository to scan (any directory inside it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print findings only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Skip blobs larger than this (bytes; K, M and G suffixes accepted).
    #[arg(long, value_name = "SIZE", value_parser = crate::cli::parse_size, default_value = "10M")]
    pub max_filesize: u64,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print commits and blobs scanned, blobs skipped, and time.
    #[arg(long)]
    pub stats: bool,

    /// Use this configuration file instead of discovering one at the repository root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with 1 only for findings at or above this level (overrides `fail-on`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<Level>,

    /// Hide the findings recorded in this baseline file; report only new keys.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every finding in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
}
