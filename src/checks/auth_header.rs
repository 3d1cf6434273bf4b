//! DS301, DS302, DS303: what is wrong with an `Authorization` header or an API-key value.
//!
//! The sites and their values come from the fact layer ([`crate::facts::auth`]: `Authorization`
//! headers, `api_key`/`apiKey` options and variables, reqwest `.bearer_auth(`, literal `Bearer
//! Bearer`/`sk-sk-`, `"sk-" + key`, keys read from a file); this module judges each site once
//! ([`header`], [`key`], [`literal`], with [`target`] saying where a header goes), and each
//! rule's check keeps the problems of its own code. The same sites are the `auth_site` fact
//! kind ([`rows`]) that rule conditions can read.

mod expr;
mod header;
mod key;
mod literal;
mod rows;
mod target;

pub use rows::{auth_sites, AUTH_SITE};

use std::ops::Range;

use super::Ctx;
use crate::diagnostic::{Edit, Fix, Hit};
use crate::facts::auth::{AuthSite, SiteKind};
use crate::source::FileKind;

/// DS301 check: duplicated `Bearer`/`sk-` prefixes.
pub fn check_duplicated(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    emit(ctx, Code::Ds301, out);
}

/// DS302 check: an `Authorization` header to DeepSeek without the `Bearer` scheme.
pub fn check_scheme(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    emit(ctx, Code::Ds302, out);
}

/// DS303 check: malformed header values and keys with whitespace.
pub fn check_malformed(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    emit(ctx, Code::Ds303, out);
}

/// The kinds of site each rule judges (its former patterns, in their order).
fn judges(code: Code, kind: SiteKind) -> bool {
    use SiteKind as K;
    match code {
        Code::Ds301 => matches!(
            kind,
            K::Duplicate | K::Header | K::SkPrefix | K::Key | K::BearerAuth
        ),
        Code::Ds302 => kind == K::Header,
        Code::Ds303 => matches!(
            kind,
            K::Header | K::Key | K::BearerLiteral | K::EchoBase64 | K::FileRead
        ),
    }
}

fn emit(ctx: &Ctx<'_>, code: Code, out: &mut Vec<Hit>) {
    for site in ctx.auth_sites().iter().filter(|s| judges(code, s.kind)) {
        for p in problems(ctx, site, code)
            .into_iter()
            .filter(|p| p.code == code)
        {
            let fp = ctx.text().get(p.range.clone()).unwrap_or("").to_string();
            out.push(Hit {
                range: p.range,
                message: Some(p.message),
                help: Some(p.help),
                fingerprint: Some(fp),
                fix: p.fix,
                ..Hit::default()
            });
        }
    }
}

/// The problems at one site.
fn problems(ctx: &Ctx<'_>, site: &AuthSite, want: Code) -> Vec<Problem> {
    let text = ctx.text();
    match (site.kind, &site.value) {
        (SiteKind::Duplicate, _) => literal::duplicated_literal(text, site.name.clone()),
        (SiteKind::SkPrefix, _) => literal::sk_plus_key(text, site.name.clone()),
        (SiteKind::EchoBase64, _) => literal::echo_base64(text, site),
        (SiteKind::FileRead, _) => literal::unstripped_read(ctx, site),
        (SiteKind::Header | SiteKind::BearerLiteral, Some(v)) => header::judge_header(ctx, v, want),
        (SiteKind::Key, Some(v)) => key::judge_key(ctx, &text[site.name.clone()], v),
        (SiteKind::BearerAuth, Some(v)) => key::judge_key(ctx, "bearer_auth", v),
        _ => Vec::new(),
    }
}

/// Which rule a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Code {
    Ds301,
    Ds302,
    Ds303,
}

/// A problem at a site.
#[derive(Clone, Debug)]
struct Problem {
    fix: Option<Fix>,
    code: Code,
    range: Range<usize>,
    message: String,
    help: String,
}

fn shell_like(kind: FileKind) -> bool {
    matches!(kind, FileKind::Shell | FileKind::Dockerfile)
}

/// A fix-it example for a header in the document's language.
fn header_example(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Python => r#"`{"Authorization": f"Bearer {os.environ['DEEPSEEK_API_KEY']}"}`"#,
        FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx => {
            "`{ Authorization: `Bearer ${process.env.DEEPSEEK_API_KEY}` }`"
        }
        FileKind::Rust => "`.bearer_auth(&api_key)` or `format!(\"Bearer {api_key}\")`",
        k if shell_like(k) => "`-H \"Authorization: Bearer $DEEPSEEK_API_KEY\"`",
        _ => "`Authorization: Bearer ${DEEPSEEK_API_KEY}`",
    }
}

/// Strips / trims a value read from a file in the document's language.
fn strip_call(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Python => ".strip()",
        _ => ".trim()",
    }
}

/// A safe fix replacing `range` with `content`.
fn safe_fix(title: &str, range: Range<usize>, content: &str) -> Option<Fix> {
    Some(Fix {
        title: title.to_string(),
        safe: true,
        edits: vec![Edit::replace(range.start..range.end, content.to_string())],
    })
}

/// In the source of `span`: the first `Bearer` (any case) when it opens the value's first
/// literal, and the run of `:`, spaces and tabs after it.
fn bearer_in_source(text: &str, span: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
    let src = text.get(span.clone())?;
    let i = src.to_ascii_lowercase().find("bearer")?;
    let prefix = src[..i].replacen("format!(", "", 1);
    if prefix.len() > 3 || !prefix.chars().all(|c| "fFrRbB\"'`(&#".contains(c)) {
        return None;
    }
    let word = span.start + i..span.start + i + 6;
    let after = &text[word.end..span.end.max(word.end)];
    let n = after.len() - after.trim_start_matches([':', ' ', '\t']).len();
    Some((word.clone(), word.end..word.end + n))
}
