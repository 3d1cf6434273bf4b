//! Resource bounds: a pathological tree-sitter query cannot stall a run (the per-document
//! query budget, `lang::QUERY_TIME_LIMIT`, cuts it off with a warning), and per-finding work
//! does not grow with the size of the matched node.

use std::time::{Duration, Instant};

use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::{compile, Rule};
use dslint::settings::Settings;
use dslint::source::FileKind;

fn rule_with_query(query: &str) -> &'static Rule {
    let text = format!(
        "code = \"DS999\"\nname = \"x-rule\"\nseverity = \"error\"\nsummary = \"s\"\n\
         message = \"m {{a}}\"\nhelp = \"h\"\nkinds = [\"python\"]\n[queries]\npython = '''{query}'''\n"
    );
    Box::leak(Box::new(
        compile("DS999-x.toml", &text).expect("rule compiles"),
    ))
}

fn big_list(n: usize) -> String {
    let mut text = String::from("x = [");
    for i in 0..n {
        text.push_str(&format!("a{i}, "));
        if i % 20 == 0 {
            text.push('\n');
        }
    }
    text.push_str("]\n");
    text
}

#[test]
fn a_combinatorial_query_is_cut_off_with_a_warning() {
    // Every triple of sibling nodes: cubic in the width of the list.
    let rule = rule_with_query("((_) @a (_) @b (_) @c) @m");
    let engine = Engine::new(vec![rule], vec![Severity::Error], Settings::default());
    let text = big_list(3000);
    let started = Instant::now();
    let r = engine.lint_bytes("x.py", Some(FileKind::Python), text.as_bytes());
    let took = started.elapsed();
    assert!(
        took < dslint::lang::QUERY_TIME_LIMIT + Duration::from_secs(20),
        "took {took:?}"
    );
    if took > dslint::lang::QUERY_TIME_LIMIT {
        assert!(
            r.warnings.iter().any(|w| w.contains("ran out of time")),
            "{:?}",
            r.warnings
        );
    }
}

#[test]
fn matches_of_huge_nodes_stay_linear() {
    // Each match captures the whole list (30 KB): per-finding work must not copy or hash it
    // in full, or 3000 matches cost minutes.
    let rule = rule_with_query("(_ (_ (_ (_ (_) @a) @b) @c) @d) @m");
    let engine = Engine::new(vec![rule], vec![Severity::Error], Settings::default());
    let text = big_list(3000);
    let started = Instant::now();
    let r = engine.lint_bytes("x.py", Some(FileKind::Python), text.as_bytes());
    assert!(!r.findings.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}
