//! tree-sitter languages and the per-thread parser pool.

pub mod embedded;

use std::cell::RefCell;
use std::time::{Duration, Instant};

use tree_sitter::{Language, ParseOptions, ParseState, Parser, Tree};

use crate::source::{Document, FileKind};

/// A language parsed with tree-sitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// Python.
    Python,
    /// JavaScript with JSX.
    JavaScript,
    /// TypeScript.
    TypeScript,
    /// TypeScript with JSX.
    Tsx,
    /// Rust.
    Rust,
}

impl Lang {
    /// Every language, in a stable order (the index is the parser pool slot).
    pub const ALL: [Lang; 5] = [
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Tsx,
        Lang::Rust,
    ];

    /// The language of a file kind, if it is parsed.
    pub fn of(kind: FileKind) -> Option<Lang> {
        Some(match kind {
            FileKind::Python => Lang::Python,
            FileKind::JavaScript => Lang::JavaScript,
            FileKind::TypeScript => Lang::TypeScript,
            FileKind::Tsx => Lang::Tsx,
            FileKind::Rust => Lang::Rust,
            _ => return None,
        })
    }

    /// The key used for this language in rule files' `[queries]`.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Rust => "rust",
        }
    }

    /// Parses a `[queries]` key.
    pub fn from_name(name: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.name() == name)
    }

    /// The tree-sitter grammar.
    pub fn grammar(self) -> Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 5]> = const { RefCell::new([None, None, None, None, None]) };
}

/// Longest time one file may take to parse before it is given up (and counted).
pub const PARSE_TIME_LIMIT: Duration = Duration::from_secs(5);

/// Longest time the tree-sitter queries of all rules together may run over one document
/// before they are cut off (with a warning).
pub const QUERY_TIME_LIMIT: Duration = Duration::from_secs(2);

/// Parses `text` with this thread's parser for `lang` (created once, then reused).
/// Returns `None` when parsing was cancelled by the time limit.
pub fn parse(lang: Lang, text: &str) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang.slot()];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&lang.grammar()).ok()?;
            *slot = Some(p);
        }
        let parser = slot.as_mut()?;
        let started = Instant::now();
        let mut cancel = |_: &ParseState| started.elapsed() > PARSE_TIME_LIMIT;
        let bytes = text.as_bytes();
        let mut read = |i: usize, _| {
            if i < bytes.len() {
                &bytes[i..]
            } else {
                &[][..]
            }
        };
        let tree = parser.parse_with_options(
            &mut read,
            None,
            Some(ParseOptions::new().progress_callback(&mut cancel)),
        );
        if tree.is_none() {
            parser.reset();
        }
        tree
    })
}

/// Parses a document's text when its kind is a parsed language.
pub fn parse_doc(doc: &Document) -> Option<Tree> {
    Lang::of(doc.kind).and_then(|l| parse(l, &doc.text))
}
