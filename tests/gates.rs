//! Text gates must never change results: every fixture file (bad, good, demo and fix trees) is
//! linted with the gates on and off, and the findings must be identical.

use std::path::Path;

mod common;

use dslint::checks::gate;
use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::FileKind;

/// `(code, line, column, message)` of every finding on `path`.
fn lint(engine: &Engine<'_>, path: &Path) -> Vec<(String, u32, u32, String)> {
    let bytes = std::fs::read(path).expect("fixture reads");
    let kind = FileKind::from_path(path);
    engine
        .lint_bytes(&path.display().to_string(), kind, &bytes)
        .findings
        .into_iter()
        .map(|f| (f.code.to_string(), f.start.line, f.start.column, f.message))
        .collect()
}

#[test]
fn gates_change_no_finding_on_any_fixture() {
    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let all = common::files_under(&root);
    assert!(
        all.len() > 300,
        "expected the whole fixture tree, got {}",
        all.len()
    );
    let mut findings = 0;
    for path in &all {
        gate::set_enabled(true);
        let gated = lint(&engine, path);
        gate::set_enabled(false);
        let ungated = lint(&engine, path);
        gate::set_enabled(true);
        assert_eq!(gated, ungated, "{}", path.display());
        findings += gated.len();
    }
    // The comparison means something only if the fixtures produce findings.
    assert!(findings > 200, "only {findings} findings over the fixtures");
}

/// Each match's whole-match and capture spans, in order.
type Spans = Vec<Vec<Option<(usize, usize)>>>;

/// Every match of `pattern` in `text`, by a whole-text search and by the anchored one.
fn matches_both_ways(pattern: &dslint::rules::Pattern, text: &str) -> (Spans, Spans) {
    let spans = |c: &regex::Captures<'_>| -> Vec<Option<(usize, usize)>> {
        c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
    };
    let whole: Vec<_> = pattern
        .regex
        .captures_iter(text)
        .map(|c| spans(&c))
        .collect();
    let mut anchored = Vec::new();
    pattern.for_each_match(text, &std::cell::OnceCell::new(), |c| {
        anchored.push(spans(&c))
    });
    (whole, anchored)
}

#[test]
fn anchored_pattern_search_finds_what_a_whole_text_search_finds() {
    let registry = Registry::builtin().expect("built-in rules load");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts: Vec<String> = common::files_under(&root)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    // Matches at the text's edges, on adjacent lines, in CRLF text, next to non-ASCII.
    texts.extend(
        [
            "Authorization",
            "\"Authorization\": \"Bearer Bearer sk-abc\"\r\nAUTHORIZATION: x\r\n",
            "x = open('k')\ny = Path('k')\nz=f.read_text()\nkey = p.readline()",
            "é\"authorization\"é\nkeyé api_key\n\nSK-SK-a apikey",
            "let mut key = std::fs::read_to_string(p);\nconst k = await fs.readFile(p)",
            "echo \"$DEEPSEEK_API_KEY\" | base64\n'Bearer:x' \"bearer  y\"",
        ]
        .map(String::from),
    );
    let mut anchored_patterns = 0;
    let mut compared = 0;
    for rule in &registry.rules {
        for pattern in rule.patterns.iter().filter(|p| p.anchors.is_some()) {
            anchored_patterns += 1;
            for text in &texts {
                let (whole, anchored) = matches_both_ways(pattern, text);
                assert_eq!(whole, anchored, "{} /{}/", rule.code, pattern.regex);
                compared += whole.len();
            }
        }
    }
    // The auth site regexes (facts::auth): the engine's anchors and the fact layer's own
    // anchored line search both find what a whole-text search finds.
    for (regex, anchors) in dslint::facts::auth::finders() {
        let pattern = dslint::rules::Pattern {
            regex: regex.clone(),
            kinds: u32::MAX,
            anchors: dslint::rules::anchor::Anchors::new(regex.as_str()),
        };
        if pattern.anchors.is_some() {
            anchored_patterns += 1;
        }
        for text in &texts {
            let (whole, anchored) = matches_both_ways(&pattern, text);
            assert_eq!(whole, anchored, "auth site /{regex}/");
            let mut facts = Vec::new();
            let lower = text.to_ascii_lowercase();
            dslint::facts::auth::anchored_matches(regex, text, &lower, anchors, |c| {
                facts.push(
                    c.iter()
                        .map(|m| m.map(|m| (m.start(), m.end())))
                        .collect::<Vec<_>>(),
                )
            });
            assert_eq!(whole, facts, "auth site /{regex}/ (fact layer)");
            compared += whole.len();
        }
    }
    assert!(
        anchored_patterns >= 8,
        "only {anchored_patterns} anchored patterns"
    );
    assert!(compared > 100, "only {compared} matches compared");
}
