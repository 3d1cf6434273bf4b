//! Source text: decoding file bytes, file kinds, line indexes and embedded documents.
//!
//! A [`Document`] is the unit rules run on. Most files are one document; a Markdown file
//! yields one per fenced code block and a notebook one per code cell, each with a
//! [`LineMap`] that maps its positions back to the host file.

use std::path::{Path, PathBuf};

/// What a file is, decided from its name (and shebang for extension-less scripts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// Python source (`.py`, `.pyi`).
    Python,
    /// JavaScript, including JSX (`.js`, `.mjs`, `.cjs`, `.jsx`).
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// Rust source (`.rs`).
    Rust,
    /// dotenv files (`.env`, `.env.local`, `prod.env`, `.envrc`).
    Env,
    /// YAML.
    Yaml,
    /// JSON (also `.jsonc`, `.json5`).
    Json,
    /// TOML.
    Toml,
    /// INI-style config (`.ini`, `.cfg`, `.conf`, `.properties`).
    Ini,
    /// Shell scripts.
    Shell,
    /// Dockerfile / Containerfile.
    Dockerfile,
    /// Markdown (fenced code blocks are linted as their language).
    Markdown,
    /// Jupyter notebook (code cells are linted as Python).
    Notebook,
    /// Any other text file.
    Text,
}

impl FileKind {
    /// Every kind, in a stable order.
    pub const ALL: [FileKind; 15] = [
        FileKind::Python,
        FileKind::JavaScript,
        FileKind::TypeScript,
        FileKind::Tsx,
        FileKind::Rust,
        FileKind::Env,
        FileKind::Yaml,
        FileKind::Json,
        FileKind::Toml,
        FileKind::Ini,
        FileKind::Shell,
        FileKind::Dockerfile,
        FileKind::Markdown,
        FileKind::Notebook,
        FileKind::Text,
    ];

