//! The log stored as C2SP tlog tiles (<https://c2sp.org/tlog-tiles>): tiles of height 8, so a
//! tile holds up to 256 hashes; level-`L` tile `N` holds the stored hashes at level `L`
//! (each the root of a complete subtree of `256^L` leaves) from `256·N` on.
//!
//! - [`TileId`]: a tile or an entry bundle, and its path (`tile/0/x001/234`,
//!   `tile/1/005.p/17`, `tile/entries/000`), both ways.
//! - [`TileSource`]: where tiles are read from (a database, files, HTTP).
//! - [`tree_hash`], [`prove_inclusion`], [`prove_consistency`]: tree heads and RFC 9162 proofs
//!   read from tiles, O(log n) tile reads, equal to what [`crate::Tree`] computes.
//! - [`Edge`]: the right edge of the tree (the rightmost tile at each level), enough to append
//!   a batch of leaves and know which tiles changed, without reading anything else.
//! - [`entry_bundle`] / [`parse_entry_bundle`]: entries as big-endian `u16`-length-prefixed
//!   records.

use std::borrow::Cow;

use crate::{Error, Hash};

/// Levels of the Merkle tree per tile level: a tile is 2^8 = 256 hashes wide at most.
pub const TILE_HEIGHT: u32 = 8;
/// Hashes in a full tile.
pub const TILE_WIDTH: u64 = 256;

/// What a tile holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// Stored hashes of this level (0 is the leaf hashes).
    Hashes {
        /// The tile level, 0..=63.
        level: u8,
    },
    /// An entry bundle: the entries themselves, for level-0 tile of the same index.
    Entries,
}

/// One tile: its kind, index and width (1..=256; 256 is a full tile, anything less is the
/// partial tile `.p/<width>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Hashes of a level, or entries.
    pub kind: TileKind,
    /// The tile index N at its level.
    pub index: u64,
    /// Hashes (or entries) in it, 1..=256.
    pub width: u16,
}

impl TileId {
    /// The tile's path under the log's prefix, as C2SP tlog-tiles spells it:
    /// `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, N in 3-digit groups with all but
    /// the last prefixed by `x` (`1234067` is `x001/x234/067`).
    #[must_use]
    pub fn path(&self) -> String {
        todo!()
    }

    /// Parses a path made by [`TileId::path`]; anything else (leading zeros groups out of
    /// place, a width of 0 or 256 written as partial, a level above 63, trailing parts) is
    /// [`Error::TilePath`].
    pub fn parse_path(path: &str) -> Result<Self, Error> {
        todo!()
    }

    /// Whether this is a partial tile (`width < 256`).
    #[must_use]
    pub fn is_partial(&self) -> bool {
        u64::from(self.width) < TILE_WIDTH
    }

    /// The tiles (hash tiles of every level, not entries) that a tree of `size` leaves
    /// consists of: every full tile and the rightmost partial tile at each level.
    /// Used by full audits that fetch the whole tree.
    #[must_use]
    pub fn tiles_for_size(size: u64) -> Vec<TileId> {
        todo!()
    }
}

/// Where tiles are read from. A tile is returned exactly `width * 32` bytes long for hash
/// tiles; a source may return a wider stored tile, of which the first `width` hashes are used.
pub trait TileSource {
    /// Reads one hash tile. A missing tile is `Error::TileMissing`; a short one is
    /// `Error::TileMalformed`.
    fn read_tile(&self, tile: TileId) -> Result<Cow<'_, [u8]>, Error>;
}

/// The tree head of the first `size` leaves, read from tiles.
pub fn tree_hash(size: u64, source: &impl TileSource) -> Result<Hash, Error> {
    todo!()
}

/// The RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves, read from tiles;
/// equal to [`crate::inclusion_proof`] over the same leaves.
pub fn prove_inclusion(
    index: u64,
    size: u64,
    source: &impl TileSource,
) -> Result<Vec<Hash>, Error> {
    todo!()
}

/// The RFC 9162 consistency proof from `old_size` to `new_size`, read from tiles; equal to
/// [`crate::consistency_proof`] over the same leaves.
pub fn prove_consistency(
    old_size: u64,
    new_size: u64,
    source: &impl TileSource,
) -> Result<Vec<Hash>, Error> {
    todo!()
}

/// The stored hash at `level` (tile level, 0 = leaf hashes) and `index`: the root of leaves
/// `[index·256^level, (index+1)·256^level)`, read from tiles. Exposed for full audits that
/// walk the tree and must name the first entry whose hash disagrees.
pub fn stored_hash(
    level: u8,
    index: u64,
    size: u64,
    source: &impl TileSource,
) -> Result<Hash, Error> {
    todo!()
}

/// The right edge of a tiled tree: its size and the hashes of the rightmost tile at every
/// level (possibly empty). All an appender needs to hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edge {
    size: u64,
    /// `partial[L]`: the stored hashes of level `L` in its rightmost, not yet full tile.
    partial: Vec<Vec<Hash>>,
}

impl Edge {
    /// The edge of the empty tree.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads the edge of a tree of `size` leaves: reads the rightmost partial tile of each level.
    pub fn load(size: u64, source: &impl TileSource) -> Result<Self, Error> {
        todo!()
    }

    /// The number of leaves.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The tree head, computed from the edge alone.
    #[must_use]
    pub fn root(&self) -> Hash {
        todo!()
    }

    /// Appends leaf hashes; returns every hash tile this changed or created, with its full
    /// new content (`width * 32` bytes), in (level, index) order. A tile that became full is
    /// returned with width 256; a still-partial one with its new width. Writing these tiles
    /// (and the entries) and then the new checkpoint is a complete append.
    pub fn append(&mut self, leaf_hashes: &[Hash]) -> Vec<(TileId, Vec<u8>)> {
        todo!()
    }
}

/// An entry bundle: each entry as a big-endian `u16` length, then its bytes. Entries longer
/// than 65,535 bytes are [`Error::EntryTooLong`].
pub fn entry_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Result<Vec<u8>, Error> {
    todo!()
}

/// The entries of a bundle; truncated or trailing bytes are [`Error::EntryBundle`].
pub fn parse_entry_bundle(bundle: &[u8]) -> Result<Vec<&[u8]>, Error> {
    todo!()
}
