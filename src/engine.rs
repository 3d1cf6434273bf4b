//! The per-file pipeline: prefilter → decode → split into documents → run rules → findings.
//!
//! The engine, not the rules, stamps code, severity, position, snippet and fingerprint, and
//! redacts every text it emits.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

use std::time::Instant;
use streaming_iterator::StreamingIterator;

use tree_sitter::{QueryCursor, QueryCursorOptions, QueryCursorState, Tree};

use crate::checks::{Ctx, Matched};
pub use crate::diagnostic::fill;
use crate::diagnostic::{stable_hash, Finding, Hit, Related, Severity};
use crate::facts::Facts;
use crate::fix_offsets::to_file_offsets;
use crate::lang::{self, embedded, Lang};
use crate::prefilter::{Prefilter, RuleSet};
use crate::redact::redact_text;
use crate::rules::{kind_bit, Check, Rule, Scope};
use crate::settings::Settings;
use crate::source::{
    decode, floor_char_boundary, is_generated, is_minified, is_utf16, Document, FileKind,
    LineIndex, Position,
};
use crate::suppress::{self, Suppression};

mod locate;
use locate::{json_offset, map_fix, snippet};

/// Snippets of lines longer than this are cut to a window around the finding.
pub const SNIPPET_MAX_LEN: usize = 500;

/// At most this many bytes of a finding's matched text go into its fingerprint.
pub const FINGERPRINT_MAX_LEN: usize = 1024;

/// Most tree-sitter query matches examined per query and document.
pub const QUERY_MATCH_LIMIT: u32 = 10_000;

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
    /// For each [`FileKind`] (by discriminant), the rules that can run on a file of that kind
    /// (all rules for Markdown and notebooks, whose embedded documents have other kinds).
    kind_masks: Vec<RuleSet>,
    /// The rules that can run on a file whose name gives no kind: it is linted as plain text
    /// or as the kind its shebang names.
    kindless_mask: RuleSet,
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
    /// True when it was treated as generated JS/TS (not parsed): see [`crate::source::is_generated`].
    pub generated: bool,
    /// The decoded text, kept when a project rule wants this file.
    pub project_text: Option<Arc<String>>,
    /// The file's `dslint: ignore` directives, marked used when they suppressed a finding.
    pub suppressions: Vec<Suppression>,
    /// The findings the directives suppressed (kept for SARIF).
    pub suppressed: Vec<suppress::Suppressed>,
}

