//! Bad input: dslint runs on everything in a repository, so no file, name, encoding, size,
//! link or permission may crash it, hang it, or make it print a secret. Each test builds its
//! inputs in a temporary directory and runs the real binary.

mod common;
mod gen;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::run_in;
use gen::{fake_keys, leaked_keys, Rng};
use serde_json::Value;

fn key() -> String {
    let (mut rng, _) = Rng::from_time();
    fake_keys(&mut rng).remove(0)
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, bytes).unwrap();
}

/// Runs dslint with JSON output and `--stats`; checks the exit code is 0 or 1, that the
/// output parses, and that no full key leaked into stdout or stderr.
fn json_run(dir: &Path, args: &[&str]) -> (Value, String, Output) {
    let mut all = vec!["--format", "json", "--stats"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "dslint {args:?} failed ({:?}): {stderr}",
        out.status
    );
    assert!(
        !stderr.contains("internal error") && !stderr.contains("panicked"),
        "dslint {args:?} hit a bug: {stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(leaked_keys(&stdout).is_empty(), "key in stdout: {stdout}");
    assert!(leaked_keys(&stderr).is_empty(), "key in stderr: {stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    (doc, stderr, out)
}

/// `(path, line, column)` of every DS101 finding.
fn ds101(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "DS101")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn stat(doc: &Value, name: &str) -> u64 {
    doc["stats"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("no stat {name}"))
}

#[test]
fn binary_and_nul_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    write(
        dir.path(),
        "logo.png",
        [b"\x89PNG\r\n\x1a\n\0\0".as_slice(), k.as_bytes()].concat(),
    );
    write(dir.path(), "nul.py", format!("a = 1\0\nkey = \"{k}\"\n"));
    write(dir.path(), "ok.py", format!("key = \"{k}\"\n"));
    let (doc, _, _) = json_run(dir.path(), &["."]);
    assert_eq!(ds101(&doc), vec![("ok.py".into(), 1, 8)]);
    assert_eq!(stat(&doc, "skipped_binary"), 2);
    // Named explicitly, a skipped file gets a note.
    let (_, stderr, _) = json_run(dir.path(), &["logo.png"]);
    assert!(
        stderr.contains("logo.png: skipped: binary file"),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_and_latin1_are_linted_with_byte_positions() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    // "café" in Latin-1, then invalid bytes on the key's own line: columns count file bytes.
    write(
        dir.path(),
        "latin1.py",
        [
            b"# caf\xe9\n".as_slice(),
            format!("k = \"{k}\"\n").as_bytes(),
        ]
        .concat(),
    );
    write(
        dir.path(),
        "bad.py",
        [
            b"x = '\xff\xfe\xc3' ; k = \"".as_slice(),
            k.as_bytes(),
            b"\"\n",
        ]
        .concat(),
    );
    let (doc, _, _) = json_run(dir.path(), &["."]);
    let got = ds101(&doc);
    assert!(got.contains(&("latin1.py".into(), 2, 6)), "{got:?}");
    // `x = '` (5) + 3 invalid bytes + `' ; k = "` (9): the key starts at byte 17, column 18.
    assert!(got.contains(&("bad.py".into(), 1, 18)), "{got:?}");
}

#[test]
fn bom_and_utf16_files_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let text = format!("\u{feff}a = 1\nkey = \"{k}\"\n");
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    write(dir.path(), "bom.py", text.as_bytes());
    write(dir.path(), "utf16le.py", le);
    write(dir.path(), "utf16be.py", be);
    let (doc, _, _) = json_run(dir.path(), &["."]);
    let got = ds101(&doc);
    for name in ["bom.py", "utf16be.py", "utf16le.py"] {
        assert!(got.contains(&(name.into(), 2, 8)), "{name}: {got:?}");
    }
    assert_eq!(stat(&doc, "skipped_binary"), 0);
}

#[test]
fn crlf_and_lone_cr_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    write(
        dir.path(),
        "crlf.py",
        format!("a = 1\r\n\r\nkey = \"{k}\"\r\n"),
    );
    write(dir.path(), "cr.py", format!("a = 1\r\rkey = \"{k}\"\r"));
    write(
        dir.path(),
        "mixed.py",
        format!("a = 1\r\n\rb = 2\nkey = \"{k}\"\n"),
    );
    // A lone CR inside a Markdown code block ends a line there too (fuzz regression: the
    // block's line map counted only LF, so positions after the CR were wrong or inverted).
    write(
        dir.path(),
        "cr.md",
        format!("```python\nx = 1\rk = \"{k}\"\n```\n"),
    );
    let (doc, _, _) = json_run(dir.path(), &["."]);
    let got = ds101(&doc);
    assert!(got.contains(&("crlf.py".into(), 3, 8)), "{got:?}");
    assert!(got.contains(&("cr.py".into(), 3, 8)), "{got:?}");
    assert!(got.contains(&("mixed.py".into(), 4, 8)), "{got:?}");
    let md: Vec<_> = got.iter().filter(|(p, ..)| p == "cr.md").collect();
    assert_eq!(md, vec![&("cr.md".to_string(), 3, 6)], "{got:?}");
}

