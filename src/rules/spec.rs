//! The rule file format: one TOML file per rule under `rules/`.
//!
//! Most rules are a condition over one fact kind ([`crate::checks::kinds`]), with message
//! variants and a fix as data (see [`crate::rules::fact_rule`]):
//!
//! ```toml
//! code = "DS403"
//! name = "retired-deepseek-model"
//! message = "`{model}` was retired on {date}; use `{replacement}`"
//! on = "model_use"
//! when = "model_use.status == 'retired' and model_use.target == 'deepseek'"
//! fix = "unsafe"
//!
//! [edit]
//! replace = "model"
//! with = "replacement"
//! title = "Use `{replacement}`"
//! ```
//!
//! Others name a Rust check, and may match patterns or tree-sitter queries:
//!
//! ```toml
//! code = "DS101"
//! name = "hardcoded-api-key"
//! severity = "error"
//! summary = "Hardcoded API key"
//! message = "Hardcoded {provider} API key `{key}`"
//! help = "Read the key from an environment variable."
//! kinds = ["*"]
//! prefilter = ["sk-"]
//! check = "secret-key"
//!
//! [[pattern]]
//! regex = '''(?P<m>sk-[A-Za-z0-9]{20,})'''
//!
//! [queries]
//! python = '''(string) @m'''
//!
//! [[example]]
//! file = "app.py"
//! bad = '''key = "sk-…"'''
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

/// A rule as written in its TOML file, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Stable code, `DS` + three digits.
    pub code: String,
    /// Stable kebab-case name.
    pub name: String,
    /// Default severity: `error`, `warning` or `note`.
    pub severity: String,
    /// One-line description (SARIF `shortDescription`).
    pub summary: String,
    /// Message template; `{arg}` placeholders are filled from the match.
    pub message: String,
    /// Default help text (how to fix).
    pub help: String,
    /// Long documentation in Markdown, ruff-style headings.
    #[serde(default)]
    pub docs: String,
    /// File kinds the rule applies to; `"*"` means all.
    pub kinds: Vec<String>,
    /// Literals (ASCII case-insensitive) of which at least one must occur in a file for the
    /// rule to run on it; empty means the rule always runs.
    #[serde(default)]
    pub prefilter: Vec<String>,
    /// A second literal family (ASCII case-insensitive): when given, one of these must occur
    /// too (e.g. `authorization` AND one of `deepseek`, `openai`).
    #[serde(default)]
    pub prefilter_also: Vec<String>,
    /// Name of a semantic check (a small Rust module) that filters or produces findings.
    #[serde(default)]
    pub check: Option<String>,
    /// The fact kind a condition rule reads (`model_use`, `request`…): with `when`, the
    /// rule's logic is data, and it takes no `check`.
    #[serde(default)]
    pub on: Option<String>,
    /// The condition over a fact of kind `on`: each fact for which it holds is a finding (one
    /// per span), with the fact's fields as message arguments.
    #[serde(default)]
    pub when: Option<String>,
    /// Message arguments that depend on the fact: the first case whose `when` holds (or that
    /// has none) adds its `args`, templates over the fact's fields.
    #[serde(default)]
    pub case: Vec<CaseFile>,
    /// A condition rule reports each span once, for the first fact that holds there.
    #[serde(default)]
    pub one_per_span: bool,
    /// A condition rule reports one finding per value of this field (its first, by position),
    /// with the others as related locations; findings where it is null stay as they are.
    #[serde(default)]
    pub related_by: Option<String>,
    /// A condition rule keeps the first finding of each line.
    #[serde(default)]
    pub one_per_line: bool,
    /// A condition rule's named gate (a quick test of the document's text, in Rust: see
    /// [`crate::rules::named::lookup_gate`]): documents it rejects are not searched.
    #[serde(default)]
    pub gate: Option<String>,
    /// The fix of a condition rule: an edit written as data, or a named fix.
    #[serde(default)]
    pub edit: Option<EditFile>,
    /// `file` (default) or `project` (cross-file, runs after the per-file pass).
    #[serde(default)]
    pub scope: Option<String>,
    /// Tags for SARIF (`security`, `correctness`…).
    #[serde(default)]
    pub tags: Vec<String>,
    /// SARIF precision: `very-high`, `high`, `medium`, `low`.
    #[serde(default)]
    pub precision: Option<String>,
    /// SARIF `security-severity`, 0.0–10.0, for security rules.
    #[serde(default)]
    pub security_severity: Option<f32>,
    /// `safe` or `unsafe` when the rule offers a fix.
    #[serde(default)]
    pub fix: Option<String>,
    /// Regexes over document text; the named group `m` (or the whole match) is the span.
    #[serde(default)]
    pub pattern: Vec<PatternFile>,
    /// tree-sitter queries by language (`python`, `javascript`, `typescript`, `tsx`, `rust`);
    /// the capture `@m` is the span, other captures become message arguments.
    #[serde(default)]
    pub queries: BTreeMap<String, String>,
    /// Examples run by the test suite: `bad` must fire, `good` must stay silent.
    #[serde(default)]
    pub example: Vec<ExampleFile>,
}

/// One case of a condition rule's message arguments.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The condition (over the rule's fact kind); none: always.
    #[serde(default)]
    pub when: Option<String>,
    /// Argument name → template over the fact's fields (`{model}`).
    #[serde(default)]
    pub args: BTreeMap<String, String>,
    /// A message replacing the rule's, a template like it.
    #[serde(default)]
    pub message: Option<String>,
    /// A help replacing the rule's, a template like it.
    #[serde(default)]
    pub help: Option<String>,
}

/// The fix of a condition rule: either `named` (a fix written in Rust, listed in
/// [`crate::rules::named::lookup_fix`]) or `replace` + `with` + `title` (replace the text
/// of one field inside the finding's span with another field's or a case argument's value;
/// no fix when either is null or the text is not found exactly once), optionally only
/// `when` a condition holds and safe only where `safe_when` holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditFile {
    /// A named fix.
    #[serde(default)]
    pub named: Option<String>,
    /// The field whose text is replaced.
    #[serde(default)]
    pub replace: Option<String>,
    /// The field giving the new text.
    #[serde(default)]
    pub with: Option<String>,
    /// The fix's title, a template over the fact's fields.
    #[serde(default)]
    pub title: Option<String>,
    /// A condition: the fix is offered only where it holds.
    #[serde(default)]
    pub when: Option<String>,
    /// A condition deciding, per fact, whether the fix is safe (default: the rule's `fix`).
    #[serde(default)]
    pub safe_when: Option<String>,
}

/// A text pattern of a rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    /// The regex.
    pub regex: String,
    /// Kinds this pattern applies to; defaults to the rule's kinds.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// One example of a rule.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExampleFile {
    /// File name deciding the kind (e.g. `app.py`, `.env`).
    pub file: String,
    /// Code that must produce at least one finding of this rule.
    #[serde(default)]
    pub bad: Option<String>,
    /// Code that must produce no finding of this rule.
    #[serde(default)]
    pub good: Option<String>,
}
