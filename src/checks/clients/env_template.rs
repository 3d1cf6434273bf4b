//! DS602's template case: code whose only dotenv source is a committed template
//! (`load_dotenv(".env.example")`, `dotenv.config({ path: ".env.example" })`,
//! `dotenvy::from_filename(".env.example")`). A template holds empty values or placeholders,
//! so a key read after loading it is empty (or fake) wherever no real environment sets it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Name parts that mark a dotenv file as a committed template.
const TEMPLATE_PARTS: &[&str] = &["example", "sample", "template", "tmpl", "tpl", "dist"];

/// True for a template file name: `.env.example`, `.env.sample`, `example.env`,
/// `env.template`… (the last path segment of `path`).
fn is_template_name(path: &str) -> bool {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let parts: Vec<&str> = name
        .split(['.', '-', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    parts.contains(&"env") && parts.iter().any(|p| TEMPLATE_PARTS.contains(p))
}

/// A dotenv load: Python `load_dotenv(…)` / `dotenv_values(…)`, JS `dotenv.config(…)` /
/// `require("dotenv").config(…)`, Rust `dotenvy::from_filename(…)` / `from_path(…)` /
/// `dotenv()`, up to its opening parenthesis.
static LOAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:(?-u:\b)load_dotenv|(?-u:\b)dotenv_values|(?-u:\b)dotenv\s*\.\s*config|require\(\s*['"]dotenv['"]\s*\)\s*\.\s*config|(?-u:\b)dotenvy?::(?:dotenv|from_filename|from_path|from_filename_override|from_path_override)|(?-u:\b)dotenv\s*\(\s*\))\s*\("#,
    )
    .expect("valid regex")
});

/// `import "dotenv/config"` / `require("dotenv/config")`: loads `.env`.
static BARE_IMPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"]dotenv/config['"]"#).expect("valid regex"));

/// The first string literal in `args` (a call's text after its `(`, up to 300 bytes): its
/// content and its range relative to `args`.
fn first_literal(args: &str) -> Option<(&str, Range<usize>)> {
    let mut depth = 0usize;
    for (i, c) in args.char_indices().take(300) {
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' if depth == 0 => return None,
            ')' | '}' | ']' => depth -= 1,
            '"' | '\'' | '`' => {
                let body = &args[i + 1..];
                let end = body.find([c, '\n'])?;
                return Some((&body[..end], i + 1..i + 1 + end));
            }
            _ => {}
        }
    }
    None
}

/// When every dotenv load in `text` names a template file (and there is at least one): the
/// range of the first template's path literal and the path. A bare load (`load_dotenv()`,
/// `import "dotenv/config"`) or a load of any other file is a real source: `None`.
pub fn template_only_source(text: &str) -> Option<(Range<usize>, String)> {
    if !text.contains("dotenv") || BARE_IMPORT.is_match(text) {
        return None;
    }
    let mut found = None;
    for m in LOAD.find_iter(text) {
        let args = &text[m.end()..];
        // A load without a literal path (`load_dotenv()`) reads `.env`: a real source.
        let (path, r) = first_literal(args)?;
        if !is_template_name(path) {
            return None;
        }
        if found.is_none() {
            found = Some((m.end() + r.start..m.end() + r.end, path.to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names() {
        for n in [
            ".env.example",
            "config/.env.sample",
            "example.env",
            ".env.template",
            "env.example",
        ] {
            assert!(is_template_name(n), "{n}");
        }
        for n in [".env", ".env.local", "settings.example", "example.json"] {
            assert!(!is_template_name(n), "{n}");
        }
    }

    #[test]
    fn only_template_loads_count() {
        let py = "from dotenv import load_dotenv\nload_dotenv(\".env.example\")\n";
        let (r, p) = template_only_source(py).expect("template source");
        assert_eq!((&py[r], p.as_str()), (".env.example", ".env.example"));
        let js = "require('dotenv').config({ path: '.env.example' });";
        assert!(template_only_source(js).is_some());
        let rs = "dotenvy::from_filename(\".env.example\").ok();";
        assert!(template_only_source(rs).is_some());
        // Another source next to the template.
        assert!(template_only_source("load_dotenv()\nload_dotenv('.env.example')").is_none());
        assert!(template_only_source("load_dotenv('.env')\nload_dotenv('.env.example')").is_none());
        assert!(template_only_source(
            "import 'dotenv/config';\ndotenv.config({ path: '.env.example' })"
        )
        .is_none());
        assert!(template_only_source("load_dotenv(find_dotenv())").is_none());
        assert!(template_only_source("x = 1").is_none());
    }
}
