//! Building blocks for fixes: small, language-aware edits that checks attach to their hits.
//!
//! Every function returns byte offsets in the document (the engine maps them to the host
//! file) and returns `None` rather than guess when the code does not have the expected shape.

mod base_url;
mod keys;

use std::ops::Range;

use tree_sitter::Node;

use super::Ctx;
use crate::diagnostic::Edit;
use crate::source::FileKind;

pub use base_url::{add_base_url, corrected_deepseek_url, official_base_url};
pub use keys::{ignore_in_gitignore, key_from_env, python_import, strip_read};

/// The string literal node whose content is exactly `range`: a plain `"…"` / `'…'` literal
/// (or a JavaScript template literal without substitutions), with no prefix (`b"…"`,
/// `f"…"`, `r"…"`), no escapes and not part of an implicit concatenation.
pub fn whole_string_literal<'t>(ctx: &Ctx<'t>, range: &Range<usize>) -> Option<Node<'t>> {
    let tree = ctx.tree()?;
    let text = ctx.text();
    let inner = tree
        .root_node()
        .descendant_for_byte_range(range.start, range.end)?;
    let mut node = inner;
    for _ in 0..3 {
        if matches!(node.kind(), "string" | "template_string" | "string_literal") {
            break;
        }
        node = node.parent()?;
    }
    if !matches!(node.kind(), "string" | "template_string" | "string_literal") {
        return None;
    }
    if node
        .parent()
        .is_some_and(|p| p.kind() == "concatenated_string")
    {
        return None;
    }
    let lit = node.byte_range();
    if lit.start + 1 != range.start || lit.end != range.end + 1 {
        return None;
    }
    let open = text.as_bytes()[lit.start];
    let close = text.as_bytes()[lit.end - 1];
    let quotes: &[u8] = if ctx.doc.kind.is_js_family() {
        b"\"'`"
    } else if ctx.doc.kind == FileKind::Python {
        b"\"'"
    } else {
        b"\""
    };
    (open == close && quotes.contains(&open)).then_some(node)
}

/// The line ending the document uses (`\r\n` when it has any, else `\n`).
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The quote a region of code uses for strings: the first `"` or `'` in `region`, else the
/// more frequent of the two in the whole text, else `"`.
pub fn quote_style(text: &str, region: Range<usize>) -> char {
    if let Some(c) = text
        .get(region)
        .and_then(|r| r.chars().find(|c| *c == '"' || *c == '\''))
    {
        return c;
    }
    let double = text.matches('"').count();
    let single = text.matches('\'').count();
    if single > double {
        '\''
    } else {
        '"'
    }
}

/// Inserts `item` into an argument list or object literal, given `at`: the end of its last
/// item, or the offset right after its opening `(`/`{` when it is empty. Follows the list's
/// layout: on its own line with the same indentation when the items are one per line (any
/// trailing comma stays after the new item), else `, item` on the same line.
pub fn insert_item(text: &str, at: usize, item: &str) -> Option<Edit> {
    let before = text.get(..at)?.trim_end_matches([' ', '\t', '\r', '\n']);
    if before.ends_with('(') || before.ends_with('[') {
        return Some(Edit::insert(at, item.to_string()));
    }
    if before.ends_with('{') {
        let after = text.get(at..)?.trim_start_matches([' ', '\t']);
        let pad = if after.starts_with('}') { " " } else { "" };
        return Some(Edit::insert(at, format!(" {item}{pad}")));
    }
    let rest = text.get(at..)?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', '\t']);
    let comment = rest.starts_with('#') || rest.starts_with("//");
    let multiline = rest.starts_with('\n') || rest.starts_with("\r\n") || comment;
    if multiline {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..at]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let nl = line_ending(text);
        if comment {
            // A comment trailing the last item stays on its line: the new item goes on the
            // next line (the comma, if missing, goes before the comment).
            let eol = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let eol = if text[..eol].ends_with('\r') {
                eol - 1
            } else {
                eol
            };
            let tail = &text[at..eol];
            let had_comma = tail.trim_start().starts_with(',');
            let new = if had_comma {
                format!("{tail}{nl}{indent}{item},")
            } else {
                format!(",{tail}{nl}{indent}{item}")
            };
            return Some(Edit::replace(at..eol, new));
        }
        Some(Edit::insert(at, format!(",{nl}{indent}{item}")))
    } else {
        Some(Edit::insert(at, format!(", {item}")))
    }
}

/// The content of a string literal at `span` (quotes stripped), with its range; a bare value
/// (YAML, `.env`) is its own content.
pub fn literal_content(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let s = text.get(span.clone())?;
    let b = s.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'"' | b'\'' | b'`') && b[b.len() - 1] == b[0] {
        return Some(span.start + 1..span.end - 1);
    }
    (!s.is_empty() && !s.contains(['"', '\'', '`', '\n'])).then_some(span)
}

pub use super::thinking::thinking_param;

