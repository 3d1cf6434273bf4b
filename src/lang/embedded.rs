//! Documents embedded in other files: Markdown fenced code blocks and notebook code cells.
//!
//! Each embedded document keeps a [`LineMap`] so that a finding in it points at the line a
//! person sees when opening the host file.

use crate::source::{split_lines_inclusive, Document, FileKind, LineMap};

/// Splits a Markdown text into one document per fenced code block whose info string names a
/// language dslint knows (` ```python `, ` ~~~bash `…). Untagged blocks are skipped.
pub fn markdown_blocks(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut lines = split_lines_inclusive(text).enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let Some((indent, fence, tag)) = open_fence(line) else {
            continue;
        };
        let mut kind = FileKind::from_fence_tag(tag);
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
        if kind.is_none() && is_plain_tag(tag) && has_curl_command(&body) {
            kind = Some(FileKind::Shell);
        }
        if let Some(kind) = kind {
            docs.push(Document {
                text: body,
                kind,
                map: LineMap::Lines(map),
                label: Some(format!("code block at line {}", i + 1)),
                cells: Vec::new(),
            });
        }
    }
    docs
}

/// Info strings of blocks that hold no particular language (` ``` `, ` ```text `).
fn is_plain_tag(tag: &str) -> bool {
    let first = tag.split_whitespace().next().unwrap_or("");
    matches!(
        first.to_ascii_lowercase().as_str(),
        "" | "text" | "txt" | "plain" | "plaintext" | "http" | "terminal" | "cmd"
    )
}

/// True when a block runs `curl` (possibly after a `$ ` prompt): an untagged block of curl
/// commands is linted as shell.
fn has_curl_command(body: &str) -> bool {
    body.lines().any(|l| {
        let t = l.trim_start();
        let t = t
            .strip_prefix("$ ")
            .or_else(|| t.strip_prefix("> "))
            .unwrap_or(t);
        t.starts_with("curl ")
    })
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
    let language = notebook_language(&value);
    let Some(cell_kind) = language else {
        return Ok(Vec::new());
    };
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
                for _ in split_lines_inclusive(content) {
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
        let label = format!("cell {}", n + 1);
        let mut kind = cell_kind;
        let first = body.lines().next().unwrap_or("").trim();
        if ["%%bash", "%%sh", "%%script bash", "%%script sh"].contains(&first) {
            kind = FileKind::Shell;
        }
        let map = if aligned {
            LineMap::Lines(map)
        } else {
            LineMap::Identity
        };
        if kind == FileKind::Python {
            if let Some(shell) = shell_escapes(&mut body, &map, &label) {
                docs.push(shell);
            }
        }
        docs.push(Document {
            text: body,
            kind,
            map,
            label: Some(label),
            cells: Vec::new(),
        });
    }
    Ok(join_python_cells(docs))
}

/// Joins a notebook's Python code cells (in order) into one document, so that a client or a
/// constant defined in one cell is known where a later cell uses it; each line keeps its
/// place in the `.ipynb` file and each finding its cell label. Cells whose lines are not
/// mapped (a notebook whose sources could not be located) stay separate.
fn join_python_cells(docs: Vec<Document>) -> Vec<Document> {
    let joinable = |d: &Document| {
        d.kind == FileKind::Python
            && matches!(d.map, LineMap::Lines(_))
            && d.label.as_deref().is_some_and(|l| l.starts_with("cell"))
    };
    if docs.iter().filter(|d| joinable(d)).count() < 2 {
        return docs;
    }
    let mut out = Vec::new();
    let mut text = String::new();
    let mut lines: Vec<(u32, u32, u32)> = Vec::new();
    let mut cells: Vec<(u32, String)> = Vec::new();
    for d in docs {
        if !joinable(&d) {
            out.push(d);
            continue;
        }
        let LineMap::Lines(map) = d.map else {
            continue;
        };
        cells.push((lines.len() as u32 + 1, d.label.clone().unwrap_or_default()));
        let n = split_lines_inclusive(&d.text).count().max(1);
        let mut map = map;
        // One entry per line of the cell: its text (an empty cell still takes a line).
        let last = map.last().copied().unwrap_or((1, 0, 0));
        map.resize(n, last);
        lines.extend(map);
        text.push_str(&d.text);
        if !d.text.ends_with('\n') {
            text.push('\n');
        }
    }
    let label = cells.first().map(|(_, l)| l.clone());
    out.push(Document {
        text,
        kind: FileKind::Python,
        map: LineMap::Lines(lines),
        label,
        cells,
    });
    out
}

/// The kind of a notebook's code cells from its metadata (`kernelspec.language`,
/// `language_info.name`): Python when absent; `None` for languages dslint does not lint (R,
/// Julia…).
fn notebook_language(nb: &serde_json::Value) -> Option<FileKind> {
    let meta = nb.get("metadata");
    let lang = meta
        .and_then(|m| m.get("kernelspec"))
        .and_then(|k| k.get("language"))
        .or_else(|| {
            meta.and_then(|m| m.get("language_info"))
                .and_then(|l| l.get("name"))
        })
        .and_then(|l| l.as_str());
    match lang.map(str::to_ascii_lowercase).as_deref() {
        None | Some("python" | "python3" | "ipython" | "") => Some(FileKind::Python),
        Some("javascript") => Some(FileKind::JavaScript),
        Some("typescript") => Some(FileKind::TypeScript),
        Some("rust") => Some(FileKind::Rust),
        Some("bash" | "sh" | "shell") => Some(FileKind::Shell),
        Some(_) => None,
    }
}

