//! Auth sites: where a document sets an `Authorization` header or an API key, and the value
//! it gives there, found once per document for the auth rules (DS301-DS303) to judge.
//!
//! Each kind of site is found by one regex ([`SiteKind`] says which), then its position is
//! tested ([`site`]: not on a comment line, a key position in a config, an SDK's argument list)
//! and the value that follows is read as a [`Template`] ([`value`]: a hand-written reader for
//! code and for text formats). Sites are listed kind by kind, each kind in document order.

mod site;
pub mod value;

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::source::{Document, FileKind};
use site::{
    at_key_line, at_key_position, header_value, in_comment, key_value, sdk_or_plain_site,
    site_quote, syntax_of,
};
use value::{code_value, skip_ws, text_value, Syntax, Template};

/// What kind of auth site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    /// A literal duplicate: `Bearer Bearer` before a key, a placeholder or a string end, or
    /// `sk-sk-`. `name` is the duplicate; no value.
    Duplicate,
    /// An `Authorization` header name; `value` is the header value.
    Header,
    /// `"sk-" + api_key`, `f"sk-{api_key}"`, `` `sk-${apiKey}` ``, `format!("sk-{}", key)`,
    /// `sk-$DEEPSEEK_API_KEY`. `name` is the whole expression; no value.
    SkPrefix,
    /// An SDK key option or key variable (`api_key`, `apiKey`, `X-Api-Key`, `*_DEEPSEEK_KEY`);
    /// `value` is what it is given.
    Key,
    /// reqwest `.bearer_auth(…)`; `value` is its argument.
    BearerAuth,
    /// A string starting with `Bearer:`, `Bearer  `, `Bearer{key}` anywhere (built before it
    /// reaches the header); `value` is the string expression.
    BearerLiteral,
    /// `echo "$DEEPSEEK_API_KEY" | base64`; `name` is the echoed word.
    EchoBase64,
    /// A key read from a file into a variable (`key = open(p).read()`); `name` is the
    /// variable, `range` the read, `value` the whole right-hand side.
    FileRead,
}

/// One auth site.
#[derive(Clone, Debug)]
pub struct AuthSite {
    /// Its kind.
    pub kind: SiteKind,
    /// Where it is reported from: the whole site, or the read for [`SiteKind::FileRead`].
    pub range: Range<usize>,
    /// The header or key name, the duplicate, or the variable (see [`SiteKind`]).
    pub name: Range<usize>,
    /// The value given at the site, for the kinds that have one.
    pub value: Option<Template>,
    /// For [`SiteKind::EchoBase64`]: `echo` adds a newline (no `-n`).
    pub newline: bool,
}

/// A site regex, the document kinds it runs on (the rules' kinds narrow it further), and
/// its anchors: ASCII-lowercase literals one of which every match holds. No match spans a
/// line, so the regex runs only on the lines that hold an anchor.
struct Finder {
    kind: SiteKind,
    regex: &'static LazyLock<Regex>,
    on: fn(FileKind) -> bool,
    anchors: &'static [&'static str],
}

fn any(_: FileKind) -> bool {
    true
}

fn rust(k: FileKind) -> bool {
    k == FileKind::Rust
}

fn python(k: FileKind) -> bool {
    k == FileKind::Python
}

fn js(k: FileKind) -> bool {
    k.is_js_family()
}

fn echo_kinds(k: FileKind) -> bool {
    matches!(k, FileKind::Shell | FileKind::Dockerfile | FileKind::Yaml)
}

macro_rules! site_regex {
    ($name:ident, $re:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($re).expect("valid regex"));
    };
}

