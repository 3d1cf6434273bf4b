//! DS401 (OpenAI model on DeepSeek), DS402 (model the official API does not serve), DS403
//! (retired model): every model sent somewhere, judged against its target.

use std::collections::HashSet;
use std::ops::Range;

use super::{is_official_style_deepseek, model_edit, Analysis, Origin, Target};
use crate::catalogue::{Catalogue, Status};
use crate::checks::{fixes, thinking, Ctx};
use crate::diagnostic::{Fix, Hit};
use crate::facts::Value;

/// One model sent somewhere.
struct ModelUse<'a> {
    value: &'a Value,
    /// The model ID without a litellm `deepseek/` prefix.
    id: String,
    target: Target,
    origin: Origin,
}

fn uses<'a>(a: &Analysis<'a>) -> Vec<ModelUse<'a>> {
    let mut out = Vec::new();
    for (i, c) in a.facts.clients.iter().enumerate() {
        if let Some(m) = &c.model {
            if let Some(id) = m.as_str() {
                out.push(ModelUse {
                    value: m,
                    id: id.trim().to_string(),
                    target: a.client_target(i),
                    origin: Origin::Bound,
                });
            }
        }
    }
    for r in &a.facts.requests {
        let Some(m) = &r.model else { continue };
        let Some(id) = m.as_str() else { continue };
        let (target, origin) = a.request_target(r);
        let litellm = r.api.starts_with("litellm.") && a.facts.client_of(r).is_none();
        let id = id.trim();
        let id = if litellm {
            match id.split_once('/') {
                Some((p, rest)) if p.eq_ignore_ascii_case("deepseek") => rest,
                _ => id,
            }
        } else {
            id
        };
        out.push(ModelUse {
            value: m,
            id: id.to_string(),
            target,
            origin,
        });
    }
    let doc = a.doc_target();
    for s in &a.facts.models {
        if let Some(id) = s.value.as_str() {
            out.push(ModelUse {
                value: &s.value,
                id: id.trim().to_string(),
                target: doc.clone(),
                origin: Origin::Document,
            });
        }
    }
    // `deepseek:<id>` (pydantic-ai, langchain `init_chat_model`) names the DeepSeek provider,
    // which calls the official API.
    for u in &mut out {
        let prefixed =
            u.id.get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("deepseek:"));
        if prefixed {
            u.id = u.id[9..].to_string();
            u.target = Target::DeepSeek;
            u.origin = Origin::Bound;
        }
    }
    out
}

/// True when any model named in the document is a DeepSeek model.
fn doc_names_deepseek_model(a: &Analysis<'_>) -> bool {
    a.facts
        .clients
        .iter()
        .filter_map(|c| c.model.as_ref())
        .chain(a.facts.requests.iter().filter_map(|r| r.model.as_ref()))
        .chain(a.facts.models.iter().map(|m| &m.value))
        .filter_map(|v| v.as_str())
        .any(Catalogue::looks_deepseek)
}

fn push_once(seen: &mut HashSet<Range<usize>>, out: &mut Vec<Hit>, hit: Hit) {
    if seen.insert(hit.range.clone()) {
        out.push(hit);
    }
}

/// DS401: an OpenAI model name sent to DeepSeek.
pub fn openai_model_on_deepseek(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let cat = &ctx.settings.catalogue;
    let suggest = cat.default_model();
    let doc_ok = a.doc_deepseek_url && !doc_names_deepseek_model(&a);
    let mut seen = HashSet::new();
    for u in uses(&a) {
        if u.target != Target::DeepSeek || !cat.is_openai_model(&u.id) {
            continue;
        }
        if u.origin == Origin::Document && !doc_ok {
            continue;
        }
        let mut hit = Hit::at(u.value.span.clone())
            .arg("model", u.id.clone())
            .arg("suggest", suggest);
        if let Some(e) = model_edit(ctx.text(), u.value, &u.id, suggest) {
            hit.fix = Some(Fix {
                title: format!("Use `{suggest}`"),
                safe: false,
                edits: vec![e],
            });
        }
        push_once(&mut seen, out, hit);
    }
}

/// The current model closest to a typo, if close enough.
fn nearest_current(cat: &Catalogue, id: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    cat.data
        .models
        .iter()
        .filter(|m| m.status == Status::Current)
        .map(|m| (strsim::levenshtein(&lower, &m.id), m.id.clone()))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}

