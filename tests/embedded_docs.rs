//! Markdown code blocks, notebook cells and shebang scripts, end to end: the JSON report
//! points at the line a person sees when opening the file, notebook messages name the cell,
//! a malformed notebook is a warning and the run goes on.

mod common;

use common::{root, run_in};

fn report() -> (serde_json::Value, String, Option<i32>) {
    let dir = root().join("tests/data/embedded");
    let out = run_in(&dir, &["--format", "json", "--no-ignore", "."]);
    let json = serde_json::from_slice(&out.stdout).expect("valid JSON");
    (
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The findings reduced to what a reader checks: where, which rule, what it says, and the
/// host line it points at.
fn summary(doc: &serde_json::Value, path: &str) -> Vec<serde_json::Value> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            serde_json::json!({
                "line": f["start"]["line"],
                "column": f["start"]["column"],
                "code": f["code"],
                "message": f["message"],
                "snippet": f["snippet"],
            })
        })
        .collect()
}

/// Every finding's snippet is the text of the reported line of the host file.
fn assert_lines_match_host(doc: &serde_json::Value) {
    let dir = root().join("tests/data/embedded");
    for f in doc["findings"].as_array().expect("findings") {
        let path = f["path"].as_str().expect("path");
        let text = std::fs::read_to_string(dir.join(path)).expect("host file");
        let line = f["start"]["line"].as_u64().expect("line") as usize;
        let host = text.lines().nth(line - 1).expect("line exists");
        assert_eq!(
            f["snippet"].as_str(),
            Some(host.trim_end_matches('\r')),
            "{path}:{line}"
        );
    }
}

#[test]
fn markdown_findings_point_at_host_lines() {
    let (doc, _, _) = report();
    assert_lines_match_host(&doc);
    insta::assert_json_snapshot!("markdown", summary(&doc, "README.md"));
    insta::assert_json_snapshot!("markdown_crlf", summary(&doc, "crlf.md"));
}

#[test]
fn notebook_findings_point_at_ipynb_lines_and_name_the_cell() {
    let (doc, _, _) = report();
    let cells = summary(&doc, "analysis.ipynb");
    assert!(!cells.is_empty());
    for f in &cells {
        let m = f["message"].as_str().expect("message");
        assert!(m.ends_with("(cell 2)") || m.ends_with("(cell 3)"), "{m}");
    }
    insta::assert_json_snapshot!("notebook", cells);
}

#[test]
fn malformed_notebook_warns_and_the_run_goes_on() {
    let (doc, stderr, code) = report();
    assert!(
        stderr.contains("broken.ipynb") && stderr.contains("not a valid notebook"),
        "{stderr}"
    );
    assert_eq!(code, Some(1), "other files' findings still fail the run");
    assert!(summary(&doc, "broken.ipynb").is_empty());
    assert!(!summary(&doc, "README.md").is_empty());
}

#[test]
fn shebang_picks_the_language_of_extensionless_scripts() {
    let (doc, _, _) = report();
    for script in ["ask-deepseek", "chat-cli", "call-api"] {
        let found = summary(&doc, script);
        assert_eq!(found.len(), 1, "{script}: {found:?}");
        assert_eq!(found[0]["code"], "DS301");
    }
}

/// A key in a notebook cell is in the notebook's JSON too: it is reported once, with its
/// cell, at the column where the key starts in the `.ipynb` line (after the JSON escapes).
#[test]
fn a_key_in_a_notebook_cell_is_reported_once_at_its_ipynb_column() {
    let dir = root().join("fixtures/DS101/bad");
    let out = run_in(&dir, &["--format", "json", "--no-ignore", "notebook.ipynb"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let found: Vec<_> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["start"]["line"].as_u64(),
                f["start"]["column"].as_u64(),
                f["message"]
                    .as_str()
                    .unwrap_or_default()
                    .ends_with("(cell 1)"),
            )
        })
        .collect();
    assert_eq!(found, [("DS101".to_string(), Some(14), Some(36), true)]);
    let text = std::fs::read_to_string(dir.join("notebook.ipynb")).expect("fixture");
    let line = text.lines().nth(13).expect("line 14");
    assert!(line[35..].starts_with("sk-"), "{line}");
}
