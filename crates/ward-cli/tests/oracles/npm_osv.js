// Oracle for ward scan's npm cross-check: which OSV records affect which packages of npm
// lockfiles, decided by npm's own `semver` package and the OSV schema's evaluation
// pseudocode (https://ossf.github.io/osv-schema/#evaluation), written out here independently
// of ward.
//
// Usage: node npm_osv.js <path to node-semver>   (JSON on stdin, JSON lines on stdout)
//
// Input:  {"records": [OSV record, ...],
//          "lockfiles": [{"label": "...", "path": "/.../package-lock.json"}      (read here)
//                      | {"label": "...", "packages": [{"name", "version"}, ...]}]}
// Output: one line per lockfile  {"lockfile": label, "packages": n}
//         one line per answer    {"lockfile", "name", "version", "id", "verdict"}
//         where verdict is "affected", or "unknown" when a range that names the package
//         could not be evaluated and no other range or `versions` entry says affected.
//
// Evaluation, per `affected[]` entry whose package is ecosystem "npm" with exactly this
// name (npm names are case-sensitive):
// - `versions` lists the version (as written, or equal by semver.compare) -> affected;
// - each range: GIT is skipped (needs the repository); SEMVER and ECOSYSTEM ranges order
//   versions with semver.parse/semver.compare (npm's ordering is SemVer 2.0 precedence);
//   another type, a range without `introduced`, or a version that semver.parse rejects
//   (in an event or the one asked about) makes the range not evaluable;
// - events sorted by version (stable; "0" first, limit "*" last), then BeforeLimits and the
//   walk: introduced at or below v -> affected, fixed at or below v -> not, last_affected
//   below v -> not.
// Withdrawn records affect nothing. A record affects a package when any of its entries does.
//
// package-lock.json / npm-shrinkwrap.json are read here, not by ward: lockfileVersion 2 and 3
// from `packages` (name from the `name` field, else the key after the last "node_modules/";
// the root "", `link: true` entries and keys outside node_modules skipped), version 1 from
// the nested `dependencies` (an alias "npm:real@1.2.3" names the real package). Entries
// whose version is not a valid SemVer version (git, file: and tarball URLs) are skipped:
// they have no registry version an advisory could name.
'use strict'

const fs = require('fs')
const semver = require(process.argv[2])

const START = { start: true }
const END = { end: true }

function comparePoints (a, b) {
  const rank = (p) => (p === START ? 0 : p === END ? 2 : 1)
  if (rank(a) !== 1 || rank(b) !== 1) return rank(a) - rank(b)
  return semver.compare(a, b)
}

// 'affected', 'not' or 'unknown' for one range.
function evaluateRange (events, version) {
  if (!events.some((e) => 'introduced' in e)) return 'unknown'
  const v = semver.parse(version)
  if (v === null) return 'unknown'
  const parsed = []
  for (const event of events) {
    const kinds = Object.keys(event)
    if (kinds.length !== 1) return 'unknown'
    const kind = kinds[0]
    const text = event[kind]
    let point
    if (kind === 'introduced' && text === '0') point = START
    else if (kind === 'limit' && text === '*') point = END
    else {
      point = semver.parse(text)
      if (point === null) return 'unknown'
    }
    parsed.push({ kind, point })
  }
  // Array.prototype.sort is stable: equal versions keep the record's order.
  parsed.sort((a, b) => comparePoints(a.point, b.point))
  const limits = parsed.filter((e) => e.kind === 'limit')
  if (limits.length > 0 && !limits.some((e) => comparePoints(v, e.point) < 0)) return 'not'
  let vulnerable = false
  for (const { kind, point } of parsed) {
    const order = comparePoints(v, point)
    if (kind === 'introduced' && order >= 0) vulnerable = true
    else if (kind === 'fixed' && order >= 0) vulnerable = false
    else if (kind === 'last_affected' && order > 0) vulnerable = false
  }
  return vulnerable ? 'affected' : 'not'
}

function evaluateEntry (affected, version) {
  const listed = affected.versions || []
  if (listed.includes(version)) return 'affected'
  const v = semver.parse(version)
  if (v !== null && listed.some((l) => {
    const p = semver.parse(l)
    return p !== null && semver.compare(p, v) === 0
  })) return 'affected'
  let unknown = false
  for (const range of affected.ranges || []) {
    if (range.type === 'GIT') continue
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') {
      unknown = true
      continue
    }
    const answer = evaluateRange(range.events || [], version)
    if (answer === 'affected') return 'affected'
    if (answer === 'unknown') unknown = true
  }
  return unknown ? 'unknown' : 'not'
}

// name -> [[record id, affected entry], ...]
function indexRecords (records) {
  const index = new Map()
  for (const record of records) {
    if (record.withdrawn) continue
    for (const affected of record.affected || []) {
      const pkg = affected.package
      if (!pkg || pkg.ecosystem !== 'npm') continue
      if (!index.has(pkg.name)) index.set(pkg.name, [])
      index.get(pkg.name).push([record.id, affected])
    }
  }
  return index
}

function fromPackageLock (path) {
  const lock = JSON.parse(fs.readFileSync(path, 'utf8'))
  const out = []
  const add = (name, version) => {
    if (typeof version !== 'string') return
    if (version.startsWith('npm:')) {
      const at = version.lastIndexOf('@')
      if (at <= 4) return
      name = version.slice(4, at)
      version = version.slice(at + 1)
    }
    if (semver.valid(version) === null) return
    out.push({ name, version })
  }
  if (lock.packages && (lock.lockfileVersion || 1) >= 2) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || entry.link) continue
      const at = key.lastIndexOf('node_modules/')
      if (at === -1) continue
      add(entry.name || key.slice(at + 'node_modules/'.length), entry.version)
    }
  } else {
    const walk = (deps) => {
      for (const [name, entry] of Object.entries(deps || {})) {
        add(name, entry.version)
        walk(entry.dependencies)
      }
    }
    walk(lock.dependencies)
  }
  return out
}

function main () {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'))
  const index = indexRecords(input.records)
  const lines = []
  for (const lockfile of input.lockfiles) {
    const packages = lockfile.path ? fromPackageLock(lockfile.path) : lockfile.packages
    lines.push(JSON.stringify({ lockfile: lockfile.label, packages: packages.length }))
    const seen = new Set()
    for (const { name, version } of packages) {
      const key = JSON.stringify([name, version])
      if (seen.has(key)) continue
      seen.add(key)
      const verdicts = new Map()
      for (const [id, affected] of index.get(name) || []) {
        const verdict = evaluateEntry(affected, version)
        const before = verdicts.get(id)
        if (verdict === 'affected' || (verdict === 'unknown' && before !== 'affected')) {
          verdicts.set(id, verdict)
        }
      }
      for (const [id, verdict] of verdicts) {
        lines.push(JSON.stringify({ lockfile: lockfile.label, name, version, id, verdict }))
      }
    }
  }
  process.stdout.write(lines.map((l) => l + '\n').join(''))
}

main()
