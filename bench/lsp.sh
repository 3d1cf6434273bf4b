#!/usr/bin/env bash
# How fast `dslint server` re-lints a 2,000-line Python file after a change (a benchmark, not a
# test). It builds dslint in release, starts `dslint server`, opens a generated file (DeepSeek
# clients, requests and a fake key every 50 lines), then N times: didChange (one line edited)
# immediately followed by a codeAction request, which lints the pending text before it
# answers; the time to that answer is the re-lint time plus the JSON-RPC round trip.
#
#   bench/lsp.sh [N]     (default N = 50)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
N="${1:-50}"
(cd "$ROOT" && cargo build --release --locked --quiet)
python3 - "$ROOT/target/release/dslint" "$N" <<'PY'
import json, os, random, statistics, subprocess, sys, tempfile, time

dslint, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
def fake_key():  # generated at run time, never a real key
    return "sk-" + "".join(rng.choice("0123456789abcdef") for _ in range(32))

lines = ["import os", "from openai import OpenAI", ""]
while len(lines) < 2000:
    i = len(lines)
    block = [
        f"def handler_{i}(prompt):",
        f"    client = OpenAI(api_key=os.environ['DEEPSEEK_API_KEY'], base_url='https://api.deepseek.com')",
        f"    resp = client.chat.completions.create(model='deepseek-v4-flash', messages=[{{'role': 'user', 'content': prompt}}])",
        f"    data = {{'id': {i}, 'name': 'item-{i}', 'values': [1, 2, 3]}}",
        f"    TOKEN = \"{fake_key()}\"",
    ] + [f"    x_{i}_{j} = data['values'][{j % 3}] * {j}" for j in range(40)] + [
        "    return resp.choices[0].message.content", "", "",
    ]
    lines.extend(block)
text = "\n".join(lines[:2000]) + "\n"

root = tempfile.mkdtemp(prefix="dslint-lsp-bench.")
path = os.path.join(root, "big.py")
open(path, "w").write(text)
uri = "file://" + path
proc = subprocess.Popen([dslint, "server"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def send(msg):
    msg["jsonrpc"] = "2.0"
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()

def read():
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("server ended")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))

def wait(pred):
    while True:
        m = read()
        if pred(m):
            return m

send({"id": 0, "method": "initialize", "params": {"processId": None, "rootUri": "file://" + root, "capabilities": {}}})
wait(lambda m: m.get("id") == 0)
send({"method": "initialized", "params": {}})
t = time.perf_counter()
send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
first = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
open_ms = (time.perf_counter() - t) * 1000
def cpu_ms():  # the server's user + system CPU time (Linux), to read through machine load
    try:
        f = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")
times = []
cpu0 = cpu_ms()
for v in range(2, n + 2):
    edited = text.replace("'values': [1, 2, 3]", f"'values': [1, 2, {v}]", 1)
    t = time.perf_counter()
    send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": edited}]}})
    send({"id": v, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}})
    wait(lambda m: m.get("id") == v)
    times.append((time.perf_counter() - t) * 1000)
cpu = (cpu_ms() - cpu0) / n
send({"id": 9999, "method": "shutdown"})
wait(lambda m: m.get("id") == 9999)
send({"method": "exit"})
proc.wait(timeout=10)
times.sort()
print(f"file: 2000 lines, {len(text)} bytes, {len(first['params']['diagnostics'])} diagnostics")
print(f"didOpen -> diagnostics: {open_ms:.1f} ms")
print(f"re-lint after a change ({n} runs): median {statistics.median(times):.1f} ms, "
      f"p90 {times[int(len(times) * 0.9) - 1]:.1f} ms, min {times[0]:.1f} ms, max {times[-1]:.1f} ms")
print(f"server CPU time per re-lint: {cpu:.1f} ms (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
PY
