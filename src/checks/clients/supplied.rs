//! Whether something other than the client's own arguments can supply its base URL, which
//! decides how safe DS201's fix (adding the official URL) is: the OpenAI SDKs read
//! `OPENAI_BASE_URL` (Python, Node) or `OPENAI_API_BASE` (langchain, llama-index) from the
//! environment, so a project that sets one in an env file, or a program that loads settings
//! into its environment, may be routing the client through a gateway on purpose.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

/// What else may supply a client's base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Supplied {
    /// An env or compose file in the repository sets the SDK's variable (the file's path).
    EnvFile(String),
    /// The program loads settings into its environment (`load_dotenv`, `dotenv/config`,
    /// pydantic `BaseSettings`…): a file outside the repository may set it.
    Loaded(&'static str),
}

/// Environment variables the OpenAI-compatible SDKs read their base URL from.
const BASE_URL_VARS: &str = "OPENAI_BASE_URL|OPENAI_API_BASE";

/// Markers of a program that loads settings into its environment, with how to say it.
const LOADERS: &[(&str, &str)] = &[
    ("load_dotenv", "loads a `.env` file (`load_dotenv`)"),
    ("dotenv_values", "loads a `.env` file (`dotenv_values`)"),
    ("dotenv/config", "loads a `.env` file (`dotenv/config`)"),
    ("require('dotenv')", "loads a `.env` file (`dotenv`)"),
    ("require(\"dotenv\")", "loads a `.env` file (`dotenv`)"),
    ("from 'dotenv'", "loads a `.env` file (`dotenv`)"),
    ("from \"dotenv\"", "loads a `.env` file (`dotenv`)"),
    ("dotenvy", "loads a `.env` file (`dotenvy`)"),
    ("dotenv::dotenv", "loads a `.env` file (`dotenv`)"),
    (
        "BaseSettings",
        "loads its settings from the environment (`BaseSettings`)",
    ),
    ("decouple", "loads its settings with `decouple`"),
    ("@next/env", "loads `.env` files (`@next/env`)"),
];

/// The first reason the base URL may come from elsewhere, for the document `text` at
/// `path` (relative to the working directory, as reported).
pub fn base_url_source(path: &str, text: &str) -> Option<Supplied> {
    if let Some(f) = env_file_setting(Path::new(path)) {
        return Some(Supplied::EnvFile(f));
    }
    LOADERS
        .iter()
        .find(|(m, _)| text.contains(m))
        .map(|(_, why)| Supplied::Loaded(why))
}

/// The first env or compose file, in the file's directory or a parent up to the repository
/// root, that sets an SDK base-URL variable (to any value, even empty: the project expects
/// it to be set).
fn env_file_setting(file: &Path) -> Option<String> {
    static SETS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r#"(?m)^[ \t]*(?:export[ \t]+|-[ \t]*)?["']?(?:{BASE_URL_VARS})["']?[ \t]*[=:]"#
        ))
        .expect("valid regex")
    });
    let cwd = std::env::current_dir().ok()?;
    let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
    let start = parent.map_or_else(|| cwd.clone(), |p| cwd.join(p));
    let mut dir = Some(start.canonicalize().unwrap_or(start));
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    for _ in 0..8 {
        let Some(d) = dir else { break };
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| is_env_like(&n.to_string_lossy()))
            })
            .collect();
        names.sort();
        for p in names {
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if !meta.is_file() || meta.len() > 256 * 1024 {
                continue;
            }
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            if SETS.is_match(&String::from_utf8_lossy(&bytes)) {
                let shown = p.strip_prefix(&cwd).unwrap_or(&p);
                return Some(crate::source::display_path(shown));
            }
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    None
}

/// Env files (`.env`, `.env.example`, `prod.env`) and compose files.
fn is_env_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with(".env")
        || lower.ends_with(".env")
        || ((lower.starts_with("docker-compose") || lower.starts_with("compose"))
            && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_in_a_parent_supplies_the_base_url() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        let file = dir.path().join("src/app.py");
        std::fs::write(&file, "x").unwrap();
        let path = file.to_string_lossy().into_owned();
        assert_eq!(base_url_source(&path, "import openai"), None);
        assert_eq!(
            base_url_source(&path, "from dotenv import load_dotenv\nload_dotenv()\n"),
            Some(Supplied::Loaded("loads a `.env` file (`load_dotenv`)"))
        );
        std::fs::write(dir.path().join(".env.example"), "OPENAI_BASE_URL=\n").unwrap();
        assert!(matches!(
            base_url_source(&path, "import openai"),
            Some(Supplied::EnvFile(f)) if f.ends_with(".env.example")
        ));
    }

    #[test]
    fn other_variables_do_not_count() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "DEEPSEEK_BASE_URL=x\n# OPENAI_BASE_URL=y\n",
        )
        .unwrap();
        let file = dir.path().join("a.py");
        assert_eq!(base_url_source(&file.to_string_lossy(), ""), None);
    }
}
