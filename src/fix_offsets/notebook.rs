//! Fixes in Jupyter notebooks: a code cell's fix edits (already mapped onto the `.ipynb`
//! file, inside one source string each) are re-encoded as JSON string content, so that the
//! notebook stays valid JSON and keeps its layout, ruff-style: a newline the fix inserts
//! ends the current source line (`…\n",`) and starts a new array element on a line of its
//! own with the same indentation.

use crate::diagnostic::{Edit, Finding};

/// Rewrites the fix edits of a notebook's findings for the file; a fix with an edit that does
/// not sit inside one source string, or that spans an escape, is dropped.
pub fn encode_fixes(findings: &mut [Finding], bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        for f in findings.iter_mut() {
            f.fix = None;
        }
        return;
    };
    let strings = crate::lang::embedded::notebook_source_strings(text);
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    for f in findings.iter_mut() {
        let Some(fix) = f.fix.as_mut() else { continue };
        let mut ok = true;
        for e in fix.edits.iter_mut().filter(|e| e.path.is_none()) {
            match encode(text, &strings, e, nl) {
                Some(content) => e.content = content,
                None => ok = false,
            }
        }
        if !ok {
            f.fix = None;
        }
    }
}

/// The JSON-encoded content of edit `e`, or `None` when the edit is not inside one source
/// string or its range holds an escape.
fn encode(
    text: &str,
    strings: &[(std::ops::Range<usize>, bool)],
    e: &Edit,
    nl: &str,
) -> Option<String> {
    let (range, in_array) = strings
        .iter()
        .find(|(r, _)| r.start < e.start && e.end < r.end)?;
    if text.get(e.start..e.end)?.contains('\\') {
        return None;
    }
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..range.start];
    let indent = if indent.trim().is_empty() { indent } else { "" };
    let mut out = String::with_capacity(e.content.len() + 8);
    for c in e.content.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => {}
            '\n' if *in_array => {
                out.push_str("\\n\",");
                out.push_str(nl);
                out.push_str(indent);
                out.push('"');
            }
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_become_array_elements() {
        let nb = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"x = f(a)\\n\",\n    \"y = \\\"q\\\"\\n\"\n   ]\n  }\n ]\n}\n";
        let strings = crate::lang::embedded::notebook_source_strings(nb);
        assert_eq!(strings.len(), 2);
        let at = nb.find("(a)").unwrap() + 2;
        let e = Edit::insert(at, ",\n  b=\"k\"");
        let content = encode(nb, &strings, &e, "\n").unwrap();
        let out = crate::fix::apply_edits(nb.as_bytes(), &[Edit::insert(at, content)]);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("    \"x = f(a,\\n\",\n    \"  b=\\\"k\\\")\\n\",\n"),
            "{out}"
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
        // An edit over an escape is not encoded.
        let q = nb.find("\\\"q").unwrap();
        assert!(encode(nb, &strings, &Edit::replace(q..q + 4, "z"), "\n").is_none());
    }
}
