//! The condition parser: a tokenizer and a recursive-descent parser over the grammar in
//! [`super`]. Errors carry the byte range of the offending token in the condition text.

use std::ops::Range;

use regex::Regex;

use super::{Expr, Func};
use crate::facts::view::Kind;

/// A parse error: what is wrong, and where in the condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The message.
    pub message: String,
    /// Byte range in the condition text.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Op(&'static str),
    End,
}

fn tokenize(src: &str) -> Result<Vec<(Tok, Range<usize>)>, ParseError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if b == b'"' || b == b'\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match src[i..].chars().next() {
                    None => {
                        return Err(ParseError {
                            message: "unterminated string".into(),
                            span: start..src.len(),
                        })
                    }
                    Some(c) if c as u32 == u32::from(b) => {
                        i += 1;
                        break;
                    }
                    Some('\\') if matches!(src[i + 1..].chars().next(), Some(c) if c as u32 == u32::from(b) || c == '\\') =>
                    {
                        s.push(src.as_bytes()[i + 1] as char);
                        i += 2;
                    }
                    Some(c) => {
                        s.push(c);
                        i += c.len_utf8();
                    }
                }
            }
            out.push((Tok::Str(s), start..i));
            continue;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            out.push((Tok::Ident(src[start..i].to_string()), start..i));
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let op: &'static str = match (two, b) {
            ("==", _) => "==",
            ("!=", _) => "!=",
            (_, b'(') => "(",
            (_, b')') => ")",
            (_, b'[') => "[",
            (_, b']') => "]",
            (_, b',') => ",",
            _ => {
                let c = src[i..].chars().next().unwrap_or(' ');
                return Err(ParseError {
                    message: format!("unexpected character `{c}`"),
                    span: i..i + c.len_utf8(),
                });
            }
        };
        i += op.len();
        out.push((Tok::Op(op), start..i));
    }
    out.push((Tok::End, src.len()..src.len()));
    Ok(out)
}

/// Parses `src` as a condition over facts of `kind`.
pub fn parse(src: &str, kind: &'static Kind) -> Result<Expr, ParseError> {
    let mut p = Parser {
        toks: tokenize(src)?,
        pos: 0,
        kind,
    };
    let e = p.or()?;
    match p.peek() {
        Tok::End => Ok(e),
        _ => Err(p.error("expected `and`, `or` or the end of the condition")),
    }
}

struct Parser {
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    kind: &'static Kind,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn span(&self) -> Range<usize> {
        self.toks[self.pos.min(self.toks.len() - 1)].1.clone()
    }

    fn bump(&mut self) -> (Tok, Range<usize>) {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        self.pos += 1;
        t
    }

    fn error(&self, message: &str) -> ParseError {
        let found = match self.peek() {
            Tok::End => "the end of the condition".to_string(),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Op(o) => format!("`{o}`"),
        };
        ParseError {
            message: format!("{message}, found {found}"),
            span: self.span(),
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == w)
    }

    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Tok::Op(s) if *s == o)
    }

    fn expect_op(&mut self, o: &str) -> Result<(), ParseError> {
        if self.is_op(o) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{o}`")))
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.not()?;
        while self.is_word("and") {
            self.pos += 1;
            e = Expr::And(Box::new(e), Box::new(self.not()?));
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let lhs = self.operand()?;
        if self.is_op("==") || self.is_op("!=") {
            let (tok, _) = self.bump();
            let rhs = self.operand()?;
            let ne = tok == Tok::Op("!=");
            return Ok(Expr::Cmp(ne, Box::new(lhs), Box::new(rhs)));
        }
        let negated = self.is_word("not")
            && matches!(self.toks.get(self.pos + 1), Some((Tok::Ident(s), _)) if s == "in");
        if negated {
            self.pos += 1;
        }
        if self.is_word("in") {
            self.pos += 1;
            let list = self.list()?;
            return Ok(Expr::In(negated, Box::new(lhs), list));
        }
        if self.is_word("matches") {
            self.pos += 1;
            let (tok, span) = self.bump();
            let Tok::Str(pattern) = tok else {
                self.pos -= 1;
                return Err(self.error("expected a regex string after `matches`"));
            };
            let re = Regex::new(&pattern).map_err(|e| ParseError {
                message: format!(
                    "invalid regex: {}",
                    e.to_string().lines().last().unwrap_or("").trim()
                ),
                span,
            })?;
            return Ok(Expr::Matches(Box::new(lhs), re));
        }
        Ok(lhs)
    }

    fn list(&mut self) -> Result<Vec<Expr>, ParseError> {
        self.expect_op("[")?;
        let mut items = Vec::new();
        while !self.is_op("]") {
            items.push(self.operand()?);
            if !self.is_op("]") {
                self.expect_op(",")?;
            }
        }
        self.pos += 1;
        Ok(items)
    }

    fn operand(&mut self) -> Result<Expr, ParseError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Op("(") => {
                let e = self.or()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Ident(w) if w == "true" || w == "false" => Ok(Expr::Bool(w == "true")),
            Tok::Ident(w) if w == "null" => Ok(Expr::Null),
            Tok::Ident(w) if self.is_op("(") => {
                let func = Func::from_name(&w).ok_or_else(|| ParseError {
                    message: format!("unknown function `{w}` (functions: {})", Func::NAMES),
                    span: span.clone(),
                })?;
                self.pos += 1;
                let mut args = Vec::new();
                while !self.is_op(")") {
                    args.push(self.or()?);
                    if !self.is_op(")") {
                        self.expect_op(",")?;
                    }
                }
                self.pos += 1;
                if args.len() != func.arity() {
                    return Err(ParseError {
                        message: format!(
                            "`{w}` takes {} argument{}, not {}",
                            func.arity(),
                            if func.arity() == 1 { "" } else { "s" },
                            args.len()
                        ),
                        span,
                    });
                }
                Ok(Expr::Call(func, args))
            }
            Tok::Ident(path) => self.field(&path, span),
            _ => {
                self.pos -= 1;
                Err(self.error(
                    "expected a field, a string, `true`, `false`, `null`, a function call or `(`",
                ))
            }
        }
    }

    fn field(&self, path: &str, span: Range<usize>) -> Result<Expr, ParseError> {
        let kind = self.kind;
        let Some((head, field)) = path.split_once('.') else {
            return Err(ParseError {
                message: format!(
                    "unknown name `{path}`: fields are written `{}.<field>`",
                    kind.name
                ),
                span,
            });
        };
        if head != kind.name {
            return Err(ParseError {
                message: format!(
                    "`{head}` is not the rule's fact kind: this rule is `on = \"{}\"`",
                    kind.name
                ),
                span,
            });
        }
        let idx = kind.field(field).ok_or_else(|| {
            let names: Vec<&str> = kind.fields.iter().map(|(f, _)| *f).collect();
            ParseError {
                message: format!(
                    "`{}` has no field `{field}` (fields: {})",
                    kind.name,
                    names.join(", ")
                ),
                span: span.clone(),
            }
        })?;
        Ok(Expr::Field(idx))
    }
}
