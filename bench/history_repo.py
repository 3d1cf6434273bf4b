#!/usr/bin/env python3
"""Generate a git repository with a few hundred commits and planted fake DeepSeek-style keys,
for bench/history.sh (dslint history vs gitleaks git).

Usage: history_repo.py DIR [COMMITS] [SEED]

The history is written with `git fast-import` (quick and reproducible: fixed dates, seeded
random content). Keys are `sk-` + 32 random hex characters (what gitleaks' one-rule config
matches). Some keys are removed later, some files renamed, one key sits only on an unmerged
branch, one in a committed and later deleted `.env`; placeholders (`sk-xxxx…`,
`sk-your-key-here`) are there too and must not be found. The planted keys' last four
characters are listed in DIR/PLANTED (the keys themselves are not written anywhere else).
"""

import os
import random
import subprocess
import sys

WORDS = "client model request response stream token retry timeout config user data cache".split()


def filler(rng, lines):
    out = []
    for i in range(lines):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        out.append(f"def {a}_{b}_{i}(x):\n    return x + {rng.randint(0, 999)}  # {a} {b}\n")
    return "".join(out)


def main():
    target = sys.argv[1]
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    os.makedirs(target, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    files = {f"pkg{d}/mod{i}.py": filler(rng, rng.randint(20, 120)) for d in range(6) for i in range(10)}
    planted = []
    stream = []
    mark = 0
    t0 = 1_700_000_000

    def blob(data):
        raw = data.encode()
        return f"data {len(raw)}\n".encode() + raw + b"\n"

    def commit(branch, msg, changes, parent):
        nonlocal mark
        mark += 1
        head = (f"commit refs/heads/{branch}\nmark :{mark}\n"
                f"author Dev <dev@example.com> {t0 + mark * 3600} +0000\n"
                f"committer Dev <dev@example.com> {t0 + mark * 3600} +0000\n").encode()
        parts = [head, blob(msg)]
        if parent:
            parts.append(f"from :{parent}\n".encode())
        for op, path, data in changes:
            if op == "M":
                parts.append(f"M 100644 inline {path}\n".encode() + blob(data))
            else:
                parts.append(f"D {path}\n".encode())
        stream.append(b"".join(parts) + b"\n")
        return mark

    def key():
        k = "sk-" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
        planted.append(k[-4:])
        return k

    last = commit("main", "initial", [("M", p, t) for p, t in files.items()], None)
    for n in range(1, commits):
        changes = []
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(sorted(files))
            files[path] += filler(rng, rng.randint(1, 5))
            changes.append(("M", path, files[path]))
        if n % 16 == 0:
            # A key is added; half of them are removed again a few commits later.
            path = rng.choice(sorted(files))
            files[path] += f'API_KEY = "{key()}"\n'
            changes.append(("M", path, files[path]))
        if n % 16 == 8 and "API_KEY" in "".join(files.values()):
            for path in sorted(files):
                if "API_KEY" in files[path] and rng.random() < 0.5:
                    files[path] = "".join(l for l in files[path].splitlines(True) if "API_KEY" not in l)
                    changes.append(("M", path, files[path]))
                    break
        if n % 50 == 25:
            # A rename (same blob at a new path).
            old = rng.choice(sorted(files))
            new = old.replace(".py", f"_r{n}.py")
            files[new] = files.pop(old)
            changes += [("D", old, None), ("M", new, files[new])]
        if n == commits // 3:
            changes.append(("M", ".env", f"DEEPSEEK_API_KEY={key()}\nDEBUG=1\n"))
        if n == commits // 3 + 1:
            changes.append(("D", ".env", None))
        if n == commits // 2:
            changes.append(("M", "docs/setup.md",
                            "export DEEPSEEK_API_KEY=sk-" + "x" * 32 + "\nexport DEEPSEEK_API_KEY=sk-your-key-here\n"))
        last = commit("main", f"change {n}", changes, last)
        if n == commits // 4:
            branch_point = last
    commit("experiment", "try a key", [("M", "exp.py", f'K = "{key()}"\n')], branch_point)
    subprocess.run(["git", "-C", target, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", target, "checkout", "-q", "-f", "main"], check=True)
    with open(os.path.join(target, "PLANTED"), "w") as f:
        f.write("\n".join(sorted(planted)) + "\n")


if __name__ == "__main__":
    main()
