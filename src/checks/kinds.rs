//! Every fact kind a rule's condition can read: the plain kinds of [`crate::facts::view`]
//! (computed from a document's facts alone) and the derived kinds below, which need the
//! client analysis ([`super::clients::Analysis`]: where each client, request and model site
//! sends) or the document's text. Built-in rules (`on = "…"` in `rules/DS*.toml`) and custom
//! rules (`[[rule]]` in the configuration) read the same kinds.

use super::clients::{apis, base_url, base_url_option, client_use, keys, models};
use super::{auth_header, browser, secret, Ctx};
use crate::facts::view::{self, Kind, Row};

/// A derived kind: its fields and the function that computes its rows.
struct Derived {
    kind: Kind,
    rows: fn(&Ctx<'_>) -> Vec<Row>,
}

/// The derived kinds.
const DERIVED: &[Derived] = &[
    Derived {
        kind: secret::KEY_LITERAL,
        rows: secret::key_literals,
    },
    Derived {
        kind: models::MODEL_USE,
        rows: models::model_uses,
    },
    Derived {
        kind: apis::API_CALL,
        rows: apis::api_calls,
    },
    Derived {
        kind: client_use::CLIENT_USE,
        rows: client_use::client_uses,
    },
    Derived {
        kind: base_url::URL_SITE,
        rows: base_url::url_sites,
    },
    Derived {
        kind: base_url_option::BASE_URL_OPTION,
        rows: base_url_option::base_url_options,
    },
    Derived {
        kind: keys::KEY_USE,
        rows: keys::key_uses,
    },
    Derived {
        kind: browser::BROWSER_EXPOSURE,
        rows: browser::browser_exposures,
    },
    Derived {
        kind: auth_header::AUTH_SITE,
        rows: auth_header::auth_sites,
    },
];

/// Every kind, plain ones first (for listings and error messages).
pub fn all() -> impl Iterator<Item = &'static Kind> {
    view::KINDS.iter().chain(DERIVED.iter().map(|d| &d.kind))
}

/// The kind named `name`.
pub fn kind(name: &str) -> Option<&'static Kind> {
    all().find(|k| k.name == name)
}

/// The facts of kind `kind` in the document, in extraction order.
pub fn rows(kind: &Kind, ctx: &Ctx<'_>) -> Vec<Row> {
    match DERIVED.iter().find(|d| d.kind.name == kind.name) {
        Some(d) => (d.rows)(ctx),
        None => view::rows(kind.name, ctx.facts(), ctx.settings),
    }
}
