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
use std::cell::RefCell;
use std::collections::HashMap;

use crate::hash::{empty_root, node_hash};
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
        let kind = match self.kind {
            TileKind::Hashes { level } => level.to_string(),
            TileKind::Entries => "entries".to_owned(),
        };
        let mut groups = Vec::new();
        let mut n = self.index;
        loop {
            groups.push(n % 1000);
            n /= 1000;
            if n == 0 {
                break;
            }
        }
        let mut index = String::new();
        for (i, group) in groups.iter().rev().enumerate() {
            if i + 1 < groups.len() {
                index.push_str(&format!("x{group:03}/"));
            } else {
                index.push_str(&format!("{group:03}"));
            }
        }
        if self.is_partial() {
            format!("tile/{kind}/{index}.p/{}", self.width)
        } else {
            format!("tile/{kind}/{index}")
        }
    }

    /// Parses a path made by [`TileId::path`]; anything else (leading zeros groups out of
    /// place, a width of 0 or 256 written as partial, a level above 63, trailing parts) is
    /// [`Error::TilePath`].
    pub fn parse_path(path: &str) -> Result<Self, Error> {
        let bad = |reason| Error::TilePath { reason };
        if path.len() > 200 {
            return Err(bad("too long"));
        }
        let rest = path.strip_prefix("tile/").ok_or(bad("no tile/ prefix"))?;
        let (kind, rest) = rest.split_once('/').ok_or(bad("no index"))?;
        let kind = if kind == "entries" {
            TileKind::Entries
        } else {
            if kind.is_empty() || kind.len() > 2 || !kind.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("the level is not a decimal number"));
            }
            if kind.len() > 1 && kind.starts_with('0') {
                return Err(bad("the level has a leading zero"));
            }
            let level: u8 = kind.parse().map_err(|_| bad("the level is not a number"))?;
            if level > 63 {
                return Err(bad("the level is above 63"));
            }
            TileKind::Hashes { level }
        };
        let (index_part, width) = match rest.split_once(".p/") {
            Some((index, width)) => {
                if width.is_empty()
                    || width.len() > 3
                    || !width.bytes().all(|b| b.is_ascii_digit())
                    || width.starts_with('0')
                {
                    return Err(bad("the width is not a decimal number from 1 to 255"));
                }
                let width: u16 = width
                    .parse()
                    .map_err(|_| bad("the width is not a number"))?;
                if width == 0 || u64::from(width) >= TILE_WIDTH {
                    return Err(bad("a partial tile's width is from 1 to 255"));
                }
                (index, width)
            }
            None => (rest, 256),
        };
        let groups: Vec<&str> = index_part.split('/').collect();
        if groups.len() > 7 {
            return Err(bad("the index has too many groups"));
        }
        let mut index: u64 = 0;
        for (i, group) in groups.iter().enumerate() {
            let digits = if i + 1 < groups.len() {
                group
                    .strip_prefix('x')
                    .ok_or(bad("an index group lacks its x"))?
            } else {
                group
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("an index group is not three digits"));
            }
            let value: u64 = digits
                .parse()
                .map_err(|_| bad("an index group is not a number"))?;
            index = index
                .checked_mul(1000)
                .and_then(|n| n.checked_add(value))
                .ok_or(bad("the index is too large"))?;
        }
        if groups.len() > 1 && groups[0] == "x000" {
            return Err(bad("the index has a leading zero group"));
        }
        Ok(TileId { kind, index, width })
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
        let mut out = Vec::new();
        let mut level = 0u8;
        let mut count = size;
        while count > 0 && level < 64 {
            let full = count / TILE_WIDTH;
            for index in 0..full {
                out.push(hash_tile(level, index, 256));
            }
            let rest = count % TILE_WIDTH;
            if rest > 0 {
                // rest < 256
                out.push(hash_tile(level, full, rest as u16));
            }
            count /= TILE_WIDTH;
            level += 1;
        }
        out
    }
}

fn hash_tile(level: u8, index: u64, width: u16) -> TileId {
    TileId {
        kind: TileKind::Hashes { level },
        index,
        width,
    }
}

/// Where tiles are read from. A tile is returned exactly `width * 32` bytes long for hash
/// tiles; a source may return a wider stored tile, of which the first `width` hashes are used.
pub trait TileSource {
    /// Reads one hash tile. A missing tile is `Error::TileMissing`; a short one is
    /// `Error::TileMalformed`.
    fn read_tile(&self, tile: TileId) -> Result<Cow<'_, [u8]>, Error>;
}

