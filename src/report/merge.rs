//! `dslint merge`: joins the reports of `dslint --shard K/N --format json|sarif` into the report
//! one run over all files writes, byte for byte.
//!
//! Every path's findings come from exactly one shard (project findings belong to the shard of
//! the file they are reported in), and each shard's findings are already in the run's order
//! (path, line, column, code, message). So the merge cuts each shard's list into runs of one
//! path, orders the runs by path and concatenates them; then it recounts the summary and drops
//! the shard record. Reports must agree on the tool version, the configuration hash, the shard
//! count and (SARIF) the rule list; each shard must appear exactly once. Anything else is an
//! error naming the files: nothing is dropped or guessed.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::sarif::SHARD_PROPERTY;
use crate::shard::Shard;

/// The formats `dslint merge` reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// dslint's JSON report.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

impl MergeFormat {
    fn as_str(self) -> &'static str {
        match self {
            MergeFormat::Json => "json",
            MergeFormat::Sarif => "sarif",
        }
    }
}

/// Why shard reports cannot be merged (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum MergeError {
    /// A report could not be read.
    #[error("cannot read {path}: {message}")]
    #[diagnostic(code(dslint::merge::read))]
    Read {
        /// The report.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// A report is not a complete JSON document.
    #[error("{path}: not a complete JSON document ({message})")]
    #[diagnostic(
        code(dslint::merge::json),
        help("was the report cut short? Write it again with `dslint --shard K/N --format json|sarif`")
    )]
    NotJson {
        /// The report.
        path: String,
        /// serde_json's error, with line and column.
        message: String,
    },
    /// A report another tool wrote, or not a report at all.
    #[error("{path}: {what}, not a dslint report")]
    #[diagnostic(
        code(dslint::merge::foreign),
        help("merge only reports written by `dslint --shard K/N --format json|sarif`")
    )]
    Foreign {
        /// The report.
        path: String,
        /// What it is instead.
        what: String,
    },
    /// A dslint report written without `--shard`.
    #[error("{path}: a dslint report without a shard record")]
    #[diagnostic(
        code(dslint::merge::unsharded),
        help("write each shard's report with `dslint --shard K/N`")
    )]
    NotShard {
        /// The report.
        path: String,
    },
    /// Reports in different formats, or not in the format asked for.
    #[error("{path} is a {found} report, but the merge writes {wanted}")]
    #[diagnostic(
        code(dslint::merge::format),
        help("merge JSON reports into JSON and SARIF reports into SARIF")
    )]
    Format {
        /// The report.
        path: String,
        /// Its format.
        found: &'static str,
        /// The format of the merge.
        wanted: &'static str,
    },
    /// Two reports disagree on something that must be the same.
    #[error("{first} and {other} differ in {what} ({first_value} vs {other_value})")]
    #[diagnostic(
        code(dslint::merge::mismatch),
        help("run every shard with the same dslint version, configuration, options and paths")
    )]
    Mismatch {
        /// What differs.
        what: &'static str,
        /// One report.
        first: String,
        /// Its value.
        first_value: String,
        /// The other report.
        other: String,
        /// Its value.
        other_value: String,
    },
    /// Two reports of the same shard.
    #[error("{first} and {other} are both shard {shard}")]
    #[diagnostic(code(dslint::merge::duplicate), help("pass each shard's report once"))]
    Duplicate {
        /// The shard.
        shard: Shard,
        /// One report.
        first: String,
        /// The other.
        other: String,
    },
    /// Shards without a report.
    #[error("no report for shard {missing} of {count}")]
    #[diagnostic(
        code(dslint::merge::missing),
        help("pass the reports of all shards (1 to {count})")
    )]
    Missing {
        /// The missing shard indices, comma-separated.
        missing: String,
        /// The shard count.
        count: u32,
    },
    /// The merged report could not be written.
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(dslint::merge::write))]
    Write {
        /// Where.
        path: String,
        /// The I/O error.
        message: String,
    },
}

