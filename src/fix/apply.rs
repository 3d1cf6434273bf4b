//! Applying one file's fixes: choosing non-conflicting candidates in file order, applying
//! their edits, and dropping those whose result would not parse.

use std::collections::BTreeSet;

use super::syntax::syntax_errors;
use super::Candidate;
use crate::diagnostic::Edit;
use crate::redact::redact_text;
use crate::source::FileKind;

/// Applies non-conflicting edits to `text` (edits are sorted here; insertions at the same
/// offset keep their given order).
pub fn apply_edits(text: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = Vec::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in sorted {
        let start = e.start.clamp(at, text.len());
        out.extend_from_slice(&text[at..start]);
        out.extend_from_slice(e.content.as_bytes());
        at = e.end.clamp(start, text.len());
    }
    out.extend_from_slice(&text[at..]);
    out
}

/// True when a fix's edits fit in `text`, sit on character boundaries and do not overlap
/// each other.
fn edits_valid(text: &[u8], edits: &[Edit]) -> bool {
    let as_str = std::str::from_utf8(text).ok();
    let in_bounds = edits.iter().all(|e| {
        e.start <= e.end
            && e.end <= text.len()
            && as_str.is_none_or(|s| s.is_char_boundary(e.start) && s.is_char_boundary(e.end))
    });
    in_bounds
        && edits
            .iter()
            .enumerate()
            .all(|(i, a)| edits[i + 1..].iter().all(|b| !a.conflicts_with(b)))
}

/// Chooses and applies the candidates of one file; returns the new text and the fixes
/// applied.
pub(super) fn apply_candidates(
    path: &str,
    text: &[u8],
    kind: Option<FileKind>,
    mut cands: Vec<Candidate>,
    notes: &mut BTreeSet<String>,
) -> (Vec<u8>, Vec<Candidate>) {
    cands.sort_by(|a, b| {
        let key = |c: &Candidate| c.edits.iter().map(|e| e.start).min().unwrap_or(0);
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.title.cmp(&b.title))
    });
    let mut taken: Vec<Candidate> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    for c in cands {
        if !edits_valid(text, &c.edits) {
            continue;
        }
        if let Some(c) = take(&edits, c) {
            edits.extend(c.edits.iter().cloned());
            taken.push(c);
        }
    }
    if taken.is_empty() {
        return (text.to_vec(), taken);
    }
    let fixed = apply_edits(text, &edits);
    let Some(before) = kind.and_then(|k| syntax_errors(k, text)) else {
        return (fixed, taken);
    };
    let parses = |t: &[u8]| {
        kind.and_then(|k| syntax_errors(k, t))
            .is_some_and(|n| n <= before)
    };
    if parses(&fixed) {
        return (fixed, taken);
    }
    // Some fix breaks the syntax: add them one at a time and keep those that parse.
    let mut kept = Vec::new();
    edits.clear();
    for c in taken {
        let Some(c) = take(&edits, c) else { continue };
        let mut trial = edits.clone();
        trial.extend(c.edits.iter().cloned());
        if parses(&apply_edits(text, &trial)) {
            edits = trial;
            kept.push(c);
        } else {
            notes.insert(format!(
                "{path}: fix for {} not applied (\"{}\"): the result would not parse",
                c.code,
                redact_text(&c.title)
            ));
        }
    }
    (apply_edits(text, &edits), kept)
}

/// Returns the candidate without the edits already taken, or `None` when one of its edits
/// conflicts with a taken edit.
fn take(taken: &[Edit], mut c: Candidate) -> Option<Candidate> {
    c.edits.retain(|e| !taken.contains(e));
    let clash = c
        .edits
        .iter()
        .any(|e| taken.iter().any(|t| t.conflicts_with(e)));
    (!clash).then_some(c)
}
