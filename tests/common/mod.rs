//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `dslint` binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dslint"))
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs dslint with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dslint runs")
}

/// Runs dslint with `--format json` and returns the parsed document.
pub fn json_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "dslint failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// `(path, line, column, code)` of every finding in a JSON report.
pub fn findings(doc: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    doc["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every file under `dir` (not inside `.git`), sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("test directory reads") {
            let p = e.expect("test directory entry reads").path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `(code, line, column)` of every finding the built-in rules give on `code` linted as
/// `file`, in the library (no process, no walk).
pub fn lint_snippet(file: &str, code: &str) -> Vec<(String, u32, u32)> {
    use dslint::diagnostic::Severity;
    use dslint::engine::Engine;
    use dslint::rules::Registry;
    use dslint::settings::Settings;
    use dslint::source::FileKind;

    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let kind = FileKind::from_path(Path::new(file));
    engine
        .lint_bytes(file, kind, code.as_bytes())
        .findings
        .into_iter()
        .map(|f| (f.code.to_string(), f.start.line, f.start.column))
        .collect()
}
