//! The literal prefilter: one Aho-Corasick automaton over every rule's literals decides, from
//! a file's bytes alone, which rules can possibly match it. Files with no hit are never
//! decoded or parsed.
//!
//! A rule lists `prefilter` literals (any one must occur) and, optionally, `prefilter_also`
//! literals (any one of these must occur too): `authorization` AND one of `deepseek`,
//! `openai`, `sk-` keeps header rules off the countless files that send other APIs' headers.
//!
//! Matching is ASCII case-insensitive, but the search is case-sensitive over lowercase
//! literals and runs on a lowercased copy of each chunk of the file, with aho-corasick's SIMD
//! "packed" (Teddy) searcher where the CPU has it: aho-corasick turns SIMD search off for
//! case-insensitive automata, and lowercasing a cache-sized chunk costs far less than the
//! scalar search it avoids. The packed searcher reports one literal per start position, so a
//! literal also counts for every literal it contains (`sk-sk-` counts for `sk-`).

use std::cell::RefCell;

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, Span};

/// Bytes lowercased and searched at a time: small enough to stay in the CPU cache.
const CHUNK: usize = 64 * 1024;

thread_local! {
    /// The lowercased chunk, reused by every file this thread checks.
    static LOWER: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(CHUNK + 256));
}

use crate::rules::Rule;

/// A set of rules, by index in the enabled rule list (at most 128 rules).
pub type RuleSet = u128;

/// The compiled prefilter.
#[derive(Debug)]
pub struct Prefilter {
    /// The SIMD searcher, when this CPU and the literals allow one.
    packed: Option<packed::Searcher>,
    /// The automaton otherwise.
    automaton: Option<AhoCorasick>,
    /// For each literal, the rules that list it in `prefilter`.
    owners: Vec<RuleSet>,
    /// For each literal, the rules that list it in `prefilter_also`.
    owners_also: Vec<RuleSet>,
    /// Rules with no `prefilter` literal.
    no_literals: RuleSet,
    /// Rules with no `prefilter_also` literal.
    no_also: RuleSet,
    /// Every rule.
    all: RuleSet,
    /// The longest literal's length: consecutive chunks overlap by one byte less.
    max_len: usize,
}

