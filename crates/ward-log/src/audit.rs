//! A full audit of a tiled log against its checkpoint: every entry, every tile, the root.
//!
//! A checkpoint's signature and a consistency proof show that the *tree head* was not
//! rewritten; they say nothing of what a server hands out as entries and tiles. An auditor
//! (`ward log verify`, `ward audit verify`) therefore reads everything and checks, in order:
//!
//! 1. each entry bundle: its leaf hashes equal the level-0 tile's hashes, entry by entry;
//! 2. each level above: every stored hash equals the root of the full tile below it;
//! 3. the tiles lead to the checkpoint's root.
//!
//! The first disagreement is reported with the entry (or the range of entries) it concerns,
//! so an operator knows where the stored log was altered.

use crate::tile::{TILE_WIDTH, TileId, TileKind, TileSource, tree_hash};
use crate::{Checkpoint, Error, Hash, leaf_hash, root};

/// Where an audit found the log inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// An entry whose leaf hash is not the one its tile records (the entry or the tile was
    /// altered).
    #[error(
        "entry {index} is inconsistent: its leaf hash {computed} differs from {tile}'s {stored}"
    )]
    Entry {
        /// The entry's index.
        index: u64,
        /// The tile that records it.
        tile: String,
        /// The leaf hash of the entry as served.
        computed: Hash,
        /// The hash the tile records.
        stored: Hash,
    },
    /// A stored hash above level 0 that is not the root of the tile below it.
    #[error(
        "entries {first}..{end} are inconsistent: {tile} records {stored} for them, the tile below \
         hashes to {computed}"
    )]
    Node {
        /// The first entry covered.
        first: u64,
        /// One past the last entry covered.
        end: u64,
        /// The tile holding the stored hash.
        tile: String,
        /// The root of the tile below.
        computed: Hash,
        /// The stored hash.
        stored: Hash,
    },
    /// An entry bundle with more or fewer entries than the tree size calls for.
    #[error("{tile} holds {actual} entries where {expected} are expected")]
    BundleSize {
        /// The bundle.
        tile: String,
        /// The number the size calls for.
        expected: usize,
        /// The number served.
        actual: usize,
    },
    /// The tiles are consistent among themselves but lead to another root than the signed one.
    #[error("the tiles lead to the root {computed}, not to the checkpoint's {signed}")]
    Root {
        /// The root of the tiles.
        computed: Hash,
        /// The checkpoint's root.
        signed: Hash,
    },
    /// The caller's own check of an entry failed (e.g. an audit event that differs from the
    /// database's).
    #[error("entry {index}: {reason}")]
    Rejected {
        /// The entry's index.
        index: u64,
        /// Why.
        reason: String,
    },
    /// A tile or bundle could not be read.
    #[error(transparent)]
    Read(#[from] Error),
}

/// Reads the entries of a bundle: `(bundle index, width)`.
pub type ReadBundle<'a> = &'a mut dyn FnMut(u64, u16) -> Result<Vec<Vec<u8>>, Error>;
/// The caller's own check of an entry: `(index, entry)`, `Err(reason)` to reject it.
pub type CheckEntry<'a> = &'a mut dyn FnMut(u64, &[u8]) -> Result<(), String>;

/// Audits the log of `checkpoint` (whose signature the caller has checked): `tiles` serves
/// hash tiles, `bundle(index, width)` the entries of an entry bundle, and `check(index,
/// entry)` may reject an entry for the caller's own reasons. Entries are visited in order.
pub fn audit(
    checkpoint: &Checkpoint,
    tiles: &impl TileSource,
    bundle: ReadBundle<'_>,
    check: CheckEntry<'_>,
) -> Result<(), AuditError> {
    let size = checkpoint.size;
    let mut first = 0u64;
    while first < size {
        let index = first / TILE_WIDTH;
        let width = width_at(size - first);
        let entries = bundle(index, width)?;
        let hashes = tiles.read_tile(hash_tile(0, index, width))?;
        if entries.len() != usize::from(width) {
            return Err(AuditError::BundleSize {
                tile: entries_tile(index, width).path(),
                expected: usize::from(width),
                actual: entries.len(),
            });
        }
        for (j, entry) in entries.iter().enumerate() {
            let at = first + j as u64;
            let stored = hash_at(&hashes, j, &hash_tile(0, index, width))?;
            let computed = leaf_hash(entry);
            if computed != stored {
                return Err(AuditError::Entry {
                    index: at,
                    tile: hash_tile(0, index, width).path(),
                    computed,
                    stored,
                });
            }
            check(at, entry).map_err(|reason| AuditError::Rejected { index: at, reason })?;
        }
        first += u64::from(width);
    }

    // Levels above 0: stored hash i of level L is the root of full tile i of level L - 1.
    let mut level: u8 = 1;
    while level < 64 && (size >> (8 * u32::from(level))) > 0 {
        let count = size >> (8 * u32::from(level));
        let span = 1u64 << (8 * u32::from(level));
        let mut i = 0u64;
        while i < count {
            let tile_index = i / TILE_WIDTH;
            let width = width_at(count - tile_index * TILE_WIDTH);
            let id = hash_tile(level, tile_index, width);
            let above = tiles.read_tile(id)?;
            let below_id = hash_tile(level - 1, i, 256);
            let below = tiles.read_tile(below_id)?;
            let leaves: Vec<Hash> = (0..256)
                .map(|k| hash_at(&below, k, &below_id))
                .collect::<Result<_, _>>()?;
            let computed = root(&leaves);
            let stored = hash_at(&above, (i % TILE_WIDTH) as usize, &id)?;
            if computed != stored {
                return Err(AuditError::Node {
                    first: i * span,
                    end: (i + 1) * span,
                    tile: id.path(),
                    computed,
                    stored,
                });
            }
            i += 1;
        }
        level += 1;
    }

    let computed = tree_hash(size, tiles)?;
    if computed != checkpoint.root {
        return Err(AuditError::Root {
            computed,
            signed: checkpoint.root,
        });
    }
    Ok(())
}

/// The width of the tile that starts `remaining` items before the end.
fn width_at(remaining: u64) -> u16 {
    // At most 256.
    remaining.min(TILE_WIDTH) as u16
}

fn hash_tile(level: u8, index: u64, width: u16) -> TileId {
    TileId {
        kind: TileKind::Hashes { level },
        index,
        width,
    }
}

fn entries_tile(index: u64, width: u16) -> TileId {
    TileId {
        kind: TileKind::Entries,
        index,
        width,
    }
}

fn hash_at(tile: &[u8], k: usize, id: &TileId) -> Result<Hash, Error> {
    tile.get(k * Hash::LEN..(k + 1) * Hash::LEN)
        .ok_or_else(|| Error::TileMalformed {
            path: id.path(),
            reason: format!("{} bytes, too short for hash {k}", tile.len()),
        })
        .and_then(Hash::from_slice)
}
