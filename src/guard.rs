//! Last-line defences: a bug in one file's checks must neither stop the run nor print a
//! secret. [`install_panic_hook`] makes every panic message go through redaction (Rust's own
//! messages can quote the text being processed, e.g. a failed `str` slice); [`catch`] turns a
//! panic while linting one file into an error string the caller reports as a warning.

use std::any::Any;
use std::io::{Read, Write};
use std::panic::{self, AssertUnwindSafe};

use crate::redact::redact_text;

/// The panic payload as text (redacted).
fn payload_text(payload: &(dyn Any + Send)) -> String {
    let raw = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "unknown panic"
    };
    redact_text(raw).into_owned()
}

/// Replaces the default panic hook with one that prints a redacted message (and a backtrace
/// when `RUST_BACKTRACE` asks for one). Called once by the command-line entry point.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let msg = payload_text(info.payload());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let bt = std::backtrace::Backtrace::capture();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "dslint: internal error{at}: {msg}\nPlease report it at {}/issues",
            crate::diagnostic::REPOSITORY
        );
        if bt.status() == std::backtrace::BacktraceStatus::Captured {
            let _ = writeln!(err, "{bt}");
        }
    }));
}

/// Runs `f`, turning a panic into `Err` with its (redacted) message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| payload_text(p.as_ref()))
}

/// What [`read_limited`] got.
#[derive(Debug)]
pub enum ReadOutcome {
    /// The whole content (possibly shorter than the size the walk saw, if it shrank).
    Bytes(Vec<u8>),
    /// More than the limit: not read further.
    TooLarge,
}

/// Reads at most `max + 1` bytes from `reader`, so a file that grows during the run (or a
/// device such as `/dev/zero`) can neither exhaust memory nor stall the run.
pub fn read_limited(reader: impl Read, max: u64) -> std::io::Result<ReadOutcome> {
    let mut buf = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        Ok(ReadOutcome::TooLarge)
    } else {
        Ok(ReadOutcome::Bytes(buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catch_redacts_panic_messages() {
        let key = format!("sk-{}", "0123456789abcdef".repeat(2));
        let err = catch(|| panic!("bad input {key}")).unwrap_err();
        assert!(!err.contains(&key), "{err}");
        assert!(err.contains("sk-…cdef"));
    }

    #[test]
    fn read_limited_stops_at_the_limit() {
        let data = [b'a'; 100];
        assert!(matches!(
            read_limited(&data[..], 99).unwrap(),
            ReadOutcome::TooLarge
        ));
        match read_limited(&data[..], 100).unwrap() {
            ReadOutcome::Bytes(b) => assert_eq!(b.len(), 100),
            other => panic!("unexpected {other:?}"),
        }
    }
}
