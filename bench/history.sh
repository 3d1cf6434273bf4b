#!/usr/bin/env bash
# `dslint history` vs `gitleaks git` (one rule, bench/gitleaks-deepseek.toml: `sk-` + 32 hex)
# on a generated repository (bench/history_repo.py: a few hundred commits, planted keys) and,
# with --real DIR, on a larger real history (any clone, e.g. of openai/openai-python).
#
#   bench/history.sh [--real DIR] [--commits N] [--runs N] [--out DIR]
#
#   --real DIR    also time a real repository (a clone; not modified)
#   --commits N   commits in the generated repository (default 400)
#   --runs N      hyperfine runs per command (default 5, one warm-up)
#   --out DIR     where results go (default target/bench-history)
#
# For each repository: one side-by-side hyperfine run (wall time), then one run of each tool
# under /usr/bin/time for CPU time (user + sys: the machine may be shared, wall time is noisy),
# then the keys each found (by last four characters only: no key is printed). Both scan every
# ref (gitleaks' default `git log --all`). A benchmark, never a test.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
REAL=""
COMMITS=400
RUNS=5
OUT="$ROOT/target/bench-history"
while [ $# -gt 0 ]; do
  case "$1" in
    --real) REAL="${2:?--real needs DIR}"; shift 2 ;;
    --commits) COMMITS="${2:?--commits needs N}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs N}"; shift 2 ;;
    --out) OUT="${2:?--out needs DIR}"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

GITLEAKS="${GITLEAKS:-/opt/peers/bin/gitleaks}"
HYPERFINE="${HYPERFINE:-$(command -v /opt/peers/bin/hyperfine || command -v hyperfine || true)}"
CONFIG="$ROOT/bench/gitleaks-deepseek.toml"
DSLINT="$ROOT/target/release/dslint"
for tool in "$GITLEAKS" "$HYPERFINE" /usr/bin/time; do
  if [ ! -x "$tool" ]; then
    echo "error: $tool not found (gitleaks and hyperfine: bench/README.md)" >&2
    exit 2
  fi
done
(cd "$ROOT" && cargo build --release --locked --quiet)
mkdir -p "$OUT"

GEN="$OUT/generated"
rm -rf "$GEN"
python3 "$ROOT/bench/history_repo.py" "$GEN" "$COMMITS"

# bench NAME REPO
bench() {
  local name="$1" repo="$2"
  local d_out="$OUT/$name-dslint.json" g_out="$OUT/$name-gitleaks.json"
  local d_cmd="$DSLINT history --repo $repo --format json -o $d_out"
  # Never /dev/null as the report path: gitleaks replaces it with a regular file.
  local g_cmd="$GITLEAKS git -c $CONFIG --no-banner --log-level error --exit-code 0 --report-format json --report-path $g_out $repo"
  echo "== $name: $(git -C "$repo" rev-list --all | wc -l) commits, every ref"
  "$HYPERFINE" --runs "$RUNS" --warmup 1 -i --export-json "$OUT/$name-hyperfine.json" \
    -n "dslint history" "$d_cmd" -n "gitleaks git" "$g_cmd"
  for tool in dslint gitleaks; do
    local cmd="$d_cmd"
    [ "$tool" = gitleaks ] && cmd="$g_cmd"
    /usr/bin/time -f "$tool: %e s wall, %U s user + %S s sys, %M KiB max RSS" $cmd 2>&1 >/dev/null | tail -1 || true
  done
  "$DSLINT" history --repo "$repo" --stats -q 2>/dev/null | tail -8 || true
  python3 - "$d_out" "$g_out" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2])) or []
shape = re.compile(r"^sk-[0-9a-f]{32}$")
# dslint's message shows `sk-…abcd`; keep DeepSeek-shaped keys (gitleaks' only rule).
ds = {re.search(r"`sk-…(\w{4})`", f["message"]).group(1)
      for f in d["findings"] if f["code"] == "DS101" and "DeepSeek" in f["message"]}
gl = {x["Secret"][-4:] for x in g if shape.match(x["Secret"])}
print(f"keys: dslint {len(ds)} distinct (DeepSeek-shaped), gitleaks {len(gl)} distinct "
      f"({len(g)} findings); same set: {ds == gl}")
if ds != gl:
    print(f"  only dslint: {sorted(ds - gl)}; only gitleaks: {sorted(gl - ds)}")
PY
  # gitleaks' report holds the keys in full: do not keep it.
  rm -f "$g_out"
}

bench generated "$GEN"
echo "planted: $(wc -l < "$GEN/PLANTED") keys"
if [ -n "$REAL" ]; then
  bench real "$(cd "$REAL" && pwd)"
fi