/// One shard report, read and checked.
struct Input {
    path: String,
    doc: Value,
    format: MergeFormat,
    shard: Shard,
    version: String,
    config: String,
    fails: bool,
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.pointer(pointer).and_then(Value::as_str)
}

/// Reads and classifies one report.
fn read_input(path: &Path) -> Result<Input, MergeError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| MergeError::Read {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| MergeError::NotJson {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let foreign = |what: String| MergeError::Foreign {
        path: shown.clone(),
        what,
    };
    let (format, version, record) = if doc.get("runs").is_some() {
        let tool = str_at(&doc, "/runs/0/tool/driver/name").unwrap_or("an unnamed tool");
        if tool != "dslint" || doc["runs"].as_array().map_or(0, Vec::len) != 1 {
            return Err(foreign(format!("a SARIF report from `{tool}`")));
        }
        let version = str_at(&doc, "/runs/0/tool/driver/version").unwrap_or_default();
        let record = doc.pointer(&format!("/runs/0/properties/{SHARD_PROPERTY}"));
        (MergeFormat::Sarif, version, record)
    } else if str_at(&doc, "/tool/name") == Some("dslint") && doc["findings"].is_array() {
        let version = str_at(&doc, "/tool/version").unwrap_or_default();
        (MergeFormat::Json, version, doc.get("shard"))
    } else {
        let what = match str_at(&doc, "/tool/name") {
            Some(name) => format!("a report from `{name}`"),
            None => "JSON of unknown shape".to_string(),
        };
        return Err(foreign(what));
    };
    let record = record.ok_or_else(|| MergeError::NotShard {
        path: shown.clone(),
    })?;
    let index = record["index"].as_u64().unwrap_or(0);
    let count = record["count"].as_u64().unwrap_or(0);
    let shard = Shard::parse(&format!("{index}/{count}"))
        .map_err(|_| foreign(format!("a shard record with shard {index}/{count}")))?;
    Ok(Input {
        version: version.to_string(),
        config: record["config"].as_str().unwrap_or_default().to_string(),
        fails: record["fails"].as_bool().unwrap_or(false),
        path: shown,
        format,
        shard,
        doc,
    })
}

/// Checks that the reports belong together: one format, one version, one configuration,
/// one shard count, each shard once.
fn check(inputs: &[Input], wanted: MergeFormat) -> Result<(), MergeError> {
    let first = &inputs[0];
    for other in inputs {
        if other.format != wanted {
            return Err(MergeError::Format {
                path: other.path.clone(),
                found: other.format.as_str(),
                wanted: wanted.as_str(),
            });
        }
        let mismatch = |what, a: String, b: String| MergeError::Mismatch {
            what,
            first: first.path.clone(),
            first_value: a,
            other: other.path.clone(),
            other_value: b,
        };
        if other.version != first.version {
            let (a, b) = (first.version.clone(), other.version.clone());
            return Err(mismatch("dslint version", a, b));
        }
        if other.config != first.config {
            let (a, b) = (first.config.clone(), other.config.clone());
            return Err(mismatch("configuration hash", a, b));
        }
        if other.shard.count != first.shard.count {
            let (a, b) = (first.shard.to_string(), other.shard.to_string());
            return Err(mismatch("shard count", a, b));
        }
        if wanted == MergeFormat::Sarif {
            let rules = |d: &Value| d.pointer("/runs/0/tool/driver/rules").cloned();
            if rules(&other.doc) != rules(&first.doc) {
                let (a, b) = ("one rule list".to_string(), "another".to_string());
                return Err(mismatch("rule list", a, b));
            }
        }
    }
    for (i, a) in inputs.iter().enumerate() {
        if let Some(b) = inputs[i + 1..].iter().find(|b| b.shard == a.shard) {
            return Err(MergeError::Duplicate {
                shard: a.shard,
                first: a.path.clone(),
                other: b.path.clone(),
            });
        }
    }
    let count = first.shard.count;
    let missing: Vec<String> = (1..=count)
        .filter(|k| !inputs.iter().any(|i| i.shard.index == *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing {
            missing: missing.join(", "),
            count,
        });
    }
    Ok(())
}

/// Undoes the SARIF reporter's percent-encoding of a path (`%20` → space).
fn decode_uri(uri: &str) -> Cow<'_, str> {
    let uri = uri.strip_prefix("file://").unwrap_or(uri);
    if !uri.contains('%') {
        return Cow::Borrowed(uri);
    }
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The path a finding (JSON) or result (SARIF) is reported in.
fn item_path(item: &Value, format: MergeFormat) -> Cow<'_, str> {
    match format {
        MergeFormat::Json => Cow::Borrowed(item["path"].as_str().unwrap_or_default()),
        MergeFormat::Sarif => {
            let uri = "/locations/0/physicalLocation/artifactLocation/uri";
            decode_uri(str_at(item, uri).unwrap_or_default())
        }
    }
}

