//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! ```text
//! ::error file=app.py,line=7,col=10,endLine=7,endColumn=52,title=DS101 hardcoded-api-key::Hardcoded …
//! ```
//!
//! `error`/`warning`/`notice` follow the finding's severity. Data is escaped as the runner
//! expects (`%` → `%25`, CR → `%0D`, LF → `%0A`); property values also escape `:` and `,`.
//! Columns are UTF-16 code units, as in SARIF.

use std::io::{self, Write};

use super::{ReportCtx, Reporter};
use crate::diagnostic::Severity;
use crate::outcome::Report;

/// The GitHub Actions reporter.
pub struct Github;

/// Escapes a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn write(&self, report: &Report, _ctx: &ReportCtx<'_>, out: &mut dyn Write) -> io::Result<()> {
        for f in &report.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let (end_line, end_col) =
                if (f.end.line, f.end.column_utf16) < (f.start.line, f.start.column_utf16) {
                    (f.start.line, f.start.column_utf16)
                } else {
                    (f.end.line, f.end.column_utf16)
                };
            let mut message = f.message.clone();
            if !f.help.is_empty() {
                message.push_str("\nhelp: ");
                message.push_str(&f.help);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(&f.path),
                f.start.line,
                f.start.column_utf16,
                escape_property(&format!("{} {}", f.code, f.name)),
                escape_data(&message),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
