//! dslint: a fast linter for the mistakes behind DeepSeek's "401 Authentication Fails".
//!
//! This file only lists the modules. The pipeline, in one direction: collect files
//! ([`walk`]) → literal prefilter on the bytes ([`prefilter`]) → decode and split into
//! documents ([`source`], [`lang::embedded`]) → parse only candidates ([`lang`]) →
//! per-document facts ([`facts`]) → rules ([`rules`], their checks in [`checks`]) → findings
//! stamped by the per-file [`engine`] → project rules ([`project`]) → inline suppressions and
//! a deterministic sort ([`pipeline`]) → one [`outcome::Report`] → one reporter ([`report`]).
//! [`app`] runs it all for the command line ([`cli`]).
//!
//! The layers, each importing only those before it: source and languages ([`source`],
//! [`lang`]) → facts → rules (with [`rules::dispatch`] and [`rules::select`]) → engine →
//! project pass and [`pipeline`] → [`report`] → [`cli`] and [`app`].

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
pub mod fix_offsets;
pub mod guard;
pub mod history;
pub mod lang;
pub mod outcome;
pub mod pipeline;
pub mod prefilter;
pub mod project;
pub mod redact;
pub mod report;
pub mod rules;
pub mod server;
pub mod settings;
pub mod shard;
pub mod source;
pub mod suppress;
pub mod walk;

pub use diagnostic::REPOSITORY;
pub use outcome::{Report, SlowFile, Stats, SLOWEST_SHOWN, SLOW_FILE_MS};
pub use pipeline::{run, Options, RunError, DEFAULT_MAX_FILESIZE};
