//! Base-URL fixes: DS201's official base URL added to a client construction, and the
//! official URL meant by a malformed or misspelled DeepSeek URL.

use super::{insert_item, quote_style};
use crate::checks::Ctx;
use crate::diagnostic::{Edit, Fix};
use crate::source::FileKind;

/// The official base URL (`https://` + the catalogue's first official host).
pub fn official_base_url(settings: &crate::settings::Settings) -> Option<String> {
    settings
        .catalogue
        .data
        .hosts
        .official
        .first()
        .map(|h| format!("https://{h}"))
}

/// DS201's fix: adds the official base URL to an OpenAI-compatible client construction
/// under the SDK's own option name (`base_url=` in Python, `baseURL:` in JS/TS,
/// `.with_api_base(…)` in Rust), in the quote style of the call. `None` when the option
/// would have to go into a nested object (`configuration: { baseURL }`) that already exists,
/// or the options are not a literal the fix can extend.
pub fn add_base_url(ctx: &Ctx<'_>, client: &crate::facts::Client) -> Option<Fix> {
    let url = official_base_url(ctx.settings)?;
    let entry = crate::facts::sdks::TABLE
        .clients
        .iter()
        .find(|e| e.id == client.sdk)?;
    let option = entry.base_url.first()?;
    let text = ctx.text();
    let q = quote_style(text, client.span.clone());
    let lit = format!("{q}{url}{q}");
    let edit = match ctx.doc.kind {
        // The end of the `OpenAIConfig` builder chain.
        FileKind::Rust => Edit::insert(client.insert_at?, format!(".{option}(\"{url}\")")),
        FileKind::Python => insert_item(text, client.insert_at?, &format!("{option}={lit}"))?,
        k if k.is_js_family() => {
            let item = match option.split_once('.') {
                None => format!("{option}: {lit}"),
                Some((outer, inner)) => {
                    if text.get(client.span.clone())?.contains(outer) {
                        return None;
                    }
                    format!("{outer}: {{ {inner}: {lit} }}")
                }
            };
            match client.insert_at {
                Some(at) => insert_item(text, at, &item)?,
                None => {
                    let call = text.get(client.span.clone())?;
                    if !call.trim_end().ends_with("()") {
                        return None;
                    }
                    let close = client.span.start + call.trim_end().len() - 1;
                    Edit::insert(close, format!("{{ {item} }}"))
                }
            }
        }
        _ => return None,
    };
    Some(Fix::safe(format!("Add the base URL {url}"), vec![edit]))
}

/// The official-API URL meant by a malformed or misspelled DeepSeek URL, or `None` when the
/// URL is fine, not meant for DeepSeek, or has a path that maps to no known endpoint.
///
/// `as_base`: the URL is used as an SDK base URL (or joined with a path), so a trailing
/// `/chat/completions`/`/completions` is dropped and the rest must be an official base path
/// (`/v1`, `/beta`…). Otherwise the URL may be posted to as it is: only the scheme and host
/// are corrected (and `/v1/v1` collapsed), and the path must still be an official base or
/// end in a known endpoint on one.
pub fn corrected_deepseek_url(
    catalogue: &crate::catalogue::Catalogue,
    url: &str,
    as_base: bool,
) -> Option<String> {
    use crate::catalogue::UrlTarget;
    match catalogue.classify_url(url) {
        UrlTarget::DeepSeekMalformed(_) | UrlTarget::DeepSeekWrongHost(_) => {}
        _ => return None,
    }
    let hosts = &catalogue.data.hosts;
    let host = hosts.official.first()?;
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    if !as_base {
        let mut path = path.to_string();
        while path.contains("/v1/v1") {
            path = path.replace("/v1/v1", "/v1");
        }
        let fixed = format!("https://{host}{path}");
        let (base, _) = crate::checks::clients::split_endpoint(&fixed);
        return (catalogue.classify_url(base) == UrlTarget::DeepSeek).then_some(fixed);
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut path = path.trim_end_matches('/').to_string();
    for tail in ["/chat/completions", "/completions"] {
        if let Some(p) = path.strip_suffix(tail) {
            path = p.trim_end_matches('/').to_string();
        }
    }
    while path.contains("/v1/v1") {
        path = path.replace("/v1/v1", "/v1");
    }
    if !hosts.official_paths.contains(&path) {
        return None;
    }
    let fixed = format!("https://{host}{path}");
    (catalogue.classify_url(&fixed) == UrlTarget::DeepSeek).then_some(fixed)
}
