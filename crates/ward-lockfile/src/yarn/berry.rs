//! yarn.lock v2+ ("berry"): the YAML subset yarn writes, read line by line.
//!
//! ```text
//! __metadata:
//!   version: 8
//!   cacheKey: 10c0
//!
//! "ansi-regex@npm:^6.0.1, ansi-regex@npm:^6.1.0":
//!   version: 6.1.0
//!   resolution: "ansi-regex@npm:6.1.0"
//!   dependencies:
//!     foo: "npm:^1.0.0"
//! ```
//!
//! Traps:
//! - entry headers are at column 0, so each entry's line is its header's line; a line
//!   parser is exact and about ten times faster than a general YAML parser here;
//! - the name and source come from `resolution`, not from the header: the header of an
//!   alias (`"string-width-cjs@npm:string-width@^4"`) names the alias;
//! - dependency ranges in lockfiles before version 6 omit the `npm:` protocol
//!   (`chokidar: ^3.4.0` for the key `chokidar@npm:^3.4.0`), so both spellings are tried;
//! - `catalog:` ranges cannot be resolved from the lockfile alone (the catalog is in
//!   `.yarnrc.yml`);
//! - `__metadata.version` is the lockfile format; versions ward does not know are refused.

use std::borrow::Cow;

use super::lexer;
use super::{Entry, SyntaxError};

/// `__metadata.version`s ward reads: yarn 2 wrote 4, yarn 3 wrote 5 and 6, yarn 4 writes 8
/// and later 10.
pub(super) const SUPPORTED: std::ops::RangeInclusive<u32> = 4..=10;

/// [`SUPPORTED`] in words, for errors.
pub(super) const SUPPORTED_TEXT: &str = "__metadata.version 4 to 10";

/// What a berry lockfile holds: its format version (with the line that says it) and its
/// entries in file order.
#[derive(Debug)]
pub(super) struct Berry<'a> {
    pub(super) version: Option<(Cow<'a, str>, u32)>,
    pub(super) entries: Vec<Entry<'a>>,
}

/// Reads the entries of a berry lockfile.
pub(super) fn entries(content: &str) -> Result<Berry<'_>, SyntaxError> {
    let mut berry = Berry {
        version: None,
        entries: Vec::new(),
    };
    let mut in_metadata = false;
    let mut max_level = 0;
    // The level-1 block being read (`dependencies:`), whose level-2 pairs are kept.
    let mut block: Option<Cow<'_, str>> = None;
    for (index, line) in content.lines().enumerate() {
        let number = super::line_number(index);
        let error = |message: String| SyntaxError {
            line: number,
            message,
        };
        let Some((level, text)) = lexer::indented(line, max_level).map_err(error)? else {
            continue;
        };
        let (key, value) = lexer::berry_pair(text).map_err(error)?;
        max_level = if value.is_some() { level } else { level + 1 };
        match (level, value) {
            (0, Some(_)) => return Err(error("expected an entry header ending with ':'".into())),
            (0, None) => {
                in_metadata = key == "__metadata";
                if !in_metadata {
                    let descriptors = match key {
                        Cow::Borrowed(key) => key.split(", ").map(Cow::Borrowed).collect(),
                        Cow::Owned(key) => key.split(", ").map(|d| d.to_owned().into()).collect(),
                    };
                    berry.entries.push(Entry::new(descriptors, number));
                }
            }
            (1, None) => block = Some(key),
            (1, Some(value)) => {
                block = None;
                if in_metadata {
                    if key == "version" {
                        berry.version = Some((value, number));
                    }
                    continue;
                }
                let Some(entry) = berry.entries.last_mut() else {
                    continue;
                };
                let slot = match key.as_ref() {
                    "version" => &mut entry.version,
                    "resolution" => &mut entry.resolution,
                    _ => continue,
                };
                if slot.is_some() {
                    return Err(error(format!("a second {key:?} in the same entry")));
                }
                *slot = Some(value);
            }
            (2, Some(value)) if block.as_deref() == Some("dependencies") && !in_metadata => {
                if let Some(entry) = berry.entries.last_mut() {
                    entry.dependencies.push((key, value));
                }
            }
            _ => {}
        }
    }
    Ok(berry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metadata_entries_and_dependencies() {
        let text = "# comment\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\
                    \"a@npm:^1, a@npm:^1.1\":\n  version: 1.2.0\n  resolution: \"a@npm:1.2.0\"\n  \
                    dependencies:\n    b: \"npm:^2\"\n  dependenciesMeta:\n    c:\n      \
                    optional: true\n  languageName: node\n";
        let berry = entries(text).expect("parses");
        assert_eq!(berry.version, Some((Cow::Borrowed("8"), 4)));
        assert_eq!(berry.entries.len(), 1);
        let entry = &berry.entries[0];
        assert_eq!(entry.descriptors, ["a@npm:^1", "a@npm:^1.1"]);
        assert_eq!(entry.line, 7);
        assert_eq!(entry.version.as_deref(), Some("1.2.0"));
        assert_eq!(entry.resolution.as_deref(), Some("a@npm:1.2.0"));
        assert_eq!(
            entry.dependencies,
            [(Cow::Borrowed("b"), Cow::Borrowed("npm:^2"))]
        );
    }

    #[test]
    fn refuses_malformed_structure() {
        let cases = [
            ("__metadata:\n    version: 8\n", 2),
            ("\"a@npm:1\": 1\n", 1),
            ("\"a@npm:1\":\n  version: 1\n  version: 2\n", 3),
            ("\"a@npm:1\":\n  resolution: {a: 1}\n", 2),
            ("\"a@npm:1\":\n  resolution: \"open\n", 2),
        ];
        for (text, line) in cases {
            let error = entries(text).expect_err(text);
            assert_eq!(error.line, line, "{text:?}: {}", error.message);
        }
    }
}
