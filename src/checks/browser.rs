//! The `browser_exposure` fact kind: places where a front-end bundler may inline a key into
//! code shipped to browsers. DS604 (a DeepSeek or OpenAI key exposed to browser code) is a
//! condition over these facts in its rule file.
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
use crate::facts::tree::walk_preorder;
use crate::facts::view::{Kind, Row, Val};
use crate::facts::{Client, Facts, Family, ValueKind};
use crate::source::FileKind;

/// The `browser_exposure` kind: its fields, in row order.
pub const BROWSER_EXPOSURE: Kind = Kind {
    name: "browser_exposure",
    fields: &[
        ("via", "env_file (a variable defined in a `.env*` file) | read (a variable read in JS/TS code or a `.svelte`/`.vue`/`.astro` script, or imported from SvelteKit's `$env/*/public`) | build_config (an entry of a build config's inlined section: Next.js `env`, Vite `define`, Nuxt `runtimeConfig.public`) | allow_browser (`dangerouslyAllowBrowser: true` on a client)"),
        ("name", "the variable's name (env_file, read)"),
        ("prefix", "its public prefix (`NEXT_PUBLIC_`, `VITE_`…), null when it has none"),
        ("tool", "the tool that inlines it (`Next.js`, `Vite`, `SvelteKit`…)"),
        ("provider", "whose key the name names, or the value holds: DeepSeek | OpenAI | DeepSeek/OpenAI (an `sk-` key of unknown shape); null when none"),
        ("entry", "a build config entry as written (`process.env.OPENAI_API_KEY`)"),
        ("label", "the build config section (`env`, `define`, `runtimeConfig.public`)"),
        ("deepseek_client", "for allow_browser: true when the client is an OpenAI-SDK client with DeepSeek evidence (in a component file: the file names DeepSeek)"),
    ],
};

/// A row of the kind.
#[allow(clippy::too_many_arguments)]
fn row(
    span: std::ops::Range<usize>,
    via: &str,
    name: Option<&str>,
    prefix: Option<&str>,
    tool: Option<&str>,
    provider: Option<&str>,
    entry: Option<&str>,
    label: Option<&str>,
    deepseek_client: bool,
) -> Row {
    let s = |v: Option<&str>| v.map_or(Val::Null, |v| Val::Str(v.to_string()));
    Row {
        span,
        values: vec![
            Val::Str(via.to_string()),
            s(name),
            s(prefix),
            s(tool),
            s(provider),
            s(entry),
            s(label),
            Val::Bool(deepseek_client),
        ],
    }
}

/// A `dangerouslyAllowBrowser` site: only its span and DeepSeek evidence are known.
fn allow_browser_row(span: std::ops::Range<usize>, deepseek_client: bool) -> Row {
    row(
        span,
        "allow_browser",
        None,
        None,
        None,
        None,
        None,
        None,
        deepseek_client,
    )
}

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

/// The `browser_exposure` facts of a document, in the order its sources are searched.
pub fn browser_exposures(ctx: &Ctx<'_>) -> Vec<Row> {
    let mut rows = Vec::new();
    match ctx.doc.kind {
        FileKind::Env => env_file(ctx.text(), &mut rows),
        k if k.is_js_family() => {
            code(ctx.facts(), &ctx.settings.catalogue, &mut rows);
            if let (Some(cfg), Some(tree)) = (BuildConfig::of(ctx.path), ctx.tree()) {
                build_config(cfg, tree, ctx.text(), &mut rows);
            }
        }
        FileKind::Text if is_component_file(ctx.path) => component_file(ctx.text(), &mut rows),
        _ => {}
    }
    rows
}

