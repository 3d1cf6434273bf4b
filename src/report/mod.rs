//! Reporters: one per output format, all over the same sorted [`Report`](crate::Report).

use std::io::{self, Write};

use crate::rules::Rule;
use crate::Report;

pub mod human;
pub mod json;
pub mod models;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable diagnostics with source excerpts (miette).
    Human,
    /// One versioned JSON object (for editors and scripts).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// What every reporter receives besides the report.
pub struct ReportCtx<'a> {
    /// Every known rule (SARIF lists them all), in code order.
    pub rules: &'a [&'a Rule],
    /// Use colors.
    pub color: bool,
    /// Print only findings, no summary.
    pub quiet: bool,
    /// Print counters and timings.
    pub stats: bool,
}

/// A reporter writes a report in one format.
pub trait Reporter {
    /// Writes `report` to `out`.
    fn write(&self, report: &Report, ctx: &ReportCtx<'_>, out: &mut dyn Write) -> io::Result<()>;
}

/// The reporter for a format.
pub fn reporter(format: Format) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human),
        Format::Json => Box::new(json::Json),
        Format::Sarif | Format::Github => Box::new(json::Json),
    }
}
