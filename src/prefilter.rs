//! The literal prefilter: one Aho-Corasick automaton over every rule's literals decides, from
//! a file's bytes alone, which rules can possibly match it. Files with no hit are never
//! decoded or parsed.
//!
//! A rule lists `prefilter` literals (any one must occur) and, optionally, `prefilter_also`
//! literals (any one of these must occur too): `authorization` AND one of `deepseek`,
//! `openai`, `sk-` keeps header rules off the countless files that send other APIs' headers.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::rules::Rule;

/// A set of rules, by index in the enabled rule list (at most 128 rules).
pub type RuleSet = u128;

/// The compiled prefilter.
#[derive(Debug)]
pub struct Prefilter {
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
        let automaton = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .expect("literal automaton builds")
        });
        Prefilter {
            automaton,
            owners,
            owners_also,
            no_literals,
            no_also,
            all,
        }
    }

    /// The rules that may match `bytes`.
    pub fn candidates(&self, bytes: &[u8]) -> RuleSet {
        let mut hit = self.no_literals;
        let mut hit_also = self.no_also;
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(bytes) {
                let j = m.pattern().as_usize();
                hit |= self.owners[j];
                hit_also |= self.owners_also[j];
                if hit == self.all && hit_also == self.all {
                    break;
                }
            }
        }
        hit & hit_also
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
}