site_regex!(
    DUP,
    r#"(?im)(?:(?P<dup>(?-u:\b)bearer[ \t]+bearer)(?:[ \t]*["'`][ \t]*\+|[ \t]+(?:\$|\{|%s|sk-[a-z0-9]|[a-z0-9_]{8})|[ \t]*["'`]?[ \t]*$)|(?P<dup2>(?-u:\b)sk-sk-)[a-z0-9])"#
);
site_regex!(
    HEADER,
    r#"(?i)(?P<q>["'`]?)(?P<auth>(?-u:\b)authorization)(?-u:\b)"#
);
site_regex!(
    SK_PREFIX,
    r#"(?P<skvar>["'`]sk-["'`][ \t]*\+[ \t]*[\w.\[\]"'()]+|"sk-\{\}"[ \t]*,[ \t]*&?[\w.]+|(?-u:\b)sk-\{[A-Za-z_][^}\n]*\}|(?-u:\b)sk-\$\{[^}\n]+\}|(?-u:\b)sk-\$[A-Za-z_]\w*)"#
);
site_regex!(
    KEY,
    r#"(?i)(?P<q>["'`]?)(?P<apikey>(?:x-)?(?-u:\b)[a-z0-9_]*api[_-]?key|(?-u:\b)[a-z0-9_]*deepseek_key)(?-u:\b)"#
);
site_regex!(BEARER_AUTH, r"(?P<bearerauth>\.bearer_auth)(?-u:\b)");
site_regex!(
    BEARER_LITERAL,
    r#"(?P<bearerlit>["'`])(?i:bearer)(?::|[ \t]{2,}|\{|\$\{|%s)"#
);
site_regex!(
    ECHO_BASE64,
    r#"(?P<m>(?-u:\b)echo[ \t]+(?P<n>-n[ \t]+)?(?P<echokey>["']?\$\{?[A-Za-z_]*(?:API_KEY|APIKEY|_KEY|TOKEN)\}?["']?)[ \t]*\|[ \t]*base64)"#
);
site_regex!(
    READ_PY,
    r#"(?P<readvar>(?-u:\b)[A-Za-z_][\w.]*)(?:[ \t]*:[ \t]*[\w.\[\], |]+?)?[ \t]*=[ \t]*(?P<m>(?:open|Path|pathlib\.Path)\(|[A-Za-z_][\w.]*\.read(?:_text|line)?\()"#
);
site_regex!(
    READ_JS,
    r#"(?-u:\b)(?:const|let|var)[ \t]+(?P<readvar>[A-Za-z_$][\w$]*)[ \t]*(?::[ \t]*\w+[ \t]*)?=[ \t]*(?:await[ \t]+)?(?P<m>(?:[\w.]+\.|require\([^)\n]*\)\.)?readFile(?:Sync)?\()"#
);
site_regex!(
    READ_RUST,
    r#"(?-u:\b)let[ \t]+(?:mut[ \t]+)?(?P<readvar>[A-Za-z_]\w*)(?:[ \t]*:[ \t]*[\w:<>]+)?[ \t]*=[ \t]*(?P<m>(?:std::)?(?:fs::)?read_to_string\()"#
);

/// The site finders, in the order sites are listed.
const FINDERS: &[Finder] = &[
    Finder {
        kind: SiteKind::Duplicate,
        regex: &DUP,
        on: any,
        anchors: &["bearer", "sk-sk-"],
    },
    Finder {
        kind: SiteKind::Header,
        regex: &HEADER,
        on: any,
        anchors: &["authorization"],
    },
    Finder {
        kind: SiteKind::SkPrefix,
        regex: &SK_PREFIX,
        on: any,
        anchors: &["sk-"],
    },
    Finder {
        kind: SiteKind::Key,
        regex: &KEY,
        on: any,
        anchors: &["key"],
    },
    Finder {
        kind: SiteKind::BearerAuth,
        regex: &BEARER_AUTH,
        on: rust,
        anchors: &[".bearer_auth"],
    },
    Finder {
        kind: SiteKind::BearerLiteral,
        regex: &BEARER_LITERAL,
        on: any,
        anchors: &["bearer"],
    },
    Finder {
        kind: SiteKind::EchoBase64,
        regex: &ECHO_BASE64,
        on: echo_kinds,
        anchors: &["base64"],
    },
    Finder {
        kind: SiteKind::FileRead,
        regex: &READ_PY,
        on: python,
        anchors: &["open(", "path(", ".read"],
    },
    Finder {
        kind: SiteKind::FileRead,
        regex: &READ_JS,
        on: js,
        anchors: &["readfile"],
    },
    Finder {
        kind: SiteKind::FileRead,
        regex: &READ_RUST,
        on: rust,
        anchors: &["read_to_string("],
    },
];

/// Every auth site of the document: kind by kind (in [`SiteKind`]'s order), each kind in
/// document order.
pub fn sites(doc: &Document) -> Vec<AuthSite> {
    let text = doc.text.as_str();
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for f in FINDERS.iter().filter(|f| (f.on)(doc.kind)) {
        anchored_matches(f.regex, text, &lower, f.anchors, |caps| {
            if let Some(s) = site(doc, f.kind, &caps) {
                out.push(s);
            }
        });
    }
    out
}