impl<'r> Engine<'r> {
    /// Builds an engine over `rules` with their effective severities.
    pub fn new(rules: Vec<&'r Rule>, severities: Vec<Severity>, settings: Settings) -> Engine<'r> {
        let prefilter = Prefilter::new(&rules);
        let kind_masks = FileKind::ALL
            .iter()
            .map(|k| {
                let embeds = matches!(k, FileKind::Markdown | FileKind::Notebook);
                rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| embeds || r.applies_to(*k))
                    .fold(0, |set, (i, _)| set | (1 << i))
            })
            .collect();
        let kindless_mask = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| FileKind::KINDLESS.iter().any(|k| r.applies_to(*k)))
            .fold(0, |set, (i, _)| set | (1 << i));
        Engine {
            rules,
            severities,
            prefilter,
            settings,
            kind_masks,
            kindless_mask,
        }
    }

    /// True when a project-scope rule among the candidates `set` wants a file of `kind` (from
    /// its name or shebang) and can use its `text` read as `path_kind` (what project rules see:
    /// [`crate::project::uses`]).
    fn wants_for_project(
        &self,
        kind: FileKind,
        path_kind: Option<FileKind>,
        set: RuleSet,
        text: &str,
    ) -> bool {
        let path_kind = path_kind.unwrap_or(FileKind::Text);
        self.rules.iter().enumerate().any(|(i, r)| {
            r.scope == Scope::Project
                && set & (1 << i) != 0
                && r.kinds & kind_bit(kind) != 0
                && crate::project::uses(r.name, path_kind, text)
        })
    }

    /// True when a cross-file project rule ([`crate::project::CROSS_FILE_RULES`]) may want a
    /// file of `kind` (`None`: unknown before reading, e.g. a script with a shebang).
    pub fn wants_foreign(&self, kind: Option<FileKind>) -> bool {
        self.rules.iter().any(|r| {
            r.scope == Scope::Project
                && crate::project::CROSS_FILE_RULES.contains(&r.name)
                && kind.is_none_or(|k| r.kinds & kind_bit(k) != 0)
        })
    }

    /// The rules a file's bytes may match (the literal prefilter, narrowed to the rules that
    /// run on its kind), and its decoded text when it is UTF-16 (prefiltered decoded, since
    /// UTF-16 has a NUL between ASCII letters).
    fn candidates(&self, kind: Option<FileKind>, bytes: &[u8]) -> (RuleSet, Option<String>) {
        let utf16 = is_utf16(bytes).then(|| decode(bytes));
        let mut set = self
            .prefilter
            .candidates(utf16.as_ref().map_or(bytes, |t| t.as_bytes()));
        // A rule that cannot run on this kind (e.g. an env-only rule with no literals) must
        // not make every file a candidate.
        set &= match kind {
            Some(k) => self
                .kind_masks
                .get(k as usize)
                .copied()
                .unwrap_or(RuleSet::MAX),
            None => self.kindless_mask,
        };
        (set, utf16)
    }

    /// The decoded text of a file [`Engine::lint_bytes`] would keep for project rules (same
    /// prefilter and kind tests), without linting it: for files of other shards.
    pub fn project_text(&self, kind: Option<FileKind>, bytes: &[u8]) -> Option<Arc<String>> {
        let (set, utf16) = self.candidates(kind, bytes);
        if set == 0 {
            return None;
        }
        let text = utf16.unwrap_or_else(|| decode(bytes));
        let shebang_kind = kind
            .or_else(|| FileKind::from_shebang(&text))
            .unwrap_or(FileKind::Text);
        self.wants_for_project(shebang_kind, kind, set, &text)
            .then(|| Arc::new(text))
    }

    /// Lints one file's bytes. `kind` is decided by the caller (from the name or shebang).
    pub fn lint_bytes(&self, display: &str, kind: Option<FileKind>, bytes: &[u8]) -> FileResult {
        let mut result = FileResult::default();
        let (set, utf16) = self.candidates(kind, bytes);
        if set == 0 {
            if memchr::memmem::find(bytes, b"dslint:").is_some() {
                result.suppressions = suppress::parse(&decode(bytes));
            }
            return result;
        }
        let text = utf16.unwrap_or_else(|| decode(bytes));
        let path_kind = kind;
        let kind = kind
            .or_else(|| FileKind::from_shebang(&text))
            .unwrap_or(FileKind::Text);
        result.candidate = true;
        if self.wants_for_project(kind, path_kind, set, &text) {
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
        // How many findings the host document gave (the first document is the file itself).
        let mut host_findings = None;
        for doc in &docs {
            if doc.label.is_some() && host_findings.is_none() {
                host_findings = Some(result.findings.len());
            }
            let minified = doc.kind.is_code() && is_minified(&doc.text);
            result.minified |= minified;
            // Only the file itself: a Markdown code block is never build output.
            let generated = !minified && doc.label.is_none() && is_generated(display, doc);
            result.generated |= generated;
            let tree: OnceCell<Option<Tree>> = OnceCell::new();
            if minified || generated {
                let _ = tree.set(None);
            }
            let facts: OnceCell<Facts> = OnceCell::new();
            let ctx = Ctx::new(doc, display, &tree, &self.settings, &facts);
            let doc_index = OnceCell::new();
            // One time budget for all the tree-sitter queries over this document.
            let budget = QueryBudget::new();
            let lower = OnceCell::new();
            for (i, rule) in self.rules.iter().enumerate() {
                if set & (1 << i) == 0 || rule.scope != Scope::File || !rule.applies_to(doc.kind) {
                    continue;
                }
                let hits = self.run_rule(rule, &ctx, &budget, &lower);
                for hit in hits {
                    let f = self.finding(i, rule, doc, &doc_index, host, &host_index, display, hit);
                    result.findings.push(f);
                }
            }
            let parsed = tree.get().is_some_and(|t| t.is_some());
            result.parsed |= parsed;
            let where_ = doc
                .label
                .as_deref()
                .map_or(String::new(), |l| format!(" ({l})"));
            if !minified
                && !generated
                && doc.kind.is_code()
                && tree.get().is_some_and(|t| t.is_none())
            {
                result.warnings.push(format!(
                    "{display}{where_}: parsing gave up after {} s; syntax-based rules skipped",
                    lang::PARSE_TIME_LIMIT.as_secs()
                ));
            }
            if budget.expired.get() {
                result.warnings.push(format!(
                    "{display}{where_}: a tree-sitter query ran out of time; results may be incomplete"
                ));
            }
        }
        if let Some(n) = host_findings {
            drop_host_duplicates(&mut result.findings, n);
            self.merge_related_across_documents(&mut result.findings);
        }
        to_file_offsets(&mut result.findings, kind, bytes);
        result
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        result.findings.dedup_by(|a, b| {
            a.code == b.code && a.start.line == b.start.line && a.message == b.message
        });
        result.suppressions = suppress::parse(host);
        result.suppressed = suppress::apply(&mut result.findings, &mut result.suppressions);
        result
    }

    /// Runs one rule on one document.
    /// Queries stop (and `budget` records it) once the document's query time is spent.
    /// `lower` is the document's text ASCII-lowercased, made on first use (pattern anchors).
    fn run_rule(
        &self,
        rule: &Rule,
        ctx: &Ctx<'_>,
        budget: &QueryBudget,
        lower: &OnceCell<String>,
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        match rule.check {
            Some(Check::File(f)) => {
                f(ctx, &mut hits);
                return hits;
            }
            Some(Check::Custom(c)) => {
                c.run(ctx, &mut hits);
                return hits;
            }
            Some(Check::Facts(c)) => {
                c.run(ctx, &mut hits);
                return hits;
            }
            _ => {}
        }
        let text = ctx.text();
        let kb = kind_bit(ctx.doc.kind);
        for pattern in rule.patterns.iter().filter(|p| p.kinds & kb != 0) {
            let names: Vec<&str> = pattern.regex.capture_names().flatten().collect();
            let mut on_caps = |caps: regex::Captures<'_>| {
                let whole = caps.get(0).map(|m| m.range()).unwrap_or(0..0);
                let range = caps.name("m").map(|m| m.range()).unwrap_or(whole);
                let captures = names
                    .iter()
                    .filter_map(|n| caps.name(n).map(|m| (*n, m.range())))
                    .collect();
                self.on_match(rule, ctx, Matched { range, captures }, &mut hits);
            };
            pattern.for_each_match(text, lower, &mut on_caps);
        }
        if let Some(lang) = Lang::of(ctx.doc.kind) {
            if let Some(query) = rule.query(lang) {
                if let Some(tree) = ctx.tree() {
                    let names = query.capture_names();
                    let m_idx = query.capture_index_for_name("m");
                    let mut cursor = QueryCursor::new();
                    cursor.set_match_limit(QUERY_MATCH_LIMIT);
                    let mut progress = |_: &QueryCursorState| budget.spent();
                    let options = QueryCursorOptions::new().progress_callback(&mut progress);
                    let mut matches = cursor.matches_with_options(
                        query,
                        tree.root_node(),
                        text.as_bytes(),
                        options,
                    );
                    while let Some(qm) = matches.next() {
                        // The callback is not reached on every path (many cheap matches).
                        if budget.spent() {
                            break;
                        }
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
                // Only the captures the templates name are copied (a capture can be a
                // whole block, and a query can match it many times).
                let used = |n: &str| {
                    let placeholder = format!("{{{n}}}");
                    rule.message.contains(&placeholder) || rule.help.contains(&placeholder)
                };
                let args = m
                    .captures
                    .iter()
                    .filter(|(n, _)| used(n))
                    .map(|(n, r)| (leak_name(n), slice(text, r).to_string()))
                    .collect();
                hits.push(Hit {
                    range: m.range.clone(),
                    args,
                    ..Hit::default()
                });
            }
        }
    }

    /// Turns a hit into a finding: positions mapped to the host, texts redacted. The project
    /// pass stamps its hits here too, each file as one whole document.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finding(
        &self,
        idx: usize,
        rule: &'r Rule,
        doc: &Document,
        doc_index: &OnceCell<LineIndex>,
        host: &str,
        host_index: &OnceCell<LineIndex>,
        display: &str,
        hit: Hit,
    ) -> Finding {
        // A notebook's cells are JSON strings: offsets shift at every escape.
        let json_host =
            host.trim_start().starts_with('{') && display.to_ascii_lowercase().ends_with(".ipynb");
        let doc_index = doc_index.get_or_init(|| LineIndex::new(&doc.text));
        let start_doc = doc_index.position(&doc.text, hit.range.start);
        let end_doc = doc_index.position(&doc.text, hit.range.end);
        let hidx = host_index.get_or_init(|| LineIndex::new(host));
        let host_offset = |p: Position| -> usize {
            let line = (p.line as usize).saturating_sub(1).min(hidx.len() - 1);
            let r = hidx.line_range(host, line);
            (r.start + p.column as usize - 1).min(r.end.max(r.start))
        };
        // A notebook cell's line is a JSON string in the host: its escapes shift the columns,
        // so the position is found by walking the escapes where the line allows it.
        let in_host = |o: usize, p: Position| -> Position {
            let mapped = doc.map.map(p);
            if !json_host || doc.label.is_none() {
                return mapped;
            }
            json_offset(doc, doc_index, host, &host_offset, o, p)
                .map_or(mapped, |h| hidx.position(host, h))
        };
        let start = in_host(hit.range.start, start_doc);
        // A span an embedded document maps imperfectly must still be a valid range.
        let end = in_host(hit.range.end, end_doc).max(start);
        let byte_range = host_offset(start)..host_offset(end).max(host_offset(start));
        let line = (start.line as usize).saturating_sub(1).min(hidx.len() - 1);
        let snippet = snippet(host, hidx.line_range(host, line), byte_range.clone());
        let mut message = hit
            .message
            .clone()
            .unwrap_or_else(|| fill(rule.message, &hit.args));
        if let Some(label) = doc
            .label_at(start_doc.line)
            .filter(|l| l.starts_with("cell"))
        {
            message = format!("{message} ({label})");
        }
        let help = hit
            .help
            .clone()
            .unwrap_or_else(|| fill(rule.help, &hit.args));
        let matched = match &hit.fingerprint {
            Some(f) => f.as_str(),
            None => slice(&doc.text, &hit.range),
        };
        // Only the start of a huge match (a whole call or block) is hashed: per-finding
        // work must not grow with the size of the matched node.
        let matched =
            &matched[..floor_char_boundary(matched, matched.len().min(FINGERPRINT_MAX_LEN))];
        let normalized: String = matched.split_whitespace().collect::<Vec<_>>().join(" ");
        let fp = stable_hash(&[
            rule.code.as_bytes(),
            display.as_bytes(),
            normalized.as_bytes(),
        ]);
        let fix = match (&doc.map, hit.fix) {
            (crate::source::LineMap::Identity, Some(fix)) => Some(fix),
            (_, Some(fix)) => map_fix(fix, doc_index, doc, host, host_offset, json_host),
            _ => None,
        };
        let related = hit
            .related
            .iter()
            .map(|r| {
                let start = doc.map.map(doc_index.position(&doc.text, r.start));
                let end = doc.map.map(doc_index.position(&doc.text, r.end)).max(start);
                crate::diagnostic::Related { start, end }
            })
            .collect();
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
            related,
        }
    }
}

