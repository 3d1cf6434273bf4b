//! Client/model rules end to end on small snippets: exact positions, and silence where the
//! contract says so.

mod common;

use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::FileKind;

/// `(code, line, column)` of every finding on `code` linted as `file`.
fn lint(file: &str, code: &str) -> Vec<(String, u32, u32)> {
    common::lint_snippet(file, code)
}

#[test]
fn openai_model_on_deepseek_client_is_one_ds401_on_the_model_string() {
    let code = "client = OpenAI(api_key=os.environ['DEEPSEEK_API_KEY'], base_url='https://api.deepseek.com')\n\
                client.chat.completions.create(model='gpt-4o-mini', messages=[{'role': 'user', 'content': 'hi'}])\n";
    assert_eq!(lint("app.py", code), vec![("DS401".to_string(), 2, 38)]);
}

#[test]
fn plain_openai_project_has_no_findings() {
    let code = r#"import os
from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
MODEL = "gpt-4o-mini"
reply = client.chat.completions.create(model=MODEL, messages=[])
vectors = client.embeddings.create(model="text-embedding-3-small", input=["x"])
out = client.responses.create(model="o3-mini", input="hi")
"#;
    assert_eq!(lint("app.py", code), vec![]);
}

#[test]
fn two_clients_are_judged_separately() {
    let code = r#"import os
from openai import OpenAI

oa = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
ds = OpenAI(api_key=os.environ["DEEPSEEK_API_KEY"], base_url="https://api.deepseek.com")
oa.chat.completions.create(model="gpt-4o", messages=[])
oa.responses.create(model="gpt-4o", input="x")
ds.chat.completions.create(model="gpt-4o", messages=[])
ds.responses.create(model="deepseek-v4-flash", input="x")
"#;
    assert_eq!(
        lint("app.py", code),
        vec![("DS401".to_string(), 8, 34), ("DS404".to_string(), 9, 4)]
    );
}

#[test]
fn retired_model_message_names_date_and_replacement() {
    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let code = "from langchain_deepseek import ChatDeepSeek\nllm = ChatDeepSeek(model=\"deepseek-reasoner\")\n";
    let res = engine.lint_bytes("a.py", Some(FileKind::Python), code.as_bytes());
    let f = res
        .findings
        .iter()
        .find(|f| f.code == "DS403")
        .expect("DS403");
    assert!(f.message.contains("2026-07-24"), "{}", f.message);
    assert!(f.message.contains("deepseek-v4-flash"), "{}", f.message);
    assert!(f.message.contains("enabled"), "{}", f.message);
    let fix = f.fix.as_ref().expect("a fix");
    assert!(!fix.safe);
    assert_eq!(fix.edits[0].content, "deepseek-v4-flash");
    for f in &res.findings {
        assert!(!f.help.contains("deepseek-chat") && !f.help.contains("deepseek-reasoner`"));
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut code = String::from("x = ");
    for _ in 0..10_000 {
        code.push('(');
    }
    code.push_str("'deepseek-chat'");
    for _ in 0..10_000 {
        code.push(')');
    }
    code.push('\n');
    let _ = lint("deep.py", &code);
    let mut calls = String::from("client = OpenAI(api_key=os.environ['DEEPSEEK_API_KEY'])\ny = ");
    for _ in 0..5_000 {
        calls.push_str("f(");
    }
    for _ in 0..5_000 {
        calls.push(')');
    }
    calls.push('\n');
    let _ = lint("deep2.py", &calls);
}

#[test]
fn generated_js_is_not_parsed_but_its_keys_are_still_found() {
    // A DeepSeek client without a base URL: DS201 in source, nothing in build output.
    let key = format!("sk-{}", "4f8a1c9e2b7d4e6f".repeat(2));
    let client = format!(
        "import OpenAI from 'openai';\nconst c = new OpenAI({{ apiKey: process.env.DEEPSEEK_API_KEY }});\nconst k = '{key}';\n"
    );
    let codes = |file: &str, text: &str| -> Vec<String> {
        lint(file, text).into_iter().map(|(c, ..)| c).collect()
    };
    assert_eq!(codes("src/app.js", &client), ["DS201", "DS101"]);
    let bundle = format!("{client}//# sourceMappingURL=app.js.map\n");
    assert_eq!(codes("dist/app.js", &bundle), ["DS101"]);
    assert_eq!(codes("types/app.d.ts", &client), ["DS101"]);
    // The comment must end the file: one in the middle is not a bundle's.
    let middle = format!("//# sourceMappingURL=x.map\n{client}");
    assert_eq!(codes("src/app.js", &middle), ["DS201", "DS101"]);

    let registry = Registry::builtin().expect("built-in rules load");
    let rules: Vec<_> = registry.rules.iter().collect();
    let severities: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    let engine = Engine::new(rules, severities, Settings::default());
    let r = engine.lint_bytes("dist/app.js", Some(FileKind::JavaScript), bundle.as_bytes());
    assert!(r.generated && !r.parsed && !r.minified);
}

#[test]
fn rust_token_that_holds_bearer_is_not_prefixed_again() {
    let code = r#"pub async fn ask(key: String) -> reqwest::Result<()> {
    let token = format!("Bearer {}", key);
    let lit = "Bearer abc";
    let http = reqwest::Client::new();
    http.post("https://api.deepseek.com/chat/completions").header("Authorization", format!("Bearer {}", token)).send().await?;
    http.post("https://api.deepseek.com/chat/completions").bearer_auth(&token).send().await?;
    http.post("https://api.deepseek.com/chat/completions").bearer_auth(format!("Bearer {}", key)).send().await?;
    http.post("https://api.deepseek.com/chat/completions").header("Authorization", format!("Bearer {}", lit)).send().await?;
    http.post("https://api.deepseek.com/chat/completions").bearer_auth(&key).send().await?;
    Ok(())
}
"#;
    assert_eq!(
        lint("main.rs", code),
        vec![
            ("DS301".to_string(), 5, 84),
            ("DS301".to_string(), 6, 73),
            ("DS301".to_string(), 7, 72),
            ("DS301".to_string(), 8, 84),
        ]
    );
}
