//! The `env_file` project fact kind: a secret-bearing dotenv file among the run's files, with
//! whether git's ignore rules ignore it and whether it is tracked. DS501 (unignored env file:
//! `git add .` would commit it) is a condition over these facts in its rule file. A template
//! whose values are all empty is no such file.

use std::sync::Arc;

use crate::facts::view::{Kind, Row, Val};
use crate::source::FileKind;

use super::env_files::{all_values_empty, first_line, is_secret_env_name};
use super::repo::canonical;
use super::row::ProjectRow;
use super::workspace::Workspace;
use super::ProjectCtx;

/// The `env_file` kind: its fields, in row order.
pub const ENV_FILE: Kind = Kind {
    name: "env_file",
    fields: &[
        ("path", "the file, as reported"),
        ("rel", "its path from the repository (or project) root"),
        ("ignored", "true when git's ignore rules ignore it"),
        ("has_rules", "true when any ignore file applies to it"),
        ("tracked", "true when it is in the git index"),
        ("in_repo", "true when it is inside a git repository"),
        ("gitignore", "the ignore file to add it to, as shown (`.gitignore`, `the .gitignore at the repository root`)"),
    ],
};

/// The `env_file` facts: every dotenv file among the collected files that is named like a
/// secrets file (not `.env.example`…) and has a value.
///
/// Ignore state is decided from the repository root whatever directory or files dslint was
/// given; outside a repository, from the outermost linted directory (where `git init` would
/// most likely run), so a `.gitignore` there still counts and no `.gitignore` means not
/// ignored. A row offers the fix `ignore-in-gitignore`.
pub fn env_files(ctx: &ProjectCtx<'_>) -> Vec<ProjectRow> {
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
        let ignored = rules.is_ignored(&rel);
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
        let fixes = match ignored {
            true => Vec::new(),
            false => crate::checks::fixes::ignore_in_gitignore(&root, &rel)
                .map(|fix| ("ignore-in-gitignore", fix))
                .into_iter()
                .collect(),
        };
        out.push(ProjectRow {
            display: f.display.clone(),
            text: Arc::clone(&f.text),
            fingerprint: Some(rel.clone()),
            fixes,
            row: Row {
                span: first_line(&f.text),
                values: vec![
                    Val::Str(f.display.clone()),
                    Val::Str(rel),
                    Val::Bool(ignored),
                    Val::Bool(has_rules),
                    Val::Bool(tracked),
                    Val::Bool(repo.is_some()),
                    Val::Str(gitignore.into()),
                ],
            },
        });
    }
    out
}
