//! `--format rdjson`: reviewdog's Diagnostic Format (`reviewdog -f=rdjson`).
//!
//! One JSON object with `source`, `severity` and `diagnostics`; each diagnostic has `message`,
//! `location.path` and a `range` whose columns count UTF-8 bytes (what reviewdog expects),
//! `severity` (`ERROR`/`WARNING`/`INFO`), `code` (value and docs URL) and, for findings with
//! a fix whose edits stay on one line, `suggestions`.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{ReportCtx, Reporter};
use crate::diagnostic::{Finding, Severity};
use crate::outcome::Report;
use crate::source::LineIndex;

/// The reviewdog reporter.
pub struct Rdjson;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Note => "INFO",
    }
}

fn suggestions(f: &Finding, ctx: &ReportCtx<'_>) -> Option<Vec<Value>> {
    let fix = f.fix.as_ref()?;
    // Suggestions apply to the finding's file only (no cross-file edits such as DS501's).
    if fix.edits.iter().any(|e| e.path.is_some()) {
        return None;
    }
    let text = super::source_text(ctx, &f.path)?;
    let idx = LineIndex::new(&text);
    let mut out = Vec::new();
    for e in &fix.edits {
        if e.start > e.end || e.end > text.len() {
            return None;
        }
        let s = idx.position(&text, e.start);
        let t = idx.position(&text, e.end);
        out.push(json!({
            "range": {
                "start": { "line": s.line, "column": s.column },
                "end": { "line": t.line, "column": t.column },
            },
            "text": crate::redact::redact_text(&e.content),
        }));
    }
    Some(out)
}

impl Reporter for Rdjson {
    fn write(&self, report: &Report, ctx: &ReportCtx<'_>, out: &mut dyn Write) -> io::Result<()> {
        let diagnostics: Vec<Value> = report
            .findings
            .iter()
            .map(|f| {
                let url = ctx
                    .rules
                    .iter()
                    .find(|r| r.code == f.code)
                    .map(|r| r.docs_url());
                let mut d = json!({
                    "message": format!("{} ({})", f.message, f.help),
                    "location": {
                        "path": f.path,
                        "range": {
                            "start": { "line": f.start.line, "column": f.start.column },
                            "end": { "line": f.end.line, "column": f.end.column },
                        },
                    },
                    "severity": severity(f.severity),
                    "code": { "value": format!("{} {}", f.code, f.name), "url": url },
                });
                if let Some(s) = suggestions(f, ctx) {
                    d["suggestions"] = json!(s);
                }
                d
            })
            .collect();
        let doc = json!({
            "source": { "name": "dslint", "url": crate::diagnostic::REPOSITORY },
            "diagnostics": diagnostics,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
