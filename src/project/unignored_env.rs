//! DS501 unignored-env-file: a secret-bearing dotenv file that git's ignore rules do not
//! ignore, so `git add .` would commit it. A template whose values are all empty is not flagged.

use std::sync::Arc;

use crate::diagnostic::Hit;
use crate::source::FileKind;

use super::env_files::{all_values_empty, first_line, is_secret_env_name};
use super::repo::canonical;
use super::workspace::Workspace;
use super::{ProjectCtx, ProjectHit};

/// Flags every dotenv file among the collected files that git would not ignore.
///
/// Ignore state is decided from the repository root whatever directory or files dslint was
/// given; outside a repository, from the outermost linted directory (where `git init` would
/// most likely run), so a `.gitignore` there still counts and no `.gitignore` means flagged.
pub fn check(ctx: &ProjectCtx<'_>) -> Vec<ProjectHit> {
    let mut ws = Workspace::new(ctx.inputs);
    let mut out = Vec::new();
    for f in ctx.files.iter().filter(|f| f.kind == FileKind::Env) {
        let Some(name) = f.path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        // A `.env` whose values are all empty is a template: nothing secret to commit.
        if !is_secret_env_name(name) || all_values_empty(&f.text) {
            continue;
        }
        let Some(abs) = canonical(&f.path) else {
            continue;
        };
        let Some((repo, root, rel)) = ws.locate(&abs) else {
            continue;
        };
        let rules = ws.rules(&root, repo.as_ref());
        if rules.is_ignored(&rel) {
            continue;
        }
        let has_rules = rules.has_any_rules(&rel);
        let tracked = match &repo {
            Some(r) => ws.tracked_env_files(r).contains(&rel),
            None => false,
        };
        let at_cwd = std::env::current_dir()
            .ok()
            .and_then(|c| canonical(&c))
            .is_some_and(|c| c == root);
        let gitignore = if at_cwd {
            ".gitignore"
        } else if repo.is_some() {
            "the .gitignore at the repository root"
        } else {
            "a .gitignore at the project root"
        };
        let path = &f.display;
        let message = if tracked {
            format!("`{path}` is tracked by git and not ignored: its secrets are committed")
        } else if repo.is_none() && !has_rules {
            format!("`{path}` is not ignored (there is no .gitignore): `git add .` would commit its secrets")
        } else if repo.is_none() {
            format!(
                "`{path}` is not ignored by any .gitignore: `git add .` would commit its secrets"
            )
        } else {
            format!("`{path}` is not ignored by git: `git add .` would commit its secrets")
        };
        let mut help = format!("add \"/{rel}\" to {gitignore}");
        if tracked {
            help.push_str(&format!(
                ", untrack it with `git rm --cached {path}`, and rotate every key it holds (they are in the history)"
            ));
        } else {
            help.push_str(" and commit a `.env.example` with placeholder values instead");
        }
        let mut hit = Hit::at(first_line(&f.text))
            .arg("path", path.clone())
            .message(message)
            .help(help);
        hit.fingerprint = Some(rel.clone());
        hit.fix = crate::checks::fixes::ignore_in_gitignore(&root, &rel);
        out.push(ProjectHit {
            display: f.display.clone(),
            text: Arc::clone(&f.text),
            hit,
        });
    }
    out
}
