//! User-defined rules (`[[rule]]` in the configuration): a condition over one fact kind
//! ([`crate::checks::kinds`]), compiled into an ordinary [`Rule`] whose check is
//! [`Check::Custom`], so that the engine stamps its findings like any built-in rule's
//! (severity overrides, suppressions, selectors, baseline, every output format).
//!
//! The configuration layer ([`crate::config`]) reads the TOML and points errors into the
//! file; this module validates the values and builds the rule.

use std::ops::Range;

use super::condition::{self, Expr, ParseError};
use super::spec::ExampleFile;
use super::{leak, parse_kinds, Check, Registry, Rule, Scope, BUILTIN_FILES};
use crate::checks::{kinds, Ctx};
use crate::diagnostic::{Hit, Severity};
use crate::facts::view::{Kind, Val};

/// At most this many custom rules per configuration (the prefilter tracks 128 rules).
pub const MAX_CUSTOM_RULES: usize = 100;

/// The file kinds a custom rule runs on unless it says otherwise (those with facts).
pub const DEFAULT_KINDS: &[&str] = &[
    "code",
    "env",
    "yaml",
    "json",
    "toml",
    "ini",
    "shell",
    "dockerfile",
];

/// The prefilter literal of a custom rule that sets none: like the built-in fact rules, it
/// runs on files that mention DeepSeek.
pub const DEFAULT_PREFILTER: &[&str] = &["deepseek"];

/// A custom rule as written, before validation (strings only; spans stay with the caller).
#[derive(Clone, Debug)]
pub struct CustomSpec {
    /// The code (`X001`).
    pub code: String,
    /// The kebab-case name.
    pub name: String,
    /// The default severity.
    pub severity: Severity,
    /// One line for `--list-rules` and SARIF (defaults to the name).
    pub summary: Option<String>,
    /// The fact kind.
    pub on: String,
    /// The condition.
    pub when: String,
    /// The message template (`{request.model}`…).
    pub message: String,
    /// The help template.
    pub help: String,
    /// File kinds, if given.
    pub kinds: Option<Vec<String>>,
    /// Prefilter literals, if given.
    pub prefilter: Option<Vec<String>>,
    /// Examples.
    pub examples: Vec<ExampleFile>,
    /// The configuration file, as displayed.
    pub file: String,
}

