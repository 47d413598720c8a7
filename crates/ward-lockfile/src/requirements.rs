//! `requirements.txt`: the pins of pip's requirements files.
//!
//! Traps:
//! - **Only exact pins are packages.** `name==1.0` and `name===1.0` (with extras, markers and
//!   per-requirement options such as `--hash`) pin one version. Everything else — `>=`, `~=`,
//!   `!=`, wildcards `==1.*`, no specifier, `name @ URL`, paths, URLs, `-e` editables, and
//!   versions from environment variables (`==${VERSION}`, which pip expands at install
//!   time) — is [`Unpinned`], never guessed (osv-scanner reads `>=X` as `==X`, and so
//!   reports X's advisories for versions that are not installed).
//! - **Logical lines** are pip's: a line ending in `\` continues on the next (joined without a
//!   space; a comment line ends the continuation), `#` starts a comment at the start of a line
//!   or after whitespace only (`https://x#egg=y` keeps its `#`), and options begin at the
//!   first space-separated token starting with `-`. The line reported is the first physical
//!   line.
//! - **Includes.** `-r`/`--requirement` and `-c`/`--constraint` (also `-rfile`,
//!   `--requirement=file`) are recorded in [`Lockfile::includes`]; [`crate::read`] follows
//!   them. A constraints file installs nothing by itself; the flag tells the caller.
//! - **Other options** (`-i`, `--index-url`, `--extra-index-url`, `-f`, `--pre`,
//!   `--trusted-host`…) say where packages come from, not which: ignored.
//! - **A file without requirements is valid** (pip installs nothing): zero packages is not an
//!   error here, unlike the real lockfiles.
//! - **Invalid requirements** (`foo==`, `foo==1.0 junk`) are errors: pip refuses the whole
//!   file, so it describes no environment.
//! - Names and versions are kept as written (`Django`, `1.2-alpha`); relations are unknown.

mod spec;

use crate::lines::unexpected;
use crate::{Error, Include, Kind, Lockfile, Package, Relation, Source, Unpinned};
use spec::Requirement;

/// `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`; files in a
/// `requirements/` folder are handled by the caller passing the kind explicitly.
pub(crate) fn is_requirements_file(name: &str) -> bool {
    name.ends_with(".txt") && name.contains("requirements")
}

pub(crate) fn parse(origin: &str, content: &str) -> Result<Lockfile, Error> {
    let mut lockfile = Lockfile::new(Kind::Requirements, Vec::new());
    for (line, text) in logical_lines(content) {
        let text = strip_comment(&text);
        if text.is_empty() {
            continue;
        }
        if text.starts_with('-') {
            option(origin, line, text, &mut lockfile)?;
            continue;
        }
        // Per-requirement options (`--hash`, `-C`...) start at the first token with `-`.
        let end = text
            .match_indices(' ')
            .map(|(at, _)| at)
            .find(|&at| text.get(at + 1..).is_some_and(|rest| rest.starts_with('-')))
            .unwrap_or(text.len());
        let written = text.get(..end).unwrap_or(text).trim();
        match spec::parse(written) {
            Ok(Requirement::Pinned { name, version }) => lockfile.packages.push(Package {
                ecosystem: Kind::Requirements.ecosystem(),
                name: name.to_owned(),
                version: version.to_owned(),
                line,
                relation: Relation::Unknown,
                dev: false,
                source: Source::Registry,
            }),
            Ok(Requirement::Unpinned { name }) => lockfile.unpinned.push(Unpinned {
                name,
                requirement: written.to_owned(),
                line,
            }),
            Err(expected) => return Err(unexpected(origin, Some(line), expected)),
        }
    }
    Ok(lockfile)
}

