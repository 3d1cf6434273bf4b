//! DS603 env-var-name-mismatch: code reads a DeepSeek key/URL environment variable that no
//! env file, compose file, CI workflow, Dockerfile or shell script of the repository defines,
//! while a near-identical name is defined (`DEEPSEEK_KEY` read, `DEEPSEEK_API_KEY` defined).
//!
//! Reads and definitions are collected with small line-oriented regexes over the files the
//! engine kept for project rules (only files holding a DeepSeek literal reach here), so this
//! stays linear in the text and independent of the per-language fact extractors.

mod definitions;
mod near_names;
mod reads;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::Hit;
use crate::source::FileKind;

use super::{ProjectCtx, ProjectFile, ProjectHit};

pub use definitions::collect_definitions;
use near_names::{best_near, is_key_or_url, looks_deepseekish, Name};
pub use near_names::{canonical_words, is_deepseek_name, is_near};
use reads::is_code_like;
pub use reads::{collect_reads, Read};

/// True when [`check`] can use a file of `kind` holding `text`: code (not minified) that reads
/// or writes an env var, or a config that defines one. The engine keeps no other file's text.
pub fn contributes(kind: FileKind, text: &str) -> bool {
    if is_code_like(kind) {
        !crate::source::is_minified(text) && !collect_reads(kind, text).is_empty()
    } else {
        !collect_definitions(kind, text).is_empty()
    }
}

