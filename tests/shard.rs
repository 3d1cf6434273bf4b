//! `--shard K/N` and `dslint merge`: for N = 1..5 the merged shard reports are byte-identical
//! to one run's (JSON and SARIF, exit code included), on `fixtures/` and on a generated tree
//! where every shard has files; bad input to `merge` is a clear error with exit code 2.

mod common;
mod gen;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::run_in;

/// `dslint ARGS PATH` in `dir`; the report bytes and the exit code.
fn report(dir: &Path, format: &str, extra: &[&str], path: &str) -> (Vec<u8>, i32) {
    let mut args = vec!["--format", format];
    args.extend_from_slice(extra);
    args.push(path);
    let out = run_in(dir, &args);
    let code = out.status.code().expect("dslint exits");
    assert!(
        code == 0 || code == 1,
        "dslint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, code)
}

fn merge(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["merge"];
    all.extend_from_slice(args);
    run_in(dir, &all)
}

/// Writes the N shard reports of `path` under `out` and merges them (given in reverse order:
/// the order of the arguments must not matter). Returns the merged bytes, the merge's exit
/// code, and each shard's `files_scanned`.
fn shard_and_merge(
    dir: &Path,
    out: &Path,
    format: &str,
    path: &str,
    n: u32,
) -> (Vec<u8>, i32, Vec<u64>) {
    let mut files = Vec::new();
    let mut scanned = Vec::new();
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let (bytes, _) = report(dir, format, &["--shard", &shard], path);
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
            assert_eq!(doc["shard"]["index"], k);
            assert_eq!(doc["shard"]["count"], n);
            scanned.push(doc["summary"]["files_scanned"].as_u64().expect("count"));
        }
        let file = out.join(format!("shard-{k}-of-{n}.{format}"));
        std::fs::write(&file, bytes).expect("write shard report");
        files.push(file.display().to_string());
    }
    files.reverse();
    let merged = out.join(format!("merged-{n}.{format}"));
    let mut args = vec!["--format", format, "--output"];
    let merged_arg = merged.display().to_string();
    args.push(&merged_arg);
    args.extend(files.iter().map(String::as_str));
    let result = merge(dir, &args);
    let code = result.status.code().expect("merge exits");
    assert!(
        code == 0 || code == 1,
        "merge failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    (
        std::fs::read(&merged).expect("merged report"),
        code,
        scanned,
    )
}

fn assert_merges_to_single_run(dir: &Path, path: &str) {
    let out = tempfile::tempdir().expect("temp dir");
    for format in ["json", "sarif"] {
        let (single, single_code) = report(dir, format, &[], path);
        for n in 1..=5 {
            let (merged, code, _) = shard_and_merge(dir, out.path(), format, path, n);
            assert!(
                merged == single,
                "{format}, {n} shards: merged report differs from one run\n--- one run\n{}\n--- merged\n{}",
                String::from_utf8_lossy(&single),
                String::from_utf8_lossy(&merged)
            );
            assert_eq!(code, single_code, "{format}, {n} shards: exit code");
        }
    }
}

#[test]
fn merged_shards_equal_one_run_on_fixtures() {
    assert_merges_to_single_run(&common::root(), "fixtures");
}

/// A tree of `dirs` directories, each holding one seed document (every kind, with fake
/// keys), plus code reading `DEEPSEEK_KEY` while env files define `DEEPSEEK_API_KEY` (DS603,
/// whose findings in one file depend on files in other shards).
fn generated_tree(root: &Path, dirs: usize) {
    let mut rng = gen::Rng::new(19);
    let keys = gen::fake_keys(&mut rng);
    let seeds = gen::filled_seeds(&keys);
    for i in 0..dirs {
        let (name, text) = &seeds[i % seeds.len()];
        let dir = root.join(format!("pkg{}/mod{i}", i % 7));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join(name), text).expect("write seed");
        if i % 10 == 3 {
            let reader = format!(
                "import os\n# deepseek client settings\nkey = os.environ[\"DEEPSEEK_KEY\"]\nurl = os.getenv(\"DEEPSEEK_URL_{i}\")\n"
            );
            std::fs::write(dir.join("settings.py"), reader).expect("write reader");
        }
    }
    std::fs::write(
        root.join("deploy.env"),
        "DEEPSEEK_URL_3=https://api.deepseek.com\n",
    )
    .expect("write env");
}