/// Joins the shards' findings (or results): runs of one path, ordered by path, each run in
/// its shard's order.
fn merge_items(lists: Vec<Vec<Value>>, format: MergeFormat) -> Vec<Value> {
    let mut runs: Vec<(String, Vec<Value>)> = Vec::new();
    for list in lists {
        for item in list {
            let path = item_path(&item, format).into_owned();
            match runs.last_mut() {
                Some((p, items)) if *p == path => items.push(item),
                _ => runs.push((path, vec![item])),
            }
        }
    }
    // Stable: a path split between shards (it cannot be) would keep its shards' order.
    runs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    runs.into_iter().flat_map(|(_, items)| items).collect()
}

/// A copy of `map` without `key`, the other members in their order.
fn without(map: &Map<String, Value>, key: &str) -> Map<String, Value> {
    map.iter()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn take_array(v: &mut Value) -> Vec<Value> {
    match v.take() {
        Value::Array(a) => a,
        _ => Vec::new(),
    }
}

/// The merged JSON report: findings joined, summary recounted, shard record (and per-shard
/// `stats`, timings that no single run would repeat) dropped.
fn merge_json(mut inputs: Vec<Input>) -> Value {
    let mut files_scanned = 0;
    let mut fixes: Option<Map<String, Value>> = None;
    for i in &inputs {
        files_scanned += i
            .doc
            .pointer("/summary/files_scanned")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if let Some(Value::Object(f)) = i.doc.pointer("/summary/fixes") {
            let sum = fixes.get_or_insert_with(|| {
                f.iter()
                    .map(|(k, _)| (k.clone(), Value::from(0u64)))
                    .collect()
            });
            for (k, v) in f {
                let add = v.as_u64().unwrap_or(0);
                let prev = sum.get(k).and_then(Value::as_u64).unwrap_or(0);
                sum.insert(k.clone(), Value::from(prev + add));
            }
        }
    }
    let lists: Vec<Vec<Value>> = inputs
        .iter_mut()
        .map(|i| take_array(&mut i.doc["findings"]))
        .collect();
    let findings = merge_items(lists, MergeFormat::Json);
    let count = |s: &str| findings.iter().filter(|f| f["severity"] == s).count();
    let mut files = 0;
    let mut last: Option<&str> = None;
    for f in &findings {
        let p = f["path"].as_str();
        if p != last {
            files += 1;
            last = p;
        }
    }
    let mut summary = inputs[0].doc["summary"].clone();
    summary["findings"] = findings.len().into();
    summary["errors"] = count("error").into();
    summary["warnings"] = count("warning").into();
    summary["notes"] = count("note").into();
    summary["files_scanned"] = files_scanned.into();
    summary["files_with_findings"] = files.into();
    if let Some(fixes) = fixes {
        summary["fixes"] = Value::Object(fixes);
    }
    let mut doc = inputs.swap_remove(0).doc;
    doc["findings"] = Value::Array(findings);
    doc["summary"] = summary;
    match doc {
        Value::Object(map) => Value::Object(without(&without(&map, "shard"), "stats")),
        other => other,
    }
}

/// The merged SARIF report: results joined, shard record dropped.
fn merge_sarif(mut inputs: Vec<Input>) -> Value {
    let srcroot = |d: &Value| d.pointer("/runs/0/originalUriBaseIds").cloned();
    let first_root = srcroot(&inputs[0].doc);
    for i in &inputs[1..] {
        if srcroot(&i.doc) != first_root {
            eprintln!(
                "warning: {} ran in another directory than {} (%SRCROOT%); the merged report uses the first's",
                i.path, inputs[0].path
            );
        }
    }
    let lists: Vec<Vec<Value>> = inputs
        .iter_mut()
        .map(|i| take_array(&mut i.doc["runs"][0]["results"]))
        .collect();
    let results = merge_items(lists, MergeFormat::Sarif);
    let mut doc = inputs.swap_remove(0).doc;
    let run = &mut doc["runs"][0];
    run["results"] = Value::Array(results);
    if let Value::Object(map) = run {
        let mut props = map
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| without(p, SHARD_PROPERTY));
        let mut out = without(map, "properties");
        if let Some(p) = props.take().filter(|p| !p.is_empty()) {
            out.insert("properties".into(), Value::Object(p));
        }
        *map = out;
    }
    doc
}

