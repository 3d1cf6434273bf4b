//! `--stats`: the counters of a run on a small tree whose every file is accounted for.
//!
//! The library run uses a probe rule (a literal `needle`, a tree-sitter query on Python and
//! JavaScript strings) so the prefilter, parse and minified counters do not depend on which
//! built-in rules exist; the CLI check uses only counters that no rule influences.

mod common;

use std::path::Path;

use dslint::engine::Engine;
use dslint::rules::{compile, Rule};
use dslint::settings::Settings;
use dslint::{run, walk, Options, Stats};

const PROBE: &str = r#"
code = "DS990"
name = "stats-probe"
severity = "warning"
summary = "probe"
message = "probe"
help = "probe"
kinds = ["python", "javascript", "markdown"]
prefilter = ["needle"]

[queries]
python = '''((string) @m (#match? @m "needle"))'''
javascript = '''((string) @m (#match? @m "needle"))'''
"#;

/// Writes the tree; returns the bytes of every file that is read (not too large, not ignored).
fn write_tree(dir: &Path) -> u64 {
    let long_line = format!("var s = \"needle\"; var t = \"{}\";\n", "x".repeat(6000));
    let files: Vec<(&str, Vec<u8>)> = vec![
        // candidate, parsed, one finding
        ("a.py", b"x = \"needle\"\n".to_vec()),
        // read, no literal: not a candidate
        ("b.py", b"print(\"hay\")\n".to_vec()),
        ("sub/c.py", b"y = 1\n".to_vec()),
        // candidate, minified: not parsed
        ("min.js", long_line.into_bytes()),
        // candidate; its Python block is parsed (one parsed file, not one per block)
        (
            "notes.md",
            b"A needle in prose.\n\n```python\nx = 'needle'\n```\n".to_vec(),
        ),
        // read, binary: skipped before the prefilter although it holds the literal
        ("bin.dat", b"needle\0\x01\x02".to_vec()),
        (".gitignore", b"ignored.py\n".to_vec()),
    ];
    let mut read = 0;
    for (name, bytes) in &files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        read += bytes.len() as u64;
    }
    // not read: too large, ignored, inside .git
    std::fs::write(dir.join("big.txt"), "needle ".repeat(1300)).unwrap();
    std::fs::write(dir.join("ignored.py"), "x = \"needle\"\n").unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "needle\n").unwrap();
    read
}

fn probe_rule() -> Rule {
    compile("DS990-stats-probe.toml", PROBE).expect("probe rule compiles")
}

fn lint(dir: &Path, rule: &Rule, threads: usize) -> dslint::Report {
    let engine = Engine::new(vec![rule], vec![rule.severity], Settings::default());
    let opts = Options {
        paths: vec![dir.to_path_buf()],
        threads,
        max_filesize: 8192,
        walk: walk::WalkOptions {
            threads,
            ..walk::WalkOptions::default()
        },
        ..Options::default()
    };
    run(&engine, &opts).expect("run succeeds")
}

fn counters(s: &Stats) -> [u64; 9] {
    [
        s.files_walked,
        s.files_scanned,
        s.skipped_binary,
        s.skipped_large,
        s.skipped_unreadable,
        s.files_prefiltered,
        s.files_parsed,
        s.files_minified,
        s.bytes,
    ]
}

#[test]
fn stats_count_every_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let read = write_tree(tmp.path());
    let rule = probe_rule();
    let report = lint(tmp.path(), &rule, 2);
    let s = &report.stats;
    assert_eq!(s.files_walked, 8, "{s:?}");
    assert_eq!(s.skipped_large, 1, "big.txt: {s:?}");
    assert_eq!(s.skipped_unreadable, 0, "{s:?}");
    assert_eq!(s.files_scanned, 7, "read, binary included: {s:?}");
    assert_eq!(
        s.files_walked,
        s.files_scanned + s.skipped_large + s.skipped_unreadable,
        "every walked file is read or skipped"
    );
    assert_eq!(s.skipped_binary, 1, "bin.dat: {s:?}");
    assert_eq!(s.bytes, read, "bytes of the files read: {s:?}");
    assert_eq!(s.files_prefiltered, 3, "a.py, min.js, notes.md: {s:?}");
    assert_eq!(s.files_parsed, 2, "a.py and notes.md's block: {s:?}");
    assert_eq!(s.files_minified, 1, "min.js: {s:?}");
    assert!(s.total_ms >= s.lint_ms, "{s:?}");

    let mut found: Vec<(String, u32)> = report
        .findings
        .iter()
        .map(|f| {
            let name = Path::new(&f.path).file_name().unwrap();
            (name.to_string_lossy().into_owned(), f.start.line)
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [("a.py".to_string(), 1), ("notes.md".to_string(), 4)],
        "min.js is not parsed, so its string is not matched"
    );
}

#[test]
fn stats_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path());
    let rule = probe_rule();
    let one = lint(tmp.path(), &rule, 1);
    let two = lint(tmp.path(), &rule, 2);
    assert_eq!(counters(&one.stats), counters(&two.stats));
    assert_eq!(one.findings.len(), two.findings.len());
}

#[test]
fn cli_stats_in_json_and_human_output() {
    let tmp = tempfile::tempdir().unwrap();
    let read = write_tree(tmp.path());
    let args = [
        "--stats",
        "--max-filesize",
        "8192",
        "--select",
        "DS101",
        ".",
    ];
    let doc = common::json_in(tmp.path(), &args);
    let s = &doc["stats"];
    assert_eq!(s["files_walked"], 8, "{s}");
    assert_eq!(s["files_scanned"], 7, "{s}");
    assert_eq!(s["skipped_binary"], 1, "{s}");
    assert_eq!(s["skipped_large"], 1, "{s}");
    assert_eq!(s["bytes"], read, "{s}");
    assert_eq!(s["files_prefiltered"], 0, "no file holds `sk-`: {s}");
    assert!(s["slowest"].is_array(), "{s}");
    assert_eq!(doc["summary"]["files_scanned"], 7);

    let mut human = vec!["--color", "never"];
    human.extend_from_slice(&args);
    let out = common::run_in(tmp.path(), &human);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("files walked:      8"), "{text}");
    assert!(
        text.contains(&format!("files scanned:     7 ({read} bytes)")),
        "{text}"
    );
    assert!(
        text.contains("files skipped:     1 binary, 1 too large, 0 unreadable"),
        "{text}"
    );
}
