//! DS604: a DeepSeek or OpenAI key placed where a front-end bundler inlines it into code
//! shipped to browsers.
//!
//! Three sources: `.env*` files defining a public-prefixed variable (`NEXT_PUBLIC_`, `VITE_`…)
//! that names such a key or holds an `sk-` key; code (JS/TS/TSX, and the script parts of
//! `.svelte`/`.vue`/`.astro` files) reading such a variable; and an OpenAI-SDK client with
//! DeepSeek evidence created with `dangerouslyAllowBrowser: true`. A file gets one finding per
//! public variable (its first use), listing its other uses as related locations.

use std::sync::LazyLock;

use regex::Regex;

use super::secret::classify;
use super::Ctx;
use crate::catalogue::{Catalogue, UrlTarget};
use crate::diagnostic::Hit;
use crate::facts::tree::walk_preorder;
use crate::facts::{Client, Facts, Family, ValueKind};
use crate::source::FileKind;

/// Env var prefixes that bundlers expose to browser code, with the tool that does it.
pub const PUBLIC_PREFIXES: &[(&str, &str)] = &[
    ("NEXT_PUBLIC_", "Next.js"),
    ("VITE_", "Vite"),
    ("REACT_APP_", "Create React App"),
    ("EXPO_PUBLIC_", "Expo"),
    ("NUXT_PUBLIC_", "Nuxt"),
    ("GATSBY_", "Gatsby"),
    ("VUE_APP_", "Vue CLI"),
    ("PUBLIC_", "SvelteKit"),
];

/// The public prefix of an env var name and the tool that inlines it.
pub fn public_prefix(name: &str) -> Option<(&'static str, &'static str)> {
    PUBLIC_PREFIXES
        .iter()
        .find(|(p, _)| name.starts_with(p) && name.len() > p.len())
        .copied()
}

/// Which provider's key a variable name (after its public prefix) names, if any:
/// `DEEPSEEK_API_KEY`, `OPENAI_KEY`, `DEEPSEEK_SECRET`; not `DEEPSEEK_BASE_URL`.
pub fn names_key(name: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    let tokens: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|t| !t.is_empty())
        .collect();
    let compact = upper.replace(['_', '-', '.'], "");
    let provider = if compact.contains("DEEPSEEK") {
        "DeepSeek"
    } else if compact.contains("OPENAI") {
        "OpenAI"
    } else {
        return None;
    };
    let keyish = tokens.iter().any(|t| {
        matches!(
            *t,
            "KEY" | "APIKEY" | "TOKEN" | "SECRET" | "APITOKEN" | "SECRETKEY" | "ACCESSKEY"
        ) || (t.ends_with("KEY") && (t.contains("DEEPSEEK") || t.contains("OPENAI")))
    });
    let not_key = tokens.iter().any(|t| {
        matches!(
            *t,
            "URL" | "BASE" | "ENDPOINT" | "HOST" | "MODEL" | "ORG" | "ORGANIZATION" | "PROJECT"
        )
    });
    (keyish && !not_key).then_some(provider)
}

/// The DS604 file check.
pub fn check_browser_key(ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let mut hits = Vec::new();
    match ctx.doc.kind {
        FileKind::Env => env_file(ctx.text(), &mut hits),
        k if k.is_js_family() => {
            if !super::gate::may_expose_key_in_code(ctx.text()) {
                return;
            }
            code(ctx.facts(), &ctx.settings.catalogue, &mut hits);
            if let (Some(cfg), Some(tree)) = (BuildConfig::of(ctx.path), ctx.tree()) {
                build_config(cfg, tree, ctx.text(), &mut hits);
            }
        }
        FileKind::Text if is_component_file(ctx.path) => component_file(ctx.text(), &mut hits),
        _ => {}
    }
    one_per_line(ctx.text(), one_per_variable(hits), out);
}

