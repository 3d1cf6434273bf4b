//! Text gates must never change results: every fixture file (bad, good, demo and fix trees) is
//! linted with the gates on and off, and the findings must be identical.

use std::path::Path;

mod common;

use dslint::checks::gate;
use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::FileKind;

/// `(code, line, column, message)` of every finding on `path`.
fn lint(engine: &Engine<'_>, path: &Path) -> Vec<(String, u32, u32, String)> {
    let bytes = std::fs::read(path).expect("fixture reads");
    let kind = FileKind::from_path(path);
    engine
        .lint_bytes(&path.display().to_string(), kind, &bytes)
        .findings
        .into_iter()
        .map(|f| (f.code.to_string(), f.start.line, f.start.column, f.message))
        .collect()
}

#[test]
fn gates_change_no_finding_on_any_fixture() {
    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let all = common::files_under(&root);
    assert!(
        all.len() > 300,
        "expected the whole fixture tree, got {}",
        all.len()
    );
    let mut findings = 0;
    for path in &all {
        gate::set_enabled(true);
        let gated = lint(&engine, path);
        gate::set_enabled(false);
        let ungated = lint(&engine, path);
        gate::set_enabled(true);
        assert_eq!(gated, ungated, "{}", path.display());
        findings += gated.len();
    }
    // The comparison means something only if the fixtures produce findings.
    assert!(findings > 200, "only {findings} findings over the fixtures");
}