    /// The name used in rule files and configuration.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Python => "python",
            FileKind::JavaScript => "javascript",
            FileKind::TypeScript => "typescript",
            FileKind::Tsx => "tsx",
            FileKind::Rust => "rust",
            FileKind::Env => "env",
            FileKind::Yaml => "yaml",
            FileKind::Json => "json",
            FileKind::Toml => "toml",
            FileKind::Ini => "ini",
            FileKind::Shell => "shell",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Markdown => "markdown",
            FileKind::Notebook => "notebook",
            FileKind::Text => "text",
        }
    }

    /// Parses a kind name as written in rule files.
    pub fn from_name(name: &str) -> Option<FileKind> {
        FileKind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// True for the kinds parsed with tree-sitter.
    pub fn is_code(self) -> bool {
        matches!(
            self,
            FileKind::Python
                | FileKind::JavaScript
                | FileKind::TypeScript
                | FileKind::Tsx
                | FileKind::Rust
        )
    }

    /// True for JavaScript-family kinds (JS, TS, TSX).
    pub fn is_js_family(self) -> bool {
        matches!(
            self,
            FileKind::JavaScript | FileKind::TypeScript | FileKind::Tsx
        )
    }

    /// Decides the kind of a file from its path alone; `None` when the name says nothing
    /// (the caller may then look at a shebang with [`FileKind::from_shebang`]).
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        if lower == ".env"
            || lower.starts_with(".env.")
            || lower.ends_with(".env")
            || lower == ".envrc"
            || lower == ".flaskenv"
        {
            return Some(FileKind::Env);
        }
        if lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
            || lower == "containerfile"
        {
            return Some(FileKind::Dockerfile);
        }
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "py" | "pyi" | "pyw" => FileKind::Python,
            "js" | "mjs" | "cjs" | "jsx" => FileKind::JavaScript,
            "ts" | "mts" | "cts" => FileKind::TypeScript,
            "tsx" => FileKind::Tsx,
            "rs" => FileKind::Rust,
            "yaml" | "yml" => FileKind::Yaml,
            "json" | "jsonc" | "json5" => FileKind::Json,
            "toml" => FileKind::Toml,
            "ini" | "cfg" | "conf" | "properties" => FileKind::Ini,
            "sh" | "bash" | "zsh" | "fish" | "ksh" | "ps1" => FileKind::Shell,
            "md" | "markdown" | "mdx" => FileKind::Markdown,
            "ipynb" => FileKind::Notebook,
            _ => return None,
        })
    }

    /// The kinds a file whose name gives none is linted as: plain text, or what its shebang
    /// names ([`FileKind::from_shebang`]).
    pub const KINDLESS: [FileKind; 5] = [
        FileKind::Text,
        FileKind::Python,
        FileKind::JavaScript,
        FileKind::TypeScript,
        FileKind::Shell,
    ];

    /// Decides the kind from a `#!` line, for scripts without a telling extension.
    pub fn from_shebang(text: &str) -> Option<FileKind> {
        let first = text.lines().next()?;
        let rest = first.strip_prefix("#!")?;
        let interp = rest.split_whitespace().collect::<Vec<_>>();
        let prog = match interp.as_slice() {
            [env, prog, ..] if env.ends_with("/env") => *prog,
            [prog, ..] => prog.rsplit('/').next().unwrap_or(prog),
            [] => return None,
        };
        let prog = prog.trim_start_matches("-S");
        if prog.starts_with("python") {
            Some(FileKind::Python)
        } else if prog == "node" || prog == "deno" || prog == "bun" {
            Some(FileKind::JavaScript)
        } else if prog == "ts-node" || prog == "tsx" {
            Some(FileKind::TypeScript)
        } else if matches!(prog, "sh" | "bash" | "zsh" | "dash" | "ksh" | "fish") {
            Some(FileKind::Shell)
        } else {
            None
        }
    }

    /// Maps a Markdown fence info string (`python`, `ts`, `bash`…) to a kind.
    pub fn from_fence_tag(tag: &str) -> Option<FileKind> {
        let tag = tag
            .trim()
            .trim_start_matches('{')
            .split(|c: char| c.is_whitespace() || c == ',' || c == '}')
            .next()?
            .trim_start_matches('.')
            .to_ascii_lowercase();
        Some(match tag.as_str() {
            "python" | "py" | "python3" | "ipython" | "pycon" => FileKind::Python,
            "js" | "javascript" | "jsx" | "mjs" | "cjs" | "node" => FileKind::JavaScript,
            "ts" | "typescript" | "mts" => FileKind::TypeScript,
            "tsx" => FileKind::Tsx,
            "rust" | "rs" => FileKind::Rust,
            "bash" | "sh" | "shell" | "zsh" | "console" | "shell-session" | "powershell" => {
                FileKind::Shell
            }
            "env" | "dotenv" => FileKind::Env,
            "yaml" | "yml" => FileKind::Yaml,
            "json" | "jsonc" => FileKind::Json,
            "toml" => FileKind::Toml,
            "ini" => FileKind::Ini,
            "dockerfile" | "docker" => FileKind::Dockerfile,
            _ => return None,
        })
    }
}

/// Decodes file bytes into text without moving byte offsets.
///
/// UTF-8 is kept as is; each invalid byte becomes `?` so every byte offset of the text is the
/// offset in the file. A UTF-8 BOM is dropped; UTF-16 (with a BOM) is decoded.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8_lossless_offsets(rest);
    }
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        return char::decode_utf16(units)
            .map(|r| r.unwrap_or('?'))
            .collect();
    }
    decode_utf8_lossless_offsets(bytes)
}

fn decode_utf8_lossless_offsets(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len());
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                for _ in chunk.invalid() {
                    out.push('?');
                }
            }
            out
        }
    }
}

/// True when the bytes look like UTF-16 text (a BOM), which is decoded rather than skipped.
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF])
}

/// A 1-based position in a file: line, column in UTF-8 bytes and column in UTF-16 units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column counted in UTF-8 bytes.
    pub column: u32,
    /// 1-based column counted in UTF-16 code units (what editors and SARIF use).
    pub column_utf16: u32,
}