#[test]
fn merged_shards_equal_one_run_on_a_generated_tree() {
    let tree = tempfile::tempdir().expect("temp dir");
    generated_tree(tree.path(), 150);
    let (single, _) = report(tree.path(), "json", &[], ".");
    let doc: serde_json::Value = serde_json::from_slice(&single).expect("valid JSON");
    let files = doc["summary"]["files_scanned"].as_u64().expect("count");
    assert!(files >= 100, "only {files} files");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"DS603"), "no cross-file finding: {codes:?}");
    assert!(codes.contains(&"DS101"), "{codes:?}");

    // Every shard does some work, and together they scan each file once.
    let out = tempfile::tempdir().expect("temp dir");
    for n in 2..=5 {
        let (_, _, scanned) = shard_and_merge(tree.path(), out.path(), "json", ".", n);
        assert!(scanned.iter().all(|&s| s > 0), "{n} shards: {scanned:?}");
        assert_eq!(
            scanned.iter().sum::<u64>(),
            files,
            "{n} shards: {scanned:?}"
        );
    }
    assert_merges_to_single_run(tree.path(), ".");
}

/// Two shard reports of `fixtures/` (1/2 and 2/2) in `format`, written under `out`.
fn two_shards(out: &Path, format: &str, extra: &[&str]) -> Vec<PathBuf> {
    (1..=2)
        .map(|k| {
            let shard = format!("{k}/2");
            let mut args = vec!["--shard", shard.as_str()];
            args.extend_from_slice(extra);
            let (bytes, _) = report(&common::root(), format, &args, "fixtures");
            let file = out.join(format!("s{k}{}.{format}", extra.len()));
            std::fs::write(&file, bytes).expect("write");
            file
        })
        .collect()
}

/// Runs `dslint merge ARGS`, expects exit code 2, returns standard error.
fn merge_fails(args: &[&Path]) -> String {
    let args: Vec<String> = args.iter().map(|p| p.display().to_string()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = merge(&common::root(), &args);
    assert_eq!(out.status.code(), Some(2), "merge {args:?} should fail");
    assert!(out.stdout.is_empty(), "a failed merge writes no report");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_merge_inputs_are_clear_errors() {
    let out = tempfile::tempdir().expect("temp dir");
    let json = two_shards(out.path(), "json", &[]);
    let sarif = two_shards(out.path(), "sarif", &[]);

    // A report cut short.
    let text = std::fs::read_to_string(&json[1]).expect("read");
    let cut = out.path().join("cut.json");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
    let err = merge_fails(&[&json[0], &cut]);
    assert!(
        err.contains("cut.json: not a complete JSON document"),
        "{err}"
    );

    // A SARIF report from another tool.
    let other = out.path().join("semgrep.sarif");
    std::fs::write(
        &other,
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"semgrep"}},"results":[]}]}"#,
    )
    .expect("write");
    let err = merge_fails(&[&sarif[0], &other]);
    assert!(
        err.contains("semgrep.sarif: a SARIF report from `semgrep`, not a dslint report"),
        "{err}"
    );

    // The same shard twice (under two names).
    let copy = out.path().join("copy.json");
    std::fs::copy(&json[0], &copy).expect("copy");
    let err = merge_fails(&[&json[0], &copy, &json[1]]);
    assert!(err.contains("s10.json and"), "{err}");
    assert!(err.contains("copy.json are both shard 1/2"), "{err}");

    // A shard missing.
    let err = merge_fails(&[&json[1]]);
    assert!(err.contains("no report for shard 1 of 2"), "{err}");

    // Another configuration (here: another rule selection) in one shard.
    let narrow = two_shards(out.path(), "json", &["--select", "DS1"]);
    let err = merge_fails(&[&json[0], &narrow[1]]);
    assert!(err.contains("differ in configuration hash"), "{err}");
    assert!(
        err.contains("s10.json") && err.contains("s22.json"),
        "{err}"
    );

    // Another dslint version.
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json[1]).expect("read")).expect("JSON");
    doc["tool"]["version"] = "0.0.1".into();
    let old = out.path().join("old.json");
    std::fs::write(&old, doc.to_string()).expect("write");
    let err = merge_fails(&[&json[0], &old]);
    assert!(err.contains("differ in dslint version"), "{err}");

    // JSON and SARIF mixed; a report written without --shard.
    let err = merge_fails(&[&json[0], &sarif[1]]);
    assert!(
        err.contains("is a sarif report, but the merge writes json"),
        "{err}"
    );
    let (plain, _) = report(&common::root(), "json", &[], "fixtures/DS101");
    let plain_file = out.path().join("plain.json");
    std::fs::write(&plain_file, plain).expect("write");
    let err = merge_fails(&[&plain_file]);
    assert!(
        err.contains("plain.json: a dslint report without a shard record"),
        "{err}"
    );
}

#[test]
fn shard_must_be_k_of_n() {
    for bad in ["0/2", "3/2", "2", "x/y"] {
        let out = run_in(&common::root(), &["--shard", bad, "fixtures/DS101"]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is not a shard: write K/N"), "{err}");
    }
}
