//! The documents the editor has open: their in-memory text (full or incremental changes),
//! version, when a debounced re-lint is due, and their latest findings; plus the
//! project-scope findings of the last workspace lint, by file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::convert::position_offset;
use crate::diagnostic::Finding;
use crate::source::LineIndex;

/// One open document.
#[derive(Debug)]
pub struct Doc {
    /// Its URI, as the editor sent it.
    pub uri: Uri,
    /// Its file path.
    pub path: PathBuf,
    /// The editor's text.
    pub text: String,
    /// The editor's version of the text.
    pub version: i32,
    /// When a re-lint is due (after a change); `None` when the findings are current.
    pub due: Option<Instant>,
    /// The findings of the last lint (per-file rules).
    pub findings: Vec<Finding>,
}

impl Doc {
    /// Applies the editor's changes, in order (a change without a range replaces the text).
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&self.text);
                    let start = position_offset(&self.text, &index, range.start);
                    let end = position_offset(&self.text, &index, range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
            }
        }
    }
}

/// Open documents and project findings, by URI.
#[derive(Debug, Default)]
pub struct Store {
    /// Open documents by URI.
    pub docs: HashMap<String, Doc>,
    /// Project-scope findings of the last workspace lint, by URI.
    pub project: HashMap<String, (Uri, Vec<Finding>)>,
}

impl Store {
    /// The earliest time a re-lint is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.docs.values().filter_map(|d| d.due).min()
    }

    /// URIs of the documents whose re-lint is due at `now`.
    pub fn due(&self, now: Instant) -> Vec<String> {
        let mut due: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        due.sort();
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};
    use std::str::FromStr;

    #[test]
    fn incremental_and_full_changes() {
        let mut doc = Doc {
            uri: Uri::from_str("file:///a.py").expect("a URI"),
            path: PathBuf::from("/a.py"),
            text: "a = 1\nb = \"é\"\n".into(),
            version: 1,
            due: None,
            findings: Vec::new(),
        };
        let edit = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        };
        doc.apply(vec![edit(1, 6, 1, 6, "x"), edit(0, 0, 0, 1, "alpha")]);
        assert_eq!(doc.text, "alpha = 1\nb = \"éx\"\n");
        doc.apply(vec![TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new".into(),
        }]);
        assert_eq!(doc.text, "new");
    }
}
