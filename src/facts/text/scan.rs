//! Helpers every text-format scanner shares: string values with their span, lines with
//! their offsets, and unquoting.

use std::ops::Range;

use crate::facts::{Value, ValueKind};

pub(super) fn str_value(s: &str, span: Range<usize>) -> Value {
    Value {
        kind: ValueKind::Str(s.to_string()),
        span: span.clone(),
        use_span: span,
    }
}

pub(super) fn unquote(s: &str) -> &str {
    let t = s.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return &t[1..t.len() - 1];
        }
    }
    t
}

/// Lines with their start offsets.
pub(super) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, l.trim_end_matches(['\n', '\r']))
    })
}
