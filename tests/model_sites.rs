//! Model sites across languages: each case is written in Python, TypeScript and Rust, and
//! the three must give the same rule IDs on the same lines (columns are checked exactly per
//! language). The name rules behind them live in one place (`src/facts/names.rs`), so a case
//! that passes in one language and not in another is a drift between the extractors.

mod common;

/// `(code, line, column)` of every DS4xx finding on `code` linted as `file`.
fn lint(file: &str, code: &str) -> Vec<(String, u32, u32)> {
    common::lint_snippet(file, code)
        .into_iter()
        .filter(|(c, _, _)| c.starts_with("DS4"))
        .collect()
}

/// One case in three languages, with the findings each must give: `(code, line, column)`.
struct Case {
    name: &'static str,
    py: &'static str,
    ts: &'static str,
    rs: &'static str,
    /// Expected `(code, line)` pairs, the same in every language.
    expect: &'static [(&'static str, u32)],
    /// The column of each expected finding, per language: Python, TypeScript, Rust.
    cols: [&'static [u32]; 3],
}

fn check(case: &Case) {
    for (i, (file, code)) in [
        ("app.py", case.py),
        ("app.ts", case.ts),
        ("main.rs", case.rs),
    ]
    .into_iter()
    .enumerate()
    {
        let want: Vec<(String, u32, u32)> = case
            .expect
            .iter()
            .zip(case.cols[i])
            .map(|((c, l), col)| (c.to_string(), *l, *col))
            .collect();
        assert_eq!(
            case.expect.len(),
            case.cols[i].len(),
            "{}: one column per expected finding ({file})",
            case.name
        );
        assert_eq!(lint(file, code), want, "{} ({file})", case.name);
    }
}

#[test]
fn constant_named_for_a_model() {
    check(&Case {
        name: "constant",
        py: "import os\nMODEL = \"deepseek-chat\"\n",
        ts: "import OpenAI from \"openai\";\nconst MODEL = \"deepseek-chat\";\n",
        rs: "use std::env;\nconst MODEL: &str = \"deepseek-chat\";\n",
        expect: &[("DS403", 2)],
        cols: [&[9], &[15], &[21]],
    });
}

#[test]
fn list_of_models() {
    check(&Case {
        name: "list",
        py: "import os\nMODELS = [\"deepseek-chat\", \"deepseek-reasoner\"]\n",
        ts: "import OpenAI from \"openai\";\nconst MODELS = [\"deepseek-chat\", \"deepseek-reasoner\"];\n",
        rs: "use std::env;\nconst MODELS: [&str; 2] = [\"deepseek-chat\", \"deepseek-reasoner\"];\n",
        expect: &[("DS403", 2), ("DS403", 2)],
        cols: [&[11, 28], &[17, 34], &[28, 45]],
    });
}

#[test]
fn environment_default() {
    check(&Case {
        name: "env default",
        py: "import os\nmodel = os.getenv(\"LLM_MODEL\", \"deepseek-chat\")\n",
        ts: "import OpenAI from \"openai\";\nconst model = process.env.LLM_MODEL ?? \"deepseek-chat\";\n",
        rs: "fn main() {\n    let model = std::env::var(\"LLM_MODEL\").unwrap_or_else(|_| \"deepseek-chat\".to_string());\n}\n",
        expect: &[("DS403", 2)],
        cols: [&[32], &[40], &[63]],
    });
}

#[test]
fn environment_default_under_any_name() {
    check(&Case {
        name: "env default, unnamed",
        py: "import os\nchoice = os.environ.get(\"X\") or \"deepseek-reasoner\"\n",
        ts: "import OpenAI from \"openai\";\nconst choice = process.env.X || \"deepseek-reasoner\";\n",
        rs: "fn main() {\n    let choice = std::env::var(\"X\").unwrap_or(\"deepseek-reasoner\".into());\n}\n",
        expect: &[("DS403", 2)],
        cols: [&[33], &[33], &[47]],
    });
}

#[test]
fn settings_field() {
    check(&Case {
        name: "field",
        py: "class Settings:\n    llm_model: str = \"deepseek-reasoner\"\n",
        ts: "class Settings {\n  llmModel = \"deepseek-reasoner\";\n}\n",
        rs: "fn settings() -> Settings {\n    Settings { llm_model: \"deepseek-reasoner\".into() }\n}\n",
        expect: &[("DS403", 2)],
        cols: [&[22], &[14], &[27]],
    });
}

#[test]
fn positional_argument() {
    check(&Case {
        name: "argument",
        py: "import os\nllm = make_llm(\"deepseek-chat\", temperature=0)\n",
        ts: "import OpenAI from \"openai\";\nconst llm = makeLlm(\"deepseek-chat\", { temperature: 0 });\n",
        rs: "fn main() {\n    let llm = make_llm(\"deepseek-chat\", 0.0);\n}\n",
        expect: &[("DS403", 2)],
        cols: [&[16], &[21], &[24]],
    });
}

#[test]
fn conditional_branches() {
    check(&Case {
        name: "ternary",
        py: "import os\nmodel = \"deepseek-chat\" if os.environ.get(\"DEEPSEEK_API_KEY\") else \"gpt-4o\"\n",
        ts: "import OpenAI from \"openai\";\nconst model = process.env.DEEPSEEK_API_KEY ? \"deepseek-chat\" : \"gpt-4o\";\n",
        rs: "fn main() {\n    let model = if std::env::var(\"DEEPSEEK_API_KEY\").is_ok() { \"deepseek-chat\" } else { \"gpt-4o\" };\n}\n",
        expect: &[("DS403", 2)],
        cols: [&[9], &[46], &[64]],
    });
}

