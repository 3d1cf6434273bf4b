//! The `key_use` fact kind: an API key read from the environment, given to a client (or
//! missing there) or given to a request, with what it names and where it goes. DS601
//! (provider key mismatch) and DS602 (empty API key) are conditions over these facts in their
//! rule files.

use std::ops::Range;

use super::models::target_name;
use super::{foreign_key_provider, is_key_global, names_deepseek, url_target, Analysis};
use crate::catalogue::UrlTarget;
use crate::checks::Ctx;
use crate::facts::names::names_deepseek_key as deepseek_key_name;
use crate::facts::view::{Kind, Row, Val};
use crate::facts::{Value, ValueKind};

/// The `key_use` kind: its fields, in row order.
pub const KEY_USE: Kind = Kind {
    name: "key_use",
    fields: &[
        ("via", "env_read (a read of an environment variable whose name contains KEY) | env_write (code sets a DeepSeek key variable: `os.environ[\"DEEPSEEK_API_KEY\"] = …`) | client (a key given to a client constructor, or none given) | request (a key given to a request) | template (a DeepSeek key whose only dotenv source is a committed template such as `.env.example`)"),
        ("key", "how the key is shown in messages: `NAME` for a variable or expression, `an OpenAI key` for a literal, `no key` when none is given (never the key itself)"),
        ("env", "the environment variable it is read from"),
        ("env_default", "the literal default of that read (`''` for an empty default)"),
        ("empty", "true when the key is an empty or blank string"),
        ("missing", "true for a client given no key"),
        ("foreign", "the provider whose credential it is when not DeepSeek's (`OpenAI`, `Anthropic`): `OPENAI_API_KEY`, a `sk-proj-…` literal"),
        ("deepseek_named", "true when the key's variable, expression or text names DeepSeek"),
        ("deepseek_key_env", "true when the environment variable's name contains DEEPSEEK and KEY"),
        ("family", "the client's family (openai-compatible | deepseek-native | anthropic)"),
        ("bound", "for a request: true when it goes through a client of the document"),
        ("url_deepseek", "for a client: true when its base URL itself points at DeepSeek (argument, global setting or a DeepSeek SDK)"),
        ("url_explicit", "for a client: true when its base URL is set (argument or global) rather than the SDK default"),
        ("url_judged", "for a client: true when its URL is known and not a local server (an empty key certainly fails there)"),
        ("provider", "the other provider the client or request is aimed at (`the OpenAI API`, `OpenRouter`…), not a local server"),
        ("target", "where the client or request sends, as for `model_use`"),
        ("key_set_globally", "true when the document sets the OpenAI key globally (`openai.api_key = …`)"),
        ("anthropic_url", "the official Anthropic-format endpoint"),
    ],
};

/// How a key value is shown in messages (never the key itself).
fn describe(v: &Value) -> String {
    match &v.kind {
        ValueKind::Env { name, .. } => format!("`{name}`"),
        ValueKind::Other(t) => {
            let t = t.rsplit('=').next().unwrap_or(t);
            let short: String = t.chars().take(60).collect();
            format!("`{short}`")
        }
        ValueKind::Str(_) => "an OpenAI key".into(),
    }
}

/// The other provider a URL target names (not a local server, which may well proxy
/// DeepSeek).
fn other_provider(t: &Option<UrlTarget>) -> Option<String> {
    match t {
        Some(UrlTarget::OpenAI) => Some("the OpenAI API".into()),
        Some(UrlTarget::Other(n)) if n != "a local server" => Some(n.clone()),
        _ => None,
    }
}

fn s(v: impl Into<String>) -> Val {
    Val::Str(v.into())
}

fn opt(v: Option<impl Into<String>>) -> Val {
    v.map_or(Val::Null, s)
}

/// The fields a key value gives: key, env, env_default, empty, missing, foreign,
/// deepseek_named, deepseek_key_env.
fn key_fields(k: Option<&Value>) -> [Val; 8] {
    let Some(k) = k else {
        return [
            s("no key"),
            Val::Null,
            Val::Null,
            Val::Bool(false),
            Val::Bool(true),
            Val::Null,
            Val::Bool(false),
            Val::Bool(false),
        ];
    };
    let (env, default) = match &k.kind {
        ValueKind::Env { name, default } => (Some(name.as_str()), default.as_deref()),
        _ => (None, None),
    };
    [
        s(describe(k)),
        opt(env),
        opt(default),
        Val::Bool(k.as_str().is_some_and(|s| s.trim().is_empty())),
        Val::Bool(false),
        opt(foreign_key_provider(k)),
        Val::Bool(names_deepseek(k)),
        Val::Bool(env.is_some_and(deepseek_key_name)),
    ]
}