#[test]
fn empty_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "a.py", "b.js", "c.ipynb", "d.md", ".env", "e.json", "f.rs", "g",
    ] {
        write(dir.path(), name, "");
    }
    let (doc, stderr, out) = json_run(dir.path(), &["--no-ignore", "."]);
    assert_eq!(ds101(&doc), vec![]);
    assert!(!stderr.contains("panic"), "{stderr}");
    let _ = out;
}

/// A 50 MB single-line minified bundle with a key at its end.
#[test]
fn huge_minified_file_is_fast_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let mut text = String::from("var a=");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str("f(1)+g[2]+");
    }
    text.push_str(&format!("0;var k=\"{k}\";\n"));
    write(dir.path(), "bundle.min.js", &text);
    drop(text);
    // The default --max-filesize (10M) skips it.
    let (doc, _, _) = json_run(dir.path(), &["."]);
    assert_eq!(stat(&doc, "skipped_large"), 1);
    assert_eq!(ds101(&doc), vec![]);
    let (_, stderr, _) = json_run(dir.path(), &["bundle.min.js"]);
    assert!(stderr.contains("larger than --max-filesize"), "{stderr}");
    // With a raised limit it is scanned (not parsed: minified), quickly, with a short snippet.
    let started = Instant::now();
    let (doc, _, _) = json_run(dir.path(), &["--max-filesize", "100M", "."]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert_eq!(ds101(&doc).len(), 1);
    assert_eq!(stat(&doc, "files_minified"), 1);
    assert_eq!(stat(&doc, "files_parsed"), 0);
    let snippet = doc["findings"][0]["snippet"].as_str().unwrap();
    assert!(snippet.len() < 1000, "snippet of {} bytes", snippet.len());
    assert!(snippet.contains("sk-…"), "{snippet}");
    // The human format must not choke on the 50 MB line either.
    let out = run_in(dir.path(), &["--max-filesize", "100M", "."]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.len() < 10_000);
}

#[test]
fn hundred_thousand_lines_and_many_findings() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let mut text = String::new();
    for i in 0..100_000 {
        text.push_str(&format!("x{i} = {i}\n"));
    }
    text.push_str(&format!("key = \"{k}\"\n"));
    write(dir.path(), "long.py", &text);
    // 20k findings in one 20k-line file: positions must not be recomputed per finding.
    let (mut rng, _) = Rng::from_time();
    let many: String = (0..20_000)
        .map(|_| format!("k = \"{}\"\n", fake_keys(&mut rng).remove(0)))
        .collect();
    write(dir.path(), "many.env", &many);
    let started = Instant::now();
    let (doc, _, _) = json_run(dir.path(), &["--no-ignore", "."]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let got = ds101(&doc);
    assert!(got.contains(&("long.py".into(), 100_001, 8)));
    // A few random keys look sequential or low-entropy to DS101; nearly all are reported.
    let n = got.iter().filter(|(p, ..)| p == "many.env").count();
    assert!((19_000..=20_000).contains(&n), "{n}");
}

