//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and SARIF viewers.
//!
//! One run; `tool.driver.rules` lists every known rule (so code scanning shows them even when
//! a run finds nothing); each result points at a path relative to `%SRCROOT%` (the directory
//! dslint ran in) with 1-based lines and UTF-16 columns (SARIF's default `columnKind`), carries
//! the finding's line-independent fingerprint in `partialFingerprints`, and its fix, if any,
//! in `fixes`. Messages and snippets are the engine's redacted texts: no key appears in full.
//! Findings silenced by a `dslint: ignore` comment or the baseline are kept as results with
//! `suppressions` (`inSource` / `external`), so code scanning shows them dismissed; they never
//! fail the run. With `--shard K/N`, `runs[0].properties.dslintShard` records what
//! `dslint merge` needs (as the JSON report's `shard` member does). `dslint history` adds each
//! result's commit and author date in its `properties` and the repository (URI, HEAD, branch)
//! in `versionControlProvenance`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{ReportCtx, Reporter};
use crate::diagnostic::{Finding, Fix, Severity};
use crate::outcome::Report;
use crate::rules::Rule;
use crate::source::{LineIndex, Position};
use crate::suppress::SuppressedBy;

/// The SARIF reporter.
pub struct Sarif;

/// The `$schema` URI written in every document.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key dslint's fingerprint has in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "dslintFingerprint/v1";

/// The run property that holds a shard report's `--shard` record (see `report::json`).
pub const SHARD_PROPERTY: &str = "dslintShard";

/// Code scanning shows at most this many tags per rule.
const MAX_TAGS: usize = 10;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Percent-encodes a relative path for a URI reference (keeps `/` and unreserved characters).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `artifactLocation` of a reported path: relative to `%SRCROOT%`, or an absolute
/// `file://` URI for a path outside it.
fn artifact_location(path: &str) -> Value {
    let slashed = path.replace('\\', "/");
    let is_windows_abs = slashed.len() > 2 && slashed.as_bytes()[1] == b':';
    if slashed.starts_with('/') || is_windows_abs {
        let lead = if slashed.starts_with('/') { "" } else { "/" };
        json!({ "uri": format!("file://{lead}{}", encode_path(&slashed)) })
    } else {
        json!({ "uri": encode_path(&slashed), "uriBaseId": "%SRCROOT%" })
    }
}

/// The text of a rule's `## What it does` section, as one paragraph (or its summary).
fn full_description(rule: &Rule) -> String {
    let docs = rule.docs;
    let body = docs
        .split("## What it does")
        .nth(1)
        .map(|rest| rest.split("\n## ").next().unwrap_or(rest));
    match body {
        Some(b) if !b.trim().is_empty() => b.split_whitespace().collect::<Vec<_>>().join(" "),
        _ => rule.summary.to_string(),
    }
}

/// A rule's help template without its `{placeholders}` (filled per finding elsewhere): a
/// parenthesised placeholder is dropped, any other becomes `…`.
fn generic_help(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let name_len = rest[open + 1..]
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        let close = open + 1 + name_len;
        if name_len == 0 || rest.as_bytes().get(close) != Some(&b'}') {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        }
        let before = &rest[..open];
        let after = &rest[close + 1..];
        if before.ends_with('(') && after.starts_with(')') {
            out.push_str(before[..before.len() - 1].trim_end());
            rest = &after[1..];
        } else {
            out.push_str(before);
            out.push('…');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn rule_json(rule: &Rule) -> Value {
    let mut tags: Vec<&str> = rule.tags.iter().map(String::as_str).collect();
    tags.truncate(MAX_TAGS);
    let mut props = Map::new();
    props.insert("tags".into(), json!(tags));
    props.insert("precision".into(), json!(rule.precision));
    if let Some(s) = rule.security_severity {
        props.insert("security-severity".into(), json!(format!("{s:.1}")));
    }
    let docs = rule.docs.trim();
    let template = rule.help.trim();
    // A help template with per-finding placeholders reads badly without them: the docs
    // (Markdown that also reads fine as text) say the same in full.
    let generic = generic_help(template);
    let help = match (docs.is_empty(), generic == template) {
        (true, _) => generic,
        (false, true) => format!("{template}\n\n{docs}"),
        (false, false) => docs.to_string(),
    };
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full_description(rule) },
        "help": { "text": help, "markdown": help },
        "helpUri": rule.docs_url(),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": Value::Object(props),
    })
}

