//! DS201 (missing base URL), DS202 (wrong base URL), DS203 (misspelled base-URL option).

use std::collections::HashSet;
use std::ops::Range;

use super::{
    api_like, is_base_url_global, model_edit, names_deepseek, official_anthropic, official_base,
    split_endpoint, url_target, Analysis,
};
use crate::catalogue::UrlTarget;
use crate::checks::Ctx;
use crate::diagnostic::{Edit, Fix, Hit};
use crate::facts::sdks::{SdkEntry, TABLE};
use crate::facts::{Client, Family, Value, ValueKind};

/// The SDK table entry of a client.
fn entry(c: &Client) -> Option<&'static SdkEntry> {
    TABLE.clients.iter().find(|e| e.id == c.sdk)
}

/// How to write option `name = value` in the client's language.
fn option_text(lang: &str, name: &str, value: &str) -> String {
    match (lang, name.split_once('.')) {
        ("python", _) => format!("{name}=\"{value}\""),
        ("rust", _) => format!(".{name}(\"{value}\")"),
        (_, Some((outer, inner))) => format!("{outer}: {{ {inner}: \"{value}\" }}"),
        _ => format!("{name}: \"{value}\""),
    }
}

/// The callee's name as written (`OpenAI`, `ChatOpenAI`).
fn callee(ctx: &Ctx<'_>, c: &Client) -> String {
    ctx.text()
        .get(c.callee_span.clone())
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_else(|| c.sdk.clone())
}

/// DS201: an OpenAI-compatible client with DeepSeek evidence and no base URL.
pub fn missing_base_url(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let base = official_base(ctx.settings);
    for (i, c) in a.facts.clients.iter().enumerate() {
        if c.family != Family::OpenAiCompatible
            || c.base_url.is_some()
            || !c.misspelled_base_url.is_empty()
            || a.global_base.is_some()
        {
            continue;
        }
        let Some(evidence) = &a.evidence[i] else {
            continue;
        };
        let e = entry(c);
        let lang = e.map(|e| e.lang.as_str()).unwrap_or("python");
        let opt = e
            .and_then(|e| e.base_url.first())
            .map(String::as_str)
            .unwrap_or("base_url");
        let add = option_text(lang, opt, &base);
        let mut hit = Hit::at(c.callee_span.clone())
            .arg("client", callee(ctx, c))
            .arg("evidence", evidence.clone())
            .arg("add", add.clone());
        hit.fix = crate::checks::fixes::add_base_url(ctx, c);
        out.push(hit);
    }
}

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

fn url_hit(ctx: &Ctx<'_>, v: &Value, reason: String, fix_url: String) -> Hit {
    // A misspelled or malformed DeepSeek URL: safe to correct, keeping an official path.
    let cat = &ctx.settings.catalogue;
    let typo = v.as_str().is_some_and(|s| {
        matches!(
            cat.classify_url(s.trim()),
            UrlTarget::DeepSeekMalformed(_) | UrlTarget::DeepSeekWrongHost(_)
        )
    });
    let fix_url = match v
        .as_str()
        .and_then(|s| crate::checks::fixes::corrected_deepseek_url(cat, s.trim()))
    {
        Some(better) if fix_url == official_base(ctx.settings) => better,
        _ => fix_url,
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
        .arg("fix", fix_url.clone());
    if let ValueKind::Str(s) = &v.kind {
        if let Some(e) = model_edit(ctx.text(), v, s.trim(), &fix_url) {
            hit.fix = Some(Fix {
                title: format!("Use `{fix_url}`"),
                safe: typo,
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
            push(url_hit(ctx, v, reason, fix), &mut used);
        }
    }
    for r in &facts.requests {
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
                push(url_hit(ctx, v, reason, format!("{fix}{path}")), &mut used);
            }
        } else if let Some(t) = url_target(settings, v) {
            if let Some((reason, fix)) = judge(&t, None, evidence, settings) {
                used.remove(&v.span);
                push(url_hit(ctx, v, reason, fix), &mut used);
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
            push(url_hit(ctx, &g.value, reason, fix), &mut used);
        }
    }
    // Any other URL literal: only unmistakable API-base mistakes.
    for u in &facts.urls {
        if used.contains(&u.span) {
            continue;
        }
        let Some(s) = u.as_str() else { continue };
        let t = settings.catalogue.classify_url(s);
        // The setting the URL is assigned to, from the text before it on its line
        // (`DEEPSEEK_BASE_URL=…`, `base_url: …`, `API_BASE = "…"`).
        let text = ctx.text();
        let start = u.span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let key = text[line_start..start].to_ascii_lowercase();
        let base_key = key.contains("base") && !key.contains("http");
        let deepseek_key = base_key && key.contains("deepseek");
        let flag = match &t {
            UrlTarget::DeepSeekWrongHost(_) => api_like(s) || base_key,
            UrlTarget::DeepSeekMalformed(r) => {
                base_key || r.contains("http://") || r.contains("/v1")
            }
            UrlTarget::OpenAI => deepseek_key,
            _ => false,
        };
        let evidence = deepseek_key.then_some("is configured under a DeepSeek setting");
        if flag {
            if let Some((reason, fix)) = judge(&t, None, evidence, settings) {
                push(url_hit(ctx, u, reason, fix), &mut used);
            }
        }
    }
}

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

/// DS203: the base URL passed under a name the SDK ignores or rejects.
pub fn misspelled_base_url_option(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    if !crate::checks::gate::may_misspell_base_url(ctx.text(), ctx.doc.kind) {
        return;
    }
    let facts = ctx.facts();
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
            let mut hit = Hit::at(span.clone())
                .arg("option", name.clone())
                .arg("client", callee(ctx, c))
                .arg("correct", shown_correct);
            let written = ctx.text().get(span.clone()).unwrap_or("");
            if !correct.contains('.') && lang != "rust" {
                let edit = if written == name {
                    Some(Edit::replace(span.start..span.end, correct.clone()))
                } else {
                    written.find(name.as_str()).map(|p| {
                        Edit::replace(span.start + p..span.start + p + name.len(), correct.clone())
                    })
                };
                hit.fix = edit.map(|e| Fix {
                    title: format!("Rename `{name}` to `{correct}`"),
                    safe: true,
                    edits: vec![e],
                });
            }
            out.push(hit);
        }
    }
    if uses_legacy_openai(ctx.text()) {
        return;
    }
    for g in &facts.globals {
        if g.target == "openai.api_base" {
            let mut hit = Hit::at(g.target_span.clone())
                .arg("option", "openai.api_base".to_string())
                .arg("client", "openai".to_string())
                .arg("correct", "openai.base_url".to_string())
                .message(
                    "`openai.api_base` is a silent no-op on openai >= 1.0: clients still call \
                     api.openai.com",
                )
                .help(
                    "Pass `base_url=` to `OpenAI(...)`, or set `openai.base_url` for the module-level client.",
                );
            if let Some(t) = ctx.text().get(g.target_span.clone()) {
                if let Some(p) = t.rfind("api_base") {
                    hit.fix = Some(Fix {
                        title: "Rename `openai.api_base` to `openai.base_url`".into(),
                        safe: true,
                        edits: vec![Edit::replace(
                            g.target_span.start + p..g.target_span.start + p + "api_base".len(),
                            "base_url",
                        )],
                    });
                }
            }
            out.push(hit);
        }
    }
}