/// Inputs nested 10 000 levels deep, with short lines so that they are parsed (a line over
/// 5 000 bytes would mark them minified).
pub fn deep_inputs(k: &str) -> Vec<(&'static str, String)> {
    const N: usize = 10_000;
    let wrap = |open: &str, close: &str, inner: &str| {
        let mut s = String::new();
        for i in 0..N {
            s.push_str(open);
            if i % 40 == 39 {
                s.push('\n');
            }
        }
        s.push_str(inner);
        for i in 0..N {
            s.push_str(close);
            if i % 40 == 39 {
                s.push('\n');
            }
        }
        s
    };
    let chain = |op: &str| {
        let mut s = String::from("1");
        for i in 0..N {
            s.push_str(op);
            s.push('1');
            if i % 40 == 39 {
                s.push('\n');
            }
        }
        s
    };
    vec![
        (
            "deep_paren.py",
            format!("k = \"{k}\"\nx = {}\n", wrap("(", ")", "1")),
        ),
        (
            "deep_list.py",
            format!("k = \"{k}\"\nx = {}\n", wrap("[", "]", "1")),
        ),
        (
            "deep_call.py",
            format!("k = \"{k}\"\nx = {}\n", wrap("f(", ")", "1")),
        ),
        (
            "deep_binop.py",
            format!("k = \"{k}\"\nx = ({})\n", chain("+")),
        ),
        (
            "deep_array.js",
            format!("const k = \"{k}\";\nconst x = {};\n", wrap("[", "]", "1")),
        ),
        (
            "deep_object.ts",
            format!("const k = \"{k}\";\nconst x = {};\n", wrap("{a:", "}", "1")),
        ),
        (
            "deep_fn.js",
            format!(
                "const k = \"{k}\";\n{}\n",
                wrap("function f(){", "}", "g();")
            ),
        ),
        (
            "deep_jsx.tsx",
            format!(
                "const k = \"{k}\";\nconst x = {};\n",
                wrap("<a>", "</a>", "x")
            ),
        ),
        (
            "deep_binop.ts",
            format!("const k = \"{k}\";\nconst x = {};\n", chain("+")),
        ),
        (
            "deep_paren.rs",
            format!(
                "const K: &str = \"{k}\";\nfn f() {{ let x = {}; }}\n",
                wrap("(", ")", "1")
            ),
        ),
        (
            "deep_block.rs",
            format!("const K: &str = \"{k}\";\nfn f() {}\n", wrap("{", "}", "1")),
        ),
        (
            "deep_binop.rs",
            format!(
                "const K: &str = \"{k}\";\nfn f() {{ let x = {}; }}\n",
                chain("+")
            ),
        ),
        // Nested wrappers around an auth header value (checks that follow wrappers).
        ("deep_header.rs", format!("const K: &str = \"{k}\";\nfn f() {{ req.header(\"Authorization\", HeaderValue::from_str(&{})); }}\n", wrap("format!(\"Bearer {}\", ", ")", "key"))),
        ("deep_header.py", format!("k = \"{k}\"\nheaders = {{\"Authorization\": {}}}\nrequests.post(\"https://api.deepseek.com/chat/completions\", headers=headers)\n", wrap("str(", ")", "\"Bearer \" + key"))),
        ("deep_header.js", format!("const k = \"{k}\";\nfetch(\"https://api.deepseek.com/chat/completions\", {{ headers: {{ Authorization: {} }} }});\n", wrap("String(", ")", "`Bearer ${key}`"))),
        ("deep_client.py", format!("k = \"{k}\"\nclient = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url={})\n", wrap("str(", ")", "\"https://api.deepseek.com\""))),
    ]
}

/// Deep nesting through the whole binary (rayon workers have 2 MiB stacks).
#[test]
fn deeply_nested_sources_do_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let inputs = deep_inputs(&k);
    for (name, text) in &inputs {
        write(dir.path(), name, text);
    }
    let (doc, _, _) = json_run(dir.path(), &["."]);
    assert_eq!(ds101(&doc).len(), inputs.len(), "{doc}");
    assert_eq!(stat(&doc, "files_minified"), 0);
}

/// The same inputs in-process on a 2 MiB-stack thread: parsing, fact extraction (every
/// language's extractor) and every rule, with the tree forced.
#[test]
fn deep_nesting_in_facts_and_rules() {
    use dslint::diagnostic::Severity;
    use dslint::engine::Engine;
    use dslint::lang::{self, Lang};
    use dslint::rules::Registry;
    use dslint::settings::Settings;
    use dslint::source::{Document, FileKind};

    let k = key();
    let inputs = deep_inputs(&k);
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let registry = Registry::builtin().unwrap();
            let rules: Vec<_> = registry.rules.iter().collect();
            let sev: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
            let engine = Engine::new(rules, sev, Settings::default());
            let settings = Settings::default();
            for (name, text) in &inputs {
                let kind = FileKind::from_path(Path::new(name)).unwrap();
                let lang = Lang::of(kind).unwrap();
                let started = Instant::now();
                let tree = lang::parse(lang, text).unwrap_or_else(|| panic!("{name}: no tree"));
                // Walk the whole tree iteratively and measure its depth.
                let mut cursor = tree.walk();
                let (mut depth, mut max) = (0usize, 0usize);
                'walk: loop {
                    max = max.max(depth);
                    if cursor.goto_first_child() {
                        depth += 1;
                        continue;
                    }
                    while !cursor.goto_next_sibling() {
                        if !cursor.goto_parent() {
                            break 'walk;
                        }
                        depth -= 1;
                    }
                }
                assert!(max >= 1_000, "{name}: depth {max}");
                let doc = Document::whole(text.clone(), kind);
                let _ = dslint::facts::extract(&doc, Some(&tree), &settings);
                let r = engine.lint_bytes(name, Some(kind), text.as_bytes());
                assert!(r.findings.iter().any(|f| f.code == "DS101"), "{name}");
                eprintln!("{name}: depth {max}, {:?}", started.elapsed());
            }
        })
        .unwrap();
    handle.join().expect("no stack overflow or panic");
}

