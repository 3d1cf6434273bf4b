//! The `url_site` fact kind: a URL where DS202 (wrong base URL) can judge it — a client's
//! base URL, a request's URL, a global base-URL setting, or another URL literal — with its
//! classification, the DeepSeek evidence around it, how it is used (which decides how far a
//! fix may go) and the URL to suggest. DS202 is a condition over these facts in its rule
//! file, with its fix written as data.

use std::collections::HashSet;
use std::ops::Range;

use super::{
    api_like, is_base_url_global, names_deepseek, official_anthropic, official_base,
    split_endpoint, url_target, url_use, Analysis,
};
use crate::catalogue::UrlTarget;
use crate::checks::Ctx;
use crate::facts::view::{Kind, Row, Val};
use crate::facts::{Family, Value, ValueKind};

/// The `url_site` kind: its fields, in row order.
pub const URL_SITE: Kind = Kind {
    name: "url_site",
    fields: &[
        ("via", "client (a client's base URL) | request (an SDK request's URL) | http (the URL of a raw HTTP call) | global (`openai.base_url = …`, `OPENAI_BASE_URL`) | literal (any other URL string, not used by the others)"),
        ("url", "the URL as shown (`NAME (default …)` for an environment read)"),
        ("literal", "the URL string, trimmed, when it is a literal"),
        ("class", "official | anthropic (the official Anthropic-format endpoint) | malformed (a DeepSeek URL in a wrong form) | wrong-host (a DeepSeek look-alike host) | openai | other | unknown; for a raw HTTP call, of the URL without its endpoint path"),
        ("malformed_reason", "for a malformed DeepSeek URL: what is wrong (`uses http://`…)"),
        ("wrong_host", "for a wrong host: the host"),
        ("family", "for a client: its family (openai-compatible | deepseek-native | anthropic)"),
        ("evidence", "DeepSeek evidence around it (`uses a DeepSeek key`, `sends a DeepSeek model`, `is configured under a DeepSeek setting`)"),
        ("path", "for a raw HTTP call: the endpoint path it posts to (`/chat/completions`), else empty"),
        ("official_fix", "the official URL to use instead: the URL corrected where it is a fixable DeepSeek typo, else the official base URL (plus `path`)"),
        ("anthropic_url", "the official Anthropic-format endpoint"),
        ("reach", "how the URL is used: sdk (an SDK's base-URL setting) | raw (posted to directly) | joined (a literal joined with a path) | elsewhere (use not visible)"),
        ("reaches_raw_http", "true when the literal is also the URL of a raw HTTP call in the document"),
        ("deepseek_typo", "true when the URL itself is a malformed DeepSeek URL or a look-alike host"),
        ("corrected", "the corrected DeepSeek URL, when the typo maps to a known path"),
        ("path_only_fix", "true when the correction keeps the URL's path (only the host or scheme changes)"),
        ("api_like", "for a literal: true when it looks like an API base rather than a web page"),
        ("base_key", "for a literal: true when the setting it is assigned to is named like a base URL (`DEEPSEEK_BASE_URL=`, `api_base:`)"),
        ("deepseek_key", "for a literal: true when that setting's name also names DeepSeek"),
        ("endpoint_ok", "for a literal in code: true when it is a full endpoint URL not joined with a path (posted to as it is)"),
    ],
};

/// Where a URL that DS202 judges is used, which decides how far its fix may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// An SDK's base-URL setting (or litellm's `api_base`): the SDK appends the endpoint.
    Sdk,
    /// Posted to directly by a raw HTTP call: never rewritten.
    Raw,
    /// A URL literal in code that is joined with a path (`f"{BASE}/chat/completions"`).
    Joined,
    /// A URL literal whose use is not visible here (config files, a constant used elsewhere).
    Elsewhere,
}

/// True when the literal at `span` is also the URL of a raw HTTP request in the document
/// (a constant shared by an SDK client and a `requests.post`).
fn reaches_raw_http(facts: &crate::facts::Facts, span: &Range<usize>) -> bool {
    facts
        .requests
        .iter()
        .any(|r| r.api == "http" && r.url.as_ref().is_some_and(|u| u.span == *span))
}