/// One hit per public variable per file: the first place the file names it (where it
/// defines it, or first reads it), with its other uses as related locations. Hits that name
/// no variable (`dangerouslyAllowBrowser`) stay as they are.
fn one_per_variable(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| h.range.start);
    let mut out: Vec<Hit> = Vec::new();
    let mut first_of: std::collections::HashMap<String, usize> = Default::default();
    for h in hits {
        let name = h.args.iter().find(|(k, _)| *k == "name").map(|(_, v)| v);
        match name {
            Some(n) => match first_of.get(n) {
                Some(&i) => out[i].related.push(h.range),
                None => {
                    first_of.insert(n.clone(), out.len());
                    out.push(h);
                }
            },
            None => out.push(h),
        }
    }
    out
}

/// A front-end build config whose settings are copied into client bundles.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BuildConfig {
    /// `next.config.*`: every `env: { … }` entry is inlined.
    Next,
    /// `vite.config.*`: `define: { 'process.env.X': … }` replaces text in client code.
    Vite,
    /// `nuxt.config.*`: `runtimeConfig.public` is sent to the client.
    Nuxt,
}

impl BuildConfig {
    fn of(path: &str) -> Option<BuildConfig> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        if name.starts_with("next.config.") {
            Some(BuildConfig::Next)
        } else if name.starts_with("vite.config.") || name.starts_with("vitest.config.") {
            Some(BuildConfig::Vite)
        } else if name.starts_with("nuxt.config.") {
            Some(BuildConfig::Nuxt)
        } else {
            None
        }
    }

    fn tool(self) -> &'static str {
        match self {
            BuildConfig::Next => "Next.js",
            BuildConfig::Vite => "Vite",
            BuildConfig::Nuxt => "Nuxt",
        }
    }

    /// The exposing section as users know it.
    fn label(self) -> &'static str {
        match self {
            BuildConfig::Nuxt => "runtimeConfig.public",
            _ => self.section(),
        }
    }

    /// The object key whose value object exposes its entries.
    fn section(self) -> &'static str {
        match self {
            BuildConfig::Next => "env",
            BuildConfig::Vite => "define",
            BuildConfig::Nuxt => "public",
        }
    }
}

/// Build configs: `env: { DEEPSEEK_API_KEY: … }` in `next.config.js`, `define:
/// { 'process.env.OPENAI_API_KEY': … }` in `vite.config.ts`, `runtimeConfig: { public:
/// { deepseekApiKey } }` in `nuxt.config.ts`.
fn build_config(cfg: BuildConfig, tree: &tree_sitter::Tree, text: &str, out: &mut Vec<Hit>) {
    let mut visited = 0usize;
    walk_preorder(tree, |n, _| {
        visited += 1;
        if n.kind() != "pair" || visited >= 1_000_000 {
            return;
        }
        let (Some(k), Some(v)) = (n.child_by_field_name("key"), n.child_by_field_name("value"))
        else {
            return;
        };
        let nuxt_ok = cfg != BuildConfig::Nuxt || in_runtime_config(n, text);
        if key_text(k, text) == cfg.section() && v.kind() == "object" && nuxt_ok {
            section_keys(cfg, v, text, out);
        }
    });
}

/// The entries of a build config's inlined section (`env: { … }`) that name a key.
fn section_keys(cfg: BuildConfig, section: tree_sitter::Node<'_>, text: &str, out: &mut Vec<Hit>) {
    let mut c = section.walk();
    for entry in section.named_children(&mut c) {
        let ek = match entry.kind() {
            "pair" => entry.child_by_field_name("key"),
            "shorthand_property_identifier" => Some(entry),
            _ => None,
        };
        let Some(ek) = ek else { continue };
        let name = key_text(ek, text);
        let var = name.rsplit('.').next().unwrap_or(&name);
        let Some(provider) = names_key(var) else {
            continue;
        };
        let server_name = if provider == "OpenAI" {
            "OPENAI_API_KEY"
        } else {
            "DEEPSEEK_API_KEY"
        };
        out.push(
            Hit::at(ek.byte_range())
                .message(format!(
                    "`{name}` is in the {} `{}` config, which {} copies into the client \
                     bundle: this {provider} API key is readable by anyone who loads the app",
                    cfg.tool(),
                    cfg.label(),
                    cfg.tool()
                ))
                .help(format!(
                    "Remove it from `{}` and read `{server_name}` from the environment in \
                     server code only (an API route or server action); revoke any key that \
                     was deployed.",
                    cfg.label()
                )),
        );
    }
}