/// Widens a deletion inside a string literal that would leave the literal empty and joined
/// by `+` to the next operand (`"Bearer " + key` → `key`, not `"" + key`).
pub fn widen_empty_concat(text: &str, del: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    let (Some(&open), Some(&close)) = (
        del.start.checked_sub(1).and_then(|i| b.get(i)),
        b.get(del.end),
    ) else {
        return del;
    };
    if open != close || !matches!(open, b'"' | b'\'' | b'`') {
        return del;
    }
    let rest = &text[del.end + 1..];
    let after_ws = rest.trim_start_matches([' ', '\t']);
    let Some(after_plus) = after_ws.strip_prefix('+') else {
        return del;
    };
    let operand = after_plus.trim_start_matches([' ', '\t']);
    let end = text.len() - operand.len();
    del.start - 1..end
}

#[cfg(test)]
mod tests {
    use std::cell::OnceCell;

    use super::*;
    use crate::diagnostic::Fix;
    use crate::facts::{Client, Family};
    use crate::settings::Settings;
    use crate::source::Document;

    fn with_ctx<R>(kind: FileKind, text: &str, f: impl FnOnce(&Ctx<'_>) -> R) -> R {
        let doc = Document::whole(text.to_string(), kind);
        let tree = OnceCell::new();
        let facts = OnceCell::new();
        let settings = Settings::default();
        let ctx = Ctx::new(&doc, "t", &tree, &settings, &facts);
        f(&ctx)
    }

    fn apply(text: &str, fix: &Fix) -> String {
        String::from_utf8(crate::fix::apply_edits(text.as_bytes(), &fix.edits)).unwrap()
    }

    fn client(text: &str, sdk: &str, call: &str, insert_after: Option<&str>) -> Client {
        let start = text.find(call).unwrap();
        Client {
            binding: None,
            sdk: sdk.into(),
            family: Family::OpenAiCompatible,
            span: start..start + call.len(),
            callee_span: start..start + call.find('(').unwrap_or(call.len()),
            base_url: None,
            api_key: None,
            model: None,
            misspelled_base_url: Vec::new(),
            dangerously_allow_browser: None,
            insert_at: insert_after.map(|s| text.find(s).unwrap() + s.len()),
        }
    }

    fn base_url(kind: FileKind, text: &str, sdk: &str, call: &str, after: Option<&str>) -> String {
        with_ctx(kind, text, |ctx| {
            let c = client(text, sdk, call, after);
            let fix = add_base_url(ctx, &c).expect("a fix");
            assert!(fix.safe);
            apply(text, &fix)
        })
    }

    #[test]
    fn base_url_follows_layout_and_quotes() {
        let py = "c = OpenAI(api_key=k)\n";
        assert_eq!(
            base_url(
                FileKind::Python,
                py,
                "openai-python",
                "OpenAI(api_key=k)",
                Some("=k")
            ),
            "c = OpenAI(api_key=k, base_url=\"https://api.deepseek.com\")\n"
        );
        let py = "c = OpenAI(\n    api_key='k',\n)\n";
        assert_eq!(
            base_url(
                FileKind::Python,
                py,
                "openai-python",
                "OpenAI(\n    api_key='k',\n)",
                Some("'k'")
            ),
            "c = OpenAI(\n    api_key='k',\n    base_url='https://api.deepseek.com',\n)\n"
        );
        let py = "c = OpenAI()\n";
        assert_eq!(
            base_url(
                FileKind::Python,
                py,
                "openai-python",
                "OpenAI()",
                Some("OpenAI(")
            ),
            "c = OpenAI(base_url=\"https://api.deepseek.com\")\n"
        );
        let py = "llm = OpenAI(model=m)\n";
        assert_eq!(
            base_url(
                FileKind::Python,
                py,
                "llama-index-openai",
                "OpenAI(model=m)",
                Some("=m")
            ),
            "llm = OpenAI(model=m, api_base=\"https://api.deepseek.com\")\n"
        );
        let js = "const c = new OpenAI({ apiKey: k });\n";
        assert_eq!(
            base_url(
                FileKind::JavaScript,
                js,
                "openai-node",
                "new OpenAI({ apiKey: k })",
                Some("apiKey: k")
            ),
            "const c = new OpenAI({ apiKey: k, baseURL: \"https://api.deepseek.com\" });\n"
        );
        let js = "const c = new OpenAI({\n  apiKey: k,\n});\n";
        assert_eq!(
            base_url(
                FileKind::TypeScript,
                js,
                "openai-node",
                "new OpenAI({\n  apiKey: k,\n})",
                Some("apiKey: k")
            ),
            "const c = new OpenAI({\n  apiKey: k,\n  baseURL: \"https://api.deepseek.com\",\n});\n"
        );
        let js = "const c = new OpenAI();\n";
        assert_eq!(
            base_url(
                FileKind::JavaScript,
                js,
                "openai-node",
                "new OpenAI()",
                None
            ),
            "const c = new OpenAI({ baseURL: \"https://api.deepseek.com\" });\n"
        );
        let js = "const m = new ChatOpenAI({ model: 'x' });\n";
        assert_eq!(
            base_url(FileKind::JavaScript, js, "langchain-js-openai", "new ChatOpenAI({ model: 'x' })", Some("'x'")),
            "const m = new ChatOpenAI({ model: 'x', configuration: { baseURL: 'https://api.deepseek.com' } });\n"
        );
        let rs = "let c = OpenAIConfig::new().with_api_key(k);\n";
        assert_eq!(
            base_url(FileKind::Rust, rs, "async-openai", "OpenAIConfig::new()", Some("new()")),
            "let c = OpenAIConfig::new().with_api_base(\"https://api.deepseek.com\").with_api_key(k);\n"
        );
    }

    #[test]
    fn trailing_comments_stay_with_their_item() {
        let py = "c = OpenAI(\n    api_key=k,  # the key\n)\n";
        let at = py.find("=k").unwrap() + 2;
        let e = insert_item(py, at, "base_url=u").unwrap();
        assert_eq!(
            String::from_utf8(crate::fix::apply_edits(py.as_bytes(), &[e])).unwrap(),
            "c = OpenAI(\n    api_key=k,  # the key\n    base_url=u,\n)\n"
        );
        let js = "f({\r\n  model: m // the model\r\n})\r\n";
        let at = js.find(": m").unwrap() + 3;
        let e = insert_item(js, at, "x: 1").unwrap();
        assert_eq!(
            String::from_utf8(crate::fix::apply_edits(js.as_bytes(), &[e])).unwrap(),
            "f({\r\n  model: m, // the model\r\n  x: 1\r\n})\r\n"
        );
    }

    #[test]
    fn corrects_deepseek_urls() {
        let s = Settings::default();
        let c = |u: &str| corrected_deepseek_url(&s.catalogue, u, true);
        assert_eq!(
            c("https://api.deepseek.ai/v1").as_deref(),
            Some("https://api.deepseek.com/v1")
        );
        assert_eq!(
            c("https://deepseek.com").as_deref(),
            Some("https://api.deepseek.com")
        );
        assert_eq!(
            c("http://api.deepseek.com").as_deref(),
            Some("https://api.deepseek.com")
        );
        assert_eq!(
            c("https://api.deepseek.com/v1/chat/completions").as_deref(),
            Some("https://api.deepseek.com/v1")
        );
        assert_eq!(
            c("https://api.deepseek.com/v1/v1").as_deref(),
            Some("https://api.deepseek.com/v1")
        );
        assert_eq!(c("https://api.deepseek.com"), None);
        assert_eq!(c("https://api.openai.com/v1"), None);
        assert_eq!(c("https://api.deepseek.com/anthropic"), None);
        // A path that maps to no known endpoint gets no fix (not the bare host).
        assert_eq!(c("https://api.deepseek.com/v2"), None);
        assert_eq!(c("https://api.deepseek.com/chat/completion"), None);
        // Posted to as it is: the endpoint path stays.
        let e = |u: &str| corrected_deepseek_url(&s.catalogue, u, false);
        assert_eq!(
            e("https://api.deepseek.ai/v1/chat/completions").as_deref(),
            Some("https://api.deepseek.com/v1/chat/completions")
        );
        assert_eq!(
            e("http://api.deepseek.com/chat/completions").as_deref(),
            Some("https://api.deepseek.com/chat/completions")
        );
        assert_eq!(e("https://api.deepseek.com/chat/completion"), None);
    }

    #[test]
    fn python_import_goes_after_the_header() {
        let cases = [
            ("x = 1\n", "import os\nx = 1\n"),
            ("# c\n# d\n\nx = 1\n", "# c\n# d\nimport os\n\nx = 1\n"),
            (
                "\"\"\"Doc.\"\"\"\nx = 1\n",
                "\"\"\"Doc.\"\"\"\nimport os\nx = 1\n",
            ),
            ("import os.path\nx = 1\n", "import os.path\nx = 1\n"),
            ("import json", "import os\nimport json"),
            ("\"\"\"Doc.\"\"\"", "\"\"\"Doc.\"\"\"\nimport os\n"),
        ];
        for (src, want) in cases {
            let got = with_ctx(FileKind::Python, src, |ctx| {
                match python_import(ctx, "os").unwrap() {
                    Some(e) => {
                        String::from_utf8(crate::fix::apply_edits(src.as_bytes(), &[e])).unwrap()
                    }
                    None => src.to_string(),
                }
            });
            assert_eq!(got, want, "{src:?}");
        }
    }

    #[test]
    fn empty_concat_is_removed() {
        let t = "k = \"Bearer \" + key";
        let at = t.find("Bearer").unwrap();
        let r = widen_empty_concat(t, at..at + 7);
        assert_eq!(&t[..r.start], "k = ");
        assert_eq!(&t[r.end..], "key");
        let t = "k = \"Bearer x\" + key";
        let at = t.find("Bearer").unwrap();
        assert_eq!(widen_empty_concat(t, at..at + 7), at..at + 7);
    }
}
