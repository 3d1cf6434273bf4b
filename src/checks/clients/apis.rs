//! DS404: an OpenAI API surface DeepSeek does not serve, called through a DeepSeek-bound
//! client (or a raw HTTP request to a DeepSeek host).

use super::{split_endpoint, Analysis, Origin, Target};
use crate::checks::Ctx;
use crate::diagnostic::Hit;
use crate::facts::sdks::TABLE;

/// DS404.
pub fn unsupported_api_on_deepseek(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    // A client class made for one API (`OpenAIEmbeddings(base_url=<DeepSeek>)`).
    for (i, c) in a.facts.clients.iter().enumerate() {
        let Some(callee) = ctx.text().get(c.callee_span.clone()) else {
            continue;
        };
        let last = callee.rsplit(['.', ':']).next().unwrap_or(callee).trim();
        let Some(api) = TABLE.apis.constructors.get(last) else {
            continue;
        };
        let Some(desc) = TABLE.unsupported(api) else {
            continue;
        };
        if a.client_target(i) == Target::DeepSeek {
            out.push(
                Hit::at(c.callee_span.clone())
                    .arg("api", last.to_string())
                    .arg("what", desc.to_string()),
            );
        }
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
        let Some(desc) = TABLE.unsupported(&api) else {
            continue;
        };
        let (target, origin) = a.request_target(r);
        if target != Target::DeepSeek || origin != Origin::Bound {
            continue;
        }
        let shown = ctx
            .text()
            .get(r.api_span.clone())
            .map(|s| s.split_whitespace().collect::<String>())
            .unwrap_or_else(|| api.clone());
        out.push(
            Hit::at(r.api_span.clone())
                .arg("api", shown)
                .arg("what", desc.to_string()),
        );
    }
}
