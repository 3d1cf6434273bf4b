//! Reporters: one per output format, all over the same sorted [`Report`](crate::outcome::Report).

use std::io::{self, Write};

use crate::outcome::Report;
use crate::rules::Rule;

pub mod github;
pub mod human;
pub mod json;
pub mod merge;
pub mod models;
pub mod rdjson;
pub mod sarif;

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
    /// reviewdog Diagnostic Format (`reviewdog -f=rdjson`).
    Rdjson,
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
    /// The text read from standard input and the path it was linted as (`--stdin-filename`),
    /// so reporters can show its source.
    pub stdin: Option<(&'a str, &'a str)>,
}

/// The source text of a reported path: standard input's text for the stdin path, else the
/// file read from disk (decoded like the engine decodes it).
pub fn source_text(ctx: &ReportCtx<'_>, path: &str) -> Option<String> {
    if let Some((name, text)) = ctx.stdin {
        if name == path {
            return Some(text.to_string());
        }
    }
    let bytes = std::fs::read(path).ok()?;
    Some(crate::source::decode(&bytes))
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
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Github => Box::new(github::Github),
        Format::Rdjson => Box::new(rdjson::Rdjson),
    }
}
