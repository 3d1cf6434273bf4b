//! The `tracked_env_file` project fact kind: a dotenv file in the git index of a repository
//! holding an input, with whether the ignore rules ignore it (ignoring never untracks a file)
//! and the first key it holds. DS502 (tracked env file) is a condition over these facts in its
//! rule file.

use std::collections::HashSet;
use std::sync::Arc;

use crate::checks::secret::find_keys;
use crate::facts::view::{Kind, Row, Val};
use crate::redact::redact_key;

use super::env_files::first_line;
use super::row::ProjectRow;
use super::workspace::{display_under, Workspace};
use super::ProjectCtx;

/// The `tracked_env_file` kind: its fields, in row order.
pub const TRACKED_ENV_FILE: Kind = Kind {
    name: "tracked_env_file",
    fields: &[
        ("path", "the file, as reported"),
        ("ignored", "true when git's ignore rules ignore it"),
        ("key", "the first key it holds, redacted (`sk-…9f3a`)"),
    ],
};

/// Files larger than this are reported without reading them for a snippet.
const MAX_SNIPPET_FILE: u64 = 1 << 20;

/// The `tracked_env_file` facts: the index of every repository holding an input, its dotenv
/// files under the inputs. None outside a repository.
///
/// The walker never visits ignored files, so this enumerates index entries itself.
pub fn tracked_env_files(ctx: &ProjectCtx<'_>) -> Vec<ProjectRow> {
    let mut ws = Workspace::new(ctx.inputs);
    let mut out = Vec::new();
    let mut seen_repos = HashSet::new();
    let mut seen_files = HashSet::new();
    let inputs = ws.inputs.clone();
    for input in &inputs {
        let Some(repo) = ws.repo_of(&input.canon) else {
            continue;
        };
        if !seen_repos.insert(repo.root.clone()) {
            continue;
        }
        let mut tracked: Vec<String> = ws.tracked_env_files(&repo).iter().cloned().collect();
        tracked.sort();
        for rel in tracked {
            let abs = repo.root.join(&rel);
            let Some(covering) = ws.input_for(&abs).cloned() else {
                continue;
            };
            let ignored = ws.rules(&repo.root, Some(&repo)).is_ignored(&rel);
            if ignored && !seen_files.insert(abs.clone()) {
                continue;
            }
            let display = display_under(&covering, &abs);
            let text = read_small(&abs);
            let key = find_keys(&text).first().map(|(_, key)| redact_key(key));
            out.push(ProjectRow {
                display: display.clone(),
                fingerprint: Some(rel.clone()),
                fixes: Vec::new(),
                row: Row {
                    span: first_line(&text),
                    values: vec![
                        Val::Str(display),
                        Val::Bool(ignored),
                        key.map_or(Val::Null, Val::Str),
                    ],
                },
                text: Arc::new(text),
            });
        }
    }
    out
}

fn read_small(path: &std::path::Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() <= MAX_SNIPPET_FILE => std::fs::read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}
