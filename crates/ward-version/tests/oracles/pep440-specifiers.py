"""Oracle: packaging.specifiers over JSON lines on stdin, one answer per line.

Usage: pep440-specifiers.py contains|valid
  contains: ["spec", "version"] -> "true"/"false":
            SpecifierSet(spec).contains(version, prereleases=True)
  valid:    "spec" -> "valid" or "invalid". packaging checks an operand against its
            specifier grammar when the set is built but parses it as a version only when
            first used, and some operands pass the first check and fail the second (an
            AssertionError: `~=1.0poſt1`, where a Unicode letter matches "s" case-
            insensitively). Each specifier is therefore used once; either failure is
            "invalid".
"""

import json
import sys

from packaging.specifiers import InvalidSpecifier, SpecifierSet


def valid(spec):
    try:
        specifiers = SpecifierSet(spec)
        for one in specifiers:
            one.contains("1.0", prereleases=True)
    except (InvalidSpecifier, AssertionError):
        return "invalid"
    return "valid"


def main():
    mode = sys.argv[1]
    out = []
    for line in sys.stdin:
        case = json.loads(line)
        if mode == "contains":
            spec, version = case
            inside = SpecifierSet(spec).contains(version, prereleases=True)
            out.append("true" if inside else "false")
        elif mode == "valid":
            out.append(valid(case))
        else:
            raise SystemExit(f"unknown mode {mode!r}")
    sys.stdout.write("".join(answer + "\n" for answer in out))


main()
