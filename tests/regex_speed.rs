//! Regexes that run over whole files must stay on the regex crate's DFA engines.
//!
//! A Unicode word boundary (`\b`, `\B` with Unicode on, the default) cannot be decided by the
//! lazy DFA once the text holds a non-ASCII byte: the search then falls back to the PikeVM,
//! 10–100× slower. On a 4 MiB tokenizer JSON that was seconds per file. Write `(?-u:\b)`
//! (an ASCII word boundary): identifiers and keywords are ASCII anyway.

use regex_syntax::hir::{Hir, HirKind, Look};

/// Every look-around assertion in `hir` (explicit stack: no recursion).
fn unicode_word_boundaries(hir: &Hir) -> Vec<Look> {
    let mut found = Vec::new();
    let mut stack = vec![hir];
    while let Some(h) = stack.pop() {
        match h.kind() {
            HirKind::Look(look) => {
                if matches!(
                    look,
                    Look::WordUnicode
                        | Look::WordUnicodeNegate
                        | Look::WordStartUnicode
                        | Look::WordEndUnicode
                        | Look::WordStartHalfUnicode
                        | Look::WordEndHalfUnicode
                ) {
                    found.push(*look);
                }
            }
            HirKind::Repetition(r) => stack.push(&r.sub),
            HirKind::Capture(c) => stack.push(&c.sub),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => stack.extend(hs.iter()),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => {}
        }
    }
    found
}

#[test]
fn rule_patterns_use_ascii_word_boundaries() {
    let registry = dslint::rules::Registry::builtin().expect("rules load");
    let mut bad = Vec::new();
    for rule in &registry.rules {
        for (i, p) in rule.patterns.iter().enumerate() {
            let hir = regex_syntax::Parser::new()
                .parse(p.regex.as_str())
                .expect("compiled patterns parse");
            let looks = unicode_word_boundaries(&hir);
            if !looks.is_empty() {
                bad.push(format!("{} pattern[{i}]: {looks:?}", rule.file));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "write (?-u:\\b) instead of \\b in rule patterns:\n{}",
        bad.join("\n")
    );
}

#[test]
fn source_regexes_use_ascii_word_boundaries() {
    let mut bad = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                let unwrapped = line.replace(r"(?-u:\b)", "").replace(r"(?-u:\B)", "");
                if unwrapped.contains(r"\b") || unwrapped.contains(r"\B") {
                    bad.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "write (?-u:\\b) instead of \\b in regexes:\n{}",
        bad.join("\n")
    );
}
