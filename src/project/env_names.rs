//! DS603 env-var-name-mismatch: code reads a DeepSeek key/URL environment variable that no
//! env file, compose file, CI workflow, Dockerfile or shell script of the repository defines,
//! while a near-identical name is defined (`DEEPSEEK_KEY` read, `DEEPSEEK_API_KEY` defined).
//!
//! Reads and definitions are the text-level env var facts of [`crate::facts::env_vars`], over
//! the files the engine kept for project rules (only files holding a DeepSeek literal reach
//! here); this module only judges them.

mod near_names;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::Hit;
use crate::source::FileKind;

use super::{ProjectCtx, ProjectFile, ProjectHit};

use crate::facts::env_vars::{collect_definitions, collect_reads, is_code_like, Read};
use near_names::{best_near, is_key_or_url, looks_deepseekish, Name};
pub use near_names::{canonical_words, is_deepseek_name, is_near};

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
        // Separators only, around a prefix that is no known word.
        assert!(is_near("VITEDEEPSEEKAPIKEY", "VITEDEEPSEEKAPI_KEY"));
        assert!(is_near("VITEDEEPSEEKTOKEN", "VITEDEEPSEEK_TOKEN"));
        assert!(!is_near("VITEDEEPSEEKAPIKEY1", "VITEDEEPSEEKAPI_KEY2"));
        assert!(is_deepseek_name("deep-seek-key"));
        assert!(!is_deepseek_name("OPENAI_API_KEY"));
    }
}