#[test]
fn comparisons_and_labels_send_nothing() {
    check(&Case {
        name: "comparisons",
        py: "import os\nif os.environ[\"DEEPSEEK_MODEL\"] == \"deepseek-reasoner\" or m.startswith(\"deepseek-chat\"):\n    opts = {\"label\": \"deepseek-chat\", \"MODEL_PROVIDER\": \"deepseek\"}\n",
        ts: "import OpenAI from \"openai\";\nif (process.env.DEEPSEEK_MODEL === \"deepseek-reasoner\" || m.startsWith(\"deepseek-chat\")) {\n  opts = { label: \"deepseek-chat\", MODEL_PROVIDER: \"deepseek\" };\n}\n",
        rs: "fn main() {\n    if std::env::var(\"DEEPSEEK_MODEL\").unwrap() == \"deepseek-reasoner\" || m.starts_with(\"deepseek-chat\") {\n        println!(\"{}\", \"deepseek-chat\");\n    }\n}\n",
        expect: &[],
        cols: [&[], &[], &[]],
    });
}

#[test]
fn openai_model_constant_sent_to_a_deepseek_client() {
    check(&Case {
        name: "DS401 through a constant",
        py: "import os\nfrom openai import OpenAI\nMODEL = \"gpt-4o\"\nclient = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url=\"https://api.deepseek.com\")\nclient.chat.completions.create(model=MODEL, messages=[])\n",
        ts: "import OpenAI from \"openai\";\n\nconst MODEL = \"gpt-4o\";\nconst client = new OpenAI({ apiKey: process.env.DEEPSEEK_API_KEY, baseURL: \"https://api.deepseek.com\" });\nawait client.chat.completions.create({ model: MODEL, messages: [] });\n",
        rs: "use async_openai::{config::OpenAIConfig, types::CreateChatCompletionRequestArgs, Client};\n\nconst MODEL: &str = \"gpt-4o\";\nasync fn ask() {\n    let client = Client::with_config(OpenAIConfig::new().with_api_key(std::env::var(\"DEEPSEEK_API_KEY\").unwrap()).with_api_base(\"https://api.deepseek.com\"));\n    let req = CreateChatCompletionRequestArgs::default().model(MODEL).build().unwrap();\n    client.chat().create(req).await.unwrap();\n}\n",
        expect: &[("DS401", 3)],
        cols: [&[9], &[15], &[21]],
    });
}

#[test]
fn unknown_model_to_the_official_api() {
    check(&Case {
        name: "DS402",
        py: "import os\nDEEPSEEK_MODEL = \"deepseek-r1\"\nkey = os.environ[\"DEEPSEEK_API_KEY\"]\n",
        ts: "import OpenAI from \"openai\";\nconst DEEPSEEK_MODEL = \"deepseek-r1\";\nconst key = process.env.DEEPSEEK_API_KEY;\n",
        rs: "use std::env;\nconst DEEPSEEK_MODEL: &str = \"deepseek-r1\";\nfn key() -> String { env::var(\"DEEPSEEK_API_KEY\").unwrap() }\n",
        expect: &[("DS402", 2)],
        cols: [&[18], &[24], &[30]],
    });
}

#[test]
fn other_hosts_serve_these_names() {
    check(&Case {
        name: "Ollama",
        py: "from openai import OpenAI\nclient = OpenAI(base_url=\"http://localhost:11434/v1\", api_key=\"ollama\")\nMODELS = [\"deepseek-r1\", \"deepseek-chat\"]\n",
        ts: "import OpenAI from \"openai\";\nconst client = new OpenAI({ baseURL: \"http://localhost:11434/v1\", apiKey: \"ollama\" });\nconst MODELS = [\"deepseek-r1\", \"deepseek-chat\"];\n",
        rs: "use async_openai::{config::OpenAIConfig, Client};\nfn c() -> Client<OpenAIConfig> { Client::with_config(OpenAIConfig::new().with_api_base(\"http://localhost:11434/v1\")) }\nconst MODELS: [&str; 2] = [\"deepseek-r1\", \"deepseek-chat\"];\n",
        expect: &[],
        cols: [&[], &[], &[]],
    });
}

#[test]
fn parameter_default_reaches_the_request() {
    check(&Case {
        name: "DS401 through a parameter default",
        py: "import os\nfrom openai import OpenAI\nclient = OpenAI(api_key=os.environ[\"DEEPSEEK_API_KEY\"], base_url=\"https://api.deepseek.com\")\ndef ask(p, model=\"gpt-4o\"):\n    return client.chat.completions.create(model=model, messages=[])\n",
        ts: "import OpenAI from \"openai\";\n\nconst client = new OpenAI({ apiKey: process.env.DEEPSEEK_API_KEY, baseURL: \"https://api.deepseek.com\" });\nexport async function ask(p: string, model = \"gpt-4o\") {\n  return client.chat.completions.create({ model, messages: [] });\n}\n",
        rs: "use async_openai::{config::OpenAIConfig, types::CreateChatCompletionRequestArgs, Client};\nasync fn ask(model: Option<&str>) {\n    let client = Client::with_config(OpenAIConfig::new().with_api_key(std::env::var(\"DEEPSEEK_API_KEY\").unwrap()).with_api_base(\"https://api.deepseek.com\"));\n    let req = CreateChatCompletionRequestArgs::default().model(model.unwrap_or(\"gpt-4o\")).build().unwrap();\n    client.chat().create(req).await.unwrap();\n}\n",
        expect: &[("DS401", 4)],
        cols: [&[18], &[46], &[80]],
    });
}