/// True when a `public: { … }` pair sits inside `runtimeConfig` (Nuxt).
fn in_runtime_config(pair: tree_sitter::Node<'_>, text: &str) -> bool {
    // pair → object → pair(runtimeConfig)
    pair.parent()
        .and_then(|o| o.parent())
        .filter(|p| p.kind() == "pair")
        .and_then(|p| p.child_by_field_name("key"))
        .is_some_and(|k| key_text(k, text) == "runtimeConfig")
}

/// A property key as written, without quotes.
fn key_text(k: tree_sitter::Node<'_>, text: &str) -> String {
    let raw = text.get(k.byte_range()).unwrap_or("");
    raw.trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string()
}

/// Keeps the first hit of each line: a key read and `dangerouslyAllowBrowser` written on one
/// line are one problem.
fn one_per_line(text: &str, mut hits: Vec<Hit>, out: &mut Vec<Hit>) {
    hits.sort_by_key(|h| h.range.start);
    let mut last_line = None;
    for h in hits {
        let start = h.range.start.min(text.len());
        let line = text.as_bytes()[..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        if last_line == Some(line) {
            continue;
        }
        last_line = Some(line);
        out.push(h);
    }
}

/// Single-file components whose `<script>` blocks are bundled for the browser.
fn is_component_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".svelte") || lower.ends_with(".vue") || lower.ends_with(".astro")
}

/// The hit for a public variable `name` at `range`, when it names or holds a key.
fn public_hit(
    name: &str,
    range: std::ops::Range<usize>,
    held: Option<&'static str>,
    forced_public: Option<&str>,
) -> Option<Hit> {
    let (prefix, tool) = match (public_prefix(name), forced_public) {
        (Some(p), _) => p,
        (None, Some(module)) => (
            "PUBLIC_",
            if module.is_empty() {
                "SvelteKit"
            } else {
                module
            },
        ),
        (None, None) => return None,
    };
    let provider = names_key(&name[prefix.len().min(name.len())..])
        .or_else(|| names_key(name))
        .or(held)?;
    let server_name = match provider {
        "OpenAI" => "OPENAI_API_KEY",
        _ => "DEEPSEEK_API_KEY",
    };
    Some(
        Hit::at(range)
            .arg("name", name)
            .arg("provider", provider)
            .arg("tool", tool)
            .arg("prefix", prefix)
            .arg("server_name", server_name),
    )
}

/// `.env*` files: `NEXT_PUBLIC_DEEPSEEK_API_KEY=…`, or any public name holding an `sk-` key.
fn env_file(text: &str, out: &mut Vec<Hit>) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let (body, lead) = match trimmed.strip_prefix("export ") {
            Some(rest) => {
                let r = rest.trim_start();
                (r, lead + trimmed.len() - r.len())
            }
            None => (trimmed, lead),
        };
        let Some(eq) = body.find('=') else {
            continue;
        };
        let name = body[..eq].trim_end();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
        {
            continue;
        }
        let value = env_value(&body[eq + 1..]);
        let held = held_key(value);
        let range = start + lead..start + lead + name.len();
        if let Some(hit) = public_hit(name, range, held, None) {
            out.push(hit);
        }
    }
}

/// A dotenv value without quotes and trailing comment.
fn env_value(raw: &str) -> &str {
    let v = raw.trim_start();
    for q in ['"', '\'', '`'] {
        if let Some(rest) = v.strip_prefix(q) {
            return rest.split(q).next().unwrap_or(rest);
        }
    }
    let v = v.split(" #").next().unwrap_or(v);
    v.trim()
}