/// DS604's gate: JS/TS code that cannot expose a key is not searched.
pub fn may_expose_key(text: &str, kind: FileKind) -> bool {
    !kind.is_js_family() || super::gate::may_expose_key_in_code(text)
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
fn build_config(cfg: BuildConfig, tree: &tree_sitter::Tree, text: &str, out: &mut Vec<Row>) {
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
fn section_keys(cfg: BuildConfig, section: tree_sitter::Node<'_>, text: &str, out: &mut Vec<Row>) {
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
        out.push(row(
            ek.byte_range(),
            "build_config",
            None,
            None,
            Some(cfg.tool()),
            names_key(var),
            Some(&name),
            Some(cfg.label()),
            false,
        ));
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

/// Single-file components whose `<script>` blocks are bundled for the browser.
fn is_component_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".svelte") || lower.ends_with(".vue") || lower.ends_with(".astro")
}

/// The row for a variable `name` at `range` (public when it has a public prefix, or is
/// imported from a public module), with the provider its name names or `held` says.
fn public_row(
    name: &str,
    range: std::ops::Range<usize>,
    held: Option<&'static str>,
    forced_public: Option<&str>,
) -> Row {
    let (prefix, tool) = match (public_prefix(name), forced_public) {
        (Some((p, t)), _) => (Some(p), Some(t)),
        (None, Some(module)) => (
            Some("PUBLIC_"),
            Some(if module.is_empty() {
                "SvelteKit"
            } else {
                module
            }),
        ),
        (None, None) => (None, None),
    };
    let after = &name[prefix.map_or(0, str::len).min(name.len())..];
    let provider = names_key(after).or_else(|| names_key(name)).or(held);
    row(
        range,
        "read",
        Some(name),
        prefix,
        tool,
        provider,
        None,
        None,
        false,
    )
}

/// `.env*` files: `NEXT_PUBLIC_DEEPSEEK_API_KEY=…`, or any public name holding an `sk-` key.
fn env_file(text: &str, out: &mut Vec<Row>) {
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
        let mut r = public_row(name, range, held, None);
        r.values[0] = Val::Str("env_file".into());
        out.push(r);
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
fn code(facts: &Facts, catalogue: &Catalogue, out: &mut Vec<Row>) {
    for e in &facts.env_reads {
        let forced = match e.via.as_str() {
            "process.env" | "import.meta.env" => None,
            v if v.starts_with("$env/") && v.ends_with("/public") => Some("SvelteKit"),
            _ => continue,
        };
        out.push(public_row(&e.name, e.span.clone(), None, forced));
    }
    for (i, c) in facts.clients.iter().enumerate() {
        let Some(span) = c.dangerously_allow_browser.clone() else {
            continue;
        };
        let deepseek =
            c.family != Family::DeepSeekNative && deepseek_evidence(facts, i, c, catalogue);
        out.push(allow_browser_row(span, deepseek));
    }
}

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
fn component_file(text: &str, out: &mut Vec<Row>) {
    // Without a parse, DeepSeek evidence for `dangerouslyAllowBrowser` is the file naming
    // DeepSeek at all.
    let deepseek = text.to_ascii_lowercase().contains("deepseek");
    for caps in COMPONENT_BROWSER.captures_iter(text) {
        if let Some(m) = caps.name("m") {
            out.push(allow_browser_row(m.range(), deepseek));
        }
    }
    for caps in COMPONENT_READ.captures_iter(text) {
        if let Some(m) = caps.name("m") {
            out.push(public_row(m.as_str(), m.range(), None, None));
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
                out.push(public_row(
                    imported,
                    s..s + imported.len(),
                    None,
                    Some("SvelteKit"),
                ));
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

    /// The rows DS604 reports: public and naming (or holding) a key.
    fn flagged(rows: Vec<Row>) -> Vec<std::ops::Range<usize>> {
        rows.into_iter()
            .filter(|r| r.values[2] != Val::Null && r.values[4] != Val::Null)
            .map(|r| r.span)
            .collect()
    }

    #[test]
    fn env_lines() {
        let text = "# NEXT_PUBLIC_DEEPSEEK_API_KEY=x\nexport VITE_OPENAI_API_KEY=\"abc\"\nNEXT_PUBLIC_DEEPSEEK_BASE_URL=https://api.deepseek.com\nVITE_API_KEY=sk-4f8a1c9e2b7d4e6fa0c3b5d8e1f2a7c9 # k\nVITE_TOKEN=sk-your-key\nDEEPSEEK_API_KEY=sk-4f8a1c9e2b7d4e6fa0c3b5d8e1f2a7c9\n";
        let mut out = Vec::new();
        env_file(text, &mut out);
        let names: Vec<&str> = flagged(out).into_iter().map(|r| &text[r]).collect();
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
        let names: Vec<&str> = flagged(out).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            names,
            vec!["VITE_OPENAI_API_KEY", "PUBLIC_DEEPSEEK_API_KEY"]
        );
    }
}
