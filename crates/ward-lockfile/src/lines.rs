//! Byte offsets to 1-based line numbers, the TOML error conversion the three TOML readers
//! (`Cargo.lock`, `poetry.lock`, `uv.lock`) share, and the size check and byte-order-mark
//! removal the two YAML-like readers (`yarn.lock`, `pnpm-lock.yaml`) share.

use crate::{Error, ErrorKind};

/// The start offset of every line of a text, for offset-to-line lookups in `O(log n)`.
#[derive(Debug)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset` (offsets past the end count as the last line).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX).max(1)
    }
}

/// A TOML error as the crate's [`Error`], at the line of its span.
pub(crate) fn toml_error(origin: &str, content: &str, error: &toml::de::Error) -> Error {
    let line = error
        .span()
        .map(|span| LineIndex::new(content).line(span.start));
    Error::new(
        origin,
        line,
        ErrorKind::Syntax(error.message().trim_end().to_owned()),
    )
}

/// An [`ErrorKind::Unexpected`] at `line`.
pub(crate) fn unexpected(origin: &str, line: Option<u32>, expected: impl Into<String>) -> Error {
    Error::new(
        origin,
        line,
        ErrorKind::Unexpected {
            expected: expected.into(),
        },
    )
}

/// The text of a yarn.lock or pnpm-lock.yaml ready to read: refused over
/// [`crate::MAX_LOCKFILE_SIZE`], without its byte-order mark.
pub(crate) fn sized_text<'a>(origin: &str, content: &'a str) -> Result<&'a str, Error> {
    if content.len() as u64 > crate::MAX_LOCKFILE_SIZE {
        let kind = ErrorKind::TooLarge {
            size: content.len() as u64,
            limit: crate::MAX_LOCKFILE_SIZE,
        };
        return Err(Error::new(origin, None, kind));
    }
    Ok(content.strip_prefix('\u{feff}').unwrap_or(content))
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn offsets_map_to_lines() {
        let index = LineIndex::new("ab\ncd\n\nef");
        let lines: Vec<u32> = (0..10).map(|o| index.line(o)).collect();
        assert_eq!(lines, [1, 1, 1, 2, 2, 2, 3, 4, 4, 4]);
        assert_eq!(LineIndex::new("").line(0), 1);
    }
}
