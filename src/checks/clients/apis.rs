//! The `api_call` fact kind: an OpenAI API surface used through a client constructor made
//! for one API (`OpenAIEmbeddings(…)`) or an SDK / HTTP call, with where it goes. DS404
//! (an API surface DeepSeek does not serve, called through a DeepSeek-bound client) is a
//! condition over these facts in its rule file.

use super::models::{origin_name, target_name};
use super::{split_endpoint, Analysis, Origin};
use crate::checks::Ctx;
use crate::facts::sdks::TABLE;
use crate::facts::view::{Kind, Row, Val};

/// The `api_call` kind: its fields, in row order.
pub const API_CALL: Kind = Kind {
    name: "api_call",
    fields: &[
        ("api", "the API as written (the constructor's name, or the call's method path without spaces)"),
        ("surface", "the API surface (`embeddings.create`, `responses.create`…; from the endpoint path for an HTTP call)"),
        ("via", "constructor | call"),
        ("unsupported", "what the surface is, when DeepSeek does not serve it (`the Responses API`…); null when it does"),
        ("target", "where it goes, as for `model_use`"),
        ("origin", "bound | document, as for `model_use`"),
    ],
};

fn row(
    span: std::ops::Range<usize>,
    api: String,
    surface: &str,
    via: &str,
    target: &str,
    origin: Origin,
) -> Row {
    Row {
        span,
        values: vec![
            Val::Str(api),
            Val::Str(surface.to_string()),
            Val::Str(via.into()),
            TABLE
                .unsupported(surface)
                .map_or(Val::Null, |d| Val::Str(d.to_string())),
            Val::Str(target.into()),
            Val::Str(origin_name(origin).into()),
        ],
    }
}

/// The `api_call` facts of a document: client constructors made for one API, then SDK and
/// HTTP calls whose endpoint is known.
pub fn api_calls(ctx: &Ctx<'_>) -> Vec<Row> {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let mut out = Vec::new();
    for (i, c) in a.facts.clients.iter().enumerate() {
        let Some(callee) = ctx.text().get(c.callee_span.clone()) else {
            continue;
        };
        let last = callee.rsplit(['.', ':']).next().unwrap_or(callee).trim();
        let Some(api) = TABLE.apis.constructors.get(last) else {
            continue;
        };
        let target = target_name(&a.client_target(i));
        out.push(row(
            c.callee_span.clone(),
            last.to_string(),
            api,
            "constructor",
            target,
            Origin::Bound,
        ));
    }
    for r in &a.facts.requests {
        let api = if r.api == "http" {
            match r.url.as_ref().and_then(|u| u.as_str()) {
                Some(u) => match split_endpoint(u).1 {
                    Some(api) => api.to_string(),
                    None => continue,
                },
                None => continue,
            }
        } else {
            r.api.clone()
        };
        let (target, origin) = a.request_target(r);
        let shown = ctx
            .text()
            .get(r.api_span.clone())
            .map(|s| s.split_whitespace().collect::<String>())
            .unwrap_or_else(|| api.clone());
        out.push(row(
            r.api_span.clone(),
            shown,
            &api,
            "call",
            target_name(&target),
            origin,
        ));
    }
    out
}
