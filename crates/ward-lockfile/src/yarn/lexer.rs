//! The line syntax shared by both yarn.lock dialects: indentation, comments, quoted strings.
//!
//! Classic (v1) lines are `key value`, `key:` or `spec, spec:`; berry lines are the subset of
//! YAML that yarn's own writer produces: `key: value` and `key:`, each key and value either a
//! plain word or a double-quoted string. Both dialects indent by two spaces per level.
//!
//! Traps:
//! - a `#` starts a comment only at the start of a token (classic) or after a space (YAML);
//!   `resolved` URLs carry their hash after a `#` inside quotes;
//! - quoted strings use JSON escapes (`\"`, `\\`, `\u00e9`, surrogate pairs); yarn never
//!   writes the rarer YAML escapes, which are refused rather than guessed;
//! - a tab in the indentation, an odd indentation, or a line indented deeper than the block
//!   it would belong to is an error (yarn itself refuses them);
//! - berry lines must stay inside the subset: a flow collection, a block scalar, an anchor,
//!   an alias or a tag is refused with its line instead of being misread.

use std::borrow::Cow;

/// A line split into its indentation level and content, or `None` for blank and comment
/// lines.
pub(super) fn indentation(line: &str) -> Result<Option<(usize, &str)>, String> {
    let content = line.trim_start_matches(' ');
    let spaces = line.len() - content.len();
    let content = content.trim_end_matches([' ', '\r']);
    if content.is_empty() || content.starts_with('#') {
        return Ok(None);
    }
    if content.starts_with('\t') {
        return Err("indentation with a tab; yarn.lock indents with spaces".into());
    }
    if !spaces.is_multiple_of(2) {
        return Err(format!(
            "{spaces} spaces of indentation; yarn.lock indents by two spaces per level"
        ));
    }
    Ok(Some((spaces / 2, content)))
}

/// [`indentation`], and an error when the line is indented deeper than `max_level`, the
/// deepest level the line above allows (`n + 1` after a `key:` at level `n`).
pub(super) fn indented(line: &str, max_level: usize) -> Result<Option<(usize, &str)>, String> {
    let Some((level, text)) = indentation(line)? else {
        return Ok(None);
    };
    if level > max_level {
        return Err(format!(
            "indented {level} levels, but the line above opens no block that deep"
        ));
    }
    Ok(Some((level, text)))
}

/// A token of a classic (v1) line.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// A quoted or plain string.
    Str(Cow<'a, str>),
    /// `:`
    Colon,
    /// `,`
    Comma,
}

/// Splits a classic line (without its indentation) into tokens; a `#` at a token's start
/// ends the line.
pub(super) fn classic_tokens(content: &str) -> Result<Vec<Token<'_>>, String> {
    let mut tokens = Vec::new();
    let mut rest = content;
    loop {
        rest = rest.trim_start_matches(' ');
        let Some(first) = rest.chars().next() else {
            return Ok(tokens);
        };
        match first {
            '#' => return Ok(tokens),
            ':' => {
                tokens.push(Token::Colon);
                rest = &rest[1..];
            }
            ',' => {
                tokens.push(Token::Comma);
                rest = &rest[1..];
            }
            '"' => {
                let (value, after) = quoted(rest)?;
                tokens.push(Token::Str(value));
                rest = after;
            }
            _ => {
                let end = rest.find([' ', ':', ',']).unwrap_or(rest.len());
                tokens.push(Token::Str(Cow::Borrowed(&rest[..end])));
                rest = &rest[end..];
            }
        }
    }
}

/// A berry line (without its indentation): `key:` gives `(key, None)`, `key: value` gives
/// `(key, Some(value))`.
pub(super) fn berry_pair(content: &str) -> Result<(Cow<'_, str>, Option<Cow<'_, str>>), String> {
    let (key, rest) = if content.starts_with('"') {
        let (key, rest) = quoted(content)?;
        let Some(rest) = rest.strip_prefix(':') else {
            return Err("expected ':' after the quoted key".into());
        };
        (key, rest)
    } else {
        refuse_indicator(content)?;
        let end = key_end(content).ok_or("expected 'key: value' or 'key:'")?;
        (Cow::Borrowed(&content[..end]), &content[end + 1..])
    };
    let value = strip_comment(rest);
    if value.is_empty() {
        return Ok((key, None));
    }
    if !rest.starts_with(' ') {
        return Err("expected a space after ':'".into());
    }
    let value = value.trim_start_matches(' ');
    if value.starts_with('"') {
        let (value, after) = quoted(value)?;
        if !strip_comment(after).is_empty() {
            return Err("unexpected text after the quoted value".into());
        }
        return Ok((key, Some(value)));
    }
    refuse_indicator(value)?;
    Ok((key, Some(Cow::Borrowed(value))))
}

