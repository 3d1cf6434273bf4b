//! Built-in rules written as data: a condition over one fact kind (`on` + `when` in the rule
//! file, the same language as custom rules' conditions), message arguments chosen by
//! `[[case]]`s, and a fix written as an edit (`[edit] replace = … with = …`) or named
//! (`[edit] named = "…"`, a Rust function in [`super::named::lookup_fix`]).
//!
//! Each fact for which the condition holds is one finding at the fact's span (with
//! `one_per_span = true`, a span is reported once, for the first fact that holds there); the
//! fact's fields are the message's `{placeholders}`.

use std::collections::HashSet;

use super::condition::{self, Expr};
use super::named::{lookup_fix, lookup_gate, Gate, NamedFix};
use super::spec::RuleFile;
use crate::checks::clients::replace_in;
use crate::checks::fact::Fact;
use crate::checks::kinds;
use crate::checks::Ctx;
use crate::diagnostic::{fill, Fix, Hit};
use crate::facts::view::{Kind, Row, Val};
use crate::project::kinds::{self as project_kinds, ProjectKind};
use crate::project::{ProjectCtx, ProjectHit};

/// The fix of a condition rule.
#[derive(Debug)]
enum Edit {
    /// Written in Rust.
    Named(NamedFix),
    /// Offered by a project fact, by name.
    Offered(&'static str),
    /// Replace field `replace`'s text inside the span with the value of field (or case
    /// argument) `with`; safe where `safe_when` holds.
    Replace {
        replace: &'static str,
        with: &'static str,
        title: String,
        safe_when: Option<Expr>,
    },
}

/// One `[[case]]`.
#[derive(Debug)]
struct Case {
    /// Its condition (none: always).
    when: Option<Expr>,
    /// The message arguments it adds.
    args: Vec<(&'static str, String)>,
    /// The message and help templates replacing the rule's.
    message: Option<String>,
    help: Option<String>,
}

/// The compiled logic of a condition rule.
#[derive(Debug)]
pub struct FactRule {
    kind: &'static Kind,
    /// The project kind, for a project-scope rule.
    project: Option<&'static ProjectKind>,
    gate: Option<Gate>,
    one_per_span: bool,
    related_by: Option<&'static str>,
    one_per_line: bool,
    when: Expr,
    cases: Vec<Case>,
    edit: Option<Edit>,
    /// Where the fix is offered (none: everywhere).
    edit_when: Option<Expr>,
    safe: bool,
}

fn static_field(kind: &'static Kind, name: &str) -> Option<&'static str> {
    kind.fields
        .iter()
        .find(|(f, _)| *f == name)
        .map(|(f, _)| *f)
}

/// The `{placeholders}` of a template.
fn placeholders(t: &str) -> impl Iterator<Item = &str> {
    t.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Compiles the condition part of a rule file (`on`, `when`, `case`, `edit`); `Ok(None)`
/// when the rule has no `on`. Errors are `(field, reason)`.
pub fn compile(raw: &RuleFile) -> Result<Option<FactRule>, (&'static str, String)> {
    let Some(on) = &raw.on else {
        if raw.when.is_some() || !raw.case.is_empty() || raw.edit.is_some() || raw.gate.is_some() {
            return Err((
                "on",
                "`when`, `case`, `edit`, `gate`, `one_per_span`, `related_by` and `one_per_line` need `on`".into(),
            ));
        }
        return Ok(None);
    };
    let project = project_kinds::kind(on);
    let kind = kinds::kind(on)
        .or(project.map(|p| &p.kind))
        .ok_or_else(|| {
            let names: Vec<&str> = kinds::all()
                .chain(project_kinds::KINDS.iter().map(|p| &p.kind))
                .map(|k| k.name)
                .collect();
            (
                "on",
                format!("unknown fact kind `{on}` (kinds: {})", names.join(", ")),
            )
        })?;
    if raw.check.is_some() {
        return Err(("check", "a condition rule (`on`) takes no `check`".into()));
    }
    let parse = |field: &'static str, src: &str| {
        condition::parse(src, kind).map_err(|e| {
            (
                field,
                format!("{} (at byte {} of the condition)", e.message, e.span.start),
            )
        })
    };
    let when = parse(
        "when",
        raw.when.as_deref().ok_or(("when", "missing".into()))?,
    )?;
    let mut cases = Vec::new();
    for c in &raw.case {
        let cond = c
            .when
            .as_deref()
            .map(|w| parse("case.when", w))
            .transpose()?;
        let args = c
            .args
            .iter()
            .map(|(n, t)| (super::leak(n.clone()), t.clone()))
            .collect();
        cases.push(Case {
            when: cond,
            args,
            message: c.message.clone(),
            help: c.help.clone(),
        });
    }
    let known = |name: &str| {
        kind.field(name).is_some() || raw.case.iter().any(|c| c.args.contains_key(name))
    };
    let field = |what: &'static str,
                 name: &Option<String>|
     -> Result<&'static str, (&'static str, String)> {
        let name = name.as_deref().ok_or((what, "missing".to_string()))?;
        if !known(name) {
            return Err((
                what,
                format!("`{}` has no field or case argument `{name}`", kind.name),
            ));
        }
        Ok(static_field(kind, name).unwrap_or_else(|| super::leak(name.to_string())))
    };
    let edit = match &raw.edit {
        None => None,
        Some(e) => match &e.named {
            Some(n) => match project {
                Some(p) => Some(Edit::Offered(
                    p.fixes.iter().find(|f| *f == n).copied().ok_or((
                        "edit.named",
                        format!(
                            "`{on}` facts offer no fix `{n}` (they offer: {})",
                            p.fixes.join(", ")
                        ),
                    ))?,
                )),
                None => Some(Edit::Named(
                    lookup_fix(n).ok_or(("edit.named", format!("unknown fix `{n}`")))?,
                )),
            },
            None => Some(Edit::Replace {
                replace: field("edit.replace", &e.replace)?,
                with: field("edit.with", &e.with)?,
                title: e
                    .title
                    .clone()
                    .ok_or(("edit.title", "missing".to_string()))?,
                safe_when: e
                    .safe_when
                    .as_deref()
                    .map(|w| parse("edit.safe_when", w))
                    .transpose()?,
            }),
        },
    };
    let edit_when = match &raw.edit {
        Some(e) => e
            .when
            .as_deref()
            .map(|w| parse("edit.when", w))
            .transpose()?,
        None => None,
    };
    if edit.is_some() && raw.fix.is_none() {
        return Err((
            "fix",
            "a rule with an `edit` says whether it is safe or unsafe".into(),
        ));
    }
    let mut templates: Vec<(&'static str, &str)> =
        vec![("message", &raw.message), ("help", &raw.help)];
    if let Some(Edit::Replace { title, .. }) = &edit {
        templates.push(("edit.title", title));
    }
    for c in &raw.case {
        templates.extend(c.args.values().map(|t| ("case.args", t.as_str())));
        templates.extend(c.message.iter().map(|t| ("case.message", t.as_str())));
        templates.extend(c.help.iter().map(|t| ("case.help", t.as_str())));
    }
    for (what, t) in templates {
        if let Some(p) = placeholders(t).find(|p| !known(p)) {
            return Err((
                what,
                format!(
                    "unknown placeholder `{{{p}}}`: use the fields of `{}`",
                    kind.name
                ),
            ));
        }
    }
    let gate = match &raw.gate {
        Some(g) => Some(lookup_gate(g).ok_or(("gate", format!("unknown gate `{g}`")))?),
        None => None,
    };
    if project.is_some() && (gate.is_some() || raw.related_by.is_some() || raw.one_per_line) {
        return Err((
            "on",
            "a project kind takes no `gate`, `related_by` or `one_per_line`".into(),
        ));
    }
    Ok(Some(FactRule {
        kind,
        project,
        gate,
        one_per_span: raw.one_per_span,
        related_by: match &raw.related_by {
            Some(f) => Some(
                static_field(kind, f)
                    .ok_or(("related_by", format!("`{}` has no field `{f}`", kind.name)))?,
            ),
            None => None,
        },
        one_per_line: raw.one_per_line,
        when,
        cases,
        edit,
        edit_when,
        safe: raw.fix.as_deref() == Some("safe"),
    }))
}

impl FactRule {
    /// True for a project-scope rule.
    pub fn is_project(&self) -> bool {
        self.project.is_some()
    }

    /// True when the rule reports one finding per value of a field, the other uses as related
    /// locations (`related_by`).
    pub fn groups_related(&self) -> bool {
        self.related_by.is_some()
    }

    /// The hit for a fact the condition holds for: its message arguments, case message and
    /// help; no fix yet.
    fn hit(&self, row: &Row, settings: &crate::settings::Settings) -> Hit {
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        for ((name, _), v) in self.kind.fields.iter().zip(&row.values) {
            match v {
                Val::Str(s) => fields.push((name, s.clone())),
                Val::Bool(b) => fields.push((name, b.to_string())),
                Val::Null => {}
            }
        }
        let mut hit = Hit::at(row.span.clone());
        let case = self.cases.iter().find(|c| {
            c.when
                .as_ref()
                .is_none_or(|w| w.holds(&row.values, settings))
        });
        if let Some(c) = case {
            for (n, t) in &c.args {
                hit.args.push((n, fill(t, &fields)));
            }
        }
        hit.args.extend(fields);
        if let Some(c) = case {
            hit.message = c.message.as_ref().map(|t| fill(t, &hit.args));
            hit.help = c.help.as_ref().map(|t| fill(t, &hit.args));
        }
        hit
    }

    /// A project-scope rule's findings over the run.
    pub fn run_project(&self, ctx: &ProjectCtx<'_>) -> Vec<ProjectHit> {
        let Some(kind) = self.project else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for mut pr in kind.rows(ctx) {
            if !self.when.holds(&pr.row.values, ctx.settings) {
                continue;
            }
            let mut hit = self.hit(&pr.row, ctx.settings);
            hit.fingerprint = pr.fingerprint.take();
            let offered = self
                .edit_when
                .as_ref()
                .is_none_or(|w| w.holds(&pr.row.values, ctx.settings));
            if let (Some(Edit::Offered(name)), true) = (&self.edit, offered) {
                hit.fix = pr
                    .fixes
                    .iter()
                    .position(|(n, _)| n == name)
                    .map(|i| pr.fixes.swap_remove(i).1);
            }
            out.push(ProjectHit {
                display: pr.display,
                text: pr.text,
                hit,
            });
        }
        out
    }

    /// Reports each fact of the rule's kind for which the condition holds.
    pub fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
        if self.gate.is_some_and(|g| !g(ctx.text(), ctx.doc.kind)) {
            return;
        }
        if self.related_by.is_none() && !self.one_per_line {
            return self.hits(ctx, out);
        }
        let mut hits = Vec::new();
        self.hits(ctx, &mut hits);
        if let Some(field) = self.related_by {
            hits = related_by(hits, field);
        }
        if self.one_per_line {
            hits = one_per_line(ctx.text(), hits);
        }
        out.extend(hits);
    }

    /// The hits, one per fact that holds.
    fn hits(&self, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
        let mut seen = HashSet::new();
        for row in kinds::rows(self.kind, ctx) {
            if !self.when.holds(&row.values, ctx.settings)
                || (self.one_per_span && !seen.insert(row.span.clone()))
            {
                continue;
            }
            let mut hit = self.hit(&row, ctx.settings);
            let fact = Fact {
                kind: self.kind,
                row: &row,
            };
            let holds = |e: &Expr| e.holds(&row.values, ctx.settings);
            let edit = self
                .edit
                .as_ref()
                .filter(|_| self.edit_when.as_ref().is_none_or(holds));
            match edit {
                Some(Edit::Named(f)) => f(ctx, &fact, &mut hit),
                Some(Edit::Offered(_)) => {}
                Some(Edit::Replace {
                    replace,
                    with,
                    title,
                    safe_when,
                }) => {
                    let arg = |n: &str| {
                        hit.args
                            .iter()
                            .find(|(a, _)| *a == n)
                            .map(|(_, v)| v.as_str())
                    };
                    let edit = match (arg(replace), arg(with)) {
                        (Some(old), Some(new)) => replace_in(ctx.text(), &row.span, old, new),
                        _ => None,
                    };
                    if let Some(e) = edit {
                        hit.fix = Some(Fix {
                            title: fill(title, &hit.args),
                            safe: safe_when.as_ref().map_or(self.safe, holds),
                            edits: vec![e],
                        });
                    }
                }
                None => {}
            }
            out.push(hit);
        }
    }
}

/// One hit per value of argument `field` (the first by position), the others as its related
/// locations; hits without that argument stay as they are.
fn related_by(mut hits: Vec<Hit>, field: &str) -> Vec<Hit> {
    hits.sort_by_key(|h| h.range.start);
    let mut out: Vec<Hit> = Vec::new();
    let mut first_of: std::collections::HashMap<String, usize> = Default::default();
    for h in hits {
        let value = h.args.iter().find(|(k, _)| *k == field).map(|(_, v)| v);
        match value {
            Some(v) => match first_of.get(v) {
                Some(&i) => out[i].related.push(h.range),
                None => {
                    first_of.insert(v.clone(), out.len());
                    out.push(h);
                }
            },
            None => out.push(h),
        }
    }
    out
}

/// The first hit of each line.
fn one_per_line(text: &str, mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| h.range.start);
    let mut out = Vec::new();
    let mut last_line = None;
    for h in hits {
        let start = h.range.start.min(text.len());
        let line = text.as_bytes()[..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        out.push(h);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::compile;

    const HEAD: &str = "code = \"DS999\"\nname = \"x\"\nseverity = \"error\"\nsummary = \"s\"\nkinds = [\"code\"]\n";

    fn error(body: &str) -> (String, String) {
        let text = format!("{HEAD}{body}");
        let e = compile("DS999-x.toml", &text).unwrap_err();
        (e.field, e.reason)
    }

    #[test]
    fn a_condition_rule_compiles() {
        let body = "message = \"`{model}` {detail}\"\nhelp = \"\"\nfix = \"unsafe\"\non = \"model_use\"\nwhen = \"model_use.status == 'retired'\"\n[[case]]\nargs = { detail = \"is {status}\" }\n[edit]\nreplace = \"model\"\nwith = \"replacement\"\ntitle = \"Use `{replacement}`\"\n";
        let rule = compile("DS999-x.toml", &format!("{HEAD}{body}")).unwrap();
        assert!(matches!(rule.check, Some(crate::rules::Check::Facts(_))));
    }

    #[test]
    fn errors_name_the_field() {
        let m = "message = \"m\"\nhelp = \"\"\n";
        assert_eq!(
            error(&format!("{m}on = \"model_uses\"\nwhen = \"true\"\n")).0,
            "on"
        );
        let (field, reason) = error(&format!(
            "{m}on = \"model_use\"\nwhen = \"model_use.modle == 'x'\"\n"
        ));
        assert_eq!(field, "when");
        assert!(
            reason.starts_with("`model_use` has no field `modle`"),
            "{reason}"
        );
        let (field, reason) =
            error("message = \"{mdoel}\"\nhelp = \"\"\non = \"model_use\"\nwhen = \"true\"\n");
        assert_eq!(
            (field.as_str(), reason.as_str()),
            (
                "message",
                "unknown placeholder `{mdoel}`: use the fields of `model_use`"
            )
        );
        assert_eq!(
            error(&format!("{m}fix = \"safe\"\non = \"model_use\"\nwhen = \"true\"\n[edit]\nnamed = \"frob\"\n")),
            ("edit.named".to_string(), "unknown fix `frob`".to_string())
        );
        assert_eq!(
            error(&format!(
                "{m}on = \"model_use\"\nwhen = \"true\"\n[edit]\nnamed = \"retired-model\"\n"
            ))
            .0,
            "fix"
        );
        assert_eq!(
            error(&format!(
                "{m}on = \"model_use\"\ngate = \"nope\"\nwhen = \"true\"\n"
            )),
            ("gate".to_string(), "unknown gate `nope`".to_string())
        );
        assert_eq!(
            error(&format!(
                "{m}check = \"tracked-env-file\"\non = \"model_use\"\nwhen = \"true\"\n"
            ))
            .0,
            "check"
        );
        assert_eq!(
            error(&format!("{m}check = \"x\"\nwhen = \"true\"\n")).0,
            "on"
        );
    }
}
