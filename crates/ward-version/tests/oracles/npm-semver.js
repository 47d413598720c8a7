// Oracle for ward-version's npm differential tests: node-semver answers one case per line.
//
// Usage: node npm-semver.js <path to node-semver> <mode>
// Each input line is a JSON array of strings; each output line is the answer.
//   compare  [a, b]        -> -1 | 0 | 1          (semver.compare)
//   valid    [v]           -> normalized | null   (semver.valid)
//   satisfies [range, v]   -> true | false        (includePrerelease: true)
//   validRange [range]     -> ok | null           (semver.validRange, includePrerelease: true)
'use strict'

const semver = require(process.argv[2])
const mode = process.argv[3]
const options = { includePrerelease: true }

const answer = {
  compare: ([a, b]) => String(semver.compare(a, b)),
  valid: ([v]) => String(semver.valid(v)),
  satisfies: ([range, v]) => String(semver.satisfies(v, range, options)),
  validRange: ([range]) => (semver.validRange(range, options) === null ? 'null' : 'ok'),
}[mode]
if (!answer) {
  throw new Error(`unknown mode ${mode}`)
}

const input = require('fs').readFileSync(0, 'utf8')
const out = []
for (const line of input.split('\n')) {
  if (line !== '') {
    out.push(answer(JSON.parse(line)))
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
