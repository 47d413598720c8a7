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
//! - [`MemoryTiles`]: a [`TileSource`] in memory, for tests, benchmarks and small tools.
//!
//! How a subtree hash `MTH(D[lo:hi])` comes out of tiles: an aligned range of `2^k` leaves is
//! the perfect tree over `2^(k mod 8)` consecutive stored hashes of level `⌊k/8⌋`, all in one
//! tile; any other range splits as RFC 9162 §2.1.1 does. Tiles are read only at the width they
//! have at the tree size asked for (the rightmost tile of a level is partial, its width the
//! number of complete hashes of that level in it), so nothing beyond `size` is ever read, and
//! each call keeps the tiles it read: a proof reads each tile once.
//!
//! Why [`Edge::root`] needs nothing but the edge: the tree head combines the complete subtrees
//! of the size's binary decomposition, one per set bit `k`, starting at `size` rounded down to
//! a multiple of `2^(k+1)`. At level `L = ⌊k/8⌋` that start is a multiple of `2^(k+1)`, which
//! divides `256^(L+1)`, so it is at or after the start of the rightmost tile of level `L`
//! (`size` rounded down to a multiple of `256^(L+1)`), and the subtree ends at or before
//! `size`: its hashes are all in that level's partial tile.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::hash::{empty_root, node_hash};
use crate::{Error, Hash};

/// Levels of the Merkle tree per tile level: a tile is 2^8 = 256 hashes wide at most.
pub const TILE_HEIGHT: u32 = 8;
/// Hashes in a full tile.
pub const TILE_WIDTH: u64 = 256;
/// The highest tile level C2SP tlog-tiles allows.
const MAX_LEVEL: u8 = 63;
/// The most entries in a bundle: one per hash of a level-0 tile.
const MAX_BUNDLE_ENTRIES: usize = 256;

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
        let mut path = String::from("tile/");
        match self.kind {
            TileKind::Hashes { level } => {
                let _ = write!(path, "{level}/");
            }
            TileKind::Entries => path.push_str("entries/"),
        }
        let mut groups = Vec::with_capacity(7);
        let mut n = self.index;
        loop {
            groups.push(n % 1000);
            n /= 1000;
            if n == 0 {
                break;
            }
        }
        for (i, group) in groups.iter().rev().enumerate() {
            let _ = match i + 1 == groups.len() {
                true => write!(path, "{group:03}"),
                false => write!(path, "x{group:03}/"),
            };
        }
        if self.is_partial() {
            let _ = write!(path, ".p/{}", self.width);
        }
        path
    }

    /// Parses a path made by [`TileId::path`]; anything else (leading zeros groups out of
    /// place, a width of 0 or 256 written as partial, a level above 63, trailing parts) is
    /// [`Error::TilePath`].
    pub fn parse_path(path: &str) -> Result<Self, Error> {
        let bad = |reason| Error::TilePath { reason };
        // The longest path is `tile/entries/x018/x446/x744/x073/x709/x551/615.p/255`.
        if path.len() > 64 {
            return Err(bad("longer than any tile path"));
        }
        let rest = path
            .strip_prefix("tile/")
            .ok_or(bad("it does not start with tile/"))?;
        let (kind, rest) = rest.split_once('/').ok_or(bad("there is no tile index"))?;
        let kind = match kind {
            "entries" => TileKind::Entries,
            level => TileKind::Hashes {
                level: decimal(level)
                    .and_then(|l| u8::try_from(l).ok())
                    .filter(|&l| l <= MAX_LEVEL)
                    .ok_or(bad(
                        "the level is not 0 to 63 in decimal without leading zeros",
                    ))?,
            },
        };
        let (groups, width) = match rest.split_once(".p/") {
            None => (rest, 256),
            Some((groups, width)) => (
                groups,
                decimal(width)
                    .and_then(|w| u16::try_from(w).ok())
                    .filter(|w| (1..256).contains(w))
                    .ok_or(bad(
                        "the width is not 1 to 255 in decimal without leading zeros",
                    ))?,
            ),
        };
        let mut index: u64 = 0;
        let mut groups = groups.split('/').peekable();
        while let Some(group) = groups.next() {
            let digits = match groups.peek() {
                Some(_) => group
                    .strip_prefix('x')
                    .ok_or(bad("an index group other than the last lacks its x"))?,
                None => group,
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("an index group is not three digits"));
            }
            let value: u64 = digits
                .parse()
                .map_err(|_| bad("an index group is not three digits"))?;
            index = index
                .checked_mul(1000)
                .and_then(|n| n.checked_add(value))
                .ok_or(bad("the index does not fit 64 bits"))?;
        }
        let tile = Self { kind, index, width };
        if tile.path() != path {
            return Err(bad("the index has leading zero groups"));
        }
        Ok(tile)
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
        let mut tiles = Vec::new();
        for level in 0..=MAX_LEVEL {
            let count = stored_count(size, level);
            if count == 0 {
                break;
            }
            let kind = TileKind::Hashes { level };
            tiles.extend((0..count / TILE_WIDTH).map(|index| TileId {
                kind,
                index,
                width: 256,
            }));
            if !count.is_multiple_of(TILE_WIDTH) {
                tiles.push(hash_tile(level, count));
            }
        }
        tiles
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
    match size {
        0 => Ok(empty_root()),
        _ => Reader::new(size, source).subtree(0, size),
    }
}

