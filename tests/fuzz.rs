//! A bounded randomized harness over the per-file pipeline, [`Engine::lint_bytes`], for every
//! file kind: realistic seeds (keys, headers, models, code fences, notebook JSON) mutated at
//! random. It runs in `cargo test` for at most `DSLINT_FUZZ_SECS` seconds (default 20) or
//! `DSLINT_FUZZ_CASES` cases (default 20000), whichever comes first; `DSLINT_FUZZ_SEED`
//! replays a run. Longer runs:
//!
//! ```sh
//! DSLINT_FUZZ_SECS=600 DSLINT_FUZZ_CASES=100000000 DSLINT_FUZZ_SEED=$RANDOM \
//!   cargo test --test fuzz -- --nocapture
//! ```
//!
//! A case slower than 10 s is kept in `target/fuzz-slow/` for profiling. A failing input is
//! written to `target/fuzz-failures/` and should become a file under
//! `tests/fuzz-regressions/` (replayed by [`regressions_do_not_panic`]). Checked on every
//! case: no panic; positions 1-based and ordered; byte ranges inside the decoded text; no
//! message, help, snippet or fix text that looks like a full key; the same result twice.

mod gen;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use dslint::diagnostic::Severity;
use dslint::engine::Engine;
use dslint::rules::Registry;
use dslint::settings::Settings;
use dslint::source::FileKind;
use gen::{fake_keys, filled_seeds, Rng, KEY_IN_OUTPUT};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Pieces inserted by mutations: syntax that opens or closes structures, encodings, and the
/// words the rules look for.
const DICT: &[&str] = &[
    "sk-",
    "sk-proj-",
    "sk-ant-api03-",
    "sk-or-v1-",
    "Bearer ",
    "Bearer Bearer ",
    "Bearer:",
    "Authorization",
    "api_key=",
    "apiKey: ",
    "base_url=",
    "baseURL: ",
    "baseUrl",
    "model=",
    "\"model\": ",
    "deepseek-chat",
    "deepseek-reasoner",
    "deepseek-v4-flash",
    "deepseek-r1",
    "gpt-4o",
    "o3-mini",
    "https://api.deepseek.com",
    "https://api.deepseek.com/v1/v1",
    "http://api.deepseek.ai",
    "https://api.openai.com/v1",
    "DEEPSEEK_API_KEY",
    "OPENAI_API_KEY",
    "NEXT_PUBLIC_",
    "VITE_",
    "process.env.",
    "import.meta.env.",
    "os.environ[\"",
    "os.getenv(",
    "std::env::var(",
    "OpenAI(",
    "AsyncOpenAI(",
    "new OpenAI({",
    "ChatOpenAI(",
    "createOpenAI(",
    "OpenAIConfig::new()",
    ".chat.completions.create(",
    ".responses.create(",
    "fetch(",
    "curl ",
    "-H \"",
    "```python\n",
    "```ts\n",
    "```bash\n",
    "```\n",
    "~~~\n",
    "    ```\n",
    "\"cells\": [",
    "\"cell_type\": \"code\"",
    "\"source\": [",
    "\"source\": \"",
    "\\n\",\n",
    "\\\"",
    "\\u00e9",
    "\\ud83d",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\"",
    "'",
    "`",
    "${",
    "}",
    "{",
    "(",
    ")",
    "[",
    "]",
    "<",
    "</",
    "/>",
    "#",
    "//",
    "/*",
    "*/",
    "\"\"\"",
    "r#\"",
    "\"#",
    "\\",
    ":",
    "=",
    ",",
    ";",
    "é",
    "😀",
    "\u{feff}",
    "\u{2028}",
    "\0",
    "€",
    "ß",
    "&a",
    "*a",
    "---\n",
    "- ",
    "[[",
    "]]",
    "export ",
    "ENV ",
    "FROM ",
    "#!/usr/bin/env python\n",
];

/// Byte sequences that are not valid UTF-8 (or are edge cases of it).
const RAW: &[&[u8]] = &[
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00",
    b"\x80\x80\x80",
];