fn region(start: Position, end: Position) -> Value {
    let (end_line, end_col) = if (end.line, end.column_utf16) < (start.line, start.column_utf16) {
        (start.line, start.column_utf16)
    } else {
        (end.line, end.column_utf16)
    };
    json!({
        "startLine": start.line,
        "startColumn": start.column_utf16,
        "endLine": end_line,
        "endColumn": end_col,
    })
}

/// Source texts read once per path, for turning fix offsets into positions.
struct Sources<'a> {
    ctx: &'a ReportCtx<'a>,
    cache: HashMap<String, Option<(String, LineIndex)>>,
}

impl<'a> Sources<'a> {
    fn get(&mut self, path: &str) -> Option<&(String, LineIndex)> {
        let ctx = self.ctx;
        self.cache
            .entry(path.to_string())
            .or_insert_with(|| {
                let text = super::source_text(ctx, path)?;
                let idx = LineIndex::new(&text);
                Some((text, idx))
            })
            .as_ref()
    }
}

/// Length of a UTF-8 byte order mark at the start of `path` (0 or 3): fix edits are offsets
/// in the file on disk, source texts are decoded without the BOM.
fn bom_len(path: &str) -> usize {
    use std::io::Read;
    let mut head = [0u8; 3];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    if n == 3 && head == [0xEF, 0xBB, 0xBF] {
        3
    } else {
        0
    }
}

fn fix_json(f: &Finding, fix: &Fix, sources: &mut Sources<'_>) -> Option<Value> {
    // One artifact change per file: an edit may target another file (`Edit::path`, e.g. the
    // `.gitignore` a DS501 fix appends to), which may not exist yet.
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    let empty = (String::new(), LineIndex::new(""));
    for e in &fix.edits {
        let target = e.path.as_deref().unwrap_or(&f.path);
        let (text, idx) = match sources.get(target) {
            Some(src) => src,
            None if e.path.is_some() => &empty,
            None => return None,
        };
        let bom = if text.is_empty() { 0 } else { bom_len(target) };
        let (start, end) = (e.start.checked_sub(bom)?, e.end.checked_sub(bom)?);
        if start > end || end > text.len() {
            return None;
        }
        let s = idx.position(text, start);
        let t = idx.position(text, end);
        let mut deleted = region(s, t);
        deleted["byteOffset"] = json!(e.start);
        deleted["byteLength"] = json!(e.end - e.start);
        let replacement = json!({
            "deletedRegion": deleted,
            "insertedContent": { "text": crate::redact::redact_text(&e.content) },
        });
        match changes.iter_mut().find(|(p, _)| p == target) {
            Some((_, r)) => r.push(replacement),
            None => changes.push((target.to_string(), vec![replacement])),
        }
    }
    if changes.is_empty() {
        return None;
    }
    let artifact_changes: Vec<Value> = changes
        .into_iter()
        .map(|(path, replacements)| {
            json!({
                "artifactLocation": artifact_location(&path),
                "replacements": replacements,
            })
        })
        .collect();
    Some(json!({
        "description": { "text": crate::redact::redact_text(&fix.title) },
        "artifactChanges": artifact_changes,
    }))
}

fn result_json(f: &Finding, index: Option<usize>, sources: &mut Sources<'_>) -> Value {
    let mut text = f.message.clone();
    if !f.help.is_empty() {
        text.push_str("\nHelp: ");
        text.push_str(&f.help);
    }
    let mut physical = json!({
        "artifactLocation": artifact_location(&f.path),
        "region": region(f.start, f.end),
    });
    if !f.snippet.is_empty() {
        physical["contextRegion"] = json!({
            "startLine": f.start.line,
            "endLine": f.start.line,
            "snippet": { "text": f.snippet },
        });
    }
    let mut result = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical }],
        "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint },
    });
    if let Some(i) = index {
        result["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&f.path),
                        "region": region(r.start, r.end),
                    },
                    "message": { "text": "another use in this file" },
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    if let Some(fix) = f.fix.as_ref().and_then(|fix| fix_json(f, fix, sources)) {
        result["fixes"] = json!([fix]);
    }
    result
}

