use super::*;
use crate::facts::ValueKind;

fn facts(kind: FileKind, text: &str) -> Facts {
    extract(
        &Document::whole(text.to_string(), kind),
        &Settings::default(),
    )
}

fn models(f: &Facts) -> Vec<&str> {
    f.models.iter().filter_map(|m| m.value.as_str()).collect()
}

#[test]
fn curl_request_with_url_model_and_key() {
    let sh = "curl https://api.deepseek.com/chat/completions \\\n  -H \"Content-Type: application/json\" \\\n  -H \"Authorization: Bearer $DEEPSEEK_API_KEY\" \\\n  -d '{\"model\": \"deepseek-chat\", \"messages\": []}'\n";
    let f = facts(FileKind::Shell, sh);
    assert_eq!(f.requests.len(), 1);
    let r = &f.requests[0];
    assert_eq!(r.api, "http");
    assert_eq!(
        r.url.as_ref().and_then(Value::as_str),
        Some("https://api.deepseek.com/chat/completions")
    );
    let m = r.model.as_ref().expect("model");
    assert_eq!(m.as_str(), Some("deepseek-chat"));
    assert_eq!(&sh[m.span.clone()], "\"deepseek-chat\"");
    assert_eq!(
        r.api_key.as_ref().map(|k| &k.kind),
        Some(&ValueKind::Env {
            name: "DEEPSEEK_API_KEY".into(),
            default: None
        })
    );
    assert!(
        f.models.is_empty(),
        "the request's model is not a separate site"
    );
    assert!(f.env_reads.iter().any(|e| e.name == "DEEPSEEK_API_KEY"));
    assert!(f.mentions_deepseek);
    assert_eq!(f.urls.len(), 1);
}

#[test]
fn curl_with_escaped_json_and_variable_url() {
    let sh = "$ curl -sS \"$DEEPSEEK_BASE_URL/chat/completions\" -H 'Authorization: Bearer sk-xxx' --data \"{\\\"model\\\": \\\"gpt-4o\\\"}\"\n";
    let f = facts(FileKind::Shell, sh);
    assert_eq!(f.requests.len(), 1);
    let r = &f.requests[0];
    assert!(matches!(
        r.url.as_ref().map(|u| &u.kind),
        Some(ValueKind::Other(_))
    ));
    let m = r.model.as_ref().expect("model");
    assert_eq!(m.as_str(), Some("gpt-4o"));
    assert_eq!(&sh[m.span.clone()], "gpt-4o");
    assert_eq!(r.api_key.as_ref().and_then(Value::as_str), Some("sk-xxx"));
}

#[test]
fn model_sites_per_format() {
    let json =
        "{\n  \"model\": \"deepseek-reasoner\",\n  \"base_url\": \"https://api.deepseek.com\"\n}\n";
    let f = facts(FileKind::Json, json);
    assert_eq!(models(&f), ["deepseek-reasoner"]);
    assert_eq!(
        &json[f.models[0].value.span.clone()],
        "\"deepseek-reasoner\""
    );
    assert!(!f.mentions_deepseek, "a host and a model are not names");

    let yaml = "llm:\n  provider: deepseek\n  model: deepseek-chat  # old\n  fallback_model: 'gpt-4o'\n  models:\n    - name: x\n";
    let f = facts(FileKind::Yaml, yaml);
    assert_eq!(models(&f), ["deepseek-chat", "gpt-4o"]);
    assert_eq!(&yaml[f.models[0].value.span.clone()], "deepseek-chat");
    assert!(f.mentions_deepseek);

    let toml = "[llm]\nmodel = \"deepseek-v4-flash\"\nname = \"x\"\n";
    assert_eq!(models(&facts(FileKind::Toml, toml)), ["deepseek-v4-flash"]);

    let ini = "[llm]\nmodel = deepseek-chat\n";
    assert_eq!(models(&facts(FileKind::Ini, ini)), ["deepseek-chat"]);

    let env = "DEEPSEEK_API_KEY=sk-x\nDEEPSEEK_MODEL=deepseek-chat\nexport CHAT_MODEL=\"o3-mini\"\nMODEL_DIR=/srv/models\n";
    let f = facts(FileKind::Env, env);
    assert_eq!(models(&f), ["deepseek-chat", "o3-mini"]);
    assert!(f.mentions_deepseek);

    let docker = "FROM python:3.12\nENV DEEPSEEK_MODEL=deepseek-chat\nENV OTHER_MODEL gpt-4o\n";
    assert_eq!(
        models(&facts(FileKind::Dockerfile, docker)),
        ["deepseek-chat", "gpt-4o"]
    );

    let docker = "FROM alpine\nRUN curl -s https://api.deepseek.com/models -H \"Authorization: Bearer $KEY\"\n";
    let f = facts(FileKind::Dockerfile, docker);
    assert_eq!(f.requests.len(), 1);

    let sh = "python run.py --model deepseek-reasoner\nMODEL=${DEEPSEEK_MODEL:-deepseek-chat}\ncat <<EOF\n{\"model\": \"deepseek-v3\"}\nEOF\n";
    let f = facts(FileKind::Shell, sh);
    assert_eq!(
        models(&f),
        ["deepseek-reasoner", "deepseek-chat", "deepseek-v3"]
    );
    let e = f
        .env_reads
        .iter()
        .find(|e| e.name == "DEEPSEEK_MODEL")
        .expect("read");
    assert_eq!(e.default.as_deref(), Some("deepseek-chat"));
}

#[test]
fn env_reads_skip_single_quotes_and_comments() {
    let sh = "# $NOT_THIS\necho '$NOR_THIS' \"$YES\" ${ALSO:-}\n";
    let f = facts(FileKind::Shell, sh);
    let names: Vec<&str> = f.env_reads.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["YES", "ALSO"]);
    assert_eq!(f.env_reads[1].default.as_deref(), Some(""));
}

#[test]
fn odd_input_does_not_panic() {
    for kind in [
        FileKind::Shell,
        FileKind::Yaml,
        FileKind::Env,
        FileKind::Json,
    ] {
        for s in [
            "curl",
            "curl \"",
            "curl -H",
            "curl 'x",
            "\\",
            "${",
            "\"model\": \"",
            "é curl -d '{\"model\":\"é\"}'",
        ] {
            let _ = facts(kind, s);
        }
    }
}