/// The RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves, read from tiles;
/// equal to [`crate::inclusion_proof`] over the same leaves.
pub fn prove_inclusion(
    index: u64,
    size: u64,
    source: &impl TileSource,
) -> Result<Vec<Hash>, Error> {
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let mut reader = Reader::new(size, source);
    let mut proof = Vec::with_capacity(64);
    reader.path(index, 0, size, &mut proof)?;
    Ok(proof)
}

/// The RFC 9162 consistency proof from `old_size` to `new_size`, read from tiles; equal to
/// [`crate::consistency_proof`] over the same leaves.
pub fn prove_consistency(
    old_size: u64,
    new_size: u64,
    source: &impl TileSource,
) -> Result<Vec<Hash>, Error> {
    if old_size > new_size {
        return Err(Error::SizesReversed {
            old: old_size,
            new: new_size,
        });
    }
    let mut proof = Vec::with_capacity(64);
    if old_size > 0 && old_size < new_size {
        Reader::new(new_size, source).subproof(old_size, 0, new_size, true, &mut proof)?;
    }
    Ok(proof)
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
    if level > MAX_LEVEL || index >= stored_count(size, level) {
        return Err(Error::StoredHashOutOfRange { level, index, size });
    }
    let mut reader = Reader::new(size, source);
    let tile = reader.tile(level, index / TILE_WIDTH)?;
    Ok(tile[(index % TILE_WIDTH) as usize])
}

