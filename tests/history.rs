//! `dslint history` on real temporary repositories: each test builds one with the `git`
//! binary (the implementation itself reads objects with gix), with fixed commit dates, and
//! checks the exact commits, paths, lines and fields reported. Keys are generated per run.

mod common;
mod gen;

use std::path::Path;
use std::process::{Command, Output};

use common::run_in;
use gen::{fake_keys, leaked_keys, Rng};
use serde_json::Value;

/// A fresh DeepSeek-shaped key that DS101 accepts (random, so never a committed literal).
fn key() -> String {
    let (mut rng, _) = Rng::from_time();
    loop {
        let k = fake_keys(&mut rng).remove(0);
        if dslint::checks::secret::classify(&k).is_some() {
            return k;
        }
    }
}

/// A temporary repository driven by the `git` binary.
struct Repo {
    dir: tempfile::TempDir,
    day: u32,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
            day: 0,
        };
        repo.git(&["init", "-q", "-b", "main", "."]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git with a fixed identity and dates (day `self.day` of January 2024).
    fn git(&self, args: &[&str]) -> String {
        let date = format!("2024-01-{:02}T12:00:00+00:00", self.day.max(1));
        let out = Command::new("git")
            .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(self.path())
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn write(&self, name: &str, text: &str) {
        let p = self.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Stages everything and commits on the next day; returns the commit id.
    fn commit(&mut self, msg: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit_index(msg)
    }

    /// Commits what is staged, on the next day; returns the commit id.
    fn commit_index(&mut self, msg: &str) -> String {
        self.day += 1;
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.git(&["rev-parse", "HEAD"])
    }
}

/// Runs `dslint history ARGS --format json` in `dir`; checks that no key leaked.
fn history(dir: &Path, args: &[&str]) -> (Value, Output) {
    let mut all = vec!["history", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    no_leak(&out);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (doc, out)
}

fn no_leak(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(leaked_keys(&text).is_empty(), "a key leaked: {text}");
    }
}

/// `(code, path, line, commit)` of every finding.
fn found(doc: &Value) -> Vec<(String, String, u64, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["commit"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ds101(path: &str, line: u64, commit: &str) -> (String, String, u64, String) {
    ("DS101".into(), path.into(), line, commit.into())
}

#[test]
fn key_added_then_removed_is_reported_at_the_commit_that_added_it() {
    let mut repo = Repo::new();
    repo.write("README.md", "# demo\n");
    repo.commit("start");
    let k = key();
    repo.write(
        "src/app.py",
        &format!("import os\n\nclient = OpenAI(api_key=\"{k}\")\n"),
    );
    let added = repo.commit("add client");
    repo.write(
        "src/app.py",
        "import os\n\nclient = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"])\n",
    );
    repo.commit("read the key from the environment");
    let (doc, out) = history(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(found(&doc), [ds101("src/app.py", 3, &added)]);
    let f = &doc["findings"][0];
    assert_eq!(f["start"]["column"], 26);
    assert_eq!(f["author_date"], "2024-01-02T12:00:00+00:00");
    assert_eq!(f["commit"].as_str().unwrap().len(), 40);
    let tail = &k[k.len() - 4..];
    assert_eq!(
        f["message"].as_str().unwrap(),
        format!(
            "Hardcoded DeepSeek API key `sk-…{tail}`: anyone who can read this file can use it"
        )
    );
    assert_eq!(
        f["snippet"],
        format!("client = OpenAI(api_key=\"sk-…{tail}\")")
    );
    assert_eq!(doc["history"]["commits_scanned"], 3);
    assert_eq!(doc["history"]["complete"], true);
}

#[test]
fn env_file_committed_then_deleted() {
    let mut repo = Repo::new();
    let k = key();
    repo.write(
        ".env",
        &format!("# settings\nDEEPSEEK_API_KEY={k}\nDEBUG=\n"),
    );
    repo.write(".env.example", "DEEPSEEK_API_KEY=\n");
    let added = repo.commit("add env");
    repo.git(&["rm", "-q", ".env"]);
    repo.commit("remove env");
    let (doc, _) = history(repo.path(), &[]);
    assert_eq!(
        found(&doc),
        [
            ds101(".env", 2, &added),
            ("DS502".into(), ".env".into(), 1, added.clone())
        ]
    );
    let msg = doc["findings"][1]["message"].as_str().unwrap();
    assert_eq!(
        msg,
        format!(
            "`.env` was committed with values (DEEPSEEK_API_KEY) in {} (2024-01-01); it is no longer tracked, but every clone still holds it",
            &added[..7]
        )
    );
    assert_eq!(doc["findings"][1]["snippet"], "DEEPSEEK_API_KEY=…");
}

#[test]
fn env_file_still_tracked_says_so_and_a_template_is_not_reported() {
    let mut repo = Repo::new();
    repo.write(".env.local", "DB_PASSWORD=hunter2\n");
    repo.write(".env.example", "DB_PASSWORD=changeme\n");
    repo.write(".env.production", "DB_PASSWORD=\n");
    let added = repo.commit("env");
    let (doc, out) = history(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        found(&doc),
        [("DS502".into(), ".env.local".into(), 1, added.clone())]
    );
    assert!(doc["findings"][0]["message"]
        .as_str()
        .unwrap()
        .ends_with("and is still tracked"));
    // The value itself is never shown.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2"));
}

#[test]
fn key_only_on_an_unmerged_branch() {
    let mut repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("start");
    repo.git(&["checkout", "-q", "-b", "experiment"]);
    let k = key();
    repo.write("exp.js", &format!("const k = '{k}';\n"));
    let on_branch = repo.commit("try it");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("b.txt", "b\n");
    repo.commit("more");
    // Every ref by default.
    let (doc, _) = history(repo.path(), &[]);
    assert_eq!(found(&doc), [ds101("exp.js", 1, &on_branch)]);
    // Only main: nothing.
    let (doc, out) = history(repo.path(), &["main"]);
    assert!(found(&doc).is_empty());
    assert_eq!(out.status.code(), Some(0));
    // A pull-request range: what the branch adds over main.
    let (doc, _) = history(repo.path(), &["main..experiment"]);
    assert_eq!(found(&doc), [ds101("exp.js", 1, &on_branch)]);
    assert_eq!(doc["history"]["commits_scanned"], 1);
}

#[test]
fn a_key_only_in_the_stash() {
    let mut repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("start");
    repo.write("wip.py", &format!("k = \"{}\"\n", key()));
    repo.day += 1;
    repo.git(&["stash", "push", "-q", "--include-untracked"]);
    let (doc, out) = history(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let found = found(&doc);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].1.as_str(), found[0].2), ("wip.py", 1));
    // The stash's untracked-files commit holds it.
    let untracked = repo.git(&["rev-parse", "stash@{0}^3"]);
    assert_eq!(found[0].3, untracked);
    let human = String::from_utf8_lossy(&run_in(repo.path(), &["history"]).stdout).into_owned();
    assert!(
        human.contains("\n1 key in history; scanned 4 commits (2 blobs) in "),
        "{human}"
    );
}

#[test]
fn a_renamed_file_is_one_finding() {
    let mut repo = Repo::new();
    let k = key();
    repo.write("config.py", &format!("KEY = \"{k}\"\n"));
    let added = repo.commit("add");
    repo.git(&["mv", "config.py", "settings.py"]);
    repo.commit("rename");
    repo.write("settings.py", &format!("# settings\nKEY = \"{k}\"\n"));
    repo.commit("rename and edit");
    let (doc, _) = history(repo.path(), &[]);
    assert_eq!(found(&doc), [ds101("config.py", 1, &added)]);
}

#[test]
fn a_file_changed_many_times_after_the_key_is_one_finding() {
    let mut repo = Repo::new();
    let k = key();
    let mut text = format!("api_key = \"{k}\"\n");
    repo.write("main.py", &text);
    let added = repo.commit("add");
    for i in 0..12 {
        text.push_str(&format!("x{i} = {i}\n"));
        repo.write("main.py", &text);
        repo.commit(&format!("edit {i}"));
    }
    let (doc, _) = history(repo.path(), &[]);
    assert_eq!(found(&doc), [ds101("main.py", 1, &added)]);
    assert_eq!(doc["history"]["commits_scanned"], 13);
}

#[test]
fn a_rotated_key_reports_both() {
    let mut repo = Repo::new();
    let (old, new) = (key(), key());
    assert_ne!(old, new);
    repo.write(
        "deploy/app.yaml",
        &format!("env:\n  DEEPSEEK_API_KEY: {old}\n"),
    );
    let first = repo.commit("add");
    repo.write(
        "deploy/app.yaml",
        &format!("env:\n  DEEPSEEK_API_KEY: {new}\n"),
    );
    let second = repo.commit("rotate");
    let (doc, _) = history(repo.path(), &[]);
    assert_eq!(
        found(&doc),
        [
            ds101("deploy/app.yaml", 2, &first),
            ds101("deploy/app.yaml", 2, &second)
        ]
    );
}

#[test]
fn placeholders_are_never_reported() {
    let mut repo = Repo::new();
    let xs = format!("sk-{}", "x".repeat(32));
    repo.write(
        "README.md",
        &format!("export DEEPSEEK_API_KEY={xs}\nexport DEEPSEEK_API_KEY=sk-your-key-here\n"),
    );
    repo.write("app.py", "client = OpenAI(api_key=\"sk-...\")\n");
    repo.commit("docs");
    let (doc, out) = history(repo.path(), &[]);
    assert!(found(&doc).is_empty(), "{doc}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn since_bounds_the_walk() {
    let mut repo = Repo::new();
    let (old, new) = (key(), key());
    repo.write("old.py", &format!("K = \"{old}\"\n"));
    repo.commit("old");
    repo.day = 20;
    repo.write("new.py", &format!("K = \"{new}\"\n"));
    let recent = repo.commit("new");
    let (doc, _) = history(repo.path(), &["--since", "2024-01-15"]);
    assert_eq!(found(&doc), [ds101("new.py", 1, &recent)]);
    let out = run_in(repo.path(), &["history", "--since", "not a date"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_shallow_clone_is_scanned_and_said_incomplete() {
    let mut repo = Repo::new();
    let k = key();
    repo.write("app.py", &format!("K = \"{k}\"\n"));
    repo.commit("add");
    for i in 0..3 {
        repo.write("n.txt", &format!("{i}\n"));
        repo.commit("more");
    }
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "."])
        .current_dir(clone.path())
        .status()
        .unwrap();
    assert!(status.success());
    let head = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(clone.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let (doc, out) = history(clone.path(), &[]);
    // The key predates the boundary: it is attributed to the oldest commit present.
    assert_eq!(found(&doc), [ds101("app.py", 1, head.trim())]);
    assert_eq!(doc["history"]["complete"], false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("shallow clone: history is incomplete"),
        "{stderr}"
    );
}

#[test]
fn an_empty_repository_exits_0() {
    let repo = Repo::new();
    let out = run_in(repo.path(), &["history"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("No keys found in history; scanned 0 commits"));
}

#[test]
fn not_a_repository_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["history"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a git repository"), "{stderr}");
    let out = run_in(
        dir.path(),
        &[
            "history",
            "--repo",
            dir.path().to_str().unwrap(),
            "no-such-rev",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_bad_revision_exits_2() {
    let mut repo = Repo::new();
    repo.write("a", "a\n");
    repo.commit("a");
    let out = run_in(repo.path(), &["history", "nope..main"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad revision `nope..main`"));
}

#[test]
fn no_full_key_in_any_format_and_sarif_carries_the_commit() {
    let mut repo = Repo::new();
    let (k, k2) = (key(), key());
    repo.write("a.py", &format!("k = \"{k}\"\n"));
    repo.write(".env", &format!("DEEPSEEK_API_KEY={k2}\n"));
    let added = repo.commit("leak");
    for format in ["human", "json", "sarif", "github", "rdjson"] {
        let out = run_in(repo.path(), &["history", "--format", format, "--stats"]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        no_leak(&out);
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains(&k[3..])
                && !String::from_utf8_lossy(&out.stdout).contains(&k2[3..]),
            "{format}"
        );
    }
    let out = run_in(repo.path(), &["history"]);
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains(&format!("{} 2024-01-01 a.py:1:6", &added[..7])),
        "{human}"
    );
    let out = run_in(repo.path(), &["history", "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["results"][0]["properties"]["commit"], added.as_str());
    assert_eq!(
        run["results"][0]["properties"]["authorDate"],
        "2024-01-01T12:00:00+00:00"
    );
    assert_eq!(
        run["versionControlProvenance"][0]["revisionId"],
        added.as_str()
    );
    assert_eq!(run["versionControlProvenance"][0]["branch"], "main");
    assert!(run["versionControlProvenance"][0]["repositoryUri"]
        .as_str()
        .unwrap()
        .starts_with("file:///"));
}

#[test]
fn a_baseline_hides_known_keys_so_only_new_ones_fail() {
    let mut repo = Repo::new();
    repo.write("a.py", &format!("k = \"{}\"\n", key()));
    repo.commit("old leak");
    let base = repo.path().join("baseline.json");
    let out = run_in(
        repo.path(),
        &["history", "--write-baseline", base.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = run_in(repo.path(), &["history", "--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0));
    repo.write("b.py", &format!("k = \"{}\"\n", key()));
    let new = repo.commit("new leak");
    let (doc, out) = history(repo.path(), &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(found(&doc), [ds101("b.py", 1, &new)]);
}

#[test]
fn binary_large_missing_and_submodule_entries_are_skipped_and_said() {
    let mut repo = Repo::new();
    let (k1, k2, k3) = (key(), key(), key());
    let mut binary = b"\x00\x01\x02".to_vec();
    binary.extend_from_slice(k1.as_bytes());
    std::fs::write(repo.path().join("blob.bin"), &binary).unwrap();
    repo.write("big.txt", &format!("{}\nk = \"{k2}\"\n", "#".repeat(5000)));
    repo.write("lost.py", "lost = 1\n");
    repo.write("ok.py", &format!("k = \"{k3}\"\n"));
    let sub = "0123456789abcdef0123456789abcdef01234567";
    repo.git(&["add", "-A"]);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sub},vendor/lib"),
    ]);
    let c = repo.commit_index("mixed");
    // Lose one blob (a corrupt or partial clone).
    let lost = repo.git(&["rev-parse", "HEAD:lost.py"]);
    std::fs::remove_file(
        repo.path()
            .join(".git/objects")
            .join(&lost[..2])
            .join(&lost[2..]),
    )
    .unwrap();
    let (doc, out) = history(repo.path(), &["--stats", "--max-filesize", "4K"]);
    assert_eq!(found(&doc), [ds101("ok.py", 1, &c)]);
    assert_eq!(doc["stats"]["skipped_binary"], 1);
    assert_eq!(doc["stats"]["skipped_large"], 1);
    assert_eq!(doc["stats"]["skipped_unreadable"], 1);
    assert_eq!(doc["history"]["submodules_not_entered"][0], "vendor/lib");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("blob {lost} at `lost.py`: cannot read it")),
        "{stderr}"
    );
    assert!(stderr.contains("1 submodule not entered"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn non_utf8_paths_are_reported_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let mut repo = Repo::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    std::fs::write(repo.path().join(name), format!("k = \"{}\"\n", key())).unwrap();
    let c = repo.commit("latin-1 name");
    let (doc, _) = history(repo.path(), &[]);
    assert_eq!(found(&doc), [ds101("caf\u{fffd}.py", 1, &c)]);
}

#[test]
fn output_is_the_same_with_one_or_many_threads() {
    let mut repo = Repo::new();
    for i in 0..30 {
        repo.write(&format!("m{}/f.py", i % 5), &format!("k = \"{}\"\n", key()));
        repo.commit(&format!("c{i}"));
    }
    let (one, _) = history(repo.path(), &["-j", "1"]);
    let (four, _) = history(repo.path(), &["-j", "4"]);
    assert_eq!(found(&one), found(&four));
    assert_eq!(found(&one).len(), 30);
}
