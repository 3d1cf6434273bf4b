//! Settings rules read at run time: the model catalogue and configured allowlists.

use regex::Regex;

use crate::catalogue::Catalogue;

/// What checks may consult besides the document.
#[derive(Debug)]
pub struct Settings {
    /// The model and endpoint catalogue (built-in plus configuration).
    pub catalogue: Catalogue,
    /// Secret values matching one of these are treated as placeholders.
    pub secret_allowlist: Vec<Regex>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            catalogue: Catalogue::builtin(),
            secret_allowlist: Vec::new(),
        }
    }
}

impl Settings {
    /// True when a secret-looking value is allowlisted by configuration.
    pub fn is_allowlisted_secret(&self, value: &str) -> bool {
        self.secret_allowlist.iter().any(|r| r.is_match(value))
    }
}