/// Reads stored hashes of a tree of `size` leaves through a source, each tile once.
struct Reader<'a, S: TileSource> {
    size: u64,
    source: &'a S,
    tiles: RefCell<HashMap<(u8, u64), Vec<Hash>>>,
}

impl<'a, S: TileSource> Reader<'a, S> {
    fn new(size: u64, source: &'a S) -> Self {
        Reader {
            size,
            source,
            tiles: RefCell::default(),
        }
    }

    /// Stored hashes `first..first + count` of `level`, all complete at `size`.
    fn hashes(&self, level: u8, first: u64, count: u64) -> Result<Vec<Hash>, Error> {
        let complete = if u32::from(level) * TILE_HEIGHT >= 64 {
            0
        } else {
            self.size >> (u32::from(level) * TILE_HEIGHT)
        };
        if first.checked_add(count).is_none_or(|end| end > complete) {
            return Err(Error::SizeBeyondTree {
                size: first.saturating_add(count),
                len: complete,
            });
        }
        let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        let mut i = first;
        while i < first + count {
            let index = i / TILE_WIDTH;
            let width = (complete - index * TILE_WIDTH).min(TILE_WIDTH);
            self.load(level, index, width)?;
            let tiles = self.tiles.borrow();
            let tile = &tiles[&(level, index)];
            let from = usize::try_from(i % TILE_WIDTH).unwrap_or(0);
            let upto =
                usize::try_from((first + count - index * TILE_WIDTH).min(width)).unwrap_or(0);
            out.extend_from_slice(&tile[from..upto]);
            i = index * TILE_WIDTH + upto as u64;
        }
        Ok(out)
    }

    fn load(&self, level: u8, index: u64, width: u64) -> Result<(), Error> {
        if self.tiles.borrow().contains_key(&(level, index)) {
            return Ok(());
        }
        // width <= 256
        let id = hash_tile(level, index, width as u16);
        let data = self.source.read_tile(id)?;
        let len = usize::from(id.width) * Hash::LEN;
        if data.len() < len {
            return Err(Error::TileMalformed {
                path: id.path(),
                reason: format!("{} bytes where {len} are needed", data.len()),
            });
        }
        let hashes = data[..len]
            .chunks_exact(Hash::LEN)
            .map(Hash::from_slice)
            .collect::<Result<Vec<_>, _>>()?;
        self.tiles.borrow_mut().insert((level, index), hashes);
        Ok(())
    }

    /// `MTH(D[lo:hi])`, `lo < hi <= size`.
    fn mth(&self, lo: u64, hi: u64) -> Result<Hash, Error> {
        let n = hi - lo;
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let k = n.trailing_zeros();
            let level = k / TILE_HEIGHT;
            let span = 1u64 << (level * TILE_HEIGHT);
            let count = 1u64 << (k % TILE_HEIGHT);
            // level <= 7 as k < 64.
            let hashes = self.hashes(level as u8, lo / span, count)?;
            return Ok(perfect_root(&hashes));
        }
        let k = split_point(n);
        Ok(node_hash(&self.mth(lo, lo + k)?, &self.mth(lo + k, hi)?))
    }

    fn path(&self, m: u64, lo: u64, hi: u64, proof: &mut Vec<Hash>) -> Result<(), Error> {
        let n = hi - lo;
        if n <= 1 {
            return Ok(());
        }
        let k = split_point(n);
        if m < k {
            self.path(m, lo, lo + k, proof)?;
            proof.push(self.mth(lo + k, hi)?);
        } else {
            self.path(m - k, lo + k, hi, proof)?;
            proof.push(self.mth(lo, lo + k)?);
        }
        Ok(())
    }

    fn subproof(
        &self,
        m: u64,
        lo: u64,
        hi: u64,
        complete: bool,
        proof: &mut Vec<Hash>,
    ) -> Result<(), Error> {
        let n = hi - lo;
        if m == n {
            if !complete {
                proof.push(self.mth(lo, hi)?);
            }
            return Ok(());
        }
        let k = split_point(n);
        if m <= k {
            self.subproof(m, lo, lo + k, complete, proof)?;
            proof.push(self.mth(lo + k, hi)?);
        } else {
            self.subproof(m - k, lo + k, hi, false, proof)?;
            proof.push(self.mth(lo, lo + k)?);
        }
        Ok(())
    }
}

