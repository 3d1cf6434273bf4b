//! Reads the value given to an `Authorization` header or an API-key option as a *template*:
//! literal text interleaved with holes (interpolations, variables, calls).
//!
//! The rule files' regexes find where a header or key is set; this module reads what follows
//! (`f"Bearer {key}"`, `"Bearer " + key`, `` `Bearer ${key}` ``, `format!("Bearer {}", k)`,
//! `"Bearer %s" % key`, `-H "Authorization: Bearer $KEY"`, `api_key: "Bearer …"`) without a
//! full parse, so that the same judgement applies to every language and text format.
//! Everything here is bounded by the input and never panics on odd text.

use std::ops::Range;

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

/// Reads a code value expression starting at `at`: operands joined by `+` (and Python `%`).
pub fn code_value(text: &str, at: usize, syntax: Syntax) -> Option<Template> {
    let start = skip_ws(text, at, true);
    let mut parts = Vec::new();
    let mut i = start;
    let mut end = start;
    for _ in 0..64 {
        let (mut p, j) = operand(text, i, syntax)?;
        parts.append(&mut p);
        end = j;
        let k = skip_ws(text, j, true);
        let b = byte(text, k);
        let next = byte(text, k + 1);
        if b == b'+' && next != b'=' && next != b'+' {
            i = k + 1;
        } else if b == b'%' && syntax == Syntax::Python && next != b'=' {
            let (_, j2) = operand(text, k + 1, syntax)?;
            parts.push(Part::Hole(text[k + 1..j2].trim().to_string()));
            end = j2;
            break;
        } else {
            break;
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Template {
        parts,
        span: start..end,
    })
}

/// Callees whose first argument is the value itself (`format!("Bearer {}", k)`).
fn is_wrapper(name: &str) -> bool {
    let last = name.rsplit([':', '.']).next().unwrap_or(name);
    matches!(
        last,
        "format!"
            | "format"
            | "from_str"
            | "from_static"
            | "from"
            | "try_from"
            | "str"
            | "String"
            | "concat!"
    )
}

/// Wrapper calls unpacked at most this deep (`str(str(…))`): bounded so hostile nesting
/// cannot exhaust the stack.
const MAX_WRAPPER_DEPTH: usize = 16;

/// One operand: a string literal (with suffixes), a wrapper call, or any other expression.
fn operand(text: &str, at: usize, syntax: Syntax) -> Option<(Vec<Part>, usize)> {
    operand_at(text, at, syntax, 0)
}

fn operand_at(text: &str, at: usize, syntax: Syntax, depth: usize) -> Option<(Vec<Part>, usize)> {
    let i = skip_ws(text, at, true);
    if i >= text.len() {
        return None;
    }
    if let Some((mut parts, mut j)) = literal(text, i, syntax) {
        // Python implicit concatenation: "Bearer " "sk-…"
        loop {
            let k = skip_ws(text, j, false);
            match literal(text, k, syntax) {
                Some((mut more, j2)) if syntax == Syntax::Python => {
                    parts.append(&mut more);
                    j = j2;
                }
                _ => break,
            }
        }
        j = method_chain(text, j);
        return Some((parts, j));
    }
    // A wrapper call: format!( "…", … ), HeaderValue::from_str(&format!(…))
    let name_end = text[i..]
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '!')))
        .map_or(text.len(), |n| i + n);
    if depth < MAX_WRAPPER_DEPTH
        && name_end > i
        && byte(text, name_end) == b'('
        && is_wrapper(&text[i..name_end])
    {
        let close = balanced_end(text, name_end)?;
        let mut k = skip_ws(text, name_end + 1, true);
        while byte(text, k) == b'&' || byte(text, k) == b'*' {
            k += 1;
        }
        if let Some((parts, _)) = operand_at(text, k, syntax, depth + 1) {
            if parts.iter().any(|p| matches!(p, Part::Lit(_))) {
                return Some((parts, method_chain(text, close)));
            }
        }
    }
    let j = expr_end(text, i, syntax);
    if j == i {
        return None;
    }
    Some((vec![Part::Hole(text[i..j].trim_end().to_string())], j))
}

/// Skips `.method(args)`, `?`, `!` and `::<T>` suffixes after an operand.
fn method_chain(text: &str, mut j: usize) -> usize {
    for _ in 0..16 {
        let b = byte(text, j);
        if b == b'?' && byte(text, j + 1) != b'?' && byte(text, j + 1) != b'.' {
            j += 1;
            continue;
        }
        if b != b'.' {
            break;
        }
        let name_end = text[j + 1..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '<' || c == '>'))
            .map_or(text.len(), |n| j + 1 + n);
        if name_end == j + 1 {
            break;
        }
        if byte(text, name_end) == b'(' {
            match balanced_end(text, name_end) {
                Some(e) => j = e,
                None => break,
            }
        } else {
            j = name_end;
        }
    }
    j
}