/// What is wrong with a custom rule: the field, and either a message for the whole value or
/// a parse error inside the condition or a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    /// The field's value is wrong.
    Field(&'static str, String),
    /// The field's text is wrong at `span` (byte range inside the value).
    At(&'static str, String, Range<usize>),
}

/// The compiled logic of a custom rule.
#[derive(Debug)]
pub struct CustomCheck {
    kind: &'static Kind,
    when: Expr,
    message: String,
    help: String,
}

/// Checks a code: not `DS…`, letters then digits (`X001`, `ACME12`).
pub fn check_code(code: &str) -> Result<(), String> {
    let letters = code.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &code[letters..];
    if code.len() >= 2 && code[..2].eq_ignore_ascii_case("DS") {
        return Err(format!(
            "`{code}`: codes starting with DS are reserved for built-in rules"
        ));
    }
    if letters == 0 || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{code}` is not a rule code: uppercase letters then digits, such as `X001`"
        ));
    }
    Ok(())
}

/// The placeholders of a template must be fields of `kind`; returns the first that is not.
fn check_template(kind: &Kind, field: &'static str, t: &str) -> Result<(), SpecError> {
    let mut at = 0;
    while let Some(open) = t[at..].find('{').map(|i| i + at) {
        let Some(close) = t[open..].find('}').map(|i| i + open) else {
            break;
        };
        let name = &t[open + 1..close];
        let ok = name
            .split_once('.')
            .is_some_and(|(k, f)| k == kind.name && kind.field(f).is_some());
        if !ok {
            return Err(SpecError::At(
                field,
                format!(
                    "unknown placeholder `{{{name}}}`: use the fields of `{}`",
                    kind.name
                ),
                open..close + 1,
            ));
        }
        at = close + 1;
    }
    Ok(())
}

/// Fills a template from a fact; a literal key is shown redacted, an unknown value as `?`.
fn fill(kind: &Kind, t: &str, row: &[Val]) -> String {
    let mut out = String::with_capacity(t.len() + 16);
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let field = after[..close].split_once('.').map_or("", |(_, f)| f);
        let value = kind.field(field).and_then(|i| row.get(i));
        match value {
            Some(Val::Str(s)) if kind.name == "key" && field == "value" => {
                out.push_str(&crate::redact::redact_key(s))
            }
            Some(Val::Str(s)) => out.push_str(s),
            Some(Val::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
            _ => out.push('?'),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

impl CustomCheck {
    /// Reports each fact of the rule's kind for which the condition holds.
    pub fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
        for row in kinds::rows(self.kind, ctx) {
            if self.when.holds(&row.values, ctx.settings) {
                let mut hit = Hit::at(row.span.clone());
                hit.message = Some(fill(self.kind, &self.message, &row.values));
                hit.help = Some(fill(self.kind, &self.help, &row.values));
                out.push(hit);
            }
        }
    }
}

fn docs(spec: &CustomSpec) -> String {
    let mut d = format!(
        "Custom rule from {}.\n\n## What it does\nReports each `{}` fact for which:\n\n    {}\n\nMessage: {}\n",
        spec.file,
        spec.on,
        spec.when.trim(),
        spec.message
    );
    if !spec.help.is_empty() {
        d.push_str(&format!("\n## Help\n{}\n", spec.help));
    }
    for ex in &spec.examples {
        let lang = ex.file.rsplit('.').next().unwrap_or("");
        if let Some(bad) = &ex.bad {
            d.push_str(&format!(
                "\n## Example ({})\n```{lang}\n{}\n```\n",
                ex.file,
                bad.trim_end()
            ));
        }
        if let Some(good) = &ex.good {
            d.push_str(&format!(
                "\n## Use instead\n```{lang}\n{}\n```\n",
                good.trim_end()
            ));
        }
    }
    d
}

/// Validates a custom rule and compiles it.
pub fn compile(spec: &CustomSpec) -> Result<Rule, SpecError> {
    check_code(&spec.code).map_err(|m| SpecError::Field("code", m))?;
    let kebab = !spec.name.is_empty()
        && spec
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !kebab {
        return Err(SpecError::Field(
            "name",
            format!("`{}` is not kebab-case", spec.name),
        ));
    }
    let kind = kinds::kind(&spec.on).ok_or_else(|| {
        let names: Vec<&str> = kinds::all().map(|k| k.name).collect();
        SpecError::Field(
            "on",
            format!(
                "unknown fact kind `{}` (kinds: {})",
                spec.on,
                names.join(", ")
            ),
        )
    })?;
    let when = condition::parse(&spec.when, kind)
        .map_err(|ParseError { message, span }| SpecError::At("when", message, span))?;
    check_template(kind, "message", &spec.message)?;
    check_template(kind, "help", &spec.help)?;
    let kind_names: Vec<String> = match &spec.kinds {
        Some(k) => k.clone(),
        None => DEFAULT_KINDS.iter().map(|s| s.to_string()).collect(),
    };
    let kinds = parse_kinds(&spec.file, "kinds", &kind_names)
        .map_err(|e| SpecError::Field("kinds", e.reason))?;
    if kinds == 0 {
        return Err(SpecError::Field("kinds", "no file kind given".into()));
    }
    for (i, ex) in spec.examples.iter().enumerate() {
        if ex.bad.is_none() && ex.good.is_none() {
            return Err(SpecError::Field(
                "example",
                format!("example {} needs `bad` or `good`", i + 1),
            ));
        }
    }
    let check: &'static CustomCheck = Box::leak(Box::new(CustomCheck {
        kind,
        when,
        message: spec.message.clone(),
        help: spec.help.clone(),
    }));
    let prefilter = match &spec.prefilter {
        Some(p) => p.clone(),
        None => DEFAULT_PREFILTER.iter().map(|s| s.to_string()).collect(),
    };
    Ok(Rule {
        code: leak(spec.code.clone()),
        name: leak(spec.name.clone()),
        severity: spec.severity,
        summary: leak(spec.summary.clone().unwrap_or_else(|| spec.name.clone())),
        message: leak(spec.message.clone()),
        help: leak(spec.help.clone()),
        docs: leak(docs(spec)),
        file: leak(spec.file.clone()),
        kinds,
        prefilter,
        prefilter_also: Vec::new(),
        check: Some(Check::Custom(check)),
        scope: Scope::File,
        tags: vec!["custom".into()],
        precision: "high",
        security_severity: None,
        fix: None,
        patterns: Vec::new(),
        queries: Vec::new(),
        examples: spec.examples.clone(),
    })
}

impl Registry {
    /// The built-in rules plus `custom` (already compiled). Fails with the index of the
    /// first custom rule whose code or name is taken.
    pub fn with_custom(custom: Vec<Rule>) -> Result<Registry, (usize, String)> {
        let mut reg = Registry::load(BUILTIN_FILES).map_err(|e| (0, e.to_string()))?;
        for (i, rule) in custom.into_iter().enumerate() {
            if let Some(prev) = reg
                .rules
                .iter()
                .find(|r| r.code.eq_ignore_ascii_case(rule.code) || r.name == rule.name)
            {
                let what = if prev.code.eq_ignore_ascii_case(rule.code) {
                    format!("code `{}`", rule.code)
                } else {
                    format!("name `{}`", rule.name)
                };
                return Err((
                    i,
                    format!(
                        "duplicate {what}: already used by {} {}",
                        prev.code, prev.name
                    ),
                ));
            }
            reg.rules.push(rule);
        }
        reg.rules.sort_by_key(|r| r.code);
        Ok(reg)
    }
}
