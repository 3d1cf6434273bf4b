//! Fact extraction for text formats (env, YAML, JSON, TOML, INI, shell, Dockerfile).

use super::Facts;
use crate::settings::Settings;
use crate::source::Document;

/// Extracts model sites, URLs and HTTP requests (`curl`) from a text document.
pub fn extract(_doc: &Document, _settings: &Settings) -> Facts {
    Facts::default()
}