/// The end (exclusive) of the bracket group opening at `open`.
fn balanced_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() && i - open < MAX_VALUE {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            q @ (b'"' | b'\'' | b'`') => i = skip_string(bytes, i, q),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Index of the closing quote of the string opening at `i` (or the last byte).
fn skip_string(bytes: &[u8], i: usize, q: u8) -> usize {
    let mut j = i + 1;
    while j < bytes.len() {
        if bytes[j] == b'\\' {
            j += 2;
            continue;
        }
        if bytes[j] == q || (bytes[j] == b'\n' && q != b'`') {
            return j;
        }
        j += 1;
    }
    bytes.len().saturating_sub(1)
}

/// The longest value (in bytes) the reader looks at: a header value is short, and a bound
/// keeps pathological files linear.
const MAX_VALUE: usize = 4096;

/// The end of a non-literal expression: the first `,`, `;`, `+`, closing bracket or newline
/// at depth 0.
fn expr_end(text: &str, i: usize, syntax: Syntax) -> usize {
    let limit = crate::source::floor_char_boundary(text, text.len().min(i + MAX_VALUE));
    let bytes = &text.as_bytes()[..limit.max(i)];
    let mut depth = 0usize;
    let mut j = i;
    while j < bytes.len() {
        let b = bytes[j];
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            b',' | b';' | b'\n' | b'+' if depth == 0 => break,
            b'%' if depth == 0 && syntax == Syntax::Python => break,
            b'"' | b'\'' | b'`' => j = skip_string(bytes, j, b),
            b'#' if depth == 0 && syntax == Syntax::Python => break,
            _ => {}
        }
        j += 1;
    }
    j.min(bytes.len())
}

/// Reads a string literal at `i` (with its prefix), returning its parts and end.
fn literal(text: &str, i: usize, syntax: Syntax) -> Option<(Vec<Part>, usize)> {
    let bytes = text.as_bytes();
    let mut j = i;
    let mut fmt = matches!(syntax, Syntax::Rust);
    let mut raw = false;
    while j < bytes.len() && j - i < 3 && bytes[j].is_ascii_alphabetic() {
        match bytes[j].to_ascii_lowercase() {
            b'f' if syntax == Syntax::Python => fmt = true,
            b'r' => raw = true,
            b'b' | b'u' => {}
            _ => return None,
        }
        j += 1;
    }
    let mut hashes = 0;
    if raw && syntax == Syntax::Rust {
        while byte(text, j) == b'#' {
            hashes += 1;
            j += 1;
        }
    }
    let q = byte(text, j);
    if !matches!(q, b'"' | b'\'' | b'`') || (q == b'`' && syntax != Syntax::Js) {
        return None;
    }
    if q == b'\'' && syntax == Syntax::Rust {
        return None;
    }
    let triple = syntax == Syntax::Python
        && bytes
            .get(j..j + 3)
            .is_some_and(|s| s.iter().all(|&c| c == q));
    let qlen = if triple { 3 } else { 1 };
    let body_start = j + qlen;
    let template = q == b'`';
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut k = body_start;
    let closes = |k: usize| -> bool {
        if triple {
            bytes
                .get(k..k + 3)
                .is_some_and(|s| s.iter().all(|&c| c == q))
        } else {
            bytes[k] == q
                && (hashes == 0
                    || bytes[k + 1..].iter().take_while(|&&c| c == b'#').count() >= hashes)
        }
    };
    while k < bytes.len() {
        if k - i > MAX_VALUE {
            return None;
        }
        let b = bytes[k];
        if closes(k) {
            if !lit.is_empty() {
                parts.push(Part::Lit(lit));
            }
            if parts.is_empty() {
                parts.push(Part::Lit(String::new()));
            }
            return Some((parts, k + qlen + hashes));
        }
        if b == b'\n' && !triple && !template && syntax != Syntax::Rust {
            return None;
        }
        if b == b'\\' && !raw {
            let e = byte(text, k + 1);
            lit.push(match e {
                b'n' => '\n',
                b't' => '\t',
                b'r' => '\r',
                0 => break,
                _ => char::from(e),
            });
            if !e.is_ascii() {
                // Keep multi-byte characters whole.
                let c = text[k + 1..].chars().next().unwrap_or(' ');
                lit.pop();
                lit.push(c);
                k += 1 + c.len_utf8();
                continue;
            }
            k += 2;
            continue;
        }
        let hole_open = if template {
            b == b'$' && byte(text, k + 1) == b'{'
        } else {
            b == b'{' && (fmt || syntax == Syntax::Python)
        };
        if hole_open {
            if !template && byte(text, k + 1) == b'{' {
                lit.push('{');
                k += 2;
                continue;
            }
            let open = if template { k + 1 } else { k };
            let Some(close) = balanced_end(text, open) else {
                break;
            };
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(&mut lit)));
            }
            parts.push(Part::Hole(text[open + 1..close - 1].to_string()));
            k = close;
            continue;
        }
        if !template && b == b'}' && byte(text, k + 1) == b'}' && fmt {
            lit.push('}');
            k += 2;
            continue;
        }
        if b == b'%' && syntax == Syntax::Python && byte(text, k + 1) == b's' {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(&mut lit)));
            }
            parts.push(Part::Hole("%s".into()));
            k += 2;
            continue;
        }
        let c = text[k..].chars().next()?;
        lit.push(c);
        k += c.len_utf8();
    }
    None
}

