//! libFuzzer target: `Engine::lint_bytes` over arbitrary bytes, as every file kind. The first
//! byte picks the kind; the rest is the file. A panic, or a finding text that looks like a
//! full key, is a crash.
#![no_main]

use std::sync::LazyLock;

use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::FileKind;
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Engine<'static>> = LazyLock::new(|| {
    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    Engine::new(rules, severities, Settings::default())
});

static KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"sk-(proj-|ant-[a-z0-9]+-|or-v1-)?[A-Za-z0-9_-]{20,}").expect("regex")
});

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kinds = FileKind::ALL;
    let kind = kinds.get(selector as usize % (kinds.len() + 1)).copied();
    let result = ENGINE.lint_bytes("fuzz", kind, bytes);
    for f in &result.findings {
        for text in [&f.message, &f.help, &f.snippet] {
            assert!(!KEY.is_match(text), "{} prints a full key", f.code);
        }
    }
});
