use super::*;
use crate::facts::{Family, ValueKind};
use crate::lang::{parse, Lang};

fn facts_in(lang: Lang, src: &str) -> Facts {
    let tree = parse(lang, src).expect("parses");
    extract(&tree, src, &Settings::default())
}

fn ts(src: &str) -> Facts {
    facts_in(Lang::TypeScript, src)
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
fn openai_client_with_env_key_and_constant_base_url() {
    let src = r#"
import OpenAI from "openai";
const BASE = "https://api.deepseek.com";
const client = new OpenAI({
  apiKey: process.env.DEEPSEEK_API_KEY ?? "",
  baseURL: BASE + "/v1",
});
const r = await client.chat.completions.create({ model: "deepseek-chat", messages: [] });
"#;
    let f = ts(src);
    assert_eq!(f.imports, vec!["openai"]);
    assert_eq!(f.clients.len(), 1);
    let c = &f.clients[0];
    assert_eq!(c.binding.as_deref(), Some("client"));
    assert_eq!(c.sdk, "openai-node");
    assert_eq!(c.family, Family::OpenAiCompatible);
    assert_eq!(&src[c.callee_span.clone()], "OpenAI");
    assert_eq!(s(&c.base_url), Some("https://api.deepseek.com/v1"));
    assert_eq!(
        env(&c.api_key),
        Some(("DEEPSEEK_API_KEY".into(), Some(String::new())))
    );
    assert!(c.insert_at.is_some());
    assert_eq!(f.requests.len(), 1);
    let r = &f.requests[0];
    assert_eq!(r.receiver.as_deref(), Some("client"));
    assert_eq!(r.api, "chat.completions.create");
    assert_eq!(&src[r.api_span.clone()], "chat.completions.create");
    assert_eq!(s(&r.model), Some("deepseek-chat"));
    assert_eq!(f.client_of(r).map(|c| c.sdk.as_str()), Some("openai-node"));
    let e = &f.env_reads[0];
    assert_eq!(e.name, "DEEPSEEK_API_KEY");
    assert_eq!(e.via, "process.env");
    assert_eq!(e.default.as_deref(), Some(""));
    assert!(f.mentions_deepseek);
    assert!(f.models.is_empty(), "{:?}", f.models);
    assert_eq!(f.urls.len(), 1);
}

#[test]
fn misspelled_options_and_browser_flag() {
    let src = r#"
import OpenAI from 'openai';
export const openai = new OpenAI({
  apiKey: import.meta.env.VITE_DEEPSEEK_API_KEY,
  baseUrl: 'https://api.deepseek.com',
  dangerouslyAllowBrowser: true,
});
"#;
    let f = ts(src);
    let c = &f.clients[0];
    assert!(c.base_url.is_none());
    assert_eq!(c.misspelled_base_url.len(), 1);
    assert_eq!(c.misspelled_base_url[0].0, "baseUrl");
    assert_eq!(&src[c.misspelled_base_url[0].1.clone()], "baseUrl");
    let d = c.dangerously_allow_browser.clone().unwrap();
    assert_eq!(&src[d], "dangerouslyAllowBrowser: true");
    assert_eq!(f.env_reads[0].via, "import.meta.env");
    assert_eq!(f.env_reads[0].name, "VITE_DEEPSEEK_API_KEY");
}

#[test]
fn spread_config_and_subscript_env() {
    let src = r#"
const { OpenAI } = require("openai");
const config = { baseURL: process.env["DEEPSEEK_BASE_URL"] || "https://api.deepseek.com" };
class Svc {
  constructor() {
    this.client = new OpenAI({ ...config, apiKey: process.env.OPENAI_API_KEY });
  }
  run() { return this.client.responses.create({ model: "deepseek-v4-flash", input: "x" }); }
}
"#;
    let f = facts_in(Lang::JavaScript, src);
    assert_eq!(f.imports, vec!["openai"]);
    let c = &f.clients[0];
    assert_eq!(c.binding.as_deref(), Some("this.client"));
    assert_eq!(
        env(&c.base_url),
        Some((
            "DEEPSEEK_BASE_URL".into(),
            Some("https://api.deepseek.com".into())
        ))
    );
    assert_eq!(env(&c.api_key).unwrap().0, "OPENAI_API_KEY");
    let r = &f.requests[0];
    assert_eq!(r.receiver.as_deref(), Some("this.client"));
    assert_eq!(r.api, "responses.create");
    assert_eq!(r.client, Some(0));
}

#[test]
fn opaque_options_are_not_absent() {
    let f = ts(
        "import OpenAI from 'openai';\nexport function make(opts) { return new OpenAI(opts); }\n",
    );
    let c = &f.clients[0];
    assert_eq!(c.binding.as_deref(), Some("make()"));
    assert!(matches!(
        c.base_url.as_ref().map(|v| &v.kind),
        Some(ValueKind::Other(t)) if t == "opts"
    ));
    assert!(c.api_key.is_some());
    let g =
        ts("import OpenAI from 'openai';\nconst c = new OpenAI({ ...getOpts(), apiKey: 'x' });\n");
    assert!(g.clients[0].base_url.is_some());
    let h = ts("import OpenAI from 'openai';\nconst c = new OpenAI();\n");
    assert!(h.clients[0].base_url.is_none());
    assert!(h.clients[0].api_key.is_none());
}

#[test]
fn langchain_chat_openai() {
    let src = r#"
import { ChatOpenAI } from "@langchain/openai";
const llm = new ChatOpenAI({
  model: "deepseek-reasoner",
  apiKey: process.env.DEEPSEEK_API_KEY,
  baseURL: "https://api.deepseek.com",
});
const good = new ChatOpenAI({ modelName: "deepseek-v4-flash", configuration: { baseURL: "https://api.deepseek.com" } });
await llm.invoke("hi");
"#;
    let f = ts(src);
    assert_eq!(f.clients.len(), 2);
    let c = &f.clients[0];
    assert_eq!(c.sdk, "langchain-js-openai");
    assert!(c.base_url.is_none());
    assert_eq!(c.misspelled_base_url[0].0, "baseURL");
    assert_eq!(s(&c.model), Some("deepseek-reasoner"));
    let g = &f.clients[1];
    assert_eq!(s(&g.base_url), Some("https://api.deepseek.com"));
    assert!(g.misspelled_base_url.is_empty());
    assert_eq!(s(&g.model), Some("deepseek-v4-flash"));
    let r = &f.requests[0];
    assert_eq!(r.api, "invoke");
    assert_eq!(r.client, Some(0));
    assert!(f.models.is_empty(), "{:?}", f.models);
}

#[test]
fn langchain_openai_llm_class_is_not_openai_node() {
    let f = ts("import { OpenAI } from '@langchain/openai';\nconst m = new OpenAI({ configuration: { baseURL: 'https://api.deepseek.com' } });\n");
    assert_eq!(f.clients[0].sdk, "langchain-js-openai-llm");
    assert!(f.clients[0].base_url.is_some());
}

#[test]
fn vercel_ai_sdk_provider_calls() {
    let src = r#"
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, embed } from "ai";
const deepseek = createOpenAI({ baseURL: "https://api.deepseek.com/v1", apiKey: process.env.DEEPSEEK_API_KEY });
const a = await generateText({ model: deepseek("deepseek-chat"), prompt: "x" });
const b = await generateText({ model: deepseek.chat("deepseek-v4-flash"), prompt: "x" });
const c = await generateText({ model: deepseek.responses("deepseek-v4-flash"), prompt: "x" });
const d = await embed({ model: deepseek.embedding("text-embedding-3-small"), value: "x" });
"#;
    let f = ts(src);
    assert_eq!(f.clients[0].sdk, "vercel-ai-openai");
    let apis: Vec<&str> = f.requests.iter().map(|r| r.api.as_str()).collect();
    assert_eq!(
        apis,
        vec![
            "ai-sdk.responses",
            "chat.completions",
            "ai-sdk.responses",
            "ai-sdk.embedding"
        ]
    );
    assert_eq!(s(&f.requests[0].model), Some("deepseek-chat"));
    assert_eq!(&src[f.requests[1].api_span.clone()], "deepseek.chat");
    assert!(f.requests.iter().all(|r| r.client == Some(0)));
    // `model:` pairs holding provider calls are not model sites.
    assert!(f.models.is_empty(), "{:?}", f.models);
}

