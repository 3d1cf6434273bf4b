//! Where a finding lands in the file it was found in: the redacted snippet of its line, and
//! a fix made on an embedded document (a Markdown block, a notebook cell) mapped onto the
//! host file's offsets, JSON escapes included.

use std::ops::Range;

use super::SNIPPET_MAX_LEN;
use crate::diagnostic::{Edit, Fix};
use crate::redact::redact_text;
use crate::source::{floor_char_boundary, Document, LineIndex, Position};

/// The redacted source line `line` of `text` for a finding at `at`. Long lines (minified
/// code) are cut to a window around the finding, never through the middle of a token, so
/// neither a huge line nor a fragment of a key ends up in the output.
pub(super) fn snippet(text: &str, line: Range<usize>, at: Range<usize>) -> String {
    if line.len() <= SNIPPET_MAX_LEN {
        return redact_text(&text[line]).into_owned();
    }
    let context = SNIPPET_MAX_LEN / 4; // 125 bytes either side
    let at_start = at.start.clamp(line.start, line.end);
    let at_end = at
        .end
        .clamp(at_start, line.end)
        .min(at_start + SNIPPET_MAX_LEN / 2);
    let mut start = floor_char_boundary(text, at_start.saturating_sub(context).max(line.start));
    let mut end = floor_char_boundary(text, (at_end + context).min(line.end));
    let bytes = text.as_bytes();
    let is_token = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    // Do not start or end inside a token (it could be part of a key).
    if start > line.start && is_token(bytes[start - 1]) {
        while start < at_start && is_token(bytes[start]) {
            start += 1;
        }
    }
    if end < line.end && is_token(bytes[end]) {
        while end > at_end && is_token(bytes[end - 1]) {
            end -= 1;
        }
    }
    let mut out = String::with_capacity(end - start + 8);
    if start > line.start {
        out.push('…');
    }
    out.push_str(&text[start..end]);
    if end < line.end {
        out.push('…');
    }
    redact_text(&out).into_owned()
}

/// Maps a fix's document offsets to host offsets (embedded documents). The fix is dropped
/// when the host text at the mapped range differs from the document's (a notebook cell's
/// JSON escapes shift columns): a wrong edit is worse than none.
pub(super) fn map_fix(
    fix: Fix,
    doc_index: &LineIndex,
    doc: &Document,
    host: &str,
    host_offset: impl Fn(Position) -> usize,
    json_host: bool,
) -> Option<Fix> {
    let mut edits = Vec::with_capacity(fix.edits.len());
    for e in fix.edits {
        if e.path.is_some() {
            edits.push(e);
            continue;
        }
        let at = |o: usize| -> Option<usize> {
            let p = doc_index.position(&doc.text, o);
            if !json_host {
                return Some(host_offset(doc.map.map(p)));
            }
            json_offset(doc, doc_index, host, &host_offset, o, p)
        };
        let s = at(e.start)?;
        let t = at(e.end)?.max(s);
        if host.get(s..t) != doc.text.get(e.start..e.end) {
            return None;
        }
        // A Markdown block's lines lost the block's indentation: new lines get it back.
        let pad = match &doc.map {
            crate::source::LineMap::Lines(lines) if !json_host && e.content.contains('\n') => {
                let line = doc_index.position(&doc.text, e.start).line as usize;
                lines
                    .get(line.saturating_sub(1))
                    .map_or(0, |l| l.1 as usize)
            }
            _ => 0,
        };
        let content = if pad > 0 {
            e.content.replace('\n', &format!("\n{}", " ".repeat(pad)))
        } else {
            e.content
        };
        edits.push(Edit {
            start: s,
            end: t,
            content,
            ..e
        });
    }
    Some(Fix { edits, ..fix })
}

/// The host offset of document offset `o` (at position `p`) when the document's lines are
/// JSON strings in the host (a notebook's `"source"` array): the line's string start, then
/// the line's text walked escape by escape. `None` when the line shares its string with the
/// line before (a source given as one string) or the walk does not decode to the line.
pub(super) fn json_offset(
    doc: &Document,
    doc_index: &LineIndex,
    host: &str,
    host_offset: &impl Fn(Position) -> usize,
    o: usize,
    p: Position,
) -> Option<usize> {
    let line_start = o - (p.column as usize - 1);
    let i = p.line as usize - 1;
    if let crate::source::LineMap::Lines(lines) = &doc.map {
        if i > 0 && lines.get(i) == lines.get(i - 1) {
            return None;
        }
    }
    let h0 = host_offset(doc.map.map(doc_index.position(&doc.text, line_start)));
    if !host[..h0].ends_with('"') {
        return None;
    }
    let raw = host.as_bytes();
    let mut h = h0;
    for c in doc.text.get(line_start..o)?.chars() {
        match raw.get(h)? {
            b'\\' if raw.get(h + 1) == Some(&b'u') => h += 6 * c.len_utf16(),
            b'\\' => h += 2,
            _ => h += c.len_utf8(),
        }
    }
    let decoded: String = serde_json::from_str(&format!("\"{}\"", host.get(h0..h)?)).ok()?;
    (decoded == doc.text[line_start..o]).then_some(h)
}