impl Prefilter {
    /// Builds the automaton from the enabled rules (at most 128).
    pub fn new(rules: &[&Rule]) -> Prefilter {
        assert!(rules.len() <= 128, "at most 128 rules");
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<RuleSet> = Vec::new();
        let mut owners_also: Vec<RuleSet> = Vec::new();
        let mut no_literals = 0;
        let mut no_also = 0;
        let mut all = 0;
        let mut add = |lit: &str, bit: RuleSet, also: bool| {
            let lit = lit.to_ascii_lowercase();
            let j = match literals.iter().position(|l| *l == lit) {
                Some(j) => j,
                None => {
                    literals.push(lit);
                    owners.push(0);
                    owners_also.push(0);
                    literals.len() - 1
                }
            };
            if also {
                owners_also[j] |= bit;
            } else {
                owners[j] |= bit;
            }
        };
        for (i, rule) in rules.iter().enumerate() {
            let bit: RuleSet = 1 << i;
            all |= bit;
            if rule.prefilter.is_empty() {
                no_literals |= bit;
            }
            if rule.prefilter_also.is_empty() {
                no_also |= bit;
            }
            for lit in &rule.prefilter {
                add(lit, bit, false);
            }
            for lit in &rule.prefilter_also {
                add(lit, bit, true);
            }
        }
        let max_len = literals.iter().map(String::len).max().unwrap_or(0);
        // A literal's hit implies a hit of every literal inside it.
        let (owners, owners_also): (Vec<RuleSet>, Vec<RuleSet>) = literals
            .iter()
            .map(|outer| {
                literals
                    .iter()
                    .enumerate()
                    .filter(|(_, inner)| outer.contains(inner.as_str()))
                    .fold((0, 0), |(o, a), (j, _)| (o | owners[j], a | owners_also[j]))
            })
            .unzip();
        let packed = (!literals.is_empty())
            .then(|| {
                packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostLongest)
                    .builder()
                    .extend(&literals)
                    .build()
            })
            .flatten();
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("literal automaton builds")
        });
        Prefilter {
            packed,
            automaton,
            owners,
            owners_also,
            no_literals,
            no_also,
            all,
            max_len,
        }
    }

    /// The rules that may match `bytes` (ASCII case-insensitively).
    pub fn candidates(&self, bytes: &[u8]) -> RuleSet {
        let mut hit = self.no_literals;
        let mut hit_also = self.no_also;
        if self.automaton.is_none() {
            return hit & hit_also;
        }
        let overlap = self.max_len.saturating_sub(1);
        LOWER.with(|lower| {
            let mut lower = lower.borrow_mut();
            let mut start = 0;
            while start < bytes.len() {
                let end = bytes.len().min(start + CHUNK);
                // Re-read the tail of the previous chunk so that no literal is cut in two.
                let from = if start == 0 {
                    0
                } else {
                    start - overlap.min(start)
                };
                lower.clear();
                lower.extend(bytes[from..end].iter().map(u8::to_ascii_lowercase));
                self.each_literal(&lower, |j| {
                    hit |= self.owners[j];
                    hit_also |= self.owners_also[j];
                });
                if hit == self.all && hit_also == self.all {
                    break;
                }
                start = end;
            }
        });
        hit & hit_also
    }

    /// Calls `found` with the index of a literal at each position of `hay` where one starts
    /// (the longest there, with the packed searcher; every one, with the automaton).
    fn each_literal(&self, hay: &[u8], mut found: impl FnMut(usize)) {
        if let Some(p) = &self.packed {
            let mut at = 0;
            while let Some(m) = p.find_in(hay, Span::from(at..hay.len())) {
                found(m.pattern().as_usize());
                at = m.start() + 1;
            }
        } else if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(hay) {
                found(m.pattern().as_usize());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::compile;

    #[test]
    fn both_literal_groups_must_hit() {
        let base = "code = \"DS998\"\nname = \"x\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = \"m\"\nhelp = \"h\"\nkinds = [\"*\"]\n[[pattern]]\nregex = 'x'\n";
        let a = compile(
            "DS998-x.toml",
            &format!("prefilter = [\"authorization\"]\nprefilter_also = [\"deepseek\", \"openai\"]\n{base}"),
        )
        .unwrap();
        let b = compile(
            "DS997-y.toml",
            &format!(
                "prefilter = [\"sk-\"]\n{}",
                base.replace("DS998", "DS997").replace("\"x\"", "\"y\"")
            ),
        )
        .unwrap();
        let p = Prefilter::new(&[&a, &b]);
        assert_eq!(p.candidates(b"Authorization: token x"), 0);
        assert_eq!(
            p.candidates(b"Authorization: Bearer; api.DeepSeek.com"),
            0b01
        );
        assert_eq!(p.candidates(b"sk-abc openai"), 0b10);
        assert_eq!(p.candidates(b"sk-abc authorization openai"), 0b11);
    }

    #[test]
    fn a_literal_counts_for_the_literals_inside_it() {
        let rule = |code: &str, lits: &str| {
            compile(
                &format!("{code}-x.toml"),
                &format!("code = \"{code}\"\nname = \"rule-{}\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = \"m\"\nhelp = \"h\"\nkinds = [\"*\"]\nprefilter = [{lits}]\n[[pattern]]\nregex = 'x'\n", code.to_lowercase()),
            )
            .unwrap()
        };
        let (a, b, c, d) = (
            rule("DS991", "\"sk-\""),
            rule("DS992", "\"sk-sk-\""),
            rule("DS993", "\"api_base\""),
            rule("DS994", "\"base_url\""),
        );
        let p = Prefilter::new(&[&a, &b, &c, &d]);
        // The packed searcher reports only the longest literal at a position.
        assert_eq!(p.candidates(b"x = 'sk-sk-abc'"), 0b0011);
        // Overlapping literals that start at different positions are both found.
        assert_eq!(p.candidates(b"API_BASE_URL = u"), 0b1100);
    }

    #[test]
    fn literals_across_chunk_boundaries_and_in_any_case_are_found() {
        let rule = compile(
            "DS998-x.toml",
            "code = \"DS998\"\nname = \"x\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = \"m\"\nhelp = \"h\"\nkinds = [\"*\"]\nprefilter = [\"DeepSeek\"]\n[[pattern]]\nregex = 'x'\n",
        )
        .unwrap();
        let p = Prefilter::new(&[&rule]);
        for at in [0, CHUNK - 8, CHUNK - 4, CHUNK - 1, CHUNK, 3 * CHUNK - 3] {
            let mut bytes = vec![b'x'; 4 * CHUNK];
            bytes[at..at + 8].copy_from_slice(b"dEePsEeK");
            assert_eq!(p.candidates(&bytes), 1, "literal at {at}");
        }
        assert_eq!(p.candidates(&vec![b'x'; 3 * CHUNK]), 0);
        assert_eq!(p.candidates(b"deepsee"), 0);
    }
}
