"""Oracle: packaging.version (PEP 440) over JSON lines on stdin, one answer per line.

Usage: pep440-versions.py cmp|str|valid
  cmp:   ["a", "b"] -> -1, 0 or 1 (Version(a) vs Version(b))
  str:   "s"        -> str(Version(s)), or "invalid"
  valid: "s"        -> "valid" or "invalid" (InvalidVersion)
"""

import json
import sys

from packaging.version import InvalidVersion, Version


def parse(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None


def main():
    mode = sys.argv[1]
    out = []
    for line in sys.stdin:
        case = json.loads(line)
        if mode == "cmp":
            a, b = Version(case[0]), Version(case[1])
            out.append(str((a > b) - (a < b)))
        elif mode == "str":
            v = parse(case)
            out.append("invalid" if v is None else str(v))
        elif mode == "valid":
            out.append("invalid" if parse(case) is None else "valid")
        else:
            raise SystemExit(f"unknown mode {mode!r}")
    sys.stdout.write("".join(answer + "\n" for answer in out))


main()
