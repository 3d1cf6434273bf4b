//! DS403's `thinking` parameter: where a request or a client accepts DeepSeek's
//! `thinking: {type: enabled|disabled}` and how to write it there, so that renaming a
//! retired model keeps its old behaviour.
//!
//! Places handled: Python SDK calls and clients that take `extra_body` (openai `create`,
//! langchain `ChatOpenAI`/`ChatDeepSeek`/`init_chat_model`, litellm `completion`), the OpenAI
//! Agents SDK (`ModelSettings(extra_body=…)` on the `Agent`), request dictionaries/objects with
//! `model` and `messages`, and `@langchain/openai` `new ChatOpenAI({ modelKwargs })`. In
//! TypeScript an object literal passed to openai-node's `create()` (or to anything typed) gets
//! a form that type-checks: openai-node's types have no `thinking`, so a plain property is an
//! excess property (TS2769). JSON request bodies written as text (a `.json` file, a Markdown
//! ```json block, a `curl -d '{…}'` body) are handled in [`super::thinking_json`].

use std::ops::Range;

use tree_sitter::Node;

use super::fixes::{insert_item, line_ending, literal_content, whole_string_literal};
use super::Ctx;
use crate::diagnostic::Edit;
use crate::source::FileKind;

/// Call names (last path segment) that take `extra_body` in the Python SDKs.
const PY_EXTRA_BODY_CALLS: &[&str] = &[
    "create",
    "stream",
    "parse",
    "ChatOpenAI",
    "ChatDeepSeek",
    "init_chat_model",
    "completion",
    "acompletion",
];

/// openai-node request methods whose parameter types do not know `thinking`.
const OPENAI_NODE_METHODS: &[&str] = &["create", "stream", "parse", "runTools"];

/// Calls whose object argument is not type-checked against a request type.
const UNTYPED_CALLS: &[&str] = &["JSON.stringify"];

/// The end of the last item of a list/object node (comments skipped), or the offset after
/// its opener when it has none.
fn list_insert_at(list: Node<'_>) -> usize {
    let mut c = list.walk();
    list.named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .last()
        .map_or(list.start_byte() + 1, |n| n.end_byte())
}

/// The key text of a `pair` node, quotes stripped.
fn pair_key<'t>(pair: Node<'_>, text: &'t str) -> Option<&'t str> {
    let key = pair.child_by_field_name("key")?;
    Some(
        key.utf8_text(text.as_bytes())
            .ok()?
            .trim_matches(|c| c == '"' || c == '\''),
    )
}

/// True when an object/dictionary node has a pair with key `name`.
fn has_key(obj: Node<'_>, text: &str, name: &str) -> bool {
    let mut c = obj.walk();
    let found = obj.named_children(&mut c).any(|p| match p.kind() {
        "pair" => pair_key(p, text) == Some(name),
        "shorthand_property_identifier" => p.utf8_text(text.as_bytes()).ok() == Some(name),
        _ => false,
    });
    found
}

/// The last path segment of a call's function (`create` for `client.chat.completions.create`).
fn callee_last<'t>(call: Node<'_>, text: &'t str) -> Option<&'t str> {
    let f = call
        .child_by_field_name("function")
        .or_else(|| call.child_by_field_name("constructor"))?
        .utf8_text(text.as_bytes())
        .ok()?;
    Some(f.rsplit('.').next().unwrap_or(f))
}

/// True when a Python argument list has `name=` or a `**splat`.
fn py_kwarg_or_splat(args: Node<'_>, text: &str, name: &str) -> bool {
    let mut c = args.walk();
    let found = args.named_children(&mut c).any(|a| {
        a.kind() == "dictionary_splat"
            || (a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .and_then(|n| n.utf8_text(text.as_bytes()).ok())
                    == Some(name))
    });
    found
}

/// True when the items of a list end their line (one per line), so a new item goes on a
/// line of its own.
fn one_per_line(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or("");
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix(',').unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.starts_with('\n') || rest.starts_with("\r\n") || rest.starts_with("//")
}

