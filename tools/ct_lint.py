#!/usr/bin/env python3
"""Constant-time lint: secret material in the core is compared only through libsodium's
constant-time compare (constant_time_equals / sodium_memcmp).

Flags, in C++ sources (string literals and comments removed first):
  - memcmp / strcmp / strncmp / bcmp / .compare( anywhere (sodium_memcmp is the allowed one);
  - == or != on a line that touches secret material: .view(), reveal(), a digest, a stored
    hash, a pepper's bytes (.data()), unless the comparison is of a length (.size()/.length()).
A line may opt out with a trailing `// ct-ok: <why>`.

  ct_lint.py FILE_OR_DIR...    exit 1 and list the lines when anything is flagged
"""

import pathlib
import re
import sys

BANNED_CALL = re.compile(r"(?<!sodium_)\b(memcmp|strcmp|strncmp|bcmp)\s*\(|\.compare\s*\(")
COMPARE = re.compile(r"[=!]=")
SECRET = re.compile(r"\.view\(\)|reveal\(\)|digest|stored_hash|\.data\(\)")
LENGTH = re.compile(r"\.(size|length)\(\)")
STRING = re.compile(r'"(?:\\.|[^"\\])*"' + r"|'(?:\\.|[^'\\])*'")


def findings(path: pathlib.Path):
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "ct-ok:" in raw:
            continue
        line = STRING.sub('""', raw).split("//")[0]
        if BANNED_CALL.search(line):
            yield number, raw.strip(), "a non-constant-time compare call"
        elif COMPARE.search(line) and SECRET.search(line) and not LENGTH.search(line):
            yield number, raw.strip(), "== / != on secret material"


def main(args):
    files = []
    for arg in args:
        p = pathlib.Path(arg)
        files += sorted(p.rglob("*.cc")) + sorted(p.rglob("*.h")) if p.is_dir() else [p]
    bad = [(f, n, line, why) for f in files for n, line, why in findings(f)]
    for f, n, line, why in bad:
        print(f"{f}:{n}: {why}: {line}")
    print(f"constant-time lint: {len(files)} files, {len(bad)} finding(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
