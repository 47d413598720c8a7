"""Differential oracle for ward's NuGet module, using univers (univers.versions.NugetVersion
and univers.version_range.NugetVersionRange). Run with PYTHONPATH pointing at univers.

One case per line on stdin, fields separated by tabs:
  cmp<TAB>A<TAB>B       -> "<valid A> <valid B> <order>": validity as 1/0, order as -1, 0
                           or 1 (or "-" when either is invalid)
  range<TAB>SPEC<TAB>V  -> true / false, "invalid" when univers cannot read the spec, or
                           "collapsed" when univers reads an interval with two bounds as a
                           single version (its Maven-based parser found the bounds equal)
"""

import sys

from univers.version_range import NugetVersionRange
from univers.versions import NugetVersion


def parse(text):
    try:
        return NugetVersion(text)
    except Exception:  # univers raises several unrelated exception types
        return None


def main():
    out = []
    for line in sys.stdin.read().splitlines():
        mode, first, second = line.split("\t")
        if mode == "cmp":
            a, b = parse(first), parse(second)
            if a is None or b is None:
                order = "-"
            else:
                order = str((a > b) - (a < b))
            out.append(f"{int(a is not None)} {int(b is not None)} {order}")
        elif mode == "range":
            try:
                spec = NugetVersionRange.from_native(first)
            except Exception:
                out.append("invalid")
                continue
            constraints = spec.constraints
            if "," in first and len(constraints) == 1 and constraints[0].comparator == "=":
                out.append("collapsed")
                continue
            out.append("true" if NugetVersion(second) in spec else "false")
        else:
            raise SystemExit(f"unknown mode: {line!r}")
    sys.stdout.write("".join(f"{o}\n" for o in out))


main()
