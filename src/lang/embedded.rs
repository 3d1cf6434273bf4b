//! Documents embedded in other files: Markdown fenced code blocks and notebook code cells.
//!
//! Each embedded document keeps a [`LineMap`] so that a finding in it points at the line a
//! person sees when opening the host file.

use crate::source::{Document, FileKind, LineMap};

/// Splits a Markdown text into one document per fenced code block whose info string names a
/// language dslint knows (` ```python `, ` ~~~bash `…). Untagged blocks are skipped.
pub fn markdown_blocks(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut lines = text.split_inclusive('\n').enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let Some((indent, fence, tag)) = open_fence(line) else {
            continue;
        };
        let kind = FileKind::from_fence_tag(tag);
        let mut body = String::new();
        let mut map = Vec::new();
        for (j, inner) in lines.by_ref() {
            if is_close_fence(inner, fence) {
                break;
            }
            let strip = leading_spaces(inner).min(indent);
            body.push_str(&inner[strip..]);
            map.push(((j + 1) as u32, strip as u32, strip as u32));
        }
        if let Some(kind) = kind {
            docs.push(Document {
                text: body,
                kind,
                map: LineMap::Lines(map),
                label: Some(format!("code block at line {}", i + 1)),
            });
        }
    }
    docs
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Recognises an opening fence: returns its indent, the fence text and the info string.
fn open_fence(line: &str) -> Option<(usize, &str, &str)> {
    let indent = leading_spaces(line);
    let rest = &line[indent..];
    let ch = rest.chars().next()?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let n = rest.len() - rest.trim_start_matches(ch).len();
    if n < 3 {
        return None;
    }
    let info = rest[n..].trim();
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((indent, &rest[..n], info))
}

fn is_close_fence(line: &str, fence: &str) -> bool {
    let t = line.trim();
    let ch = fence.as_bytes()[0] as char;
    t.len() >= fence.len() && t.chars().all(|c| c == ch)
}

/// Splits a notebook into one Python document per code cell, each line mapped to the line of
/// its JSON string in the `.ipynb` file. Returns an error message for malformed JSON.
pub fn notebook_cells(text: &str) -> Result<Vec<Document>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a valid notebook: {e}"))?;
    let cells = value
        .get("cells")
        .and_then(|c| c.as_array())
        .ok_or_else(|| "not a valid notebook: no \"cells\" array".to_string())?;
    let sources = locate_sources(text);
    let aligned = sources.len() == cells.len();
    let line_index = crate::source::LineIndex::new(text);
    let mut docs = Vec::new();
    for (n, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(|t| t.as_str()) != Some("code") {
            continue;
        }
        let mut body = String::new();
        let mut map = Vec::new();
        if aligned {
            for (offset, content) in &sources[n] {
                let p = line_index.position(text, *offset + 1);
                for _ in content.split_inclusive('\n') {
                    map.push((p.line, p.column - 1, p.column_utf16 - 1));
                }
                body.push_str(content);
            }
        } else {
            let src = match cell.get("source") {
                Some(serde_json::Value::Array(a)) => {
                    a.iter().filter_map(|s| s.as_str()).collect::<String>()
                }
                Some(serde_json::Value::String(s)) => s.clone(),
                _ => String::new(),
            };
            body = src;
        }
        docs.push(Document {
            text: body,
            kind: FileKind::Python,
            map: if aligned {
                LineMap::Lines(map)
            } else {
                LineMap::Identity
            },
            label: Some(format!("cell {}", n + 1)),
        });
    }
    Ok(docs)
}

/// For each `"source"` member in the file, the byte offset of each JSON string in it and the
/// decoded string.
fn locate_sources(text: &str) -> Vec<Vec<(usize, String)>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("\"source\"") {
        let mut i = from + rel + "\"source\"".len();
        from = i;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut strings = Vec::new();
        match bytes.get(i) {
            Some(b'"') => {
                if let Some((s, end)) = json_string_at(text, i) {
                    strings.push((i, s));
                    from = end;
                }
            }
            Some(b'[') => {
                i += 1;
                loop {
                    while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                        i += 1;
                    }
                    if bytes.get(i) != Some(&b'"') {
                        break;
                    }
                    match json_string_at(text, i) {
                        Some((s, end)) => {
                            strings.push((i, s));
                            i = end;
                        }
                        None => break,
                    }
                }
                from = i;
            }
            _ => {}
        }
        out.push(strings);
    }
    out
}

/// Decodes the JSON string starting at byte `start` (a `"`); returns it and the end offset.
fn json_string_at(text: &str, start: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                let s: String = serde_json::from_str(&text[start..=i]).ok()?;
                return Some((s, i + 1));
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_blocks_map_lines() {
        let md =
            "# T\n\n```python\nx = 1\ny = 2\n```\n\n```\nplain\n```\n  ```bash\n  curl x\n  ```\n";
        let docs = markdown_blocks(md);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].kind, FileKind::Python);
        assert_eq!(docs[0].text, "x = 1\ny = 2\n");
        match &docs[0].map {
            LineMap::Lines(l) => assert_eq!(l[0].0, 4),
            _ => panic!("expected a line map"),
        }
        assert_eq!(docs[1].kind, FileKind::Shell);
        assert_eq!(docs[1].text, "curl x\n");
    }

    #[test]
    fn notebook_cells_map_lines() {
        let nb = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"import os\\n\",\n    \"x = 1\"\n   ]\n  }\n ]\n}\n";
        let docs = notebook_cells(nb).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "import os\nx = 1");
        match &docs[0].map {
            LineMap::Lines(l) => assert_eq!((l[0].0, l[1].0), (6, 7)),
            _ => panic!("expected a line map"),
        }
        assert!(notebook_cells("{not json").is_err());
    }
}
