//! Conversions between dslint's findings and LSP: 0-based lines and UTF-16 columns, file
//! URIs and paths, byte offsets of fixes and editor positions.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range, Uri,
};

use crate::diagnostic::{Finding, Severity};
use crate::rules::Registry;
use crate::source::LineIndex;

/// The LSP position of a 1-based dslint position (UTF-16 columns, as LSP requires).
pub fn lsp_position(p: crate::source::Position) -> Position {
    Position::new(p.line.saturating_sub(1), p.column_utf16.saturating_sub(1))
}

/// The LSP range of a finding.
pub fn range(f: &Finding) -> Range {
    let start = lsp_position(f.start);
    let end = lsp_position(f.end).max(start);
    Range::new(start, end)
}

/// The LSP position of byte `offset` in `text`.
pub fn offset_position(text: &str, index: &LineIndex, offset: usize) -> Position {
    lsp_position(index.position(text, offset))
}

/// The byte offset of an LSP position in `text` (clamped to the line and the text).
pub fn position_offset(text: &str, index: &LineIndex, pos: Position) -> usize {
    let line = pos.line as usize;
    if line >= index.len() {
        return text.len();
    }
    let span = index.line_range(text, line);
    let mut units = 0u32;
    for (i, c) in text[span.clone()].char_indices() {
        if units >= pos.character {
            return span.start + i;
        }
        units += c.len_utf16() as u32;
    }
    span.end
}

/// A finding as an LSP diagnostic: code, severity, redacted message and help, and the rule's
/// docs as `codeDescription`.
pub fn diagnostic(f: &Finding, registry: &Registry) -> Diagnostic {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    };
    let mut message = format!("{} ({})", f.message, f.name);
    if !f.help.is_empty() {
        message.push_str("\nHelp: ");
        message.push_str(&f.help);
    }
    let code_description = registry
        .find(f.code)
        .and_then(|r| Uri::from_str(&r.docs_url()).ok())
        .map(|href| CodeDescription { href });
    Diagnostic {
        range: range(f),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description,
        source: Some("dslint".into()),
        message: crate::redact::redact_text(&message).into_owned(),
        ..Diagnostic::default()
    }
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` is not a local file; `file:///path` is.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(rest.split(['?', '#']).next().unwrap_or(rest))?;
    // Windows: `/C:/dir/file` names `C:/dir/file`.
    let b = decoded.as_bytes();
    if b.len() > 2 && b[2] == b':' && b[1].is_ascii_alphabetic() {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy().replace('\\', "/");
    let lead = if s.starts_with('/') { "" } else { "/" };
    Uri::from_str(&format!(
        "file://{lead}{}",
        crate::report::sarif::encode_path(&s).replace("%3A", ":")
    ))
    .ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_paths_round_trip() {
        let p = Path::new("/home/me/my app/ü.py");
        let uri = path_to_uri(p).expect("a URI");
        assert_eq!(uri.as_str(), "file:///home/me/my%20app/%C3%BC.py");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        let win = Uri::from_str("file:///c%3A/src/app.py").expect("a URI");
        assert_eq!(uri_to_path(&win), Some(PathBuf::from("c:/src/app.py")));
        let other = Uri::from_str("untitled:Untitled-1").expect("a URI");
        assert_eq!(uri_to_path(&other), None);
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "é😀x\nab\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').expect("x");
        assert_eq!(offset_position(text, &idx, x), Position::new(0, 3));
        assert_eq!(position_offset(text, &idx, Position::new(0, 3)), x);
        assert_eq!(position_offset(text, &idx, Position::new(1, 9)), 10);
        assert_eq!(position_offset(text, &idx, Position::new(5, 0)), text.len());
    }
}
