//! Conditions over facts: the `when = "…"` of a custom rule, parsed once and evaluated on
//! each fact of the rule's kind ([`crate::facts::view`]).
//!
//! ```text
//! expr    := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := operand (("==" | "!=") operand
//!                    | ["not"] "in" "[" operand ("," operand)* "]"
//!                    | "matches" STRING)?
//! operand := STRING | true | false | null | KIND.FIELD | FUNC "(" expr, … ")" | "(" expr ")"
//! ```
//!
//! Strings are quoted with `"` or `'`. A field that is not known (null) makes every
//! comparison false, except `== null` and `!= null`; alone, a value is true when it is
//! `true` or a non-empty string.

mod parse;

use regex::Regex;

pub use parse::{parse, ParseError};

use crate::facts::view::{self, Val};
use crate::settings::Settings;

/// A named predicate implemented in Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// `model_status(model)`: current | retired | not-served | openai | unknown.
    ModelStatus,
    /// `is_official_host(url_or_host)`: the official DeepSeek API host (or one configured
    /// under `[hosts] official`).
    IsOfficialHost,
    /// `host(url)`: the URL's host.
    Host,
    /// `lower(s)`.
    Lower,
    /// `starts_with(s, prefix)`.
    StartsWith,
    /// `ends_with(s, suffix)`.
    EndsWith,
    /// `contains(s, part)`.
    Contains,
}

impl Func {
    /// The function names, for error messages.
    pub const NAMES: &'static str =
        "model_status, is_official_host, host, lower, starts_with, ends_with, contains";

    fn from_name(n: &str) -> Option<Func> {
        Some(match n {
            "model_status" => Func::ModelStatus,
            "is_official_host" => Func::IsOfficialHost,
            "host" => Func::Host,
            "lower" => Func::Lower,
            "starts_with" => Func::StartsWith,
            "ends_with" => Func::EndsWith,
            "contains" => Func::Contains,
            _ => return None,
        })
    }

    fn arity(self) -> usize {
        match self {
            Func::ModelStatus | Func::IsOfficialHost | Func::Host | Func::Lower => 1,
            Func::StartsWith | Func::EndsWith | Func::Contains => 2,
        }
    }
}

/// A parsed condition.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A string literal.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A field of the rule's kind, by index.
    Field(usize),
    /// A predicate call.
    Call(Func, Vec<Expr>),
    /// `a == b` (`false`) or `a != b` (`true`).
    Cmp(bool, Box<Expr>, Box<Expr>),
    /// `a in [..]` (`false`) or `a not in [..]` (`true`).
    In(bool, Box<Expr>, Vec<Expr>),
    /// `a matches "regex"`.
    Matches(Box<Expr>, Regex),
    /// `not a`.
    Not(Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
}

fn truthy(v: &Val) -> bool {
    match v {
        Val::Bool(b) => *b,
        Val::Str(s) => !s.is_empty(),
        Val::Null => false,
    }
}

impl Expr {
    /// True when the condition holds for a fact with field values `row`.
    pub fn holds(&self, row: &[Val], settings: &Settings) -> bool {
        truthy(&self.value(row, settings))
    }

    fn value(&self, row: &[Val], settings: &Settings) -> Val {
        match self {
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Bool(b) => Val::Bool(*b),
            Expr::Null => Val::Null,
            Expr::Field(i) => row.get(*i).cloned().unwrap_or(Val::Null),
            Expr::Call(f, args) => {
                let vals: Vec<Val> = args.iter().map(|a| a.value(row, settings)).collect();
                call(*f, &vals, settings)
            }
            Expr::Cmp(ne, a, b) => {
                let (x, y) = (a.value(row, settings), b.value(row, settings));
                let presence = matches!(**a, Expr::Null) || matches!(**b, Expr::Null);
                let equal = x == y;
                Val::Bool(if presence || (x != Val::Null && y != Val::Null) {
                    equal != *ne
                } else {
                    false
                })
            }
            Expr::In(negated, a, list) => {
                let x = a.value(row, settings);
                if x == Val::Null {
                    return Val::Bool(false);
                }
                let found = list.iter().any(|e| e.value(row, settings) == x);
                Val::Bool(found != *negated)
            }
            Expr::Matches(a, re) => match a.value(row, settings) {
                Val::Str(s) => Val::Bool(re.is_match(&s)),
                _ => Val::Bool(false),
            },
            Expr::Not(a) => Val::Bool(!a.holds(row, settings)),
            Expr::And(a, b) => Val::Bool(a.holds(row, settings) && b.holds(row, settings)),
            Expr::Or(a, b) => Val::Bool(a.holds(row, settings) || b.holds(row, settings)),
        }
    }
}

