//! The history form of DS502: which committed `.env*` blobs held values.
//!
//! The file names are judged by the working-tree rules' own test
//! ([`is_secret_env_name`](crate::project::env_files::is_secret_env_name): `.env`,
//! `.env.local`, `.env.production`… but not `.env.example`); a blob counts when at least one
//! `NAME=value` line has a non-empty value. Only the names are kept: a value never leaves
//! this module.

use crate::project::env_files::{file_name, is_secret_env_name};

/// True when `path` (repository-relative, `/`-separated) names a dotenv file that must not be
/// committed.
pub fn is_secret_env_path(path: &str) -> bool {
    is_secret_env_name(file_name(path))
}

/// The names of the variables `text` assigns a non-empty value, in order (`NAME=value`,
/// `export NAME=value`, `NAME: value`; comments and `NAME=`, `NAME=""` do not count).
pub fn names_with_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some(sep) = line.find(['=', ':']) else {
            continue;
        };
        let name = line[..sep].trim();
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !valid_name {
            continue;
        }
        let value = line[sep + 1..].trim();
        // An inline comment after an empty value is still empty.
        let value = if value.starts_with('#') { "" } else { value };
        let unquoted = value.trim_matches(|c| c == '"' || c == '\'').trim();
        if !unquoted.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_assigned_names_only() {
        let text = "# DEEPSEEK_API_KEY=sk-x\nDEEPSEEK_API_KEY=abc\nEMPTY=\nQUOTED=\"\"\n\
                    export DB_URL=postgres://x\nCOMMENTED= # none\nYAMLISH: value\nnot a line\n";
        assert_eq!(
            names_with_values(text),
            ["DEEPSEEK_API_KEY", "DB_URL", "YAMLISH"]
        );
        assert!(names_with_values("A=\nB=''\n# C=1\n").is_empty());
    }

    #[test]
    fn env_paths() {
        assert!(is_secret_env_path(".env"));
        assert!(is_secret_env_path("app/.env.production"));
        assert!(!is_secret_env_path("app/.env.example"));
        assert!(!is_secret_env_path("env.py"));
    }
}
