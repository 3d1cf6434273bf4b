//! Integrations end to end: SARIF (validated against the official schema), GitHub
//! annotations, reviewdog JSON, configuration files, inline suppression, baselines, stdin,
//! `dslint rule` and `--list-rules`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use common::{bin, findings, json_in, root, run_in};
use serde_json::Value;

/// A fake DeepSeek-style key (generated, never a real one), assembled so this file does not
/// hold it literally.
fn fake_key(tail: &str) -> String {
    let hex = "8c1f4e7a2d9b3c6e0f5a8d1b4e7c2a9f";
    format!("sk-{}{tail}", &hex[..32 - tail.len()])
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sarif_validator() -> jsonschema::Validator {
    let path = root().join("tests/data/sarif-2.1.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the SARIF schema at {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft4::new(&schema).expect("schema compiles")
}

fn assert_valid_sarif(doc: &Value) {
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

/// Every `sk-` token of 20+ key characters in the text: a full key would be one.
fn full_keys(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"sk-[A-Za-z0-9_\-]{20,}").unwrap();
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

fn check_sarif_shape(doc: &Value) {
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "dslint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], dslint::REPOSITORY);
    let registry = dslint::rules::Registry::builtin().unwrap();
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        registry.rules.len(),
        "every known rule is listed"
    );
    let placeholder = regex::Regex::new(r"\{[a-z_]+\}").unwrap();
    for (r, rule) in rules.iter().zip(&registry.rules) {
        assert_eq!(r["id"], rule.code);
        assert_eq!(r["name"], rule.name);
        for key in ["shortDescription", "fullDescription"] {
            assert!(!r[key]["text"].as_str().unwrap().is_empty(), "{key}");
        }
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        assert!(!r["help"]["markdown"].as_str().unwrap().is_empty());
        let first = r["help"]["text"]
            .as_str()
            .unwrap()
            .split("\n\n")
            .next()
            .unwrap();
        assert!(!placeholder.is_match(first), "{first}");
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
        assert_eq!(r["defaultConfiguration"]["level"], rule.severity.as_str());
        let props = &r["properties"];
        assert!(props["tags"].as_array().unwrap().len() <= 10);
        assert!(props["precision"].is_string());
        if rule.security_severity.is_some() {
            let s = props["security-severity"].as_str().expect("a string");
            let n: f32 = s.parse().unwrap();
            assert!((0.0..=10.0).contains(&n));
        }
    }
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    for res in run["results"].as_array().unwrap() {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(loc["region"][k].as_u64().unwrap() >= 1, "{k}");
        }
        let fp = res["partialFingerprints"].as_object().unwrap();
        assert!(!fp.is_empty());
    }
}

#[test]
fn sarif_of_the_demo_validates_and_holds_no_key() {
    let out = run_in(&root(), &["--format", "sarif", "fixtures/demo"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_valid_sarif(&doc);
    check_sarif_shape(&doc);
    assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(full_keys(&text).is_empty(), "{:?}", full_keys(&text));
    // The demo's keys themselves never appear.
    for entry in std::fs::read_dir(root().join("fixtures/demo")).unwrap() {
        let src = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for key in full_keys(&src) {
            assert!(!text.contains(&key));
        }
    }
}

#[test]
fn sarif_of_every_fixture_validates() {
    let out = run_in(&root(), &["--format", "sarif", "--no-ignore", "fixtures"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_valid_sarif(&doc);
    check_sarif_shape(&doc);
    assert!(full_keys(&text).is_empty(), "{:?}", full_keys(&text));
}

#[test]
fn sarif_of_an_empty_run_lists_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.py", "print('hello')\n");
    let out = run_in(dir.path(), &["--format", "sarif", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&doc);
    check_sarif_shape(&doc);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn sarif_counts_columns_in_utf16_and_writes_to_output() {
    let dir = tempfile::tempdir().unwrap();
    let key = fake_key("");
    write(
        dir.path(),
        "src/ünï code.py",
        &format!("x = \"😀\"; KEY = \"{key}\"\n"),
    );
    let out = run_in(
        dir.path(),
        &["--format", "sarif", "--output", "out.sarif", "."],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(dir.path().join("out.sarif")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_valid_sarif(&doc);
    let res = &doc["runs"][0]["results"][0];
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "src/%C3%BCn%C3%AF%20code.py"
    );
    // `x = "😀"; KEY = "` is 17 UTF-16 units (the emoji is 2), so the key starts at 18.
    assert_eq!(loc["region"]["startColumn"], 18);
    assert_eq!(loc["region"]["endColumn"], 18 + key.len() as u64);
    assert!(full_keys(&text).is_empty());
}

#[test]
fn sarif_fixes_validate() {
    use dslint::diagnostic::{Edit, Finding, Fix, Severity};
    use dslint::source::Position;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.py");
    let text = "client = OpenAI()\nmodel = \"old-model\"\n";
    std::fs::write(&path, text).unwrap();
    let start = text.find("old-model").unwrap();
    let p = |line, column| Position {
        line,
        column,
        column_utf16: column,
    };
    let finding = Finding {
        code: "DS101",
        name: "hardcoded-api-key",
        severity: Severity::Error,
        message: "a message".into(),
        help: "a help".into(),
        path: path.to_string_lossy().into_owned(),
        start: p(2, 10),
        end: p(2, 19),
        byte_range: start..start + 9,
        snippet: "model = \"old-model\"".into(),
        fingerprint: "0123456789abcdef".into(),
        fix: Some(Fix {
            title: "Rename the model".into(),
            safe: false,
            edits: vec![Edit::replace(start..start + 9, "new-model")],
        }),
        related: Vec::new(),
    };
    let report = dslint::Report {
        findings: vec![finding],
        ..Default::default()
    };
    let registry = dslint::rules::Registry::builtin().unwrap();
    let rules: Vec<_> = registry.rules.iter().collect();
    let ctx = dslint::report::ReportCtx {
        rules: &rules,
        color: false,
        quiet: false,
        stats: false,
        stdin: None,
    };
    let doc = dslint::report::sarif::document(&report, &ctx);
    assert_valid_sarif(&doc);
    let rep = &doc["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(rep["deletedRegion"]["startLine"], 2);
    assert_eq!(rep["deletedRegion"]["startColumn"], 10);
    assert_eq!(rep["deletedRegion"]["endColumn"], 19);
    assert_eq!(rep["insertedContent"]["text"], "new-model");
    // The same finding as reviewdog JSON carries the suggestion.
    let mut buf = Vec::new();
    dslint::report::reporter(dslint::report::Format::Rdjson)
        .write(&report, &ctx, &mut buf)
        .unwrap();
    let rd: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(rd["diagnostics"][0]["suggestions"][0]["text"], "new-model");
}

#[test]
fn fingerprints_survive_moving_lines() {
    let dir = tempfile::tempdir().unwrap();
    let key = fake_key("");
    write(dir.path(), "app.py", &format!("KEY = \"{key}\"\n"));
    let fp = |dir: &Path| {
        let out = run_in(dir, &["--format", "sarif", "."]);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["runs"][0]["results"][0]["partialFingerprints"].clone()
    };
    let before = fp(dir.path());
    write(
        dir.path(),
        "app.py",
        &format!("import os\n\n\n# moved\nKEY = \"{key}\"\n"),
    );
    assert_eq!(before, fp(dir.path()));
}

#[test]
fn github_annotations() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a,b.py",
        &format!("KEY = \"{}\"\n", fake_key("")),
    );
    let out = run_in(dir.path(), &["--format", "github", "."]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = text.lines().next().unwrap();
    assert!(
        line.starts_with(
            "::error file=a%2Cb.py,line=1,col=8,endLine=1,endColumn=43,title=DS101 hardcoded-api-key::"
        ),
        "{line}"
    );
    assert!(line.contains("%0Ahelp: "), "{line}");
    assert!(full_keys(&text).is_empty());
}

#[test]
fn rdjson_output() {
    let out = run_in(&root(), &["--format", "rdjson", "fixtures/demo"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["source"]["name"], "dslint");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["severity"], "ERROR");
    assert!(d["location"]["range"]["start"]["line"].as_u64().unwrap() >= 1);
    assert!(d["code"]["url"].as_str().unwrap().starts_with("https://"));
}

// ---- configuration ----

fn codes(doc: &Value) -> Vec<String> {
    findings(doc).into_iter().map(|f| f.3).collect()
}

fn keyed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        &format!("KEY = \"{}\"\n", fake_key("")),
    );
    write(
        dir.path(),
        "tests/test_app.py",
        &format!("KEY = \"{}\"\n", fake_key("")),
    );
    dir
}

#[test]
fn config_select_ignore_and_cli_overrides() {
    let dir = keyed_project();
    write(
        dir.path(),
        "dslint.toml",
        "ignore = [\"hardcoded-api-key\"]\n",
    );
    let doc = json_in(dir.path(), &["."]);
    assert!(codes(&doc).is_empty());
    // CLI --select replaces the configuration's select and ignore.
    let doc = json_in(dir.path(), &["--select", "DS1", "."]);
    assert_eq!(codes(&doc).len(), 2);
    write(dir.path(), "dslint.toml", "select = [\"DS1\"]\n");
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(codes(&doc).len(), 2);
    // CLI --ignore adds to the configuration.
    let doc = json_in(dir.path(), &["--ignore", "DS101", "."]);
    assert!(codes(&doc).is_empty());
}

#[test]
fn config_severity_and_fail_on() {
    let dir = keyed_project();
    write(
        dir.path(),
        ".dslint.toml",
        "fail-on = \"error\"\n[severity]\nDS101 = \"warning\"\n",
    );
    let out = run_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"][0]["severity"], "warning");
    // The CLI flag overrides the file.
    let out = run_in(dir.path(), &["--fail-on", "warning", "."]);
    assert_eq!(out.status.code(), Some(1));
    write(dir.path(), ".dslint.toml", "[severity]\nDS1 = \"note\"\n");
    let out = run_in(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(0), "notes do not fail by default");
    let out = run_in(dir.path(), &["--fail-on", "note", "."]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn config_paths_exclude_and_per_file_ignores() {
    let dir = keyed_project();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.dslint]\nextend-exclude = [\"tests/\"]\n",
    );
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(findings(&doc)[0].0, "app.py");
    // Explicit files are excluded too (pre-commit passes file names).
    let doc = json_in(dir.path(), &["tests/test_app.py"]);
    assert!(findings(&doc).is_empty());
    write(
        dir.path(),
        "pyproject.toml",
        "[tool.dslint.per-file-ignores]\n\"tests/**\" = [\"DS101\"]\n\"app.py\" = [\"hardcoded-api-key\"]\n",
    );
    let doc = json_in(dir.path(), &["."]);
    assert!(findings(&doc).is_empty(), "{doc}");
    // Globs are relative to the configuration file, wherever dslint runs.
    let doc = json_in(&dir.path().join("tests"), &["."]);
    assert!(findings(&doc).is_empty(), "{doc}");
}

#[test]
fn config_allow_secrets() {
    let dir = keyed_project();
    write(
        dir.path(),
        "dslint.toml",
        "allow-secrets = ['^sk-8c1f4e7a']\n",
    );
    let doc = json_in(dir.path(), &["."]);
    assert!(codes(&doc).is_empty(), "{doc}");
}

#[test]
fn explicit_config_file_and_nearest_discovery() {
    let dir = keyed_project();
    write(dir.path(), "dslint.toml", "ignore = [\"DS101\"]\n");
    write(dir.path(), "tests/dslint.toml", "select = [\"DS101\"]\n");
    // Each input uses its nearest configuration.
    let doc = json_in(dir.path(), &["app.py", "tests"]);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(findings(&doc)[0].0, "tests/test_app.py");
    write(dir.path(), "other.toml", "select = [\"DS1\"]\n");
    let doc = json_in(dir.path(), &["--config", "other.toml", "."]);
    assert_eq!(findings(&doc).len(), 2);
    let out = run_in(dir.path(), &["--config", "missing.toml", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"));
}

#[test]
fn invalid_config_exits_2_and_points_at_the_key() {
    let dir = keyed_project();
    write(
        dir.path(),
        "dslint.toml",
        "select = [\"DS1\"]\nslect = []\n",
    );
    let out = run_in(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown field `slect`"), "{err}");
    assert!(err.contains("dslint.toml:2:1"), "{err}");
    write(dir.path(), "dslint.toml", "[severity]\nDS101 = \"fatal\"\n");
    let out = run_in(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`fatal` is not a severity"));
    write(dir.path(), "dslint.toml", "ignore = [\"DS999\"]\n");
    let out = run_in(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown rule `DS999`"));
}

#[test]
fn config_subcommand_prints_reloadable_toml() {
    let dir = keyed_project();
    write(
        dir.path(),
        "dslint.toml",
        "ignore = [\"DS10\"]\nfail-on = \"error\"\n[models]\ndefault = \"deepseek-v4-pro\"\n[models.deepseek-chat]\nstatus = \"current\"\n[hosts]\nofficial = [\"proxy.example.com\"]\n",
    );
    let out = run_in(dir.path(), &["config"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("fail-on = \"error\""), "{text}");
    assert!(text.contains("default = \"deepseek-v4-pro\""), "{text}");
    assert!(text.contains("proxy.example.com"), "{text}");
    write(dir.path(), "printed/dslint.toml", &text);
    let out = run_in(dir.path(), &["config", "printed"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---- suppression and baselines ----

#[test]
fn inline_suppression() {
    let dir = tempfile::tempdir().unwrap();
    let k = |t: &str| fake_key(t);
    write(
        dir.path(),
        "app.py",
        &format!(
            "A = \"{}\"  # dslint: ignore[DS101] -- test key\n\
             # dslint: ignore[hardcoded-api-key]\n\
             B = \"{}\"\n\
             C = \"{}\"  # dslint: ignore\n\
             D = \"{}\"  # dslint: ignore[DS2]\n\
             # dslint: ignore[DS101]\n\
             \n\
             E = \"{}\"\n",
            k("1"),
            k("2"),
            k("3"),
            k("4"),
            k("5")
        ),
    );
    write(
        dir.path(),
        "app.ts",
        &format!(
            "// dslint: ignore[DS1]\nconst a = \"{}\";\n/* dslint: ignore */ const b = \"{}\";\n",
            k("6"),
            k("7")
        ),
    );
    write(
        dir.path(),
        "README.md",
        &format!("<!-- dslint: ignore -->\nUse `{}`.\n", k("8")),
    );
    write(dir.path(), "clean.py", "x = 1  # dslint: ignore[DS101]\n");
    let doc = json_in(dir.path(), &["."]);
    let got: Vec<(String, u64)> = findings(&doc).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        got,
        vec![("app.py".to_string(), 5), ("app.py".to_string(), 8)],
        "{doc}"
    );
    let out = run_in(dir.path(), &["--report-unused-ignores", "."]);
    let err = stderr(&out);
    assert!(
        err.contains("app.py:5: unused suppression `dslint: ignore[DS2]`"),
        "{err}"
    );
    assert!(
        err.contains("app.py:6: unused suppression `dslint: ignore[DS101]`"),
        "{err}"
    );
    assert!(!err.contains("app.py:1:"), "{err}");
    assert!(err.contains("clean.py:1: unused suppression"), "{err}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "unused ignores do not change the exit code"
    );
}

#[test]
fn baseline_hides_known_findings_even_when_lines_move() {
    let dir = tempfile::tempdir().unwrap();
    let key = fake_key("");
    write(dir.path(), "app.py", &format!("KEY = \"{key}\"\n"));
    let out = run_in(dir.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(full_keys(&text).is_empty() && !text.contains(&key[6..]));
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["version"], 1);
    assert_eq!(b["findings"][0]["code"], "DS101");
    assert_eq!(b["findings"][0]["path"], "app.py");

    write(
        dir.path(),
        "app.py",
        &format!("{}KEY = \"{key}\"\n", "# padding\n".repeat(10)),
    );
    let out = run_in(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A new finding is reported.
    write(
        dir.path(),
        "app.py",
        &format!("KEY = \"{key}\"\nOTHER = \"{}\"\n", fake_key("9")),
    );
    let doc = json_in(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(findings(&doc).len(), 1);
    assert_eq!(findings(&doc)[0].1, 2);
    write(dir.path(), "bad.json", "{\"version\": 99}");
    let out = run_in(dir.path(), &["--baseline", "bad.json", "."]);
    assert_eq!(out.status.code(), Some(2));
}

// ---- editors and docs ----

#[test]
fn stdin_findings_show_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let key = fake_key("");
    let mut child = bin()
        .args(["--stdin-filename", "src/app.py", "--color", "never"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("import os\nKEY = \"{key}\"\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("src/app.py:2:8"), "{text}");
    assert!(text.contains("KEY = \"sk-***"), "{text}");
    assert!(full_keys(&text).is_empty());
}

#[test]
fn rule_docs_and_rule_list() {
    let registry = dslint::rules::Registry::builtin().unwrap();
    let out = run_in(&root(), &["--list-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), registry.rules.len());
    for (line, rule) in text.lines().zip(&registry.rules) {
        assert!(line.starts_with(rule.code), "{line}");
        assert!(line.contains(rule.name) && line.contains(rule.severity.as_str()));
    }
    for rule in &registry.rules {
        for name in [rule.code, rule.name] {
            let out = run_in(&root(), &["rule", name]);
            assert_eq!(out.status.code(), Some(0));
            let text = stdout(&out);
            assert!(text.starts_with(&format!("# {} {}", rule.code, rule.name)));
            assert!(text.contains("## What it does"), "{text}");
        }
    }
    let out = run_in(&root(), &["rule", "DS999"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn action_and_hook_manifests() {
    let hooks = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    for needle in [
        "- id: dslint",
        "language: rust",
        "entry: dslint",
        "types: [text]",
        "pass_filenames: true",
    ] {
        assert!(hooks.contains(needle), "{needle}");
    }
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for needle in [
        "using: composite",
        "cargo install --locked --path",
        "github.action_ref",
        "releases/download/$ACTION_REF/$name.tar.gz",
        "sha256sum -c",
        "--format sarif --output",
        "github/codeql-action/upload-sarif",
    ] {
        assert!(action.contains(needle), "{needle}");
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for key in [
        "select",
        "ignore",
        "extend-exclude",
        "per-file-ignores",
        "[severity]",
        "fail-on",
        "[models]",
        "[hosts]",
        "allow-secrets",
    ] {
        assert!(readme.contains(key), "README documents `{key}`");
    }
}

#[test]
fn config_models_and_hosts_reach_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.py",
        "import os\nfrom openai import OpenAI\n\n\
         proxy = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url=\"https://llm.corp.example.com/v1\")\n\
         a = proxy.chat.completions.create(model=\"deepseek-chat\", messages=[])\n\
         official = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url=\"https://api.deepseek.com\")\n\
         b = official.chat.completions.create(model=\"deepseek-chat\", messages=[])\n",
    );
    let lines = |dir: &Path| -> Vec<(u64, String)> {
        findings(&json_in(dir, &["."]))
            .into_iter()
            .map(|f| (f.1, f.3))
            .collect()
    };
    assert_eq!(lines(dir.path()), vec![(7, "DS403".to_string())]);
    // The proxy serves the official API: its retired model is flagged too.
    write(
        dir.path(),
        "dslint.toml",
        "[hosts]\nofficial = [\"llm.corp.example.com\"]\n",
    );
    assert_eq!(
        lines(dir.path()),
        vec![(5, "DS403".to_string()), (7, "DS403".to_string())]
    );
    // A gateway that still serves `deepseek-chat`: mark it current.
    write(
        dir.path(),
        "dslint.toml",
        "[models.deepseek-chat]\nstatus = \"current\"\nnote = \"our gateway\"\n",
    );
    assert!(lines(dir.path()).is_empty());
}

#[test]
fn project_findings_can_be_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".env", "DEEPSEEK_API_KEY=changeme\n");
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(codes(&doc), vec!["DS501".to_string()]);
    write(
        dir.path(),
        ".env",
        "# dslint: ignore[unignored-env-file] -- a local-only checkout\nDEEPSEEK_API_KEY=changeme\n",
    );
    let out = run_in(
        dir.path(),
        &["--format", "json", "--report-unused-ignores", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stderr(&out).contains("unused"), "{}", stderr(&out));
}

/// DS604 reports a public variable once per file, with the file's other uses as related
/// locations: `related` in JSON, `relatedLocations` in SARIF (schema-valid), a line in human
/// output.
#[test]
fn ds604_other_uses_are_related_locations() {
    let dir = root().join("fixtures/DS604/bad/chat-widget");
    let doc = json_in(&dir, &["--select", "DS604", "."]);
    assert_eq!(
        findings(&doc),
        [("src/ChatWidget.tsx".to_string(), 7, 42, "DS604".to_string())]
    );
    let related: Vec<(u64, u64, u64, u64)> = doc["findings"][0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["path"], "src/ChatWidget.tsx");
            (
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["column"].as_u64().unwrap(),
                r["end"]["line"].as_u64().unwrap(),
                r["end"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(related, [(10, 26, 10, 47), (15, 50, 15, 71)]);

    let out = run_in(&dir, &["--select", "DS604", "--format", "sarif", "."]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let locs = sarif["runs"][0]["results"][0]["relatedLocations"]
        .as_array()
        .unwrap();
    assert_eq!(locs.len(), 2);
    assert_eq!(locs[0]["id"], 1);
    assert_eq!(
        locs[1]["physicalLocation"]["region"],
        serde_json::json!({ "startLine": 15, "startColumn": 50, "endLine": 15, "endColumn": 71 })
    );

    let out = run_in(&dir, &["--select", "DS604", "."]);
    assert!(
        stdout(&out).contains("= also used at 10:26, 15:50"),
        "{}",
        stdout(&out)
    );
}