fn call(f: Func, args: &[Val], settings: &Settings) -> Val {
    let s = |i: usize| args.get(i).and_then(Val::as_str);
    let cat = &settings.catalogue;
    match f {
        Func::ModelStatus => s(0).map_or(Val::Null, |m| {
            Val::Str(view::model_status(cat, m).to_string())
        }),
        Func::IsOfficialHost => s(0).map_or(Val::Bool(false), |u| {
            let host = view::host(u).unwrap_or_else(|| u.trim().to_ascii_lowercase());
            Val::Bool(cat.data.hosts.official.contains(&host))
        }),
        Func::Host => s(0).and_then(view::host).map_or(Val::Null, Val::Str),
        Func::Lower => s(0).map_or(Val::Null, |v| Val::Str(v.to_lowercase())),
        Func::StartsWith | Func::EndsWith | Func::Contains => match (s(0), s(1)) {
            (Some(a), Some(b)) => Val::Bool(match f {
                Func::StartsWith => a.starts_with(b),
                Func::EndsWith => a.ends_with(b),
                _ => a.contains(b),
            }),
            _ => Val::Bool(false),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::view::kind;

    fn eval(cond: &str, row: &[Val]) -> bool {
        let k = kind("request").unwrap();
        parse(cond, k).unwrap().holds(row, &Settings::default())
    }

    fn row(model: Option<&str>, host: Option<&str>) -> Vec<Val> {
        let mut r = vec![Val::Null; kind("request").unwrap().fields.len()];
        r[0] = model.map_or(Val::Null, |m| Val::Str(m.into()));
        r[4] = host.map_or(Val::Null, |h| Val::Str(h.into()));
        r[9] = Val::Bool(true);
        r
    }

    #[test]
    fn operators() {
        let r = row(Some("deepseek-chat"), Some("api.deepseek.com"));
        assert!(eval("request.model == 'deepseek-chat'", &r));
        assert!(eval("request.model != \"deepseek-v4-flash\"", &r));
        assert!(eval("request.model in ['a', 'deepseek-chat',]", &r));
        assert!(!eval("request.model not in ['a', 'deepseek-chat']", &r));
        assert!(eval(
            "request.model matches '^deepseek-(chat|reasoner)$'",
            &r
        ));
        assert!(eval("model_status(request.model) == 'retired'", &r));
        assert!(eval(
            "is_official_host(request.host) and request.deepseek",
            &r
        ));
        assert!(eval("not (request.model == 'x' or false)", &r));
        assert!(eval("starts_with(lower(request.model), 'deep')", &r));
    }

    #[test]
    fn null_makes_comparisons_false() {
        let r = row(None, None);
        assert!(!eval("request.host != 'gw.example.com'", &r));
        assert!(!eval("request.host == 'gw.example.com'", &r));
        assert!(!eval("request.model not in ['a']", &r));
        assert!(eval("request.host == null", &r));
        assert!(!eval("request.host != null", &r));
        assert!(!eval("request.model matches '.'", &r));
    }

    #[test]
    fn errors_point_at_the_token() {
        let k = kind("request").unwrap();
        let e = |c: &str| parse(c, k).unwrap_err();
        let err = e("request.modle == 'x'");
        assert_eq!(err.span, 0..13);
        assert!(
            err.message.starts_with("`request` has no field `modle`"),
            "{}",
            err.message
        );
        assert_eq!(e("client.sdk == 'x'").span, 0..10);
        assert_eq!(e("request.model == ").span, 17..17);
        assert_eq!(e("request.model = 'x'").message, "unexpected character `=`");
        assert_eq!(e("request.model matches '('").span, 22..25);
        assert_eq!(e("'abc").message, "unterminated string");
        assert_eq!(e("frob(request.model)").span, 0..4);
        assert_eq!(
            e("host(request.url, 'x')").message,
            "`host` takes 1 argument, not 2"
        );
        assert_eq!(
            e("request.model == 'x' request.api").message,
            "expected `and`, `or` or the end of the condition, found `request.api`"
        );
    }
}