#[test]
fn broken_syntax_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    write(
        dir.path(),
        "broken.py",
        format!("def f(:\n    return ]]\nclass\nkey = \"{k}\"\n"),
    );
    write(
        dir.path(),
        "broken.ts",
        format!("const = {{ ; ) =>\nconst k = \"{k}\";\n"),
    );
    write(
        dir.path(),
        "broken.rs",
        format!("fn main( {{ let = ;\nconst K: &str = \"{k}\";\n"),
    );
    write(
        dir.path(),
        "broken.ipynb",
        format!("{{\"cells\": [{{\"source\": \"x = '{k}'\""),
    );
    write(dir.path(), "broken.json", format!("{{\"a\": [1, \"{k}\""));
    let (doc, stderr, _) = json_run(dir.path(), &["."]);
    let got = ds101(&doc);
    assert!(got.contains(&("broken.py".into(), 4, 8)), "{got:?}");
    assert!(got.contains(&("broken.ts".into(), 2, 12)), "{got:?}");
    assert!(got.contains(&("broken.rs".into(), 2, 18)), "{got:?}");
    assert!(got.iter().any(|(p, ..)| p == "broken.ipynb"), "{got:?}");
    assert!(got.iter().any(|(p, ..)| p == "broken.json"), "{got:?}");
    assert!(
        stderr.contains("broken.ipynb: not a valid notebook"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let d = dir.path();
    write(d, "real.py", format!("k = \"{k}\"\n"));
    symlink("loop2", d.join("loop1")).unwrap();
    symlink("loop1", d.join("loop2")).unwrap();
    symlink("nowhere", d.join("dangling.py")).unwrap();
    symlink(".", d.join("self")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    symlink("..", d.join("sub/up")).unwrap();
    for args in [&["."][..], &["--follow-links", "."][..]] {
        let (doc, stderr, out) = json_run(d, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: exit reflects findings"
        );
        assert_eq!(ds101(&doc), vec![("real.py".into(), 1, 6)], "{args:?}");
        if args.len() == 2 {
            assert!(stderr.contains("loop"), "{stderr}");
        }
    }
    // A dangling link named explicitly: a warning, the other file still linted.
    let (doc, stderr, _) = json_run(d, &["dangling.py", "real.py"]);
    assert!(stderr.contains("dangling.py"), "{stderr}");
    assert_eq!(ds101(&doc).len(), 1);
}

#[cfg(unix)]
#[test]
fn unreadable_file_and_directory_warn_and_go_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let d = dir.path();
    write(d, "ok.py", format!("k = \"{k}\"\n"));
    write(d, "locked.py", format!("k = \"{k}\"\n"));
    write(d, "closed/inner.py", format!("k = \"{k}\"\n"));
    let none = std::fs::Permissions::from_mode(0o000);
    std::fs::set_permissions(d.join("locked.py"), none.clone()).unwrap();
    std::fs::set_permissions(d.join("closed"), none).unwrap();
    let blocked = std::fs::read(d.join("locked.py")).is_err();
    let (doc, stderr, out) = json_run(d, &["."]);
    let restore = std::fs::Permissions::from_mode(0o755);
    std::fs::set_permissions(d.join("closed"), restore.clone()).unwrap();
    std::fs::set_permissions(d.join("locked.py"), restore).unwrap();
    assert_eq!(out.status.code(), Some(1), "exit reflects the findings");
    assert!(ds101(&doc).contains(&("ok.py".into(), 1, 6)));
    if blocked {
        assert!(stderr.contains("locked.py"), "{stderr}");
        assert!(stderr.contains("closed"), "{stderr}");
        assert_eq!(stat(&doc, "skipped_unreadable"), 1);
        assert_eq!(ds101(&doc).len(), 1);
    } else {
        eprintln!(
            "skipped the permission assertions: running as root, permissions do not block reads"
        );
    }
}

#[test]
fn missing_path_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("path does not exist: no/such/dir"),
        "{stderr}"
    );
    // Even a key typed as a path is not echoed.
    let k = key();
    let out = run_in(dir.path(), &[&k]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(&k) && stderr.contains("path does not exist"),
        "{stderr}"
    );
}

