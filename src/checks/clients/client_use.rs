//! The `client_use` fact kind (a client constructed in the document, with where it sends
//! and its DeepSeek evidence) and the `add-base-url` named fix. DS201 (an OpenAI-SDK client
//! with DeepSeek evidence and no base URL) is a condition over these facts in its rule file.

use super::models::target_name;
use super::supplied::{self, Supplied};
use super::{official_base, Analysis};
use crate::catalogue::Status;
use crate::checks::fact::Fact;
use crate::checks::Ctx;
use crate::diagnostic::Hit;
use crate::facts::sdks::{SdkEntry, TABLE};
use crate::facts::view::{Kind, Row, Val};
use crate::facts::Client;

/// The `client_use` kind: its fields, in row order.
pub const CLIENT_USE: Kind = Kind {
    name: "client_use",
    fields: &[
        ("client", "the constructor as written (`OpenAI`, `ChatOpenAI`)"),
        ("sdk", "the SDK id (`openai-python`…)"),
        ("family", "openai-compatible | deepseek-native | anthropic"),
        ("base_url_set", "true when a base URL is given to it"),
        ("misspelled_option", "true when a base URL is given under an option name the SDK ignores"),
        ("global_base_url", "true when the document sets the base URL globally (`openai.base_url = …`, `OPENAI_BASE_URL`)"),
        ("evidence", "its DeepSeek evidence other than the base URL, described (`uses the DeepSeek key `DEEPSEEK_API_KEY``), null when none"),
        ("target", "where it sends, as for `model_use`"),
        ("add", "the base-URL option to add, written in the client's language (`base_url=\"https://api.deepseek.com\"`)"),
    ],
};

/// The SDK table entry of a client.
pub fn entry(c: &Client) -> Option<&'static SdkEntry> {
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
pub fn callee(ctx: &Ctx<'_>, c: &Client) -> String {
    ctx.text()
        .get(c.callee_span.clone())
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_else(|| c.sdk.clone())
}

/// The `client_use` facts of a document, one per client, at its constructor.
pub fn client_uses(ctx: &Ctx<'_>) -> Vec<Row> {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let base = official_base(ctx.settings);
    let s = |v: &str| Val::Str(v.to_string());
    a.facts
        .clients
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let e = entry(c);
            let lang = e.map(|e| e.lang.as_str()).unwrap_or("python");
            let opt = e
                .and_then(|e| e.base_url.first())
                .map(String::as_str)
                .unwrap_or("base_url");
            let family = c.family.as_str();
            Row {
                span: c.callee_span.clone(),
                values: vec![
                    Val::Str(callee(ctx, c)),
                    s(&c.sdk),
                    s(family),
                    Val::Bool(c.base_url.is_some()),
                    Val::Bool(!c.misspelled_base_url.is_empty()),
                    Val::Bool(a.global_base.is_some()),
                    a.evidence[i].clone().map_or(Val::Null, Val::Str),
                    s(target_name(&a.client_target(i))),
                    Val::Str(option_text(lang, opt, &base)),
                ],
            }
        })
        .collect()
}

/// The `add-base-url` fix: adds the official base URL to the client's options. None when
/// the client sends a model the official API does not serve or an env file may supply the
/// base URL; unsafe when the program loads settings that may set the SDK's base-URL
/// variable.
pub fn add_base_url_fix(ctx: &Ctx<'_>, fact: &Fact<'_>, hit: &mut Hit) {
    let a = Analysis::new(ctx.facts(), ctx.settings);
    let Some(c) = a
        .facts
        .clients
        .iter()
        .find(|c| c.callee_span == fact.row.span)
    else {
        return;
    };
    hit.fix = crate::checks::fixes::add_base_url(ctx, c);
    // Never point a client at the official API for a model it does not serve.
    let cat = &ctx.settings.catalogue;
    let unserved = a
        .client_models(c)
        .iter()
        .filter_map(|m| m.as_str())
        .any(|m| {
            !cat.model(m)
                .is_some_and(|m| matches!(m.status, Status::Current | Status::Retired))
        });
    if unserved {
        hit.fix = None;
    }
    if hit.fix.is_some() {
        // Safe only when nothing else can be supplying the base URL.
        match supplied::base_url_source(ctx.path, ctx.text()) {
            Some(Supplied::EnvFile(_)) => hit.fix = None,
            Some(Supplied::Loaded(why)) => {
                if let Some(f) = hit.fix.as_mut() {
                    f.safe = false;
                    f.title.push_str(&format!(
                        " (the program {why}, which may set the SDK's base-URL variable)"
                    ));
                }
            }
            None => {}
        }
    }
}
