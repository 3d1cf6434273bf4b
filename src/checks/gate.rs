//! Text gates: cheap tests on a document's text that let a check skip parsing a file that
//! cannot hold what it looks for. Each gate admits a superset of the files its check can
//! flag (a file it turns away has no finding for that check); a file it admits is parsed and
//! judged as usual. Parsing is most of dslint's time, and the prefilter literals (`openai`,
//! `api_key`, `base_url`) occur in every file of an LLM SDK.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::LazyLock;

use regex::Regex;

use crate::facts::sdks::TABLE;
use crate::source::FileKind;

/// Whether gates may turn files away (on by default). Off, every check parses every file the
/// prefilter admits: the soundness test compares both ways on every fixture.
static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns the gates on or off for the whole process (for tests and for measuring them).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// True when gates are off, so every gate admits.
fn off() -> bool {
    !ENABLED.load(Ordering::Relaxed)
}

/// One SDK entry's misspelled base-URL options, as text tests: a constructor is named, an
/// option is given, and a module the entry requires (if any) is mentioned.
struct EntryGate {
    constructor: Regex,
    /// JS/TS: an object key anywhere (options objects are often built apart from the call).
    option: Regex,
    /// Python: the option names, looked for as keywords inside a constructor call.
    names: Vec<String>,
    requires: Vec<String>,
}

/// The gates of one language's SDK entries that list misspelled options.
struct MisspelledOptions(Vec<EntryGate>);

/// An alternation of `names` (escaped).
fn alternation<'n>(names: impl Iterator<Item = &'n String>) -> String {
    // The last segment: what the source names (`openai.OpenAI`, `configuration.baseUrl`).
    let mut names: Vec<String> = names
        .map(|s| regex::escape(s.rsplit(['.', ':']).next().unwrap_or(s)))
        .collect();
    names.sort();
    names.dedup();
    names.join("|")
}

impl MisspelledOptions {
    fn new(lang: &str) -> MisspelledOptions {
        let build = |re: String| Regex::new(&re).expect("gate regex from the SDK table builds");
        let gates = TABLE
            .clients
            .iter()
            .filter(|e| e.lang == lang && !e.misspelled_base_url.is_empty())
            .filter(|e| !e.constructors.is_empty())
            .map(|e| {
                let c = alternation(e.constructors.iter());
                let o = alternation(e.misspelled_base_url.iter());
                EntryGate {
                    constructor: build(format!(r"(?-u:\b)(?:{c})(?-u:\b)")),
                    // An object key: `baseUrl:`, `"baseUrl":`, shorthand `{ baseUrl }`.
                    option: build(format!(r#"(?-u:\b)(?:{o})(?-u:\b)["']?\s*[:,}}]"#)),
                    names: e
                        .misspelled_base_url
                        .iter()
                        .map(|n| n.rsplit('.').next().unwrap_or(n).to_string())
                        .collect(),
                    requires: e.requires_import.clone(),
                }
            })
            .collect();
        MisspelledOptions(gates)
    }

    fn admits(&self, text: &str, python: bool) -> bool {
        self.0.iter().any(|g| {
            (g.requires.is_empty() || g.requires.iter().any(|m| text.contains(m.as_str())))
                && if python {
                    g.constructor
                        .find_iter(text)
                        .any(|m| python_call_may_give(&text[m.end()..], &g.names))
                } else {
                    g.constructor.is_match(text) && g.option.is_match(text)
                }
        })
    }
}

/// Bytes of one call's arguments scanned before giving up (and admitting the file).
const CALL_SCAN_LIMIT: usize = 64 * 1024;

/// `after` follows a Python constructor's name. True when that name is called with one of
/// `names` as a keyword argument, or when the call (or the name) cannot be judged from text:
/// `**kwargs` (the names may sit in a dict elsewhere), `import … as alias` (the alias is
/// called), or arguments too long to scan. Strings and comments are skipped.
fn python_call_may_give(after: &str, names: &[String]) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.starts_with("as ") || rest.starts_with("as\t") {
        return true;
    }
    let Some(args) = rest.strip_prefix('(') else {
        return false;
    };
    let b = args.as_bytes();
    let mut depth = 1usize;
    let mut i = 0;
    while i < b.len() {
        if i > CALL_SCAN_LIMIT {
            return true;
        }
        match b[i] {
            q @ (b'"' | b'\'') => {
                let triple = b[i..].starts_with(&[q, q, q]);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == q && (!triple || b[i..].starts_with(&[q, q, q])) {
                        i += if triple { 3 } else { 1 };
                        break;
                    }
                    if b[i] == b'\n' && !triple {
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return false;
                }
            }
            b'*' if depth == 1 && b.get(i + 1) == Some(&b'*') => return true,
            c if depth == 1 && (c.is_ascii_alphabetic() || c == b'_') => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = &args[start..i];
                let after_word = args[i..].trim_start_matches([' ', '\t', '\n', '\r']);
                if names.iter().any(|n| n == word)
                    && after_word.starts_with('=')
                    && !after_word.starts_with("==")
                {
                    return true;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    true
}

static PYTHON_OPTIONS: LazyLock<MisspelledOptions> =
    LazyLock::new(|| MisspelledOptions::new("python"));
static ECMASCRIPT_OPTIONS: LazyLock<MisspelledOptions> =
    LazyLock::new(|| MisspelledOptions::new("ecmascript"));

/// DS203: the document may construct an SDK client with a misspelled base-URL option, or set
/// the 0.x module global `openai.api_base` (directly or through `import openai as x`).
pub fn may_misspell_base_url(text: &str, kind: FileKind) -> bool {
    if off() {
        return true;
    }
    match kind {
        FileKind::Python => {
            PYTHON_OPTIONS.admits(text, true)
                || text.contains("openai.api_base")
                || (text.contains("import openai as") && text.contains(".api_base"))
        }
        k if k.is_js_family() => ECMASCRIPT_OPTIONS.admits(text, false),
        _ => false,
    }
}

/// `=` or `:` and then an empty or blank string literal (`""`, `''`, `" "`, `"\n"`, and in
/// JS/TS an empty template), not the start of a Python triple quote. Starting at `[:=]`
/// keeps the search fast: names are read back from the line by hand.
static GIVEN_BLANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x) [:=] [\ \t]*
        (?: " (?:[\ \t]|\\[ntr])* " | ' (?:[\ \t]|\\[ntr])* ' | ` (?:[\ \t]|\\[ntr])* ` )
        # the whole value: not `" ".join(…)`, not a triple quote; `|| x` keeps an empty left side
        [\ \t]* (?: [,)}\];\r\n\#] | // | \|\| | \?\? | as(?-u:\b) | $ )"#,
    )
    .expect("empty-key gate builds")
});

