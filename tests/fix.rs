//! Fix tests. Every `fixtures/fix/<CODE>/<case>.in.<ext>` is copied to a temporary
//! directory as `<case>.<ext>`, fixed with `dslint --fix --unsafe-fixes --select <CODE>`, and
//! must then equal `<case>.out.<ext>` byte for byte; the fixed file must parse and re-linting
//! it must report nothing for that rule (cases named `unfixable*` must stay unchanged).
//! Unsafe fixes must not apply without `--unsafe-fixes`, every fix's applicability must
//! agree with its rule's declared `fix`, and `--diff` output is snapshotted with keys redacted.

mod common;

use std::path::{Path, PathBuf};

use common::{findings, json_in, root, run_in};
use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::FileKind;

/// One fixture case.
struct Case {
    code: String,
    name: String,
    input: PathBuf,
    expected: PathBuf,
    ext: String,
}

impl Case {
    /// The file name the case is linted under.
    fn file_name(&self) -> String {
        format!("{}.{}", self.name, self.ext)
    }
}

fn cases() -> Vec<Case> {
    let dir = root().join("fixtures/fix");
    let mut out = Vec::new();
    let mut codes: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    codes.sort();
    for code_dir in codes {
        let code = code_dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&code_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for input in files {
            let file = input.file_name().unwrap().to_string_lossy().into_owned();
            let Some((name, ext)) = file.split_once(".in.") else {
                continue;
            };
            let expected = code_dir.join(format!("{name}.out.{ext}"));
            assert!(expected.is_file(), "{} has no .out. file", input.display());
            out.push(Case {
                code: code.clone(),
                name: name.to_string(),
                input: input.clone(),
                expected,
                ext: ext.to_string(),
            });
        }
    }
    assert!(!out.is_empty(), "no fix fixtures found");
    out
}

