"""Oracle: the reference `cvss` library (PyPI, Red Hat's; version 3.6) over CVSS vectors on
stdin, one per line, one answer per line on stdout.

  CVSS:3.x/... -> "<base> <temporal> <environmental>" (CVSS3(v).scores())
  CVSS:4.0/... -> "<score>"                           (CVSS4(v).base_score, the one score)
  anything the library refuses -> "invalid"
"""

import sys

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError


def answer(vector):
    try:
        if vector.startswith("CVSS:3."):
            return " ".join(str(score) for score in CVSS3(vector).scores())
        if vector.startswith("CVSS:4."):
            return str(CVSS4(vector).base_score)
    except CVSSError:
        pass
    return "invalid"


def main():
    out = [answer(line.rstrip("\n")) for line in sys.stdin]
    sys.stdout.write("".join(line + "\n" for line in out))


main()