/// A key-like name given a variable (`api_key=EMPTY`, `apiKey: cfg.key`); the match starts
/// inside the name, at its key-like word, so the search can start from literals.
static KEY_GIVEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i:key|token|secret|auth|cred|passw)[A-Za-z0-9_$]*["']?[\ \t]*[:=][\ \t]*(?P<name>[A-Za-z_$][A-Za-z0-9_$.]*)"#,
    )
    .expect("empty-key gate builds")
});

/// True for names that say they hold a secret: `api_key`, `apiKey`, `TOKEN`, `client_secret`.
fn keyish(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["key", "token", "secret", "auth", "cred", "passw"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The name given the value that starts at `end`: the identifier just before it on its line
/// (`api_key=`, `"api_key": `, `apiKey: `), or for an annotated `api_key: Optional[str] = `
/// the name before the type.
fn name_before(text: &str, end: usize) -> &str {
    let line = &text[text[..end].rfind('\n').map_or(0, |i| i + 1)..end];
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let trailing = |s: &'_ str| -> (usize, usize) {
        let t = s.trim_end_matches([' ', '\t', '"', '\'', '`', ']']);
        // After the last non-identifier character, whatever its width in bytes.
        let start = t
            .char_indices()
            .rfind(|&(_, c)| !is_ident(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        (start, t.len())
    };
    // Only `name: Type = ""`: in `{ token: t, name: "" }` the colon before is another key's.
    let annotated = line
        .rfind(':')
        .filter(|_| text[end..].starts_with('='))
        .filter(|&colon| {
            line[colon + 1..]
                .chars()
                .all(|c| is_ident(c) || " \t[],.|".contains(c))
        })
        .map(|colon| {
            let (s1, e1) = trailing(&line[..colon]);
            &line[s1..e1]
        });
    // Annotated, the identifier just before `=` is the type, not a name.
    annotated.unwrap_or_else(|| {
        let (s0, e0) = trailing(line);
        &line[s0..e0]
    })
}

/// DS602: the document may hold an empty API key. It names DeepSeek (an empty default of a
/// DeepSeek key variable, a client bound to DeepSeek by its URL, key name or model), or an
/// empty string reaches a key-like name: directly (`api_key=""`, `apiKey: ''`,
/// `"api_key": ""`) or through a name given one (`EMPTY = ""` … `api_key=EMPTY`). Rust keeps
/// a looser test: a key-like name and then `""` or `String::new()` on one line, or a
/// `"Bearer "` value.
pub fn may_have_empty_key(text: &str, kind: FileKind) -> bool {
    if off() || DEEPSEEK.is_match(text) {
        return true;
    }
    if !(kind == FileKind::Python || kind.is_js_family()) {
        return KEY_THEN_BLANK.is_match(text);
    }
    let mut blank_names: Vec<&str> = Vec::new();
    for m in GIVEN_BLANK.find_iter(text) {
        // `==`, `!=`, `<=`, `>=` compare; they give nothing.
        if text[..m.start()].ends_with(['=', '!', '<', '>']) {
            continue;
        }
        let name = name_before(text, m.start());
        if keyish(name) {
            return true;
        }
        if !name.is_empty() {
            blank_names.push(name);
        }
    }
    !blank_names.is_empty()
        && KEY_GIVEN_NAME.captures_iter(text).any(|c| {
            c.name("name").is_some_and(|m| {
                let last = m.as_str().rsplit('.').next().unwrap_or(m.as_str());
                blank_names.contains(&last)
            })
        })
}

/// Rust: a key-like name and, after it on one line, `""` or `String::new()`, or a
/// `"Bearer "` header value (a request's key is what follows `Bearer `).
static KEY_THEN_BLANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?xi)
    (?:key|token|secret|auth|bearer|cred|passw) [^\n]{0,120}?
    (?: (?:^|[^"\\]) " (?:[\ \t\r\n]|\\[ntr])* " (?:[^"]|$)
      | String::(?:new|default) | Default::default )
  | bearer\s+"
"#,
    )
    .expect("empty-key gate builds")
});

