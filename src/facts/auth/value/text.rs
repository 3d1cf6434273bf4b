//! Reading a value in a text format (shell scripts; YAML, JSON, TOML, dotenv and other config
//! files): a quoted string (shell words concatenate) or a bare value, with placeholders
//! (`$VAR`, `${…}`, `{{ … }}`, `%s`…) read as holes.

use super::{byte, skip_ws, Part, Syntax, Template, MAX_VALUE};

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