/// The root of a power-of-two number of hashes (a perfect tree).
fn perfect_root(hashes: &[Hash]) -> Hash {
    let mut level: Vec<Hash> = hashes.to_vec();
    while level.len() > 1 {
        level = level
            .chunks_exact(2)
            .map(|pair| node_hash(&pair[0], &pair[1]))
            .collect();
    }
    level.first().copied().unwrap_or_else(empty_root)
}

/// `k`, the largest power of two smaller than `n`, for `n >= 2`.
fn split_point(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// The tree head of the first `size` leaves, read from tiles.
pub fn tree_hash(size: u64, source: &impl TileSource) -> Result<Hash, Error> {
    if size == 0 {
        return Ok(empty_root());
    }
    Reader::new(size, source).mth(0, size)
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
    let mut proof = Vec::new();
    Reader::new(size, source).path(index, 0, size, &mut proof)?;
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
    let mut proof = Vec::new();
    if old_size > 0 {
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
    let hashes = Reader::new(size, source).hashes(level, index, 1)?;
    Ok(hashes[0])
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
        let reader = Reader::new(size, source);
        let mut partial = Vec::new();
        let mut count = size;
        let mut level = 0u8;
        while count > 0 {
            let width = count % TILE_WIDTH;
            let first = count - width;
            partial.push(reader.hashes(level, first, width)?);
            count /= TILE_WIDTH;
            level += 1;
        }
        Ok(Edge { size, partial })
    }

    /// The number of leaves.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The tree head, computed from the edge alone.
    #[must_use]
    pub fn root(&self) -> Hash {
        // The complete subtrees of the size's binary decomposition, from the right: within
        // each level's partial tile, the hashes split by the bits of its width.
        let mut acc: Option<Hash> = None;
        for hashes in &self.partial {
            let mut end = hashes.len();
            // Bits of the width from the lowest: each set bit is a perfect subtree of that
            // many stored hashes at the end of the remaining run.
            let mut bit = 1usize;
            while end > 0 {
                if end & bit != 0 {
                    let root = perfect_root(&hashes[end - bit..end]);
                    acc = Some(match acc {
                        Some(right) => node_hash(&root, &right),
                        None => root,
                    });
                    end -= bit;
                }
                bit <<= 1;
            }
        }
        acc.unwrap_or_else(empty_root)
    }

    /// Appends leaf hashes; returns every hash tile this changed or created, with its full
    /// new content (`width * 32` bytes), in (level, index) order. A tile that became full is
    /// returned with width 256; a still-partial one with its new width. Writing these tiles
    /// (and the entries) and then the new checkpoint is a complete append.
    pub fn append(&mut self, leaf_hashes: &[Hash]) -> Vec<(TileId, Vec<u8>)> {
        let mut changed: std::collections::BTreeMap<(u8, u64), Vec<u8>> = Default::default();
        for leaf in leaf_hashes {
            let mut hash = *leaf;
            let mut level = 0usize;
            let mut count = self.size;
            loop {
                if self.partial.len() <= level {
                    self.partial.push(Vec::new());
                }
                // count: stored hashes at this level before this one.
                let index = count / TILE_WIDTH;
                self.partial[level].push(hash);
                let tile = &self.partial[level];
                let bytes: Vec<u8> = tile.iter().flat_map(|h| h.as_bytes().to_vec()).collect();
                // level < 64
                changed.insert((level as u8, index), bytes);
                if tile.len() as u64 == TILE_WIDTH {
                    hash = perfect_root(tile);
                    self.partial[level].clear();
                    level += 1;
                    count /= TILE_WIDTH;
                } else {
                    break;
                }
            }
            self.size += 1;
        }
        changed
            .into_iter()
            .map(|((level, index), bytes)| {
                // bytes.len() / 32 <= 256
                let width = (bytes.len() / Hash::LEN) as u16;
                (hash_tile(level, index, width), bytes)
            })
            .collect()
    }
}

/// An entry bundle: each entry as a big-endian `u16` length, then its bytes. Entries longer
/// than 65,535 bytes are [`Error::EntryTooLong`].
pub fn entry_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for entry in entries {
        let len =
            u16::try_from(entry.len()).map_err(|_| Error::EntryTooLong { len: entry.len() })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(entry);
    }
    Ok(out)
}

