//! Reading and scanning the blobs history introduced: each blob id once, however many commits
//! or paths hold it.
//!
//! Keys are found by the working-tree engine itself ([`Engine::lint_bytes`] with DS101 only:
//! same prefilter, same placeholder rules, same `dslint: ignore` comments), so history and
//! working tree can never disagree on what a key is. Blobs over `--max-filesize` are skipped
//! from their header without being inflated; binary blobs (a NUL byte in the first 8 KiB, as
//! in the working-tree walk) are skipped after reading. Both are counted for `--stats`.

use std::sync::atomic::{AtomicU64, Ordering};

use gix::bstr::BString;
use gix::hash::ObjectId;

use crate::diagnostic::Finding;
use crate::engine::Engine;
use crate::source::FileKind;

use super::env::{is_secret_env_path, names_with_values};

/// A blob to read, with the first commit and path that introduced it.
#[derive(Debug, Clone)]
pub struct BlobJob {
    /// Index of the introducing commit in the plan (oldest first).
    pub commit: usize,
    /// Its path there.
    pub path: BString,
    /// The blob.
    pub blob: ObjectId,
}

/// Counters shared by the scanning threads.
#[derive(Debug, Default)]
pub struct Counters {
    /// Blobs read and checked.
    pub scanned: AtomicU64,
    /// Blobs skipped as binary.
    pub binary: AtomicU64,
    /// Blobs skipped as larger than `--max-filesize`.
    pub large: AtomicU64,
    /// Blobs missing or corrupt.
    pub unreadable: AtomicU64,
    /// Bytes read.
    pub bytes: AtomicU64,
}

/// A DS101 finding in one blob, with the key it is about (kept in memory only, to report each
/// key once; never printed).
#[derive(Debug)]
pub struct KeyHit {
    /// The engine's finding (path, position, redacted message and snippet, fingerprint).
    pub finding: Finding,
    /// The key itself.
    pub key: String,
}

/// A committed `.env*` blob with values.
#[derive(Debug)]
pub struct EnvHit {
    /// The names given a non-empty value.
    pub names: Vec<String>,
    /// The length of the first line (the finding's span).
    pub first_line_len: usize,
}

/// What one blob gave.
#[derive(Debug, Default)]
pub struct BlobOutcome {
    /// DS101 findings, in line order.
    pub keys: Vec<KeyHit>,
    /// Set when the blob is a dotenv file with values.
    pub env: Option<EnvHit>,
    /// Set when the blob could not be read or linted.
    pub warning: Option<String>,
}

/// True when the first 8 KiB hold a NUL byte and the text is not UTF-16 (the working-tree
/// walk's test).
fn is_binary(bytes: &[u8]) -> bool {
    !crate::source::is_utf16(bytes) && memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

/// Reads and scans one blob. `engine` is `None` when DS101 is not enabled; `env` says
/// whether DS502 is.
pub fn scan(
    repo: &gix::Repository,
    engine: Option<&Engine<'_>>,
    env: bool,
    job: &BlobJob,
    max_filesize: u64,
    counters: &Counters,
) -> BlobOutcome {
    let mut out = BlobOutcome::default();
    let display = job.path.to_string();
    let unreadable = |e: &dyn std::fmt::Display| {
        counters.unreadable.fetch_add(1, Ordering::Relaxed);
        Some(format!(
            "blob {} at `{display}`: cannot read it: {e}",
            job.blob
        ))
    };
    match repo.find_header(job.blob) {
        Ok(h) if h.size() > max_filesize => {
            counters.large.fetch_add(1, Ordering::Relaxed);
            return out;
        }
        Ok(_) => {}
        Err(e) => {
            out.warning = unreadable(&e);
            return out;
        }
    }
    let object = match repo.find_object(job.blob) {
        Ok(o) => o,
        Err(e) => {
            out.warning = unreadable(&e);
            return out;
        }
    };
    let bytes = &object.data;
    counters.scanned.fetch_add(1, Ordering::Relaxed);
    counters
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    if is_binary(bytes) {
        counters.binary.fetch_add(1, Ordering::Relaxed);
        return out;
    }
    if env && is_secret_env_path(&display) {
        let text = crate::source::decode(bytes);
        let names = names_with_values(&text);
        if !names.is_empty() {
            out.env = Some(EnvHit {
                names,
                first_line_len: text.find(['\n', '\r']).unwrap_or(text.len()),
            });
        }
    }
    let Some(engine) = engine else {
        return out;
    };
    let kind = FileKind::from_path(std::path::Path::new(&display));
    let result = match crate::guard::catch(|| engine.lint_bytes(&display, kind, bytes)) {
        Ok(r) => r,
        Err(msg) => {
            out.warning = Some(format!(
                "blob {} at `{display}`: skipped after an internal error ({msg}); please report it",
                job.blob
            ));
            return out;
        }
    };
    if result.findings.is_empty() {
        return out;
    }
    // Positions are offsets in the decoded text (what the engine linted).
    let text = crate::source::decode(bytes);
    for mut finding in result.findings {
        let key = text
            .get(finding.byte_range.clone())
            .filter(|k| k.starts_with("sk-"))
            .map_or_else(|| finding.fingerprint.clone(), str::to_string);
        // A fix edits a file as it is now; history cannot be edited that way.
        finding.fix = None;
        out.keys.push(KeyHit { finding, key });
    }
    out
}