/// Merges `reports` (in any order) into one report; returns it with the exit code a single
/// run would have had (1 when a shard's findings reached `fail-on`).
pub fn merge(format: Option<MergeFormat>, reports: &[PathBuf]) -> Result<(Value, u8), MergeError> {
    let inputs = reports
        .iter()
        .map(|p| read_input(p))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = inputs.first() else {
        return Err(MergeError::Missing {
            missing: "1".into(),
            count: 1,
        });
    };
    let wanted = format.unwrap_or(first.format);
    check(&inputs, wanted)?;
    let code = u8::from(inputs.iter().any(|i| i.fails));
    let doc = match wanted {
        MergeFormat::Json => merge_json(inputs),
        MergeFormat::Sarif => merge_sarif(inputs),
    };
    Ok((doc, code))
}

/// `dslint merge`: writes the merged report to `output` (or standard output) and returns the
/// exit code.
pub fn run(
    format: Option<MergeFormat>,
    output: Option<&Path>,
    reports: &[PathBuf],
) -> miette::Result<u8> {
    let (doc, code) = merge(format, reports)?;
    let mut buf = serde_json::to_vec_pretty(&doc).map_err(miette::Report::from_err)?;
    buf.push(b'\n');
    match output {
        Some(path) => std::fs::write(path, &buf).map_err(|e| MergeError::Write {
            path: path.display().to_string(),
            message: e.to_string(),
        })?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            out.write_all(&buf)
                .and_then(|_| out.flush())
                .map_err(miette::Report::from_err)?;
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_decode_back_to_paths() {
        assert_eq!(decode_uri("src/my%20app/%C3%BC.py"), "src/my app/ü.py");
        assert_eq!(decode_uri("file:///abs/x.py"), "/abs/x.py");
        assert_eq!(decode_uri("odd%2"), "odd%2");
    }

    #[test]
    fn runs_of_one_path_are_ordered_by_path() {
        let f = |p: &str, line: u64| serde_json::json!({ "path": p, "line": line });
        let merged = merge_items(
            vec![
                vec![f("a.py", 3), f("a.py", 1), f("c.py", 1)],
                vec![f("b.py", 2), f("d.py", 1)],
            ],
            MergeFormat::Json,
        );
        let got: Vec<(String, u64)> = merged
            .iter()
            .map(|v| {
                (
                    v["path"].as_str().unwrap().to_string(),
                    v["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let want = [
            ("a.py", 3),
            ("a.py", 1),
            ("b.py", 2),
            ("c.py", 1),
            ("d.py", 1),
        ];
        assert_eq!(got, want.map(|(p, l)| (p.to_string(), l)));
    }
}
