//! Which files are secret-bearing dotenv files (`.env`, `.env.local`, `.env.production`…) as
//! opposed to committed templates (`.env.example`, `.env.sample`…).

use std::ops::Range;

/// Name parts that mark a dotenv file as a template meant to be committed.
const TEMPLATE_PARTS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "template",
    "templates",
    "tmpl",
    "tpl",
    "dist",
    "defaults",
    "default",
    "schema",
    "vault",
    "keep",
];

/// True for a dotenv file that holds real values and must not be committed: `.env`, or
/// `.env.<suffix>` where no dot-separated part of the suffix names a template.
pub fn is_secret_env_name(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    if lower == ".env" {
        return true;
    }
    let Some(suffix) = lower.strip_prefix(".env.") else {
        return false;
    };
    !suffix.is_empty()
        && !suffix
            .split(['.', '-', '_'])
            .any(|p| TEMPLATE_PARTS.contains(&p))
}

/// True when every assignment in a dotenv text has an empty value (`KEY=`, `KEY=""`,
/// `export KEY=`), comments and blank lines aside: a template, not a file of secrets.
pub fn all_values_empty(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return true;
        }
        let Some((_, value)) = line.split_once('=') else {
            return true;
        };
        let value = value.split(" #").next().unwrap_or(value).trim();
        matches!(value, "" | "\"\"" | "''")
    })
}

/// The file name of a `/`-separated relative path.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The span a file-level finding points at: the first line, without its terminator.
pub fn first_line(text: &str) -> Range<usize> {
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    0..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_names() {
        for yes in [
            ".env",
            ".env.local",
            ".env.production",
            ".env.development.local",
            ".ENV",
        ] {
            assert!(is_secret_env_name(yes), "{yes}");
        }
        for no in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".env.defaults",
            ".env.example.local",
            ".env.vault",
            ".envrc",
            "env",
            "prod.env",
            ".env.",
            ".flaskenv",
        ] {
            assert!(!is_secret_env_name(no), "{no}");
        }
    }

    #[test]
    fn empty_templates() {
        assert!(all_values_empty(
            "# keys\nDEEPSEEK_API_KEY=\nexport B=\"\"\nC='' # later\n\n"
        ));
        assert!(!all_values_empty(
            "DEEPSEEK_API_KEY=\nDEEPSEEK_BASE_URL=https://api.deepseek.com\n"
        ));
        assert!(!all_values_empty("A=0\n"));
    }

    #[test]
    fn first_line_span() {
        assert_eq!(first_line("A=1\nB=2\n"), 0..3);
        assert_eq!(first_line("A=1\r\n"), 0..3);
        assert_eq!(first_line(""), 0..0);
        assert_eq!(file_name("a/b/.env"), ".env");
    }
}