/// Start offsets of every line of a text; built only when a finding needs positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`. `\n`, `\r\n` and a lone `\r` all end a line.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + off;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                starts.push(at + 2);
                i = at + 2;
            } else {
                starts.push(at + 1);
                i = at + 1;
            }
        }
        LineIndex { starts }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True for an index with no lines (never: an empty text has one empty line).
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of 0-based line `line`, without its terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Position (1-based) of byte `offset` in `text`.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col_utf16: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position {
            line: line as u32 + 1,
            column: (offset - start) as u32 + 1,
            column_utf16: col_utf16 as u32 + 1,
        }
    }
}

/// The lines of `text` with their terminators, split exactly as [`LineIndex`] counts them
/// (`\n`, `\r\n` and a lone `\r` each end a line), so that a [`LineMap`] built from these
/// lines agrees with the line numbers of the document and of its host.
pub fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let from = start;
        let end = match memchr::memchr2(b'\n', b'\r', &bytes[from..]) {
            Some(off) => {
                let at = from + off;
                if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                    at + 2
                } else {
                    at + 1
                }
            }
            None => bytes.len(),
        };
        start = end;
        Some(&text[from..end])
    })
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How the lines of an embedded document map onto its host file.
#[derive(Debug, Clone, Default)]
pub enum LineMap {
    /// The document is the whole file.
    #[default]
    Identity,
    /// Line `i` of the document is host line `lines[i].0` (1-based), shifted right by
    /// `lines[i].1` bytes (and `lines[i].2` UTF-16 units).
    Lines(Vec<(u32, u32, u32)>),
}

impl LineMap {
    /// Maps a document position to the host file.
    pub fn map(&self, p: Position) -> Position {
        match self {
            LineMap::Identity => p,
            LineMap::Lines(lines) => {
                let i = (p.line as usize).saturating_sub(1);
                match lines.get(i).or(lines.last()) {
                    Some(&(line, shift, shift16)) => Position {
                        line,
                        column: p.column + shift,
                        column_utf16: p.column_utf16 + shift16,
                    },
                    None => p,
                }
            }
        }
    }
}

/// A text that rules run on: a whole file, or a block embedded in one.
#[derive(Debug)]
pub struct Document {
    /// The text.
    pub text: String,
    /// Its kind, deciding the parser and the rules that apply.
    pub kind: FileKind,
    /// Where its lines are in the host file.
    pub map: LineMap,
    /// A label for where it sits in the host (e.g. `cell 3`), shown in messages.
    pub label: Option<String>,
    /// For notebook code cells joined into one document (so a client made in one cell is
    /// known where a later cell uses it): the first line (1-based, in this document) and the
    /// label of each cell. Empty otherwise.
    pub cells: Vec<(u32, String)>,
}

impl Document {
    /// The label of the part of the document at 1-based `line`: its cell when it joins
    /// several notebook cells, else [`Document::label`].
    pub fn label_at(&self, line: u32) -> Option<&str> {
        match self.cells.iter().rev().find(|(first, _)| *first <= line) {
            Some((_, l)) => Some(l.as_str()),
            None => self.label.as_deref(),
        }
    }

    /// A document that is the whole file.
    pub fn whole(text: String, kind: FileKind) -> Document {
        Document {
            text,
            kind,
            map: LineMap::Identity,
            label: None,
            cells: Vec::new(),
        }
    }
}

/// The path as shown to users: relative to the current directory when under it, with `/`.
pub fn display_path(path: &Path) -> String {
    // Called once per file: no `getcwd` (or allocation) for relative paths, and the
    // current directory is asked once per process (dslint never changes it).
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let p = path.strip_prefix("./").unwrap_or(path);
    let shown = match CWD.get_or_init(|| std::env::current_dir().ok()) {
        Some(cwd) if p.is_absolute() => p.strip_prefix(cwd).unwrap_or(p),
        _ => p,
    };
    let s = shown.to_string_lossy();
    // `\` is a separator on Windows only; elsewhere it is part of a file name.
    let s = if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    };
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// Lines longer than this mark a file as minified/generated: it is not parsed.
pub const MINIFIED_LINE_LEN: usize = 5_000;

