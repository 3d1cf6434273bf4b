//! Repository hygiene (DS501 unignored-env-file, DS502 tracked-env-file) and DS603
//! env-var-name-mismatch on real temporary repositories.
//!
//! These rules depend on the git state around the linted files (ignore files, the index), so
//! they are tested here rather than in `fixtures/` (whose trees live inside dslint's own
//! repository). Repositories are set up with the `git` binary when it is installed; tests that
//! do not need it build `.git` by hand, including a hand-written index, so they also pass
//! without `git`. Every run isolates itself from the user's global git configuration.

mod common;

use std::path::Path;
use std::process::Command;

use common::{bin, findings};

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// An isolated environment: no global or system git configuration leaks in.
fn isolate(cmd: &mut Command, home: &Path) {
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_SYSTEM", home.join("system-gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
}

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        Sandbox { dir }
    }

    fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home")
    }

    fn work(&self) -> std::path::PathBuf {
        self.dir.path().join("work")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.work().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// A `.git` directory made by hand (no `git` binary needed).
    fn init_by_hand(&self) {
        let g = self.work().join(".git");
        std::fs::create_dir_all(g.join("info")).unwrap();
        std::fs::create_dir_all(g.join("objects")).unwrap();
        std::fs::create_dir_all(g.join("refs")).unwrap();
        std::fs::write(g.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(g.join("config"), "[core]\n\trepositoryformatversion = 0\n").unwrap();
    }

    fn git(&self, args: &[&str]) {
        let mut cmd = Command::new("git");
        cmd.args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(self.work());
        isolate(&mut cmd, &self.home());
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs dslint in `work/<sub>` and returns sorted `(path, line, code)` of DS5xx/DS6xx
    /// findings, plus the raw JSON.
    fn lint(&self, sub: &str, args: &[&str]) -> (Vec<(String, u64, String)>, serde_json::Value) {
        let mut cmd = bin();
        cmd.args(["--format", "json"])
            .args(args)
            .current_dir(self.work().join(sub));
        isolate(&mut cmd, &self.home());
        let out = cmd.output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "dslint failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut got: Vec<(String, u64, String)> = findings(&doc)
            .into_iter()
            .filter(|(.., c)| c.starts_with("DS5") || c == "DS603")
            .map(|(p, l, _, c)| (p, l, c))
            .collect();
        got.sort();
        (got, doc)
    }
}

fn f(path: &str, line: u64, code: &str) -> (String, u64, String) {
    (path.to_string(), line, code.to_string())
}

/// Writes a version-2 git index listing `paths` (no `git` binary needed; null checksum).
fn write_index(git_dir: &Path, paths: &[&str]) {
    let mut paths: Vec<&str> = paths.to_vec();
    paths.sort();
    let mut data = Vec::new();
    data.extend_from_slice(b"DIRC");
    data.extend_from_slice(&2u32.to_be_bytes());
    data.extend_from_slice(&(paths.len() as u32).to_be_bytes());
    for p in paths {
        let start = data.len();
        for _ in 0..6 {
            data.extend_from_slice(&0u32.to_be_bytes()); // ctime, mtime, dev, ino
        }
        data.extend_from_slice(&0o100644u32.to_be_bytes());
        data.extend_from_slice(&0u32.to_be_bytes()); // uid
        data.extend_from_slice(&0u32.to_be_bytes()); // gid
        data.extend_from_slice(&0u32.to_be_bytes()); // size
        data.extend_from_slice(&[0x11; 20]); // object id
        data.extend_from_slice(&(p.len().min(0xfff) as u16).to_be_bytes());
        data.extend_from_slice(p.as_bytes());
        let len = data.len() - start;
        let padded = (len + 8) & !7;
        data.resize(start + padded, 0);
    }
    data.extend_from_slice(&[0; 20]);
    std::fs::write(git_dir.join("index"), data).unwrap();
}

#[test]
fn no_gitignore_flags_every_secret_env_file_but_not_templates() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".env", "# local\nDEEPSEEK_API_KEY=replace-me\n");
    s.write(".env.local", "A=1\n");
    s.write("api/.env.production", "B=2\n");
    s.write(".env.example", "DEEPSEEK_API_KEY=your-key-here\n");
    s.write(".env.sample", "X=\n");
    let (got, doc) = s.lint(".", &["."]);
    assert_eq!(
        got,
        [
            f(".env", 1, "DS501"),
            f(".env.local", 1, "DS501"),
            f("api/.env.production", 1, "DS501"),
        ]
    );
    let help = doc["findings"][0]["help"].as_str().unwrap();
    assert!(help.contains("add \"/.env\" to .gitignore"), "{help}");
    let help = doc["findings"][2]["help"].as_str().unwrap();
    assert!(help.contains("\"/api/.env.production\""), "{help}");
}