/// Reads a value in a text format at `at`: a quoted string (shell words concatenate), or a bare
/// value up to the end of the line (shell: up to whitespace when `word`).
pub fn text_value(text: &str, at: usize, syntax: Syntax, word: bool) -> Option<Template> {
    let start = skip_ws(text, at, false);
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = start;
    let mut quoted = false;
    let shell = syntax == Syntax::Shell;
    while i < bytes.len() && i - start < MAX_VALUE {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            let Some((mut p, end)) = quoted_text(text, i, syntax) else {
                break;
            };
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(&mut lit)));
            }
            parts.append(&mut p);
            quoted = true;
            i = end;
            if !shell {
                break;
            }
            continue;
        }
        if b == b'\n' || b == b'\r' {
            break;
        }
        if (b == b' ' || b == b'\t') && (word || (shell && quoted)) {
            break;
        }
        if b == b'#' && !quoted && i > start && matches!(bytes[i - 1], b' ' | b'\t') {
            break;
        }
        if b == b'\\' && shell && matches!(byte(text, i + 1), b'\n' | b'\r') {
            break;
        }
        if let Some((hole, end)) = hole_at(text, i, syntax) {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(&mut lit)));
            }
            parts.push(Part::Hole(hole));
            i = end;
            continue;
        }
        let c = text[i..].chars().next()?;
        lit.push(c);
        i += c.len_utf8();
    }
    if !quoted {
        let trimmed = lit.trim_end().len();
        lit.truncate(trimmed);
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    let mut end = i;
    while end > start && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if parts.is_empty() {
        return None;
    }
    Some(Template {
        parts,
        span: start..end,
    })
}

/// A quoted string in a text format starting at `i`.
fn quoted_text(text: &str, i: usize, syntax: Syntax) -> Option<(Vec<Part>, usize)> {
    let bytes = text.as_bytes();
    let q = bytes[i];
    let single_shell = q == b'\'' && syntax == Syntax::Shell;
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut k = i + 1;
    while k < bytes.len() && k - i < MAX_VALUE {
        let b = bytes[k];
        if b == q {
            if !lit.is_empty() {
                parts.push(Part::Lit(lit));
            }
            if parts.is_empty() {
                parts.push(Part::Lit(String::new()));
            }
            return Some((parts, k + 1));
        }
        if b == b'\n' && syntax != Syntax::Shell {
            return None;
        }
        if b == b'\\' && !single_shell {
            let e = byte(text, k + 1);
            let decoded = match (e, syntax) {
                (b'n', Syntax::Config) => '\n',
                (b't', Syntax::Config) => '\t',
                (b'r', Syntax::Config) => '\r',
                (b'"' | b'\\' | b'$' | b'`', _) => char::from(e),
                (b'\'', Syntax::Config) => '\'',
                (0, _) => break,
                _ => {
                    lit.push('\\');
                    k += 1;
                    continue;
                }
            };
            lit.push(decoded);
            k += 2;
            continue;
        }
        if !single_shell {
            if let Some((hole, end)) = hole_at(text, k, syntax) {
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Part::Hole(hole));
                k = end;
                continue;
            }
        }
        let c = text[k..].chars().next()?;
        lit.push(c);
        k += c.len_utf8();
    }
    None
}

/// A placeholder in text: `$VAR`, `${…}`, `$(…)`, `{{ … }}`, `{…}`, `<…>`, `%s`.
fn hole_at(text: &str, i: usize, syntax: Syntax) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let b = bytes[i];
    let next = byte(text, i + 1);
    if b == b'$' {
        if next == b'{' || next == b'(' {
            let end = balanced_within(bytes, i + 1, 200)?;
            return Some((text[i..end].to_string(), end));
        }
        if next.is_ascii_alphabetic() || next == b'_' {
            let end = text[i + 1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(text.len(), |n| i + 1 + n);
            return Some((text[i..end].to_string(), end));
        }
        return None;
    }
    if b == b'{' && !syntax.is_code() {
        let end = balanced_within(bytes, i, 80)?;
        if text[i..end].contains('\n') {
            return None;
        }
        return Some((text[i..end].to_string(), end));
    }
    if b == b'<' && (next.is_ascii_alphabetic() || next == b'_') {
        let window = &bytes[i..bytes.len().min(i + 62)];
        let end = window.iter().position(|&c| c == b'>').map(|n| i + n + 1)?;
        let inner = &text[i + 1..end - 1];
        if !inner.contains(['<', '\n', '"', '\'']) {
            return Some((text[i..end].to_string(), end));
        }
    }
    if b == b'%' && next == b's' {
        return Some(("%s".into(), i + 2));
    }
    None
}

/// The end of the bracket group opening at `open` if it closes within `limit` bytes.
fn balanced_within(bytes: &[u8], open: usize, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &b) in bytes.iter().enumerate().skip(open).take(limit) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

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
