//! The transparency log's append, the same for both backends: each backend gives the rows of
//! one transaction ([`LogTx`]), this module does the tree.
//!
//! An append reads the head (locked until commit), the rightmost tile of each level (the
//! tree's right edge, [`ward_log::tile::Edge`]), hashes the new entries in, writes the
//! entries, every tile that changed and the new signed checkpoint, and commits. Nothing of it
//! is visible before the commit and all of it after: a caller told "appended" can prove it at
//! once, a crash before the commit leaves the log as it was.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use ward_log::tile::{Edge, MemoryTiles, TILE_WIDTH, TileId, TileKind, TileSource};
use ward_log::{Hash, leaf_hash};

use crate::{Error, LogAppended, LogHead, Result, SignCheckpoint};

/// The row of the log's head, as read under its lock.
#[derive(Debug, Clone)]
pub(crate) struct HeadRow {
    pub(crate) size: u64,
    pub(crate) audit_seq: i64,
}

/// What an append needs of a backend's transaction.
pub(crate) trait LogTx {
    /// The head, locked until the transaction ends.
    fn lock_head(&mut self) -> Result<HeadRow>;
    /// A stored hash tile (possibly wider than a partial read needs).
    fn tile(&mut self, level: u8, index: u64) -> Result<Option<Vec<u8>>>;
    /// Writes (inserts or replaces) a hash tile.
    fn put_tile(&mut self, level: u8, index: u64, data: &[u8]) -> Result<()>;
    /// Inserts an entry.
    fn put_entry(&mut self, index: u64, leaf: &Hash, data: &[u8]) -> Result<()>;
    /// Sets the new head.
    fn set_head(&mut self, size: u64, audit_seq: i64, checkpoint: &str) -> Result<()>;
}

/// One entry to append; `audit_seq` is set when it records an audit event.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) data: Vec<u8>,
    pub(crate) audit_seq: Option<i64>,
}

/// Release signatures and other entries given as they are.
pub(crate) fn pending(entries: &[Vec<u8>]) -> Vec<Pending> {
    entries
        .iter()
        .map(|data| Pending {
            data: data.clone(),
            audit_seq: None,
        })
        .collect()
}

/// Audit events, as [`ward_desk::ledger::audit_entry`] records them.
pub(crate) fn pending_audit(events: &[ward_desk::audit::Event]) -> Vec<Pending> {
    events
        .iter()
        .map(|e| Pending {
            data: ward_desk::ledger::audit_entry(e.seq, &e.hash),
            audit_seq: Some(e.seq),
        })
        .collect()
}

/// Appends `entries` (possibly none: the head is then re-signed, which is how an empty log
/// gets its first checkpoint).
pub(crate) fn append(
    tx: &mut impl LogTx,
    entries: &[Pending],
    sign: SignCheckpoint<'_>,
) -> Result<LogAppended> {
    let head = tx.lock_head()?;
    // The edge's tiles, read in this transaction; one missing or too short is reported by
    // `Edge::load` with its path.
    let mut edge_tiles = MemoryTiles::new();
    for (level, index, width) in edge_tiles_of(head.size) {
        if let Some(data) = tx.tile(level, index)? {
            let id = TileId {
                kind: TileKind::Hashes { level },
                index,
                width,
            };
            edge_tiles.insert(id, data);
        }
    }
    let mut edge = Edge::load(head.size, &edge_tiles).map_err(log_corrupt)?;

    let leaves: Vec<Hash> = entries.iter().map(|e| leaf_hash(&e.data)).collect();
    let first = head.size;
    for (i, (entry, leaf)) in entries.iter().zip(&leaves).enumerate() {
        if entry.data.len() > usize::from(u16::MAX) {
            return Err(Error::Invalid(format!(
                "a log entry is {} bytes long; at most 65535 fit",
                entry.data.len()
            )));
        }
        tx.put_entry(first + i as u64, leaf, &entry.data)?;
    }
    for (tile, data) in edge.append(&leaves) {
        let TileKind::Hashes { level } = tile.kind else {
            continue;
        };
        tx.put_tile(level, tile.index, &data)?;
    }
    let size = edge.size();
    let root = edge.root();
    let checkpoint = sign(size, &root).map_err(|e| Error::Invalid(format!("signing: {e}")))?;
    let audit_seq = entries
        .iter()
        .filter_map(|e| e.audit_seq)
        .max()
        .unwrap_or(head.audit_seq);
    tx.set_head(size, audit_seq, &checkpoint)?;
    Ok(LogAppended {
        first,
        head: LogHead {
            size,
            audit_seq,
            checkpoint,
        },
    })
}