/// The provider of an `sk-` key held by a value (DeepSeek, OpenAI or an unknown `sk-`).
fn held_key(value: &str) -> Option<&'static str> {
    let token = value.trim();
    if !token.starts_with("sk-") {
        return None;
    }
    match classify(token).map(|s| s.provider.as_str()) {
        Some("DeepSeek") => Some("DeepSeek"),
        Some("OpenAI") => Some("OpenAI"),
        Some("Anthropic" | "OpenRouter") => None,
        // A placeholder (`sk-your-key`), or another provider's `sk-` key, still says an `sk-`
        // key goes here.
        _ => {
            let other = ["sk-ant-", "sk-or-"].iter().any(|p| token.starts_with(p));
            (!other).then_some("DeepSeek/OpenAI")
        }
    }
}

/// JS/TS/TSX: public env reads naming a key, and `dangerouslyAllowBrowser: true` on DeepSeek.
fn code(facts: &Facts, catalogue: &Catalogue, out: &mut Vec<Hit>) {
    for e in &facts.env_reads {
        let forced = match e.via.as_str() {
            "process.env" | "import.meta.env" => None,
            v if v.starts_with("$env/") && v.ends_with("/public") => Some("SvelteKit"),
            _ => continue,
        };
        if let Some(hit) = public_hit(&e.name, e.span.clone(), None, forced) {
            out.push(hit);
        }
    }
    for (i, c) in facts.clients.iter().enumerate() {
        let Some(span) = c.dangerously_allow_browser.clone() else {
            continue;
        };
        if c.family == Family::DeepSeekNative || !deepseek_evidence(facts, i, c, catalogue) {
            continue;
        }
        out.push(Hit::at(span).message(BROWSER_MESSAGE).help(BROWSER_HELP));
    }
}

/// The message for `dangerouslyAllowBrowser: true` on a DeepSeek client.
const BROWSER_MESSAGE: &str = "`dangerouslyAllowBrowser: true` on a DeepSeek client ships the \
     DeepSeek API key to every visitor's browser, where anyone can read and spend it";

/// The help for `dangerouslyAllowBrowser: true` on a DeepSeek client.
const BROWSER_HELP: &str = "Call DeepSeek from server code (an API route, server action or \
     backend) that reads `DEEPSEEK_API_KEY` from the server environment, and have the browser \
     call that endpoint; then remove `dangerouslyAllowBrowser`.";

/// DeepSeek evidence for a client: a DeepSeek base URL, a key (or base URL variable) named
/// for DeepSeek, or a `deepseek-*` model sent through it.
fn deepseek_evidence(facts: &Facts, idx: usize, c: &Client, catalogue: &Catalogue) -> bool {
    if let Some(b) = &c.base_url {
        match &b.kind {
            ValueKind::Str(s) => {
                let t = catalogue.classify_url(s);
                if t.is_deepseek() || t == UrlTarget::DeepSeekAnthropic {
                    return true;
                }
            }
            _ => {
                if b.mentions("deepseek") {
                    return true;
                }
            }
        }
    }
    if c.api_key.as_ref().is_some_and(|k| k.mentions("deepseek")) {
        return true;
    }
    if c.model
        .as_ref()
        .and_then(|m| m.as_str())
        .is_some_and(Catalogue::looks_deepseek)
    {
        return true;
    }
    facts.requests.iter().any(|r| {
        let mine =
            r.client == Some(idx) || facts.client_of(r).is_some_and(|rc| std::ptr::eq(rc, c));
        mine && r
            .model
            .as_ref()
            .and_then(|m| m.as_str())
            .is_some_and(Catalogue::looks_deepseek)
    })
}

/// `process.env.X` / `import.meta.env.X` reads and `$env/*/public` imports.
static COMPONENT_READ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:process\.env|import\.meta\.env)\s*\.\s*(?P<m>[A-Z][A-Z0-9_]*)")
        .expect("valid regex")
});

/// `import { A, B as c } from '$env/static/public'` (or `dynamic/public`).
static COMPONENT_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"import\s*\{(?P<names>[^}]*)\}\s*from\s*['"]\$env/(?:static|dynamic)/public['"]"#)
        .expect("valid regex")
});

/// `dangerouslyAllowBrowser: true` in a component's script.
static COMPONENT_BROWSER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<m>(?-u:\b)dangerouslyAllowBrowser\s*:\s*true)(?-u:\b)").expect("valid regex")
});