/// An option line: includes and editables are recorded, the rest ignored.
fn option(origin: &str, line: u32, text: &str, lockfile: &mut Lockfile) -> Result<(), Error> {
    let (flag, inline) = match text.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") && !flag.contains(' ') => (flag, Some(value)),
        _ => (text.split_whitespace().next().unwrap_or(text), None),
    };
    let (what, short) = match flag {
        "-r" | "--requirement" => ("requirements", "-r"),
        "-c" | "--constraint" => ("constraints", "-c"),
        "-e" | "--editable" => ("editable", "-e"),
        _ => match ["-r", "-c", "-e"].iter().find(|s| flag.starts_with(**s)) {
            // `-rfile`: the value glued to a short option.
            Some(&short) => (
                match short {
                    "-r" => "requirements",
                    "-c" => "constraints",
                    _ => "editable",
                },
                short,
            ),
            None => return Ok(()),
        },
    };
    let value = match inline {
        Some(value) => value.trim(),
        None if flag.len() > 2 && !flag.starts_with("--") => {
            text.get(2..).unwrap_or_default().trim()
        }
        None => text.get(flag.len()..).unwrap_or_default().trim(),
    };
    if value.is_empty() {
        return Err(unexpected(
            origin,
            Some(line),
            format!("a {what} file or location after {short}"),
        ));
    }
    if what == "editable" {
        lockfile.unpinned.push(Unpinned {
            name: spec::location_name(value).to_owned(),
            requirement: text.to_owned(),
            line,
        });
    } else {
        lockfile.includes.push(Include {
            path: value.to_owned(),
            line,
            constraint: what == "constraints",
            lockfile: None,
        });
    }
    Ok(())
}

/// pip's `join_lines`: `(first physical line, logical line)`.
fn logical_lines(content: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (number, line) in (1u32..).zip(content.lines()) {
        let comment = line.trim_start().starts_with('#');
        if !line.ends_with('\\') || comment {
            match pending.take() {
                Some((first, mut joined)) => {
                    // A comment line ends a continuation (and is stripped as a comment).
                    if comment {
                        joined.push(' ');
                    }
                    joined.push_str(line);
                    out.push((first, joined));
                }
                None => out.push((number, line.to_owned())),
            }
        } else {
            pending
                .get_or_insert_with(|| (number, String::new()))
                .1
                .push_str(line.trim_matches('\\'));
        }
    }
    out.extend(pending);
    out
}

/// The text before a comment (`#` at the start or after whitespace), trimmed.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let cut = line
        .match_indices('#')
        .map(|(at, _)| at)
        .find(|&at| at == 0 || bytes.get(at - 1).is_some_and(u8::is_ascii_whitespace))
        .unwrap_or(line.len());
    line.get(..cut).unwrap_or(line).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_and_comments() {
        let lines = logical_lines("a==1 \\\n  --hash=x\n# c \\\nb \\\n# ends\nc\\");
        assert_eq!(
            lines,
            [
                (1, "a==1   --hash=x".to_owned()),
                (3, "# c \\".to_owned()),
                (4, "b  # ends".to_owned()),
                (6, "c".to_owned())
            ]
        );
        assert_eq!(strip_comment("a==1 # x"), "a==1");
        assert_eq!(strip_comment("https://x/y#egg=z"), "https://x/y#egg=z");
        assert_eq!(strip_comment("  # x"), "");
    }

    #[test]
    fn includes_in_every_spelling() {
        let text = "-r a.txt\n-rb.txt\n--requirement c.txt\n--requirement=d.txt\n-c e.txt\n--constraint=f.txt\n-i https://x\n";
        let lockfile = parse("r.txt", text).expect("parses");
        let found: Vec<(&str, u32, bool)> = lockfile
            .includes
            .iter()
            .map(|i| (i.path.as_str(), i.line, i.constraint))
            .collect();
        assert_eq!(
            found,
            [
                ("a.txt", 1, false),
                ("b.txt", 2, false),
                ("c.txt", 3, false),
                ("d.txt", 4, false),
                ("e.txt", 5, true),
                ("f.txt", 6, true)
            ]
        );
    }
}
