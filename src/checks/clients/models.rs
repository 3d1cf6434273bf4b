//! The `model_use` fact kind (one model ID sent somewhere, with the target it is sent to and
//! what the catalogue says about it) and the `retired-model` named fix. DS401 (OpenAI model
//! on DeepSeek), DS402 (model the official API does not serve) and DS403 (retired model) are
//! conditions over these facts in their rule files.

use super::{is_official_style_deepseek, replace_in, Analysis, Origin, Target};
use crate::catalogue::{Catalogue, Status};
use crate::checks::fact::Fact;
use crate::checks::{fixes, thinking, Ctx};
use crate::diagnostic::{Fix, Hit};
use crate::facts::view::{Kind, Row, Val};
use crate::facts::Value;

/// The `model_use` kind: its fields, in row order.
pub const MODEL_USE: Kind = Kind {
    name: "model_use",
    fields: &[
        ("model", "the model ID sent (a litellm `deepseek/` or a `deepseek:` provider prefix removed)"),
        ("target", "where it goes: deepseek | deepseek-anthropic | openai | other | unknown | unbound (no client and no evidence either way)"),
        ("origin", "bound (decided by its client or request) | document (guessed from the rest of the document)"),
        ("status", "current | retired | not-served | openai | unknown, from the catalogue"),
        ("openai", "true when the ID is an OpenAI model name"),
        ("deepseek_like", "true when the ID names a DeepSeek model in any spelling"),
        ("official_style", "true for a `deepseek-…` ID in the official API's naming (no provider prefix, no tag)"),
        ("named_for_deepseek", "true when the setting that holds a document-level ID is named for DeepSeek (`DEEPSEEK_MODEL=…`)"),
        ("url_evidence_only", "true when the document names a DeepSeek URL and no DeepSeek model"),
        ("suggest", "the catalogue's default model"),
        ("current", "the current model IDs, in backticks, comma-separated"),
        ("valid_on", "for a catalogued ID the official API does not serve: where it is valid"),
        ("nearest", "for an uncatalogued DeepSeek-looking ID: the current ID closest to it (a typo)"),
        ("replacement", "for a retired ID: the ID to use instead"),
        ("date", "for a retired ID: its retirement date"),
        ("thinking", "for a retired ID: the `thinking` setting that keeps its behaviour"),
    ],
};

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
                target: a.scope_target(&s.value.span).unwrap_or_else(|| doc.clone()),
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

/// A target's name in fact fields.
pub fn target_name(t: &Target) -> &'static str {
    match t {
        Target::DeepSeek => "deepseek",
        Target::DeepSeekAnthropic => "deepseek-anthropic",
        Target::OpenAI => "openai",
        Target::Other(_) => "other",
        Target::Unknown => "unknown",
        Target::Unbound => "unbound",
    }
}

/// An origin's name in fact fields.
pub fn origin_name(o: Origin) -> &'static str {
    match o {
        Origin::Bound => "bound",
        Origin::Document => "document",
    }
}

fn status_name(cat: &Catalogue, id: &str) -> &'static str {
    match cat.model(id).map(|m| &m.status) {
        Some(Status::Current) => "current",
        Some(Status::Retired) => "retired",
        Some(Status::NotServedByOfficialApi) => "not-served",
        None if cat.is_openai_model(id) => "openai",
        None => "unknown",
    }
}

fn opt(s: Option<String>) -> Val {
    s.map_or(Val::Null, Val::Str)
}

/// The `model_use` facts of a document: every model sent through a client or request, or
/// named at document level, in that order (a site can appear more than once, with different
/// targets; rules report each span once).
pub fn model_uses(ctx: &Ctx<'_>) -> Vec<Row> {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let cat = &ctx.settings.catalogue;
    let url_evidence_only = a.doc_deepseek_url && !doc_names_deepseek_model(&a);
    let suggest = cat.default_model();
    let current = cat.current_list();
    uses(&a)
        .into_iter()
        .map(|u| {
            let entry = cat.model(&u.id);
            let deepseek_like = Catalogue::looks_deepseek(&u.id);
            let retired = entry.filter(|m| m.status == Status::Retired);
            let named = u.origin == Origin::Document && named_for_deepseek(ctx.text(), u.value);
            let valid_on = entry
                .filter(|m| !m.valid_on.is_empty())
                .map(|m| m.valid_on.join(", "));
            let nearest = if entry.is_none() && deepseek_like {
                nearest_current(cat, &u.id)
            } else {
                None
            };
            Row {
                span: u.value.span.clone(),
                values: vec![
                    Val::Str(u.id.clone()),
                    Val::Str(target_name(&u.target).into()),
                    Val::Str(origin_name(u.origin).into()),
                    Val::Str(status_name(cat, &u.id).into()),
                    Val::Bool(cat.is_openai_model(&u.id)),
                    Val::Bool(deepseek_like),
                    Val::Bool(is_official_style_deepseek(&u.id)),
                    Val::Bool(named),
                    Val::Bool(url_evidence_only),
                    Val::Str(suggest.to_string()),
                    Val::Str(current.clone()),
                    opt(valid_on),
                    opt(nearest),
                    opt(retired
                        .map(|m| m.replacement.clone().unwrap_or_else(|| suggest.to_string()))),
                    opt(retired.map(|m| m.retired.clone().unwrap_or_default())),
                    opt(retired.map(|m| m.thinking.clone().unwrap_or_else(|| "disabled".into()))),
                ],
            }
        })
        .collect()
}

/// The `retired-model` fix: renames a retired model to its `replacement` and keeps the old
/// behaviour by setting `thinking` where the call or request object allows; where it cannot
/// (a constant or config value), says in the help and in a comment that thinking is now on.
pub fn retired_model_fix(ctx: &Ctx<'_>, fact: &Fact<'_>, hit: &mut Hit) {
    let (Some(id), Some(replacement), Some(thinking)) = (
        fact.str("model"),
        fact.str("replacement"),
        fact.str("thinking"),
    ) else {
        return;
    };
    let span = fact.row.span.clone();
    let Some(e) = replace_in(ctx.text(), &span, id, replacement) else {
        return;
    };
    let param = fixes::thinking_param(ctx, span.clone(), thinking);
    let mut note = None;
    let title = match param {
        Some(_) => format!("Use `{replacement}` with thinking {thinking}"),
        None if thinking == "disabled" => {
            // A constant or config value: the rename turns thinking on wherever it is used.
            // Say so, in the message and (as a comment) in the diff.
            let how = thinking::off_switch(ctx.doc.kind);
            hit.help = Some(format!(
                "`{replacement}` thinks by default and the retired model did not: after the \
                 rename, thinking is on wherever this value is used. Turn it off in the \
                 requests that use it: `{how}`."
            ));
            note = thinking::thinking_on_note(ctx, span, replacement);
            format!("Use `{replacement}` (thinking is now on: turn it off with `{how}`)")
        }
        None => format!("Use `{replacement}` (and set thinking {{\"type\": \"{thinking}\"}})"),
    };
    hit.fix = Some(Fix {
        title,
        safe: false,
        edits: std::iter::once(e).chain(param).chain(note).collect(),
    });
}