/// The right edge of a tiled tree: its size and the hashes of the rightmost tile at every
/// level (possibly empty). All an appender needs to hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edge {
    size: u64,
    /// `partial[L]`: the stored hashes of level `L` in its rightmost, not yet full tile; one
    /// entry per level that has at least one stored hash.
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
        let mut partial = Vec::new();
        for level in 0..=MAX_LEVEL {
            let count = stored_count(size, level);
            if count == 0 {
                break;
            }
            let hashes = match count % TILE_WIDTH {
                0 => Vec::with_capacity(TILE_WIDTH as usize),
                _ => {
                    let tile = hash_tile(level, count);
                    let mut hashes = decode_tile(tile, &source.read_tile(tile)?)?;
                    hashes.reserve(TILE_WIDTH as usize - hashes.len());
                    hashes
                }
            };
            partial.push(hashes);
        }
        Ok(Self { size, partial })
    }

    /// The number of leaves.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The tree head, computed from the edge alone (see the module documentation for why
    /// that is enough).
    #[must_use]
    pub fn root(&self) -> Hash {
        let mut root: Option<Hash> = None;
        // From the smallest subtree (the rightmost) to the largest: MTH nests to the right.
        for k in (0..u64::BITS).filter(|k| self.size >> k & 1 == 1) {
            let level = (k / TILE_HEIGHT) as usize;
            let start = self.size.checked_shr(k + 1).unwrap_or(0) << (k + 1);
            let first = (start >> (TILE_HEIGHT as usize * level)) % TILE_WIDTH;
            let first = first as usize;
            let hashes = self
                .partial
                .get(level)
                .and_then(|tile| tile.get(first..first + (1 << (k % TILE_HEIGHT))))
                .expect("the subtrees of the size's bits are in the partial tiles");
            let subtree = perfect_root(hashes);
            root = Some(match root {
                None => subtree,
                Some(right) => node_hash(&subtree, &right),
            });
        }
        root.unwrap_or_else(empty_root)
    }

    /// Appends leaf hashes; returns every hash tile this changed or created, with its full
    /// new content (`width * 32` bytes), in (level, index) order. A tile that became full is
    /// returned with width 256; a still-partial one with its new width. Writing these tiles
    /// (and the entries) and then the new checkpoint is a complete append.
    pub fn append(&mut self, leaf_hashes: &[Hash]) -> Vec<(TileId, Vec<u8>)> {
        let mut tiles = Vec::new();
        let mut touched = vec![false; self.partial.len()];
        for leaf in leaf_hashes {
            self.size = self
                .size
                .checked_add(1)
                .expect("a log never holds 2^64 leaves");
            let mut hash = *leaf;
            let mut level = 0;
            loop {
                if level == self.partial.len() {
                    self.partial.push(Vec::with_capacity(TILE_WIDTH as usize));
                    touched.push(false);
                }
                touched[level] = true;
                let tile = &mut self.partial[level];
                tile.push(hash);
                if tile.len() < TILE_WIDTH as usize {
                    break;
                }
                // The tile is full: store it, and its root becomes the next level's hash.
                let count = stored_count(self.size, level as u8);
                tiles.push((hash_tile(level as u8, count - 1).full(), to_bytes(tile)));
                hash = perfect_root(tile);
                tile.clear();
                level += 1;
            }
        }
        for (level, tile) in self.partial.iter().enumerate() {
            if touched[level] && !tile.is_empty() {
                let count = stored_count(self.size, level as u8);
                tiles.push((hash_tile(level as u8, count), to_bytes(tile)));
            }
        }
        tiles.sort_by_key(|(tile, _)| *tile);
        tiles
    }
}

/// An entry bundle: each entry as a big-endian `u16` length, then its bytes. Entries longer
/// than 65,535 bytes are [`Error::EntryTooLong`]; more than 256 entries (a bundle holds those
/// of one level-0 tile) are [`Error::EntryBundle`].
pub fn entry_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Result<Vec<u8>, Error> {
    let mut bundle = Vec::new();
    for (n, entry) in entries.into_iter().enumerate() {
        if n == MAX_BUNDLE_ENTRIES {
            return Err(Error::EntryBundle {
                reason: "more than 256 entries",
            });
        }
        let len =
            u16::try_from(entry.len()).map_err(|_| Error::EntryTooLong { len: entry.len() })?;
        bundle.extend_from_slice(&len.to_be_bytes());
        bundle.extend_from_slice(entry);
    }
    Ok(bundle)
}

/// The entries of a bundle; truncated or trailing bytes, or more than 256 entries, are
/// [`Error::EntryBundle`].
pub fn parse_entry_bundle(bundle: &[u8]) -> Result<Vec<&[u8]>, Error> {
    let mut entries = Vec::new();
    let mut rest = bundle;
    while !rest.is_empty() {
        if entries.len() == MAX_BUNDLE_ENTRIES {
            return Err(Error::EntryBundle {
                reason: "bytes after the 256th entry",
            });
        }
        let [hi, lo, tail @ ..] = rest else {
            return Err(Error::EntryBundle {
                reason: "a length prefix is cut short",
            });
        };
        let len = usize::from(u16::from_be_bytes([*hi, *lo]));
        if tail.len() < len {
            return Err(Error::EntryBundle {
                reason: "an entry is cut short",
            });
        }
        let (entry, tail) = tail.split_at(len);
        entries.push(entry);
        rest = tail;
    }
    Ok(entries)
}

/// Tiles held in memory, by kind and index, each at the widest version given: a
/// [`TileSource`] for tests, benchmarks and tools that hold a small log whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryTiles {
    tiles: BTreeMap<(TileKind, u64), Vec<u8>>,
}

impl MemoryTiles {
    /// No tiles.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores a tile (as [`Edge::append`] returns it); a narrower version of a tile already
    /// held does not replace it, an equal or wider one does.
    pub fn insert(&mut self, tile: TileId, data: Vec<u8>) {
        let slot = self.tiles.entry((tile.kind, tile.index)).or_default();
        if data.len() >= slot.len() {
            *slot = data;
        }
    }

