//! The model and endpoint catalogue (`rules/catalogue.toml`), overridable from configuration.
//!
//! Rules never hard-code a model ID or a host: they ask the catalogue what a model's status
//! is and where a URL points.

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

/// The catalogue shipped in the binary.
pub const BUILTIN: &str = include_str!("../rules/catalogue.toml");

/// Lifecycle status of a model on the official API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Served today.
    Current,
    /// No longer served.
    Retired,
    /// Valid on other hosts only.
    NotServedByOfficialApi,
}

/// One model entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The model ID.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// Retirement date (`YYYY-MM-DD`), for retired models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<String>,
    /// The ID to use instead, for retired models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// The `thinking` setting that keeps the retired model's behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<String>,
    /// Where the name is valid, for models not served by the official API.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub valid_on: Vec<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The catalogue file's shape.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// The model suggested by messages and fixes.
    pub default_model: String,
    /// Every known DeepSeek model.
    #[serde(rename = "model")]
    pub models: Vec<Model>,
    /// OpenAI model name patterns.
    pub openai: OpenAiPatterns,
    /// Endpoint hosts.
    pub hosts: Hosts,
}

/// OpenAI model name patterns.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenAiPatterns {
    /// Regexes matched case-insensitively against model IDs.
    pub patterns: Vec<String>,
}

/// Endpoint hosts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hosts {
    /// Official API hosts.
    pub official: Vec<String>,
    /// Paths allowed after an official host in a base URL.
    pub official_paths: Vec<String>,
    /// The Anthropic-format path on the official host.
    pub anthropic_path: String,
    /// Hosts used by mistake.
    pub wrong: Vec<String>,
    /// OpenAI API hosts.
    pub openai: Vec<String>,
    /// Other providers serving DeepSeek models, by host suffix.
    #[serde(default)]
    pub other: BTreeMap<String, String>,
}

/// Where a URL points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlTarget {
    /// The official API with an allowed path.
    DeepSeek,
    /// The official host's Anthropic-format endpoint.
    DeepSeekAnthropic,
    /// The official host but a wrong form: the reason says which.
    DeepSeekMalformed(String),
    /// A host people use by mistake.
    DeepSeekWrongHost(String),
    /// The OpenAI API.
    OpenAI,
    /// Another provider or a local server (its display name).
    Other(String),
    /// A host the catalogue does not know.
    Unknown,
}

impl UrlTarget {
    /// True for every target on (or meant for) DeepSeek's official API.
    pub fn is_deepseek(&self) -> bool {
        matches!(
            self,
            UrlTarget::DeepSeek | UrlTarget::DeepSeekMalformed(_) | UrlTarget::DeepSeekWrongHost(_)
        )
    }
}

/// The loaded catalogue.
#[derive(Debug)]
pub struct Catalogue {
    /// The parsed data (after configuration overrides).
    pub data: CatalogueFile,
    openai: Vec<Regex>,
}

/// A catalogue error.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The TOML is malformed.
    #[error("invalid model catalogue: {0}")]
    Toml(#[from] toml::de::Error),
    /// A pattern is not a valid regex.
    #[error("invalid OpenAI model pattern `{0}`: {1}")]
    Pattern(String, regex::Error),
}

