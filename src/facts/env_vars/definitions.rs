//! Env var definitions (for cross-file rules such as DS603): the names that dotenv files, shell scripts, Dockerfiles,
//! compose files and CI workflows set.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::reads::IDENT;
use crate::source::FileKind;

/// `NAME=value` in a dotenv file; a commented-out `# NAME=value` documents the name too (it
/// counts as defined, which can only remove findings).
static ENV_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:#[ \t]*)?(?:export[ \t]+)?(?P<n>[A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=")
        .expect("valid regex")
});

static SHELL_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:export|declare[ \t]+-x)[ \t]+(?P<n>[A-Za-z_][A-Za-z0-9_]*)=")
        .expect("valid regex")
});

static DOCKER_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mi)^[ \t]*(?:ENV|ARG)[ \t]+(?P<rest>.*)$").expect("valid regex")
});

static DOCKER_PAIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:^|\s)(?P<n>[A-Za-z_][A-Za-z0-9_]*)="#).expect("valid regex"));

static YAML_SECRET_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?-u:\b)(?:secrets|vars)\.(?P<n>[A-Za-z_][A-Za-z0-9_]*)|(?:^|[\s'"\[,])(?:export\s+)?(?P<a>[A-Za-z_][A-Za-z0-9_]*)="#,
    )
    .expect("valid regex")
});

/// An upper-case key set in JSON/TOML/INI (`"DEEPSEEK_API_KEY": …`, `DEEPSEEK_API_KEY = …`,
/// `"start": "DEEPSEEK_API_KEY=… node app.js"`): upper-case keys there are env settings
/// (`vercel.json`, `devcontainer.json`, `fly.toml [env]`, `tox.ini setenv`).
static UPPER_KEY_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)(?:^|[{,\s])["']?(?P<n>[A-Z][A-Z0-9_]*[A-Z0-9])["']?[ \t]*[:=]"#)
        .expect("valid regex")
});

static YAML_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?:environment|env|variables)[ \t]*:[ \t]*(?:#.*)?$",
    )
    .expect("valid regex")
});

static YAML_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^[ \t]*(?:-[ \t]+(?:name[ \t]*:[ \t]*)?["']?(?P<l>[A-Za-z_][A-Za-z0-9_]*)|["']?(?P<k>[A-Za-z_][A-Za-z0-9_]*)["']?[ \t]*:)"#,
    )
    .expect("valid regex")
});

/// Names a configuration file defines (for the whole run's definition set).
pub fn collect_definitions(kind: FileKind, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    match kind {
        FileKind::Env => {
            for c in ENV_DEF.captures_iter(text) {
                if let Some(n) = c.name("n") {
                    out.push(n.as_str().to_string());
                }
            }
        }
        FileKind::Shell => {
            for c in SHELL_DEF.captures_iter(text) {
                if let Some(n) = c.name("n") {
                    out.push(n.as_str().to_string());
                }
            }
        }
        FileKind::Dockerfile => {
            for c in DOCKER_DEF.captures_iter(text) {
                let Some(rest) = c.name("rest") else { continue };
                let rest = rest.as_str();
                let mut any = false;
                for p in DOCKER_PAIR.captures_iter(rest) {
                    if let Some(n) = p.name("n") {
                        out.push(n.as_str().to_string());
                        any = true;
                    }
                }
                if !any {
                    // `ENV NAME value` / `ARG NAME`
                    if let Some(m) = IDENT.find(rest) {
                        if m.start() == 0 {
                            out.push(m.as_str().to_string());
                        }
                    }
                }
            }
        }
        FileKind::Json | FileKind::Toml | FileKind::Ini => {
            for c in UPPER_KEY_DEF.captures_iter(text) {
                if let Some(n) = c.name("n") {
                    out.push(n.as_str().to_string());
                }
            }
        }
        FileKind::Yaml => {
            for c in YAML_SECRET_REF.captures_iter(text) {
                if let Some(n) = c.name("n").or_else(|| c.name("a")) {
                    out.push(n.as_str().to_string());
                }
            }
            yaml_env_blocks(text, &mut out);
        }
        _ => {}
    }
    let mut seen = HashSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// Keys of `environment:` / `env:` / `variables:` blocks (map and list forms, including
/// Kubernetes `- name: X`), direct children only.
fn yaml_env_blocks(text: &str, out: &mut Vec<String>) {
    // (indent of the block's key, indent of its children once seen)
    let mut block: Option<(usize, Option<usize>)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some((parent, child)) = block {
            // Children sit deeper than the key, or (a list) at the key's own indent.
            let is_child = indent > parent
                || (indent == parent
                    && trimmed.starts_with('-')
                    && child.is_none_or(|c| c == indent));
            if is_child {
                let ci = child.unwrap_or(indent);
                block = Some((parent, Some(ci)));
                if indent == ci {
                    if let Some(n) = YAML_ITEM
                        .captures(line)
                        .and_then(|c| c.name("l").or_else(|| c.name("k")))
                    {
                        out.push(n.as_str().to_string());
                    }
                }
                continue;
            }
            block = None;
        }
        if let Some(c) = YAML_BLOCK.captures(line) {
            let mut parent = c.name("indent").map_or(0, |m| m.len());
            if trimmed.starts_with('-') {
                // `- env:` inside a list item: children sit past the dash.
                parent += 1;
            }
            block = Some((parent, None));
        }
    }
}
