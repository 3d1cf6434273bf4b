//! One fact of any kind, read by field name: what named fixes and message arguments see.
//! It sits below every kind's producer ([`super::kinds`] lists them), so producers and the
//! registry do not import each other.

use crate::facts::view::{Kind, Row, Val};

/// One fact read by field name (for named fixes and message arguments).
pub struct Fact<'a> {
    /// Its kind.
    pub kind: &'static Kind,
    /// The fact.
    pub row: &'a Row,
}

impl Fact<'_> {
    /// The value of field `name` (null when the kind has no such field).
    pub fn get(&self, name: &str) -> &Val {
        self.kind
            .field(name)
            .and_then(|i| self.row.values.get(i))
            .unwrap_or(&Val::Null)
    }

    /// The string value of field `name`, if it is one.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name).as_str()
    }
}
