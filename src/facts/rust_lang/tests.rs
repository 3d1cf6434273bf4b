use super::*;
use crate::facts::ValueKind;
use crate::lang::{parse, Lang};

fn rs(src: &str) -> Facts {
    let tree = parse(Lang::Rust, src).expect("parses");
    extract(&tree, src, &Settings::default())
}

fn s(v: &Option<Value>) -> Option<&str> {
    v.as_ref().and_then(|v| v.as_str())
}

fn env(v: &Option<Value>) -> Option<(String, Option<String>)> {
    match v.as_ref().map(|v| &v.kind) {
        Some(ValueKind::Env { name, default }) => Some((name.clone(), default.clone())),
        _ => None,
    }
}

#[test]
fn async_openai_config_client_and_chat_request() {
    let src = r#"
use async_openai::{config::OpenAIConfig, types::CreateChatCompletionRequestArgs, Client};

const MODEL: &str = "deepseek-chat";

async fn run() -> anyhow::Result<()> {
    let config = OpenAIConfig::new()
        .with_api_key(std::env::var("DEEPSEEK_API_KEY")?)
        .with_api_base("https://api.deepseek.com");
    let client = Client::with_config(config);
    let request = CreateChatCompletionRequestArgs::default()
        .model(MODEL)
        .messages([])
        .build()?;
    let response = client.chat().create(request).await?;
    let e = client.embeddings().create(req2).await?;
    Ok(())
}
"#;
    let f = rs(src);
    assert!(f.imports.contains(&"async_openai".to_string()));
    assert_eq!(f.clients.len(), 1, "{:?}", f.clients);
    let c = &f.clients[0];
    assert_eq!(c.binding.as_deref(), Some("client"));
    assert_eq!(c.sdk, "async-openai");
    assert_eq!(&src[c.callee_span.clone()], "OpenAIConfig::new");
    assert_eq!(s(&c.base_url), Some("https://api.deepseek.com"));
    assert_eq!(env(&c.api_key), Some(("DEEPSEEK_API_KEY".into(), None)));
    let insert = c.insert_at.unwrap();
    assert!(src[..insert].ends_with(".with_api_base(\"https://api.deepseek.com\")"));
    assert_eq!(f.requests.len(), 2);
    let r = &f.requests[0];
    assert_eq!(r.receiver.as_deref(), Some("client"));
    assert_eq!(r.api, "chat.completions.create");
    assert_eq!(&src[r.api_span.clone()], "chat().create");
    assert_eq!(s(&r.model), Some("deepseek-chat"));
    assert_eq!(
        &src[r.model.as_ref().unwrap().span.clone()],
        "\"deepseek-chat\""
    );
    assert_eq!(r.client, Some(0));
    assert_eq!(f.requests[1].api, "embeddings.create");
    assert!(f.models.is_empty(), "{:?}", f.models);
    assert_eq!(f.env_reads[0].via, "std::env::var");
    assert!(f.mentions_deepseek);
}

#[test]
fn config_without_base_and_env_defaults() {
    let src = r#"
use async_openai::{config::OpenAIConfig, Client};
use std::env;
fn make() -> Client<OpenAIConfig> {
    let key = env::var("DEEPSEEK_API_KEY").unwrap_or_default();
    let cfg = OpenAIConfig::new().with_api_key(key);
    Client::with_config(cfg)
}
fn other() {
    let a = dotenvy::var("OPENAI_API_KEY").unwrap_or("".into());
    let b = std::env::var("DS_BASE").unwrap_or_else(|_| String::new());
    let c = std::env::var("DS_URL").unwrap_or_else(|_| "https://api.deepseek.com".to_string());
}
"#;
    let f = rs(src);
    let c = &f.clients[0];
    assert_eq!(c.binding.as_deref(), Some("make()"));
    assert!(c.base_url.is_none());
    assert_eq!(
        env(&c.api_key),
        Some(("DEEPSEEK_API_KEY".into(), Some(String::new())))
    );
    let reads: Vec<(&str, Option<&str>, &str)> = f
        .env_reads
        .iter()
        .map(|e| (e.name.as_str(), e.default.as_deref(), e.via.as_str()))
        .collect();
    assert_eq!(
        reads,
        vec![
            ("DEEPSEEK_API_KEY", Some(""), "std::env::var"),
            ("OPENAI_API_KEY", Some(""), "dotenvy::var"),
            ("DS_BASE", Some(""), "std::env::var"),
            ("DS_URL", Some("https://api.deepseek.com"), "std::env::var"),
        ]
    );
}

#[test]
fn inline_config_default_client_and_struct_field() {
    let src = r#"
use async_openai::Client;
use async_openai::config::OpenAIConfig;
struct App { client: Client<OpenAIConfig> }
impl App {
    fn new() -> Self {
        Self { client: Client::with_config(OpenAIConfig::new().with_api_base(BASE)) }
    }
    async fn go(&self) {
        self.client.responses().create(req).await.unwrap();
    }
}
fn plain() { let c = Client::new(); }
const BASE: &str = "https://api.deepseek.com/v1";
"#;
    let f = rs(src);
    assert_eq!(f.clients.len(), 2);
    let a = &f.clients[0];
    assert_eq!(a.binding.as_deref(), Some("self.client"));
    assert_eq!(s(&a.base_url), Some("https://api.deepseek.com/v1"));
    let b = &f.clients[1];
    assert_eq!(b.binding.as_deref(), Some("c"));
    assert!(b.base_url.is_none() && b.api_key.is_none());
    let r = &f.requests[0];
    assert_eq!(r.receiver.as_deref(), Some("self.client"));
    assert_eq!(r.api, "responses.create");
    assert_eq!(r.client, Some(0));
}

