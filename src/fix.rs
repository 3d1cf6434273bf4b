//! Applying fixes: `--fix`, `--diff` and `--unsafe-fixes`.
//!
//! Checks attach a [`Fix`] to a finding (byte-range [`Edit`]s in the document; the engine maps
//! them to the host file and [`crate::fix_offsets::to_file_offsets`] makes them offsets in the file on disk). This
//! module applies them per file, ruff-style:
//!
//! 1. only safe fixes unless `--unsafe-fixes`;
//! 2. fixes are taken in file order; a fix that overlaps one already taken is dropped (it is
//!    retried on the next pass); identical edits (e.g. two fixes that both add `import os`)
//!    are applied once; insertions at the same offset are all applied, in order;
//! 3. a code file is re-parsed with tree-sitter (JSON with serde_json, Markdown code blocks as
//!    their language) and a fix whose result has syntax errors the original did not have is
//!    dropped, with a note;
//! 4. changed files are linted again and their new fixes applied, until nothing changes or
//!    [`MAX_PASSES`] passes ran.
//!
//! Everything happens in memory; [`FixOutcome::write`] writes the files (`--fix`) and
//! [`FixOutcome::diff`] renders a unified diff (`--diff`) with every key redacted.

mod apply;
mod output;
mod run;
mod syntax;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use crate::diagnostic::{Edit, Finding};
use crate::engine::Engine;
use crate::redact::redact_text;
use crate::source::FileKind;

use apply::apply_candidates;
pub use apply::apply_edits;
pub use output::{fixable_hint, plural, summary_line, unified_diff, write_summary, REDACTED_HUNK};
pub use run::{FixEnd, FixRun};
pub use syntax::syntax_errors;

/// Most lint-and-fix passes per run.
pub const MAX_PASSES: usize = 4;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixMode {
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

/// What a fix run did, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FixSummary {
    /// Fixes applied (or, with `--diff`, that would be applied).
    pub applied: usize,
    /// Files changed.
    pub files: usize,
    /// Unsafe fixes left out because `--unsafe-fixes` was not given.
    pub unsafe_hidden: usize,
}

/// One file as the fixes leave it.
#[derive(Clone, Debug)]
pub struct FixedFile {
    /// Path as reported (relative to the working directory, `/`-separated).
    pub path: String,
    /// Content before.
    pub original: Vec<u8>,
    /// Content after.
    pub fixed: Vec<u8>,
    /// Fixes applied to this file.
    pub applied: usize,
    /// False when the file does not exist yet (a fix creates it, e.g. `.gitignore`).
    pub existed: bool,
}

/// The result of applying fixes in memory.
#[derive(Clone, Debug, Default)]
pub struct FixOutcome {
    /// Changed files, sorted by path.
    pub files: Vec<FixedFile>,
    /// Counts.
    pub summary: FixSummary,
    /// Notes for standard error (fixes dropped because their result would not parse…).
    pub notes: Vec<String>,
}

/// A fix's edits that target one file.
#[derive(Clone, Debug)]
struct Candidate {
    code: &'static str,
    title: String,
    edits: Vec<Edit>,
    /// The finding's fingerprint: a fix applied once whose finding comes back is not
    /// applied again.
    fingerprint: String,
}

#[derive(Debug)]
struct FileState {
    original: Vec<u8>,
    current: Vec<u8>,
    existed: bool,
    applied: usize,
}

/// Groups the applicable fixes of `findings` by the file they edit.
fn candidates(
    findings: &[Finding],
    mode: FixMode,
    hidden: &mut usize,
) -> BTreeMap<String, Vec<Candidate>> {
    let mut by_file: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if !fix.safe && !mode.unsafe_fixes {
            *hidden += 1;
            continue;
        }
        let mut per_target: BTreeMap<&str, Vec<Edit>> = BTreeMap::new();
        for e in &fix.edits {
            let target = e.path.as_deref().unwrap_or(&f.path);
            per_target.entry(target).or_default().push(e.clone());
        }
        for (target, edits) in per_target {
            by_file
                .entry(target.to_string())
                .or_default()
                .push(Candidate {
                    code: f.code,
                    title: fix.title.clone(),
                    edits,
                    fingerprint: f.fingerprint.clone(),
                });
        }
    }
    by_file
}

