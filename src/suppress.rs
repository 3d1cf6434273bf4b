//! Inline suppression comments, applied centrally by the engine after findings are made.
//!
//! ```python
//! client = OpenAI(api_key=KEY)  # dslint: ignore[DS601] -- the proxy injects the key
//! # dslint: ignore[DS101, hardcoded-api-key]
//! TEST_KEY = "sk-…"
//! # dslint: ignore
//! ```
//!
//! A directive is `dslint: ignore` (every rule) or `dslint: ignore[RULES]` (codes, code
//! prefixes or names, comma- or space-separated), after a comment marker on the same line
//! (`#`, `//`, `/*`, `<!--`, `--`, `;`). A directive after code suppresses findings that start
//! on its line; a directive on a line of its own suppresses findings on that line and the
//! next. Text after `--` is the reason. With `--report-unused-ignores`, directives
//! that suppressed nothing are reported as warnings.

use crate::diagnostic::Finding;
use crate::rules::Registry;

/// Comment markers a directive may follow.
const MARKERS: [&str; 6] = ["#", "//", "/*", "<!--", "--", ";"];

/// One suppression directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The 1-based line it is written on.
    pub line: u32,
    /// The rule selectors it names; `None` for a bare `dslint: ignore` (all rules).
    pub rules: Option<Vec<String>>,
    /// The reason given after `--`, if any.
    pub reason: Option<String>,
    /// True when the comment stands on its own line (it then also covers the next line).
    pub own_line: bool,
    /// True once it suppressed a finding.
    pub used: bool,
}

impl Suppression {
    /// The directive as it would be written (for messages).
    pub fn describe(&self) -> String {
        match &self.rules {
            None => "dslint: ignore".into(),
            Some(r) => format!("dslint: ignore[{}]", r.join(", ")),
        }
    }

    /// True when it applies to `finding`.
    pub fn covers(&self, finding: &Finding) -> bool {
        let line = finding.start.line;
        if line != self.line && !(self.own_line && line == self.line + 1) {
            return false;
        }
        match &self.rules {
            None => true,
            Some(sels) => sels.iter().any(|s| names(s, finding.code, finding.name)),
        }
    }
}

/// True when selector `sel` names the rule `code`/`name` (code, code prefix, name or `ALL`).
fn names(sel: &str, code: &str, name: &str) -> bool {
    match Registry::builtin().ok().and_then(|r| r.find(code)) {
        Some(rule) => crate::rules::select::selector_matches(sel, rule),
        None => sel.eq_ignore_ascii_case(code) || sel == name,
    }
}

/// What silenced a finding that is kept for SARIF (`result.suppressions`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuppressedBy {
    /// A `dslint: ignore` comment, with the reason written after `--`, if any.
    Comment(Option<String>),
    /// The `--baseline` file.
    Baseline,
}

/// A finding silenced by a comment or the baseline: other formats drop it, SARIF reports it
/// as a suppressed result so code scanning shows it dismissed instead of losing it.
#[derive(Clone, Debug)]
pub struct Suppressed {
    /// The finding.
    pub finding: Finding,
    /// What silenced it.
    pub by: SuppressedBy,
}

/// A directive that suppressed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// The file, as reported.
    pub path: String,
    /// The directive.
    pub suppression: Suppression,
}

impl std::fmt::Display for Unused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: unused suppression `{}`: no finding on this or the next line",
            self.path,
            self.suppression.line,
            self.suppression.describe()
        )
    }
}