fn s(v: impl Into<String>) -> Val {
    Val::Str(v.into())
}

fn opt(v: Option<impl Into<String>>) -> Val {
    v.map_or(Val::Null, s)
}

/// Literal-only fields: api_like, base_key, deepseek_key, endpoint_ok.
type LiteralFields = [bool; 4];

/// One site's row.
#[allow(clippy::too_many_arguments)]
fn site(
    ctx: &Ctx<'_>,
    v: &Value,
    via: &str,
    t: &UrlTarget,
    family: Option<Family>,
    evidence: Option<&str>,
    reach: Reach,
    path: &str,
    literal: LiteralFields,
) -> Row {
    let cat = &ctx.settings.catalogue;
    let (class, reason, host) = match t {
        UrlTarget::DeepSeek => ("official", None, None),
        UrlTarget::DeepSeekAnthropic => ("anthropic", None, None),
        UrlTarget::DeepSeekMalformed(r) => ("malformed", Some(r.clone()), None),
        UrlTarget::DeepSeekWrongHost(h) => ("wrong-host", None, Some(h.clone())),
        UrlTarget::OpenAI => ("openai", None, None),
        UrlTarget::Other(_) => ("other", None, None),
        UrlTarget::Unknown => ("unknown", None, None),
    };
    let deepseek_typo = matches!(
        v.as_str().map(|s| cat.classify_url(s.trim())),
        Some(UrlTarget::DeepSeekMalformed(_) | UrlTarget::DeepSeekWrongHost(_))
    );
    // A misspelled or malformed DeepSeek URL: corrected keeping a known path, or not at all.
    // Where the use is not visible, first try keeping the path (only the host or scheme
    // changes: right whether the URL is a base or posted to as it is).
    let correct = |as_base| {
        v.as_str()
            .and_then(|s| crate::checks::fixes::corrected_deepseek_url(cat, s.trim(), as_base))
    };
    let kept_path = (reach == Reach::Elsewhere)
        .then(|| correct(false))
        .flatten()
        .filter(|c| Some(c.as_str()) != v.as_str().map(str::trim));
    let path_only_fix = kept_path.is_some();
    let corrected = kept_path.or_else(|| correct(true));
    let official_fix = match &corrected {
        Some(better) if path.is_empty() => better.clone(),
        _ => format!("{}{path}", official_base(ctx.settings)),
    };
    let shown = match &v.kind {
        ValueKind::Str(s) => s.clone(),
        ValueKind::Env { name, default } => {
            format!("{name} (default {})", default.clone().unwrap_or_default())
        }
        ValueKind::Other(t) => t.clone(),
    };
    let family = family.map(Family::as_str);
    let reach_name = match reach {
        Reach::Sdk => "sdk",
        Reach::Raw => "raw",
        Reach::Joined => "joined",
        Reach::Elsewhere => "elsewhere",
    };
    let mut values = vec![
        s(via),
        s(shown),
        opt(v.as_str().map(str::trim)),
        s(class),
        opt(reason),
        opt(host),
        opt(family),
        opt(evidence),
        s(path),
        s(official_fix),
        s(official_anthropic(ctx.settings)),
        s(reach_name),
        Val::Bool(reaches_raw_http(ctx.facts(), &v.span)),
        Val::Bool(deepseek_typo),
        opt(corrected),
        Val::Bool(path_only_fix),
    ];
    values.extend(literal.map(Val::Bool));
    Row {
        span: v.span.clone(),
        values,
    }
}

