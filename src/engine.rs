//! The per-file pipeline: prefilter → decode → split into documents → run rules → findings.
//!
//! The engine, not the rules, stamps code, severity, position, snippet and fingerprint, and
//! redacts every text it emits.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

use streaming_iterator::StreamingIterator;
use tree_sitter::{QueryCursor, Tree};

use crate::checks::{Check, Ctx, Hit, Matched};
use crate::diagnostic::{stable_hash, Edit, Finding, Fix, Severity};
use crate::facts::Facts;
use crate::lang::{self, embedded, Lang};
use crate::prefilter::{Prefilter, RuleSet};
use crate::redact::redact_text;
use crate::rules::{kind_bit, Rule, Scope};
use crate::settings::Settings;
use crate::source::{decode, Document, FileKind, LineIndex, Position};

/// Lines longer than this mark a file as minified/generated: it is not parsed.
pub const MINIFIED_LINE_LEN: usize = 5_000;

/// The rules of one run, with their prefilter and settings.
pub struct Engine<'r> {
    /// Enabled rules, in code order.
    pub rules: Vec<&'r Rule>,
    /// Effective severity per enabled rule.
    pub severities: Vec<Severity>,
    /// The prefilter over the enabled rules.
    pub prefilter: Prefilter,
    /// Catalogue and allowlists.
    pub settings: Settings,
}

/// What linting one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Findings, in no particular order.
    pub findings: Vec<Finding>,
    /// Warnings about the file (malformed notebook…).
    pub warnings: Vec<String>,
    /// True when the file was parsed with tree-sitter.
    pub parsed: bool,
    /// True when the prefilter let it through.
    pub candidate: bool,
    /// True when it was treated as minified (not parsed).
    pub minified: bool,
    /// The decoded text, kept when a project rule wants this file.
    pub project_text: Option<Arc<String>>,
}