#[test]
fn opaque_config_and_reqwest_client_is_not_async_openai() {
    let src = r#"
use async_openai::Client as OAI;
use reqwest::Client;
fn a(config: OpenAIConfig) { let x = async_openai::Client::with_config(config); }
fn b() { let http = Client::new(); }
"#;
    let f = rs(src);
    assert_eq!(f.clients.len(), 1);
    assert!(matches!(
        f.clients[0].base_url.as_ref().map(|v| &v.kind),
        Some(ValueKind::Other(t)) if t == "config"
    ));
}

#[test]
fn reqwest_post_with_json_body() {
    let src = r#"
use serde_json::json;
async fn call(key: &str) -> reqwest::Result<()> {
    let client = reqwest::Client::new();
    let res = client
        .post("https://api.deepseek.com/chat/completions")
        .bearer_auth(std::env::var("DEEPSEEK_API_KEY").unwrap())
        .json(&json!({
            "model": "deepseek-reasoner",
            "messages": [{"role": "user", "content": "hi"}],
        }))
        .send()
        .await?;
    let r2 = client.post(URL).header("Authorization", format!("Bearer {}", key)).json(&body).send().await?;
    Ok(())
}
const URL: &str = "https://api.deepseek.com/v1/chat/completions";
"#;
    let f = rs(src);
    assert!(f.clients.is_empty());
    assert_eq!(f.requests.len(), 2, "{:?}", f.requests);
    let r = &f.requests[0];
    assert_eq!(r.api, "http");
    assert_eq!(s(&r.url), Some("https://api.deepseek.com/chat/completions"));
    assert_eq!(s(&r.model), Some("deepseek-reasoner"));
    assert_eq!(env(&r.api_key).unwrap().0, "DEEPSEEK_API_KEY");
    let r2 = &f.requests[1];
    assert_eq!(
        s(&r2.url),
        Some("https://api.deepseek.com/v1/chat/completions")
    );
    assert!(
        matches!(r2.api_key.as_ref().map(|v| &v.kind), Some(ValueKind::Other(k)) if k == "key")
    );
    assert!(f.models.is_empty(), "{:?}", f.models);
    assert_eq!(f.urls.len(), 2);
}

#[test]
fn model_sites_and_globals() {
    let src = r#"
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";
static EMBED_MODEL: &str = "text-embedding-3-small";
fn f() {
    let body = json!({"model": "deepseek-v3"});
    let req = ChatRequest { model: "deepseek-chat".into(), stream: false };
    unsafe { std::env::set_var("OPENAI_API_BASE", "https://api.deepseek.com"); }
    let k = env!("DEEPSEEK_API_KEY");
}
"#;
    let f = rs(src);
    let models: Vec<&str> = f.models.iter().filter_map(|m| m.value.as_str()).collect();
    assert_eq!(
        models,
        vec![
            "gpt-4o-mini",
            "text-embedding-3-small",
            "deepseek-v3",
            "deepseek-chat"
        ]
    );
    assert_eq!(f.globals[0].target, "OPENAI_API_BASE");
    assert_eq!(f.env_reads[0].via, "env!");
}

#[test]
fn unrelated_chat_method_without_async_openai() {
    let f = rs("fn f(bot: Bot) { bot.chat().send(msg); }\n");
    assert!(f.requests.is_empty());
}

#[test]
fn deep_chains_do_not_overflow() {
    let mut src = String::from("fn f() { let x = a");
    for _ in 0..3000 {
        src.push_str(".b()");
    }
    src.push_str("; let y = ");
    for _ in 0..2000 {
        src.push('(');
    }
    src.push('1');
    for _ in 0..2000 {
        src.push(')');
    }
    src.push_str("; }\n");
    let _ = rs(&src);
}

#[test]
fn receiver_bound_to_a_client_function() {
    let src = r#"
use async_openai::{config::OpenAIConfig, Client};
fn get_client() -> Client<OpenAIConfig> {
    let config = OpenAIConfig::new().with_api_base("https://api.deepseek.com");
    Client::with_config(config)
}
fn other() -> Client<OpenAIConfig> { Client::new() }
async fn go() {
    let client = get_client();
    client.chat().create(req).await.unwrap();
}
"#;
    let f = rs(src);
    let r = &f.requests[0];
    let c = &f.clients[r.client.unwrap()];
    assert_eq!(c.binding.as_deref(), Some("get_client()"));
}

#[test]
fn format_urls_and_struct_bodies() {
    let src = r#"
const BASE_URL: &str = "https://api.deepseek.com";
#[derive(Serialize)]
struct ChatRequest { model: String, messages: Vec<Message> }
async fn go(http: reqwest::Client, messages: Vec<Message>) {
    let body = ChatRequest { model: "deepseek-chat".to_string(), messages };
    let url = format!("{}/chat/completions", BASE_URL);
    http.post(&url).json(&body).send().await.unwrap();
    let u2 = format!("{BASE_URL}/v1/{}", "models");
    let dynamic = format!("{}/x", base);
}
"#;
    let f = rs(src);
    assert_eq!(f.requests.len(), 1);
    let r = &f.requests[0];
    assert_eq!(s(&r.url), Some("https://api.deepseek.com/chat/completions"));
    assert_eq!(s(&r.model), Some("deepseek-chat"));
    assert!(f.models.is_empty(), "{:?}", f.models);
}