#[test]
fn unreadable_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let help = run_in(dir.path(), &["--help"]);
    if !String::from_utf8_lossy(&help.stdout).contains("--config") {
        eprintln!("skipped: this build has no --config option yet");
        return;
    }
    let out = run_in(dir.path(), &["--config", "missing.toml", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    write(dir.path(), "bad.toml", b"\xff\xfe not toml [[[");
    let out = run_in(dir.path(), &["--config", "bad.toml", "."]);
    assert_eq!(out.status.code(), Some(2));
}

/// Files deleted, truncated or rewritten while the scan runs: warnings, never a panic.
#[test]
fn files_changing_during_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let k = key();
    let body = format!("x = 1\nk = \"{k}\"\n").repeat(50);
    for i in 0..150 {
        write(&d, &format!("f{i}.py"), &body);
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (d, stop, body) = (d.clone(), stop.clone(), body.clone());
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let p = d.join(format!("f{}.py", i % 150));
                match i % 3 {
                    0 => drop(std::fs::remove_file(&p)),
                    1 => drop(std::fs::write(
                        &p,
                        &body.as_bytes()[..body.len() / 3 + i % 7],
                    )),
                    _ => drop(std::fs::write(&p, &body)),
                }
                i += 1;
            }
        })
    };
    for _ in 0..4 {
        let out = run_in(&d, &["--format", "json", "."]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("internal error"), "{stderr}");
        serde_json::from_slice::<Value>(&out.stdout).expect("valid JSON");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
}

/// The reader itself failing or coming up short (the in-process half of the test above).
#[test]
fn reader_errors_and_short_reads() {
    use dslint::guard::{read_limited, ReadOutcome};
    struct Failing(usize);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("device went away"));
            }
            self.0 -= 1;
            buf[0] = b'x';
            Ok(1)
        }
    }
    assert!(read_limited(Failing(10), 100).is_err());
    let k = key();
    let full = format!("é = 1\nk = \"{k}\"\n");
    // Every prefix of the file, cut anywhere (inside a UTF-8 character or the key).
    use dslint::diagnostic::Severity;
    use dslint::engine::Engine;
    use dslint::rules::Registry;
    use dslint::settings::Settings;
    use dslint::source::FileKind;
    let registry = Registry::builtin().unwrap();
    let rules: Vec<_> = registry.rules.iter().collect();
    let sev: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, sev, Settings::default());
    for cut in 0..full.len() {
        let ReadOutcome::Bytes(b) = read_limited(&full.as_bytes()[..cut], 1 << 20).unwrap() else {
            panic!("short read is not too large");
        };
        let _ = engine.lint_bytes("t.py", Some(FileKind::Python), &b);
    }
}

#[test]
fn odd_file_names_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let d = dir.path();
    write(d, "with space.py", format!("k = \"{k}\"\n"));
    #[cfg(unix)]
    {
        write(d, "new\nline.py", format!("k = \"{k}\"\n"));
        write(d, "tab\tquote\"back\\slash.py", format!("k = \"{k}\"\n"));
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xffname.py");
        std::fs::write(d.join(name), format!("k = \"{k}\"\n")).unwrap();
    }
    let (doc, _, out) = json_run(d, &["."]);
    let paths: Vec<String> = ds101(&doc).into_iter().map(|(p, ..)| p).collect();
    assert!(paths.contains(&"with space.py".to_string()), "{paths:?}");
    #[cfg(unix)]
    {
        assert!(paths.contains(&"new\nline.py".to_string()), "{paths:?}");
        assert!(
            paths.contains(&"tab\tquote\"back\\slash.py".to_string()),
            "{paths:?}"
        );
        // Not UTF-8: shown with U+FFFD (the JSON stays valid UTF-8).
        assert!(
            paths.contains(&"bad\u{fffd}name.py".to_string()),
            "{paths:?}"
        );
        let raw = String::from_utf8(out.stdout).expect("UTF-8 output");
        assert!(raw.contains(r#""new\nline.py""#), "newline escaped");
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_never_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe.py");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo not available");
        return;
    }
    write(d, "ok.py", "x = 1\n");
    let mut child = common::bin()
        .args(["--format", "json", "pipe.py", "/dev/zero", "."])
        .current_dir(d)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("dslint hung on a FIFO or device");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pipe.py: not a regular file"), "{stderr}");
}

#[test]
fn threads_option_is_respected() {
    let root = common::root();
    let one = run_in(&root, &["--format", "json", "--threads", "1", "fixtures"]);
    assert!(matches!(one.status.code(), Some(0 | 1)));
    let out = run_in(&root, &["--format", "json", "--threads", "0", "fixtures"]);
    assert_eq!(one.stdout, out.stdout);
}