impl<'r> Engine<'r> {
    /// Builds an engine over `rules` with their effective severities.
    pub fn new(rules: Vec<&'r Rule>, severities: Vec<Severity>, settings: Settings) -> Engine<'r> {
        let prefilter = Prefilter::new(&rules);
        Engine {
            rules,
            severities,
            prefilter,
            settings,
        }
    }

    /// The project-scope rules that want a file of `kind` whose candidates are `set`.
    fn wants_for_project(&self, kind: FileKind, set: RuleSet) -> bool {
        self.rules.iter().enumerate().any(|(i, r)| {
            r.scope == Scope::Project && set & (1 << i) != 0 && r.kinds & kind_bit(kind) != 0
        })
    }

    /// Lints one file's bytes. `kind` is decided by the caller (from the name or shebang).
    pub fn lint_bytes(&self, display: &str, kind: Option<FileKind>, bytes: &[u8]) -> FileResult {
        let mut result = FileResult::default();
        let set = self.prefilter.candidates(bytes);
        if set == 0 {
            return result;
        }
        let text = decode(bytes);
        let kind = kind
            .or_else(|| FileKind::from_shebang(&text))
            .unwrap_or(FileKind::Text);
        result.candidate = true;
        if self.wants_for_project(kind, set) {
            result.project_text = Some(Arc::new(text.clone()));
        }
        let host_index = OnceCell::new();
        let mut docs = vec![Document::whole(text, kind)];
        match kind {
            FileKind::Markdown => docs.extend(embedded::markdown_blocks(&docs[0].text)),
            FileKind::Notebook => match embedded::notebook_cells(&docs[0].text) {
                Ok(cells) => docs.extend(cells),
                Err(e) => result.warnings.push(format!("{display}: {e}")),
            },
            _ => {}
        }
        let host = &docs[0].text;
        for doc in &docs {
            let minified = doc.kind.is_code() && is_minified(&doc.text);
            result.minified |= minified;
            let tree: OnceCell<Option<Tree>> = OnceCell::new();
            if minified {
                let _ = tree.set(None);
            }
            let facts: OnceCell<Facts> = OnceCell::new();
            let ctx = Ctx::new(doc, display, &tree, &self.settings, &facts);
            for (i, rule) in self.rules.iter().enumerate() {
                if set & (1 << i) == 0 || rule.scope != Scope::File || !rule.applies_to(doc.kind) {
                    continue;
                }
                let hits = self.run_rule(rule, &ctx);
                for hit in hits {
                    let f = self.finding(i, rule, doc, host, &host_index, display, hit);
                    result.findings.push(f);
                }
            }
            result.parsed |= tree.get().is_some_and(|t| t.is_some());
        }
        crate::fix::to_file_offsets(&mut result.findings, kind, bytes);
        result
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        result.findings.dedup_by(|a, b| {
            a.code == b.code && a.start.line == b.start.line && a.message == b.message
        });
        result
    }

    /// Runs one rule on one document.
    fn run_rule(&self, rule: &Rule, ctx: &Ctx<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        if let Some(Check::File(f)) = rule.check {
            f(ctx, &mut hits);
            return hits;
        }
        let text = ctx.text();
        let kb = kind_bit(ctx.doc.kind);
        for pattern in rule.patterns.iter().filter(|p| p.kinds & kb != 0) {
            let names: Vec<&str> = pattern.regex.capture_names().flatten().collect();
            for caps in pattern.regex.captures_iter(text) {
                let whole = caps.get(0).map(|m| m.range()).unwrap_or(0..0);
                let range = caps.name("m").map(|m| m.range()).unwrap_or(whole);
                let captures = names
                    .iter()
                    .filter_map(|n| caps.name(n).map(|m| (*n, m.range())))
                    .collect();
                self.on_match(rule, ctx, Matched { range, captures }, &mut hits);
            }
        }
        if let Some(lang) = Lang::of(ctx.doc.kind) {
            if let Some(query) = rule.query(lang) {
                if let Some(tree) = ctx.tree() {
                    let names = query.capture_names();
                    let m_idx = query.capture_index_for_name("m");
                    let mut cursor = QueryCursor::new();
                    cursor.set_match_limit(10_000);
                    let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
                    while let Some(qm) = matches.next() {
                        let captures: Vec<(&str, Range<usize>)> = qm
                            .captures
                            .iter()
                            .map(|c| (names[c.index as usize], c.node.byte_range()))
                            .collect();
                        let range = m_idx
                            .and_then(|mi| qm.captures.iter().find(|c| c.index == mi))
                            .or(qm.captures.first())
                            .map(|c| c.node.byte_range())
                            .unwrap_or(0..0);
                        self.on_match(rule, ctx, Matched { range, captures }, &mut hits);
                    }
                }
            }
        }
        hits
    }

    fn on_match(&self, rule: &Rule, ctx: &Ctx<'_>, m: Matched<'_>, hits: &mut Vec<Hit>) {
        match rule.check {
            Some(Check::Match(f)) => f(ctx, &m, hits),
            _ => {
                let text = ctx.text();
                let args = m
                    .captures
                    .iter()
                    .map(|(n, r)| (leak_name(n), text[r.clone()].to_string()))
                    .collect();
                hits.push(Hit {
                    range: m.range.clone(),
                    args,
                    ..Hit::default()
                });
            }
        }
    }

    /// Turns a hit into a finding: positions mapped to the host, texts redacted.
    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        idx: usize,
        rule: &'r Rule,
        doc: &Document,
        host: &str,
        host_index: &OnceCell<LineIndex>,
        display: &str,
        hit: Hit,
    ) -> Finding {
        let doc_index = LineIndex::new(&doc.text);
        let start_doc = doc_index.position(&doc.text, hit.range.start);
        let end_doc = doc_index.position(&doc.text, hit.range.end);
        let start = doc.map.map(start_doc);
        let end = doc.map.map(end_doc);
        let hidx = host_index.get_or_init(|| LineIndex::new(host));
        let host_offset = |p: Position| -> usize {
            let line = (p.line as usize).saturating_sub(1).min(hidx.len() - 1);
            let r = hidx.line_range(host, line);
            (r.start + p.column as usize - 1).min(r.end.max(r.start))
        };
        let byte_range = host_offset(start)..host_offset(end).max(host_offset(start));
        let line = (start.line as usize).saturating_sub(1).min(hidx.len() - 1);
        let snippet = redact_text(&host[hidx.line_range(host, line)]).into_owned();
        let mut message = hit
            .message
            .clone()
            .unwrap_or_else(|| fill(rule.message, &hit.args));
        if let Some(label) = doc.label.as_deref().filter(|l| l.starts_with("cell")) {
            message = format!("{message} ({label})");
        }
        let help = hit
            .help
            .clone()
            .unwrap_or_else(|| fill(rule.help, &hit.args));
        let matched = hit
            .fingerprint
            .clone()
            .unwrap_or_else(|| doc.text[hit.range.clone()].to_string());
        let normalized: String = matched.split_whitespace().collect::<Vec<_>>().join(" ");
        let fp = stable_hash(&[
            rule.code.as_bytes(),
            display.as_bytes(),
            normalized.as_bytes(),
        ]);
        let fix = match (&doc.map, hit.fix) {
            (crate::source::LineMap::Identity, Some(fix)) => Some(fix),
            (_, Some(fix)) => map_fix(fix, &doc_index, doc, host_offset),
            _ => None,
        };
        Finding {
            code: rule.code,
            name: rule.name,
            severity: self.severities[idx],
            message: redact_text(&message).into_owned(),
            help: redact_text(&help).into_owned(),
            path: display.to_string(),
            start,
            end,
            byte_range,
            snippet,
            fingerprint: format!("{fp:016x}"),
            fix,
        }
    }
}

/// Maps a fix's document offsets to host offsets (embedded documents).
fn map_fix(
    fix: Fix,
    doc_index: &LineIndex,
    doc: &Document,
    host_offset: impl Fn(Position) -> usize,
) -> Option<Fix> {
    let edits = fix
        .edits
        .into_iter()
        .map(|e| {
            if e.path.is_some() {
                return e;
            }
            let s = host_offset(doc.map.map(doc_index.position(&doc.text, e.start)));
            let t = host_offset(doc.map.map(doc_index.position(&doc.text, e.end)));
            Edit {
                start: s,
                end: t.max(s),
                ..e
            }
        })
        .collect();
    Some(Fix { edits, ..fix })
}

/// Capture names come from compiled rules, which live for the whole program.
fn leak_name(n: &str) -> &'static str {
    // Capture names are few and fixed; intern them.
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = names.iter().find(|s| **s == n) {
        return found;
    }
    let leaked: &'static str = Box::leak(n.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

/// Fills `{name}` placeholders from `args`; unknown placeholders stay as written.
pub fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// True when a text has a line longer than [`MINIFIED_LINE_LEN`] bytes.
pub fn is_minified(text: &str) -> bool {
    text.len() > MINIFIED_LINE_LEN
        && text
            .as_bytes()
            .split(|b| *b == b'\n')
            .any(|l| l.len() > MINIFIED_LINE_LEN)
}

/// Parses a document's text when its kind is a parsed language.
pub fn parse_doc(doc: &Document) -> Option<Tree> {
    Lang::of(doc.kind).and_then(|l| lang::parse(l, &doc.text))
}
