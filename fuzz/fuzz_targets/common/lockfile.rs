//! What every lockfile reader's fuzz target checks, beyond "does not panic": whatever a
//! reader returns holds together. Each target names its reader's [`Kind`]; the yarn.lock and
//! pnpm-lock.yaml targets also say how their format counts lines.

use ward_lockfile::{Kind, Lockfile};

/// Any text either fails with an error or gives packages with a name, a version and a line
/// inside the text; unpinned requirements' lines are inside it too.
pub fn parses_or_fails(kind: Kind, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(lockfile) = ward_lockfile::parse(kind, "fuzz", text) else { return };
    let lines = u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX);
    packages_inside(&lockfile, lines);
    for u in &lockfile.unpinned {
        assert!((1..=lines).contains(&u.line), "line {} outside 1..={lines}: {u:?}", u.line);
    }
}

/// The JavaScript lockfiles' stricter laws: a success is of `kind` and has at least one
/// package (never an empty list instead of an error), all npm, each with a name, a version
/// and a line inside the input; an error's line is inside the input or just past its end.
/// `lines` counts the input's lines as the format does.
pub fn npm_packages_or_error(kind: Kind, data: &[u8], lines: fn(&str) -> u32) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = lines(text);
    match ward_lockfile::parse(kind, "fuzz", text) {
        Ok(lockfile) => {
            assert_eq!(lockfile.kind, kind);
            assert!(!lockfile.packages.is_empty(), "an empty list instead of an error");
            for package in &lockfile.packages {
                assert_eq!(package.ecosystem, "npm", "{package:?}");
            }
            packages_inside(&lockfile, lines);
        }
        Err(error) => {
            if let Some(line) = error.line {
                assert!((1..=lines + 1).contains(&line), "{error} outside {lines} lines");
            }
        }
    }
}

fn packages_inside(lockfile: &Lockfile, lines: u32) {
    for p in &lockfile.packages {
        assert!(!p.name.is_empty(), "empty name: {p:?}");
        assert!(!p.version.is_empty(), "empty version: {p:?}");
        assert!((1..=lines).contains(&p.line), "line {} outside 1..={lines}: {p:?}", p.line);
    }
}
