//! `[[rule]]` tables: user-defined rules in the configuration file, read with their TOML
//! spans so that every error points into the file. The rules themselves are built by
//! [`crate::rules::custom`].

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::rules::custom::{self, CustomSpec, SpecError};
use crate::rules::spec::ExampleFile;
use crate::rules::Registry;

/// One `[[rule]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    code: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    severity: Option<Spanned<String>>,
    #[serde(default)]
    summary: Option<String>,
    on: Spanned<String>,
    when: Spanned<String>,
    message: Spanned<String>,
    #[serde(default)]
    help: Option<Spanned<String>>,
    #[serde(default)]
    kinds: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    prefilter: Option<Vec<String>>,
    #[serde(default)]
    example: Vec<Spanned<RawExample>>,
}

/// One `[[rule.example]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    bad: Option<String>,
    #[serde(default)]
    good: Option<String>,
}

/// An error at `span` in the file: `(span, message, label)`.
pub(super) type At = (Range<usize>, String, &'static str);

/// The byte range in the file of `inner` (a range inside a string value's text) when the
/// value is written without escapes; else the whole value.
fn inside(text: &str, value: &Spanned<String>, inner: Range<usize>) -> Range<usize> {
    let span = value.span();
    let raw = text.get(span.clone()).unwrap_or("");
    let quote = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3 + usize::from(raw[3..].starts_with('\n'))
    } else {
        1
    };
    let body_start = span.start + quote;
    let written = text.get(body_start..body_start + value.get_ref().len());
    if written == Some(value.get_ref().as_str()) {
        body_start + inner.start..body_start + inner.end
    } else {
        span
    }
}

/// Validates the `[[rule]]` tables and builds the registry of built-in plus custom rules
/// (`None` when there are none).
pub(super) fn build(
    text: &str,
    display: &str,
    raws: Vec<Spanned<RawRule>>,
) -> Result<Option<&'static Registry>, At> {
    if raws.is_empty() {
        return Ok(None);
    }
    if raws.len() > custom::MAX_CUSTOM_RULES {
        let span = raws[custom::MAX_CUSTOM_RULES].span();
        return Err((
            span,
            format!("at most {} custom rules", custom::MAX_CUSTOM_RULES),
            "one rule too many",
        ));
    }
    let mut compiled = Vec::new();
    let mut spans = Vec::new();
    for raw in raws {
        let table_span = raw.span();
        let raw = raw.into_inner();
        let severity = match &raw.severity {
            None => Severity::Warning,
            Some(s) => Severity::parse(s.get_ref()).ok_or_else(|| {
                (
                    s.span(),
                    format!("`{}` is not a severity", s.get_ref()),
                    "expected \"error\", \"warning\" or \"note\"",
                )
            })?,
        };
        let examples = raw
            .example
            .iter()
            .map(|e| {
                let e = e.get_ref();
                ExampleFile {
                    file: e.path.clone().unwrap_or_else(|| "app.py".into()),
                    bad: e.bad.clone(),
                    good: e.good.clone(),
                }
            })
            .collect();
        let spec = CustomSpec {
            code: raw.code.get_ref().clone(),
            name: raw.name.get_ref().clone(),
            severity,
            summary: raw.summary.clone(),
            on: raw.on.get_ref().clone(),
            when: raw.when.get_ref().clone(),
            message: raw.message.get_ref().clone(),
            help: raw.help.as_ref().map_or_else(
                || format!("See `dslint rule {}`.", raw.code.get_ref()),
                |h| h.get_ref().clone(),
            ),
            kinds: raw.kinds.as_ref().map(|k| k.get_ref().clone()),
            prefilter: raw.prefilter.clone(),
            examples,
            file: display.to_string(),
        };
        let rule = custom::compile(&spec).map_err(|e| match e {
            SpecError::Field(field, message) => {
                let span = match field {
                    "code" => raw.code.span(),
                    "name" => raw.name.span(),
                    "on" => raw.on.span(),
                    "kinds" => raw.kinds.as_ref().map_or(table_span.clone(), |k| k.span()),
                    "example" => raw
                        .example
                        .iter()
                        .find(|x| x.get_ref().bad.is_none() && x.get_ref().good.is_none())
                        .map_or(table_span.clone(), |x| x.span()),
                    _ => table_span.clone(),
                };
                (span, message, "invalid rule")
            }
            SpecError::At(field, message, inner) => {
                let value = match field {
                    "when" => &raw.when,
                    "message" => &raw.message,
                    _ => raw.help.as_ref().unwrap_or(&raw.message),
                };
                (inside(text, value, inner), message, "here")
            }
        })?;
        compiled.push(rule);
        spans.push(raw.code.span());
    }
    let registry = Registry::with_custom(compiled).map_err(|(i, message)| {
        let span = spans.get(i).cloned().unwrap_or(0..0);
        (span, message, "already taken")
    })?;
    Ok(Some(Box::leak(Box::new(registry))))
}