#[test]
fn gitignore_negation_and_nested_files() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".gitignore", "node_modules/\n.env*\n!.env.example\n");
    s.write("api/.gitignore", "!.env.local\n");
    s.write(".env", "A=1\n");
    s.write(".env.production", "A=1\n");
    s.write(".env.example", "A=\n");
    s.write("api/.env", "A=1\n");
    s.write("api/.env.local", "A=1\n");
    // --no-ignore makes the walker hand over ignored files too: they must stay silent.
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, [f("api/.env.local", 1, "DS501")]);
    let (got, _) = s.lint(".", &["."]);
    assert_eq!(got, [f("api/.env.local", 1, "DS501")]);
}

#[test]
fn root_anchored_pattern_only_covers_the_root() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".gitignore", "/.env\n");
    s.write(".env", "A=1\n");
    s.write("web/.env", "A=1\n");
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, [f("web/.env", 1, "DS501")]);
}

#[test]
fn ignored_directory_and_info_exclude() {
    let s = Sandbox::new();
    s.init_by_hand();
    std::fs::write(s.work().join(".git/info/exclude"), "/.env\n").unwrap();
    s.write(".gitignore", "config/\n!config/.env\n");
    s.write(".env", "A=1\n");
    s.write("config/.env", "A=1\n");
    s.write("other/.env", "A=1\n");
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, [f("other/.env", 1, "DS501")]);
}

#[test]
fn core_excludes_file_from_repo_config() {
    let s = Sandbox::new();
    s.init_by_hand();
    let excludes = s.home().join("global-ignore");
    std::fs::write(&excludes, ".env\n").unwrap();
    std::fs::write(
        s.work().join(".git/config"),
        format!("[core]\n\texcludesFile = {}\n", excludes.display()),
    )
    .unwrap();
    s.write(".env", "A=1\n");
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, []);
}

#[test]
fn core_excludes_file_from_global_config() {
    let s = Sandbox::new();
    s.init_by_hand();
    let excludes = s.home().join("ignore-global");
    std::fs::write(&excludes, ".env.local\n").unwrap();
    std::fs::write(
        s.home().join(".gitconfig"),
        format!("[core]\n\texcludesfile = {}\n", excludes.display()),
    )
    .unwrap();
    s.write(".env.local", "A=1\n");
    s.write(".env", "A=1\n");
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, [f(".env", 1, "DS501")]);
}

#[test]
fn subdirectory_run_uses_the_repository_root_rules() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".gitignore", "/svc/a/.env\n");
    s.write("svc/a/.env", "A=1\n");
    s.write("svc/b/.env", "A=1\n");
    let (got, doc) = s.lint("svc", &["--no-ignore", "."]);
    assert_eq!(got, [f("b/.env", 1, "DS501")]);
    let help = doc["findings"][0]["help"].as_str().unwrap();
    assert!(
        help.contains("\"/svc/b/.env\"") && help.contains("repository root"),
        "{help}"
    );
}

#[test]
fn explicit_file_paths_as_pre_commit_passes_them() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".gitignore", ".env\n");
    s.write(".env", "A=1\n");
    s.write("app/.env.local", "A=1\n");
    s.write("app/main.py", "print(1)\n");
    let (got, _) = s.lint("app", &[".env.local", "../.env", "main.py"]);
    assert_eq!(got, [f(".env.local", 1, "DS501")]);
}

#[test]
fn outside_a_repository_the_lint_root_gitignore_counts() {
    let s = Sandbox::new();
    s.write(".env", "A=1\n");
    s.write(".env.example", "A=\n");
    let (got, doc) = s.lint(".", &["."]);
    assert_eq!(got, [f(".env", 1, "DS501")]);
    let msg = doc["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("there is no .gitignore"), "{msg}");
    s.write(".gitignore", ".env\n");
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, []);
}

#[test]
fn tracked_and_ignored_env_file_without_git_binary() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".gitignore", ".env\n");
    s.write(".env", "DEEPSEEK_API_KEY=replace-me\n");
    s.write("svc/.env.production", "A=1\n");
    s.write(".env.example", "A=\n");
    write_index(
        &s.work().join(".git"),
        &[".env", ".env.example", ".gitignore", "svc/.env.production"],
    );
    let (got, doc) = s.lint(".", &["."]);
    // svc/.env.production is tracked but not ignored: DS501 (already committed).
    assert_eq!(
        got,
        [f(".env", 1, "DS502"), f("svc/.env.production", 1, "DS501")]
    );
    let ds502 = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DS502")
        .unwrap();
    assert!(ds502["help"]
        .as_str()
        .unwrap()
        .contains("git rm --cached .env"));
    assert_eq!(
        ds502["snippet"].as_str().unwrap(),
        "DEEPSEEK_API_KEY=replace-me"
    );
    let ds501 = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DS501")
        .unwrap();
    assert!(ds501["message"].as_str().unwrap().contains("tracked"));
    // Only tracked files under the linted paths are reported.
    let (got, _) = s.lint("svc", &["."]);
    assert_eq!(got, [f(".env.production", 1, "DS501")]);
}

