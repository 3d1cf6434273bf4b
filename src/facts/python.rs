//! Fact extraction for this language (see [`super::Facts`]).

use super::Facts;
use crate::settings::Settings;

/// Extracts the facts of a parsed document.
pub fn extract(_tree: &tree_sitter::Tree, _text: &str, _settings: &Settings) -> Facts {
    Facts::default()
}
