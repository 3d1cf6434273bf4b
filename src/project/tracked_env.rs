//! DS502 tracked-env-file: a secret-bearing dotenv file that is in the git index although the
//! ignore rules ignore it (ignoring never untracks a file).

use std::collections::HashSet;
use std::sync::Arc;

use crate::checks::secret::find_keys;
use crate::diagnostic::Hit;
use crate::redact::redact_key;

use super::env_files::first_line;
use super::workspace::{display_under, Workspace};
use super::{ProjectCtx, ProjectHit};

/// Files larger than this are reported without reading them for a snippet.
const MAX_SNIPPET_FILE: u64 = 1 << 20;

/// Reads the index of every repository holding an input and flags tracked dotenv files
/// under the inputs that the ignore rules ignore. Silent outside a repository.
///
/// The walker never visits ignored files, so this enumerates index entries itself.
pub fn check(ctx: &ProjectCtx<'_>) -> Vec<ProjectHit> {
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
            if !ws.rules(&repo.root, Some(&repo)).is_ignored(&rel)
                || !seen_files.insert(abs.clone())
            {
                continue;
            }
            let display = display_under(&covering, &abs);
            let text = read_small(&abs);
            let holds = match find_keys(&text).first() {
                Some((_, key)) => {
                    format!(", and it holds a key (`{}`): rotate it", redact_key(key))
                }
                None => String::new(),
            };
            let mut hit = Hit::at(first_line(&text))
                .arg("path", display.clone())
                .message(format!(
                    "`{display}` is ignored by .gitignore but still tracked by git: ignoring does not untrack, so every change to it is committed{holds}"
                ))
                .help(format!(
                    "run `git rm --cached {display}` and commit, then rotate every key it held (they are in the history)"
                ));
            hit.fingerprint = Some(rel.clone());
            out.push(ProjectHit {
                display,
                text: Arc::new(text),
                hit,
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