/// Kinds to lint a case as: every kind the brief names, and the rest.
const KINDS: &[Option<FileKind>] = &[
    Some(FileKind::Python),
    Some(FileKind::JavaScript),
    Some(FileKind::TypeScript),
    Some(FileKind::Tsx),
    Some(FileKind::Rust),
    Some(FileKind::Env),
    Some(FileKind::Yaml),
    Some(FileKind::Json),
    Some(FileKind::Toml),
    Some(FileKind::Shell),
    Some(FileKind::Markdown),
    Some(FileKind::Notebook),
    Some(FileKind::Ini),
    Some(FileKind::Dockerfile),
    Some(FileKind::Text),
    None,
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[(String, String)], keys: &[String]) {
    let at = |rng: &mut Rng, v: &Vec<u8>| rng.below(v.len() + 1);
    match rng.below(12) {
        0 => {
            if !input.is_empty() {
                let i = rng.below(input.len());
                input[i] = rng.next_u64() as u8;
            }
        }
        1 | 2 => {
            let i = at(rng, input);
            let piece = rng.pick(DICT).as_bytes().to_vec();
            input.splice(i..i, piece);
        }
        3 => {
            let i = at(rng, input);
            let piece = rng.pick(RAW).to_vec();
            input.splice(i..i, piece);
        }
        4 => {
            let i = at(rng, input);
            let k = rng.pick(keys).clone();
            input.splice(i..i, k.into_bytes());
        }
        5 => {
            let i = at(rng, input);
            let j = (i + rng.below(64)).min(input.len());
            input.drain(i..j);
        }
        6 => {
            let i = at(rng, input);
            let j = (i + rng.below(128)).min(input.len());
            let chunk = input[i..j].to_vec();
            let times = if rng.one_in(8) { 200 } else { 1 + rng.below(4) };
            let at2 = at(rng, input);
            for _ in 0..times {
                input.splice(at2..at2, chunk.iter().copied());
            }
        }
        7 => {
            let other = rng.pick(seeds).1.as_bytes();
            let i = rng.below(other.len());
            let j = (i + rng.below(200)).min(other.len());
            let at2 = at(rng, input);
            input.splice(at2..at2, other[i..j].iter().copied());
        }
        8 => {
            let i = at(rng, input);
            input.truncate(i);
        }
        9 => {
            // Swap two lines.
            let text = input.clone();
            let mut lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
            if lines.len() > 1 {
                let a = rng.below(lines.len());
                let b = rng.below(lines.len());
                lines.swap(a, b);
                *input = lines.concat();
            }
        }
        10 => {
            // Re-encode: BOM, UTF-16 LE/BE, or CRLF / CR line endings.
            let text = String::from_utf8_lossy(input).into_owned();
            *input = match rng.below(5) {
                0 => [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
                1 => [0xFF, 0xFE]
                    .into_iter()
                    .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
                    .collect(),
                2 => [0xFE, 0xFF]
                    .into_iter()
                    .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
                    .collect(),
                3 => text.replace('\n', "\r\n").into_bytes(),
                _ => text.replace('\n', "\r").into_bytes(),
            };
        }
        _ => {
            // Nest: wrap a range in many brackets.
            let i = at(rng, input);
            let j = (i + rng.below(32)).min(input.len());
            let (open, close) =
                *rng.pick(&[("(", ")"), ("[", "]"), ("{", "}"), ("```\n", "\n```\n")]);
            let n = 1 + rng.below(300);
            input.splice(j..j, close.repeat(n).into_bytes());
            input.splice(i..i, open.repeat(n).into_bytes());
        }
    }
}

/// Checks one case; returns a description of what is wrong, if anything.
fn check(
    engine: &Engine<'_>,
    name: &str,
    kind: Option<FileKind>,
    bytes: &[u8],
    twice: bool,
) -> Option<String> {
    let run = || catch_unwind(AssertUnwindSafe(|| engine.lint_bytes(name, kind, bytes)));
    let result = match run() {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Some(format!("panic: {msg}"));
        }
    };
    // Also drive the parser and the fact extractors directly, whether or not an enabled rule
    // asks for them on this input (documents split out of Markdown and notebooks too).
    let deeper = catch_unwind(AssertUnwindSafe(|| facts_of_everything(kind, bytes)));
    if let Err(p) = deeper {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned());
        return Some(format!("panic in parse/facts: {}", msg.unwrap_or_default()));
    }
    let decoded_len = dslint::source::decode(bytes).len();
    for f in &result.findings {
        if f.start.line == 0 || f.start.column == 0 || f.start > f.end && f.start.line == f.end.line
        {
            return Some(format!(
                "bad position {:?}..{:?} for {}",
                f.start, f.end, f.code
            ));
        }
        if f.byte_range.start > f.byte_range.end || f.byte_range.end > decoded_len {
            return Some(format!(
                "byte range {:?} outside 0..{decoded_len}",
                f.byte_range
            ));
        }
        let fix_text: String = f
            .fix
            .iter()
            .flat_map(|x| x.edits.iter().map(|e| e.content.clone()))
            .collect();
        for text in [&f.message, &f.help, &f.snippet, &fix_text] {
            if let Some(m) = KEY_IN_OUTPUT.find(text) {
                return Some(format!("{} prints a full key: {}", f.code, m.as_str()));
            }
        }
    }
    for w in &result.warnings {
        if let Some(m) = KEY_IN_OUTPUT.find(w) {
            return Some(format!("warning prints a full key: {}", m.as_str()));
        }
    }
    if twice {
        let again = run().ok()?;
        if format!("{:?}", again.findings) != format!("{:?}", result.findings) {
            return Some("two runs differ".into());
        }
    }
    None
}

