//! SARIF keeps suppressed findings: a finding silenced by a `dslint: ignore` comment or by the
//! baseline stays in `--format sarif` as a result with `suppressions` (`inSource` with the
//! reason after `--` as justification, `external` for the baseline), so GitHub code scanning
//! shows it dismissed; other formats hide it, and it never fails the run.

mod common;

use std::path::Path;

use common::{json_in, root, run_in};
use serde_json::{json, Value};

/// A fake DeepSeek-style key (generated, never a real one), assembled at run time.
fn fake_key(tail: &str) -> String {
    let hex = "3b9e1d7c5a2f8e4b6d0c9a1f7e3b5d2c";
    format!("sk-{}{tail}", &hex[..32 - tail.len()])
}

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).expect("test file writes");
}

fn sarif(dir: &Path, args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["--format", "sarif"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("SARIF is JSON ({e}): {text}"));
    let schema_path = root().join("tests/data/sarif-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema reads"))
            .expect("schema is JSON");
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
    (doc, out.status.code())
}

/// `(ruleId, startLine, suppressions)` of every result.
fn results(doc: &Value) -> Vec<Value> {
    doc["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            json!([
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r.get("suppressions").cloned().unwrap_or(Value::Null),
            ])
        })
        .collect()
}

#[test]
fn comments_and_the_baseline_become_sarif_suppressions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    let keys: Vec<String> = ["1", "2", "3", "4"].iter().map(|t| fake_key(t)).collect();
    let base = format!(
        "A = \"{}\"  # dslint: ignore[DS101] -- a revoked test key\n\
         B = \"{}\"  # dslint: ignore\n\
         C = \"{}\"\n",
        keys[0], keys[1], keys[2]
    );
    write(p, "app.py", &base);
    // The baseline records C (A and B are already silenced by their comments).
    let out = run_in(p, &["--write-baseline", "baseline.json", "app.py"]);
    assert_eq!(out.status.code(), Some(0));

    // Everything known is silenced: SARIF still lists all three, dismissed; exit code 0.
    let (doc, code) = sarif(p, &["--baseline", "baseline.json", "app.py"]);
    assert_eq!(code, Some(0), "suppressed findings never fail the run");
    let in_source = |why: Option<&str>| match why {
        Some(w) => json!([{ "kind": "inSource", "justification": w }]),
        None => json!([{ "kind": "inSource" }]),
    };
    let external =
        json!([{ "kind": "external", "justification": "listed in the dslint baseline file" }]);
    assert_eq!(
        results(&doc),
        vec![
            json!(["DS101", 1, in_source(Some("a revoked test key"))]),
            json!(["DS101", 2, in_source(None)]),
            json!(["DS101", 3, external]),
        ]
    );

    // A new key is reported as before, between the suppressed ones in line order.
    write(p, "app.py", &format!("{base}D = \"{}\"\n", keys[3]));
    let (doc, code) = sarif(p, &["--baseline", "baseline.json", "app.py"]);
    assert_eq!(code, Some(1));
    let got = results(&doc);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[3], json!(["DS101", 4, null]));
    let text = doc.to_string();
    for k in &keys {
        assert!(!text.contains(k.as_str()), "a key is printed in full");
    }

    // Other formats keep hiding them.
    let json = json_in(p, &["--baseline", "baseline.json", "app.py"]);
    let lines: Vec<u64> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["start"]["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, vec![4]);
}

#[test]
fn suppressed_project_findings_stay_in_sarif() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        ".env",
        "# dslint: ignore[unignored-env-file] -- a local-only checkout\nDEEPSEEK_API_KEY=changeme\n",
    );
    let (doc, code) = sarif(dir.path(), &["."]);
    assert_eq!(code, Some(0));
    assert_eq!(
        results(&doc),
        vec![json!([
            "DS501",
            1,
            [{ "kind": "inSource", "justification": "a local-only checkout" }]
        ])]
    );
}