/// The time all tree-sitter queries over one document may take ([`lang::QUERY_TIME_LIMIT`]).
struct QueryBudget {
    deadline: Instant,
    expired: std::cell::Cell<bool>,
}

impl QueryBudget {
    fn new() -> QueryBudget {
        QueryBudget {
            deadline: Instant::now() + lang::QUERY_TIME_LIMIT,
            expired: std::cell::Cell::new(false),
        }
    }

    /// True (and remembered) once the deadline has passed.
    fn spent(&self) -> bool {
        if !self.expired.get() && Instant::now() > self.deadline {
            self.expired.set(true);
        }
        self.expired.get()
    }
}

/// Drops the host document's findings (the first `host` ones) that an embedded document
/// (a notebook cell, a Markdown block) gives too, at the same place for the same text: a key in
/// a notebook cell is in the notebook's JSON as well, and is reported once, with its cell.
fn drop_host_duplicates(findings: &mut Vec<Finding>, host: usize) {
    let host = host.min(findings.len());
    let embedded: std::collections::HashSet<(&str, Position, &str)> = findings[host..]
        .iter()
        .map(|f| (f.code, f.start, f.fingerprint.as_str()))
        .collect();
    let keep: Vec<bool> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| i >= host || !embedded.contains(&(f.code, f.start, f.fingerprint.as_str())))
        .collect();
    let mut keep = keep.into_iter();
    findings.retain(|_| keep.next().unwrap_or(true));
}

