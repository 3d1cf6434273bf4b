//! The `base_url_option` fact kind (a base URL passed under an option name the SDK ignores
//! or rejects, or set through the openai 0.x module global `openai.api_base`) and the
//! `base-url-option` named fix. DS203 is a condition over these facts in its rule file.

use std::ops::Range;

use super::client_use::{callee, entry};
use crate::checks::fact::Fact;
use crate::checks::Ctx;
use crate::diagnostic::{Edit, Fix, Hit};
use crate::facts::view::{Kind, Row, Val};

/// The `base_url_option` kind: its fields, in row order.
pub const BASE_URL_OPTION: Kind = Kind {
    name: "base_url_option",
    fields: &[
        ("via", "client (an option given to a client constructor) | global (`openai.api_base = …`)"),
        ("option", "the option as written (`baseUrl`, `openai.api_base`)"),
        ("client", "the constructor as written, `openai` for the module global"),
        ("correct", "the option to use, as shown (`baseURL`, `configuration: { baseURL }`, `openai.base_url`)"),
        ("correct_path", "the option to use as a path (`configuration.baseURL`)"),
        ("lang", "the client SDK's language (python | ecmascript | rust)"),
        ("legacy_openai", "true when the document uses the openai 0.x module API, where `openai.api_base` is right"),
    ],
};

/// Markers of code written for (or also for) the openai 0.x module API, where
/// `openai.api_base` is right: 0.x resources, Azure 0.x globals, version checks.
const LEGACY_OPENAI_MARKERS: &[&str] = &[
    "openai.ChatCompletion",
    "openai.Completion",
    "openai.Embedding",
    "openai.Audio",
    "openai.Image",
    "openai.Moderation",
    "openai.Edit",
    "openai.FineTune",
    "openai.File",
    "openai.api_type",
    "openai.api_version",
    "openai.__version__",
    "openai.version",
    "is_openai_v1",
    "openai<1",
    "openai==0.",
];

/// True when the document uses the openai 0.x module API, where `openai.api_base` is right.
fn uses_legacy_openai(text: &str) -> bool {
    LEGACY_OPENAI_MARKERS.iter().any(|m| text.contains(m))
}

/// The `base_url_option` facts of a document: misspelled options of each client, then
/// `openai.api_base` assignments.
pub fn base_url_options(ctx: &Ctx<'_>) -> Vec<Row> {
    let facts = ctx.facts();
    let s = |v: &str| Val::Str(v.to_string());
    let legacy = Val::Bool(uses_legacy_openai(ctx.text()));
    let mut out = Vec::new();
    for c in &facts.clients {
        let e = entry(c);
        let correct = e
            .and_then(|e| e.base_url.first())
            .cloned()
            .unwrap_or_else(|| "base_url".into());
        let lang = e.map(|e| e.lang.as_str()).unwrap_or("python");
        for (name, span, _) in &c.misspelled_base_url {
            let shown_correct = match correct.split_once('.') {
                Some((o, i)) => format!("{o}: {{ {i} }}"),
                None => correct.clone(),
            };
            out.push(Row {
                span: span.clone(),
                values: vec![
                    s("client"),
                    s(name),
                    Val::Str(callee(ctx, c)),
                    Val::Str(shown_correct),
                    s(&correct),
                    s(lang),
                    legacy.clone(),
                ],
            });
        }
    }
    for g in &facts.globals {
        if g.target == "openai.api_base" {
            out.push(Row {
                span: g.target_span.clone(),
                values: vec![
                    s("global"),
                    s("openai.api_base"),
                    s("openai"),
                    s("openai.base_url"),
                    s("openai.base_url"),
                    s("python"),
                    legacy.clone(),
                ],
            });
        }
    }
    out
}

