"""Oracle: univers' AlpineLinuxVersion (see tests/it/reference/alpine.rs for how far it
follows apk-tools). Reads "A B" per line on stdin, prints <, = or > per line, or "invalid"
when univers rejects either version."""
import sys

from univers.versions import AlpineLinuxVersion, InvalidVersion

for line in sys.stdin:
    a, b = line.split()
    try:
        x, y = AlpineLinuxVersion(a), AlpineLinuxVersion(b)
    except InvalidVersion:
        print("invalid")
        continue
    print("<" if x < y else ">" if x > y else "=" if x == y else "?")
