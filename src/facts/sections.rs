//! Where a model named in a structured config belongs: the block around it (a YAML mapping
//! or list item, a TOML/INI table, a JSON object, a group of `.env` keys with one prefix), and
//! the evidence inside that block (its URLs, whether its keys or values name DeepSeek).
//!
//! A config that lists several providers (`openai:`, `deepseek:`, `ollama:`) sends each model to
//! its own block's endpoint: the OpenAI URL of one block says nothing about the model of the
//! next. Without a block (a flat file) the document as a whole decides.

use std::ops::Range;

use super::names::names_deepseek_api;
use super::{ModelScope, ModelSite, Value};
use crate::source::FileKind;

/// The scope of each model site of a text document of `kind` that sits in a block smaller
/// than the document; `urls` are the document's URL facts.
pub fn model_scopes(
    text: &str,
    kind: FileKind,
    models: &[ModelSite],
    urls: &[Value],
) -> Vec<ModelScope> {
    if models.is_empty()
        || !matches!(
            kind,
            FileKind::Yaml | FileKind::Toml | FileKind::Ini | FileKind::Json | FileKind::Env
        )
    {
        return Vec::new();
    }
    let mut model_spans: Vec<Range<usize>> = models.iter().map(|m| m.value.span.clone()).collect();
    model_spans.sort_unstable_by_key(|r| r.start);
    let mut url_order: Vec<&Value> = urls.iter().collect();
    url_order.sort_unstable_by_key(|u| u.span.start);
    // Computed once per document: a model site's block is then found without rescanning.
    let lines = lines_with_offsets(text);
    let objects = if kind == FileKind::Json {
        json_objects(text)
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for m in models {
        let at = m.value.span.start;
        let blocks = match kind {
            FileKind::Yaml => yaml_block(text, &lines, at).map(|b| vec![b]),
            FileKind::Toml | FileKind::Ini => table_block(text, &lines, at).map(|b| vec![b]),
            FileKind::Json => json_block(text, &objects, at).map(|b| vec![b]),
            FileKind::Env => env_group(&lines, at),
            _ => None,
        };
        let Some(blocks) = blocks else { continue };
        if blocks.iter().any(|b| b.start == 0 && b.end >= text.len()) {
            continue;
        }
        let scoped_urls: Vec<Value> = blocks
            .iter()
            .flat_map(|b| {
                starting_in(&url_order, b, |u| u.span.start)
                    .iter()
                    .filter(move |u| u.span.end <= b.end)
            })
            .map(|u| (*u).clone())
            .collect();
        let names_deepseek = blocks.iter().any(|b| {
            let models_here = starting_in(&model_spans, b, |r| r.start);
            names_deepseek_outside(text, b.clone(), models_here, &scoped_urls)
        });
        out.push(ModelScope {
            model: m.value.span.clone(),
            urls: scoped_urls,
            names_deepseek,
        });
    }
    out
}

/// The items of `sorted` (sorted by `start`) that start inside `b`.
fn starting_in<'a, T>(sorted: &'a [T], b: &Range<usize>, start: impl Fn(&T) -> usize) -> &'a [T] {
    let from = sorted.partition_point(|x| start(x) < b.start);
    let to = sorted.partition_point(|x| start(x) < b.end);
    &sorted[from..to.max(from)]
}

/// True when a word of `text[block]` outside model values and URLs names DeepSeek (a
/// `deepseek:` key, `provider: deepseek`, a `[llm.deepseek]` header, `DEEPSEEK_MODEL`).
fn names_deepseek_outside(
    text: &str,
    block: Range<usize>,
    models: &[Range<usize>],
    urls: &[Value],
) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut i = block.start;
    while i < block.end {
        if !is_word(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < block.end && is_word(bytes[i]) {
            i += 1;
        }
        let skip = |r: &Range<usize>| r.start <= start && start < r.end;
        if models.iter().any(skip) || urls.iter().any(|u| skip(&u.span)) {
            continue;
        }
        if text.get(start..i).is_some_and(names_deepseek_api) {
            return true;
        }
    }
    false
}

