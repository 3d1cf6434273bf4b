//! `[models]` and `[hosts]`: configuration entries layered over the built-in catalogue.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::catalogue::{CatalogueFile, Model, Status};

/// One `[models.<id>]` entry: the fields given replace the built-in entry's; a new ID needs
/// a `status`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelOverride {
    /// `current`, `retired` or `not-served-by-official-api`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Retirement date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<String>,
    /// The ID to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// The `thinking` setting that keeps a retired model's behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<String>,
    /// Hosts where the name is valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_on: Option<Vec<String>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The `[models]` table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ModelsConfig {
    /// The model suggested by messages and fixes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Entries by model ID.
    #[serde(flatten)]
    pub entries: BTreeMap<String, ModelOverride>,
    /// Where `default` was written (for errors).
    #[serde(skip)]
    pub default_span: Option<Range<usize>>,
}

/// The `[hosts]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHosts {
    official: Option<Vec<Spanned<String>>>,
    other: Option<BTreeMap<String, String>>,
}

/// The `[hosts]` table: hosts added to the catalogue's.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HostsConfig {
    /// Extra official API hosts (a proxy that serves the DeepSeek API).
    pub official: Vec<String>,
    /// Extra hosts of other providers or gateways (host suffix → display name): DS402/DS403
    /// stay silent there.
    pub other: BTreeMap<String, String>,
}

/// Validates `[models]`.
pub(super) fn models(
    raw: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
) -> Result<ModelsConfig, (Range<usize>, String, Option<String>)> {
    let mut out = ModelsConfig::default();
    for (key, value) in raw {
        let span = value.span();
        if key.get_ref() == "default" {
            match value.into_inner() {
                toml::Value::String(s) => {
                    out.default = Some(s);
                    out.default_span = Some(span);
                }
                _ => {
                    return Err((
                        span,
                        "`models.default` must be a model ID string".into(),
                        None,
                    ))
                }
            }
            continue;
        }
        let id = key.get_ref().clone();
        let entry: ModelOverride =
            value
                .into_inner()
                .try_into()
                .map_err(|e: toml::de::Error| {
                    (
                        key.span(),
                        format!("`[models.{id}]`: {}", e.message().trim()),
                        Some(
                            "keys: status, retired, replacement, thinking, valid-on, note"
                                .to_string(),
                        ),
                    )
                })?;
        out.entries.insert(id, entry);
    }
    Ok(out)
}

/// Validates `[hosts]`.
pub(super) fn hosts(raw: RawHosts) -> Result<HostsConfig, (Range<usize>, String)> {
    let mut out = HostsConfig::default();
    for h in raw.official.unwrap_or_default() {
        let host = h.get_ref().trim().to_ascii_lowercase();
        if host.is_empty() || host.contains('/') || host.contains(' ') {
            return Err((
                h.span(),
                format!("`{}` is not a host name (no scheme or path)", h.get_ref()),
            ));
        }
        out.official.push(host);
    }
    out.other = raw
        .other
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    Ok(out)
}

/// Layers the configuration over the catalogue data.
pub fn apply(data: &mut CatalogueFile, models: &ModelsConfig, hosts: &HostsConfig) {
    for (id, o) in &models.entries {
        let existing = data.models.iter_mut().find(|m| m.id == *id);
        let m = match existing {
            Some(m) => m,
            None => {
                data.models.push(Model {
                    id: id.clone(),
                    status: o.status.clone().unwrap_or(Status::Current),
                    retired: None,
                    replacement: None,
                    thinking: None,
                    valid_on: Vec::new(),
                    note: None,
                });
                let last = data.models.len() - 1;
                &mut data.models[last]
            }
        };
        if let Some(s) = &o.status {
            m.status = s.clone();
        }
        if o.retired.is_some() {
            m.retired = o.retired.clone();
        }
        if o.replacement.is_some() {
            m.replacement = o.replacement.clone();
        }
        if o.thinking.is_some() {
            m.thinking = o.thinking.clone();
        }
        if let Some(v) = &o.valid_on {
            m.valid_on = v.clone();
        }
        if o.note.is_some() {
            m.note = o.note.clone();
        }
    }
    if let Some(d) = &models.default {
        data.default_model = d.clone();
    }
    for h in &hosts.official {
        if !data.hosts.official.contains(h) {
            data.hosts.official.push(h.clone());
        }
        data.hosts.wrong.retain(|w| w != h);
    }
    for (k, v) in &hosts.other {
        data.hosts.other.insert(k.clone(), v.clone());
    }
}

/// The default model must be current, and every replacement must name a current model.
pub(super) fn check_default(
    data: &CatalogueFile,
    models: &ModelsConfig,
) -> Result<(), (Option<Range<usize>>, String)> {
    let is_current = |id: &str| {
        data.models
            .iter()
            .any(|m| m.id == id && m.status == Status::Current)
    };
    if !is_current(&data.default_model) {
        return Err((
            models.default_span.clone(),
            format!(
                "the default model `{}` is not a current model",
                data.default_model
            ),
        ));
    }
    for m in &data.models {
        if let Some(r) = &m.replacement {
            if m.status == Status::Retired && !is_current(r) {
                return Err((
                    models.default_span.clone(),
                    format!(
                        "`{}` is replaced by `{r}`, which is not a current model",
                        m.id
                    ),
                ));
            }
        }
    }
    Ok(())
}
