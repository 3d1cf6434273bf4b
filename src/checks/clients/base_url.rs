//! DS202 (wrong base URL): a DeepSeek client or request aimed at a wrong URL.

use std::collections::HashSet;
use std::ops::Range;

use super::{
    api_like, is_base_url_global, model_edit, names_deepseek, official_anthropic, official_base,
    split_endpoint, url_target, url_use, Analysis,
};
use crate::catalogue::UrlTarget;
use crate::checks::Ctx;
use crate::diagnostic::{Fix, Hit};
use crate::facts::{Family, Value, ValueKind};

/// Why a URL meant for DeepSeek is wrong, with the URL to use instead.
fn judge(
    t: &UrlTarget,
    family: Option<Family>,
    deepseek_evidence: Option<&str>,
    settings: &crate::settings::Settings,
) -> Option<(String, String)> {
    let base = official_base(settings);
    match t {
        UrlTarget::DeepSeekMalformed(r) => Some((r.clone(), base)),
        UrlTarget::DeepSeekWrongHost(h) => {
            Some((format!("`{h}` is not the DeepSeek API host"), base))
        }
        UrlTarget::DeepSeekAnthropic if family.is_some_and(|f| f != Family::Anthropic) => Some((
            "is the Anthropic-format endpoint, which only the Anthropic SDK speaks".into(),
            base,
        )),
        UrlTarget::DeepSeek if family == Some(Family::Anthropic) => Some((
            "is the OpenAI-format endpoint; the Anthropic SDK needs the Anthropic-format one"
                .into(),
            official_anthropic(settings),
        )),
        UrlTarget::OpenAI => {
            deepseek_evidence.map(|e| (format!("points at the OpenAI API although it {e}"), base))
        }
        _ => None,
    }
}

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

fn url_hit(ctx: &Ctx<'_>, v: &Value, reason: String, fix_url: String, reach: Reach) -> Hit {
    let cat = &ctx.settings.catalogue;
    let target = v.as_str().map(|s| cat.classify_url(s.trim()));
    let deepseek_typo = matches!(
        target,
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
    let fix_url_shown = match &corrected {
        Some(better) if fix_url == official_base(ctx.settings) => better.clone(),
        _ => fix_url.clone(),
    };
    let shown = match &v.kind {
        ValueKind::Str(s) => s.clone(),
        ValueKind::Env { name, default } => {
            format!("{name} (default {})", default.clone().unwrap_or_default())
        }
        ValueKind::Other(t) => t.clone(),
    };
    let mut hit = Hit::at(v.span.clone())
        .arg("url", shown.clone())
        .arg("reason", reason)
        .arg("fix", fix_url_shown.clone());
    let fixable = match reach {
        Reach::Raw => false,
        _ if reaches_raw_http(ctx.facts(), &v.span) => false,
        // A typo'd DeepSeek URL whose path maps to no known endpoint: no guess.
        _ => !deepseek_typo || corrected.is_some(),
    };
    // Safe: a misspelled host or scheme, or an endpoint path in a URL the SDK (or a join)
    // extends. A URL whose use is not visible may be posted to as it is: only a host or
    // scheme correction (the path kept) is safe there.
    let safe = deepseek_typo
        && match reach {
            Reach::Sdk | Reach::Joined => true,
            _ => path_only_fix,
        };
    if let (ValueKind::Str(s), true) = (&v.kind, fixable) {
        if let Some(e) = model_edit(ctx.text(), v, s.trim(), &fix_url_shown) {
            hit.fix = Some(Fix {
                title: format!("Use `{fix_url_shown}`"),
                safe,
                edits: vec![e],
            });
        }
    }
    hit
}

/// DS202: a DeepSeek client or request aimed at a wrong URL.
pub fn wrong_base_url(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let facts = a.facts;
    let settings = ctx.settings;
    let mut used: HashSet<Range<usize>> = HashSet::new();
    let mut push = |hit: Hit, used: &mut HashSet<Range<usize>>| {
        if used.insert(hit.range.clone()) {
            out.push(hit);
        }
    };
    for (i, c) in facts.clients.iter().enumerate() {
        let Some(v) = &c.base_url else { continue };
        used.insert(v.span.clone());
        let Some(t) = url_target(settings, v) else {
            continue;
        };
        if let Some((reason, fix)) = judge(&t, Some(c.family), a.evidence[i].as_deref(), settings) {
            used.remove(&v.span);
            push(url_hit(ctx, v, reason, fix, Reach::Sdk), &mut used);
        }
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
            if let Some((reason, fix)) = judge(&t, None, evidence, settings) {
                let path = endpoint
                    .map(|e| format!("/{}", e.replace('.', "/")))
                    .unwrap_or_default();
                used.remove(&v.span);
                push(
                    url_hit(ctx, v, reason, format!("{fix}{path}"), Reach::Raw),
                    &mut used,
                );
            }
        } else if let Some(t) = url_target(settings, v) {
            if let Some((reason, fix)) = judge(&t, None, evidence, settings) {
                used.remove(&v.span);
                push(url_hit(ctx, v, reason, fix, Reach::Sdk), &mut used);
            }
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
        if let Some((reason, fix)) = judge(&t, None, ev, settings) {
            used.remove(&g.value.span);
            push(url_hit(ctx, &g.value, reason, fix, Reach::Sdk), &mut used);
        }
    }
    // Any other URL literal: only unmistakable API-base mistakes.
    for u in &facts.urls {
        if used.contains(&u.span) {
            continue;
        }
        let Some(s) = u.as_str() else { continue };
        let t = settings.catalogue.classify_url(s);
        // Only these targets can be flagged below: skip the rest before the costlier tests
        // (a 3 MB JSON price list holds hundreds of other URLs).
        if !matches!(
            t,
            UrlTarget::DeepSeekWrongHost(_) | UrlTarget::DeepSeekMalformed(_) | UrlTarget::OpenAI
        ) {
            continue;
        }
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
        let flag = match &t {
            UrlTarget::DeepSeekWrongHost(_) => api_like(s) || base_key,
            UrlTarget::DeepSeekMalformed(r) if r.contains("http://") || r.contains("/v1") => true,
            UrlTarget::DeepSeekMalformed(_) => base_key && !endpoint_ok,
            UrlTarget::OpenAI => deepseek_key,
            _ => false,
        };
        let evidence = deepseek_key.then_some("is configured under a DeepSeek setting");
        let reach = if joined {
            Reach::Joined
        } else {
            Reach::Elsewhere
        };
        if flag {
            if let Some((reason, fix)) = judge(&t, None, evidence, settings) {
                push(url_hit(ctx, u, reason, fix, reach), &mut used);
            }
        }
    }
}