impl Engine<'_> {
    /// A file with code blocks or cells: a rule that reports one finding per value with the
    /// other uses as related locations (DS604) does so across the file's documents too, so a
    /// public variable used in three Markdown blocks is one finding, not three. Findings with
    /// the same rule and message are one; the first by position stays.
    fn merge_related_across_documents(&self, findings: &mut Vec<Finding>) {
        let groups = |code: &str| {
            self.rules.iter().any(|r| {
                r.code == code && matches!(r.check, Some(Check::Facts(f)) if f.groups_related())
            })
        };
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut first_of: std::collections::HashMap<(&'static str, String), usize> =
            Default::default();
        let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
        for f in findings.drain(..) {
            if !groups(f.code) {
                merged.push(f);
                continue;
            }
            match first_of.get(&(f.code, f.message.clone())) {
                Some(&i) => {
                    let first = &mut merged[i];
                    first.related.push(Related {
                        start: f.start,
                        end: f.end,
                    });
                    first.related.extend(f.related);
                }
                None => {
                    first_of.insert((f.code, f.message.clone()), merged.len());
                    merged.push(f);
                }
            }
        }
        *findings = merged;
    }
}

/// `text[range]`, or `""` when a check handed back a range that is not valid for `text`
/// (never a panic: a panic message would quote the text).
fn slice<'t>(text: &'t str, range: &Range<usize>) -> &'t str {
    text.get(range.clone()).unwrap_or_default()
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
