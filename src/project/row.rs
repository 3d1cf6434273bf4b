//! One project fact ([`ProjectRow`]): the file it is reported in, what its fingerprint
//! hashes, the fixes it offers and its fields. Every project kind's producer builds these;
//! [`super::kinds`] lists the producers.

use std::sync::Arc;

use crate::diagnostic::Fix;
use crate::facts::view::Row;

/// One project fact: the file it is in, its fingerprint and the fixes it offers.
pub struct ProjectRow {
    /// Path as reported.
    pub display: String,
    /// The file's text (positions and snippet); empty when the file was not read.
    pub text: Arc<String>,
    /// Content hashed into the fingerprint.
    pub fingerprint: Option<String>,
    /// Fixes by name (a rule's `[edit] named = "…"` picks one).
    pub fixes: Vec<(&'static str, Fix)>,
    /// The fields and span.
    pub row: Row,
}