/// The `base-url-option` fix: renames the option (moves it into its nested object for
/// `@langchain/openai`; none for Rust builders), or renames `openai.api_base` to
/// `openai.base_url`.
pub fn base_url_option_fix(ctx: &Ctx<'_>, fact: &Fact<'_>, hit: &mut Hit) {
    let span = fact.row.span.clone();
    let (Some(name), Some(correct), Some(lang)) = (
        fact.str("option"),
        fact.str("correct_path"),
        fact.str("lang"),
    ) else {
        return;
    };
    if fact.str("via") == Some("global") {
        if let Some(t) = ctx.text().get(span.clone()) {
            if let Some(p) = t.rfind("api_base") {
                hit.fix = Some(Fix {
                    title: "Rename `openai.api_base` to `openai.base_url`".into(),
                    safe: true,
                    edits: vec![Edit::replace(
                        span.start + p..span.start + p + "api_base".len(),
                        "base_url",
                    )],
                });
            }
        }
        return;
    }
    let written = ctx.text().get(span.clone()).unwrap_or("");
    if let Some((outer, inner)) = correct.split_once('.') {
        match name.split_once('.') {
            // `configuration: { basePath }` → `configuration: { baseURL }`: a rename in place.
            Some((o, wrong)) if o == outer => {
                hit.fix = written.rfind(wrong).map(|p| {
                    let at = span.start + p..span.start + p + wrong.len();
                    Fix {
                        title: format!("Rename `{name}` to `{correct}`"),
                        safe: true,
                        edits: vec![Edit::replace(at, inner)],
                    }
                });
            }
            Some(_) => {}
            None if lang == "ecmascript" => hit.fix = move_into_nested(ctx, span, outer, inner),
            None => {}
        }
    } else if lang != "rust" {
        let edit = if written == name {
            Some(Edit::replace(span.start..span.end, correct))
        } else {
            written
                .find(name)
                .map(|p| Edit::replace(span.start + p..span.start + p + name.len(), correct))
        };
        hit.fix = edit.map(|e| Fix {
            title: format!("Rename `{name}` to `{correct}`"),
            safe: true,
            edits: vec![e],
        });
    }
}

/// DS203's fix for an option that must sit in a nested object (`@langchain/openai`
/// `new ChatOpenAI({ baseURL })` → `configuration: { baseURL }`): the top-level
/// `name: value` pair (or shorthand `name`) at `key` becomes `outer: { inner: value }`, or,
/// when an `outer: { … }` object literal is already there, moves into it. `None` for any
/// other shape.
fn move_into_nested(ctx: &Ctx<'_>, key: Range<usize>, outer: &str, inner: &str) -> Option<Fix> {
    let text = ctx.text();
    let tree = ctx.tree()?;
    let mut node = tree
        .root_node()
        .descendant_for_byte_range(key.start, key.end)?;
    while !matches!(node.kind(), "pair" | "shorthand_property_identifier") {
        node = node.parent()?;
        if node.kind() == "object" {
            return None;
        }
    }
    // Only a top-level option: the object must be the constructor's argument.
    let obj = node
        .parent()
        .filter(|o| o.kind() == "object" && o.parent().is_some_and(|a| a.kind() == "arguments"))?;
    let value = match node.kind() {
        "pair" => node
            .child_by_field_name("value")?
            .utf8_text(text.as_bytes())
            .ok()?,
        _ => node.utf8_text(text.as_bytes()).ok()?,
    };
    let mut c = obj.walk();
    let existing = obj.named_children(&mut c).find(|p| {
        p.kind() == "pair"
            && p.child_by_field_name("key")
                .and_then(|k| k.utf8_text(text.as_bytes()).ok())
                .map(|k| k.trim_matches(|q| q == '"' || q == '\''))
                == Some(outer)
    });
    let title = format!("Move `{inner}` into `{outer}: {{ … }}`");
    let Some(existing) = existing else {
        let moved = if value == inner {
            format!("{outer}: {{ {inner} }}")
        } else {
            format!("{outer}: {{ {inner}: {value} }}")
        };
        return Some(Fix::safe(
            title,
            vec![Edit::replace(node.byte_range(), moved)],
        ));
    };
    let nested = existing
        .child_by_field_name("value")
        .filter(|v| v.kind() == "object")?;
    let mut c = nested.walk();
    if nested.named_children(&mut c).any(|p| {
        p.utf8_text(text.as_bytes())
            .is_ok_and(|t| t.starts_with(inner))
    }) {
        return None;
    }
    let mut c = nested.walk();
    let at = nested
        .named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .last()
        .map_or(nested.start_byte() + 1, |n| n.end_byte());
    let item = if value == inner {
        inner.to_string()
    } else {
        format!("{inner}: {value}")
    };
    let insert = crate::checks::fixes::insert_item(text, at, &item)?;
    // Remove the top-level pair with its comma: its whole line when it is alone on it.
    let r = node.byte_range();
    let line_start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
    let after = &text[r.end..];
    let comma = after.len() - after.trim_start_matches([' ', '\t']).len();
    let mut end = r.end + comma;
    if text[end..].starts_with(',') {
        end += 1;
    }
    let rest = &text[end..];
    let del = if text[line_start..r.start].trim().is_empty()
        && (rest.starts_with('\n')
            || rest.starts_with("\r\n")
            || rest.trim_start_matches([' ', '\t']).starts_with('\n'))
    {
        let eol = end + rest.find('\n').map_or(rest.len(), |i| i + 1);
        line_start..eol
    } else {
        let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        r.start..end + ws
    };
    if insert.conflicts_with(&Edit::replace(del.clone(), "")) {
        return None;
    }
    Some(Fix::safe(title, vec![Edit::delete(del), insert]))
}
