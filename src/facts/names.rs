//! The name rules every language extractor shares (Python, JavaScript/TypeScript, Rust):
//! which option keys carry a model, which variable, field, parameter or key names hold a model
//! ID, which string literals look like a DeepSeek model ID and in which syntactic slots such a
//! literal is a model being sent, which calls send nothing, and how long a squashed source
//! text may get. Each extractor only maps its grammar onto these answers ([`Slot`]), so the
//! three languages cannot drift apart.

/// Option, keyword and object keys under which a request or client takes its model
/// (`model=`, `"model": …`, `modelName:`, `model_id=`).
pub const MODEL_KEYS: &[&str] = &["model", "model_name", "model_id", "modelName", "modelId"];

/// True for an option key that carries a request's or client's model.
pub fn is_model_key(key: &str) -> bool {
    MODEL_KEYS.contains(&key)
}

/// Last words of a name that say it holds something other than a model ID, even when the
/// name mentions a model (`MODEL_PROVIDER`, `modelType`, `model_base_url`, `modelLabel`).
const NOT_MODEL_WORDS: &[&str] = &[
    "provider",
    "providers",
    "type",
    "kind",
    "family",
    "class",
    "path",
    "dir",
    "file",
    "url",
    "uri",
    "endpoint",
    "host",
    "base",
    "vendor",
    "label",
    "title",
    "description",
    "desc",
    "display",
    "icon",
    "logo",
    "org",
    "owner",
    "brand",
    "company",
    "key",
    "token",
    "secret",
    "temperature",
    "size",
    "count",
    "limit",
    "max",
    "format",
    "backend",
    "service",
    "platform",
    "prefix",
    "suffix",
    "pattern",
    "regex",
    "error",
    "message",
    "msg",
    "text",
    "prompt",
];

/// How a name relates to model IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameClass {
    /// Named for a model ID: `model`, `MODEL`, `llm_model`, `deepseekModel`, `MODEL_NAME`,
    /// `model_id`, `models`, `DEFAULT_MODEL`.
    Model,
    /// Named for something else that may mention a model or provider (`MODEL_PROVIDER`,
    /// `label`, `base_url`, `apiKey`).
    NotModel,
    /// Says nothing either way (`DEFAULT`, `x`, `CHAT`).
    Neutral,
}

/// The words of an identifier or key: split at `_`, `-`, `.`, spaces and lower→upper case
/// changes, lowercased (`llmModelName` → `llm`, `model`, `name`).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Classifies a variable, field, parameter, keyword or key name (the last segment of a
/// dotted name is what counts: `self.llm_model`, `this.defaultModel`, `cfg.model`).
pub fn name_class(name: &str) -> NameClass {
    let last = name
        .rsplit(['.', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(name);
    let ws = words(last);
    let Some(tail) = ws.last() else {
        return NameClass::Neutral;
    };
    if NOT_MODEL_WORDS.contains(&tail.as_str()) {
        return NameClass::NotModel;
    }
    let model = ws
        .iter()
        .any(|w| w.starts_with("model") || w.ends_with("model"));
    if model {
        NameClass::Model
    } else {
        NameClass::Neutral
    }
}

/// True for names that hold a model ID (see [`NameClass::Model`]).
pub fn is_model_name(name: &str) -> bool {
    // Fast path: this runs on every key and assignment target of a file.
    let mentions = name
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"model"));
    mentions && name_class(name) == NameClass::Model
}

/// True for a string that looks like a DeepSeek model ID by itself: `deepseek-chat`,
/// `DeepSeek-R1`, `deepseek-v4-flash`, pydantic-ai `deepseek:deepseek-chat` (not a prefix
/// such as `deepseek-`, a sentence, a URL or a setting name).
pub fn looks_like_deepseek_model(s: &str) -> bool {
    if s.len() >= 64 || s.contains(char::is_whitespace) || s.ends_with('-') {
        return false;
    }
    let l = s.to_ascii_lowercase();
    (l.starts_with("deepseek-") && l.len() > "deepseek-".len())
        || l.starts_with("deepseek:deepseek-")
}