/// The indentation of the line holding `at`.
fn indent_at(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// An edit adding the `thinking` request parameter (`mode` is `enabled` or `disabled`) next
/// to the model literal at `span`, where the call or object it is written in accepts it.
/// `None` when it does not, or the parameter (or the option that would hold it) is already
/// there.
pub fn thinking_param(ctx: &Ctx<'_>, span: Range<usize>, mode: &str) -> Option<Edit> {
    let text = ctx.text();
    if matches!(
        ctx.doc.kind,
        FileKind::Json | FileKind::Shell | FileKind::Dockerfile
    ) {
        return super::thinking_json::json_body_param(ctx.doc.kind, text, span, mode);
    }
    let lit = whole_string_literal(ctx, &literal_content(text, span)?)?;
    let q = char::from(text.as_bytes()[lit.start_byte()]);
    let q = if q == '`' { '"' } else { q };
    let parent = lit.parent()?;
    let body = format!("{{{q}thinking{q}: {{{q}type{q}: {q}{mode}{q}}}}}");
    match (ctx.doc.kind, parent.kind()) {
        (FileKind::Python, "keyword_argument") => {
            let args = parent.parent().filter(|a| a.kind() == "argument_list")?;
            let call = args.parent().filter(|c| c.kind() == "call")?;
            let last = callee_last(call, text)?;
            if last == "OpenAIChatCompletionsModel" || last == "OpenAIResponsesModel" {
                return agents_model_settings(ctx, call, &body);
            }
            if !PY_EXTRA_BODY_CALLS.contains(&last) || py_kwarg_or_splat(args, text, "extra_body") {
                return None;
            }
            insert_item(text, list_insert_at(args), &format!("extra_body={body}"))
        }
        (FileKind::Python, "argument_list") => {
            // `init_chat_model("deepseek-chat", …)`: the model as the first argument.
            let call = parent.parent().filter(|c| c.kind() == "call")?;
            let last = callee_last(call, text)?;
            if last != "init_chat_model" || py_kwarg_or_splat(parent, text, "extra_body") {
                return None;
            }
            insert_item(text, list_insert_at(parent), &format!("extra_body={body}"))
        }
        (_, "pair") => {
            let obj = parent.parent()?;
            if !matches!(obj.kind(), "dictionary" | "object")
                || pair_key(parent, text) != Some("model")
                || has_key(obj, text, "thinking")
            {
                return None;
            }
            if !has_key(obj, text, "messages") {
                return langchain_js_model_kwargs(ctx, obj, q, mode);
            }
            let key_quoted = parent
                .child_by_field_name("key")
                .is_some_and(|k| k.kind() == "string");
            let item = if ctx.doc.kind == FileKind::Python || key_quoted {
                format!("{q}thinking{q}: {{{q}type{q}: {q}{mode}{q}}}")
            } else {
                format!("thinking: {{ type: {q}{mode}{q} }}")
            };
            let at = list_insert_at(obj);
            let item = match ts_context(ctx, obj) {
                TsContext::Plain => item,
                TsContext::OpenAiNode if one_per_line(text, at) => {
                    // openai-node's documented way to send a parameter its types lack.
                    let nl = line_ending(text);
                    let indent = indent_at(text, at);
                    format!(
                        "// @ts-expect-error -- DeepSeek's `thinking` is not in openai-node's types{nl}{indent}{item}"
                    )
                }
                TsContext::OpenAiNode | TsContext::Typed => {
                    format!("...({{ {item} }} as object)")
                }
            };
            insert_item(text, at, &item)
        }
        _ => None,
    }
}

/// How an object literal is type-checked.
enum TsContext {
    /// JavaScript, or a TypeScript literal nothing checks for excess properties.
    Plain,
    /// The argument of an openai-node request method.
    OpenAiNode,
    /// Possibly checked against a type that lacks `thinking` (a typed variable, another
    /// function's parameter).
    Typed,
}

fn ts_context(ctx: &Ctx<'_>, obj: Node<'_>) -> TsContext {
    if !matches!(ctx.doc.kind, FileKind::TypeScript | FileKind::Tsx) {
        return TsContext::Plain;
    }
    let text = ctx.text();
    let Some(parent) = obj.parent() else {
        return TsContext::Typed;
    };
    match parent.kind() {
        "arguments" => {
            let Some(call) = parent.parent() else {
                return TsContext::Typed;
            };
            let func = call
                .child_by_field_name("function")
                .and_then(|f| f.utf8_text(text.as_bytes()).ok())
                .unwrap_or("");
            let last = func.rsplit('.').next().unwrap_or(func);
            if UNTYPED_CALLS.contains(&func) {
                TsContext::Plain
            } else if func.contains('.') && OPENAI_NODE_METHODS.contains(&last) {
                TsContext::OpenAiNode
            } else {
                TsContext::Typed
            }
        }
        // `const body = { … }` without a type annotation: not checked where it is used.
        "variable_declarator" if parent.child_by_field_name("type").is_none() => TsContext::Plain,
        _ => TsContext::Typed,
    }
}

/// `@langchain/openai` `new ChatOpenAI({ model: … })`: the request parameter goes in
/// `modelKwargs`.
fn langchain_js_model_kwargs(ctx: &Ctx<'_>, obj: Node<'_>, q: char, mode: &str) -> Option<Edit> {
    let text = ctx.text();
    if obj.kind() != "object" || has_key(obj, text, "modelKwargs") {
        return None;
    }
    let args = obj.parent().filter(|a| a.kind() == "arguments")?;
    let new = args.parent().filter(|n| n.kind() == "new_expression")?;
    if callee_last(new, text)? != "ChatOpenAI" {
        return None;
    }
    let item = format!("modelKwargs: {{ thinking: {{ type: {q}{mode}{q} }} }}");
    insert_item(text, list_insert_at(obj), &item)
}

/// The OpenAI Agents SDK: `Agent(model=OpenAIChatCompletionsModel(model="…", …), …)` takes
/// request parameters in `model_settings=ModelSettings(extra_body=…)`. Adds `extra_body` to
/// an existing `ModelSettings(…)`, or `model_settings=ModelSettings(…)` to the `Agent` when
/// the module already imports `ModelSettings`.
fn agents_model_settings(ctx: &Ctx<'_>, model_call: Node<'_>, body: &str) -> Option<Edit> {
    let text = ctx.text();
    let kw = model_call
        .parent()
        .filter(|k| k.kind() == "keyword_argument")?;
    let agent_args = kw.parent().filter(|a| a.kind() == "argument_list")?;
    let agent = agent_args.parent().filter(|c| c.kind() == "call")?;
    if callee_last(agent, text)? != "Agent" {
        return None;
    }
    let mut c = agent_args.walk();
    let settings = agent_args.named_children(&mut c).find(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_name("name")
                .and_then(|n| n.utf8_text(text.as_bytes()).ok())
                == Some("model_settings")
    });
    match settings {
        Some(kw) => {
            let call = kw
                .child_by_field_name("value")
                .filter(|v| v.kind() == "call")?;
            if callee_last(call, text)? != "ModelSettings" {
                return None;
            }
            let args = call.child_by_field_name("arguments")?;
            if py_kwarg_or_splat(args, text, "extra_body") {
                return None;
            }
            insert_item(text, list_insert_at(args), &format!("extra_body={body}"))
        }
        None => {
            if py_kwarg_or_splat(agent_args, text, "model_settings")
                || !text.contains("ModelSettings")
            {
                return None;
            }
            insert_item(
                text,
                list_insert_at(agent_args),
                &format!("model_settings=ModelSettings(extra_body={body})"),
            )
        }
    }
}