/// The `key_use` facts of a document: key-like environment reads, then clients, then
/// requests given a key.
pub fn key_uses(ctx: &Ctx<'_>) -> Vec<Row> {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let facts = a.facts;
    let global = Val::Bool(facts.globals.iter().any(|g| is_key_global(&g.target)));
    let anthropic_url = s(super::official_anthropic(ctx.settings));
    let mut out = Vec::new();
    let mut push = |span: Range<usize>, via: &str, key: [Val; 8], rest: [Val; 7]| {
        let mut values = vec![s(via)];
        values.extend(key);
        values.extend(rest);
        values.push(global.clone());
        values.push(anthropic_url.clone());
        out.push(Row { span, values });
    };
    for r in &facts.env_reads {
        if !r.name.to_ascii_uppercase().contains("KEY") {
            continue;
        }
        let key = [
            s(format!("`{}`", r.name)),
            s(r.name.clone()),
            opt(r.default.clone()),
            Val::Bool(false),
            Val::Bool(false),
            Val::Null,
            Val::Bool(r.name.to_ascii_lowercase().contains("deepseek")),
            Val::Bool(deepseek_key_name(&r.name)),
        ];
        let span = r.default_span.clone().unwrap_or(r.span.clone());
        push(span, "env_read", key, std::array::from_fn(|_| Val::Null));
    }
    // `os.environ["DEEPSEEK_API_KEY"] = ""`: every client that reads the variable gets it.
    for g in facts
        .globals
        .iter()
        .filter(|g| deepseek_key_name(&g.target))
    {
        let key = [
            s(format!("`{}`", g.target)),
            s(g.target.clone()),
            Val::Null,
            Val::Bool(g.value.as_str().is_some_and(|v| v.trim().is_empty())),
            Val::Bool(false),
            Val::Null,
            Val::Bool(true),
            Val::Bool(true),
        ];
        push(
            g.value.span.clone(),
            "env_write",
            key,
            std::array::from_fn(|_| Val::Null),
        );
    }
    for (i, c) in facts.clients.iter().enumerate() {
        let (url, explicit) = &a.client_urls[i];
        let judged = match url {
            Some(UrlTarget::Other(n)) => n != "a local server",
            Some(UrlTarget::Unknown) | None => false,
            Some(_) => true,
        };
        let family = c.family.as_str();
        let span = c
            .api_key
            .as_ref()
            .map_or(c.callee_span.clone(), |k| k.span.clone());
        let rest = [
            s(family),
            Val::Null,
            Val::Bool(a.client_url_is_deepseek(i)),
            Val::Bool(*explicit),
            Val::Bool(judged),
            opt(other_provider(url)),
            s(target_name(&a.client_target(i))),
        ];
        push(span, "client", key_fields(c.api_key.as_ref()), rest);
    }
    for r in &facts.requests {
        let Some(k) = &r.api_key else { continue };
        let url = r.url.as_ref().and_then(|u| url_target(ctx.settings, u));
        let rest = [
            Val::Null,
            Val::Bool(facts.client_of(r).is_some()),
            Val::Bool(false),
            Val::Bool(false),
            Val::Null,
            opt(other_provider(&url)),
            s(target_name(&a.request_target(r).0)),
        ];
        push(k.span.clone(), "request", key_fields(Some(k)), rest);
    }
    // The DeepSeek key's only dotenv source is a committed template.
    let key_read = facts.env_reads.iter().find(|r| deepseek_key_name(&r.name));
    if let Some(read) = key_read {
        if let Some((range, path)) = super::env_template::template_only_source(ctx.text()) {
            let key = [
                s(format!(
                    "`{}` is loaded only from `{path}`, a committed template whose values are empty or placeholders",
                    read.name
                )),
                s(read.name.clone()),
                Val::Null,
                Val::Bool(false),
                Val::Bool(false),
                Val::Null,
                Val::Bool(true),
                Val::Bool(true),
            ];
            push(range, "template", key, std::array::from_fn(|_| Val::Null));
        }
    }
    out
}
