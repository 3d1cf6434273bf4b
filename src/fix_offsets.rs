//! Fix edits from decoded-text offsets to offsets in the file on disk: the UTF-8 BOM that
//! decoding drops, notebooks whose code cells are JSON strings ([`notebook`]), UTF-16 files
//! (no fixes), and the guard that a fix never writes a key. The engine calls this once per
//! file, after its rules ran; `--fix` then applies the edits to the file's bytes.

use crate::diagnostic::Finding;
use crate::redact::redact_text;
use crate::source::FileKind;

mod notebook;

/// Rewrites the fixes of one file's findings from decoded-text offsets to file offsets.
///
/// [`crate::source::decode`] drops a UTF-8 BOM, so edits move 3 bytes right. UTF-16 files get
/// no fixes; in notebooks (whose cells are JSON strings) each edit's content is JSON-encoded
/// (see [`notebook`]), and a fix whose edit spans an escape is dropped.
///
/// It also drops any fix whose replacement text holds something key-like: a fix must never
/// write a key (it would also show in full in JSON and SARIF output).
pub fn to_file_offsets(findings: &mut [Finding], kind: FileKind, bytes: &[u8]) {
    if !findings.iter().any(|f| f.fix.is_some()) {
        return;
    }
    for f in findings.iter_mut() {
        let leaks = f.fix.as_ref().is_some_and(|fix| {
            fix.edits
                .iter()
                .any(|e| matches!(redact_text(&e.content), std::borrow::Cow::Owned(_)))
        });
        if leaks {
            f.fix = None;
        }
    }
    if kind == FileKind::Notebook && !bytes.starts_with(b"\xEF\xBB\xBF") {
        notebook::encode_fixes(findings, bytes);
        return;
    }
    if kind == FileKind::Notebook || crate::source::is_utf16(bytes) {
        for f in findings.iter_mut() {
            f.fix = None;
        }
        return;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        for fix in findings.iter_mut().filter_map(|f| f.fix.as_mut()) {
            for e in fix.edits.iter_mut().filter(|e| e.path.is_none()) {
                e.start += 3;
                e.end += 3;
            }
        }
    }
}