/// Calls whose string arguments are not sent anywhere: string tests and edits, lookups,
/// logging, printing and assertions, in any of the three languages.
const NON_SENDING_CALLS: &[&str] = &[
    // Python
    "startswith",
    "endswith",
    "replace",
    "split",
    "find",
    "index",
    "count",
    "strip",
    "lower",
    "upper",
    "print",
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "log",
    "isinstance",
    "match",
    "search",
    "fullmatch",
    "compile",
    "contains",
    "__contains__",
    "assertEqual",
    "assertIn",
    // JavaScript / TypeScript
    "includes",
    "startsWith",
    "endsWith",
    "indexOf",
    "lastIndexOf",
    "has",
    "test",
    "toBe",
    "toEqual",
    "toStrictEqual",
    "toContain",
    "toMatch",
    "equal",
    "strictEqual",
    "deepEqual",
    "assert",
    "t",
    // Rust
    "starts_with",
    "ends_with",
    "strip_prefix",
    "strip_suffix",
    "trim_start_matches",
    "trim_end_matches",
    "matches",
    "eq",
    "ne",
    "eq_ignore_ascii_case",
];

/// True unless a call named `last` (the last segment of its callee) sends nothing.
pub fn sends_arguments(last: &str) -> bool {
    !NON_SENDING_CALLS.contains(&last)
}

