//! Files git tracks are linted even when the ignore rules match them (git's own rule: ignore
//! patterns never apply to tracked files), on real temporary repositories made with the
//! `git` binary (skipped when it is not installed). Untracked ignored files stay unread;
//! `--no-ignore` reads everything; configured excludes still apply.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{bin, findings};

/// Fake keys, random-looking so that DS101 takes them for real ones.
const KEY: &str = "sk-97c63104eec2d011c313250112f79d24";
const KEY2: &str = "sk-24637cea672be47423af1a61f2173c5a";

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// A fresh repository, or `None` without a `git` binary.
    fn new() -> Option<Repo> {
        if !git_available() {
            eprintln!("git not installed: skipped");
            return None;
        }
        let r = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(r.home()).unwrap();
        std::fs::create_dir_all(r.work()).unwrap();
        r.git(&["init", "-q", "-b", "main"]);
        Some(r)
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.work().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn isolate(&self, cmd: &mut Command) {
        let home = self.home();
        cmd.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
    }

    fn git(&self, args: &[&str]) {
        let mut cmd = Command::new("git");
        cmd.args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(self.work());
        self.isolate(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Commits everything, then writes `.gitignore` (ignoring does not untrack).
    fn commit_then_ignore(&self, gitignore: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-qm", "first"]);
        self.write(".gitignore", gitignore);
    }

    /// Runs dslint in the work tree: sorted `(path, line, column, code)` and the raw output.
    fn lint(&self, args: &[&str]) -> (Vec<(String, u64, u64, String)>, String) {
        let mut cmd = bin();
        cmd.args(["--format", "json"])
            .args(args)
            .current_dir(self.work());
        self.isolate(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "dslint failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let raw = String::from_utf8(out.stdout).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let mut got = findings(&doc);
        got.sort();
        (got, raw)
    }
}

fn f(path: &str, line: u64, column: u64, code: &str) -> (String, u64, u64, String) {
    (path.to_string(), line, column, code.to_string())
}

#[test]
fn a_committed_env_ignored_later_is_still_linted() {
    let Some(r) = Repo::new() else { return };
    r.write(".env", &format!("# local\nDEEPSEEK_API_KEY={KEY}\n"));
    r.write(
        "app.py",
        "import os\nkey = os.environ[\"DEEPSEEK_API_KEY\"]\n",
    );
    r.commit_then_ignore(".env*\n");
    // An untracked, ignored file with a key is not read.
    r.write(".env.local", &format!("DEEPSEEK_API_KEY={KEY2}\n"));
    let (got, raw) = r.lint(&["."]);
    assert_eq!(
        got,
        [f(".env", 1, 1, "DS502"), f(".env", 2, 18, "DS101")],
        "{raw}"
    );
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let ds502 = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DS502")
        .unwrap();
    let message = ds502["message"].as_str().unwrap();
    assert!(
        message.ends_with(", and it holds a key (`sk-…9d24`): rotate it"),
        "{message}"
    );
    assert!(!raw.contains(KEY) && !raw.contains(KEY2), "a key leaked");
}

#[test]
fn tracked_files_in_an_ignored_directory_are_linted_but_untracked_ones_are_not() {
    let Some(r) = Repo::new() else { return };
    r.write("build/settings.py", &format!("API_KEY = \"{KEY}\"\n"));
    r.commit_then_ignore("build/\n");
    r.write("build/local.py", &format!("API_KEY = \"{KEY2}\"\n"));
    let (got, _) = r.lint(&["."]);
    assert_eq!(got, [f("build/settings.py", 1, 12, "DS101")]);
    // A directory named on the command line is read whole (as ripgrep does), each file once.
    let (got, _) = r.lint(&["build"]);
    assert_eq!(
        got,
        [
            f("build/local.py", 1, 12, "DS101"),
            f("build/settings.py", 1, 12, "DS101")
        ]
    );
    // --no-ignore reads everything.
    let (got, _) = r.lint(&["--no-ignore", "."]);
    assert_eq!(
        got,
        [
            f("build/local.py", 1, 12, "DS101"),
            f("build/settings.py", 1, 12, "DS101")
        ]
    );
}

#[test]
fn configured_excludes_still_apply_to_tracked_files() {
    let Some(r) = Repo::new() else { return };
    r.write("vendor/lib.py", &format!("API_KEY = \"{KEY}\"\n"));
    r.write("gen/out.py", &format!("API_KEY = \"{KEY2}\"\n"));
    r.commit_then_ignore("vendor/\ngen/\n");
    r.write("dslint.toml", "extend-exclude = [\"vendor/\"]\n");
    let (got, _) = r.lint(&["."]);
    assert_eq!(got, [f("gen/out.py", 1, 12, "DS101")]);
}

#[test]
fn deleted_files_gitlinks_and_sparse_entries_are_skipped() {
    let Some(r) = Repo::new() else { return };
    r.write("gone.py", &format!("API_KEY = \"{KEY}\"\n"));
    r.write("kept.py", &format!("API_KEY = \"{KEY2}\"\n"));
    r.write("sparse.py", &format!("API_KEY = \"{KEY}\"\n"));
    r.commit_then_ignore("*.py\n");
    std::fs::remove_file(r.work().join("gone.py")).unwrap();
    // A gitlink (submodule entry) is a commit, not a file: nothing to read.
    r.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        "160000,1111111111111111111111111111111111111111,sub",
    ]);
    std::fs::create_dir_all(r.work().join("sub")).unwrap();
    // A skip-worktree entry (sparse checkout) is not the file on disk.
    r.git(&["update-index", "--skip-worktree", "sparse.py"]);
    let (got, raw) = r.lint(&["."]);
    assert_eq!(got, [f("kept.py", 1, 12, "DS101")], "{raw}");
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(doc["summary"]["files_scanned"], 2, "{raw}");
}

#[test]
fn tracked_symlinks_are_followed_only_with_follow() {
    let Some(r) = Repo::new() else { return };
    if cfg!(windows) {
        return;
    }
    r.write("real/key.py", &format!("API_KEY = \"{KEY}\"\n"));
    #[cfg(unix)]
    std::os::unix::fs::symlink("real/key.py", r.work().join("link.py")).unwrap();
    r.commit_then_ignore("real/\nlink.py\n");
    let (got, _) = r.lint(&["."]);
    assert_eq!(got, [f("real/key.py", 1, 12, "DS101")]);
    let (got, _) = r.lint(&["--follow-links", "."]);
    assert_eq!(
        got,
        [
            f("link.py", 1, 12, "DS101"),
            f("real/key.py", 1, 12, "DS101")
        ]
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_tracked_names_are_read() {
    use std::os::unix::ffi::OsStrExt;
    let Some(r) = Repo::new() else { return };
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    if std::fs::write(r.work().join(name), format!("K = \"{KEY}\"\n")).is_err() {
        return; // a file system that refuses the name
    }
    r.commit_then_ignore("*.py\n");
    let (got, _) = r.lint(&["."]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].1, got[0].2, got[0].3.as_str()), (1, 6, "DS101"));
}

#[test]
fn the_output_is_the_same_whatever_the_thread_count() {
    let Some(r) = Repo::new() else { return };
    for i in 0..20 {
        r.write(&format!("pkg/m{i}.py"), &format!("K = \"{KEY}\"\n"));
        r.write(&format!("out/m{i}.py"), &format!("K = \"{KEY2}\"\n"));
    }
    r.commit_then_ignore("pkg/\nout/m1*.py\n");
    let (one, _) = r.lint(&["--threads", "1", "."]);
    let (many, _) = r.lint(&["--threads", "8", "pkg", "out", "."]);
    assert_eq!(one.len(), 40);
    assert_eq!(one, many);
}

#[test]
fn a_tracked_template_env_with_empty_values_is_not_ds501() {
    let Some(r) = Repo::new() else { return };
    r.write(
        ".env",
        "# fill in\nDEEPSEEK_API_KEY=\nDEEPSEEK_BASE_URL=\"\"\n",
    );
    r.write("svc/.env", "DEEPSEEK_API_KEY=\nDEBUG=1\n");
    r.git(&["add", "-A"]);
    r.git(&["commit", "-qm", "starter"]);
    let (got, _) = r.lint(&["."]);
    assert_eq!(got, [f("svc/.env", 1, 1, "DS501")]);
}
