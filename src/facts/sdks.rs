//! The SDK table (`rules/sdks.toml`): constructors, option names and API surfaces.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::Family;

/// The table shipped in the binary.
pub const BUILTIN: &str = include_str!("../../rules/sdks.toml");

/// One SDK's client constructor.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkEntry {
    /// SDK id.
    pub id: String,
    /// `python`, `ecmascript` or `rust`.
    pub lang: String,
    /// `openai-compatible`, `deepseek-native` or `anthropic`.
    pub family: String,
    /// Constructor names as written in code (last path segment or dotted path).
    pub constructors: Vec<String>,
    /// Modules one of which must be imported for this entry to apply.
    #[serde(default)]
    pub requires_import: Vec<String>,
    /// Option names that set the base URL (dotted for nested objects).
    pub base_url: Vec<String>,
    /// Option names that set the key.
    pub api_key: Vec<String>,
    /// Option names that set the model.
    #[serde(default)]
    pub model: Vec<String>,
    /// Option names that look like a base URL but are ignored or rejected.
    #[serde(default)]
    pub misspelled_base_url: Vec<String>,
    /// Ready-made clients a module exports, used without a constructor call (`openai` from
    /// `@ai-sdk/openai`, `deepseek` from `@ai-sdk/deepseek`).
    #[serde(default)]
    pub instances: Vec<Instance>,
}

/// A ready-made client exported by a module.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// The module (`@ai-sdk/openai`).
    pub module: String,
    /// The exported name (`openai`).
    pub name: String,
}

impl SdkEntry {
    /// The family as an enum.
    pub fn family(&self) -> Family {
        match self.family.as_str() {
            "deepseek-native" => Family::DeepSeekNative,
            "anthropic" => Family::Anthropic,
            _ => Family::OpenAiCompatible,
        }
    }
}

/// API surfaces.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apis {
    /// Paths DeepSeek serves.
    pub supported: Vec<String>,
    /// Paths it does not serve, with a description.
    pub unsupported: BTreeMap<String, String>,
    /// HTTP endpoint paths (after the base URL) and the API path each belongs to, for raw
    /// HTTP requests (`https://api.deepseek.com/chat/completions`).
    #[serde(default)]
    pub endpoints: BTreeMap<String, String>,
    /// Client classes that exist for one API surface (langchain `OpenAIEmbeddings` calls the
    /// embeddings API), by the constructor's last name segment.
    #[serde(default)]
    pub constructors: BTreeMap<String, String>,
}

/// Document context: imports that show a file talks to another provider or a local model
/// server, so a DeepSeek model name there is not meant for the official API.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Module names (prefix match on path segments).
    #[serde(default)]
    pub other_provider_imports: Vec<String>,
}

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkTable {
    /// Client constructors.
    #[serde(rename = "client")]
    pub clients: Vec<SdkEntry>,
    /// API surfaces.
    pub apis: Apis,
    /// Document context.
    #[serde(default)]
    pub context: Context,
}

/// The loaded table.
pub static TABLE: LazyLock<SdkTable> =
    LazyLock::new(|| toml::from_str(BUILTIN).expect("the built-in SDK table is valid (tested)"));

impl SdkTable {
    /// The SDK entry for constructor `name` in `lang` (`python`, `ecmascript`, `rust`), given
    /// the file's imports. `name` may be dotted (`openai.OpenAI`); its last segment also
    /// matches.
    pub fn constructor(&self, lang: &str, name: &str, imports: &[String]) -> Option<&SdkEntry> {
        let last = name.rsplit(['.', ':']).next().unwrap_or(name);
        let matches =
            |e: &&SdkEntry| e.lang == lang && e.constructors.iter().any(|c| c == name || c == last);
        let imported = |e: &&SdkEntry| {
            e.requires_import.iter().any(|m| {
                imports.iter().any(|i| {
                    // `m`, `m.sub` or `m/sub`, without allocating
                    i.strip_prefix(m.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '/']))
                })
            })
        };
        self.clients
            .iter()
            .filter(matches)
            .find(|e| !e.requires_import.is_empty() && imported(e))
            .or_else(|| {
                self.clients
                    .iter()
                    .filter(matches)
                    .find(|e| e.requires_import.is_empty())
            })
    }

    /// If `api` (a request path like `responses.create`) is a surface DeepSeek does not
    /// serve, its description.
    pub fn unsupported(&self, api: &str) -> Option<&str> {
        self.apis
            .unsupported
            .iter()
            .filter(|(k, _)| api == k.as_str() || api.starts_with(&format!("{k}.")))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_and_resolves() {
        let t = &*TABLE;
        let none: Vec<String> = vec![];
        assert_eq!(
            t.constructor("python", "OpenAI", &none).unwrap().id,
            "openai-python"
        );
        let li = vec!["llama_index.llms.openai".to_string()];
        assert_eq!(
            t.constructor("python", "OpenAI", &li).unwrap().id,
            "llama-index-openai"
        );
        assert_eq!(t.unsupported("responses.create"), Some("the Responses API"));
        assert_eq!(t.unsupported("chat.completions.create"), None);
        assert_eq!(
            t.unsupported("beta.threads.runs.create"),
            Some("the Assistants (threads) API")
        );
    }
}
