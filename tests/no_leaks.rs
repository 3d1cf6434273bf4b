//! No output ever holds a full key: every `--format` clap accepts (a format that fails to
//! run is a test failure, not a skip), `--stats`, `-o FILE`, warnings and error messages,
//! over fixtures full of freshly generated keys of every provider shape.

mod common;
mod gen;

use std::path::Path;

use clap::ValueEnum;
use common::run_in;
use dslint::report::Format;
use gen::{fake_keys, filled_seeds, leaked_keys, Rng};

fn format_names() -> Vec<String> {
    Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}

/// Writes a repository of seeds with keys, plus the hard cases: keys on a minified line at
/// the edges of the snippet window, in UTF-16, in a notebook, beside placeholders.
fn repo(dir: &Path, keys: &[String]) {
    for (name, text) in filled_seeds(keys) {
        std::fs::write(dir.join(name), text).unwrap();
    }
    // A long line: key 0 ends just inside the window before key 1's, key 2 starts inside the
    // window after it, so the window cuts through both.
    let line = format!(
        "var a=\"{}{}\";var b=\"{}\";var c=\"{}\";{}\n",
        "x".repeat(700),
        keys[1],
        keys[0],
        keys[3],
        "y".repeat(700)
    );
    std::fs::write(dir.join("bundle.js"), &line).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("KEY={}\n", keys[4])
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    std::fs::write(dir.join("utf16.env"), utf16).unwrap();
    // Not a valid notebook: the warning must not quote the key.
    std::fs::write(
        dir.join("broken.ipynb"),
        format!("{{\"cells\": \"{}", keys[5]),
    )
    .unwrap();
    std::fs::write(dir.join(".gitignore"), "").unwrap();
}

fn check_output(what: &str, bytes: &[u8], keys: &[String], problems: &mut Vec<String>) {
    let text = String::from_utf8_lossy(bytes);
    for k in keys {
        if text.contains(k.as_str()) {
            problems.push(format!("{what}: prints key {}…", &k[..8]));
        }
        // A fragment long enough to be useful (the last 4 characters are allowed).
        let mid = &k[k.len() / 2..k.len() / 2 + 12];
        if text.contains(mid) {
            problems.push(format!(
                "{what}: prints 12 inner characters of key {}…",
                &k[..8]
            ));
        }
    }
    for leak in leaked_keys(&text) {
        problems.push(format!("{what}: prints key-like `{}…`", &leak[..10]));
    }
}

#[test]
fn no_output_format_prints_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let (mut rng, seed) = Rng::from_time();
    let keys = fake_keys(&mut rng);
    repo(dir.path(), &keys);
    let mut problems = Vec::new();
    let formats = format_names();
    assert!(formats.len() >= 2, "{formats:?}");
    for format in &formats {
        for extra in [
            &[][..],
            &["--stats"][..],
            &["--stats", "--color", "always"][..],
        ] {
            let mut args = vec!["--format", format.as_str(), "--no-ignore"];
            args.extend_from_slice(extra);
            args.push(".");
            let out = run_in(dir.path(), &args);
            let what = format!("--format {format} {extra:?}");
            if !matches!(out.status.code(), Some(0 | 1)) {
                problems.push(format!(
                    "{what}: failed to run ({:?}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            if out.stdout.is_empty() {
                problems.push(format!("{what}: no output"));
            }
            check_output(&format!("{what} stdout"), &out.stdout, &keys, &mut problems);
            check_output(&format!("{what} stderr"), &out.stderr, &keys, &mut problems);
        }
        // To a file.
        let file = dir.path().join(format!("report.{format}.out"));
        let out = run_in(
            dir.path(),
            &[
                "--format",
                format,
                "-o",
                file.to_str().unwrap(),
                "--no-ignore",
                ".",
            ],
        );
        let written = std::fs::read(&file).unwrap_or_default();
        std::fs::remove_file(&file).ok();
        if written.is_empty() {
            problems.push(format!("--format {format} -o: nothing written"));
        }
        check_output(
            &format!("--format {format} -o"),
            &written,
            &keys,
            &mut problems,
        );
        check_output(
            &format!("--format {format} -o stderr"),
            &out.stderr,
            &keys,
            &mut problems,
        );
    }
    // Standard input, as editors run it.
    for (name, text) in filled_seeds(&keys) {
        let mut child = common::bin()
            .args(["--format", "json", "--stdin-filename", &name])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        check_output(&format!("stdin {name}"), &out.stdout, &keys, &mut problems);
        check_output(
            &format!("stdin {name} stderr"),
            &out.stderr,
            &keys,
            &mut problems,
        );
    }
    // Error messages that echo user input.
    for args in [
        vec![keys[0].clone()],
        vec!["--select".into(), keys[1].clone(), ".".into()],
        vec!["rule".into(), keys[2].clone()],
        vec!["--max-filesize".into(), keys[3].clone(), ".".into()],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?} is an error");
        check_output(
            &format!("error for {:?}", &args[0]),
            &out.stderr,
            &keys,
            &mut problems,
        );
    }
    assert!(problems.is_empty(), "seed {seed}:\n{}", problems.join("\n"));
}

/// The engine never formats file contents into a panic message, and if a panic happens the
/// message is redacted before it is printed (`guard::install_panic_hook`).
#[test]
fn engine_source_has_no_content_in_panics() {
    let root = common::root();
    let mut offenders = Vec::new();
    for file in [
        "src/engine.rs",
        "src/source.rs",
        "src/walk.rs",
        "src/lib.rs",
        "src/lang/mod.rs",
        "src/lang/embedded.rs",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
        for (i, line) in code.lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            for bad in [
                "panic!(",
                "unreachable!(",
                "todo!(",
                "unimplemented!(",
                "dbg!(",
                "println!(",
                "eprintln!(",
            ] {
                if l.contains(bad) {
                    offenders.push(format!("{file}:{}: {l}", i + 1));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