/// Where a string literal sits, as each extractor reads it off its grammar after skipping
/// wrappers that pass the value through (parentheses, casts, `.to_string()`, the branches of
/// a conditional, the default of `x || "…"` / `x or "…"` / `.unwrap_or("…")`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot<'a> {
    /// An element of a list, tuple, array or `vec![…]`.
    Element,
    /// A positional argument of a call whose callee ends in this name.
    Argument(&'a str),
    /// The value of a binding: a variable, constant, field, parameter default, keyword
    /// argument, object/dict key or enum member with this name (`None` when the binding has
    /// no simple name), or a returned value.
    Value(Option<&'a str>),
    /// Anything else: a comparison, a `case`/`match` pattern, a key, a type, a macro such as
    /// `println!`.
    Other,
}

/// True when a literal that looks like a DeepSeek model ID ([`looks_like_deepseek_model`])
/// is a model being sent, given where it sits.
pub fn deepseek_model_slot(slot: Slot<'_>) -> bool {
    match slot {
        Slot::Element => true,
        Slot::Argument(callee) => sends_arguments(callee),
        Slot::Value(None) => true,
        Slot::Value(Some(name)) => name_class(name) != NameClass::NotModel,
        Slot::Other => false,
    }
}

/// True when an object, dict or JSON text is an API *response* rather than a request: it
/// has a `choices` key or an `object: "chat.completion…"` type (a mock or a test fixture that
/// a client deserializes). Its `model` says what answered, not what is sent.
pub fn is_response_body(text: &str) -> bool {
    if text.contains("chat.completion") {
        return true;
    }
    text.match_indices("choices").any(|(i, w)| {
        let rest = text[i + w.len()..].trim_start_matches(['"', '\'', '\\']);
        rest.trim_start().starts_with(':')
    })
}

/// Longest source text a squashed callee or receiver keeps: callees and receivers are short,
/// and squashing every enclosing expression of a large file in full would be quadratic.
pub const SQUASH_MAX: usize = 256;

/// The first [`SQUASH_MAX`] bytes of `s` (on a character boundary).
pub fn squash_prefix(s: &str) -> &str {
    &s[..crate::source::floor_char_boundary(s, s.len().min(SQUASH_MAX))]
}

/// Case-insensitive `contains("deepseek")` without allocating.
pub fn contains_deepseek(s: &str) -> bool {
    s.as_bytes()
        .windows(8)
        .any(|w| w.eq_ignore_ascii_case(b"deepseek"))
}

/// Platforms that serve DeepSeek models under their own endpoints and keys (the catalogue's
/// `[hosts.other]`, plus local runtimes and cloud ML services), as they appear in names.
const OTHER_PLATFORMS: &[&str] = &[
    "azure",
    "bedrock",
    "vertex",
    "sagemaker",
    "ollama",
    "lmstudio",
    "vllm",
    "openrouter",
    "together",
    "huggingface",
    "groq",
    "fireworks",
    "deepinfra",
    "siliconflow",
    "volcengine",
    "aliyun",
    "dashscope",
    "nvidia",
    "novita",
    "hyperbolic",
    "sambanova",
    "cerebras",
    "nebius",
    "cloudflare",
];

/// A name (identifier, setting, env var) that mentions DeepSeek and no other platform that
/// serves DeepSeek models: `DeepSeekClient`, `DEEPSEEK_API_KEY` are evidence for the official
/// API; `AzureDeepSeekBridge`, `OLLAMA_DEEPSEEK_MODEL` are not.
pub fn names_deepseek_api(s: &str) -> bool {
    if !contains_deepseek(s) {
        return false;
    }
    let lower: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    !OTHER_PLATFORMS.iter().any(|p| lower.contains(p))
}

/// An environment variable name for a DeepSeek key (`DEEPSEEK_API_KEY`, `DEEPSEEK_KEY`).
pub fn names_deepseek_key(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.contains("DEEPSEEK") && upper.contains("KEY")
}

/// A string that names a DeepSeek setting (`"DEEPSEEK_API_KEY"`, `"deepseekApiKey"`), not a
/// display label (`"DeepSeek"`), a model ID (`"deepseek-chat"`) or a URL.
pub fn names_setting(s: &str) -> bool {
    s.len() > 8
        && names_deepseek_api(s)
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_identifier_like_names_with_deepseek() {
        assert!(contains_deepseek("my_DeepSeek_key"));
        assert!(!contains_deepseek("deepsee"));
        assert!(names_setting("DEEPSEEK_API_KEY"));
        assert!(names_setting("deepseekApiKey"));
        assert!(!names_setting("DeepSeek"));
        assert!(!names_setting("deepseek-chat"));
        assert!(!names_setting("https://api.deepseek.com"));
        assert!(!names_setting("AZURE_DEEPSEEK_API_KEY"));
        assert!(names_deepseek_api("DeepSeekClient"));
        assert!(!names_deepseek_api("AzureDeepSeekBridge"));
        assert!(!names_deepseek_api("OLLAMA_DEEPSEEK_MODEL"));
        assert!(!names_deepseek_api("OpenAIClient"));
    }

    #[test]
    fn model_names_in_every_naming_style() {
        for n in [
            "model",
            "MODEL",
            "llm_model",
            "llmModel",
            "deepseekModel",
            "DEEPSEEK_MODEL",
            "MODEL_NAME",
            "modelName",
            "model_id",
            "modelId",
            "models",
            "MODELS",
            "defaultModel",
            "self.llm_model",
            "this.defaultModel",
            "LLMModel",
            "chat-model",
        ] {
            assert_eq!(name_class(n), NameClass::Model, "{n}");
        }
        for n in [
            "MODEL_PROVIDER",
            "modelType",
            "model_base_url",
            "modelLabel",
            "model_family",
            "apiKey",
            "label",
        ] {
            assert_eq!(name_class(n), NameClass::NotModel, "{n}");
        }
        for n in ["DEFAULT", "x", "CHAT", "deepseek", "", "_"] {
            assert_eq!(name_class(n), NameClass::Neutral, "{n}");
        }
    }

    #[test]
    fn deepseek_model_literals_and_their_slots() {
        assert!(looks_like_deepseek_model("deepseek-chat"));
        assert!(looks_like_deepseek_model("DeepSeek-R1"));
        assert!(looks_like_deepseek_model("deepseek:deepseek-chat"));
        assert!(!looks_like_deepseek_model("deepseek-"));
        assert!(!looks_like_deepseek_model("deepseek"));
        assert!(!looks_like_deepseek_model("deepseek-chat is retired"));
        assert!(!looks_like_deepseek_model("deepseek/deepseek-chat"));
        assert!(deepseek_model_slot(Slot::Element));
        assert!(deepseek_model_slot(Slot::Argument("create")));
        assert!(!deepseek_model_slot(Slot::Argument("includes")));
        assert!(!deepseek_model_slot(Slot::Argument("startswith")));
        assert!(!deepseek_model_slot(Slot::Argument("starts_with")));
        assert!(deepseek_model_slot(Slot::Value(None)));
        assert!(deepseek_model_slot(Slot::Value(Some("DEFAULT"))));
        assert!(deepseek_model_slot(Slot::Value(Some("llm_model"))));
        assert!(!deepseek_model_slot(Slot::Value(Some("label"))));
        assert!(!deepseek_model_slot(Slot::Other));
    }

    #[test]
    fn responses_are_told_from_requests() {
        assert!(is_response_body(
            r#"{"model": "deepseek-chat", "choices": []}"#
        ));
        assert!(is_response_body(r#"{\"choices\": []}"#));
        assert!(is_response_body(
            "{ object: 'chat.completion', model: 'x' }"
        ));
        assert!(is_response_body("{ choices : [] }"));
        assert!(!is_response_body(
            r#"{"model": "deepseek-chat", "messages": []}"#
        ));
        assert!(!is_response_body("// pick one of the choices below"));
    }

    #[test]
    fn squash_prefix_is_capped_on_a_char_boundary() {
        let long = "é".repeat(SQUASH_MAX);
        let p = squash_prefix(&long);
        assert!(p.len() <= SQUASH_MAX);
        assert!(long.starts_with(p));
        assert_eq!(squash_prefix("a . b"), "a . b");
    }
}