/// DS402: a DeepSeek-looking model the official API does not serve, sent to it.
pub fn unknown_deepseek_model(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let cat = &ctx.settings.catalogue;
    let current = cat.current_list();
    let mut seen = HashSet::new();
    for u in uses(&a) {
        if u.target != Target::DeepSeek || !Catalogue::looks_deepseek(&u.id) || u.id.contains(':') {
            continue;
        }
        // Provider-qualified names (`deepseek-ai/DeepSeek-V3`) at document level are usually
        // meant for Together / Hugging Face; only judge them on a bound official target.
        if u.origin == Origin::Document && u.id.contains('/') {
            continue;
        }
        let (detail, fix_to) = match cat.model(&u.id) {
            Some(m) if m.status == Status::Current || m.status == Status::Retired => continue,
            Some(m) => {
                let on = if m.valid_on.is_empty() {
                    String::new()
                } else {
                    format!(" (the name is valid on {})", m.valid_on.join(", "))
                };
                (
                    format!("is not served by the official DeepSeek API{on}"),
                    None,
                )
            }
            None => match nearest_current(cat, &u.id) {
                Some(n) => (
                    format!("is not a DeepSeek model ID (did you mean `{n}`?)"),
                    Some(n),
                ),
                None => (
                    "is not a model ID of the official DeepSeek API".to_string(),
                    None,
                ),
            },
        };
        let mut hit = Hit::at(u.value.span.clone())
            .arg("model", u.id.clone())
            .arg("detail", detail)
            .arg("current", current.clone())
            .arg("suggest", cat.default_model());
        if let Some(n) = fix_to {
            if let Some(e) = model_edit(ctx.text(), u.value, &u.id, &n) {
                hit.fix = Some(Fix {
                    title: format!("Use `{n}`"),
                    safe: false,
                    edits: vec![e],
                });
            }
        }
        push_once(&mut seen, out, hit);
    }
}

/// True when the setting that holds a model site is named for DeepSeek (`DEEPSEEK_MODEL:
/// str = "…"`, `DEEPSEEK_MODEL=…`, `"deepseek_model": "…"`, `deepseekModel: '…'`): in a file
/// that configures several providers, that name says which one the ID is for.
fn named_for_deepseek(text: &str, v: &Value) -> bool {
    let start = v.span.start.min(text.len());
    let Some(line_start) = text
        .get(..start)
        .map(|b| b.rfind('\n').map_or(0, |i| i + 1))
    else {
        return false;
    };
    let Some(before) = text.get(line_start..start) else {
        return false;
    };
    let name: String = before
        .trim_start()
        .trim_start_matches("export ")
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let lower = name.to_ascii_lowercase();
    lower.contains("deepseek") && lower.contains("model")
}

/// DS403: a retired DeepSeek model sent to the official API.
pub fn retired_deepseek_model(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let cat = &ctx.settings.catalogue;
    let mut seen = HashSet::new();
    for u in uses(&a) {
        let official = matches!(
            u.target,
            Target::DeepSeek | Target::DeepSeekAnthropic | Target::Unbound
        ) || (u.origin == Origin::Document
            && named_for_deepseek(ctx.text(), u.value));
        if !official || !is_official_style_deepseek(&u.id) {
            continue;
        }
        let Some(m) = cat.model(&u.id).filter(|m| m.status == Status::Retired) else {
            continue;
        };
        let replacement = m
            .replacement
            .clone()
            .unwrap_or_else(|| cat.default_model().to_string());
        let date = m.retired.clone().unwrap_or_default();
        let thinking = m.thinking.clone().unwrap_or_else(|| "disabled".into());
        let mut hit = Hit::at(u.value.span.clone())
            .arg("model", u.id.clone())
            .arg("date", date)
            .arg("replacement", replacement.clone())
            .arg("thinking", thinking.clone());
        if let Some(e) = model_edit(ctx.text(), u.value, &u.id, &replacement) {
            // Keep the old behaviour: set `thinking` where the call or request object allows.
            let param = fixes::thinking_param(ctx, u.value.span.clone(), &thinking);
            let mut note = None;
            let title = match param {
                Some(_) => format!("Use `{replacement}` with thinking {thinking}"),
                None if thinking == "disabled" => {
                    // A constant or config value: the rename turns thinking on wherever it
                    // is used. Say so, in the message and (as a comment) in the diff.
                    let how = thinking::off_switch(ctx.doc.kind);
                    hit = hit.help(format!(
                        "`{replacement}` thinks by default and the retired model did not: after \
                         the rename, thinking is on wherever this value is used. Turn it off in \
                         the requests that use it: `{how}`."
                    ));
                    note = thinking::thinking_on_note(ctx, u.value.span.clone(), &replacement);
                    format!("Use `{replacement}` (thinking is now on: turn it off with `{how}`)")
                }
                None => {
                    format!("Use `{replacement}` (and set thinking {{\"type\": \"{thinking}\"}})")
                }
            };
            hit.fix = Some(Fix {
                title,
                safe: false,
                edits: std::iter::once(e).chain(param).chain(note).collect(),
            });
        }
        push_once(&mut seen, out, hit);
    }
}
