//! Test-input generation shared by the reliability tests: a seeded RNG, fake keys of every
//! provider shape, and realistic seed snippets for every file kind.
#![allow(dead_code)]

use std::sync::LazyLock;

/// A small seeded PRNG (SplitMix64): reproducible inputs without extra dependencies.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator seeded from the clock (print the seed to reproduce).
    pub fn from_time() -> (Rng, u64) {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(42);
        (Rng(seed), seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` characters from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| *self.pick(alphabet) as char).collect()
    }
}

const HEX: &[u8] = b"0123456789abcdef";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// Fake keys of every shape DS101 knows: DeepSeek, OpenAI project / legacy, Anthropic,
/// OpenRouter, and an unknown provider's high-entropy token. Random each run.
pub fn fake_keys(rng: &mut Rng) -> Vec<String> {
    vec![
        format!("sk-{}", rng.string(HEX, 32)),
        format!(
            "sk-proj-{}T3BlbkFJ{}",
            rng.string(B64URL, 74),
            rng.string(B64URL, 74)
        ),
        format!(
            "sk-{}T3BlbkFJ{}",
            rng.string(ALNUM, 20),
            rng.string(ALNUM, 20)
        ),
        format!("sk-ant-api03-{}AA", rng.string(B64URL, 93)),
        format!("sk-or-v1-{}", rng.string(HEX, 64)),
        format!("sk-{}", rng.string(ALNUM, 48)),
    ]
}

/// The regex from the brief: anything that looks like a full key in output.
pub static KEY_IN_OUTPUT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"sk-(proj-|ant-[a-z0-9]+-|or-v1-)?[A-Za-z0-9_-]{20,}").expect("regex")
});

/// Full keys found in `text` by [`KEY_IN_OUTPUT`], minus obvious placeholders.
pub fn leaked_keys(text: &str) -> Vec<String> {
    KEY_IN_OUTPUT
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .filter(|k| {
            let l = k.to_ascii_lowercase();
            !["xxxx", "your", "example", "placeholder", "0000000", "****"]
                .iter()
                .any(|w| l.contains(w))
        })
        .collect()
}

/// Realistic seed documents per file name; `{KEY}` is replaced by a generated key.
pub const SEEDS: &[(&str, &str)] = &[
    ("app.py", "import os\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=\"{KEY}\", base_url=\"https://api.deepseek.com\")\nresp = client.chat.completions.create(model=\"deepseek-v4-flash\", messages=[{\"role\": \"user\", \"content\": \"hi\"}])\nheaders = {\"Authorization\": \"Bearer {KEY}\"}\n# key: {KEY}\n"),
    ("llm.py", "from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model=\"gpt-4o\", api_key=os.getenv(\"DEEPSEEK_API_KEY\", \"\"), openai_api_base=\"https://api.deepseek.com/v1\")\nopenai.api_base = \"https://api.deepseek.com\"\nMODEL = \"deepseek-chat\"\nr = llm.invoke(\"x\", model=MODEL)\n"),
    ("index.js", "import OpenAI from 'openai';\nconst openai = new OpenAI({ apiKey: process.env.DEEPSEEK_API_KEY ?? \"\", baseUrl: 'https://api.deepseek.com' });\nconst r = await openai.responses.create({ model: 'gpt-4o-mini', input: 'x' });\nfetch('https://api.deepseek.com/chat/completions', { headers: { Authorization: `Bearer ${key}` } });\nconst k = \"{KEY}\";\n"),
    ("client.ts", "import OpenAI from \"openai\";\nexport const client: OpenAI = new OpenAI({\n  apiKey: import.meta.env.VITE_DEEPSEEK_API_KEY,\n  baseURL: \"http://api.deepseek.ai/v1/v1\",\n  dangerouslyAllowBrowser: true,\n});\nconst model: string = \"deepseek-reasoner\"; // {KEY}\n"),
    ("App.tsx", "import { createOpenAI } from '@ai-sdk/openai';\nconst ds = createOpenAI({ apiKey: process.env.NEXT_PUBLIC_DEEPSEEK_API_KEY, baseURL: 'https://api.deepseek.com' });\nexport default function App() { return <div title=\"{KEY}\">{ds('deepseek-v4-pro').modelId}</div>; }\n"),
    ("main.rs", "use async_openai::{config::OpenAIConfig, Client};\nfn main() {\n    let config = OpenAIConfig::new().with_api_key(\"{KEY}\").with_api_base(\"https://api.deepseek.com\");\n    let client = Client::with_config(config);\n    let req = reqwest::Client::new().post(\"https://api.deepseek.com/chat/completions\").bearer_auth(\"Bearer {KEY}\");\n    let key = std::env::var(\"DEEPSEEK_API_KEY\").unwrap_or_default();\n}\n"),
    (".env", "DEEPSEEK_API_KEY={KEY}\nOPENAI_API_KEY=\"{KEY}\"\nNEXT_PUBLIC_DEEPSEEK_API_KEY={KEY}\nDEEPSEEK_BASE_URL=https://api.deepseek.com\nEMPTY=\n# comment {KEY}\nexport VITE_OPENAI_API_KEY='{KEY}'\n"),
    ("config.yaml", "llm:\n  provider: deepseek\n  api_key: \"{KEY}\"\n  base_url: https://api.deepseek.com/v1\n  model: deepseek-chat\nenv:\n  - name: DEEPSEEK_API_KEY\n    value: {KEY}\nanchors: &a\n  x: [1, 2, {y: 3}]\n"),
    ("settings.json", "{\n  \"deepseek\": {\n    \"apiKey\": \"{KEY}\",\n    \"baseURL\": \"https://api.deepseek.com\",\n    \"model\": \"gpt-4o\"\n  },\n  \"headers\": {\"Authorization\": \"Bearer Bearer {KEY}\"}\n}\n"),
    ("pyproject.toml", "[tool.app]\napi_key = \"{KEY}\"\nbase_url = 'https://api.deepseek.com'\nmodel = \"\"\"deepseek-v3\"\"\"\n[[tool.app.models]]\nname = \"deepseek-v4-flash\"\n"),
    ("run.sh", "#!/bin/bash\nexport DEEPSEEK_API_KEY={KEY}\ncurl https://api.deepseek.com/chat/completions \\\n  -H \"Authorization: Bearer $DEEPSEEK_API_KEY\" \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"model\": \"deepseek-chat\", \"messages\": []}'\n"),
    ("README.md", "# Demo\n\nSet `DEEPSEEK_API_KEY={KEY}`.\n\n```python\nfrom openai import OpenAI\nclient = OpenAI(api_key=\"{KEY}\")\n```\n\n~~~bash\ncurl -H \"Authorization: Bearer {KEY}\" https://api.deepseek.com\n~~~\n\n```ts\nconst c = new OpenAI({ baseUrl: \"https://api.deepseek.com\" });\n```\n"),
    ("demo.ipynb", "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"metadata\": {},\n   \"source\": [\"# Title {KEY}\"]\n  },\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"from openai import OpenAI\\n\",\n    \"client = OpenAI(api_key=\\\"{KEY}\\\")\\n\",\n    \"client.chat.completions.create(model=\\\"deepseek-chat\\\")\"\n   ]\n  }\n ],\n \"metadata\": {\"kernelspec\": {\"name\": \"python3\"}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"),
    ("Dockerfile", "FROM python:3.12\nENV DEEPSEEK_API_KEY={KEY}\nENV OPENAI_BASE_URL=https://api.deepseek.com\nRUN pip install openai\n"),
    ("notes.txt", "key {KEY} and more sk-sk-{KEY} Bearer: {KEY}\n"),
];

/// The seed documents with `{KEY}` filled from `keys` (cycling).
pub fn filled_seeds(keys: &[String]) -> Vec<(String, String)> {
    SEEDS
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            let mut out = String::new();
            let mut n = i;
            let mut rest = *text;
            while let Some(at) = rest.find("{KEY}") {
                out.push_str(&rest[..at]);
                out.push_str(&keys[n % keys.len()]);
                n += 1;
                rest = &rest[at + 5..];
            }
            out.push_str(rest);
            (name.to_string(), out)
        })
        .collect()
}
