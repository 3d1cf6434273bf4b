//! The `auth_site` fact kind: the document's auth sites ([`crate::facts::auth`]) as rows that
//! rule conditions can read, the same sites DS301-DS303 judge.

use crate::checks::Ctx;
use crate::facts::auth::value::Part;
use crate::facts::auth::SiteKind;
use crate::facts::view::{Kind, Row, Val};

/// The `auth_site` kind: its fields, in row order.
pub const AUTH_SITE: Kind = Kind {
    name: "auth_site",
    fields: &[
        ("kind", "header (an `Authorization` header) | key (an `api_key`/`apiKey` option or key variable) | bearer_auth (reqwest `.bearer_auth(…)`) | bearer_literal (a string starting `Bearer:`, `Bearer  ` or `Bearer{…}`) | duplicate (`Bearer Bearer` or `sk-sk-` written out) | sk_prefix (`\"sk-\" + key` and its template forms) | echo_base64 (`echo \"$KEY\" | base64`) | file_read (a key read from a file into a variable)"),
        ("name", "the name as written (`Authorization`, `api_key`, `.bearer_auth`), the duplicate or expression itself, the echoed word, or the variable read into"),
        ("value", "the value given at the site as written, null for the kinds without one"),
        ("literal", "that value's literal text (escapes decoded) with each interpolation written `{}`"),
        ("holes", "that value's interpolated expressions as written, joined by spaces"),
    ],
};

fn kind_name(kind: SiteKind) -> &'static str {
    match kind {
        SiteKind::Duplicate => "duplicate",
        SiteKind::Header => "header",
        SiteKind::SkPrefix => "sk_prefix",
        SiteKind::Key => "key",
        SiteKind::BearerAuth => "bearer_auth",
        SiteKind::BearerLiteral => "bearer_literal",
        SiteKind::EchoBase64 => "echo_base64",
        SiteKind::FileRead => "file_read",
    }
}

/// The `auth_site` rows of the document, in the order of [`crate::facts::auth::sites`].
pub fn auth_sites(ctx: &Ctx<'_>) -> Vec<Row> {
    let text = ctx.text();
    let s = |v: Option<&str>| v.map_or(Val::Null, |v| Val::Str(v.to_string()));
    ctx.auth_sites()
        .iter()
        .map(|site| {
            let value = site.value.as_ref();
            let literal = value.map(|v| {
                v.parts
                    .iter()
                    .map(|p| match p {
                        Part::Lit(t) => t.as_str(),
                        Part::Hole(_) => "{}",
                    })
                    .collect::<String>()
            });
            Row {
                span: site.range.clone(),
                values: vec![
                    Val::Str(kind_name(site.kind).to_string()),
                    s(text.get(site.name.clone())),
                    s(value.and_then(|v| text.get(v.span.clone()))),
                    s(literal.as_deref()),
                    s(value.map(|v| v.holes()).as_deref()),
                ],
            }
        })
        .collect()
}