    /// The bytes held for a tile's kind and index, whatever their width.
    #[must_use]
    pub fn get(&self, kind: TileKind, index: u64) -> Option<&[u8]> {
        self.tiles.get(&(kind, index)).map(Vec::as_slice)
    }

    /// The number of tiles held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    /// Whether no tile is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }
}

impl TileSource for MemoryTiles {
    fn read_tile(&self, tile: TileId) -> Result<Cow<'_, [u8]>, Error> {
        let want = usize::from(tile.width) * Hash::LEN;
        match self.tiles.get(&(tile.kind, tile.index)) {
            Some(data) if data.len() >= want => Ok(Cow::Borrowed(data)),
            _ => Err(Error::TileMissing { path: tile.path() }),
        }
    }
}

/// A decimal number as tlog-tiles writes them: ASCII digits, no sign, no leading zero.
fn decimal(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    text.parse().ok().filter(|_| canonical)
}

/// The number of stored hashes at `level` in a tree of `size` leaves: `⌊size / 256^level⌋`.
fn stored_count(size: u64, level: u8) -> u64 {
    size.checked_shr(TILE_HEIGHT * u32::from(level))
        .unwrap_or(0)
}

/// The tile at `level` that holds stored hash `count - 1`... as it is when the level holds
/// `count` hashes: index `⌊count / 256⌋`, width `count mod 256` (the partial tile; callers
/// make it full where the level's tile just filled).
fn hash_tile(level: u8, count: u64) -> TileId {
    TileId {
        kind: TileKind::Hashes { level },
        index: count / TILE_WIDTH,
        width: (count % TILE_WIDTH) as u16,
    }
}

impl TileId {
    /// The same tile, full.
    fn full(self) -> Self {
        Self { width: 256, ..self }
    }
}

/// The first `tile.width` hashes of a tile's bytes.
fn decode_tile(tile: TileId, data: &[u8]) -> Result<Vec<Hash>, Error> {
    let want = usize::from(tile.width) * Hash::LEN;
    let data = data.get(..want).ok_or_else(|| Error::TileMalformed {
        path: tile.path(),
        reason: format!("{} bytes where {want} are expected", data.len()),
    })?;
    Ok(data
        .chunks_exact(Hash::LEN)
        .map(|chunk| Hash::new(chunk.try_into().expect("chunks of 32 bytes")))
        .collect())
}

fn to_bytes(hashes: &[Hash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| *h.as_bytes()).collect()
}

/// The root of the perfect tree over a power-of-two number of hashes.
fn perfect_root(hashes: &[Hash]) -> Hash {
    match hashes {
        [hash] => *hash,
        _ => {
            let (left, right) = hashes.split_at(hashes.len() / 2);
            node_hash(&perfect_root(left), &perfect_root(right))
        }
    }
}

/// `k`, the largest power of two smaller than `n`, for `n >= 2` (RFC 9162 §2.1.1).
fn split_point(n: u64) -> u64 {
    1 << (u64::BITS - 1 - (n - 1).leading_zeros())
}

/// Reads tiles for one tree size, keeping each tile it read for the rest of the call.
struct Reader<'s, S> {
    source: &'s S,
    size: u64,
    /// (level, tile index, hashes): a handful per call, so a list beats a map.
    tiles: Vec<(u8, u64, Vec<Hash>)>,
}

impl<'s, S: TileSource> Reader<'s, S> {
    fn new(size: u64, source: &'s S) -> Self {
        Self {
            source,
            size,
            tiles: Vec::new(),
        }
    }

    /// The hashes of tile `index` at `level`, as wide as it is at this size (it must exist).
    fn tile(&mut self, level: u8, index: u64) -> Result<&[Hash], Error> {
        let at = match self
            .tiles
            .iter()
            .position(|(l, i, _)| (*l, *i) == (level, index))
        {
            Some(at) => at,
            None => {
                let count = stored_count(self.size, level);
                let width = (count - index * TILE_WIDTH).min(TILE_WIDTH);
                let tile = TileId {
                    kind: TileKind::Hashes { level },
                    index,
                    width: width as u16,
                };
                let hashes = decode_tile(tile, &self.source.read_tile(tile)?)?;
                self.tiles.push((level, index, hashes));
                self.tiles.len() - 1
            }
        };
        Ok(&self.tiles[at].2)
    }

