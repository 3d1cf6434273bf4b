//! The auth-header rules and the text-format facts never panic, whatever the input: random
//! mixtures of the tokens they look for, in every file kind.

use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::{Document, FileKind};

const TOKENS: &[&str] = &[
    "Authorization",
    "authorization",
    "AUTHORIZATION",
    ": ",
    ":",
    "=",
    ",",
    "\"",
    "'",
    "`",
    "\\",
    "\\\"",
    "{",
    "}",
    "${",
    "$",
    "(",
    ")",
    "[",
    "]",
    "f\"",
    "r#\"",
    "format!(",
    "Bearer",
    "Bearer ",
    "Bearer  ",
    "Bearer:",
    "bearer_auth(",
    "api_key",
    "apiKey",
    "DEEPSEEK_API_KEY",
    "sk-",
    "sk-sk-",
    "+",
    "%",
    "%s",
    ".format(",
    "\n",
    "\r\n",
    " ",
    "\t",
    "curl ",
    "-H ",
    "-d ",
    "'{\"model\": \"",
    "deepseek-chat",
    "https://api.deepseek.com",
    "/chat/completions",
    "open(",
    ").read()",
    "readFileSync(",
    "echo ",
    "| base64",
    "é",
    "😀",
    "x-api-key",
    "HeaderValue::from_str(&",
    "<key>",
    "|",
    "#",
    "//",
    "export ",
    "- ",
];

#[test]
fn random_token_soup_never_panics() {
    let registry = Registry::builtin().expect("rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let settings = Settings::default();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let files = [
        "a.py",
        "a.js",
        "a.ts",
        "a.tsx",
        "a.rs",
        ".env",
        "a.yaml",
        "a.json",
        "a.toml",
        "a.ini",
        "a.sh",
        "Dockerfile",
        "a.md",
        "a.ipynb",
    ];
    for round in 0..600 {
        let len = (next() % 60) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(TOKENS[(next() % TOKENS.len() as u64) as usize]);
        }
        let file = files[round % files.len()];
        let kind = FileKind::from_path(std::path::Path::new(file));
        let _ = engine.lint_bytes(file, kind, text.as_bytes());
        if let Some(k) = kind {
            let doc = Document::whole(text.clone(), k);
            let _ = dslint::facts::text::extract(&doc, &settings);
        }
    }
}