/// A SARIF `suppression`: `inSource` for a `dslint: ignore` comment (its reason, if any, as the
/// justification), `external` for the baseline.
fn suppression_json(by: &SuppressedBy) -> Value {
    match by {
        SuppressedBy::Comment(Some(reason)) => json!({
            "kind": "inSource",
            "justification": crate::redact::redact_text(reason),
        }),
        SuppressedBy::Comment(None) => json!({ "kind": "inSource" }),
        SuppressedBy::Baseline => json!({
            "kind": "external",
            "justification": "listed in the dslint baseline file",
        }),
    }
}

/// The file URI of the current directory, with a trailing slash (for `%SRCROOT%`).
fn srcroot_uri() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let mut s = cwd.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    Some(format!("file://{}", encode_path(&s)))
}

/// Builds the SARIF document for a report.
pub fn document(report: &Report, ctx: &ReportCtx<'_>) -> Value {
    let rules: Vec<Value> = ctx.rules.iter().map(|r| rule_json(r)).collect();
    let mut sources = Sources {
        ctx,
        cache: HashMap::new(),
    };
    // Suppressed findings stay, marked as such, in the order of the others.
    let mut all: Vec<(&Finding, Option<&SuppressedBy>)> =
        report.findings.iter().map(|f| (f, None)).collect();
    all.extend(report.suppressed.iter().map(|s| (&s.finding, Some(&s.by))));
    all.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    let results: Vec<Value> = all
        .into_iter()
        .map(|(f, by)| {
            let index = ctx.rules.iter().position(|r| r.code == f.code);
            let mut result = result_json(f, index, &mut sources);
            if let Some(by) = by {
                result["suppressions"] = json!([suppression_json(by)]);
            }
            if let Some(c) = report.history.as_ref().and_then(|h| h.of(f)) {
                result["properties"] = json!({ "commit": c.commit, "authorDate": c.author_date });
            }
            result
        })
        .collect();
    let mut srcroot = json!({
        "description": { "text": "The directory dslint was run in (the repository root in CI)." }
    });
    if let Some(uri) = srcroot_uri() {
        srcroot["uri"] = json!(uri);
    }
    let version = env!("CARGO_PKG_VERSION");
    let mut doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "dslint",
                    "version": version,
                    "semanticVersion": version,
                    "informationUri": crate::diagnostic::REPOSITORY,
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { "%SRCROOT%": srcroot },
            "columnKind": "utf16CodeUnits",
            "invocations": [{ "executionSuccessful": true }],
            "results": results,
        }],
    });
    if let Some(shard) = &report.shard {
        doc["runs"][0]["properties"] = json!({ SHARD_PROPERTY: shard.to_json() });
    }
    if let Some(h) = &report.history {
        if let Some(uri) = &h.repository_uri {
            let mut vcs = json!({ "repositoryUri": uri });
            if let Some(head) = &h.head {
                vcs["revisionId"] = json!(head);
            }
            if let Some(branch) = &h.branch {
                vcs["branch"] = json!(branch);
            }
            doc["runs"][0]["versionControlProvenance"] = json!([vcs]);
        }
    }
    doc
}

impl Reporter for Sarif {
    fn write(&self, report: &Report, ctx: &ReportCtx<'_>, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &document(report, ctx))?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(
            artifact_location("src/my app/ü.py"),
            json!({ "uri": "src/my%20app/%C3%BC.py", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/abs/x.py"),
            json!({ "uri": "file:///abs/x.py" })
        );
    }

    #[test]
    fn help_templates_lose_placeholders() {
        assert_eq!(
            generic_help("Read it from an environment variable ({env}) or a store."),
            "Read it from an environment variable or a store."
        );
        assert_eq!(generic_help("Use `{model}` instead"), "Use `…` instead");
        assert_eq!(generic_help("keep {A} and {"), "keep {A} and {");
    }

    #[test]
    fn regions_never_end_before_they_start() {
        let p = |line, column_utf16| Position {
            line,
            column: column_utf16,
            column_utf16,
        };
        assert_eq!(region(p(3, 5), p(2, 1))["endLine"], 3);
        assert_eq!(region(p(3, 5), p(4, 1))["endColumn"], 1);
    }
}