    /// `MTH(D[lo:hi])`, `lo < hi <= size`.
    fn subtree(&mut self, lo: u64, hi: u64) -> Result<Hash, Error> {
        let n = hi - lo;
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let k = n.trailing_zeros();
            let level = (k / TILE_HEIGHT) as u8;
            let first = lo >> (TILE_HEIGHT * u32::from(level));
            let offset = (first % TILE_WIDTH) as usize;
            let tile = self.tile(level, first / TILE_WIDTH)?;
            let hashes = tile
                .get(offset..offset + (1 << (k % TILE_HEIGHT)))
                .expect("an aligned subtree below the size lies in one tile");
            return Ok(perfect_root(hashes));
        }
        let k = split_point(n);
        let left = self.subtree(lo, lo + k)?;
        let right = self.subtree(lo + k, hi)?;
        Ok(node_hash(&left, &right))
    }

    /// RFC 9162 `PATH(m, D[lo:hi])`, `lo <= m < hi`, appended to `proof`.
    fn path(&mut self, m: u64, lo: u64, hi: u64, proof: &mut Vec<Hash>) -> Result<(), Error> {
        if hi - lo <= 1 {
            return Ok(());
        }
        let mid = lo + split_point(hi - lo);
        if m < mid {
            self.path(m, lo, mid, proof)?;
            proof.push(self.subtree(mid, hi)?);
        } else {
            self.path(m, mid, hi, proof)?;
            proof.push(self.subtree(lo, mid)?);
        }
        Ok(())
    }

    /// RFC 9162 `SUBPROOF(m, D[lo:hi], complete)`, `lo < m <= hi`, appended to `proof`.
    fn subproof(
        &mut self,
        m: u64,
        lo: u64,
        hi: u64,
        complete: bool,
        proof: &mut Vec<Hash>,
    ) -> Result<(), Error> {
        if m == hi {
            if !complete {
                proof.push(self.subtree(lo, hi)?);
            }
            return Ok(());
        }
        let mid = lo + split_point(hi - lo);
        if m <= mid {
            self.subproof(m, lo, mid, complete, proof)?;
            proof.push(self.subtree(mid, hi)?);
        } else {
            self.subproof(m, mid, hi, false, proof)?;
            proof.push(self.subtree(lo, mid)?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: TileKind, index: u64, width: u16) -> TileId {
        TileId { kind, index, width }
    }

    #[test]
    fn paths_as_the_spec_spells_them() {
        let l = |level| TileKind::Hashes { level };
        for (tile, path) in [
            (id(l(0), 1_234_067, 256), "tile/0/x001/x234/067"),
            (id(l(1), 5, 17), "tile/1/005.p/17"),
            (id(TileKind::Entries, 0, 256), "tile/entries/000"),
            (id(l(63), 1000, 1), "tile/63/x001/000.p/1"),
            (
                id(TileKind::Entries, u64::MAX, 255),
                "tile/entries/x018/x446/x744/x073/x709/x551/615.p/255",
            ),
        ] {
            assert_eq!(tile.path(), path);
            assert_eq!(TileId::parse_path(path), Ok(tile));
        }
    }

    #[test]
    fn the_spec_example_sizes() {
        // 70,000 leaves: 273 full level-0 tiles and one of width 112, one full level-1 tile
        // and one of width 17, one level-2 tile of width 1.
        let tiles = TileId::tiles_for_size(70_000);
        assert_eq!(tiles.len(), 273 + 1 + 1 + 1 + 1);
        assert_eq!(tiles[273].path(), "tile/0/273.p/112");
        assert_eq!(tiles[275].path(), "tile/1/001.p/17");
        assert_eq!(tiles[276].path(), "tile/2/000.p/1");
        let paths: Vec<String> = TileId::tiles_for_size(256)
            .iter()
            .map(TileId::path)
            .collect();
        assert_eq!(paths, ["tile/0/000", "tile/1/000.p/1"]);
        assert!(TileId::tiles_for_size(0).is_empty());
    }

    #[test]
    fn split_point_is_the_largest_power_of_two_below() {
        let got: Vec<u64> = (2..=9).map(split_point).collect();
        assert_eq!(got, [1, 2, 2, 4, 4, 4, 4, 8]);
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }
}