/// Parses one directive out of a line, if it holds one after a comment marker.
fn parse_line(line: &str, number: u32) -> Option<Suppression> {
    let mut from = 0;
    while let Some(off) = line[from..].find("dslint:") {
        let at = from + off;
        from = at + "dslint:".len();
        let before = &line[..at];
        let Some(marker) = MARKERS.iter().filter_map(|m| before.find(m)).min() else {
            continue;
        };
        // Only whitespace (or the quote opening a notebook's JSON source line) before the
        // comment: the directive stands on its own line.
        let own_line = before[..marker]
            .trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .is_empty();
        let rest = line[from..].trim_start();
        let Some(after) = rest.strip_prefix("ignore") else {
            continue;
        };
        let (rules, tail) = if let Some(inner) = after.strip_prefix('[') {
            let close = inner.find(']')?;
            let sels: Vec<String> = inner[..close]
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            (Some(sels), &inner[close + 1..])
        } else {
            match after.chars().next() {
                Some(c) if c.is_alphanumeric() || c == '-' || c == '_' => continue,
                _ => (None, after),
            }
        };
        let reason = tail
            .trim_start()
            .strip_prefix("--")
            .map(|r| {
                r.trim()
                    .trim_end_matches("-->")
                    .trim_end_matches("*/")
                    .trim()
                    .to_string()
            })
            .filter(|r| !r.is_empty());
        return Some(Suppression {
            line: number,
            rules,
            reason,
            own_line,
            used: false,
        });
    }
    None
}

/// Every directive in `text`.
pub fn parse(text: &str) -> Vec<Suppression> {
    if !text.contains("dslint:") {
        return Vec::new();
    }
    let idx = crate::source::LineIndex::new(text);
    (0..idx.len())
        .filter_map(|i| parse_line(&text[idx.line_range(text, i)], i as u32 + 1))
        .collect()
}

/// Drops the findings a directive covers, marking those directives used; returns the dropped
/// findings with the reason of the first directive that covers each.
pub fn apply(findings: &mut Vec<Finding>, sups: &mut [Suppression]) -> Vec<Suppressed> {
    let mut dropped = Vec::new();
    if sups.is_empty() {
        return dropped;
    }
    findings.retain(|f| {
        let mut hit: Option<Option<String>> = None;
        for s in sups.iter_mut().filter(|s| s.covers(f)) {
            s.used = true;
            hit.get_or_insert_with(|| s.reason.clone());
        }
        match hit {
            Some(reason) => {
                dropped.push(Suppressed {
                    finding: f.clone(),
                    by: SuppressedBy::Comment(reason),
                });
                false
            }
            None => true,
        }
    });
    dropped
}

/// Rule selectors named in directives that match no rule (warned about).
pub fn unknown_rules(sups: &[Suppression]) -> Vec<(u32, String)> {
    let Ok(registry) = Registry::builtin() else {
        return Vec::new();
    };
    sups.iter()
        .flat_map(|s| {
            s.rules
                .iter()
                .flatten()
                .filter(|sel| {
                    !registry
                        .rules
                        .iter()
                        .any(|r| crate::rules::select::selector_matches(sel, r))
                })
                .map(move |sel| (s.line, sel.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_comment_syntax() {
        let text = "a = 1  # dslint: ignore[DS101, hardcoded-api-key] -- test key\n\
                    // dslint: ignore\n\
                    /* dslint: ignore[DS2] */\n\
                    <!-- dslint:ignore[DS403] -- docs show the old name -->\n\
                    -- dslint: ignore\n\
                    x = 'dslint: ignore'\n\
                    # dslint: ignore-file\n";
        let s = parse(text);
        assert_eq!(s.len(), 5, "{s:?}");
        assert_eq!(
            s[0].rules.as_deref(),
            Some(&["DS101".to_string(), "hardcoded-api-key".to_string()][..])
        );
        assert_eq!(s[0].reason.as_deref(), Some("test key"));
        assert_eq!(s[1].rules, None);
        assert_eq!(s[2].rules.as_deref(), Some(&["DS2".to_string()][..]));
        assert_eq!(s[2].reason, None);
        assert_eq!(s[3].reason.as_deref(), Some("docs show the old name"));
        assert_eq!(s[4].line, 5);
        assert!(!s[0].own_line && s[1].own_line && s[3].own_line);
        assert!(parse("    \"# dslint: ignore\\n\",\n")[0].own_line);
    }

    #[test]
    fn flags_unknown_rules() {
        let s = parse("# dslint: ignore[DS999, DS101]\n");
        assert_eq!(unknown_rules(&s), vec![(1, "DS999".to_string())]);
    }
}
