#!/usr/bin/env bash
# dslint vs its peers on the pinned benchmark corpus (see bench/README.md).
#
#   bench/run.sh [--corpus DIR] [--runs N] [--warmup N] [--no-setup] [--no-slow] [--out DIR]
#
#   --corpus DIR  corpus location (default /tmp/dslint-corpus; built if missing or stale)
#   --runs N      hyperfine runs per command (default 3)
#   --warmup N    hyperfine warm-up runs per command (default 1)
#   --no-setup    do not run the setup scripts (peers and corpus must exist)
#   --no-slow     skip semgrep and ast-grep (the Python-subset comparison)
#   --out DIR     where results go (default target/bench)
#
# Uses bench/{setup_peers.sh,make_corpus.sh,gitleaks-deepseek.toml,semgrep-sk.yaml,corpus/}
# next to this script. A benchmark, never a test: it takes minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
SHARED="$ROOT/bench"
CORPUS=/tmp/dslint-corpus
RUNS=3
WARMUP=1
SETUP=1
SLOW=1
OUT="$ROOT/target/bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) CORPUS="${2:?--corpus needs DIR}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs N}"; shift 2 ;;
    --warmup) WARMUP="${2:?--warmup needs N}"; shift 2 ;;
    --no-setup) SETUP=0; shift ;;
    --no-slow) SLOW=0; shift ;;
    --out) OUT="${2:?--out needs DIR}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for f in setup_peers.sh make_corpus.sh gitleaks-deepseek.toml semgrep-sk.yaml; do
  if [ ! -e "$SHARED/$f" ]; then
    echo "error: $SHARED/$f not found: bench/run.sh needs the whole bench/ folder of the repository." >&2
    exit 2
  fi
done
SHARED="$(cd "$SHARED" && pwd)"
CORPUS="$(readlink -m "$CORPUS")"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/dslint-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
say() { printf '\n== %s\n' "$*"; }

# ------------------------------------------------------------------------------ setup
export SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off
if [ "$SETUP" = 1 ]; then
  say "peers (bench/setup_peers.sh)"
  "$SHARED/setup_peers.sh"
  say "corpus (bench/make_corpus.sh $CORPUS)"
  "$SHARED/make_corpus.sh" "$CORPUS"
fi
export PATH="/opt/peers/bin:$PATH"
for t in hyperfine rg gitleaks; do
  command -v "$t" >/dev/null || { echo "error: $t missing: run bench/setup_peers.sh" >&2; exit 2; }
done
[ -f "$CORPUS/PLANTED.tsv" ] || { echo "error: no corpus at $CORPUS: run bench/make_corpus.sh $CORPUS" >&2; exit 2; }
if [ "$SLOW" = 1 ]; then
  for t in semgrep ast-grep; do
    command -v "$t" >/dev/null || { echo "warning: $t missing: Python-subset comparison skipped" >&2; SLOW=0; }
  done
