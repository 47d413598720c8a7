"""Oracle for ward scan's PyPI cross-check: which OSV records affect which packages of Python
lockfiles, decided by PyPI's own `packaging` (PEP 440 ordering, PEP 503 names) and the OSV
schema's evaluation pseudocode (https://ossf.github.io/osv-schema/#evaluation), written out
here independently of ward.

Usage: pypi_osv.py <dir of packaging 21.3>
       (JSON on stdin, JSON lines on stdout; `packaging` 26.3 on PYTHONPATH)

Input:  {"records": [OSV record, ...], "lockfiles": [{"label": "...", "path": "..."}, ...]}
Output: one line per lockfile  {"lockfile": label, "packages": n}
        one line per answer    {"lockfile", "name", "version", "id", "verdict"}
        where name is the PEP 503 normalised name and verdict is "affected", or "unknown"
        when a range that names the package could not be evaluated and no other range or
        `versions` entry says affected.

Evaluation, per `affected[]` entry whose package is ecosystem "PyPI" with the same
normalised name:
- `versions` lists the version (as written, or equal as PEP 440 versions) -> affected;
- each range: GIT is skipped (needs the repository); ECOSYSTEM ranges order versions with
  packaging.version.Version; another type, a range without `introduced`, or a version that
  is neither PEP 440 nor legacy (below) makes the range not evaluable;
- legacy versions: PyPI still holds pre-PEP 440 versions (`0.9-doduo`, `2019-09-12`) that
  packaging 22+ rejects. OSV tools order them as packaging's old LegacyVersion did (below
  every PEP 440 version, among themselves by setuptools' old key), and so does ward; the
  oracle uses the real LegacyVersion of packaging 21.3, loaded from the directory given as
  argument beside packaging 26.3. A string is taken as legacy when it is printable ASCII
  without whitespace and holds a letter or digit (LegacyVersion took anything; ward
  refuses garbage), after trimming surrounding whitespace;
- events sorted by version (stable; "0" first, limit "*" last), then BeforeLimits and the
  walk: introduced at or below v -> affected, fixed at or below v -> not, last_affected
  below v -> not.
Withdrawn records affect nothing. A record affects a package when any of its entries does.

Lockfiles are read here, not by ward, chosen by file name:
- requirements files: pinned requirements only, `name==version` (or `===`), one specifier,
  no wildcard, parsed with packaging.requirements.Requirement after joining `\\`
  continuations, dropping comments and per-requirement options (`--hash=...`); URL
  requirements are not pins; `-r`/`--requirement` includes are followed, relative to the
  including file, once each (their packages count for the including file too).
- poetry.lock: every [[package]] but those whose `source.type` is git, directory, file or
  url (not from a package index).
- uv.lock: every [[package]] with a version whose `source` is a `registry`.
"""

import json
import os
import re
import sys
import tomllib
from functools import cache, cmp_to_key

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

START = (0, None)
END = (2, None)


def load_legacy_version(path):
    """LegacyVersion from packaging 21.3 at `path`, without disturbing packaging 26.3."""
    def ours(name):
        return name.split(".")[0] in ("packaging", "pyparsing")

    saved = {k: v for k, v in sys.modules.items() if ours(k)}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, path)
    try:
        import packaging.version as old

        if not hasattr(old, "LegacyVersion"):
            raise SystemExit(f"no LegacyVersion in the packaging at {path}")
        return old.LegacyVersion
    finally:
        sys.path.remove(path)
        for k in [k for k in sys.modules if ours(k)]:
            del sys.modules[k]
        sys.modules.update(saved)


LegacyVersion = load_legacy_version(sys.argv[1])


@cache
def parse(text):
    """(0, LegacyVersion) or (1, Version), which order as OSV tools do; None if neither."""
    text = text.strip()
    try:
        return (1, Version(text))
    except InvalidVersion:
        pass
    printable = all("!" <= c <= "~" for c in text)
    if text and printable and any(c.isalnum() for c in text):
        return (0, LegacyVersion(text))
    return None


def compare_points(a, b):
    """Points are START, END or (1, parsed) with parsed = (0, legacy) or (1, PEP 440)."""
    if a[0] != 1 or b[0] != 1:
        return (a[0] > b[0]) - (a[0] < b[0])
    (ka, va), (kb, vb) = a[1], b[1]
    if ka != kb:
        return (ka > kb) - (ka < kb)
    return (va > vb) - (va < vb)


