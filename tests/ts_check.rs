//! TypeScript fix outputs type-check against the real openai-node types.
//!
//! Every `fixtures/fix/<CODE>/*.out.ts` that imports `openai` is compiled with `tsc --noEmit`
//! (TypeScript and openai-node pinned, installed by `.ci/run` into `target/ts-check`; this test
//! installs them there itself when npm can). A fix that adds a parameter openai-node's types
//! do not declare (DeepSeek's `thinking`) as a plain property fails here with TS2769.
//! Skipped, with a message saying why, only when node or npm is unavailable.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::root;

/// Pinned versions (also in `.ci/run`).
const PACKAGES: &[&str] = &["typescript@5.9.3", "openai@7.60.0", "@types/node@22.19.1"];

fn works(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The directory holding `node_modules` with TypeScript and openai, installing it if needed;
/// `Err` says why the check cannot run.
fn toolchain() -> Result<PathBuf, String> {
    let dir = std::env::var_os("DSLINT_TS_CHECK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ts-check"));
    let tsc = dir.join("node_modules/typescript/bin/tsc");
    let openai = dir.join("node_modules/openai/package.json");
    if tsc.is_file() && openai.is_file() {
        return Ok(dir);
    }
    if !works("node") || !works("npm") {
        return Err("node or npm is not installed".into());
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let out = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .args(PACKAGES)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() || !tsc.is_file() {
        return Err(format!(
            "npm could not install {PACKAGES:?} (offline?): {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    Ok(dir)
}

/// The TypeScript fix outputs that use openai-node.
fn outputs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in common::files_under(&root().join("fixtures/fix")) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains(".out.ts") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        if text.contains("from \"openai\"") || text.contains("from 'openai'") {
            out.push(entry);
        }
    }
    out.sort();
    out
}

fn tsc(toolchain: &Path, files: &[PathBuf]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let code = f.parent().unwrap().file_name().unwrap().to_string_lossy();
        let name = f.file_name().unwrap().to_string_lossy();
        std::fs::copy(f, dir.path().join(format!("{code}_{name}"))).unwrap();
    }
    std::fs::write(
        dir.path().join("tsconfig.json"),
        r#"{ "compilerOptions": { "target": "es2022", "module": "nodenext",
  "moduleResolution": "nodenext", "noEmit": true, "skipLibCheck": true,
  "types": ["node"], "typeRoots": ["./node_modules/@types"] }, "include": ["*.ts"] }"#,
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        toolchain.join("node_modules"),
        dir.path().join("node_modules"),
    )
    .unwrap();
    Command::new("node")
        .arg(toolchain.join("node_modules/typescript/bin/tsc"))
        .args(["-p", "."])
        .current_dir(dir.path())
        .output()
        .unwrap()
}

#[test]
#[cfg(unix)]
fn typescript_fix_outputs_type_check_against_openai_node() {
    let toolchain = match toolchain() {
        Ok(d) => d,
        Err(why) => {
            eprintln!("SKIPPED typescript_fix_outputs_type_check_against_openai_node: {why}");
            return;
        }
    };
    let files = outputs();
    assert!(
        files.iter().any(|f| f.ends_with("DS403/typed.out.ts")),
        "the typed DS403 case is checked"
    );
    let out = tsc(&toolchain, &files);
    assert!(
        out.status.success(),
        "tsc found type errors in fix outputs:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The check can fail: a plain `thinking` property is an excess property (TS2769).
    let dir = tempfile::tempdir().unwrap();
    let code_dir = dir.path().join("DS403");
    std::fs::create_dir_all(&code_dir).unwrap();
    let typed = std::fs::read_to_string(root().join("fixtures/fix/DS403/typed.out.ts")).unwrap();
    let plain = typed.replace(
        "    // @ts-expect-error -- DeepSeek's `thinking` is not in openai-node's types\n",
        "",
    );
    assert_ne!(plain, typed);
    let bad = code_dir.join("plain.out.ts");
    std::fs::write(&bad, plain).unwrap();
    let out = tsc(&toolchain, &[bad]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("TS2769"));
}