/// Copies a case's input into a fresh directory; returns the directory and file path.
fn stage(case: &Case) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(case.file_name());
    std::fs::copy(&case.input, &file).unwrap();
    (dir, file)
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_fix_fixture_produces_its_expected_file() {
    let mut failures = Vec::new();
    for case in cases() {
        let (dir, file) = stage(&case);
        let name = case.file_name();
        let out = run_in(
            dir.path(),
            &[
                "--fix",
                "--unsafe-fixes",
                "--no-ignore",
                "--select",
                &case.code,
                &name,
            ],
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}",
            show(&out.stderr)
        );
        let got = std::fs::read(&file).unwrap();
        let want = std::fs::read(&case.expected).unwrap();
        if got != want {
            failures.push(format!(
                "{}/{name}: fixed file differs from {}\n--- got ---\n{}\n--- want ---\n{}",
                case.code,
                case.expected.display(),
                show(&got),
                show(&want)
            ));
            continue;
        }
        let kind = FileKind::from_path(Path::new(&name)).unwrap();
        if let Some(errors) = dslint::fix::syntax_errors(kind, &got) {
            if errors > 0 {
                failures.push(format!("{}/{name}: fixed file does not parse", case.code));
            }
        }
        let unfixable = case.name.starts_with("unfixable");
        if unfixable {
            if got != std::fs::read(&case.input).unwrap() {
                failures.push(format!("{}/{name}: unfixable case changed", case.code));
            }
            continue;
        }
        if got == std::fs::read(&case.input).unwrap() {
            failures.push(format!("{}/{name}: no fix applied", case.code));
        }
        let doc = json_in(dir.path(), &["--no-ignore", "--select", &case.code, &name]);
        let left: Vec<_> = findings(&doc)
            .into_iter()
            .filter(|f| f.3 == case.code)
            .collect();
        if !left.is_empty() {
            failures.push(format!("{}/{name}: still reported: {left:?}", case.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn expected_files_parse() {
    for case in cases() {
        let kind = FileKind::from_path(Path::new(&case.file_name())).unwrap();
        let bytes = std::fs::read(&case.expected).unwrap();
        if let Some(errors) = dslint::fix::syntax_errors(kind, &bytes) {
            assert_eq!(errors, 0, "{} does not parse", case.expected.display());
        }
    }
}

#[test]
fn fixes_match_their_rules_declared_applicability() {
    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let mut seen = 0;
    for case in cases() {
        let name = case.file_name();
        let bytes = std::fs::read(&case.input).unwrap();
        let kind = FileKind::from_path(Path::new(&name));
        for f in engine.lint_bytes(&name, kind, &bytes).findings {
            let Some(fix) = &f.fix else { continue };
            seen += 1;
            let rule = registry.find(f.code).unwrap();
            let declared = rule.fix.unwrap_or_else(|| {
                panic!("{} offers a fix but its rule file has no `fix`", f.code)
            });
            // A rule declared `unsafe` never offers a safe fix; one declared `safe` offers
            // safe fixes, and may mark some (documented) cases unsafe.
            assert!(
                declared == "safe" || !fix.safe,
                "{name}: {} offers a safe fix but rules/{} declares `unsafe`",
                f.code,
                rule.file
            );
            assert!(!fix.edits.is_empty(), "{name}: {} fix has no edits", f.code);
        }
    }
    assert!(seen > 0);
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let registry = Registry::builtin().expect("built-in rules load");
    for case in cases() {
        let rule = registry.find(&case.code).unwrap();
        if rule.fix != Some("unsafe") {
            continue;
        }
        let (dir, file) = stage(&case);
        let name = case.file_name();
        let out = run_in(
            dir.path(),
            &["--fix", "--no-ignore", "--select", &case.code, &name],
        );
        assert!(matches!(out.status.code(), Some(0 | 1)));
        assert_eq!(
            std::fs::read(&file).unwrap(),
            std::fs::read(&case.input).unwrap(),
            "{name}: an unsafe fix was applied without --unsafe-fixes"
        );
    }
}

/// True when `text` holds a full `sk-` key (32+ key characters after the prefix).
fn holds_key(text: &str) -> bool {
    let re = regex::Regex::new(r"sk-[A-Za-z0-9_\-]{20,}").unwrap();
    re.is_match(text)
}

#[test]
fn diff_shows_fixes_without_writing_and_without_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut originals = Vec::new();
    for case in cases().into_iter().filter(|c| c.code == "DS101") {
        let file = dir.path().join(case.file_name());
        std::fs::copy(&case.input, &file).unwrap();
        originals.push((file, std::fs::read(&case.input).unwrap()));
    }
    let out = run_in(
        dir.path(),
        &[
            "--diff",
            "--unsafe-fixes",
            "--no-ignore",
            "--select",
            "DS101",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", show(&out.stderr));
    let diff = show(&out.stdout);
    assert!(!holds_key(&diff), "a key leaked into --diff:\n{diff}");
    assert!(!holds_key(&show(&out.stderr)));
    assert!(show(&out.stderr).contains("Would apply"));
    // Each hunk holding a key says so, and that `--fix` applies it.
    let marked = diff.matches("dslint: key redacted here").count();
    let hunks = diff.lines().filter(|l| l.starts_with("@@ ")).count();
    assert!(marked > 0 && marked == hunks, "{diff}");
    assert!(
        show(&out.stderr).contains(&format!("note: {marked} hunks hold keys redacted")),
        "{}",
        show(&out.stderr)
    );
    for (file, bytes) in &originals {
        assert_eq!(&std::fs::read(file).unwrap(), bytes, "--diff wrote a file");
    }
    insta::assert_snapshot!("diff_ds101", diff);

    let none = run_in(dir.path(), &["--diff", "--no-ignore", "--select", "DS101"]);
    assert_eq!(none.status.code(), Some(0), "no safe fixes: exit 0");
    assert!(none.stdout.is_empty());
}

#[test]
fn fix_reports_remaining_findings_and_counts_fixes() {
    let case = cases()
        .into_iter()
        .find(|c| c.code == "DS101" && c.name == "python")
        .unwrap();
    let (dir, _file) = stage(&case);
    let unfixable = cases()
        .into_iter()
        .find(|c| c.code == "DS101" && c.name == "unfixable" && c.ext == "py")
        .unwrap();
    std::fs::copy(&unfixable.input, dir.path().join("left.py")).unwrap();
    let doc = json_in(
        dir.path(),
        &[
            "--fix",
            "--unsafe-fixes",
            "--no-ignore",
            "--select",
            "DS101",
        ],
    );
    assert_eq!(doc["summary"]["fixes"]["applied"], 2);
    assert_eq!(doc["summary"]["fixes"]["files"], 1);
    let left = findings(&doc);
    assert!(!left.is_empty() && left.iter().all(|f| f.0 == "left.py"));

    let human = run_in(dir.path(), &["--fix", "--no-ignore", "--select", "DS101"]);
    assert_eq!(human.status.code(), Some(1));
    let text = show(&human.stdout);
    assert!(text.contains("Applied 0 fixes in 0 files."), "{text}");
}

#[test]
fn fix_on_stdin_prints_the_fixed_text() {
    let case = cases()
        .into_iter()
        .find(|c| c.code == "DS101" && c.name == "client")
        .unwrap();
    let mut child = common::bin()
        .args([
            "--fix",
            "--unsafe-fixes",
            "--select",
            "DS101",
            "--stdin-filename",
            "src/client.ts",
        ])
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
        .write_all(&std::fs::read(&case.input).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out.stderr));
    assert_eq!(out.stdout, std::fs::read(&case.expected).unwrap());
}

fn copy_tree(from: &Path, to: &Path) {
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(from).unwrap();
            if p.is_dir() {
                std::fs::create_dir_all(to.join(rel)).unwrap();
                stack.push(p);
            } else {
                std::fs::copy(&p, to.join(rel)).unwrap();
            }
        }
    }
}

/// Every rule's bad fixtures, fixed with all fixes (unsafe ones too): no file may gain a
/// syntax error, and no key may appear that was not there before.
#[test]
fn fixing_every_bad_fixture_keeps_files_parsing() {
    let key = regex::Regex::new(r"sk-[A-Za-z0-9_\-]{20,}").unwrap();
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(root().join("fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !code.starts_with("DS") || !dir.join("bad").is_dir() {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&dir.join("bad"), tmp.path());
        let before: Vec<(PathBuf, Vec<u8>)> = common::files_under(tmp.path())
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect();
        let out = run_in(tmp.path(), &["--fix", "--unsafe-fixes", "--no-ignore", "."]);
        if !matches!(out.status.code(), Some(0 | 1)) {
            failures.push(format!(
                "{code}: exit {:?}: {}",
                out.status,
                show(&out.stderr)
            ));
            continue;
        }
        for (path, old) in &before {
            let new = std::fs::read(path).unwrap();
            if &new == old {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(kind) = FileKind::from_path(path) {
                let errs = |b: &[u8]| dslint::fix::syntax_errors(kind, b);
                if let (Some(a), Some(b)) = (errs(old), errs(&new)) {
                    if b > a {
                        failures.push(format!("{code}/{name}: fixing broke the syntax"));
                    }
                }
            }
            let count = |b: &[u8]| key.find_iter(&show(b)).count();
            if count(&new) > count(old) {
                failures.push(format!("{code}/{name}: fixing wrote a key"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs dslint in `dir` with git's global configuration shut out (a global excludes file
/// could ignore `.env` files and hide DS501).
fn run_isolated(dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    common::bin()
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("dslint runs")
}

/// A work tree with a hand-made `.git` (no `git` binary needed).
fn repo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let work = dir.path().join("work");
    let git = work.join(".git");
    for d in [
        home.clone(),
        git.join("info"),
        git.join("objects"),
        git.join("refs"),
    ] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(
        git.join("config"),
        "[core]\n\trepositoryformatversion = 0\n",
    )
    .unwrap();
    (dir, home, work)
}

/// DS501's fix edits another file: it appends to the root `.gitignore` (one shared final
/// newline, one line per `.env` file) and leaves the `.env` files alone.
#[test]
fn ds501_fix_appends_to_the_root_gitignore() {
    let (_dir, home, work) = repo();
    std::fs::create_dir_all(work.join("backend")).unwrap();
    std::fs::write(work.join(".env"), "DEEPSEEK_API_KEY=x\n").unwrap();
    std::fs::write(work.join("backend/.env.local"), "DEEPSEEK_API_KEY=y\n").unwrap();
    std::fs::write(work.join(".gitignore"), "node_modules").unwrap();

    let diff = run_isolated(&work, &home, &["--diff", "--select", "DS501"]);
    assert_eq!(diff.status.code(), Some(1), "{}", show(&diff.stderr));
    insta::assert_snapshot!("diff_ds501", show(&diff.stdout));
    assert_eq!(
        std::fs::read(work.join(".gitignore")).unwrap(),
        b"node_modules"
    );

    let json = run_isolated(&work, &home, &["--format", "json", "--select", "DS501"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let edit = &doc["findings"][0]["fix"]["edits"][0];
    assert_eq!(edit["path"], ".gitignore", "{doc}");
    assert_eq!(edit["start"], 12);

    let sarif = run_isolated(&work, &home, &["--format", "sarif", "--select", "DS501"]);
    let doc: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let change = &doc["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], ".gitignore", "{doc}");
    let region = &change["replacements"][1]["deletedRegion"];
    assert_eq!(region["startLine"], 1, "{doc}");
    assert_eq!(region["byteOffset"], 12, "{doc}");

    let fixed = run_isolated(
        &work,
        &home,
        &["--fix", "--format", "json", "--select", "DS501"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&fixed.stdout).unwrap();
    assert_eq!(fixed.status.code(), Some(0), "{doc}");
    assert_eq!(doc["summary"]["fixes"]["applied"], 2);
    assert!(findings(&doc).is_empty(), "{doc}");
    assert_eq!(
        show(&std::fs::read(work.join(".gitignore")).unwrap()),
        "node_modules\n/.env\n/backend/.env.local\n"
    );
    assert_eq!(
        std::fs::read(work.join(".env")).unwrap(),
        b"DEEPSEEK_API_KEY=x\n"
    );
}

/// Without a `.gitignore`, the fix creates one at the repository root, also when dslint
/// runs in a subdirectory.
#[test]
fn ds501_fix_creates_the_gitignore_from_a_subdirectory() {
    let (_dir, home, work) = repo();
    std::fs::create_dir_all(work.join("app")).unwrap();
    std::fs::write(work.join("app/.env.production"), "DEEPSEEK_API_KEY=x\n").unwrap();
    let out = run_isolated(
        &work.join("app"),
        &home,
        &["--fix", "--select", "DS501", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", show(&out.stdout));
    assert!(show(&out.stdout).contains("Applied 1 fix in 1 file."));
    assert_eq!(
        show(&std::fs::read(work.join(".gitignore")).unwrap()),
        "/app/.env.production\n"
    );
    assert!(!work.join("app/.gitignore").exists());
}

/// DS201's fix adds the official URL only where nothing else can supply the base URL: unsafe
/// when the program loads a `.env`, not offered when an env file in the repository sets the
/// SDK's base-URL variable.
#[test]
fn ds201_fix_depends_on_what_else_sets_the_base_url() {
    let plain = "import os\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"])\n";
    let fixed = "import os\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url=\"https://api.deepseek.com\")\n";
    let loads = format!("from dotenv import load_dotenv\n{plain}load_dotenv()\n");
    let run = |text: &str, env: Option<&str>, args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        if let Some(env) = env {
            std::fs::write(dir.path().join(".env.example"), env).unwrap();
        }
        std::fs::write(dir.path().join("app.py"), text).unwrap();
        let mut all = vec!["--no-ignore", "--select", "DS201"];
        all.extend_from_slice(args);
        all.push("app.py");
        run_in(dir.path(), &all);
        std::fs::read_to_string(dir.path().join("app.py")).unwrap()
    };
    assert_eq!(run(plain, None, &["--fix"]), fixed);
    assert_eq!(
        run(&loads, None, &["--fix"]),
        loads,
        "unsafe when a .env is loaded"
    );
    assert_eq!(
        run(&loads, None, &["--fix", "--unsafe-fixes"]),
        loads.replace(plain, fixed)
    );
    let env = Some("DEEPSEEK_API_KEY=\nOPENAI_BASE_URL=\n");
    assert_eq!(
        run(plain, env, &["--fix", "--unsafe-fixes"]),
        plain,
        "the env file sets it"
    );
    assert_eq!(run(plain, Some("DEEPSEEK_API_KEY=\n"), &["--fix"]), fixed);
}
