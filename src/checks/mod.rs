//! Named semantic checks: the part of a rule that a query or regex cannot express.
//!
//! A rule file names its check with `check = "..."`. A *match* check receives each match of
//! the rule's patterns/queries and decides whether (and how) it is a finding; a *file* check
//! runs once per document (usually over [`crate::facts::Facts`]); a *project* check runs once
//! per run over all collected files.

use std::cell::OnceCell;
use std::ops::Range;

use crate::diagnostic::Fix;
use crate::facts::Facts;
use crate::settings::Settings;
use crate::source::Document;

pub mod auth_header;
pub mod auth_value;
pub mod browser;
pub mod clients;
pub mod fixes;
pub mod gate;
pub mod key_shapes;
pub mod secret;

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
            .get_or_init(|| crate::engine::parse_doc(self.doc))
            .as_ref()
    }

    /// The per-document facts, computed once on first use and shared by all rules.
    pub fn facts(&self) -> &'a Facts {
        self.facts
            .get_or_init(|| crate::facts::extract(self.doc, self.tree(), self.settings))
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

/// What a check reports: a span in the document plus what to say.
#[derive(Debug, Default, Clone)]
pub struct Hit {
    /// Byte range in the document.
    pub range: Range<usize>,
    /// Values for the `{placeholders}` of the rule's message template.
    pub args: Vec<(&'static str, String)>,
    /// A message replacing the template, when the check knows better.
    pub message: Option<String>,
    /// A help text replacing the rule's default.
    pub help: Option<String>,
    /// Content hashed into the fingerprint (defaults to the matched text).
    pub fingerprint: Option<String>,
    /// An optional fix (byte offsets in the document).
    pub fix: Option<Fix>,
    /// Other spans in the document this hit stands for (reported as related locations).
    pub related: Vec<Range<usize>>,
}

impl Hit {
    /// A hit on `range` with no arguments.
    pub fn at(range: Range<usize>) -> Hit {
        Hit {
            range,
            ..Hit::default()
        }
    }

    /// Adds a message argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.args.push((name, value.into()));
        self
    }

    /// Replaces the message.
    pub fn message(mut self, message: impl Into<String>) -> Hit {
        self.message = Some(message.into());
        self
    }

    /// Replaces the help.
    pub fn help(mut self, help: impl Into<String>) -> Hit {
        self.help = Some(help.into());
        self
    }
}

/// A check on each match: pushes zero or more hits.
pub type MatchCheck = fn(&Ctx<'_>, &Matched<'_>, &mut Vec<Hit>);
/// A check on a whole document.
pub type FileCheck = fn(&Ctx<'_>, &mut Vec<Hit>);
/// A check over the whole run (cross-file).
pub type ProjectCheck = fn(&crate::project::ProjectCtx<'_>) -> Vec<crate::project::ProjectHit>;

/// A named check.
#[derive(Clone, Copy)]
pub enum Check {
    /// Runs on each pattern/query match.
    Match(MatchCheck),
    /// Runs once per document.
    File(FileCheck),
    /// Runs once per run.
    Project(ProjectCheck),
}

/// Looks up a check by the name used in rule files.
pub fn lookup(name: &str) -> Option<Check> {
    Some(match name {
        "secret-key" => Check::Match(secret::check_key),
        "missing-base-url" => Check::File(clients::base_url::missing_base_url),
        "wrong-base-url" => Check::File(clients::base_url::wrong_base_url),
        "misspelled-base-url-option" => Check::File(clients::base_url::misspelled_base_url_option),
        "openai-model-on-deepseek" => Check::File(clients::models::openai_model_on_deepseek),
        "unknown-deepseek-model" => Check::File(clients::models::unknown_deepseek_model),
        "retired-deepseek-model" => Check::File(clients::models::retired_deepseek_model),
        "unsupported-api-on-deepseek" => Check::File(clients::apis::unsupported_api_on_deepseek),
        "provider-key-mismatch" => Check::File(clients::keys::provider_key_mismatch),
        "empty-api-key" => Check::File(clients::keys::empty_api_key),
        "auth-duplicated-prefix" => Check::Match(auth_header::check_duplicated),
        "auth-missing-bearer" => Check::Match(auth_header::check_scheme),
        "auth-malformed" => Check::Match(auth_header::check_malformed),
        "browser-exposed-key" => Check::File(browser::check_browser_key),
        _ => return crate::project::lookup(name),
    })
}
