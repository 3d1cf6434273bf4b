//! Name heuristics shared by the language extractors.

/// Case-insensitive `contains("deepseek")` without allocating.
pub fn contains_deepseek(s: &str) -> bool {
    s.as_bytes()
        .windows(8)
        .any(|w| w.eq_ignore_ascii_case(b"deepseek"))
}

/// A string that names a DeepSeek setting (`"DEEPSEEK_API_KEY"`, `"deepseekApiKey"`), not a
/// display label (`"DeepSeek"`), a model ID (`"deepseek-chat"`) or a URL.
pub fn names_setting(s: &str) -> bool {
    s.len() > 8 && contains_deepseek(s) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_identifier_like_names_with_deepseek() {
        assert!(contains_deepseek("my_DeepSeek_key"));
        assert!(!contains_deepseek("deepsee"));
        assert!(names_setting("DEEPSEEK_API_KEY"));
        assert!(names_setting("deepseekApiKey"));
        assert!(!names_setting("DeepSeek"));
        assert!(!names_setting("deepseek-chat"));
        assert!(!names_setting("https://api.deepseek.com"));
    }
}