/// `.svelte`, `.vue`, `.astro`: the same reads, found by pattern (these are not parsed).
fn component_file(text: &str, out: &mut Vec<Hit>) {
    // Without a parse, DeepSeek evidence for `dangerouslyAllowBrowser` is the file naming
    // DeepSeek at all.
    if text.to_ascii_lowercase().contains("deepseek") {
        for caps in COMPONENT_BROWSER.captures_iter(text) {
            if let Some(m) = caps.name("m") {
                out.push(
                    Hit::at(m.range())
                        .message(BROWSER_MESSAGE)
                        .help(BROWSER_HELP),
                );
            }
        }
    }
    for caps in COMPONENT_READ.captures_iter(text) {
        if let Some(m) = caps.name("m") {
            if let Some(hit) = public_hit(m.as_str(), m.range(), None, None) {
                out.push(hit);
            }
        }
    }
    for caps in COMPONENT_IMPORT.captures_iter(text) {
        let Some(names) = caps.name("names") else {
            continue;
        };
        let mut pos = names.start();
        for part in names.as_str().split(',') {
            let imported = part.split_whitespace().next().unwrap_or("");
            if let Some(off) = part.find(imported).filter(|_| !imported.is_empty()) {
                let s = pos + off;
                if let Some(hit) =
                    public_hit(imported, s..s + imported.len(), None, Some("SvelteKit"))
                {
                    out.push(hit);
                }
            }
            pos += part.len() + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names() {
        assert_eq!(names_key("DEEPSEEK_API_KEY"), Some("DeepSeek"));
        assert_eq!(names_key("OPENAI_KEY"), Some("OpenAI"));
        assert_eq!(names_key("DEEPSEEK_APIKEY"), Some("DeepSeek"));
        assert_eq!(names_key("OPENAIKEY"), Some("OpenAI"));
        assert_eq!(names_key("DEEPSEEK_BASE_URL"), None);
        assert_eq!(names_key("DEEPSEEK_MODEL"), None);
        assert_eq!(names_key("API_KEY"), None);
        assert_eq!(names_key("OPENAI_ORG_KEY"), None);
        assert_eq!(
            public_prefix("NEXT_PUBLIC_X").map(|p| p.0),
            Some("NEXT_PUBLIC_")
        );
        assert_eq!(public_prefix("PUBLIC_X").map(|p| p.1), Some("SvelteKit"));
        assert_eq!(public_prefix("DEEPSEEK_API_KEY"), None);
    }

    #[test]
    fn env_lines() {
        let text = "# NEXT_PUBLIC_DEEPSEEK_API_KEY=x\nexport VITE_OPENAI_API_KEY=\"abc\"\nNEXT_PUBLIC_DEEPSEEK_BASE_URL=https://api.deepseek.com\nVITE_API_KEY=sk-4f8a1c9e2b7d4e6fa0c3b5d8e1f2a7c9 # k\nVITE_TOKEN=sk-your-key\nDEEPSEEK_API_KEY=sk-4f8a1c9e2b7d4e6fa0c3b5d8e1f2a7c9\n";
        let mut out = Vec::new();
        env_file(text, &mut out);
        let names: Vec<&str> = out.iter().map(|h| &text[h.range.clone()]).collect();
        assert_eq!(
            names,
            vec!["VITE_OPENAI_API_KEY", "VITE_API_KEY", "VITE_TOKEN"]
        );
    }

    #[test]
    fn component_reads() {
        let text = "<script lang=\"ts\">\nimport { PUBLIC_DEEPSEEK_API_KEY, PUBLIC_BASE as b } from '$env/static/public';\nconst k = import.meta.env.VITE_OPENAI_API_KEY;\n</script>\n";
        let mut out = Vec::new();
        component_file(text, &mut out);
        let names: Vec<&str> = out.iter().map(|h| &text[h.range.clone()]).collect();
        assert_eq!(
            names,
            vec!["VITE_OPENAI_API_KEY", "PUBLIC_DEEPSEEK_API_KEY"]
        );
    }
}
