//! DS403's `thinking` parameter in a JSON request body written as text: a JSON document (a
//! request body file, a ```json block in Markdown) or the single-quoted `-d '{…}'` body of a
//! `curl` command (a shell script, a ```bash block). The member goes at the end of the
//! object that holds `"model"` and `"messages"`, in the object's layout.

use std::ops::Range;

use super::fixes::insert_item;
use crate::diagnostic::Edit;
use crate::facts::text::curl_word_spans;
use crate::source::FileKind;

/// An edit adding `"thinking": {"type": "<mode>"}` to the JSON object whose `"model"` value
/// is the string at `span` (quotes included). `None` when the value is not a plain JSON
/// string in such a body, the object has no `messages` or already has `thinking`, or the
/// body was valid JSON and would not be after the edit.
pub fn json_body_param(kind: FileKind, text: &str, span: Range<usize>, mode: &str) -> Option<Edit> {
    let region = match kind {
        FileKind::Json => 0..text.len(),
        FileKind::Shell | FileKind::Dockerfile => single_quoted_body(text, &span)?,
        _ => return None,
    };
    let value = text.get(span.clone())?;
    if value.len() < 2 || !value.starts_with('"') || !value.ends_with('"') {
        return None;
    }
    let before = text.get(region.start..span.start)?.trim_end();
    let key = before.strip_suffix(':')?.trim_end();
    if !key.ends_with("\"model\"") {
        return None;
    }
    let obj = enclosing_object(text, region, span.start)?;
    if !obj.keys.iter().any(|k| k == "messages") || obj.keys.iter().any(|k| k == "thinking") {
        return None;
    }
    let item = format!("\"thinking\": {{\"type\": \"{mode}\"}}");
    let edit = insert_item(text, obj.last_end, &item)?;
    let body = text.get(obj.open..obj.close + 1)?;
    if serde_json::from_str::<serde_json::Value>(body).is_ok() {
        let mut fixed = text.to_string();
        fixed.replace_range(edit.start..edit.end, &edit.content);
        let grown = edit.content.len() - (edit.end - edit.start);
        let fixed_body = fixed.get(obj.open..obj.close + 1 + grown)?;
        serde_json::from_str::<serde_json::Value>(fixed_body).ok()?;
    }
    Some(edit)
}

/// The inside of the single-quoted part of a `curl` word that holds `span` (no escapes or
/// expansions happen there, so JSON written in it is sent as written).
fn single_quoted_body(text: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let word = curl_word_spans(text)
        .into_iter()
        .find(|w| w.start <= span.start && span.end <= w.end)?;
    let raw = text.get(word.start..span.start)?;
    // Inside single quotes: an odd number of `'` before the value (no double-quoted part).
    if raw.contains('"') && !raw.contains('\'') {
        return None;
    }
    if raw.matches('\'').count() % 2 != 1 {
        return None;
    }
    let open = word.start + raw.rfind('\'')? + 1;
    let close = span.end + text.get(span.end..word.end)?.find('\'')?;
    Some(open..close)
}

/// A JSON object found around a value.
struct Object {
    /// Offsets of its `{` and `}`.
    open: usize,
    close: usize,
    /// Its own member keys.
    keys: Vec<String>,
    /// The end of its last member (before any trailing comma).
    last_end: usize,
}

/// The end of the JSON string starting at `i` (a `"`), after its closing quote.
fn string_end(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The innermost object of `region` that directly holds the value starting at `at`.
fn enclosing_object(text: &str, region: Range<usize>, at: usize) -> Option<Object> {
    let b = text.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut i = region.start;
    let mut open = None;
    while i < region.end {
        match b[i] {
            b'"' if i == at => {
                open = stack.last().filter(|(c, _)| *c == b'{').map(|(_, o)| *o);
                break;
            }
            b'"' => {
                i = string_end(b, i);
                continue;
            }
            c @ (b'{' | b'[') => stack.push((c, i)),
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let open = open?;
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut i = open;
    while i < region.end {
        match b[i] {
            b'"' => {
                let end = string_end(b, i);
                if depth == 1 && text.get(end..)?.trim_start().starts_with(':') {
                    keys.push(text.get(i + 1..end.saturating_sub(1))?.to_string());
                }
                i = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    let inner = text.get(open + 1..i)?.trim_end();
                    let inner = inner.strip_suffix(',').unwrap_or(inner).trim_end();
                    return Some(Object {
                        open,
                        close: i,
                        keys,
                        last_end: open + 1 + inner.len(),
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(kind: FileKind, text: &str, mode: &str) -> Option<String> {
        let start = text.find("\"deepseek")?;
        let end = start + 1 + text[start + 1..].find('"')? + 1;
        let e = json_body_param(kind, text, start..end, mode)?;
        let mut out = text.to_string();
        out.replace_range(e.start..e.end, &e.content);
        Some(out)
    }

    #[test]
    fn one_line_and_multi_line_bodies() {
        let one = r#"{"model": "deepseek-chat", "messages": [{"role": "user", "content": "hi"}]}"#;
        assert_eq!(
            fixed(FileKind::Json, one, "disabled").unwrap(),
            r#"{"model": "deepseek-chat", "messages": [{"role": "user", "content": "hi"}], "thinking": {"type": "disabled"}}"#
        );
        let multi = "{\n  \"model\": \"deepseek-reasoner\",\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"{x}\"}\n  ],\n  \"stream\": false\n}\n";
        assert_eq!(
            fixed(FileKind::Json, multi, "enabled").unwrap(),
            "{\n  \"model\": \"deepseek-reasoner\",\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"{x}\"}\n  ],\n  \"stream\": false,\n  \"thinking\": {\"type\": \"enabled\"}\n}\n"
        );
    }

    #[test]
    fn skips_without_messages_with_thinking_or_nested_model() {
        let no_messages = r#"{"model": "deepseek-chat", "temperature": 0}"#;
        assert_eq!(fixed(FileKind::Json, no_messages, "disabled"), None);
        let has = r#"{"model": "deepseek-chat", "messages": [], "thinking": {"type": "enabled"}}"#;
        assert_eq!(fixed(FileKind::Json, has, "disabled"), None);
        let nested = r#"{"messages": [], "meta": {"model": "deepseek-chat"}}"#;
        assert_eq!(fixed(FileKind::Json, nested, "disabled"), None);
        let other_key = r#"{"default_model": "deepseek-chat", "messages": []}"#;
        assert_eq!(fixed(FileKind::Json, other_key, "disabled"), None);
    }

    #[test]
    fn curl_bodies_in_single_quotes_only() {
        let sh = "curl https://api.deepseek.com/chat/completions \\\n  -d '{\"model\": \"deepseek-chat\", \"messages\": []}'\n";
        assert_eq!(
            fixed(FileKind::Shell, sh, "disabled").unwrap(),
            "curl https://api.deepseek.com/chat/completions \\\n  -d '{\"model\": \"deepseek-chat\", \"messages\": [], \"thinking\": {\"type\": \"disabled\"}}'\n"
        );
        let heredoc = "cat <<EOF\n{\"model\": \"deepseek-chat\", \"messages\": []}\nEOF\n";
        assert_eq!(fixed(FileKind::Shell, heredoc, "disabled"), None);
    }
}
