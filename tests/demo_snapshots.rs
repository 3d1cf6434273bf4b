//! Snapshots of the human and JSON reports on `fixtures/demo`, the project the README's first
//! command lints: the exact rule IDs, positions, messages and redaction users see.

mod common;

use common::{bin, root};

fn demo(args: &[&str]) -> (String, i32) {
    let out = bin()
        .args(["fixtures/demo", "--color", "never"])
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("dslint runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn demo_json_report() {
    let (json, code) = demo(&["--format", "json"]);
    assert_eq!(code, 1, "findings exit 1");
    insta::assert_snapshot!("demo_json", json);
}

#[test]
fn demo_human_report() {
    let (human, code) = demo(&["--quiet"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("demo_human", human);
    let (full, _) = demo(&[]);
    let summary = full
        .lines()
        .find(|l| l.contains(" problems ("))
        .expect("a summary line");
    let re = regex::Regex::new(
        r"^\d+ problems \(\d+ errors?, \d+ warnings?\) in \d+ files?; scanned \d+ files in \d+ ms",
    )
    .expect("valid regex");
    assert!(re.is_match(summary), "summary line: {summary}");
    assert!(full.contains("problems are fixable with `dslint --fix`"));
}
