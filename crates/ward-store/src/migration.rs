//! Numbered migrations, as each backend lists its own. A database records the versions
//! applied to it; opening applies the missing ones in order and refuses a database that
//! went further than this ward knows ([`Error::TooNew`]). An applied migration is never
//! edited: each file's SHA-256 is pinned by a test of its backend.

use crate::{Error, Result};

/// One step of a backend's schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    /// 1, 2, 3, ... without gaps.
    pub(crate) version: i64,
    /// What it does, for `schema_migrations`.
    pub(crate) name: &'static str,
    /// The statements.
    pub(crate) sql: &'static str,
}

/// The migrations after `applied` (the highest version a database has), or
/// [`Error::TooNew`] when the database is ahead of `known`.
pub(crate) fn pending(known: &'static [Migration], applied: i64) -> Result<&'static [Migration]> {
    let supported = known.last().map_or(0, |m| m.version);
    if applied > supported {
        return Err(Error::TooNew {
            found: applied,
            supported,
        });
    }
    Ok(known
        .iter()
        .position(|m| m.version > applied)
        .map_or(&[][..], |i| &known[i..]))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const KNOWN: &[Migration] = &[
        Migration {
            version: 1,
            name: "a",
            sql: "",
        },
        Migration {
            version: 2,
            name: "b",
            sql: "",
        },
    ];

    #[test]
    fn pending_is_what_follows_the_applied_version() {
        assert_eq!(pending(KNOWN, 0).map(<[_]>::len).ok(), Some(2));
        assert_eq!(
            pending(KNOWN, 1).ok().map(|p| p[0].version),
            Some(2),
            "only the second"
        );
        assert_eq!(pending(KNOWN, 2).map(<[_]>::len).ok(), Some(0));
        assert!(matches!(
            pending(KNOWN, 3),
            Err(Error::TooNew {
                found: 3,
                supported: 2
            })
        ));
    }

    /// Every list is numbered 1, 2, 3, ... in order.
    pub(crate) fn assert_numbered(list: &[Migration]) {
        for (i, m) in list.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {}", m.name);
        }
    }

    #[test]
    fn the_test_list_is_numbered() {
        assert_numbered(KNOWN);
    }
}
