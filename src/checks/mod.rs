//! What rules read and what they cannot say as data.
//!
//! Most rules are a condition over one fact kind ([`kinds`]: the plain kinds of
//! [`crate::facts::view`] plus the derived kinds computed here from the client analysis and
//! the text: `model_use`, `url_site`, `key_use`…), evaluated by [`crate::rules::fact_rule`];
//! the few fixes and gates that need code are named in [`crate::rules::dispatch`].
//!
//! The other rules name a Rust check with `check = "..."` ([`crate::rules::dispatch`] maps
//! the name to the function). A *match* check receives each match of the rule's
//! patterns/queries and decides whether (and how) it is a finding; a *file* check runs once
//! per document; a *project* check ([`crate::project`]) runs once per run over all collected
//! files. Checks report [`Hit`]s.
//!
//! [`Hit`]: crate::diagnostic::Hit

use std::cell::OnceCell;
use std::ops::Range;

use crate::facts::auth::AuthSite;
use crate::facts::Facts;
use crate::settings::Settings;
use crate::source::Document;

pub mod auth_header;
pub mod browser;
pub mod clients;
pub mod fact;
pub mod fixes;
pub mod gate;
pub mod key_shapes;
pub mod kinds;
pub mod secret;
pub mod thinking;
pub mod thinking_json;

/// What a check sees of the document it runs on.
pub struct Ctx<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The host file's path, as reported.
    pub path: &'a str,
    tree: &'a OnceCell<Option<tree_sitter::Tree>>,
    /// Loaded catalogue and configuration.
    pub settings: &'a Settings,
    facts: &'a OnceCell<Facts>,
    auth: OnceCell<Vec<AuthSite>>,
}

impl<'a> Ctx<'a> {
    /// Builds a context; `facts` is filled on first use.
    pub fn new(
        doc: &'a Document,
        path: &'a str,
        tree: &'a OnceCell<Option<tree_sitter::Tree>>,
        settings: &'a Settings,
        facts: &'a OnceCell<Facts>,
    ) -> Ctx<'a> {
        Ctx {
            doc,
            path,
            tree,
            settings,
            facts,
            auth: OnceCell::new(),
        }
    }

    /// The document's text.
    pub fn text(&self) -> &'a str {
        &self.doc.text
    }

    /// The parse tree (parsed on first use), for code documents; `None` for text formats,
    /// minified files and parses that ran out of time.
    pub fn tree(&self) -> Option<&'a tree_sitter::Tree> {
        self.tree
            .get_or_init(|| crate::lang::parse_doc(self.doc))
            .as_ref()
    }

    /// The per-document facts, computed once on first use and shared by all rules.
    pub fn facts(&self) -> &'a Facts {
        self.facts
            .get_or_init(|| crate::facts::extract(self.doc, self.tree(), self.settings))
    }

    /// The document's auth sites ([`crate::facts::auth`]), found once on first use and shared
    /// by the auth rules.
    pub fn auth_sites(&self) -> &[AuthSite] {
        self.auth
            .get_or_init(|| crate::facts::auth::sites(self.doc))
    }
}

/// A match of a rule's pattern or query.
pub struct Matched<'m> {
    /// Span of the `m` capture (or the whole match).
    pub range: Range<usize>,
    /// Every named capture with its span.
    pub captures: Vec<(&'m str, Range<usize>)>,
}

impl Matched<'_> {
    /// The span of capture `name`.
    pub fn capture(&self, name: &str) -> Option<Range<usize>> {
        self.captures
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, r)| r.clone())
    }
}