#[test]
fn vercel_compatible_and_native_default_to_chat() {
    let src = r#"
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { deepseek } from "@ai-sdk/deepseek";
const ds = createOpenAICompatible({ name: "deepseek", baseURL: "https://api.deepseek.com" });
generateText({ model: ds("deepseek-v4-flash") });
generateText({ model: deepseek("deepseek-chat") });
"#;
    let f = ts(src);
    let ds = f
        .requests
        .iter()
        .find(|r| r.receiver.as_deref() == Some("ds"))
        .unwrap();
    assert_eq!(ds.api, "chat.completions");
    let native = f
        .requests
        .iter()
        .find(|r| r.receiver.as_deref() == Some("deepseek"))
        .unwrap();
    assert_eq!(native.api, "chat.completions");
    assert_eq!(
        f.client_of(native).map(|c| c.family),
        Some(Family::DeepSeekNative)
    );
}

#[test]
fn default_openai_provider_instance() {
    let f = ts("import { openai } from '@ai-sdk/openai';\nstreamText({ model: openai('deepseek-chat') });\n");
    assert_eq!(f.clients.len(), 1);
    assert_eq!(f.clients[0].binding.as_deref(), Some("openai"));
    assert!(f.clients[0].base_url.is_none());
    assert_eq!(f.requests[0].api, "ai-sdk.responses");
}

