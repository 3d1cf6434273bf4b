//! No output of dslint suggests a retired model: help texts, fixes and SARIF help never name
//! one, and no message says to use one. Retired IDs come from the catalogue, not this test.

mod common;

use common::{bin, root};
use dslint::catalogue::{Catalogue, Status};

fn retired() -> Vec<String> {
    Catalogue::builtin()
        .data
        .models
        .iter()
        .filter(|m| m.status == Status::Retired)
        .map(|m| m.id.clone())
        .collect()
}

fn run(args: &[&str]) -> String {
    let out = bin()
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("dslint runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_and_fixes_never_name_a_retired_model() {
    let ids = retired();
    assert!(
        ids.iter().any(|i| i == "deepseek-chat"),
        "catalogue lists deepseek-chat as retired"
    );
    let suggestion =
        regex::Regex::new(r"(?i)\b(use|try|switch to|replace (it )?with|rename (it )?to)\b[^.;:]{0,40}`?deepseek-(chat|reasoner)\b")
            .expect("valid regex");
    let doc: serde_json::Value =
        serde_json::from_str(&run(&["fixtures", "--no-ignore", "--format", "json"]))
            .expect("JSON report");
    let findings = doc["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["code"] == "DS403"),
        "fixtures exercise DS403"
    );
    for f in findings {
        let help = f["help"].as_str().unwrap_or("");
        let message = f["message"].as_str().unwrap_or("");
        for id in &ids {
            assert!(!help.contains(id.as_str()), "help names retired {id}: {f}");
        }
        assert!(
            !suggestion.is_match(message),
            "message suggests a retired model: {f}"
        );
        if let Some(edits) = f["fix"]["edits"].as_array() {
            for e in edits {
                let content = e["content"].as_str().unwrap_or("");
                for id in &ids {
                    assert!(
                        !content.contains(id.as_str()),
                        "fix writes retired {id}: {f}"
                    );
                }
            }
        }
    }
    let diff = run(&["fixtures", "--no-ignore", "--diff", "--unsafe-fixes"]);
    for line in diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
    {
        for id in &ids {
            assert!(
                !line.contains(id.as_str()),
                "a fix adds retired {id}: {line}"
            );
        }
    }
    let sarif = run(&["fixtures", "--no-ignore", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF");
    for r in sarif["runs"][0]["results"].as_array().expect("results") {
        let text = r["message"]["text"].as_str().unwrap_or("");
        assert!(
            !suggestion.is_match(text),
            "SARIF message suggests a retired model: {text}"
        );
    }
}
