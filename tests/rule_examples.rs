//! Runs every rule file's `[[example]]` snippets: `bad` must produce at least one finding of
//! that rule, `good` none. Also checks that every built-in rule file loads and that invalid
//! rule files are rejected with an error naming the file and field.

use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::{compile, Registry};
use dslint::settings::Settings;
use dslint::source::FileKind;

fn lint(engine: &Engine<'_>, file: &str, code: &str) -> Vec<String> {
    let kind = FileKind::from_path(std::path::Path::new(file));
    engine
        .lint_bytes(file, kind, code.as_bytes())
        .findings
        .into_iter()
        .map(|f| f.code.to_string())
        .collect()
}

#[test]
fn every_rule_example_behaves() {
    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &registry.rules {
        if rule.scope == dslint::rules::Scope::Project {
            continue;
        }
        assert!(
            !rule.examples.is_empty(),
            "{} has no [[example]]",
            rule.code
        );
        for (i, ex) in rule.examples.iter().enumerate() {
            if let Some(bad) = &ex.bad {
                checked += 1;
                let got = lint(&engine, &ex.file, bad);
                if !got.iter().any(|c| c == rule.code) {
                    failures.push(format!(
                        "{} example[{i}] bad ({}) did not fire: {got:?}",
                        rule.code, ex.file
                    ));
                }
            }
            if let Some(good) = &ex.good {
                checked += 1;
                let got = lint(&engine, &ex.file, good);
                if got.iter().any(|c| c == rule.code) {
                    failures.push(format!(
                        "{} example[{i}] good ({}) fired",
                        rule.code, ex.file
                    ));
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_rule_files_are_rejected_with_file_and_field() {
    let base = r#"code = "DS999"
name = "x-rule"
severity = "error"
summary = "s"
message = "m"
help = "h"
kinds = ["python"]
"#;
    let bad_query = format!("{base}[queries]\npython = '''(no_such_node) @m'''\n");
    let e = compile("DS999-x.toml", &bad_query).unwrap_err();
    assert_eq!(e.field, "queries.python");
    assert!(e.to_string().contains("rules/DS999-x.toml"));

    let bad_kind = base.replace("[\"python\"]", "[\"cobol\"]") + "[[pattern]]\nregex = 'x'\n";
    let e = compile("DS999-x.toml", &bad_kind).unwrap_err();
    assert_eq!(e.field, "kinds");

    let ok = format!("{base}[[pattern]]\nregex = 'x'\n");
    let e = Registry::load(&[("DS999-x.toml", &ok), ("DS999-y.toml", &ok)]).unwrap_err();
    assert!(e.reason.contains("duplicate"), "{e}");

    let e = compile("DS999-x.toml", &base.replace("error", "fatal")).unwrap_err();
    assert_eq!(e.field, "severity");

    let e = compile("DS999-x.toml", &format!("{base}check = \"nope\"\n")).unwrap_err();
    assert_eq!(e.field, "check");
}