#[test]
fn fetch_and_axios_requests() {
    let src = r#"
const url = "https://api.deepseek.com/chat/completions";
const res = await fetch(url, {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${process.env.DEEPSEEK_API_KEY}` },
  body: JSON.stringify({ model: "deepseek-chat", messages }),
});
const body = { model: "gpt-4o", messages };
await axios.post("https://api.deepseek.com/v1/chat/completions", body, { headers: { Authorization: "Bearer " + key } });
"#;
    let f = facts_in(Lang::JavaScript, src);
    assert_eq!(f.requests.len(), 2);
    let r = &f.requests[0];
    assert_eq!(r.api, "http");
    assert_eq!(s(&r.url), Some("https://api.deepseek.com/chat/completions"));
    assert_eq!(s(&r.model), Some("deepseek-chat"));
    assert_eq!(env(&r.api_key).unwrap().0, "DEEPSEEK_API_KEY");
    let a = &f.requests[1];
    assert_eq!(s(&a.model), Some("gpt-4o"));
    assert!(matches!(a.api_key.as_ref().map(|v| &v.kind), Some(ValueKind::Other(k)) if k == "key"));
    assert!(f.models.is_empty(), "{:?}", f.models);
}

#[test]
fn sveltekit_env_modules() {
    let src = r#"
import { PUBLIC_DEEPSEEK_API_KEY } from '$env/static/public';
import { DEEPSEEK_API_KEY as key } from '$env/static/private';
import { env } from '$env/dynamic/public';
const a = env.PUBLIC_OPENAI_API_KEY;
const client = new OpenAI({ apiKey: key, baseURL: 'https://api.deepseek.com' });
"#;
    let f = ts(src);
    let reads: Vec<(&str, &str)> = f
        .env_reads
        .iter()
        .map(|e| (e.name.as_str(), e.via.as_str()))
        .collect();
    assert_eq!(
        reads,
        vec![
            ("PUBLIC_DEEPSEEK_API_KEY", "$env/static/public"),
            ("DEEPSEEK_API_KEY", "$env/static/private"),
            ("PUBLIC_OPENAI_API_KEY", "$env/dynamic/public"),
        ]
    );
    assert_eq!(env(&f.clients[0].api_key).unwrap().0, "DEEPSEEK_API_KEY");
    assert!(f.imports.contains(&"$env/static/public".to_string()));
}

#[test]
fn deno_destructuring_and_globals() {
    let src = r#"
const key = Deno.env.get("DEEPSEEK_API_KEY");
const { OPENAI_API_KEY, DS_URL = "https://api.deepseek.com" } = process.env;
process.env.OPENAI_BASE_URL = "https://api.deepseek.com";
const MODEL = "deepseek-reasoner";
const chatModel = `gpt-4o`;
"#;
    let f = ts(src);
    let names: Vec<&str> = f.env_reads.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["DEEPSEEK_API_KEY", "OPENAI_API_KEY", "DS_URL"]);
    assert_eq!(f.env_reads[0].via, "Deno.env");
    assert_eq!(
        f.env_reads[2].default.as_deref(),
        Some("https://api.deepseek.com")
    );
    assert_eq!(f.globals.len(), 1);
    assert_eq!(f.globals[0].target, "OPENAI_BASE_URL");
    let models: Vec<&str> = f.models.iter().filter_map(|m| m.value.as_str()).collect();
    assert_eq!(models, vec!["deepseek-reasoner", "gpt-4o"]);
}

#[test]
fn constants_resolve_to_literal_span() {
    let src = "const MODEL = 'deepseek-chat';\nclient.chat.completions.create({ model: MODEL });\n";
    let f = ts(src);
    let m = f.requests[0].model.as_ref().unwrap();
    assert_eq!(m.as_str(), Some("deepseek-chat"));
    assert_eq!(&src[m.span.clone()], "'deepseek-chat'");
    assert_eq!(&src[m.use_span.clone()], "MODEL");
    assert!(f.models.is_empty());
}

#[test]
fn ambiguous_paths_need_a_client() {
    let f = ts("db.files.create({ name: 'x' });\nopenai.files.create({ file });\nsupabase.models.list();\n");
    assert_eq!(f.requests.len(), 1);
    assert_eq!(f.requests[0].receiver.as_deref(), Some("openai"));
    assert_eq!(f.requests[0].api, "files.create");
}

#[test]
fn tsx_component_and_no_facts_for_plain_code() {
    let src = r#"
export default function Page() {
  const key = process.env.NEXT_PUBLIC_DEEPSEEK_API_KEY;
  return <div title="x">{key}</div>;
}
"#;
    let f = facts_in(Lang::Tsx, src);
    assert_eq!(f.env_reads.len(), 1);
    assert!(f.clients.is_empty());
    let g = ts("const x = 1 + 2; function f(a) { return a.b.c(); }\n");
    assert!(g.clients.is_empty() && g.requests.is_empty() && !g.mentions_deepseek);
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut src = String::from("const x = ");
    for _ in 0..5000 {
        src.push('(');
    }
    src.push_str("\"a\"");
    for _ in 0..5000 {
        src.push(')');
    }
    src.push_str(";\nconst y = ");
    for _ in 0..3000 {
        src.push_str("\"a\" + ");
    }
    src.push_str("\"b\";\n");
    let _ = facts_in(Lang::JavaScript, &src);
}

#[test]
fn opaque_with_literal_fallback() {
    let src = "client.chat.completions.create({ model: this.config.get('M') ?? 'deepseek-chat', user: u || '' });\n";
    let f = ts(src);
    let m = f.requests[0].model.as_ref().unwrap();
    assert_eq!(m.as_str(), Some("deepseek-chat"));
    assert_eq!(&src[m.span.clone()], "'deepseek-chat'");
}

#[test]
fn key_in_authorization_header_and_aliased_instance() {
    let src = r#"
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { deepSeek as ds } from '@ai-sdk/deepseek';
const p = createOpenAICompatible({
  name: 'deepseek',
  baseURL: 'https://api.deepseek.com',
  headers: { Authorization: `Bearer ${process.env.DEEPSEEK_API_KEY ?? ''}` },
});
generateText({ model: ds('deepseek-v4-flash') });
"#;
    let f = ts(src);
    let p = f
        .clients
        .iter()
        .find(|c| c.binding.as_deref() == Some("p"))
        .unwrap();
    assert_eq!(
        env(&p.api_key),
        Some(("DEEPSEEK_API_KEY".into(), Some(String::new())))
    );
    let native = f
        .clients
        .iter()
        .find(|c| c.binding.as_deref() == Some("ds"))
        .unwrap();
    assert_eq!(native.sdk, "vercel-ai-deepseek");
    // A pre-built instance is located at its first provider call, where the model is sent.
    assert_eq!(&src[native.span.clone()], "ds('deepseek-v4-flash')");
    assert_eq!(&src[native.callee_span.clone()], "ds");
    assert_eq!(
        f.requests[0].client.map(|i| f.clients[i].sdk.as_str()),
        Some("vercel-ai-deepseek")
    );
}

#[test]
fn receiver_bound_to_a_client_factory() {
    let src = "import OpenAI from 'openai';\nfunction getClient() { return new OpenAI({ baseURL: 'https://api.deepseek.com' }); }\nconst other = new OpenAI();\nconst client = getClient();\nclient.chat.completions.create({ model: 'x' });\n";
    let f = ts(src);
    let c = &f.clients[f.requests[0].client.unwrap()];
    assert_eq!(c.binding.as_deref(), Some("getClient()"));
}

#[test]
fn axios_instance_requests() {
    let src = r#"
const api = axios.create({ baseURL: 'https://api.deepseek.com/', headers: { Authorization: `Bearer ${process.env.DEEPSEEK_API_KEY}` } });
const res = await api.post('/chat/completions', { model: 'deepseek-chat', messages });
const other = await db.post('/x', { model: 'User' });
"#;
    let f = facts_in(Lang::JavaScript, src);
    assert_eq!(f.requests.len(), 1);
    let r = &f.requests[0];
    assert_eq!(s(&r.url), Some("https://api.deepseek.com/chat/completions"));
    assert_eq!(s(&r.model), Some("deepseek-chat"));
    assert_eq!(env(&r.api_key).unwrap().0, "DEEPSEEK_API_KEY");
}

#[test]
fn local_class_named_like_the_sdk_is_not_a_client() {
    let f = ts("class OpenAI { constructor(o: any) {} }\nconst c = new OpenAI({ baseUrl: 'x' });\nfunction createOpenAI(o: any) { return o; }\nconst p = createOpenAI({});\n");
    assert!(f.clients.is_empty(), "{:?}", f.clients);
}