/// Applies the fixes of `findings` in memory, re-linting changed files until stable.
///
/// `preloaded` gives the content of a file that is not read from disk (standard input).
pub fn fix_all(
    engine: &Engine<'_>,
    findings: &[Finding],
    mode: FixMode,
    preloaded: Option<(&str, &[u8])>,
) -> FixOutcome {
    fix_all_filtered(engine, findings, mode, preloaded, &|_| {})
}

/// [`fix_all`], with `filter` applied to the findings of every re-lint (per-file ignores,
/// baseline: what the report would hide is not fixed either).
pub fn fix_all_filtered(
    engine: &Engine<'_>,
    findings: &[Finding],
    mode: FixMode,
    preloaded: Option<(&str, &[u8])>,
    filter: &dyn Fn(&mut Vec<Finding>),
) -> FixOutcome {
    let mut states: BTreeMap<String, FileState> = BTreeMap::new();
    let mut notes = BTreeSet::new();
    let mut summary = FixSummary::default();
    let mut pending = candidates(findings, mode, &mut summary.unsafe_hidden);
    let mut applied: BTreeSet<(String, &'static str, String)> = BTreeSet::new();
    for _pass in 0..MAX_PASSES {
        let mut changed = Vec::new();
        for (path, mut cands) in std::mem::take(&mut pending) {
            cands.retain(|c| {
                let again = applied.contains(&(path.clone(), c.code, c.fingerprint.clone()));
                if again {
                    notes.insert(format!(
                        "{path}: fix for {} (\"{}\") did not resolve its finding; not applied again",
                        c.code,
                        redact_text(&c.title)
                    ));
                }
                !again
            });
            if !states.contains_key(&path) {
                match load(&path, preloaded) {
                    Ok(state) => {
                        states.insert(path.clone(), state);
                    }
                    Err(e) => {
                        notes.insert(format!("{path}: cannot read for fixing: {e}"));
                        continue;
                    }
                }
            }
            let Some(state) = states.get_mut(&path) else {
                continue;
            };
            let kind = kind_of(&path, &state.current);
            let (fixed, taken) = apply_candidates(&path, &state.current, kind, cands, &mut notes);
            let n = taken.len();
            for c in taken {
                applied.insert((path.clone(), c.code, c.fingerprint));
            }
            if n > 0 && fixed != state.current {
                state.current = fixed;
                state.applied += n;
                summary.applied += n;
                changed.push(path);
            }
        }
        if changed.is_empty() {
            break;
        }
        let mut ignored = 0;
        for path in changed {
            let Some(state) = states.get(&path) else {
                continue;
            };
            let kind = FileKind::from_path(Path::new(&path));
            let mut relinted = engine.lint_bytes(&path, kind, &state.current).findings;
            filter(&mut relinted);
            for (target, cands) in candidates(&relinted, mode, &mut ignored) {
                pending.entry(target).or_default().extend(cands);
            }
        }
    }
    let files: Vec<FixedFile> = states
        .into_iter()
        .filter(|(_, s)| s.current != s.original)
        .map(|(path, s)| FixedFile {
            path,
            original: s.original,
            fixed: s.current,
            applied: s.applied,
            existed: s.existed,
        })
        .collect();
    summary.files = files.len();
    FixOutcome {
        files,
        summary,
        notes: notes.into_iter().collect(),
    }
}

fn load(path: &str, preloaded: Option<(&str, &[u8])>) -> io::Result<FileState> {
    let (bytes, existed) = match preloaded {
        Some((name, bytes)) if name == path => (bytes.to_vec(), true),
        _ => match std::fs::read(path) {
            Ok(b) => (b, true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Vec::new(), false),
            Err(e) => return Err(e),
        },
    };
    Ok(FileState {
        original: bytes.clone(),
        current: bytes,
        existed,
        applied: 0,
    })
}

fn kind_of(path: &str, bytes: &[u8]) -> Option<FileKind> {
    FileKind::from_path(Path::new(path)).or_else(|| {
        let head = &bytes[..bytes.len().min(256)];
        FileKind::from_shebang(&String::from_utf8_lossy(head))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Severity};
    use crate::fix_offsets::to_file_offsets;
    use crate::source::Position;

    fn finding(path: &str, code: &'static str, fix: Fix) -> Finding {
        let p = Position {
            line: 1,
            column: 1,
            column_utf16: 1,
        };
        Finding {
            code,
            name: "test",
            severity: Severity::Error,
            message: String::new(),
            help: String::new(),
            path: path.to_string(),
            start: p,
            end: p,
            byte_range: 0..0,
            snippet: String::new(),
            fingerprint: String::new(),
            fix: Some(fix),
            related: Vec::new(),
        }
    }

    fn engine() -> Engine<'static> {
        Engine::new(Vec::new(), Vec::new(), crate::settings::Settings::default())
    }

    #[test]
    fn applies_edits_in_order() {
        let text = b"abcdef";
        let edits = vec![
            Edit::replace(4..6, "XY"),
            Edit::insert(0, ">"),
            Edit::delete(1..2),
            Edit::insert(0, ">"),
        ];
        assert_eq!(apply_edits(text, &edits), b">>acdXY");
    }

    #[test]
    fn overlap_rules() {
        let r = |a: usize, b: usize| Edit::replace(a..b, "x");
        assert!(r(0, 3).conflicts_with(&r(2, 5)));
        assert!(!r(0, 3).conflicts_with(&r(3, 5)));
        assert!(Edit::insert(2, "x").conflicts_with(&r(1, 3)));
        assert!(!Edit::insert(1, "x").conflicts_with(&r(1, 3)));
        assert!(!Edit::insert(3, "x").conflicts_with(&r(1, 3)));
        assert!(!Edit::insert(3, "x").conflicts_with(&Edit::insert(3, "y")));
    }

    #[test]
    fn later_overlapping_fix_is_dropped_and_identical_edits_shared() {
        let mut notes = BTreeSet::new();
        let cands = vec![
            Candidate {
                code: "DS1",
                title: "a".into(),
                edits: vec![Edit::insert(0, "import os\n"), Edit::replace(4..7, "A")],
                fingerprint: String::new(),
            },
            Candidate {
                code: "DS2",
                title: "b".into(),
                edits: vec![Edit::replace(5..9, "B")],
                fingerprint: String::new(),
            },
            Candidate {
                code: "DS3",
                title: "c".into(),
                edits: vec![Edit::insert(0, "import os\n"), Edit::replace(9..10, "C")],
                fingerprint: String::new(),
            },
        ];
        let (out, taken) = apply_candidates("x.txt", b"0123456789", None, cands, &mut notes);
        assert_eq!(taken.len(), 2);
        assert_eq!(String::from_utf8(out).unwrap(), "import os\n0123A78C");
    }

    #[test]
    fn fix_that_breaks_the_parse_is_dropped_with_a_note() {
        let mut notes = BTreeSet::new();
        let text = b"x = 1\ny = 2\n";
        let cands = vec![
            Candidate {
                code: "DS1",
                title: "good".into(),
                edits: vec![Edit::replace(4..5, "3")],
                fingerprint: String::new(),
            },
            Candidate {
                code: "DS2",
                title: "bad".into(),
                edits: vec![Edit::replace(10..11, "(")],
                fingerprint: String::new(),
            },
        ];
        let (out, taken) =
            apply_candidates("a.py", text, Some(FileKind::Python), cands, &mut notes);
        assert_eq!(taken.len(), 1);
        assert_eq!(out, b"x = 3\ny = 2\n");
        assert_eq!(notes.len(), 1);
        assert!(notes.iter().next().unwrap().contains("DS2"));
    }

    #[test]
    fn invalid_edits_are_ignored() {
        let mut notes = BTreeSet::new();
        let cands = vec![Candidate {
            code: "DS1",
            title: "out of range".into(),
            edits: vec![Edit::replace(3..99, "")],
            fingerprint: String::new(),
        }];
        let (out, taken) = apply_candidates("a.txt", b"abc", None, cands, &mut notes);
        assert_eq!((out.as_slice(), taken.len()), (&b"abc"[..], 0));
    }

    #[test]
    fn cross_file_edits_target_their_file_and_create_it() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        std::fs::write(&env, "DEEPSEEK_API_KEY=x\n").unwrap();
        let ignore = dir.path().join(".gitignore");
        let env_s = env.to_string_lossy().into_owned();
        let ignore_s = ignore.to_string_lossy().into_owned();
        let fix = |line: &str| {
            Fix::safe(
                format!("Add {line} to .gitignore"),
                vec![Edit::insert(0, format!("{line}\n")).in_file(&ignore_s)],
            )
        };
        let findings = vec![
            finding(&env_s, "DS501", fix("/.env")),
            finding(&env_s, "DS501", fix("/.env.local")),
        ];
        let out = fix_all(&engine(), &findings, FixMode::default(), None);
        assert_eq!(out.summary.applied, 2);
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.files[0].path, ignore_s);
        assert!(!out.files[0].existed);
        assert_eq!(out.files[0].fixed, b"/.env\n/.env.local\n");
        let diff = out.diff();
        assert!(diff.starts_with("--- /dev/null\n"), "{diff}");
        out.write().unwrap();
        assert_eq!(std::fs::read(&ignore).unwrap(), b"/.env\n/.env.local\n");
        assert_eq!(std::fs::read(&env).unwrap(), b"DEEPSEEK_API_KEY=x\n");
    }

    #[test]
    fn unsafe_fixes_need_the_flag() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "abc").unwrap();
        let path = file.to_string_lossy().into_owned();
        let findings = vec![finding(
            &path,
            "DS1",
            Fix::unsafe_("x", vec![Edit::replace(0..1, "X")]),
        )];
        let out = fix_all(&engine(), &findings, FixMode::default(), None);
        assert_eq!(out.summary.applied, 0);
        assert_eq!(out.summary.unsafe_hidden, 1);
        let mode = FixMode { unsafe_fixes: true };
        let out = fix_all(&engine(), &findings, mode, None);
        assert_eq!(out.summary.applied, 1);
        assert_eq!(out.files[0].fixed, b"Xbc");
    }

    #[test]
    fn diff_redacts_keys() {
        let key = format!("sk-{}", "0123456789abcdef".repeat(2));
        let old = format!("k = \"{key}\"\n");
        let d = unified_diff("a.py", old.as_bytes(), b"k = os.environ[\"K\"]\n", true);
        assert!(!d.contains(&key), "{d}");
        assert!(d.contains("-k = \"sk-…cdef\""), "{d}");
        assert!(d.contains("+k = os.environ[\"K\"]"), "{d}");
        assert!(d.contains(&format!("@@ -1 +1 @@{REDACTED_HUNK}\n")), "{d}");
        let clean = unified_diff("a.py", b"k = 1\n", b"k = 2\n", true);
        assert!(!clean.contains(REDACTED_HUNK), "{clean}");
    }

    #[test]
    fn fixes_that_would_write_a_key_are_dropped() {
        let key = format!("sk-{}", "0123456789abcdef".repeat(2));
        let mut findings = vec![
            finding(
                "a.py",
                "DS1",
                Fix::safe("t", vec![Edit::replace(0..1, key)]),
            ),
            finding(
                "a.py",
                "DS2",
                Fix::safe("t", vec![Edit::replace(0..1, "x")]),
            ),
        ];
        to_file_offsets(&mut findings, FileKind::Python, b"abc");
        assert!(findings[0].fix.is_none());
        assert!(findings[1].fix.is_some());
        to_file_offsets(&mut findings, FileKind::Python, b"\xEF\xBB\xBFabc");
        assert_eq!(findings[1].fix.as_ref().unwrap().edits[0].start, 3);
        to_file_offsets(&mut findings, FileKind::Notebook, b"{}");
        assert!(findings[1].fix.is_none());
    }

    #[test]
    fn counts_syntax_errors() {
        assert_eq!(syntax_errors(FileKind::Python, b"x = 1\n"), Some(0));
        assert!(syntax_errors(FileKind::Python, b"x = (\n").unwrap() > 0);
        assert_eq!(syntax_errors(FileKind::Json, b"{\"a\": 1}"), Some(0));
        assert_eq!(syntax_errors(FileKind::Json, b"{\"a\": }"), Some(1));
        assert_eq!(syntax_errors(FileKind::Env, b"A=1"), None);
        let md = b"# T\n\n```python\nx = (\n```\n\n```js\nlet a = 1;\n```\n";
        assert!(syntax_errors(FileKind::Markdown, md).unwrap() > 0);
        assert_eq!(syntax_errors(FileKind::Markdown, b"no code\n"), Some(0));
    }
}