def evaluate_range(events, version):
    """'affected', 'not' or 'unknown' for one range."""
    if not any("introduced" in e for e in events):
        return "unknown"
    v = parse(version)
    if v is None:
        return "unknown"
    parsed = []
    for event in events:
        if len(event) != 1:
            return "unknown"
        ((kind, text),) = event.items()
        if kind == "introduced" and text == "0":
            point = START
        elif kind == "limit" and text == "*":
            point = END
        else:
            p = parse(text)
            if p is None:
                return "unknown"
            point = (1, p)
        parsed.append((kind, point))
    # list.sort is stable: equal versions keep the record's order.
    parsed.sort(key=cmp_to_key(lambda a, b: compare_points(a[1], b[1])))
    at = (1, v)
    limits = [p for k, p in parsed if k == "limit"]
    if limits and not any(compare_points(at, p) < 0 for p in limits):
        return "not"
    vulnerable = False
    for kind, point in parsed:
        order = compare_points(at, point)
        if kind == "introduced" and order >= 0:
            vulnerable = True
        elif kind == "fixed" and order >= 0:
            vulnerable = False
        elif kind == "last_affected" and order > 0:
            vulnerable = False
    return "affected" if vulnerable else "not"


def evaluate_entry(affected, version):
    listed = affected.get("versions") or []
    if version in listed:
        return "affected"
    v = parse(version)
    if v is not None and any(parse(l) == v for l in listed):
        return "affected"
    unknown = False
    for r in affected.get("ranges") or []:
        if r.get("type") == "GIT":
            continue
        if r.get("type") != "ECOSYSTEM":
            unknown = True
            continue
        answer = evaluate_range(r.get("events") or [], version)
        if answer == "affected":
            return "affected"
        if answer == "unknown":
            unknown = True
    return "unknown" if unknown else "not"


def index_records(records):
    index = {}
    for record in records:
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected") or []:
            package = affected.get("package") or {}
            if package.get("ecosystem") != "PyPI" or "name" not in package:
                continue
            key = canonicalize_name(package["name"])
            index.setdefault(key, []).append((record["id"], affected))
    return index


def logical_lines(text):
    joined = re.sub(r"\\\r?\n", " ", text)
    for line in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            yield line


def from_requirements(path, seen=None):
    seen = set() if seen is None else seen
    real = os.path.realpath(path)
    if real in seen:
        return []
    seen.add(real)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for line in logical_lines(text):
        include = re.match(r"^(?:-r|--requirement)(?:\s+|=)(\S+)$", line)
        if include:
            target = os.path.join(os.path.dirname(path), include.group(1))
            if os.path.isfile(target):
                out.extend(from_requirements(target, seen))
            continue
        if line.startswith("-"):
            continue
        line = re.split(r"\s+--?[a-zA-Z]", line, maxsplit=1)[0].strip()
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        specs = list(req.specifier)
        if req.url or len(specs) != 1:
            continue
        (spec,) = specs
        if spec.operator not in ("==", "===") or spec.version.endswith(".*"):
            continue
        out.append((req.name, spec.version))
    return out


def from_poetry(path):
    with open(path, "rb") as f:
        lock = tomllib.load(f)
    out = []
    for package in lock.get("package", []):
        source = package.get("source") or {}
        if source.get("type") in ("git", "directory", "file", "url"):
            continue
        out.append((package["name"], package["version"]))
    return out


def from_uv(path):
    with open(path, "rb") as f:
        lock = tomllib.load(f)
    out = []
    for package in lock.get("package", []):
        if "registry" in (package.get("source") or {}) and "version" in package:
            out.append((package["name"], package["version"]))
    return out


def read_lockfile(path):
    name = os.path.basename(path)
    if name == "poetry.lock":
        return from_poetry(path)
    if name == "uv.lock":
        return from_uv(path)
    if name.endswith(".txt"):
        return from_requirements(path)
    raise SystemExit(f"not a Python lockfile: {path}")


def main():
    data = json.load(sys.stdin)
    index = index_records(data["records"])
    lines = []
    for lockfile in data["lockfiles"]:
        label = lockfile["label"]
        packages = read_lockfile(lockfile["path"])
        lines.append({"lockfile": label, "packages": len(packages)})
        for name, version in dict.fromkeys(packages):
            verdicts = {}
            for record_id, affected in index.get(canonicalize_name(name), []):
                verdict = evaluate_entry(affected, version)
                before = verdicts.get(record_id)
                if verdict == "affected" or (verdict == "unknown" and before != "affected"):
                    verdicts[record_id] = verdict
            for record_id, verdict in verdicts.items():
                lines.append(
                    {
                        "lockfile": label,
                        "name": canonicalize_name(name),
                        "version": version,
                        "id": record_id,
                        "verdict": verdict,
                    }
                )
    sys.stdout.write("".join(json.dumps(line) + "\n" for line in lines))


main()
