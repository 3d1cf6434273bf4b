//! Rule selectors: the codes, code prefixes and names that `--select`, `--ignore`, the
//! configuration's `select`/`ignore`/`per-file-ignores` and `dslint: ignore` comments use.

use super::{Registry, Rule};

/// True when `sel` (a code, a code prefix like `DS2`, a name, or `ALL`) names `rule`.
pub fn selector_matches(sel: &str, rule: &Rule) -> bool {
    let sel = sel.trim();
    sel.eq_ignore_ascii_case("all")
        || rule.is_named(sel)
        || (sel.len() >= 2
            && sel[..2].eq_ignore_ascii_case("DS")
            && rule.code.starts_with(&sel.to_ascii_uppercase()))
}

/// Checks that every selector names at least one rule.
pub fn validate_selectors(registry: &Registry, sels: &[String]) -> Result<(), String> {
    for s in sels {
        if !registry.rules.iter().any(|r| selector_matches(s, r)) {
            return Err(format!("unknown rule `{s}` (see `dslint --list-rules`)"));
        }
    }
    Ok(())
}

/// Applies `--select`/`--ignore` to the registry.
pub fn enabled_rules<'r>(
    registry: &'r Registry,
    select: &[String],
    ignore: &[String],
) -> Vec<&'r Rule> {
    registry
        .rules
        .iter()
        .filter(|r| select.is_empty() || select.iter().any(|s| selector_matches(s, r)))
        .filter(|r| !ignore.iter().any(|s| selector_matches(s, r)))
        .collect()
}
