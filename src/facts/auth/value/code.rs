//! Reading a value in code (Python, JS/TS, Rust): operands joined by `+` (and Python `%`),
//! string literals with their prefixes and interpolations, and wrapper calls around them.

use super::{byte, skip_ws, Part, Syntax, Template, MAX_VALUE};

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