#[test]
fn committed_then_ignored_with_git() {
    if !git_available() {
        eprintln!("git not installed: skipped");
        return;
    }
    let s = Sandbox::new();
    s.git(&["init", "-q"]);
    s.write(".env", "A=1\n");
    s.write("pkg/.env.local", "A=1\n");
    s.git(&["add", "."]);
    s.git(&["commit", "-q", "-m", "init"]);
    s.write(".gitignore", ".env\n.env.local\n");
    let (got, _) = s.lint(".", &["."]);
    assert_eq!(
        got,
        [f(".env", 1, "DS502"), f("pkg/.env.local", 1, "DS502")]
    );
    // The walker now hands the files over too; DS501 stays silent (they are ignored).
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(
        got,
        [f(".env", 1, "DS502"), f("pkg/.env.local", 1, "DS502")]
    );
    // Explicit paths: only the named file.
    let (got, _) = s.lint("pkg", &[".env.local"]);
    assert_eq!(got, [f(".env.local", 1, "DS502")]);
    // After `git rm --cached`, nothing is left.
    s.git(&["rm", "-q", "--cached", ".env", "pkg/.env.local"]);
    let (got, _) = s.lint(".", &["--no-ignore", "."]);
    assert_eq!(got, []);
}

#[test]
fn clean_repository_has_no_hygiene_findings() {
    let s = Sandbox::new();
    if git_available() {
        s.git(&["init", "-q"]);
    } else {
        s.init_by_hand();
    }
    s.write(".gitignore", ".env\n");
    s.write(".env", "DEEPSEEK_API_KEY=replace-me\n");
    s.write(
        ".env.example",
        "DEEPSEEK_API_KEY=your-deepseek-api-key\nDEEPSEEK_BASE_URL=https://api.deepseek.com\n",
    );
    s.write(
        "app.py",
        "import os\nkey = os.environ[\"DEEPSEEK_API_KEY\"]\nurl = os.getenv(\"DEEPSEEK_BASE_URL\")\n",
    );
    if git_available() {
        s.git(&["add", "."]);
        s.git(&["commit", "-q", "-m", "init"]);
    } else {
        write_index(
            &s.work().join(".git"),
            &[".env.example", ".gitignore", "app.py"],
        );
    }
    for args in [&["."][..], &["--no-ignore", "."][..]] {
        let (got, _) = s.lint(".", args);
        assert_eq!(got, [], "{args:?}");
    }
}

#[test]
fn env_var_name_mismatch_across_files() {
    let s = Sandbox::new();
    s.init_by_hand();
    s.write(".gitignore", ".env\n");
    s.write(
        "docker-compose.yml",
        "services:\n  app:\n    environment:\n      - DEEPSEEK_API_KEY=${DEEPSEEK_API_KEY}\n      - DEEPSEEK_BASE_URL\n",
    );
    s.write(
        "app.py",
        "import os\n\nkey = os.environ[\"DEEPSEEK_KEY\"]\nurl = os.getenv(\"DEEPSEEK_BASE_URL\")\n",
    );
    s.write(
        "web/client.ts",
        "const key = process.env.DEEP_SEEK_API_KEY ?? process.env.DEEPSEEK_API_KEY;\n",
    );
    s.write(
        "web/other.ts",
        "// deepseek\nconst k2 = process.env.DEEPSEEK_APIKEY;\n",
    );
    s.write(
        "src/main.rs",
        "fn main() { let _ = std::env::var(\"API_KEY_DEEPSEEK\"); }\n",
    );
    s.write(
        "other.py",
        "import os\nk = os.getenv(\"OPENAI_API_KEY\")\n# DEEPSEEK unrelated\n",
    );
    let (got, doc) = s.lint(".", &["."]);
    assert_eq!(
        got,
        [
            f("app.py", 3, "DS603"),
            f("src/main.rs", 1, "DS603"),
            f("web/other.ts", 2, "DS603"),
        ]
    );
    let msg = doc["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`DEEPSEEK_KEY`") && msg.contains("`DEEPSEEK_API_KEY`"),
        "{msg}"
    );
    assert_eq!(doc["findings"][0]["severity"], "warning");
}

#[test]
fn env_var_name_mismatch_needs_a_near_definition() {
    let s = Sandbox::new();
    s.write(".gitignore", ".env\n");
    s.write(".env.example", "OPENAI_API_KEY=your-key\n");
    s.write("app.py", "import os\nkey = os.environ[\"DEEPSEEK_KEY\"]\n");
    let (got, _) = s.lint(".", &["."]);
    assert_eq!(got, []);
}