/// Runs DS603 over the collected files.
pub fn check(ctx: &ProjectCtx<'_>) -> Vec<ProjectHit> {
    // name → first file defining it.
    let mut defined: BTreeMap<String, &ProjectFile> = BTreeMap::new();
    let mut reads: Vec<(&ProjectFile, Vec<Read>)> = Vec::new();
    for f in ctx.files {
        if is_code_like(f.kind) {
            if crate::source::is_minified(&f.text) {
                // Bundles are build output: their env reads were inlined from the sources.
                continue;
            }
            let (writes, r): (Vec<Read>, Vec<Read>) = collect_reads(f.kind, &f.text)
                .into_iter()
                .partition(|r| r.is_write);
            for w in writes {
                defined.entry(w.name).or_insert(f);
            }
            if !r.is_empty() {
                let mut r = r;
                r.sort_by_key(|x| x.range.start);
                reads.push((f, r));
            }
        } else {
            for name in collect_definitions(f.kind, &f.text) {
                defined.entry(name).or_insert(f);
            }
        }
    }
    if defined.is_empty() {
        return Vec::new();
    }
    let defined_upper: HashSet<String> = defined.keys().map(|k| k.to_ascii_uppercase()).collect();
    // Only DeepSeek-like definitions can be near a DeepSeek read: few, whatever the repo size.
    let candidates: Vec<Name<'_>> = defined
        .keys()
        .filter(|d| looks_deepseekish(d))
        .map(|d| Name::new(d))
        .collect();
    let mut near_cache: HashMap<String, Option<&str>> = HashMap::new();
    let mut out = Vec::new();
    for (file, file_reads) in &reads {
        let read_here: HashSet<&str> = file_reads.iter().map(|r| r.name.as_str()).collect();
        // Only the first read of each name in a file is judged (and reported).
        let mut seen: HashSet<&str> = HashSet::new();
        for read in file_reads {
            let name = read.name.as_str();
            if !seen.insert(name) {
                continue;
            }
            if !is_deepseek_name(name) || !is_key_or_url(name) || defined.contains_key(name) {
                continue;
            }
            if read.case_insensitive && defined_upper.contains(&name.to_ascii_uppercase()) {
                continue;
            }
            // Each distinct name is compared with the definitions once per run.
            let near = *near_cache
                .entry(name.to_string())
                .or_insert_with(|| best_near(name, &candidates));
            let near = near.filter(|d| !read_here.contains(d));
            let Some(near) = near else { continue };
            let source = &defined[near].display;
            let hit = Hit::at(read.range.clone())
                .arg("read", name)
                .arg("defined", near)
                .message(format!(
                    "`{name}` is read here but defined nowhere in the repository, while `{source}` defines `{near}`: the variable will be unset at run time"
                ))
                .help(format!(
                    "use one name everywhere: read `{near}` here, or rename it to `{name}` in `{source}` (and wherever else it is set)"
                ));
            out.push(ProjectHit {
                display: file.display.clone(),
                text: Arc::clone(&file.text),
                hit,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(reads: &[Read]) -> Vec<&str> {
        reads.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn python_reads() {
        let src = "import os\nk = os.environ[\"DEEPSEEK_KEY\"]\nu = os.getenv('DEEPSEEK_BASE_URL', 'x')\nv = os.environ.get(\"A\")\n# os.getenv(\"COMMENTED\")\nclass S(BaseSettings):\n    deepseek_api_key: str = Field(env=\"DS_KEY\")\n    model_config = SettingsConfigDict()\n\n    def f(self):\n        x: int = 1\n";
        let r = collect_reads(FileKind::Python, src);
        assert_eq!(
            names(&r),
            [
                "DEEPSEEK_KEY",
                "DEEPSEEK_BASE_URL",
                "A",
                "DS_KEY",
                "DEEPSEEK_API_KEY"
            ]
        );
        assert_eq!(&src[r[0].range.clone()], "DEEPSEEK_KEY");
        assert!(r[4].case_insensitive);
    }

    #[test]
    fn js_and_rust_reads() {
        let js = "const a = process.env.DEEPSEEK_KEY;\nconst b = import.meta.env.VITE_X;\nconst c = process.env[\"Y\"];\nconst { DEEP_SEEK_API_KEY, Z: z = 1 } = process.env;\n";
        let r = collect_reads(FileKind::TypeScript, js);
        assert_eq!(
            names(&r),
            ["DEEPSEEK_KEY", "VITE_X", "Y", "DEEP_SEEK_API_KEY", "Z"]
        );
        assert_eq!(&js[r[3].range.clone()], "DEEP_SEEK_API_KEY");
        let rs = "let k = std::env::var(\"DEEPSEEK_KEY\")?; let u = dotenvy::var(\"U\"); let o = option_env!(\"O\");";
        assert_eq!(
            names(&collect_reads(FileKind::Rust, rs)),
            ["DEEPSEEK_KEY", "U", "O"]
        );
    }

    #[test]
    fn writes_are_not_reads() {
        let py = "os.environ[\"DEEPSEEK_KEY\"] = \"x\"\nmonkeypatch.setenv(\"DEEPSEEK_TOKEN\", \"t\")\nif os.environ[\"A\"] == \"b\": pass\n";
        let r = collect_reads(FileKind::Python, py);
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.name.as_str(), r.is_write)).collect();
        assert_eq!(
            got,
            [
                ("DEEPSEEK_KEY", true),
                ("A", false),
                ("DEEPSEEK_TOKEN", true)
            ]
        );
        let js = "process.env.DEEPSEEK_KEY = 'x';\nif (process.env.B === 'y') {}\n";
        let got: Vec<bool> = collect_reads(FileKind::JavaScript, js)
            .iter()
            .map(|r| r.is_write)
            .collect();
        assert_eq!(got, [true, false]);
        let gha = "steps:\n  - run: DEEPSEEK_API_KEY=${{ secrets.DS }} pytest\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, gha),
            ["DEEPSEEK_API_KEY", "DS"]
        );
    }

    #[test]
    fn notebooks_and_structured_configs() {
        let nb = r#"{"cells": [{"source": ["k = os.environ[\"DEEPSEEK_KEY\"]\n", "os.environ[\"B\"] = \"x\"\n"]}]}"#;
        let r = collect_reads(FileKind::Notebook, nb);
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.name.as_str(), r.is_write)).collect();
        assert_eq!(got, [("DEEPSEEK_KEY", false), ("B", true)]);
        assert_eq!(&nb[r[0].range.clone()], "DEEPSEEK_KEY");
        let json = r#"{"env": {"DEEPSEEK_API_KEY": "@key"}, "scripts": {"dev": "DEEPSEEK_BASE_URL=x node a.js"}, "name": "x"}"#;
        assert_eq!(
            collect_definitions(FileKind::Json, json),
            ["DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL"]
        );
        let toml = "[env]\n  DEEPSEEK_API_KEY = \"x\"\nname = \"y\"\n";
        assert_eq!(
            collect_definitions(FileKind::Toml, toml),
            ["DEEPSEEK_API_KEY"]
        );
        let py = "from decouple import config\nk = config(\"DEEPSEEK_KEY\")\nu = env.str('DEEPSEEK_URL')\n";
        assert_eq!(
            names(&collect_reads(FileKind::Python, py)),
            ["DEEPSEEK_KEY", "DEEPSEEK_URL"]
        );
    }

    #[test]
    fn only_files_with_reads_or_definitions_contribute() {
        let py = "import os\n# deepseek\nkey = os.getenv(\"DEEPSEEK_KEY\")\n";
        assert!(contributes(FileKind::Python, py));
        assert!(!contributes(FileKind::Python, "# deepseek client\nx = 1\n"));
        let bundle = format!("{}process.env.DEEPSEEK_KEY", "x".repeat(6000));
        assert!(!contributes(FileKind::JavaScript, &bundle));
        assert!(contributes(FileKind::Env, "DEEPSEEK_API_KEY=x\n"));
        assert!(!contributes(FileKind::Yaml, "deepseek: {model: v4}\n"));
    }

    #[test]
    fn definitions() {
        let env = "# c\nexport DEEPSEEK_API_KEY=sk-x\nOTHER = 1\n";
        assert_eq!(
            collect_definitions(FileKind::Env, env),
            ["DEEPSEEK_API_KEY", "OTHER"]
        );
        let compose = "services:\n  app:\n    environment:\n      - DEEPSEEK_API_KEY=${KEY}\n      - PLAIN\n    ports:\n      - \"80:80\"\n  db:\n    environment:\n      POSTGRES_USER: x\n      NESTED:\n        deep: 1\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, compose),
            ["DEEPSEEK_API_KEY", "PLAIN", "POSTGRES_USER", "NESTED"]
        );
        let gha = "jobs:\n  t:\n    steps:\n      - run: x\n        env:\n          DEEPSEEK_KEY: ${{ secrets.DS_SECRET }}\n      - env:\n          B: 1\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, gha),
            ["DS_SECRET", "DEEPSEEK_KEY", "B"]
        );
        let k8s = "env:\n- name: DEEPSEEK_API_KEY\n  valueFrom:\n    secretKeyRef:\n      name: s\n- name: B\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, k8s),
            ["DEEPSEEK_API_KEY", "B"]
        );
        let docker =
            "FROM x\nENV DEEPSEEK_API_KEY=\"\" OTHER=1\nARG DEEPSEEK_BASE_URL\nENV LEGACY value\n";
        assert_eq!(
            collect_definitions(FileKind::Dockerfile, docker),
            ["DEEPSEEK_API_KEY", "OTHER", "DEEPSEEK_BASE_URL", "LEGACY"]
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        let pieces = [
            "os.environ[\"",
            "DEEPSEEK_KEY",
            "\"]",
            " = ",
            "\u{feff}",
            "é",
            "\\",
            "\n",
            "#",
            "process.env.",
            "{",
            "}",
            "= process.env",
            "env:\n",
            "  - ",
            "ENV ",
            "class S(BaseSettings):\n",
            "    f: str\n",
            "\r\n",
            "'",
            "`",
            "export ",
            "=",
            "secrets.",
            "\u{1F600}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..40 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for kind in FileKind::ALL {
                for r in collect_reads(kind, &text) {
                    assert!(text.get(r.range.clone()).is_some());
                }
                let _ = collect_definitions(kind, &text);
            }
        }
    }

    #[test]
    fn near_names() {
        for d in [
            "DEEPSEEK_KEY",
            "DEEP_SEEK_API_KEY",
            "DEEPSEEK_APIKEY",
            "API_KEY_DEEPSEEK",
            "DEEPSEEK_API_KEYS",
            "deepseek_api_key",
        ] {
            assert!(is_near("DEEPSEEK_API_KEY", d), "{d}");
        }
        for d in [
            "DEEPSEEK_API_KEY",
            "DEEPSEEK_BASE_URL",
            "DEEPSEEK_API_KEY_2",
            "OPENAI_API_KEY",
            "NEXT_PUBLIC_DEEPSEEK_API_KEY",
        ] {
            assert!(!is_near("DEEPSEEK_API_KEY", d), "{d}");
        }
        assert!(!is_near("DEEPSEEK_API_KEY_1", "DEEPSEEK_API_KEY_2"));
        assert!(is_deepseek_name("deep-seek-key"));
        assert!(!is_deepseek_name("OPENAI_API_KEY"));
    }
}
