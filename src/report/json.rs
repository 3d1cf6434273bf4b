//! `--format json`: one documented, versioned object.
//!
//! ```json
//! { "version": 1,
//!   "tool": { "name": "dslint", "version": "0.1.0" },
//!   "findings": [ { "code": "DS101", "name": "hardcoded-api-key", "severity": "error",
//!                   "message": "…", "help": "…", "path": "src/app.py",
//!                   "start": { "line": 3, "column": 11, "column_utf16": 11 },
//!                   "end": { "line": 3, "column": 46, "column_utf16": 46 },
//!                   "snippet": "client = OpenAI(api_key=\"sk-…9f3a\")",
//!                   "fingerprint": "3f2a…", "docs_url": "…", "fix": null,
//!                   "related": [ { "path": "src/app.py", "start": { … }, "end": { … } } ] } ],
//!   "summary": { "findings": 1, "errors": 1, "warnings": 0, "notes": 0,
//!                "files_scanned": 12, "files_with_findings": 1 } }
//! ```
//!
//! With `--shard K/N`, a last member `"shard": { "index": K, "count": N, "config": "…",
//! "fails": false }` records what `dslint merge` checks and needs (the configuration's hash,
//! whether this shard's findings reached `fail-on`); merged reports have none.
//! `dslint history` adds `commit` (the full id) and `author_date` (ISO 8601) to each finding
//! and a `history` object (commits and blobs scanned, `complete`, submodules not entered).
//!
//! Lines and columns are 1-based; `column` counts UTF-8 bytes, `column_utf16` UTF-16 code
//! units. `related` (present only when not empty) lists other places in the same file the
//! finding stands for (DS604: the file's other uses of one public variable). The output is
//! byte-identical across runs and thread counts (no timings).

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{ReportCtx, Reporter};
use crate::diagnostic::{Finding, Severity};
use crate::outcome::Report;

/// The JSON reporter.
pub struct Json;

/// The JSON object for one finding (also used by other machine formats).
pub fn finding_json(f: &Finding, ctx: &ReportCtx<'_>) -> Value {
    let docs_url = ctx
        .rules
        .iter()
        .find(|r| r.code == f.code)
        .map(|r| r.docs_url());
    let mut v = json!({
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "help": f.help,
        "path": f.path,
        "start": f.start,
        "end": f.end,
        "snippet": f.snippet,
        "fingerprint": f.fingerprint,
        "docs_url": docs_url,
        "fix": f.fix.as_ref().map(|fix| json!({
            "title": fix.title,
            "applicability": if fix.safe { "safe" } else { "unsafe" },
            "edits": fix.edits,
        })),
    });
    if !f.related.is_empty() {
        v["related"] = f
            .related
            .iter()
            .map(|r| json!({ "path": f.path, "start": r.start, "end": r.end }))
            .collect();
    }
    v
}

impl Reporter for Json {
    fn write(&self, report: &Report, ctx: &ReportCtx<'_>, out: &mut dyn Write) -> io::Result<()> {
        let findings: Vec<Value> = report
            .findings
            .iter()
            .map(|f| {
                let mut v = finding_json(f, ctx);
                if let Some(c) = report.history.as_ref().and_then(|h| h.of(f)) {
                    v["commit"] = json!(c.commit);
                    v["author_date"] = json!(c.author_date);
                }
                v
            })
            .collect();
        let mut doc = json!({
            "version": 1,
            "tool": { "name": "dslint", "version": env!("CARGO_PKG_VERSION") },
            "findings": findings,
            "summary": {
                "findings": report.findings.len(),
                "errors": report.count(Severity::Error),
                "warnings": report.count(Severity::Warning),
                "notes": report.count(Severity::Note),
                "files_scanned": report.stats.files_scanned,
                "files_with_findings": report.files_with_findings(),
            },
        });
        if let Some(h) = &report.history {
            doc["history"] = serde_json::to_value(h).unwrap_or(Value::Null);
        }
        if let Some(fixes) = &report.fixes {
            doc["summary"]["fixes"] = serde_json::to_value(fixes).unwrap_or(Value::Null);
        }
        if ctx.stats {
            doc["stats"] = serde_json::to_value(&report.stats).unwrap_or(Value::Null);
        }
        if let Some(shard) = &report.shard {
            doc["shard"] = shard.to_json();
        }
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