/// How to turn thinking off in a request, in the language of `kind`.
pub fn off_switch(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Python => "extra_body={\"thinking\": {\"type\": \"disabled\"}}",
        k if k.is_js_family() => "thinking: { type: \"disabled\" }",
        _ => "\"thinking\": {\"type\": \"disabled\"}",
    }
}

/// A comment next to a renamed model constant or config value saying that thinking is now
/// on and how to turn it off: at the end of the line in Python, JavaScript, TypeScript and
/// Rust (when the line has no comment yet), on a line of its own above it in YAML, TOML, INI
/// and `.env` files. `None` where a comment could change the meaning (JSX, shell, JSON).
pub fn thinking_on_note(ctx: &Ctx<'_>, span: Range<usize>, model: &str) -> Option<Edit> {
    let text = ctx.text();
    let kind = ctx.doc.kind;
    let how = off_switch(kind);
    let note = format!("dslint: {model} thinks by default; turn it off with {how}");
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let eol = text[span.end.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let eol = if text[..eol].ends_with('\r') {
        eol - 1
    } else {
        eol
    };
    let rest = text.get(span.end..eol)?;
    match kind {
        FileKind::Python | FileKind::JavaScript | FileKind::TypeScript | FileKind::Rust => {
            let marker = if kind == FileKind::Python { "#" } else { "//" };
            let tail = rest.trim();
            // Only after a simple end of the value (`"x"`, `"x",`, `"x");`, `"x" }`).
            if !tail
                .chars()
                .all(|c| matches!(c, ',' | ';' | ')' | '}' | ']' | ' ' | '\t'))
            {
                return None;
            }
            if text[line_start..span.start].contains(marker) {
                return None;
            }
            Some(Edit::insert(eol, format!("  {marker} {note}")))
        }
        FileKind::Yaml | FileKind::Toml | FileKind::Ini | FileKind::Env => {
            let indent = indent_at(text, span.start);
            let nl = line_ending(text);
            Some(Edit::insert(line_start, format!("{indent}# {note}{nl}")))
        }
        _ => None,
    }
}
