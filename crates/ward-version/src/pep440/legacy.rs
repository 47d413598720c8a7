//! Legacy (pre-PEP 440) versions: the sort key setuptools' old `parse_version` computed, which
//! `packaging` < 22 kept as `LegacyVersion` and OSV tools still use for such versions.
//!
//! The string is lowercased and cut into runs of digits, runs of letters, `.`, `-` and runs of
//! anything else. `pre`, `preview` and `rc` become `c`, `dev` becomes `@` (below every letter),
//! `-` becomes `final-`; `.` is dropped. Numbers are zero-padded to eight digits so that they
//! compare as text; everything else is prefixed with `*`, and `*final` closes the key. Before a
//! textual part, trailing zero numbers are dropped (`1.0.0-x` = `1-x`), and before a part
//! that sorts below `*final` (a pre-release tag) a preceding `-` is dropped too.

use super::parse::trim;

/// The legacy sort key of `input`, or `None` when it is not even a legacy version: empty,
/// containing whitespace, control or non-ASCII characters, or no letter or digit at all.
pub(super) fn key(input: &str) -> Option<Vec<Box<str>>> {
    let s = trim(input);
    if !s.bytes().all(|b| b.is_ascii_graphic()) || !s.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let mut parts: Vec<Box<str>> = Vec::new();
    for token in tokens(&lower).chain(std::iter::once("final")) {
        let token = match token {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            "." => continue,
            other => other,
        };
        let part: Box<str> = if token.starts_with(|c: char| c.is_ascii_digit()) {
            format!("{token:0>8}").into()
        } else {
            format!("*{token}").into()
        };
        if part.starts_with('*') {
            if &*part < "*final" {
                while parts.last().is_some_and(|p| &**p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| &**p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    Some(parts)
}

#[derive(PartialEq)]
enum Class {
    Digit,
    Letter,
    Single,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'0'..=b'9' => Class::Digit,
        b'a'..=b'z' => Class::Letter,
        b'.' | b'-' => Class::Single,
        _ => Class::Other,
    }
}

/// Maximal runs of one class; `.` and `-` are always tokens of their own.
fn tokens(s: &str) -> impl Iterator<Item = &str> {
    let bytes = s.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        let first = *bytes.get(start)?;
        let kind = class(first);
        let mut end = start + 1;
        if kind != Class::Single {
            while bytes.get(end).is_some_and(|&b| class(b) == kind) {
                end += 1;
            }
        }
        let token = s.get(start..end);
        start = end;
        token
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Vec<String> {
        key(s)
            .expect("a legacy version")
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn keys_match_setuptools() {
        assert_eq!(k("0.9-doduo"), ["00000000", "00000009", "*doduo", "*final"]);
        assert_eq!(k("1.0.0-x"), ["00000001", "*final-", "*x", "*final"]);
        assert_eq!(k("1.0rc1"), ["00000001", "*c", "00000001", "*final"]);
        assert_eq!(
            k("2.0.1rc2-git"),
            [
                "00000002", "00000000", "00000001", "*c", "00000002", "*final-", "*git", "*final"
            ]
        );
        assert_eq!(k("1.0-dev"), ["00000001", "*@", "*final"]);
        assert_eq!(k("a+b:c"), ["*a", "*+", "*b", "*:", "*c", "*final"]);
    }

    #[test]
    fn rejects_garbage() {
        for s in ["", "  ", "...", "1 0", "1.0é", "\u{0}1"] {
            assert_eq!(key(s), None, "{s:?}");
        }
    }
}