/// The lines of `text` with their start offsets.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line.trim_end_matches(['\n', '\r'])));
        start += line.len();
    }
    out
}

/// The index of the line holding byte `at`.
fn line_of(lines: &[(usize, &str)], at: usize) -> usize {
    lines.partition_point(|(s, _)| *s <= at).saturating_sub(1)
}

/// A YAML line's shape: `None` for a blank or comment line, else the column of its list
/// dash (if it starts a list item) and the column of its key.
fn yaml_shape(line: &str) -> Option<(Option<usize>, usize)> {
    let body = line.trim_start_matches(' ');
    if body.is_empty() || body.starts_with('#') {
        return None;
    }
    let indent = line.len() - body.len();
    match body
        .strip_prefix("- ")
        .or_else(|| (body == "-").then_some(""))
    {
        Some(rest) => {
            let inner = rest.len() - rest.trim_start_matches(' ').len();
            Some((Some(indent), indent + 2 + inner))
        }
        None => Some((None, indent)),
    }
}

/// The YAML block of the key at `at`: its sibling keys, from the parent key (or list item)
/// that opens it to the line before the next key that is less indented.
fn yaml_block(text: &str, lines: &[(usize, &str)], at: usize) -> Option<Range<usize>> {
    let l = line_of(lines, at);
    let (dash, key) = yaml_shape(lines.get(l)?.1)?;
    let mut start = None;
    if dash.is_some() {
        start = Some(lines[l].0);
    } else {
        for i in (0..l).rev() {
            let Some((d, k)) = yaml_shape(lines[i].1) else {
                continue;
            };
            if k < key || d.is_some_and(|d| d < key) {
                start = Some(lines[i].0);
                break;
            }
        }
    }
    let start = start?;
    let mut end = text.len();
    for (s, line) in lines.iter().skip(l + 1) {
        let Some((d, k)) = yaml_shape(line) else {
            continue;
        };
        if k < key || d.is_some_and(|d| d < key) {
            end = *s;
            break;
        }
    }
    Some(start..end)
}

/// The TOML/INI table holding `at`: from its `[header]` to the next header, or the line
/// itself for an inline table (`deepseek = { model = "…", base_url = "…" }`).
fn table_block(text: &str, lines: &[(usize, &str)], at: usize) -> Option<Range<usize>> {
    let l = line_of(lines, at);
    let (s, line) = *lines.get(l)?;
    if line[..(at - s).min(line.len())].contains('{') {
        return Some(s..s + line.len());
    }
    let is_header = |line: &str| line.trim_start().starts_with('[');
    let start = (0..l).rev().find(|&i| is_header(lines[i].1))?;
    let end = lines
        .iter()
        .skip(l + 1)
        .find(|(_, line)| is_header(line))
        .map_or(text.len(), |(s, _)| *s);
    Some(lines[start].0..end)
}