/// True when a text has a line longer than [`MINIFIED_LINE_LEN`] bytes.
pub fn is_minified(text: &str) -> bool {
    text.len() > MINIFIED_LINE_LEN
        && text
            .as_bytes()
            .split(|b| *b == b'\n')
            .any(|l| l.len() > MINIFIED_LINE_LEN)
}

/// JS/TS that a build produced rather than a person wrote: type declarations (`.d.ts`,
/// `.d.mts`, `.d.cts`: no runtime code, so no client or request) and bundles whose last line
/// is a `//# sourceMappingURL=` comment (their source is linted where it lives). Like minified
/// files they are not parsed: syntax rules skip them, text rules (keys) still run.
pub fn is_generated(path: &str, doc: &Document) -> bool {
    if !doc.kind.is_js_family() {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    if [".d.ts", ".d.mts", ".d.cts"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return true;
    }
    let text = doc.text.trim_end();
    let last_line = text[text.rfind('\n').map_or(0, |i| i + 1)..].trim_start();
    ["//# sourceMappingURL=", "//@ sourceMappingURL="]
        .iter()
        .any(|m| last_line.starts_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shebang_kind_is_a_kindless_kind() {
        for line in [
            "#!/usr/bin/env python3",
            "#!/usr/bin/python",
            "#!/usr/bin/env node",
            "#!/usr/bin/env deno",
            "#!/usr/bin/env bun",
            "#!/usr/bin/env ts-node",
            "#!/usr/bin/env tsx",
            "#!/bin/sh",
            "#!/bin/bash",
            "#!/usr/bin/env zsh",
            "#!/bin/dash",
            "#!/bin/ksh",
            "#!/usr/bin/env fish",
        ] {
            let kind = FileKind::from_shebang(line).expect(line);
            assert!(FileKind::KINDLESS.contains(&kind), "{line}: {kind:?}");
        }
    }

    #[test]
    fn kinds_from_names() {
        assert_eq!(
            FileKind::from_path(Path::new("a/.env")),
            Some(FileKind::Env)
        );
        assert_eq!(
            FileKind::from_path(Path::new(".env.production")),
            Some(FileKind::Env)
        );
        assert_eq!(FileKind::from_path(Path::new("x.tsx")), Some(FileKind::Tsx));
        assert_eq!(
            FileKind::from_path(Path::new("Dockerfile")),
            Some(FileKind::Dockerfile)
        );
        assert_eq!(FileKind::from_path(Path::new("Makefile")), None);
        assert_eq!(
            FileKind::from_shebang("#!/usr/bin/env python3\n"),
            Some(FileKind::Python)
        );
        assert_eq!(
            FileKind::from_shebang("#!/bin/bash\n"),
            Some(FileKind::Shell)
        );
    }

    #[test]
    fn positions_handle_crlf_cr_and_utf16() {
        let text = "a\r\nbé\rc😀d";
        let idx = LineIndex::new(text);
        assert_eq!(idx.len(), 3);
        let d = text.find('d').unwrap();
        let p = idx.position(text, d);
        assert_eq!((p.line, p.column, p.column_utf16), (3, 6, 4));
    }

    #[test]
    fn split_lines_agrees_with_line_index() {
        for text in ["", "a", "a\n", "a\r\nb\rc\n\nd", "\r\r\n\n", "x\ry"] {
            let lines: Vec<&str> = split_lines_inclusive(text).collect();
            assert_eq!(lines.concat(), text);
            let idx = LineIndex::new(text);
            // LineIndex counts a final empty line after a terminator; the splitter does not.
            let ends_with_break = text.ends_with('\n') || text.ends_with('\r');
            assert_eq!(
                lines.len() + usize::from(ends_with_break || text.is_empty()),
                idx.len(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let bytes = b"ab\xffcd";
        let s = decode(bytes);
        assert_eq!(s.len(), bytes.len());
        assert_eq!(s, "ab?cd");
    }
}