/// The site regexes with their anchors, for tests that compare the anchored search with a
/// whole-text search.
pub fn finders() -> impl Iterator<Item = (&'static Regex, &'static [&'static str])> {
    FINDERS.iter().map(|f| (&**f.regex, f.anchors))
}

/// Every match of `regex` in `text` (`lower` is `text` ASCII-lowercased), searched only on
/// the lines that hold one of `anchors`: what a whole-text search finds when every match
/// holds an anchor and spans no line.
pub fn anchored_matches<'t>(
    regex: &Regex,
    text: &'t str,
    lower: &str,
    anchors: &[&str],
    mut found: impl FnMut(Captures<'t>),
) {
    for line in anchored_lines(text, lower, anchors) {
        // The text before the line is the look-behind context a whole-text search has.
        let hay = &text[..line.end];
        let mut at = line.start;
        while let Some(caps) = regex.captures_at(hay, at) {
            // No site regex matches the empty string; a guard all the same.
            at = caps.get(0).map_or(hay.len() + 1, |m| m.end().max(at + 1));
            found(caps);
            if at > hay.len() {
                break;
            }
        }
    }
}

/// The lines (without their `\n`) that hold one of `anchors` in `lower` (the text
/// ASCII-lowercased, same offsets), in order.
fn anchored_lines(text: &str, lower: &str, anchors: &[&str]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut hits: Vec<usize> = anchors
        .iter()
        .flat_map(|a| memchr::memmem::find_iter(lower.as_bytes(), a.as_bytes()))
        .collect();
    hits.sort_unstable();
    let mut lines: Vec<Range<usize>> = Vec::new();
    for i in hits {
        if lines.last().is_some_and(|l| i <= l.end) {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..i]).map_or(0, |p| p + 1);
        let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |p| i + p);
        lines.push(start..end);
    }
    lines
}

/// The site at one regex match, or `None` where the match is not a site (a comment line, an
/// escaped quote, prose in a config, another API's argument) or has no value to read.
fn site(doc: &Document, kind: SiteKind, caps: &Captures<'_>) -> Option<AuthSite> {
    let text = doc.text.as_str();
    let whole = caps.get(0).map_or(0..0, |m| m.range());
    let range = caps.name("m").map_or(whole, |m| m.range());
    if in_comment(doc, range.start) {
        return None;
    }
    let cap = |n: &str| caps.name(n).map(|m| m.range());
    let mut site = AuthSite {
        kind,
        range: range.clone(),
        name: 0..0,
        value: None,
        newline: false,
    };
    match kind {
        SiteKind::Duplicate => site.name = cap("dup").or_else(|| cap("dup2"))?,
        SiteKind::SkPrefix => {
            let r = cap("skvar")?;
            let shell = matches!(doc.kind, FileKind::Shell | FileKind::Dockerfile);
            if !doc.kind.is_code() && !shell && !at_key_line(text, r.start) {
                return None;
            }
            site.name = r;
        }
        SiteKind::EchoBase64 => {
            site.name = cap("echokey")?;
            site.newline = cap("n").is_none();
        }
        SiteKind::FileRead => {
            site.name = cap("readvar")?;
            site.value = Some(code_value(text, range.start, syntax_of(doc.kind))?);
        }
        SiteKind::Header | SiteKind::Key => {
            let r = cap(if kind == SiteKind::Header {
                "auth"
            } else {
                "apikey"
            })?;
            let q = match site_quote(doc, cap("q")) {
                Some(None) => return None,
                q => q.flatten(),
            };
            if q.is_none() && !doc.kind.is_code() && !at_key_position(text, r.start) {
                return None;
            }
            site.value = Some(if kind == SiteKind::Header {
                header_value(doc, q, r.clone())?
            } else {
                if doc.kind.is_code() && !sdk_or_plain_site(text, r.start) {
                    return None;
                }
                key_value(doc, q, r.clone())?
            });
            site.name = r;
        }
        SiteKind::BearerLiteral => {
            let r = cap("bearerlit")?;
            let syntax = syntax_of(doc.kind);
            site.value = Some(match syntax {
                Syntax::Python | Syntax::Js | Syntax::Rust => code_value(text, r.start, syntax),
                _ => text_value(text, r.start, syntax, false),
            }?);
            site.name = r;
        }
        SiteKind::BearerAuth => {
            let r = cap("bearerauth")?;
            let open = skip_ws(text, r.end, false);
            if text.as_bytes().get(open) != Some(&b'(') {
                return None;
            }
            let mut at = skip_ws(text, open + 1, true);
            while text.as_bytes().get(at) == Some(&b'&') {
                at += 1;
            }
            site.value = Some(code_value(text, at, Syntax::Rust)?);
            site.name = r;
        }
    }
    Some(site)
}