/// The entries of a bundle; truncated or trailing bytes are [`Error::EntryBundle`].
pub fn parse_entry_bundle(bundle: &[u8]) -> Result<Vec<&[u8]>, Error> {
    let mut out = Vec::new();
    let mut rest = bundle;
    while !rest.is_empty() {
        if rest.len() < 2 {
            return Err(Error::EntryBundle {
                reason: "a length prefix is cut short",
            });
        }
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        let body = rest.get(2..2 + len).ok_or(Error::EntryBundle {
            reason: "an entry is cut short",
        })?;
        out.push(body);
        rest = &rest[2 + len..];
        if out.len() > 256 {
            return Err(Error::EntryBundle {
                reason: "more than 256 entries",
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Tree, leaf_hash};

    struct Map(HashMap<(u8, u64), Vec<u8>>);

    impl TileSource for Map {
        fn read_tile(&self, tile: TileId) -> Result<Cow<'_, [u8]>, Error> {
            let TileKind::Hashes { level } = tile.kind else {
                return Err(Error::TileMissing { path: tile.path() });
            };
            let data = self
                .0
                .get(&(level, tile.index))
                .ok_or_else(|| Error::TileMissing { path: tile.path() })?;
            Ok(Cow::Borrowed(&data[..usize::from(tile.width) * 32]))
        }
    }

    #[test]
    fn paths_follow_the_spec() {
        let cases = [
            (hash_tile(0, 0, 256), "tile/0/000"),
            (hash_tile(1, 1_234_067, 256), "tile/1/x001/x234/067"),
            (hash_tile(3, 5, 17), "tile/3/005.p/17"),
            (
                TileId {
                    kind: TileKind::Entries,
                    index: 1000,
                    width: 1,
                },
                "tile/entries/x001/000.p/1",
            ),
        ];
        for (id, path) in cases {
            assert_eq!(id.path(), path);
            assert_eq!(TileId::parse_path(path), Ok(id));
        }
        for bad in [
            "tile/0/0",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/64/000",
            "tile/00/000",
            "tile/0/x000/001",
            "tile/0/001/002",
            "tile/0/000/",
            "tile/entries/000.p/",
            "tiles/0/000",
        ] {
            assert!(TileId::parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tiles_agree_with_the_tree_at_every_size_in_batches() {
        let mut tree = Tree::new();
        let mut edge = Edge::new();
        let mut tiles = Map(HashMap::new());
        let mut n = 0u64;
        for batch in [
            1usize,
            1,
            3,
            250,
            1,
            1,
            300,
            1000,
            17,
            256,
            65_536 - 1830,
            2,
            600,
        ] {
            let leaves: Vec<Hash> = (0..batch)
                .map(|i| leaf_hash(format!("{}", n + i as u64).as_bytes()))
                .collect();
            for l in &leaves {
                tree.push_leaf_hash(*l);
            }
            n += batch as u64;
            for (id, data) in edge.append(&leaves) {
                let TileKind::Hashes { level } = id.kind else {
                    unreachable!()
                };
                tiles.0.insert((level, id.index), data);
            }
            assert_eq!(edge.size(), n);
            assert_eq!(edge.root(), tree.root(), "edge root at {n}");
            assert_eq!(
                tree_hash(n, &tiles).unwrap(),
                tree.root(),
                "tiled root at {n}"
            );
            assert_eq!(Edge::load(n, &tiles).unwrap(), edge, "edge reloaded at {n}");
            for index in [0, n / 2, n - 1] {
                assert_eq!(
                    prove_inclusion(index, n, &tiles).unwrap(),
                    tree.inclusion_proof(index, n).unwrap()
                );
            }
            for old in [1, n / 3, n - 1, n] {
                assert_eq!(
                    prove_consistency(old, n, &tiles).unwrap(),
                    tree.consistency_proof(old, n).unwrap(),
                    "{old} → {n}"
                );
            }
        }
    }

    #[test]
    fn bundles_round_trip_and_refuse_truncation() {
        let entries: Vec<&[u8]> = vec![b"a", b"", b"ccc"];
        let bundle = entry_bundle(entries.iter().copied()).unwrap();
        assert_eq!(parse_entry_bundle(&bundle).unwrap(), entries);
        for cut in 1..bundle.len() {
            if cut == 3 || cut == 5 {
                continue; // on an entry boundary
            }
            assert!(parse_entry_bundle(&bundle[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(
            entry_bundle([&vec![0u8; 65_536][..]]),
            Err(Error::EntryTooLong { len: 65_536 })
        ));
    }
}