impl Catalogue {
    /// Parses a catalogue from TOML.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let data: CatalogueFile = toml::from_str(text)?;
        Catalogue::from_data(data)
    }

    /// Builds a catalogue from data (compiles the patterns).
    pub fn from_data(data: CatalogueFile) -> Result<Catalogue, CatalogueError> {
        let openai = data
            .openai
            .patterns
            .iter()
            .map(|p| {
                RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| CatalogueError::Pattern(p.clone(), e))
            })
            .collect::<Result<_, _>>()?;
        Ok(Catalogue { data, openai })
    }

    /// The shipped catalogue.
    pub fn builtin() -> Catalogue {
        Catalogue::parse(BUILTIN).expect("the built-in catalogue is valid (tested)")
    }

    /// The model suggested by messages and fixes.
    pub fn default_model(&self) -> &str {
        &self.data.default_model
    }

    /// The current model IDs, comma-separated in backticks, for help texts.
    pub fn current_list(&self) -> String {
        self.data
            .models
            .iter()
            .filter(|m| m.status == Status::Current)
            .map(|m| format!("`{}`", m.id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The entry for a model ID (exact, then case-insensitive).
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.data.models.iter().find(|m| m.id == id).or_else(|| {
            self.data
                .models
                .iter()
                .find(|m| m.id.eq_ignore_ascii_case(id))
        })
    }

    /// True when `id` is an OpenAI model name.
    pub fn is_openai_model(&self, id: &str) -> bool {
        self.openai.iter().any(|r| r.is_match(id))
    }

    /// True when `id` names a DeepSeek model in any spelling (`deepseek-…`, `DeepSeek-R1`,
    /// `deepseek-ai/…`, `deepseek/…`, `deepseek-r1:7b`).
    pub fn looks_deepseek(id: &str) -> bool {
        id.to_ascii_lowercase().contains("deepseek")
    }

    /// Where `url` points (scheme, host and path judged).
    pub fn classify_url(&self, url: &str) -> UrlTarget {
        let url = url.trim();
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => (String::new(), url),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let host = authority
            .rsplit('@')
            .next()
            .unwrap_or(authority)
            .split(':')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if host.is_empty() {
            return UrlTarget::Unknown;
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        if self.data.hosts.official.contains(&host) {
            let trimmed = path.trim_end_matches('/');
            if trimmed == self.data.hosts.anthropic_path
                || trimmed.starts_with(&format!("{}/", self.data.hosts.anthropic_path))
            {
                return UrlTarget::DeepSeekAnthropic;
            }
            if scheme == "http" {
                return UrlTarget::DeepSeekMalformed(
                    "uses `http://`; the API only answers `https://`".into(),
                );
            }
            if self
                .data
                .hosts
                .official_paths
                .iter()
                .any(|p| p.as_str() == trimmed)
            {
                return UrlTarget::DeepSeek;
            }
            if trimmed.contains("/v1/v1") {
                return UrlTarget::DeepSeekMalformed("doubles the `/v1` path".into());
            }
            if trimmed.ends_with("/chat/completions") || trimmed.ends_with("/completions") {
                return UrlTarget::DeepSeekMalformed(
                    "is a full endpoint path; the SDK appends `/chat/completions` itself".into(),
                );
            }
            return UrlTarget::DeepSeekMalformed(format!("has the unexpected path `{trimmed}`"));
        }
        if self.data.hosts.wrong.contains(&host) {
            return UrlTarget::DeepSeekWrongHost(host);
        }
        if self.data.hosts.openai.contains(&host) {
            return UrlTarget::OpenAI;
        }
        for (suffix, name) in &self.data.hosts.other {
            if host == *suffix || host.ends_with(&format!(".{suffix}")) {
                return UrlTarget::Other(name.clone());
            }
        }
        if host.starts_with("192.168.") || host.starts_with("10.") || host.ends_with(".local") {
            return UrlTarget::Other("a local server".into());
        }
        UrlTarget::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_classifies() {
        let c = Catalogue::builtin();
        assert_eq!(c.default_model(), "deepseek-v4-flash");
        assert_eq!(c.model("deepseek-chat").unwrap().status, Status::Retired);
        assert!(c.is_openai_model("gpt-4o-mini"));
        assert!(c.is_openai_model("o3-mini"));
        assert!(!c.is_openai_model("deepseek-v4-flash"));
        assert_eq!(
            c.classify_url("https://api.deepseek.com"),
            UrlTarget::DeepSeek
        );
        assert_eq!(
            c.classify_url("https://api.deepseek.com/v1/"),
            UrlTarget::DeepSeek
        );
        assert_eq!(
            c.classify_url("https://api.deepseek.com/anthropic"),
            UrlTarget::DeepSeekAnthropic
        );
        assert!(matches!(
            c.classify_url("https://api.deepseek.com/chat/completions"),
            UrlTarget::DeepSeekMalformed(_)
        ));
        assert!(matches!(
            c.classify_url("http://api.deepseek.com"),
            UrlTarget::DeepSeekMalformed(_)
        ));
        assert!(matches!(
            c.classify_url("https://api.deepseek.ai/v1"),
            UrlTarget::DeepSeekWrongHost(_)
        ));
        assert_eq!(
            c.classify_url("https://api.openai.com/v1"),
            UrlTarget::OpenAI
        );
        assert_eq!(
            c.classify_url("https://openrouter.ai/api/v1"),
            UrlTarget::Other("OpenRouter".into())
        );
        assert_eq!(
            c.classify_url("http://localhost:11434/v1"),
            UrlTarget::Other("a local server".into())
        );
        assert!(!c.current_list().contains("deepseek-chat"));
    }
}
