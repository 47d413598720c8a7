//! yarn.lock v1 ("classic"): yarn's own indentation syntax, read line by line.
//!
//! ```text
//! "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
//!   version "7.12.13"
//!   resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#..."
//!   dependencies:
//!     "@babel/highlight" "^7.12.13"
//! ```
//!
//! Traps:
//! - keys may be quoted (`"version" "1.0.0"`, written by some yarn versions) and the
//!   colon before a plain value is optional (`version: "1.0.0"` is accepted by yarn);
//! - one entry lists every range that resolved to it; the name comes from the first;
//! - the file says nothing of which dependencies the project asked for, nor which are for
//!   development: every package is `Relation::Unknown`, `dev: false`;
//! - an entry without `version` is an error, never a package without a version.

use std::borrow::Cow;

use super::lexer::{self, Token};
use super::{Entry, SyntaxError};

/// The entries of a classic yarn.lock, in file order.
pub(super) fn entries(content: &str) -> Result<Vec<Entry<'_>>, SyntaxError> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    // Deepest level the next line may have: 0 outside entries, `n + 1` after a `key:` at `n`.
    let mut max_level = 0;
    for (index, line) in content.lines().enumerate() {
        let number = super::line_number(index);
        let error = |message: String| SyntaxError {
            line: number,
            message,
        };
        let Some((level, text)) = lexer::indented(line, max_level).map_err(error)? else {
            continue;
        };
        let tokens = lexer::classic_tokens(text).map_err(error)?;
        let (keys, value) = split_line(&tokens).map_err(error)?;
        if level == 0 {
            if value.is_some() {
                return Err(error("expected an entry header ending with ':'".into()));
            }
            entries.push(Entry::new(keys, number));
            max_level = 1;
            continue;
        }
        max_level = if value.is_some() { level } else { level + 1 };
        let (Some(entry), 1, Some(value)) = (entries.last_mut(), level, value) else {
            continue;
        };
        for key in keys {
            let slot = match key.as_ref() {
                "version" => &mut entry.version,
                "resolved" => &mut entry.resolution,
                _ => continue,
            };
            if slot.is_some() {
                return Err(error(format!("a second {key:?} in the same entry")));
            }
            *slot = Some(value.clone());
        }
    }
    Ok(entries)
}

/// A line's keys (`a, b, c`) and its value, `None` for a `key:` that opens a block.
type Line<'a> = (Vec<Cow<'a, str>>, Option<Cow<'a, str>>);

fn split_line<'a>(tokens: &[Token<'a>]) -> Result<Line<'a>, String> {
    let mut keys = Vec::new();
    let mut rest = tokens;
    loop {
        let Some((Token::Str(key), after)) = rest.split_first() else {
            return Err("expected a key".into());
        };
        keys.push(key.clone());
        rest = after;
        match rest.first() {
            Some(Token::Comma) => rest = &rest[1..],
            _ => break,
        }
    }
    let colon = matches!(rest.first(), Some(Token::Colon));
    if colon {
        rest = &rest[1..];
    }
    match rest {
        [] if colon => Ok((keys, None)),
        [Token::Str(value)] => Ok((keys, Some(value.clone()))),
        [] => Err("expected a value or ':' after the key".into()),
        _ => Err("unexpected text after the value".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_skips_nested_blocks() {
        let text = "# yarn lockfile v1\n\n\"a@^1\", a@^1.1:\n  version \"1.2.0\"\n  \
                    dependencies:\n    b \"^2\"\n  resolved \"https://r/a.tgz#ff\"\n\nb@^2:\n  \
                    \"version\" \"2.0.0\"\n";
        let entries = entries(text).expect("parses");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].descriptors, ["a@^1", "a@^1.1"]);
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[0].version.as_deref(), Some("1.2.0"));
        assert_eq!(entries[0].resolution.as_deref(), Some("https://r/a.tgz#ff"));
        assert_eq!(entries[1].version.as_deref(), Some("2.0.0"));
    }

    #[test]
    fn refuses_malformed_structure() {
        let cases = [
            ("a@1:\n    version \"1\"\n", 2),
            ("  version \"1\"\n", 1),
            ("a@1 \"x\"\n", 1),
            ("a@1:\n  version \"1\"\n  version \"2\"\n", 3),
            ("a@1:\n  version\n", 2),
        ];
        for (text, line) in cases {
            let error = entries(text).expect_err(text);
            assert_eq!(error.line, line, "{text:?}: {}", error.message);
        }
    }
}
