//! Code actions: each finding's fix (a safe one as a preferred `quickfix`, an unsafe one
//! labelled "(unsafe)" with kind `quickfix.unsafe`), and a quick fix that silences the finding
//! with a `dslint: ignore[CODE]` comment in the file's comment syntax.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Range, TextEdit, Uri,
    WorkspaceEdit,
};

use super::convert::{offset_position, path_to_uri};
use crate::diagnostic::{Finding, Fix};
use crate::source::{FileKind, LineIndex};

/// The kind of an unsafe fix's action (a sub-kind of `quickfix`).
pub const UNSAFE_KIND: &str = "quickfix.unsafe";

/// The actions for the findings of a document (`text` at `path`) that touch `range`; each
/// finding comes with the diagnostic it was published as.
#[allow(clippy::mutable_key_type)]
pub fn code_actions(
    uri: &Uri,
    path: &Path,
    text: &str,
    findings: &[(&Finding, Diagnostic)],
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    for (f, diag) in findings {
        if diag.range.end < range.start || range.end < diag.range.start {
            continue;
        }
        if let Some(fix) = &f.fix {
            if let Some(edit) = fix_edit(uri, text, &index, fix) {
                let (title, kind) = if fix.safe {
                    (fix.title.clone(), CodeActionKind::QUICKFIX)
                } else {
                    (
                        format!("{} (unsafe)", fix.title),
                        CodeActionKind::new(UNSAFE_KIND),
                    )
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: crate::redact::redact_text(&format!("{}: {title}", f.code)).into(),
                    kind: Some(kind),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(fix.safe),
                    ..CodeAction::default()
                }));
            }
        }
        if let Some(edit) = ignore_edit(path, text, &index, f) {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{}: ignore with `dslint: ignore[{}]`", f.code, f.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(false),
                ..CodeAction::default()
            }));
        }
    }
    out
}

// `lsp_types::WorkspaceEdit::changes` is keyed by `Uri`, whose parsed form clippy takes for
// interior mutability; its hash and equality never change.
/// A fix's edits as a workspace edit. Offsets are bytes of the editor's text; an edit of
/// another file (`Edit::path`, relative to the working directory) is placed in that file as it
/// is on disk (empty when missing).
#[allow(clippy::mutable_key_type)]
fn fix_edit(uri: &Uri, text: &str, index: &LineIndex, fix: &Fix) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for e in &fix.edits {
        let (target, edit) = match &e.path {
            None => {
                if e.start > e.end || e.end > text.len() {
                    return None;
                }
                let r = Range::new(
                    offset_position(text, index, e.start),
                    offset_position(text, index, e.end),
                );
                (uri.clone(), TextEdit::new(r, e.content.clone()))
            }
            Some(other) => {
                let file = std::env::current_dir().ok()?.join(other);
                let on_disk = std::fs::read_to_string(&file).unwrap_or_default();
                if e.start > e.end || e.end > on_disk.len() {
                    return None;
                }
                let idx = LineIndex::new(&on_disk);
                let r = Range::new(
                    offset_position(&on_disk, &idx, e.start),
                    offset_position(&on_disk, &idx, e.end),
                );
                (path_to_uri(&file)?, TextEdit::new(r, e.content.clone()))
            }
        };
        changes.entry(target).or_default().push(edit);
    }
    (!changes.is_empty()).then(|| WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The comment that opens (and closes) a directive in files of `kind`; `None` where the
/// format has no comments.
fn comment_syntax(kind: Option<FileKind>) -> Option<(&'static str, &'static str)> {
    match kind {
        Some(FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx | FileKind::Rust) => {
            Some(("//", ""))
        }
        Some(FileKind::Markdown) => Some(("<!--", " -->")),
        Some(FileKind::Json | FileKind::Notebook) => None,
        _ => Some(("#", "")),
    }
}

/// The edit adding `dslint: ignore[CODE]` for `f`: at the end of its line, or, when that line
/// already holds a directive (only the first one on a line counts), on a line of its own
/// above it.
fn ignore_edit(path: &Path, text: &str, index: &LineIndex, f: &Finding) -> Option<TextEdit> {
    let (open, close) = comment_syntax(FileKind::from_path(path))?;
    let line = (f.start.line as usize).checked_sub(1)?;
    if line >= index.len() {
        return None;
    }
    let span = index.line_range(text, line);
    let content = &text[span.clone()];
    let directive = format!("{open} dslint: ignore[{}]{close}", f.code);
    if content.contains("dslint:") {
        let indent: String = content.chars().take_while(|c| c.is_whitespace()).collect();
        let at = offset_position(text, index, span.start);
        let eol = if text[span.end..].starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        return Some(TextEdit::new(
            Range::new(at, at),
            format!("{indent}{directive}{eol}"),
        ));
    }
    let at = offset_position(text, index, span.end);
    Some(TextEdit::new(Range::new(at, at), format!("  {directive}")))
}
