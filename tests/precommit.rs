//! The pre-commit hook, for real: `pre-commit try-repo` against a temporary git repository,
//! once with a staged bad file (the hook fails) and once with a good file (it passes).
//!
//! pre-commit builds the hook with `cargo install` (a release build). The test runs the
//! install once per test run: it snapshots the working tree into a temporary git repository
//! and pins that commit with `--ref`, so both invocations share one environment; the build
//! goes to `target/precommit-hook` with a fast release profile, so later runs are
//! incremental. Skipped (with the reason printed) only when `pre-commit` or `git` is absent.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn available(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "dslint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "dslint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The project's files (tracked and untracked-but-not-ignored, or everything but `target/`
/// and `.git/` outside git).
fn project_files(root: &Path) -> Vec<PathBuf> {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output();
    if let Ok(out) = listed {
        if out.status.success() {
            return out
                .stdout
                .split(|b| *b == 0)
                .filter(|p| !p.is_empty())
                .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
                .filter(|p| root.join(p).is_file())
                .collect();
        }
    }
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(root.join(&rel)).unwrap().flatten() {
            let name = e.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            let r = rel.join(&name);
            if e.file_type().unwrap().is_dir() {
                stack.push(r);
            } else {
                out.push(r);
            }
        }
    }
    out
}

fn pre_commit(repo: &Path, hook_repo: &Path, rev: &str, home: &Path, file: &str) -> Output {
    let target = common::root().join("target/precommit-hook");
    Command::new("pre-commit")
        .args([
            "try-repo",
            &hook_repo.to_string_lossy(),
            "dslint",
            "--ref",
            rev,
        ])
        .args(["--files", file, "--verbose", "--color", "never"])
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", target)
        // A quick release profile: the hook's behaviour is tested here, not its speed.
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit runs")
}

#[test]
fn pre_commit_hook_blocks_a_bad_file_and_passes_a_good_one() {
    for tool in ["git", "pre-commit"] {
        if !available(tool) {
            println!("SKIPPED: `{tool}` is not installed (CI installs it via .ci/run)");
            eprintln!("SKIPPED: `{tool}` is not installed (CI installs it via .ci/run)");
            return;
        }
    }
    let root = common::root();
    let tmp = tempfile::tempdir().unwrap();

    // The hook repository: a snapshot of this project's working tree.
    let hook_repo = tmp.path().join("dslint");
    for rel in project_files(&root) {
        let dest = hook_repo.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(root.join(&rel), &dest).unwrap();
    }
    git(&hook_repo, &["init", "-q"]);
    git(&hook_repo, &["add", "-A"]);
    git(
        &hook_repo,
        &["commit", "-q", "--no-verify", "-m", "snapshot"],
    );
    let rev = String::from_utf8(git(&hook_repo, &["rev-parse", "HEAD"]).stdout).unwrap();
    let rev = rev.trim();

    // The user's repository, with one bad and one good staged file.
    let repo = tmp.path().join("user");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    let key = format!("sk-{}", "5e2b9d4f7a1c3e8b0d6f2a9c4e7b1d3f");
    std::fs::write(
        repo.join("bad.py"),
        format!("from openai import OpenAI\nclient = OpenAI(api_key=\"{key}\")\n"),
    )
    .unwrap();
    std::fs::write(
        repo.join("good.py"),
        "import os\nKEY = os.environ[\"DEEPSEEK_API_KEY\"]\n",
    )
    .unwrap();
    git(&repo, &["add", "bad.py", "good.py"]);
    let home = tmp.path().join("pre-commit-home");

    let bad = pre_commit(&repo, &hook_repo, rev, &home, "bad.py");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&bad.stdout),
        String::from_utf8_lossy(&bad.stderr)
    );
    assert_eq!(bad.status.code(), Some(1), "the hook must fail:\n{text}");
    assert!(text.contains("DS101"), "{text}");
    assert!(text.contains("bad.py"), "{text}");
    assert!(!text.contains(&key), "the key is never printed in full");

    let good = pre_commit(&repo, &hook_repo, rev, &home, "good.py");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&good.stdout),
        String::from_utf8_lossy(&good.stderr)
    );
    assert_eq!(good.status.code(), Some(0), "the hook must pass:\n{text}");
    assert!(text.contains("Passed"), "{text}");
}
