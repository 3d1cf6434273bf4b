//! The literal prefilter: one Aho-Corasick automaton over every rule's literals decides, from
//! a file's bytes alone, which rules can possibly match it. Files with no hit are never
//! decoded or parsed.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::rules::Rule;

/// A set of rules, by index in the enabled rule list (at most 128 rules).
pub type RuleSet = u128;

/// The compiled prefilter.
#[derive(Debug)]
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// For each literal, the rules that declared it.
    owners: Vec<RuleSet>,
    /// Rules with no literal: they always run.
    always: RuleSet,
    /// Every rule that has literals.
    with_literals: RuleSet,
}

impl Prefilter {
    /// Builds the automaton from the enabled rules (at most 128).
    pub fn new(rules: &[&Rule]) -> Prefilter {
        assert!(rules.len() <= 128, "at most 128 rules");
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<RuleSet> = Vec::new();
        let mut always = 0;
        let mut with_literals = 0;
        for (i, rule) in rules.iter().enumerate() {
            if rule.prefilter.is_empty() {
                always |= 1 << i;
                continue;
            }
            with_literals |= 1 << i;
            for lit in &rule.prefilter {
                let lit = lit.to_ascii_lowercase();
                match literals.iter().position(|l| *l == lit) {
                    Some(j) => owners[j] |= 1 << i,
                    None => {
                        literals.push(lit);
                        owners.push(1 << i);
                    }
                }
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
            always,
            with_literals,
        }
    }

    /// The rules that may match `bytes`.
    pub fn candidates(&self, bytes: &[u8]) -> RuleSet {
        let mut set = self.always;
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(bytes) {
                set |= self.owners[m.pattern().as_usize()];
                if set & self.with_literals == self.with_literals {
                    break;
                }
            }
        }
        set
    }
}
