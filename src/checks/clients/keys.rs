//! DS601 (provider key mismatch) and DS602 (empty API key).

use std::collections::HashSet;
use std::ops::Range;

use super::{foreign_key_provider, is_key_global, names_deepseek, url_target, Analysis, Target};
use crate::catalogue::UrlTarget;
use crate::checks::Ctx;
use crate::diagnostic::Hit;
use crate::facts::{Family, Value, ValueKind};

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

/// True when a URL target is another provider (not a local server, which may well proxy
/// DeepSeek).
fn other_provider(t: &Option<UrlTarget>) -> Option<String> {
    match t {
        Some(UrlTarget::OpenAI) => Some("the OpenAI API".into()),
        Some(UrlTarget::Other(n)) if n != "a local server" => Some(n.clone()),
        _ => None,
    }
}

/// DS601: an OpenAI key on a DeepSeek-bound client, or a DeepSeek key on another provider.
pub fn provider_key_mismatch(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let facts = a.facts;
    let key_set_globally = facts.globals.iter().any(|g| is_key_global(&g.target));
    for (i, c) in facts.clients.iter().enumerate() {
        let (url, explicit) = &a.client_urls[i];
        if a.client_url_is_deepseek(i) {
            match &c.api_key {
                Some(k) if foreign_key_provider(k).is_some() => out.push(
                    Hit::at(k.span.clone())
                        .arg("key", describe(k))
                        .arg(
                            "problem",
                            format!(
                                "an {} key on a client aimed at DeepSeek",
                                foreign_key_provider(k).unwrap_or("OpenAI")
                            ),
                        )
                        .arg("fix", "use `DEEPSEEK_API_KEY`"),
                ),
                None if c.family == Family::OpenAiCompatible && !key_set_globally => out.push(
                    Hit::at(c.callee_span.clone())
                        .arg("key", "no key".to_string())
                        .arg(
                            "problem",
                            "no key on a client aimed at DeepSeek: the SDK falls back to `OPENAI_API_KEY`",
                        )
                        .arg("fix", "pass `api_key=os.environ[\"DEEPSEEK_API_KEY\"]` (or `apiKey: process.env.DEEPSEEK_API_KEY`)"),
                ),
                _ => {}
            }
            continue;
        }
        // An Anthropic SDK client goes to Anthropic unless pointed elsewhere; DeepSeek serves
        // the Anthropic format at `/anthropic`.
        let anthropic = c.family == Family::Anthropic;
        if !explicit && !anthropic {
            continue;
        }
        if let (Some(provider), Some(k)) = (other_provider(url), &c.api_key) {
            if names_deepseek(k) {
                let fix = if anthropic {
                    format!(
                        "use an Anthropic key, or point the client at `{}`",
                        super::official_anthropic(ctx.settings)
                    )
                } else {
                    "use that provider's key, or point the client at `https://api.deepseek.com`"
                        .to_string()
                };
                out.push(
                    Hit::at(k.span.clone())
                        .arg("key", describe(k))
                        .arg("problem", format!("a DeepSeek key sent to {provider}"))
                        .arg("fix", fix),
                );
            }
        }
    }
    for r in &facts.requests {
        if facts.client_of(r).is_some() {
            continue;
        }
        let Some(k) = &r.api_key else { continue };
        let (target, _) = a.request_target(r);
        if let (Target::DeepSeek, Some(p)) = (&target, foreign_key_provider(k)) {
            out.push(
                Hit::at(k.span.clone())
                    .arg("key", describe(k))
                    .arg("problem", format!("an {p} key on a request to DeepSeek"))
                    .arg("fix", "use `DEEPSEEK_API_KEY`"),
            );
        } else if names_deepseek(k) {
            let url = r.url.as_ref().and_then(|u| url_target(ctx.settings, u));
            if let Some(provider) = other_provider(&url) {
                out.push(
                    Hit::at(k.span.clone())
                        .arg("key", describe(k))
                        .arg("problem", format!("a DeepSeek key sent to {provider}"))
                        .arg("fix", "use that provider's key"),
                );
            }
        }
    }
}

/// True for an empty (or blank) string value.
fn is_empty_str(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.trim().is_empty())
}

/// DS602: an empty API key.
pub fn empty_api_key(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    if !crate::checks::gate::may_have_empty_key(ctx.text(), ctx.doc.kind) {
        return;
    }
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let facts = a.facts;
    let mut seen: HashSet<Range<usize>> = HashSet::new();
    let mut push = |range: Range<usize>, what: String| {
        if seen.insert(range.clone()) {
            out.push(Hit::at(range).arg("what", what));
        }
    };
    for r in &facts.env_reads {
        let upper = r.name.to_ascii_uppercase();
        if upper.contains("DEEPSEEK") && upper.contains("KEY") && r.default.as_deref() == Some("") {
            let span = r.default_span.clone().unwrap_or(r.span.clone());
            push(span, format!("`{}` defaults to an empty string", r.name));
        }
    }
    for (i, c) in facts.clients.iter().enumerate() {
        let Some(k) = &c.api_key else { continue };
        // Only where an empty key certainly fails: not a local server (often keyless) and
        // not a URL we cannot resolve (maybe a keyless self-hosted server).
        let judged = match &a.client_urls[i].0 {
            Some(UrlTarget::Other(n)) => n != "a local server",
            Some(UrlTarget::Unknown) | None => false,
            Some(_) => true,
        };
        if !judged {
            continue;
        }
        if is_empty_str(k) {
            push(
                k.span.clone(),
                "the client's API key is an empty string".into(),
            );
        } else if let ValueKind::Env {
            name,
            default: Some(d),
        } = &k.kind
        {
            let upper = name.to_ascii_uppercase();
            let covered = upper.contains("DEEPSEEK") && upper.contains("KEY");
            if d.is_empty() && !covered && a.client_target(i) == Target::DeepSeek {
                push(
                    k.span.clone(),
                    format!("`{name}` defaults to an empty string"),
                );
            }
        }
    }
    for r in &facts.requests {
        if let Some(k) = r.api_key.as_ref().filter(|k| is_empty_str(k)) {
            push(
                k.span.clone(),
                "the request's API key is an empty string".into(),
            );
        }
    }
    // The DeepSeek key's only dotenv source is a committed template.
    let key_read = facts.env_reads.iter().find(|r| {
        let upper = r.name.to_ascii_uppercase();
        upper.contains("DEEPSEEK") && upper.contains("KEY")
    });
    if let Some(read) = key_read {
        if let Some((range, path)) = super::env_template::template_only_source(ctx.text()) {
            push(
                range,
                format!(
                    "`{}` is loaded only from `{path}`, a committed template whose values are empty or placeholders",
                    read.name
                ),
            );
        }
    }
}
