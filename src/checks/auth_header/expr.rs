//! Tests on the text of the expressions inside a header or key value: whether one names a
//! key, and whether one reads a file without stripping what it read.

use std::sync::LazyLock;

use regex::Regex;

/// True when a hole's expression names a key (`api_key`, `DEEPSEEK_API_KEY`, `apiKey`).
pub(super) fn names_key(expr: &str) -> bool {
    static PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u:\b)\w+::").expect("valid regex"));
    let l = PATH.replace_all(expr, "").to_ascii_lowercase();
    (l.contains("key") || l.contains("deepseek"))
        && !["header", "auth", "bearer", "token", "keys", "monkey"]
            .iter()
            .any(|w| l.contains(w))
}

/// True when an expression reads a file and does not strip what it read.
pub(super) fn unstripped_file_read(expr: &str) -> bool {
    static READ: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\.read\(\)|\.readline\(\)|\.read_text\(|readFileSync\(|readFile\(|read_to_string\(",
        )
        .expect("valid regex")
    });
    READ.is_match(expr) && !expr.contains("strip(") && !expr.contains("trim(")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_key_ignores_paths_and_header_words() {
        assert!(names_key(
            "reqwest::header::HeaderValue::from_str(&api_key)"
        ));
        assert!(names_key("os.environ[\"DEEPSEEK_API_KEY\"]"));
        assert!(!names_key("auth_header"));
        assert!(!names_key("token"));
    }
}
