// Oracle for ward-advisory's Node.js security-wg test: node-semver says whether each version
// satisfies each range, as `semver.satisfies(v, range, { includePrerelease: true })`.
//
// Usage: node npm-satisfies.js <path to node-semver>
// Each input line is a JSON array [range, version]; each output line is true or false.
'use strict'

const semver = require(process.argv[2])
const input = require('fs').readFileSync(0, 'utf8')
const out = []
for (const line of input.split('\n')) {
  if (line !== '') {
    const [range, version] = JSON.parse(line)
    out.push(String(semver.satisfies(version, range, { includePrerelease: true })))
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