/// IPython shell escapes (`!curl …`, `!!ls`) in a Python cell: each becomes a line of a
/// shell document (mapped to the same notebook line), and is turned into a comment in the
/// Python text (same length) so the cell still parses.
fn shell_escapes(body: &mut String, map: &LineMap, label: &str) -> Option<Document> {
    let mut shell = String::new();
    let mut shell_map = Vec::new();
    let mut edits = Vec::new();
    let mut offset = 0;
    for (i, line) in split_lines_inclusive(body).enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let rest = &line[indent..];
        if rest.starts_with('!') {
            let bangs = rest.len() - rest.trim_start_matches('!').len();
            let (host_line, shift, shift16) = match map {
                LineMap::Lines(l) => l.get(i).copied().unwrap_or((i as u32 + 1, 0, 0)),
                LineMap::Identity => (i as u32 + 1, 0, 0),
            };
            let skip = (indent + bangs) as u32;
            shell.push_str(&rest[bangs..]);
            if !rest.ends_with('\n') {
                shell.push('\n');
            }
            shell_map.push((host_line, shift + skip, shift16 + skip));
            edits.push(offset + indent);
        }
        offset += line.len();
    }
    if shell_map.is_empty() {
        return None;
    }
    for at in edits {
        body.replace_range(at..at + 1, "#");
    }
    Some(Document {
        text: shell,
        kind: FileKind::Shell,
        map: LineMap::Lines(shell_map),
        label: Some(label.to_string()),
        cells: Vec::new(),
    })
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

/// The source strings of a notebook's cells: per string, its byte range in the file (quotes
/// included) and whether it is an element of a `"source": [...]` array (one string per line).
pub fn notebook_source_strings(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    for cell in locate_sources(text) {
        for (open, _) in cell {
            let Some((_, end)) = json_string_at(text, open) else {
                continue;
            };
            let before = text[..open].trim_end();
            let in_array = before.ends_with('[') || before.ends_with(',');
            out.push((open..end, in_array));
        }
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

    fn lines_of(doc: &Document) -> Vec<u32> {
        match &doc.map {
            LineMap::Lines(l) => l.iter().map(|x| x.0).collect(),
            LineMap::Identity => Vec::new(),
        }
    }

    #[test]
    fn markdown_fences_tildes_crlf_attributes_and_indent() {
        let md = "Intro\r\n\r\n~~~python title=\"client.py\"\r\nx = 1\r\n~~~\r\n\r\n1. Step\r\n\r\n   ```js {2}\r\n   const a = 1;\r\n     const b = 2;\r\n   ```\r\n";
        let docs = markdown_blocks(md);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].kind, FileKind::Python);
        assert_eq!(docs[0].text, "x = 1\r\n");
        assert_eq!(lines_of(&docs[0]), [4]);
        assert_eq!(docs[1].kind, FileKind::JavaScript);
        assert_eq!(docs[1].text, "const a = 1;\r\n  const b = 2;\r\n");
        assert_eq!(lines_of(&docs[1]), [10, 11]);
        match &docs[1].map {
            LineMap::Lines(l) => assert_eq!(l[0].1, 3, "indent shift"),
            LineMap::Identity => panic!("expected a line map"),
        }
    }

    #[test]
    fn markdown_nested_fences_untagged_curl_and_unknown_tags() {
        let md = "````markdown\n```python\nnot = a block\n```\n````\n\n```\n$ curl https://api.deepseek.com -H \"Authorization: x\"\n```\n\n```mermaid\ngraph\n```\n\n```\nplain text\n```\n";
        let docs = markdown_blocks(md);
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0].kind, FileKind::Shell);
        assert_eq!(lines_of(&docs[0]), [8]);
    }

    #[test]
    fn unterminated_fence_runs_to_the_end() {
        let docs = markdown_blocks("```bash\ncurl x\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "curl x\n");
    }

    #[test]
    fn notebook_language_bash_cells_and_shell_escapes() {
        let nb = r#"{
 "metadata": {"kernelspec": {"language": "python"}},
 "cells": [
  {"cell_type": "code", "source": ["%%bash\n", "curl -H 'Authorization: x' u\n"]},
  {"cell_type": "code", "source": ["import os\n", "!curl https://api.deepseek.com\n", "x = 1\n"]}
 ]
}"#;
        let docs = notebook_cells(nb).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].kind, FileKind::Shell);
        let shell = docs
            .iter()
            .find(|d| d.kind == FileKind::Shell && d.text.starts_with("curl https"));
        let shell = shell.expect("a shell document for the ! line");
        assert_eq!(lines_of(shell), [5]);
        let py = docs
            .iter()
            .find(|d| d.kind == FileKind::Python)
            .expect("python cell");
        assert_eq!(
            py.text,
            "import os\n#curl https://api.deepseek.com\nx = 1\n"
        );
        assert_eq!(py.label.as_deref(), Some("cell 2"));

        let r = r#"{"metadata": {"kernelspec": {"language": "R"}}, "cells": [{"cell_type": "code", "source": "x <- 1"}]}"#;
        assert!(notebook_cells(r).unwrap().is_empty());
        let ts = r#"{"metadata": {"language_info": {"name": "typescript"}}, "cells": [{"cell_type": "code", "source": "const x = 1"}]}"#;
        assert_eq!(notebook_cells(ts).unwrap()[0].kind, FileKind::TypeScript);
    }
}