/// DS604 in JS/TS: the document may read a public env var that names a DeepSeek or OpenAI key
/// (`VITE_DEEP_SEEK_KEY`, `NEXT_PUBLIC_OPENAI_API_KEY`: the name must say which provider), put
/// one in a bundler config, or create a client with `dangerouslyAllowBrowser`.
pub fn may_expose_key_in_code(text: &str) -> bool {
    off() || text.contains("dangerouslyAllowBrowser") || PROVIDER_NAME.is_match(text)
}

/// A provider named in an identifier, separators allowed (`DEEP_SEEK`, `open-ai`).
static PROVIDER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)deep[-_.]?seek|open[-_.]?ai").expect("provider regex builds")
});

/// `deepseek` in any ASCII case.
static DEEPSEEK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("(?i-u)deepseek").expect("literal regex builds"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelled_option_gate_admits_what_ds203_flags() {
        let py = FileKind::Python;
        assert!(may_misspell_base_url(
            "from openai import OpenAI\nc = OpenAI(api_base='x')",
            py
        ));
        assert!(may_misspell_base_url(
            "from openai import OpenAI as C\nC(baseURL=u)",
            py
        ));
        assert!(may_misspell_base_url(
            "from openai import OpenAI\nkw = {'baseURL': u}\nOpenAI(**kw)",
            py
        ));
        assert!(may_misspell_base_url(
            "import openai\nc = openai.OpenAI(\n  # base (\n  key=f(')', \"(\"),\n  endpoint = u)",
            py
        ));
        // Unclosed at the end of the text: cannot judge, so admitted.
        assert!(may_misspell_base_url(
            "from openai import OpenAI\nOpenAI(key=k,",
            py
        ));
        // The option given to another call, or a string that only looks like it.
        assert!(!may_misspell_base_url(
            "from openai import OpenAI\nc = OpenAI(api_key=k)\ncompletion(api_base=u)",
            py
        ));
        assert!(!may_misspell_base_url(
            "from openai import OpenAI\nc = OpenAI(api_key='api_base=x', base_url=u)",
            py
        ));
        assert!(may_misspell_base_url(
            "import openai\nopenai.api_base = u",
            py
        ));
        assert!(may_misspell_base_url(
            "import openai as o\no.api_base = u",
            py
        ));
        // litellm's own `api_base=` with no OpenAI-SDK constructor named.
        assert!(!may_misspell_base_url(
            "completion(api_base=u, api_key=k)",
            py
        ));
        assert!(!may_misspell_base_url(
            "from openai import OpenAI\nif api_base == u: pass",
            py
        ));
        let js = FileKind::TypeScript;
        assert!(may_misspell_base_url("new OpenAI({ baseUrl: u })", js));
        assert!(may_misspell_base_url("new OpenAI({ \"base_url\": u })", js));
        assert!(may_misspell_base_url(
            "const o = { basePath }; new OpenAI(o)",
            js
        ));
        assert!(!may_misspell_base_url("new OpenAI({ baseURL: u })", js));
        assert!(!may_misspell_base_url(
            "new OpenAI({ baseUrl: u })",
            FileKind::Rust
        ));
    }

    #[test]
    fn gates_never_panic_on_mixed_text() {
        // Code-like pieces, quotes, escapes and multi-byte characters, glued at random.
        let pieces = [
            "api_key",
            "=",
            ":",
            "\"",
            "'",
            "`",
            "\\",
            "(",
            ")",
            "**",
            "#",
            "\n",
            " ",
            "é",
            "·",
            "ключ",
            "🔑",
            "OpenAI",
            "new OpenAI({",
            "baseUrl",
            "api_base",
            "import openai as o",
            "\"\"\"",
            "==",
            ": str =",
            "deepseek",
            "String::new()",
            "Bearer ",
            "ключ=\"\"",
            "é: ''",
            "·x: str = \"\"\n",
            " = ``,",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for kind in [FileKind::Python, FileKind::TypeScript, FileKind::Rust] {
                may_misspell_base_url(&text, kind);
                may_have_empty_key(&text, kind);
            }
            may_expose_key_in_code(&text);
        }
    }

    #[test]
    fn browser_gate_needs_a_provider_name_or_dangerously_allow_browser() {
        assert!(may_expose_key_in_code("process.env.VITE_DEEP_SEEK_KEY"));
        assert!(may_expose_key_in_code("import.meta.env.VITE_OPEN_AI_TOKEN"));
        assert!(may_expose_key_in_code(
            "new X({ dangerouslyAllowBrowser: true })"
        ));
        assert!(!may_expose_key_in_code(
            "const mask = 'mask-image'; process.env.VITE_API_KEY"
        ));
    }

    #[test]
    fn empty_key_gate_admits_empty_and_blank_strings_only() {
        let (py, js, rs) = (FileKind::Python, FileKind::JavaScript, FileKind::Rust);
        for (yes, kind) in [
            ("OpenAI(api_key=\"\")", py),
            ("OpenAI(api_key='')", py),
            ("API_KEY = \" \"\nOpenAI(api_key=API_KEY)", py),
            ("key = os.getenv('DEEPSEEK_API_KEY', \"\\n\")", py),
            ("new OpenAI({ apiKey: `` })", js),
            ("const EMPTY = ''\nnew OpenAI({ apiKey: EMPTY })", js),
            (
                "def make(k: str = \"\"):\n    return OpenAI(api_key=self.k)",
                py,
            ),
            ("let api_key = String::new();", rs),
            ("h.insert(AUTHORIZATION, \"Bearer \")", rs),
            ("os.getenv('DeepSeek_KEY')", py),
        ] {
            assert!(may_have_empty_key(yes, kind), "{yes}");
        }
        for (no, kind) in [
            ("\"\"\"The API key.\"\"\"\nOpenAI(api_key=k)", py),
            ("OpenAI(api_key=\"x\")", py),
            ("api_key = \"a\\\"\"", py),
            // A non-ASCII character before the name must not split a character.
            ("café·x = \"\"\nOpenAI(api_key=k)", py),
            ("ключ = ''", js),
            ("x = \"\"\nOpenAI(api_key=k)", py),
            ("key = d.get('cache_key', None) or \"\"", py),
            // An empty env default counts only for DeepSeek-bound code (which names DeepSeek).
            ("key = os.getenv('OPENAI_API_KEY', \"\")", py),
            ("const token = process.env.T ?? ''", js),
            ("\"\"\"Send ``Authorization`` headers.\"\"\"", py),
        ] {
            assert!(!may_have_empty_key(no, kind), "{no}");
        }
    }
}
