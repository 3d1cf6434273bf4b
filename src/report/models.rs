//! `dslint models`: the model catalogue as a table or JSON.

use std::io::{self, Write};

use super::Format;
use crate::catalogue::{Catalogue, Status};

/// Writes the catalogue in `format` (JSON for `json`, a table otherwise).
pub fn write(cat: &Catalogue, format: Format, out: &mut dyn Write) -> io::Result<()> {
    if format == Format::Json {
        let doc = serde_json::json!({
            "version": 1,
            "default_model": cat.data.default_model,
            "models": cat.data.models,
            "openai_patterns": cat.data.openai.patterns,
            "hosts": cat.data.hosts,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    writeln!(out, "{:<30} {:<27} details", "model", "status")?;
    for m in &cat.data.models {
        let status = match m.status {
            Status::Current => "current",
            Status::Retired => "retired",
            Status::NotServedByOfficialApi => "not served by official API",
        };
        let details = match m.status {
            Status::Retired => format!(
                "retired {}; use `{}` with thinking {}",
                m.retired.as_deref().unwrap_or("?"),
                m.replacement.as_deref().unwrap_or(cat.default_model()),
                m.thinking.as_deref().unwrap_or("as needed")
            ),
            Status::NotServedByOfficialApi => format!("valid on: {}", m.valid_on.join("; ")),
            Status::Current => m.note.clone().unwrap_or_default(),
        };
        writeln!(out, "{:<30} {:<27} {}", m.id, status, details)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "default model for suggestions and fixes: {}",
        cat.default_model()
    )
}