/// Parses and extracts facts from `bytes` as `kind`, and from every embedded document.
fn facts_of_everything(kind: Option<FileKind>, bytes: &[u8]) {
    use dslint::lang::{embedded, parse, Lang};
    use dslint::source::Document;
    static SETTINGS: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(Settings::default);
    let settings = &*SETTINGS;
    let text = dslint::source::decode(bytes);
    let kind = kind.unwrap_or(FileKind::Text);
    let mut docs = match kind {
        FileKind::Markdown => embedded::markdown_blocks(&text),
        FileKind::Notebook => embedded::notebook_cells(&text).unwrap_or_default(),
        _ => Vec::new(),
    };
    docs.push(Document::whole(text, kind));
    for doc in &docs {
        if dslint::source::is_minified(&doc.text) {
            continue;
        }
        let tree = Lang::of(doc.kind).and_then(|l| parse(l, &doc.text));
        let _ = dslint::facts::extract(doc, tree.as_ref(), settings);
    }
}

fn engine_rules(registry: &Registry) -> Engine<'_> {
    let rules: Vec<_> = registry.rules.iter().collect();
    let sev: Vec<Severity> = rules.iter().map(|r| r.severity).collect();
    Engine::new(rules, sev, Settings::default())
}

#[test]
fn randomized_lint_bytes() {
    let secs = env_num("DSLINT_FUZZ_SECS", 20);
    let cases = env_num("DSLINT_FUZZ_CASES", 20_000);
    let seed = env_num("DSLINT_FUZZ_SEED", 0xD5_2026);
    let registry = Registry::builtin().expect("rules load");
    let engine = engine_rules(registry);
    let mut rng = Rng::new(seed);
    let keys = fake_keys(&mut rng);
    let seeds = filled_seeds(&keys);
    let started = Instant::now();
    let budget = Duration::from_secs(secs);
    let mut failures = Vec::new();
    let mut n = 0u64;
    let mut bytes_total = 0usize;
    let mut slowest = (Duration::ZERO, 0usize, None);
    while n < cases && started.elapsed() < budget {
        let (name, text) = rng.pick(&seeds).clone();
        let mut input = text.into_bytes();
        for _ in 0..1 + rng.below(8) {
            mutate(&mut rng, &mut input, &seeds, &keys);
        }
        // Mostly lint as the seed's own kind; sometimes as any other kind.
        let kind = if rng.one_in(3) {
            *rng.pick(KINDS)
        } else {
            FileKind::from_path(Path::new(&name))
        };
        bytes_total += input.len();
        let case_started = Instant::now();
        let problem = check(&engine, &name, kind, &input, n % 10 == 0);
        let took = case_started.elapsed();
        if took > slowest.0 {
            slowest = (took, input.len(), kind);
        }
        if took > Duration::from_secs(10) {
            // Not a failure (machines differ), but kept for profiling.
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-slow");
            let _ = std::fs::create_dir_all(&dir);
            let kind_name = kind.map_or("none", |k| k.name());
            let _ = std::fs::write(
                dir.join(format!("seed{seed}-case{n}-{kind_name}.bin")),
                &input,
            );
        }
        if let Some(problem) = problem {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!(
                "seed{seed}-case{n}-{}.bin",
                kind.map_or("none", |k| k.name())
            ));
            let _ = std::fs::write(&file, &input);
            failures.push(format!(
                "case {n} ({name} as {kind:?}): {problem} -> {}",
                file.display()
            ));
        }
        n += 1;
    }
    eprintln!(
        "fuzz: {n} executions, {} MB, in {:.1} s (seed {seed}), {} failures; slowest case \
         {:?} ({} bytes as {:?})",
        bytes_total / 1_000_000,
        started.elapsed().as_secs_f64(),
        failures.len(),
        slowest.0,
        slowest.1,
        slowest.2
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inputs that once failed, replayed as every kind.
#[test]
fn regressions_do_not_panic() {
    let registry = Registry::builtin().expect("rules load");
    let engine = engine_rules(registry);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        for kind in KINDS {
            if let Some(problem) = check(&engine, "regression", *kind, &bytes, true) {
                panic!("{}: as {kind:?}: {problem}", entry.path().display());
            }
        }
        seen += 1;
    }
    eprintln!("replayed {seen} regression inputs");
}
