//! Counting syntax errors, so that a fix whose result parses worse than the original is
//! dropped: tree-sitter languages, JSON, notebooks and Markdown code blocks.

use crate::lang::{self, Lang};
use crate::source::FileKind;

/// Number of syntax errors in `text` for kinds that can be checked (tree-sitter languages,
/// JSON, and Markdown's fenced code blocks); `None` when the kind is not checked or the parse gave up.
pub fn syntax_errors(kind: FileKind, text: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(text);
    if kind == FileKind::Json {
        return Some(usize::from(
            serde_json::from_str::<serde_json::Value>(&text).is_err(),
        ));
    }
    if kind == FileKind::Notebook {
        // Valid JSON, and its code cells parse as their language.
        let Ok(cells) = crate::lang::embedded::notebook_cells(&text) else {
            return Some(1);
        };
        let mut total = 0;
        for cell in cells.iter().filter(|c| c.kind.is_code()) {
            total += syntax_errors(cell.kind, cell.text.as_bytes()).unwrap_or(0);
        }
        return Some(total);
    }
    if kind == FileKind::Markdown {
        // Code blocks are linted (and fixed) as their language: count their errors.
        let mut total = 0;
        for block in crate::lang::embedded::markdown_blocks(&text) {
            if block.kind.is_code() {
                total += syntax_errors(block.kind, block.text.as_bytes())?;
            }
        }
        return Some(total);
    }
    let tree = lang::parse(Lang::of(kind)?, &text)?;
    let mut cursor = tree.walk();
    let mut errors = 0;
    // Iterative pre-order walk: no recursion over the tree.
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            errors += 1;
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return Some(errors);
            }
        }
    }
}