/// The rightmost, partial tile of each level at `size`: (level, index, width).
fn edge_tiles_of(size: u64) -> Vec<(u8, u64, u16)> {
    let mut out = Vec::new();
    let mut count = size;
    let mut level = 0u8;
    while count > 0 {
        let width = count % TILE_WIDTH;
        if width > 0 {
            // width < 256 fits a u16.
            out.push((level, count / TILE_WIDTH, width as u16));
        }
        count /= TILE_WIDTH;
        level += 1;
    }
    out
}

fn log_corrupt(err: ward_log::Error) -> Error {
    Error::Corrupt(format!("the log's tiles: {err}"))
}

/// Tiles read, by (level, index).
type Cached = HashMap<(u8, u64), std::rc::Rc<Vec<u8>>>;

/// A [`TileSource`] over a store's tile reads, keeping what it read (a proof reads the same
/// tiles many times) and the first storage error, which the caller returns instead of the
/// tree's "missing tile".
pub struct StoreTiles<'a> {
    read: &'a dyn Fn(u8, u64) -> Result<Option<Vec<u8>>>,
    cache: RefCell<Cached>,
    failure: RefCell<Option<Error>>,
}

impl std::fmt::Debug for StoreTiles<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreTiles").finish_non_exhaustive()
    }
}

impl<'a> StoreTiles<'a> {
    /// Tiles read through `read(level, index)`.
    pub fn new(read: &'a dyn Fn(u8, u64) -> Result<Option<Vec<u8>>>) -> Self {
        StoreTiles {
            read,
            cache: RefCell::default(),
            failure: RefCell::default(),
        }
    }

    /// The storage error behind a failed tree operation, if there was one; otherwise the
    /// tree's own error, as a corrupt log.
    pub fn error(&self, err: ward_log::Error) -> Error {
        self.failure
            .borrow_mut()
            .take()
            .unwrap_or_else(|| log_corrupt(err))
    }
}

impl TileSource for StoreTiles<'_> {
    fn read_tile(&self, tile: TileId) -> std::result::Result<Cow<'_, [u8]>, ward_log::Error> {
        let TileKind::Hashes { level } = tile.kind else {
            return Err(ward_log::Error::TileMissing { path: tile.path() });
        };
        let cached = self.cache.borrow().get(&(level, tile.index)).cloned();
        let data = match cached {
            Some(data) => data,
            None => match (self.read)(level, tile.index) {
                Ok(Some(data)) => {
                    let data = std::rc::Rc::new(data);
                    self.cache
                        .borrow_mut()
                        .insert((level, tile.index), data.clone());
                    data
                }
                Ok(None) => return Err(ward_log::Error::TileMissing { path: tile.path() }),
                Err(err) => {
                    let path = tile.path();
                    *self.failure.borrow_mut() = Some(err);
                    return Err(ward_log::Error::TileMissing { path });
                }
            },
        };
        let len = usize::from(tile.width) * Hash::LEN;
        if data.len() < len {
            return Err(ward_log::Error::TileMalformed {
                path: tile.path(),
                reason: format!("{} bytes where {len} are needed", data.len()),
            });
        }
        Ok(Cow::Owned(data[..len].to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edge_has_one_partial_tile_per_level_with_a_remainder() {
        assert!(edge_tiles_of(0).is_empty());
        assert_eq!(edge_tiles_of(1), [(0, 0, 1)]);
        assert!(edge_tiles_of(256).iter().eq([(1, 0, 1)].iter()));
        assert_eq!(edge_tiles_of(257), [(0, 1, 1), (1, 0, 1)]);
        assert_eq!(edge_tiles_of(65_536), [(2, 0, 1)]);
        assert_eq!(
            edge_tiles_of(65_536 + 256 * 3 + 5),
            [(0, 259, 5), (1, 1, 3), (2, 0, 1)]
        );
    }
}