/// The `url_site` facts of a document: clients' base URLs, requests' URLs, global base-URL
/// settings, then the other URL literals that could be a DeepSeek base-URL mistake (a
/// look-alike or malformed DeepSeek URL, or the OpenAI API).
pub fn url_sites(ctx: &Ctx<'_>) -> Vec<Row> {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let facts = a.facts;
    let settings = ctx.settings;
    let none = [false; 4];
    let mut out = Vec::new();
    let mut used: HashSet<Range<usize>> = HashSet::new();
    for (i, c) in facts.clients.iter().enumerate() {
        let Some(v) = &c.base_url else { continue };
        used.insert(v.span.clone());
        let Some(t) = url_target(settings, v) else {
            continue;
        };
        let ev = a.evidence[i].as_deref();
        out.push(site(
            ctx,
            v,
            "client",
            &t,
            Some(c.family),
            ev,
            Reach::Sdk,
            "",
            none,
        ));
    }
    for r in &facts.requests {
        // A settings object's base URL is judged with the document's other URLs below.
        if r.api == "config" {
            continue;
        }
        let Some(v) = &r.url else { continue };
        used.insert(v.span.clone());
        let key_ds = r.api_key.as_ref().is_some_and(names_deepseek);
        let model_ds = r
            .model
            .as_ref()
            .and_then(|m| m.as_str())
            .is_some_and(crate::catalogue::Catalogue::looks_deepseek);
        let evidence = if key_ds {
            Some("uses a DeepSeek key")
        } else if model_ds {
            Some("sends a DeepSeek model")
        } else {
            None
        };
        if r.api == "http" {
            let Some(s) = v.as_str() else { continue };
            let (base, endpoint) = split_endpoint(s);
            let t = settings.catalogue.classify_url(base);
            let path = endpoint
                .map(|e| format!("/{}", e.replace('.', "/")))
                .unwrap_or_default();
            out.push(site(
                ctx,
                v,
                "http",
                &t,
                None,
                evidence,
                Reach::Raw,
                &path,
                none,
            ));
        } else if let Some(t) = url_target(settings, v) {
            out.push(site(
                ctx,
                v,
                "request",
                &t,
                None,
                evidence,
                Reach::Sdk,
                "",
                none,
            ));
        }
    }
    let key_ds = facts
        .globals
        .iter()
        .any(|g| super::is_key_global(&g.target) && names_deepseek(&g.value));
    for g in facts
        .globals
        .iter()
        .filter(|g| is_base_url_global(&g.target))
    {
        used.insert(g.value.span.clone());
        let Some(t) = url_target(settings, &g.value) else {
            continue;
        };
        let ev = key_ds.then_some("uses a DeepSeek key");
        out.push(site(
            ctx,
            &g.value,
            "global",
            &t,
            None,
            ev,
            Reach::Sdk,
            "",
            none,
        ));
    }
    for u in &facts.urls {
        if used.contains(&u.span) {
            continue;
        }
        let Some(s) = u.as_str() else { continue };
        let t = settings.catalogue.classify_url(s);
        // Only these targets can be flagged: skip the rest before the costlier tests (a 3 MB
        // JSON price list holds hundreds of other URLs).
        if !matches!(
            t,
            UrlTarget::DeepSeekWrongHost(_) | UrlTarget::DeepSeekMalformed(_) | UrlTarget::OpenAI
        ) {
            continue;
        }
        used.insert(u.span.clone());
        // The setting the URL is assigned to, from the text before it on its line
        // (`DEEPSEEK_BASE_URL=…`, `base_url: …`, `API_BASE = "…"`).
        let text = ctx.text();
        let start = u.span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let key = text[line_start..start].to_ascii_lowercase();
        let base_key = key.contains("base") && !key.contains("http");
        let deepseek_key = base_key && key.contains("deepseek");
        // In code, a full endpoint under a base-like name is a base URL only when that name
        // is joined with a path; otherwise it is posted to as it is, which is right.
        let joined = url_use::assigned_name(&text[line_start..start])
            .is_some_and(|n| url_use::joined_with_path(text, n, line_start..u.span.end));
        let full_endpoint = split_endpoint(s).1.is_some();
        let endpoint_ok = ctx.doc.kind.is_code() && full_endpoint && !joined;
        let evidence = deepseek_key.then_some("is configured under a DeepSeek setting");
        let reach = if joined {
            Reach::Joined
        } else {
            Reach::Elsewhere
        };
        let literal = [api_like(s), base_key, deepseek_key, endpoint_ok];
        out.push(site(
            ctx, u, "literal", &t, None, evidence, reach, "", literal,
        ));
    }
    out
}
