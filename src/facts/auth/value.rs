//! Reads the value given to an `Authorization` header or an API-key option as a *template*:
//! literal text interleaved with holes (interpolations, variables, calls).
//!
//! The site finder ([`super`]) finds where a header or key is set; this module reads what follows
//! (`f"Bearer {key}"`, `"Bearer " + key`, `` `Bearer ${key}` ``, `format!("Bearer {}", k)`,
//! `"Bearer %s" % key`, `-H "Authorization: Bearer $KEY"`, `api_key: "Bearer …"`) without a
//! full parse, so that the same judgement applies to every language and text format.
//! Everything here is bounded by the input and never panics on odd text.

mod code;
mod text;

use std::ops::Range;

pub use code::code_value;
pub use text::text_value;

/// One piece of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text, with escapes (`\n`, `\t`, `\"`) decoded.
    Lit(String),
    /// An interpolation or a non-literal operand; the text as written.
    Hole(String),
}

/// A value: its parts and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// The parts, in order.
    pub parts: Vec<Part>,
    /// Byte range of the whole value expression in the document.
    pub span: Range<usize>,
}

/// The character that stands for a hole in [`Template::shape`].
pub const HOLE: char = '\u{1}';

impl Template {
    /// The literal text with every hole replaced by [`HOLE`].
    pub fn shape(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(t) => s.push_str(t),
                Part::Hole(_) => s.push(HOLE),
            }
        }
        s
    }

    /// The text of every hole, joined by spaces.
    pub fn holes(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Hole(h) => Some(h.as_str()),
                Part::Lit(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Drops a leading `Name:` header prefix (`Authorization: `) from the first literal, for
    /// values written as a whole header line. Returns `None` when there is none.
    pub fn strip_header_name(mut self) -> Option<Template> {
        let Some(Part::Lit(first)) = self.parts.first_mut() else {
            return None;
        };
        let colon = first.find(':')?;
        if first[..colon].trim().contains(char::is_whitespace) {
            return None;
        }
        let rest = first[colon + 1..]
            .trim_start_matches([' ', '\t'])
            .to_string();
        if rest.is_empty() {
            self.parts.remove(0);
        } else {
            *first = rest;
        }
        Some(self)
    }
}

/// How the surrounding text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Python.
    Python,
    /// JavaScript / TypeScript.
    Js,
    /// Rust.
    Rust,
    /// A shell script (`-H "…"$VAR` concatenation, `$VAR` holes).
    Shell,
    /// A config or env file (YAML, JSON, TOML, INI, dotenv, Dockerfile).
    Config,
}

impl Syntax {
    fn is_code(self) -> bool {
        matches!(self, Syntax::Python | Syntax::Js | Syntax::Rust)
    }
}

fn byte(text: &str, i: usize) -> u8 {
    text.as_bytes().get(i).copied().unwrap_or(0)
}

/// Skips spaces and tabs (and newlines when `newlines`).
pub fn skip_ws(text: &str, mut i: usize, newlines: bool) -> usize {
    while let Some(&b) = text.as_bytes().get(i) {
        if b == b' ' || b == b'\t' || (newlines && (b == b'\n' || b == b'\r')) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The longest value (in bytes) the reader looks at: a header value is short, and a bound
/// keeps pathological files linear.
const MAX_VALUE: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(t: &Option<Template>) -> String {
        t.as_ref().map(Template::shape).unwrap_or_default()
    }

    #[test]
    fn code_values() {
        let py = |s: &str| code_value(s, 0, Syntax::Python);
        assert_eq!(shape(&py(r#"f"Bearer {key}", "x""#)), "Bearer \u{1}");
        assert_eq!(shape(&py(r#""Bearer " + key}"#)), "Bearer \u{1}");
        assert_eq!(shape(&py(r#""Bearer %s" % key"#)), "Bearer \u{1}\u{1}");
        assert_eq!(shape(&py(r#""Bearer {}".format(key))"#)), "Bearer \u{1}");
        assert_eq!(shape(&py(r#"api_key}"#)), "\u{1}");
        assert_eq!(shape(&py(r#"f"Bearer {key}\n""#)), "Bearer \u{1}\n");
        let js = |s: &str| code_value(s, 0, Syntax::Js);
        assert_eq!(shape(&js("`Bearer ${process.env.K}` }")), "Bearer \u{1}");
        let rs = |s: &str| code_value(s, 0, Syntax::Rust);
        assert_eq!(
            shape(&rs(
                r#"HeaderValue::from_str(&format!("Bearer  {}", key))?);"#
            )),
            "Bearer  \u{1}"
        );
        assert_eq!(shape(&rs(r#"format!("Bearer {key}"))"#)), "Bearer \u{1}");
    }

    #[test]
    fn text_values() {
        let sh = text_value(
            r#""Authorization: Bearer "$KEY -d x"#,
            0,
            Syntax::Shell,
            false,
        );
        assert_eq!(shape(&sh), "Authorization: Bearer \u{1}");
        let stripped = sh.and_then(Template::strip_header_name);
        assert_eq!(shape(&stripped), "Bearer \u{1}");
        let y = text_value(
            "Bearer ${DEEPSEEK_API_KEY}  # c\n",
            0,
            Syntax::Config,
            false,
        );
        assert_eq!(shape(&y), "Bearer \u{1}");
        let q = text_value("'sk-abc def'\n", 0, Syntax::Config, false);
        assert_eq!(shape(&q), "sk-abc def");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = "format!(".repeat(20_000) + "\"Bearer {}\", k" + &")".repeat(20_000);
        let _ = code_value(&deep, 0, Syntax::Rust);
        let parens = "(".repeat(50_000);
        let _ = code_value(&parens, 0, Syntax::Python);
        let _ = text_value(&"${".repeat(50_000), 0, Syntax::Shell, false);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "\"", "f\"{", "`${", "format!(", "\"\\", "'é", "$", "{{", "r#\"x",
        ] {
            let _ = code_value(s, 0, Syntax::Python);
            let _ = code_value(s, 0, Syntax::Js);
            let _ = code_value(s, 0, Syntax::Rust);
            let _ = text_value(s, 0, Syntax::Shell, false);
            let _ = text_value(s, 0, Syntax::Config, true);
        }
    }
}
