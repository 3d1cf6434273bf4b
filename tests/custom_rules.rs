//! Custom rules (`[[rule]]` in the configuration): the README's worked examples run end to
//! end and their `[[rule.example]]`s behave; custom findings go through suppressions,
//! selectors, severities, SARIF and baselines like built-in ones; invalid rules are
//! configuration errors that point into the file.

mod common;

use std::path::Path;

use common::{findings, json_in, run_in};
use dslint::config::{Config, ConfigErrorKind};
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::source::FileKind;

/// The TOML blocks of the README's "Custom rules" section, joined.
fn readme_rules() -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme
        .find("## Custom rules")
        .expect("README has a Custom rules section");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    let mut out = String::new();
    let mut inside = false;
    for line in section[..end].lines() {
        if line.starts_with("```") {
            inside = line == "```toml";
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(
        out.contains("[[rule]]"),
        "no [[rule]] in the README section"
    );
    out
}

fn project(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dslint.toml"), config).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const APP: &str = r#"import os
from openai import OpenAI

client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"), base_url="https://api.deepseek.com")
client.chat.completions.create(model="deepseek-v4-flash-vision-exp", messages=[])
gateway = OpenAI(api_key=os.getenv("DEEPSEEK_API_KEY"), base_url="https://llm-gateway.example.com/v1")
gateway.chat.completions.create(model="deepseek-v4-pro", messages=[])
"#;

fn f(line: u64, col: u64, code: &str) -> (String, u64, u64, String) {
    ("app.py".into(), line, col, code.into())
}

#[test]
fn readme_rules_run_end_to_end() {
    let dir = project(&readme_rules(), &[("app.py", APP)]);
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(
        findings(&doc),
        [
            f(4, 25, "DS601"),
            f(4, 25, "X003"),
            f(5, 38, "X001"),
            f(5, 38, "X002"),
        ]
    );
    let all = doc["findings"].as_array().unwrap();
    let msg = |code: &str| {
        all.iter().find(|x| x["code"] == code).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        msg("X001"),
        "DeepSeek request sent to `api.deepseek.com`, not through llm-gateway.example.com"
    );
    assert_eq!(
        msg("X002"),
        "`deepseek-v4-flash-vision-exp` is not an approved model"
    );
    assert_eq!(
        msg("X003"),
        "a DeepSeek client reads its key from `OPENAI_API_KEY`"
    );
    let x001 = all.iter().find(|x| x["code"] == "X001").unwrap();
    assert_eq!(x001["severity"], "error");
    assert_eq!(x001["name"], "deepseek-outside-gateway");
}

#[test]
fn readme_rule_examples_behave() {
    let dir = project(&readme_rules(), &[]);
    let config = Config::load(&dir.path().join("dslint.toml"), true)
        .unwrap()
        .unwrap();
    let builtin = Registry::builtin().unwrap();
    let registry = config.registry(builtin);
    let (rules, severities) = config.rules(registry, &[], &[]);
    let engine = Engine::new(rules, severities, config.settings());
    let mut checked = 0;
    for rule in registry.rules.iter().filter(|r| !r.code.starts_with("DS")) {
        assert!(!rule.examples.is_empty(), "{} has no example", rule.code);
        for ex in &rule.examples {
            let kind = FileKind::from_path(Path::new(&ex.file));
            let codes = |text: &str| -> Vec<&str> {
                let r = engine.lint_bytes(&ex.file, kind, text.as_bytes());
                r.findings.iter().map(|f| f.code).collect()
            };
            let bad = ex
                .bad
                .as_deref()
                .expect("README examples have bad snippets");
            assert!(
                codes(bad).contains(&rule.code),
                "{} bad did not fire",
                rule.code
            );
            let good = ex
                .good
                .as_deref()
                .expect("README examples have good snippets");
            assert!(
                !codes(good).contains(&rule.code),
                "{} good fired",
                rule.code
            );
            checked += 2;
        }
    }
    assert_eq!(checked, 6);
}

const X002: &str = r#"
[[rule]]
code = "X002"
name = "unapproved-model"
on = "request"
when = "request.deepseek and request.model not in ['deepseek-v4-flash', 'deepseek-v4-pro']"
message = "`{request.model}` is not an approved model"
"#;

const USES: &str = r#"client = OpenAI(base_url="https://api.deepseek.com")
client.chat.completions.create(model="deepseek-v4-flash-vision-exp")
client.chat.completions.create(model="deepseek-chat")  # dslint: ignore[X002]
client.chat.completions.create(model="deepseek-r1")  # dslint: ignore[unapproved-model]
"#;

fn codes(doc: &serde_json::Value) -> Vec<(u64, String)> {
    findings(doc)
        .into_iter()
        .map(|(_, l, _, c)| (l, c))
        .collect()
}

#[test]
fn custom_findings_are_stamped_like_builtin_ones() {
    let dir = project(X002, &[("app.py", USES)]);
    let d = dir.path();
    // Suppression comments by code and by name; built-in rules still run.
    let all = codes(&json_in(d, &["--select", "X002,DS403", "."]));
    assert_eq!(all, [(2, "X002".into()), (3, "DS403".into())]);
    let by_name = codes(&json_in(d, &["--select", "unapproved-model", "."]));
    assert_eq!(by_name, [(2, "X002".into())]);
    let ignored = codes(&json_in(
        d,
        &["--ignore", "X002", "--select", "X002,DS403", "."],
    ));
    assert_eq!(ignored, [(3, "DS403".into())]);
    // [severity] and select in the file.
    let config = format!("select = [\"X002\"]\n{X002}\n[severity]\nX002 = \"note\"\n");
    std::fs::write(d.join("dslint.toml"), &config).unwrap();
    let doc = json_in(d, &["."]);
    assert_eq!(codes(&doc), [(2, "X002".into())]);
    assert_eq!(doc["findings"][0]["severity"], "note");
    let out = run_in(d, &["."]);
    assert_eq!(out.status.code(), Some(0), "a note does not fail the run");
    // SARIF lists the rule.
    let out = run_in(d, &["--format", "sarif", "."]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let x = rules
        .iter()
        .find(|r| r["id"] == "X002")
        .expect("X002 in SARIF");
    assert_eq!(x["name"], "unapproved-model");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "X002");
    // Baseline.
    std::fs::write(d.join("dslint.toml"), X002).unwrap();
    let out = run_in(d, &["--select", "X002", "--write-baseline", "b.json", "."]);
    assert_eq!(out.status.code(), Some(0));
    let out = run_in(d, &["--select", "X002", "--baseline", "b.json", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // No warning about an unknown rule in the directives.
    assert!(!String::from_utf8_lossy(&out.stderr).contains("unknown rule"));
}

#[test]
fn rule_command_prints_the_doc() {
    let dir = project(&readme_rules(), &[]);
    let out = run_in(dir.path(), &["rule", "X001"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("# X001 deepseek-outside-gateway\n"),
        "{text}"
    );
    assert!(text.contains("Default severity: error\n"), "{text}");
    assert!(text.contains("request.deepseek and request.host != 'llm-gateway.example.com'"));
    assert!(
        text.contains("## Use instead\n```py\nclient = OpenAI("),
        "{text}"
    );
    let out = run_in(dir.path(), &["--list-rules"]);
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(list.contains("\nX003  shared-openai-key "), "{list}");
}

#[test]
fn pyproject_rules_and_env_reads() {
    let dir = tempfile::tempdir().unwrap();
    let py = r#"[tool.dslint]
select = ["X010"]

[[tool.dslint.rule]]
code = "X010"
name = "legacy-key-var"
severity = "error"
on = "env_read"
when = "env_read.name matches '^LEGACY_'"
message = "`{env_read.name}` is read via {env_read.via}"
prefilter = ["legacy_"]
"#;
    std::fs::write(dir.path().join("pyproject.toml"), py).unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        "import os\nkey = os.getenv('LEGACY_DS_KEY')\nother = os.getenv('HOME')\n",
    )
    .unwrap();
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(codes(&doc), [(2, "X010".into())]);
    assert_eq!(
        doc["findings"][0]["message"],
        "`LEGACY_DS_KEY` is read via os.getenv"
    );
}

#[test]
fn literal_keys_are_redacted_in_messages() {
    let config = r#"
[[rule]]
code = "K1"
name = "literal-key"
on = "key"
when = "key.source == 'literal'"
message = "literal key {key.value} given to {key.sdk}"
"#;
    let key = "sk-3f9a61c0d27b4e58a9c1f06b7d2e4a8c";
    let app =
        format!("client = OpenAI(api_key=\"{key}\", base_url=\"https://api.deepseek.com\")\n");
    let dir = project(config, &[("app.py", &app)]);
    let out = run_in(dir.path(), &["--select", "K1", "--format", "json", "."]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains(key), "full key printed");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["findings"][0]["message"],
        "literal key sk-…4a8c given to openai-python"
    );
}

/// Loads `config` and returns the error's message and the text its span covers.
fn error(config: &str) -> (String, String) {
    let dir = project(config, &[]);
    let e = Config::load(&dir.path().join("dslint.toml"), true).unwrap_err();
    match *e.0 {
        ConfigErrorKind::Invalid { message, span, .. } => {
            let message = message.replace(&format!("{}/", dir.path().display()), "");
            let span = span.expect("error has a span");
            let at = &config[span.offset()..span.offset() + span.len()];
            (message, at.to_string())
        }
        ConfigErrorKind::Io { reason, .. } => panic!("io error {reason}"),
    }
}

fn rule(fields: &str) -> String {
    format!("[[rule]]\n{fields}\n")
}

const OK: &str =
    "code = \"X001\"\nname = \"a\"\non = \"request\"\nwhen = \"request.deepseek\"\nmessage = \"m\"";

#[test]
fn invalid_rules_point_into_the_file() {
    let cases: &[(String, &str, &str)] = &[
        (
            rule(&OK.replace("X001", "DS900")),
            "dslint.toml: `DS900`: codes starting with DS are reserved for built-in rules",
            "\"DS900\"",
        ),
        (
            rule(&OK.replace("X001", "x-1")),
            "dslint.toml: `x-1` is not a rule code: uppercase letters then digits, such as `X001`",
            "\"x-1\"",
        ),
        (
            format!("{}{}", rule(OK), rule(&OK.replace("name = \"a\"", "name = \"b\""))),
            "dslint.toml: duplicate code `X001`: already used by X001 a",
            "\"X001\"",
        ),
        (
            rule(&OK.replace("name = \"a\"", "name = \"hardcoded-api-key\"")),
            "dslint.toml: duplicate name `hardcoded-api-key`: already used by DS101 hardcoded-api-key",
            "\"X001\"",
        ),
        (
            rule(&OK.replace("name = \"a\"", "name = \"Bad_Name\"")),
            "dslint.toml: `Bad_Name` is not kebab-case",
            "\"Bad_Name\"",
        ),
        (
            rule(&format!("{OK}\ncolour = \"blue\"")),
            "dslint.toml: unknown field `colour`, expected one of `code`, `name`, `severity`, `summary`, `on`, `when`, `message`, `help`, `kinds`, `prefilter`, `example`",
            "colour",
        ),
        (
            rule(&OK.replace("on = \"request\"", "on = \"reqest\"")),
            "dslint.toml: unknown fact kind `reqest` (kinds: request, client, key, env_read, url, key_literal, model_use, api_call, client_use, url_site, base_url_option, key_use, browser_exposure, auth_site)",
            "\"reqest\"",
        ),
        (
            rule(&OK.replace("request.deepseek", "request.modle == 'deepseek-chat'")),
            "dslint.toml: `request` has no field `modle` (fields: model, model_status, api, url, host, target, sdk, key_source, key_env, deepseek)",
            "request.modle",
        ),
        (
            rule(&OK.replace("\"request.deepseek\"", "'''request.model in [\"a\" \"b\"]'''")),
            "dslint.toml: expected `,`, found \"b\"",
            "\"b\"",
        ),
        (
            rule(&OK.replace("request.deepseek", "request.model matches '(' ")),
            "dslint.toml: invalid regex: error: unclosed group",
            "'('",
        ),
        (
            rule(&OK.replace("message = \"m\"", "message = \"bad {request.nope}\"")),
            "dslint.toml: unknown placeholder `{request.nope}`: use the fields of `request`",
            "{request.nope}",
        ),
        (
            rule(&OK.replace("on = \"request\"", "severity = \"fatal\"\non = \"request\"")),
            "dslint.toml: `fatal` is not a severity",
            "\"fatal\"",
        ),
        (
            format!("select = [\"X002\"]\n{}", rule(OK)),
            "dslint.toml: unknown rule `X002`",
            "\"X002\"",
        ),
    ];
    for (config, message, at) in cases {
        let (m, a) = error(config);
        assert_eq!(
            (m.as_str(), a.as_str()),
            (*message, *at),
            "config:\n{config}"
        );
    }
}

#[test]
fn an_invalid_rule_exits_2_with_a_pointer() {
    let config = rule(&OK.replace("request.deepseek", "request.modle == 'deepseek-chat'"));
    let dir = project(&config, &[("app.py", "x = 1\n")]);
    let out = run_in(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("`request` has no field `modle`"), "{err}");
    assert!(err.contains("[dslint.toml:5:9]"), "{err}");
    // Selectors may name custom rules; unknown ones are still errors.
    let ok = project(&rule(OK), &[("app.py", "x = 1\n")]);
    assert_eq!(
        run_in(ok.path(), &["--select", "X001", "."]).status.code(),
        Some(0)
    );
    assert_eq!(
        run_in(ok.path(), &["--select", "X009", "."]).status.code(),
        Some(2)
    );
}

#[test]
fn client_and_url_facts_in_code_and_config_files() {
    let config = r#"
select = ["C1", "U1"]

[[rule]]
code = "C1"
name = "direct-client"
on = "client"
when = "client.target == 'official' and client.family == 'openai-compatible'"
message = "{client.sdk} client `{client.binding}` calls {client.host} directly"

[[rule]]
code = "U1"
name = "official-url-in-config"
on = "url"
when = "is_official_host(url.value) and not ends_with(url.value, '/v1')"
message = "{url.value} ({url.target})"
kinds = ["env", "yaml"]

[per-file-ignores]
"skip.ts" = ["direct-client"]
"#;
    let ts = "import OpenAI from \"openai\";\nconst ds = new OpenAI({ baseURL: \"https://api.deepseek.com\", apiKey: process.env.DEEPSEEK_API_KEY });\n";
    let env = "DEEPSEEK_BASE_URL=https://api.deepseek.com\nOTHER=https://api.deepseek.com/v1\n";
    let dir = project(
        config,
        &[("app.ts", ts), ("skip.ts", ts), (".env.example", env)],
    );
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(
        findings(&doc),
        [
            (".env.example".into(), 1, 19, "U1".into()),
            ("app.ts".into(), 2, 16, "C1".into()),
        ]
    );
    let all = doc["findings"].as_array().unwrap();
    assert_eq!(all[0]["message"], "https://api.deepseek.com (official)");
    assert_eq!(
        all[1]["message"],
        "openai-node client `ds` calls api.deepseek.com directly"
    );
}

#[test]
fn test_rules_command_runs_the_examples() {
    let dir = project(&readme_rules(), &[]);
    let out = run_in(dir.path(), &["test-rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "6 passed, 0 failed (3 custom rules)\n"
    );
    let broken = format!(
        "{}\n[[rule.example]]\npath = \"app.py\"\nbad = 'client.chat.completions.create(model=\"deepseek-v4-pro\")'\n",
        rule(&OK.replace("request.deepseek", "request.model == 'deepseek-chat'"))
    );
    std::fs::write(dir.path().join("dslint.toml"), broken).unwrap();
    let out = run_in(dir.path(), &["test-rules"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "FAIL X001 example 1 (bad, app.py): did not fire\n0 passed, 1 failed (1 custom rules)\n"
    );
}

/// The fact kinds the built-in rules read are open to custom rules: a model site's target is
/// the analysis of where its client sends, not the file's URLs.
#[test]
fn custom_rules_read_the_built_in_rules_fact_kinds() {
    let config = r#"
[[rule]]
code = "X010"
name = "pro-model-on-deepseek"
on = "model_use"
when = "model_use.target == 'deepseek' and model_use.model == 'deepseek-v4-pro'"
message = "`{model_use.model}` sent to DeepSeek (status {model_use.status}); we budget for `{model_use.suggest}`"
"#;
    let app = r#"import os
from openai import OpenAI
ds = OpenAI(api_key=os.environ["DEEPSEEK_API_KEY"], base_url="https://api.deepseek.com")
ds.chat.completions.create(model="deepseek-v4-pro", messages=[])
other = OpenAI(api_key=os.environ["GW_KEY"], base_url="https://gw.example.com/v1")
other.chat.completions.create(model="deepseek-v4-pro", messages=[])
"#;
    let dir = project(config, &[("app.py", app)]);
    let doc = json_in(dir.path(), &["--select", "X010"]);
    assert_eq!(findings(&doc), [f(4, 34, "X010")]);
    assert_eq!(
        doc["findings"][0]["message"],
        "`deepseek-v4-pro` sent to DeepSeek (status current); we budget for `deepseek-v4-flash`"
    );
}

/// The README's "Custom rules" section names every fact kind and every field.
#[test]
fn readme_documents_every_fact_kind_and_field() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let start = readme.find("## Custom rules").unwrap();
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for kind in dslint::checks::kinds::all() {
        assert!(
            section.contains(&format!("`{}`", kind.name)),
            "README does not name the fact kind `{}`",
            kind.name
        );
        for (field, _) in kind.fields {
            assert!(
                section.contains(&format!("`{field}`")),
                "README does not name `{}.{field}`",
                kind.name
            );
        }
    }
}

#[test]
fn auth_sites_are_a_fact_kind() {
    let config = r#"[[rule]]
code = "X101"
name = "token-scheme"
severity = "warning"
on = "auth_site"
prefilter = ["authorization"]
when = "auth_site.kind == 'header' and starts_with(auth_site.literal, 'Token ')"
message = "`{auth_site.name}` is given `{auth_site.literal}` ({auth_site.holes})"
help = "Use the Bearer scheme."
"#;
    let app = "import requests\n\nrequests.post(\"https://api.example.com/x\", headers={\"Authorization\": \"Token \" + key})\n";
    let dir = project(config, &[("app.py", app)]);
    let doc = json_in(dir.path(), &["."]);
    assert_eq!(findings(&doc), [f(3, 53, "X101")]);
    let all = doc["findings"].as_array().unwrap();
    assert_eq!(
        all[0]["message"],
        "`Authorization` is given `Token {}` (key)"
    );
}