/// Every JSON object of `text` (outside strings) as `(open, close)` byte offsets, sorted by
/// `open`, and the nesting depth of each (0 for the top level).
fn json_objects(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' => stack.push(i),
                b'}' => {
                    if let Some(open) = stack.pop() {
                        out.push((open, i, stack.len()));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    out.sort_unstable();
    out
}

/// The JSON object holding `at`, with the key that names it (`"deepseek": { … }`); `None` for
/// the top-level object. `objects` is [`json_objects`] of `text`.
fn json_block(text: &str, objects: &[(usize, usize, usize)], at: usize) -> Option<Range<usize>> {
    // The innermost object holding `at` is the last one opened before it that closes after.
    let before = objects.partition_point(|(open, ..)| *open < at);
    let &(open, close, depth) = objects[..before]
        .iter()
        .rev()
        .find(|(_, close, _)| *close > at)?;
    (depth > 0).then(|| json_key_start(text, open)..close + 1)
}

/// Where the key naming the object at `open` starts (`"deepseek": {`), or `open` itself.
fn json_key_start(text: &str, open: usize) -> usize {
    let before = text[..open].trim_end();
    let Some(before) = before.strip_suffix(':') else {
        return open;
    };
    let before = before.trim_end();
    let Some(inner) = before.strip_suffix('"') else {
        return open;
    };
    inner.rfind('"').unwrap_or(open)
}

/// The lines of a `.env` file whose names share the model line's prefix (`DEEPSEEK_MODEL` →
/// every `DEEPSEEK_*` line).
fn env_group(lines: &[(usize, &str)], at: usize) -> Option<Vec<Range<usize>>> {
    let name = |line: &str| -> Option<String> {
        let l = line.trim_start();
        let l = l.strip_prefix("export ").unwrap_or(l);
        let (n, _) = l.split_once('=')?;
        Some(n.trim().to_ascii_uppercase())
    };
    let (_, model_line) = lines.get(line_of(lines, at))?;
    let own = name(model_line)?;
    let prefix = format!("{}_", own.split_once('_')?.0);
    Some(
        lines
            .iter()
            .filter(|(_, line)| name(line).is_some_and(|n| n.starts_with(&prefix)))
            .map(|(s, line)| *s..s + line.len())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: FileKind, text: &str, needle: &str) -> Option<String> {
        let at = text.find(needle).expect("needle");
        let lines = lines_with_offsets(text);
        let b = match kind {
            FileKind::Yaml => yaml_block(text, &lines, at),
            FileKind::Toml => table_block(text, &lines, at),
            FileKind::Json => json_block(text, &json_objects(text), at),
            _ => None,
        };
        b.map(|r| text[r].to_string())
    }

    #[test]
    fn yaml_blocks_are_sibling_keys_under_their_parent() {
        let y = "providers:\n  openai:\n    model: gpt-4o\n  deepseek:\n    base_url: https://api.deepseek.com\n    model: deepseek-chat\n  ollama:\n    model: llama3\n";
        assert_eq!(
            block(FileKind::Yaml, y, "deepseek-chat").as_deref(),
            Some("  deepseek:\n    base_url: https://api.deepseek.com\n    model: deepseek-chat\n")
        );
        let list =
            "models:\n  - name: a\n    model: gpt-4o\n  - name: b\n    model: deepseek-chat\n";
        assert_eq!(
            block(FileKind::Yaml, list, "deepseek-chat").as_deref(),
            Some("  - name: b\n    model: deepseek-chat\n")
        );
        assert_eq!(
            block(FileKind::Yaml, "model: deepseek-chat\n", "deepseek-chat").as_deref(),
            None
        );
    }

    #[test]
    fn toml_and_json_blocks() {
        let t = "[ollama]\nbase_url = \"http://localhost:11434\"\n\n[ai.deepseek]\nmodel = \"deepseek-chat\"\n";
        assert_eq!(
            block(FileKind::Toml, t, "deepseek-chat").as_deref(),
            Some("[ai.deepseek]\nmodel = \"deepseek-chat\"\n")
        );
        let j = r#"{"openai": {"model": "gpt-4o"}, "deepseek": {"baseURL": "https://api.deepseek.com", "model": "deepseek-chat"}}"#;
        assert_eq!(
            block(FileKind::Json, j, "deepseek-chat").as_deref(),
            Some(
                r#""deepseek": {"baseURL": "https://api.deepseek.com", "model": "deepseek-chat"}"#
            )
        );
        assert_eq!(
            block(
                FileKind::Json,
                r#"{"model": "deepseek-chat"}"#,
                "deepseek-chat"
            ),
            None
        );
    }

    #[test]
    fn env_groups_share_a_prefix() {
        let e = "OPENAI_BASE_URL=https://api.openai.com/v1\nDEEPSEEK_MODEL=deepseek-chat\nDEEPSEEK_API_KEY=\n";
        let at = e.find("deepseek-chat").expect("model");
        let g = env_group(&lines_with_offsets(e), at).expect("group");
        let texts: Vec<&str> = g.iter().map(|r| &e[r.clone()]).collect();
        assert_eq!(texts, ["DEEPSEEK_MODEL=deepseek-chat", "DEEPSEEK_API_KEY="]);
    }
}
