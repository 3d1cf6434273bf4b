//! The command line: the arguments `dslint` accepts (clap types); [`crate::app`] runs them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;
use crate::report::Format;

/// Find the mistakes behind DeepSeek's "401 Authentication Fails" before they ship.
///
/// dslint lints Python, JavaScript/TypeScript and Rust code, `.env`/YAML/JSON/TOML configs,
/// shell scripts, Markdown and notebooks for hardcoded keys, clients without a DeepSeek base
/// URL, wrong hosts, malformed auth headers, retired or foreign model names, and `.env` files
/// that git would commit.
///
/// Exit codes: 0 no findings, 1 findings, 2 usage, configuration or I/O error.
#[derive(Debug, Parser)]
#[command(
    name = "dslint",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Files or directories to lint.
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Only run these rules (codes, code prefixes or names; comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Do not run these rules (codes, code prefixes or names; comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// List every rule with its default severity and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Print findings only: no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Do not respect .gitignore, .ignore and .git/info/exclude.
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links.
    #[arg(long)]
    pub follow_links: bool,

    /// Skip files larger than this (bytes; K, M and G suffixes accepted).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "10M")]
    pub max_filesize: u64,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print files walked, skipped, prefiltered and parsed, and time per phase.
    #[arg(long)]
    pub stats: bool,

    /// Lint standard input as if it were the file at PATH (for editors).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,

    /// Apply safe fixes to the files, then report what remains.
    #[arg(long)]
    pub fix: bool,

    /// Print a unified diff of the fixes instead of writing them (exit 1 if there are any).
    #[arg(long)]
    pub diff: bool,

    /// With --fix or --diff, apply unsafe fixes too (they may change behaviour).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Use this configuration file instead of discovering dslint.toml, .dslint.toml or
    /// pyproject.toml [tool.dslint] next to the inputs.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with 1 only for findings at or above this level (overrides `fail-on`).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<Level>,

    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Warn (on standard error) about `dslint: ignore` comments that suppressed nothing.
    #[arg(long)]
    pub report_unused_ignores: bool,

    /// Lint only shard K of N: the files whose stable path hash falls into it (for CI
    /// matrices; join the shards' reports with `dslint merge`).
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse, conflicts_with = "stdin_filename")]
    pub shard: Option<crate::shard::Shard>,

    /// Subcommands.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands besides linting.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a rule's documentation (by code or name).
    Rule {
        /// The rule's code (DS201) or name (missing-base-url).
        rule: String,
    },
    /// Print the effective configuration (TOML) for PATH.
    Config {
        /// The directory or file whose configuration to show.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Show this configuration file instead of discovering one.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Run the `[[rule.example]]`s of the configuration's custom rules (`bad` must fire,
    /// `good` must not); exit 1 when one fails.
    TestRules,
    /// Run a language server (LSP) over stdio, for editors.
    Server {
        /// Hide the findings recorded in this baseline file (relative to the workspace).
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
    },
    /// Join shard reports (`--shard K/N --format json|sarif`) into the report one run writes.
    Merge {
        /// Output format (default: the reports' format).
        #[arg(long, short = 'f', value_enum)]
        format: Option<crate::report::merge::MergeFormat>,
        /// Write the report to FILE instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// The shard reports, one per shard.
        #[arg(required = true, value_name = "REPORT")]
        reports: Vec<PathBuf>,
    },
    /// Scan git history for keys past commits introduced (DS101) and `.env` files committed
    /// with values (DS502).
    History(HistoryArgs),
    /// Print the DeepSeek model catalogue.
    Models {
        /// Output format (human or json).
        #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// A severity level on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Every finding.
    Note,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Severity {
        match l {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Note,
        }
    }
}

/// When to color output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// Parses a size with an optional K, M or G suffix (`--max-filesize`).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('K' | 'k') => (&s[..s.len() - 1], 1024),
        Some('M' | 'm') => (&s[..s.len() - 1], 1024 * 1024),
        Some('G' | 'g') => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .map(|n| n.saturating_mul(mult))
        .map_err(|_| format!("`{s}` is not a size (examples: 1048576, 512K, 10M)"))
}

// `dslint history` repeats the working-tree flags that make sense for history (a subcommand
// does not inherit them): output format and file, baseline, `--max-filesize`, `--stats`,
// `--threads`, `--config`, `--fail-on`, `--color`, `--quiet`.

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
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "10M")]
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
