//! How a URL literal is used, as far as the text of its document shows: the name it is
//! assigned to, and whether that name is joined with a path (so the URL is a base URL) —
//! DS202 judges a URL as a base URL only then, or where it reaches an SDK's base-URL setting.

use std::sync::LazyLock;

use regex::Regex;

/// The name a URL literal is assigned to, from the text before it on its line:
/// `BASE_URL = `, `base_url: `, `"baseUrl": `, `const apiBase = `, `self.base_url = `.
pub fn assigned_name(before: &str) -> Option<&str> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"([A-Za-z_$][\w$]*)["']?\s*(?::\s*[\w<>&' ]*)?\s*(?:=|:)[^=:]*$"#)
            .expect("valid regex")
    });
    NAME.captures(before)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// True when `name` is used somewhere in `text` (outside `skip`, the definition) joined with
/// a path: `f"{name}/chat"`, `name + "/chat"`, `` `${name}/chat` ``, `name.join("chat")`,
/// `urljoin(name, …)`, or Rust's `format!("{}/chat", …name…)` on one line.
pub fn joined_with_path(text: &str, name: &str, skip: std::ops::Range<usize>) -> bool {
    if name.len() < 2 {
        return false;
    }
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let at = from + i;
        let end = at + name.len();
        from = end;
        if skip.contains(&at)
            || (at > 0 && is_word(bytes[at - 1]))
            || bytes.get(end).is_some_and(|b| is_word(*b))
        {
            continue;
        }
        let after = text[end..].trim_start_matches(|c: char| {
            matches!(c, '}' | ')' | ' ' | '\t' | '+' | '"' | '\'' | '`')
        });
        if after.starts_with('/') || after.starts_with(".join(") {
            return true;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
        let line = &text[line_start..line_end];
        let before = text[line_start..at].trim_end();
        if before.ends_with("urljoin(") || (line.contains("format!(") && line.contains("{}/")) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_assigned_name() {
        assert_eq!(assigned_name("BASE_URL = "), Some("BASE_URL"));
        assert_eq!(assigned_name("    base_url: "), Some("base_url"));
        assert_eq!(assigned_name("  \"baseUrl\": "), Some("baseUrl"));
        assert_eq!(assigned_name("const apiBase = "), Some("apiBase"));
        assert_eq!(assigned_name("API_URL: str = "), Some("API_URL"));
        assert_eq!(assigned_name("requests.post("), None);
    }

    #[test]
    fn joins_are_seen() {
        let def = 0..40;
        let pad = " ".repeat(40);
        for used in [
            "u = f\"{BASE}/chat/completions\"",
            "u = BASE + \"/chat/completions\"",
            "u = `${BASE}/chat/completions`",
            "u = urljoin(BASE, \"chat/completions\")",
            "let u = format!(\"{}/chat/completions\", self.BASE);",
        ] {
            let text = format!("{pad}\n{used}\n");
            assert!(joined_with_path(&text, "BASE", def.clone()), "{used}");
        }
        for used in [
            "requests.post(BASE, json=body)",
            "client.post(&self.BASE).send()",
            "u = BASE_URL + \"/x\"",
        ] {
            let text = format!("{pad}\n{used}\n");
            assert!(!joined_with_path(&text, "BASE", def.clone()), "{used}");
        }
    }
}