fi
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time (Debian package \`time\`) for peak RSS"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time) >/dev/null 2>&1 \
    || { echo "error: /usr/bin/time missing and apt-get install time failed" >&2; exit 2; }
fi

say "building dslint (release)"
(cd "$ROOT" && cargo build --release --locked --quiet)
DSLINT="$ROOT/target/release/dslint"

# ------------------------------------------------------------------------------ inputs
# The prefilter literals of every rule (both families), lowercased, deduplicated: rg's -e list.
LITERALS=()
while IFS= read -r lit; do LITERALS+=("$lit"); done < <(python3 - "$ROOT/rules" <<'PY'
import pathlib, sys, tomllib
seen = []
for p in sorted(pathlib.Path(sys.argv[1]).glob("DS*.toml")):
    rule = tomllib.loads(p.read_text())
    for lit in rule.get("prefilter", []) + rule.get("prefilter_also", []):
        if lit.lower() not in seen:
            seen.append(lit.lower())
print("\n".join(seen))
PY
)
RG_ARGS=(--no-ignore --hidden --count --ignore-case --fixed-strings)
for lit in "${LITERALS[@]}"; do RG_ARGS+=(-e "$lit"); done

# The Python subset: every .py file of these pure-Python packages (semgrep is ~1 MiB/s).
PY_PKGS=(openai-3.51.0 httpx-0.28.1 requests-2.34.2 langchain-core-1.8.1 langchain-openai-1.7.4)
PYSUB="$CORPUS.py-subset"
spec="$(cat "$CORPUS/.corpus-spec" 2>/dev/null || echo none) ${PY_PKGS[*]}"
if [ "$(cat "$PYSUB/.subset-spec" 2>/dev/null)" != "$spec" ]; then
  say "Python subset $PYSUB"
  rm -rf "$PYSUB"; mkdir -p "$PYSUB"
  (cd "$CORPUS" && for p in "${PY_PKGS[@]}"; do find "pypi/$p" -type f -name '*.py'; done \
     | while IFS= read -r f; do mkdir -p "$PYSUB/$(dirname "$f")"; cp -p "$f" "$PYSUB/$f"; done)
  : >"$PYSUB/.semgrepignore"   # empty: semgrep must not skip tests/ by its default ignores
  echo "$spec" >"$PYSUB/.subset-spec"
fi
# Half the corpus, for the memory check: the first top-level packages, up to half the bytes.
HALF=()
half_bytes=0
total_bytes=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
while IFS= read -r d; do
  [ "$half_bytes" -ge $((total_bytes / 2)) ] && break
  HALF+=("$d")
  half_bytes=$((half_bytes + $(find "$CORPUS/$d" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')))
done < <(cd "$CORPUS" && find pypi npm crates -mindepth 1 -maxdepth 1 -type d | sort)

count() { find "$1" -type f | wc -l; }
bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}'; }
CORPUS_FILES=$(count "$CORPUS"); CORPUS_BYTES=$total_bytes
PY_FILES=$(count "$PYSUB"); PY_BYTES=$(bytes "$PYSUB")
NPROC=$(nproc)

# AST-grep: the same key regex on Python string and comment nodes (one rule).
cat >"$TMP/astgrep-sk.yml" <<'YML'
id: hardcoded-deepseek-style-key
language: python
severity: warning
message: hardcoded sk- key
rule:
  any:
    - kind: string
    - kind: comment
  regex: 'sk-[a-f0-9]{32}'
YML

# ------------------------------------------------------------------------------ commands
# Every command writes its report to a file (rg stops at the first match when its output is
# /dev/null; gitleaks must never be given a device as --report-path). dslint exits 1 when it
# finds something, rg when it finds nothing: both are successes here.
ok1='rc=$?; [ $rc -le 1 ]'
q() { printf '%q ' "$@"; }
C_DSLINT="cd $(q "$CORPUS")&& $(q "$DSLINT") --no-ignore --format json -o $TMP/dslint.json . ; $ok1"
C_GITLEAKS="cd $(q "$CORPUS")&& gitleaks dir --no-banner --log-level error --redact -c $(q "$SHARED/gitleaks-deepseek.toml") --report-format json --report-path $TMP/gitleaks.json --exit-code 0 ."
C_RG="cd $(q "$CORPUS")&& rg $(q "${RG_ARGS[@]}") . >$TMP/rg.out; $ok1"
C_DSLINT_PY="cd $(q "$PYSUB")&& $(q "$DSLINT") --no-ignore --format json -o $TMP/dslint-py.json . ; $ok1"
C_SEMGREP_PY="cd $(q "$PYSUB")&& semgrep scan --quiet --metrics=off --disable-version-check --config $(q "$SHARED/semgrep-sk.yaml") --json -o $TMP/semgrep.json ."
C_ASTGREP_PY="cd $(q "$PYSUB")&& ast-grep scan --rule $TMP/astgrep-sk.yml --json=compact . >$TMP/astgrep.json; $ok1"
C_RG_PY="cd $(q "$PYSUB")&& rg $(q "${RG_ARGS[@]}") . >$TMP/rg-py.out; $ok1"

NAMES=(dslint gitleaks rg)
CMDS=("$C_DSLINT" "$C_GITLEAKS" "$C_RG")
if [ "$SLOW" = 1 ]; then
  NAMES+=(dslint-py semgrep-py ast-grep-py rg-py)
  CMDS+=("$C_DSLINT_PY" "$C_SEMGREP_PY" "$C_ASTGREP_PY" "$C_RG_PY")
fi

say "versions"
{
  echo "dslint    $("$DSLINT" --version) ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "gitleaks  $(gitleaks version)"
  echo "rg        $(rg --version | head -n1)"
  echo "hyperfine $(hyperfine --version)"
  [ "$SLOW" = 1 ] && echo "semgrep   $(semgrep --version 2>/dev/null | head -n1)"
  [ "$SLOW" = 1 ] && echo "ast-grep  $(ast-grep --version)"
  echo "machine   $NPROC CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'))"
  echo "corpus    $CORPUS: $CORPUS_FILES files, $((CORPUS_BYTES / 1048576)) MiB"
  echo "py subset $PYSUB: $PY_FILES files, $((PY_BYTES / 1048576)) MiB (${PY_PKGS[*]})"
  echo "literals  ${LITERALS[*]}"
} | tee "$OUT/versions.txt"

# ------------------------------------------------------------------------------ timing
say "hyperfine ($RUNS runs, $WARMUP warm-up)"
HF=(hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/hyperfine.json")
for i in "${!NAMES[@]}"; do HF+=(--command-name "${NAMES[$i]}" "${CMDS[$i]}"); done
"${HF[@]}"

# Thread counts: 1, 2, 4, 8, 16 up to the machine's CPUs, and the CPU count itself.
JS=()
for j in 1 2 4 8 16; do [ "$j" -le "$NPROC" ] && JS+=("$j"); done
[ "${JS[-1]}" != "$NPROC" ] && JS+=("$NPROC")
say "thread scaling (dslint and rg, -j ${JS[*]}, same corpus)"
SC=(hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/scaling.json")
for j in "${JS[@]}"; do
  SC+=(--command-name "dslint-j$j" "cd $(q "$CORPUS")&& $(q "$DSLINT") -j$j --no-ignore --format json -o $TMP/d$j.json . ; $ok1")
done
for j in "${JS[@]}"; do
  SC+=(--command-name "rg-j$j" "cd $(q "$CORPUS")&& rg -j$j $(q "${RG_ARGS[@]}") . >$TMP/r$j.out; $ok1")
done
"${SC[@]}"

# ------------------------------------------------------------------------------ memory
say "peak RSS (/usr/bin/time -v, one run each)"
rss() {  # rss NAME CMD: one run under GNU time, prints "NAME KiB"
  /usr/bin/time -v -o "$TMP/time.txt" bash -c "$2" >/dev/null 2>&1 || true
  printf '%s\t%s\n' "$1" "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")"
}
: >"$OUT/rss.tsv"
for i in "${!NAMES[@]}"; do rss "${NAMES[$i]}" "${CMDS[$i]}" >>"$OUT/rss.tsv"; done
rss dslint-j1 "cd $(q "$CORPUS")&& $(q "$DSLINT") -j1 --no-ignore --format json -o $TMP/d1.json ." >>"$OUT/rss.tsv"
[ "$NPROC" -ge 8 ] && rss dslint-j8 "cd $(q "$CORPUS")&& $(q "$DSLINT") -j8 --no-ignore --format json -o $TMP/d8.json ." >>"$OUT/rss.tsv"
rss dslint-half "cd $(q "$CORPUS")&& $(q "$DSLINT") --no-ignore --format json -o $TMP/dh.json $(q "${HALF[@]}")" >>"$OUT/rss.tsv"
HALF_FILES=$(cd "$CORPUS" && find "${HALF[@]}" -type f | wc -l)

# the stats of one dslint run (what it read, prefiltered, parsed; time per phase)
(cd "$CORPUS" && "$DSLINT" --no-ignore --format json --stats -o "$OUT/dslint.json" . || true)
(cd "$CORPUS" && "$DSLINT" --no-ignore --format json --stats -o "$OUT/dslint-half.json" "${HALF[@]}" || true)

# ------------------------------------------------------------------------------ report
say "results"
python3 - "$OUT" "$CORPUS" "$CORPUS_FILES" "$CORPUS_BYTES" "$PY_FILES" "$PY_BYTES" "$half_bytes" "$HALF_FILES" "$NPROC" <<'PY' | tee "$OUT/results.md"
import json, sys
out, corpus = sys.argv[1], sys.argv[2]
files, nbytes, py_files, py_bytes, half_bytes, half_files, NPROC = map(int, sys.argv[3:])
MiB = 1048576
hf = {r["command"]: r for r in json.load(open(f"{out}/hyperfine.json"))["results"]}
sc = {r["command"]: r for r in json.load(open(f"{out}/scaling.json"))["results"]}
rss = dict(l.rstrip("\n").split("\t") for l in open(f"{out}/rss.tsv") if "\t" in l)

def row(name, r, base, nb, nf):
    med = r["median"]
    ratio = med / base["median"]
    kib = rss.get(name, "")
    mib = f"{int(kib) / 1024:.0f}" if kib.isdigit() else "?"
    return (f"| {name} | {med:.2f} | ±{r['stddev'] or 0:.2f} | {nb / MiB / med:.0f} | "
            f"{nf / med:.0f} | {ratio:.2f}× | {mib} |")

print("## Wall time, throughput, ratios (hyperfine medians; ratio = tool time / dslint time)\n")
print("| command | median s | stddev | MiB/s | files/s | vs dslint | peak RSS MiB |")
print("|---|---|---|---|---|---|---|")
for name in ("dslint", "gitleaks", "rg"):
    if name in hf:
        print(row(name, hf[name], hf["dslint"], nbytes, files))
if "dslint-py" in hf:
    print(f"| *Python subset: {py_files} files, {py_bytes / MiB:.1f} MiB* | | | | | | |")
    for name in ("dslint-py", "semgrep-py", "ast-grep-py", "rg-py"):
        if name in hf:
            print(row(name, hf[name], hf["dslint-py"], py_bytes, py_files))

print("\n## Targets\n")
def target(label, ok, detail):
    print(f"- [{'x' if ok else ' '}] {label}: {detail}")
d = hf["dslint"]["median"]
g = hf["gitleaks"]["median"] / d
target("dslint >= 2x the throughput of gitleaks dir (one-rule config)", g >= 2, f"{g:.1f}x")
r = d / hf["rg"]["median"]
target("dslint within 3x of rg with the prefilter literals", r <= 3, f"dslint takes {r:.2f}x rg's time")
if "semgrep-py" in hf:
    s = hf["semgrep-py"]["median"] / hf["dslint-py"]["median"]
    a = hf["ast-grep-py"]["median"] / hf["dslint-py"]["median"]
    target(">= 20x faster than semgrep (Python subset)", s >= 20, f"{s:.0f}x")
    target("faster than ast-grep (Python subset)", a > 1, f"{a:.1f}x")
peak = max(int(v) for k, v in rss.items() if k.startswith("dslint") and v.isdigit()) / 1024
target("dslint peak RSS < 150 MiB", peak < 150, f"max {peak:.0f} MiB over every dslint run")
if "dslint-j8" in sc:
    s8 = sc["dslint-j1"]["median"] / sc["dslint-j8"]["median"]
    target(">= 6x speed-up from 1 to 8 threads", s8 >= 6, f"{s8:.2f}x on {NPROC} CPUs")
else:
    print(f"- [ ] >= 6x speed-up from 1 to 8 threads: not measured ({NPROC} CPUs here)")

print("\n## Thread scaling (same corpus)\n")
print("| command | median s | MiB/s | speed-up vs -j1 |")
print("|---|---|---|---|")
for name in sorted(sc, key=lambda n: (n.split("-j")[0] != "dslint", int(n.split("-j")[1]))):
    base = sc[name.split("-j")[0] + "-j1"]["median"]
    m = sc[name]["median"]
    print(f"| {name} | {m:.2f} | {nbytes / MiB / m:.0f} | {base / m:.2f}× |")

print("\n## Memory: peak RSS vs corpus size\n")
print("| run | files | MiB read | peak RSS MiB |")
print("|---|---|---|---|")
for name, nf, nb in (("dslint", files, nbytes), ("dslint-half", half_files, half_bytes),
                     ("dslint-j1", files, nbytes), ("dslint-j8", files, nbytes)):
    if name not in rss:
        continue
    kib = rss.get(name, "0")
    print(f"| {name} | {nf} | {nb / MiB:.0f} | {int(kib or 0) / 1024:.0f} |")

rep = json.load(open(f"{out}/dslint.json"))
st = rep.get("stats", {})
print("\n## dslint --stats (whole corpus)\n")
print("```")
for k, v in st.items():
    print(f"{k:20} {v}")
print("```")

planted = {}
for line in open(f"{corpus}/PLANTED.tsv").read().splitlines()[1:]:
    path, ln, kind, pid = line.split("\t")
    planted[(path, int(ln))] = kind
found, other = set(), []
for f in rep["findings"]:
    if f["code"] != "DS101":
        continue
    k = (f["path"], f["start"]["line"])
    if k in planted:
        found.add(k)
    else:
        other.append(f)
print(f"\n## Planted keys: {len(found)}/{len(planted)} found by DS101\n")
for k in sorted(set(planted) - found):
    print(f"- MISSED {k[0]}:{k[1]} ({planted[k]})")
print(f"\n## Other DS101 findings: {len(other)}\n")
for f in other:
    print(f"- {f['path']}:{f['start']['line']}: {f['message']}\n  `{f['snippet'].strip()[:160]}`")
codes = {}
for f in rep["findings"]:
    codes[f["code"]] = codes.get(f["code"], 0) + 1
print(f"\nAll findings by rule: {dict(sorted(codes.items()))}")
PY
echo
echo "results: $OUT/results.md (raw: hyperfine.json, scaling.json, rss.tsv, dslint.json)"
