//! The fixture harness: every file under `fixtures/<CODE>/{bad,good}/` is linted and its
//! findings must equal the inline markers exactly (ruff-mdtest style): a line ending in
//! `expect: DS101` (in any comment syntax, several codes comma-separated) must have exactly
//! those findings, and every other line none. Every `bad/` tree must hold at least one marker
//! for its own rule; `good/` trees hold none for theirs.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{findings, json_in, root};

fn expected_markers(text: &str) -> BTreeSet<(u64, String)> {
    let mut set = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(pos) = line.find("expect: DS") {
            for code in line[pos + "expect: ".len()..]
                .split([',', ' '])
                .map(|c| c.trim_matches(|ch: char| !ch.is_ascii_alphanumeric()))
                .filter(|c| !c.is_empty())
                .take_while(|c| c.starts_with("DS") && c.len() == 5)
            {
                set.insert((i as u64 + 1, code.to_string()));
            }
        }
    }
    set
}

fn check_tree(dir: &Path, own_code: &str, bad: bool) -> Vec<String> {
    // DS501/DS502 judge the git state around a file (ignore rules, the index), which for a
    // fixture tree is dslint's own repository: only the DS50x trees are judged for them
    // (their temporary-repository cases live in tests/project_hygiene.rs).
    let doc = if own_code.starts_with("DS50") {
        json_in(dir, &["--no-ignore", "."])
    } else {
        json_in(dir, &["--no-ignore", "--ignore", "DS501,DS502", "."])
    };
    let actual = findings(&doc);
    let mut errors = Vec::new();
    let mut own_markers = 0;
    for entry in common::files_under(dir) {
        let rel = entry
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        let expected = expected_markers(&text);
        own_markers += expected.iter().filter(|(_, c)| c == own_code).count();
        let got: BTreeSet<(u64, String)> = actual
            .iter()
            .filter(|(p, ..)| *p == rel)
            .map(|(_, l, _, c)| (*l, c.clone()))
            .collect();
        for missing in expected.difference(&got) {
            errors.push(format!(
                "{}/{rel}:{}: expected {} not reported",
                dir.display(),
                missing.0,
                missing.1
            ));
        }
        for extra in got.difference(&expected) {
            errors.push(format!(
                "{}/{rel}:{}: unexpected {}",
                dir.display(),
                extra.0,
                extra.1
            ));
        }
    }
    if bad && own_markers == 0 {
        errors.push(format!(
            "{}: a bad/ tree needs at least one `expect: {own_code}`",
            dir.display()
        ));
    }
    if !bad && own_markers > 0 {
        errors.push(format!(
            "{}: a good/ tree must not expect {own_code}",
            dir.display()
        ));
    }
    errors
}

/// DS502 trees hold env files that are ignored yet tracked by dslint's own repository; in a
/// copy without git metadata (a source tarball) there is nothing to check.
fn tracked_here(tree: &Path) -> bool {
    use dslint::project::{git_index, repo::Repo};
    let Some(repo) = Repo::discover(tree) else {
        return false;
    };
    let Some(rel) = std::fs::canonicalize(tree)
        .ok()
        .and_then(|t| repo.relative(&t))
    else {
        return false;
    };
    let prefix = format!("{rel}/");
    !git_index::tracked_paths(&repo, |p| p.starts_with(&prefix)).is_empty()
}

#[test]
fn every_fixture_tree_matches_its_markers() {
    let fixtures = root().join("fixtures");
    let mut errors = Vec::new();
    let mut trees = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let dir = entry.unwrap().path();
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !code.starts_with("DS") {
            continue;
        }
        for (sub, bad) in [("bad", true), ("good", false)] {
            let tree = dir.join(sub);
            if code == "DS502" && !tracked_here(&tree) {
                eprintln!("{}: not in a git checkout, skipped", tree.display());
                continue;
            }
            if tree.is_dir() {
                trees += 1;
                errors.extend(check_tree(&tree, &code, bad));
            }
        }
    }
    assert!(trees > 0, "no fixture trees found");
    assert!(
        errors.is_empty(),
        "{} fixture mismatches:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn markers_parse() {
    let m = expected_markers("x = 1  # expect: DS101, DS201\ny\n// expect: DS403\n");
    assert!(m.contains(&(1, "DS101".into())));
    assert!(m.contains(&(1, "DS201".into())));
    assert!(m.contains(&(3, "DS403".into())));
    assert_eq!(m.len(), 3);
}