/// Where a plain YAML key ends: the first `:` followed by a space or the end of the line.
fn key_end(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' '))
}

/// The text before a YAML comment (` #`), without trailing spaces.
fn strip_comment(text: &str) -> &str {
    let text = if text.starts_with('#') {
        ""
    } else {
        text.find(" #").map_or(text, |at| &text[..at])
    };
    text.trim_end_matches(' ')
}

/// Refuses YAML that yarn does not write (and a line parser would misread).
fn refuse_indicator(text: &str) -> Result<(), String> {
    let Some(first) = text.chars().next() else {
        return Ok(());
    };
    if matches!(
        first,
        '{' | '[' | '\'' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`'
    ) || text.starts_with("- ")
        || text == "-"
        || text.starts_with("? ")
    {
        return Err(format!(
            "YAML construct starting with {first:?} is outside the subset yarn writes"
        ));
    }
    Ok(())
}

/// A double-quoted string at the start of `text` (JSON escapes), and what follows it.
fn quoted(text: &str) -> Result<(Cow<'_, str>, &str), String> {
    let body = &text[1..];
    let mut end = None;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                end = Some(i);
                break;
            }
            _ => {}
        }
    }
    let end = end.ok_or("unterminated quoted string")?;
    let raw = &body[..end];
    let after = &body[end + 1..];
    if !raw.contains('\\') {
        return Ok((Cow::Borrowed(raw), after));
    }
    Ok((Cow::Owned(unescape(raw)?), after))
}

fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escape = chars.next().ok_or("unterminated escape")?;
        out.push(match escape {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => unicode_escape(&mut chars)?,
            other => return Err(format!("unsupported escape \\{other} in a quoted string")),
        });
    }
    Ok(out)
}

/// `\uXXXX`, combining a UTF-16 surrogate pair when the first unit is a high surrogate.
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> Result<char, String> {
    let high = hex4(chars)?;
    if !(0xD800..0xDC00).contains(&high) {
        return char::from_u32(high).ok_or_else(|| format!("invalid escape \\u{high:04x}"));
    }
    if chars.next() != Some('\\') || chars.next() != Some('u') {
        return Err(format!("unpaired surrogate \\u{high:04x}"));
    }
    let low = hex4(chars)?;
    if !(0xDC00..0xE000).contains(&low) {
        return Err(format!("unpaired surrogate \\u{high:04x}"));
    }
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(code).ok_or_else(|| format!("invalid escape \\u{high:04x}\\u{low:04x}"))
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Result<u32, String> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or("expected four hex digits after \\u")?;
        value = value * 16 + digit;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Token<'_> {
        Token::Str(Cow::Borrowed(text))
    }

    #[test]
    fn classic_lines() {
        assert_eq!(
            classic_tokens(r#""@a/b@^1", c@2:"#),
            Ok(vec![s("@a/b@^1"), Token::Comma, s("c@2"), Token::Colon])
        );
        assert_eq!(
            classic_tokens(r#"resolved "https://x/y.tgz#abc" # note"#),
            Ok(vec![s("resolved"), s("https://x/y.tgz#abc")])
        );
        assert_eq!(
            classic_tokens(r#""a\"b\u00e9\ud83d\ude00""#),
            Ok(vec![Token::Str(Cow::Owned("a\"b\u{e9}\u{1f600}".into()))])
        );
        assert!(classic_tokens(r#""open"#).is_err());
        assert!(classic_tokens(r#""\ud83d""#).is_err());
        assert!(classic_tokens(r#""\q""#).is_err());
    }

    #[test]
    fn berry_lines() {
        assert_eq!(
            berry_pair(r#""a@npm:^1, a@npm:^2":"#),
            Ok((Cow::Borrowed("a@npm:^1, a@npm:^2"), None))
        );
        assert_eq!(
            berry_pair("checksum: 10/abc # trailing"),
            Ok((Cow::Borrowed("checksum"), Some(Cow::Borrowed("10/abc"))))
        );
        assert_eq!(
            berry_pair("chokidar: npm:^3.4.0"),
            Ok((Cow::Borrowed("chokidar"), Some(Cow::Borrowed("npm:^3.4.0"))))
        );
        assert!(berry_pair("engines: {node: 1}").is_err());
        assert!(berry_pair("list: [a]").is_err());
        assert!(berry_pair("&anchor a: b").is_err());
        assert!(berry_pair("key:value").is_err());
        assert!(berry_pair("no colon").is_err());
    }

    #[test]
    fn indentation_rules() {
        assert_eq!(indentation("    a b"), Ok(Some((2, "a b"))));
        assert_eq!(indentation("  # comment"), Ok(None));
        assert_eq!(indentation("   \r"), Ok(None));
        assert!(indentation("   a").is_err());
        assert!(indentation("\ta").is_err());
    }
}
