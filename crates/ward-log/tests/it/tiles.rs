//! Tiles against the in-memory [`Tree`]: logs built by [`Edge::append`] in random batches into
//! [`MemoryTiles`], then at every batch's size the tree head, inclusion and consistency proofs
//! read from tiles equal the tree's; every tile equals the C2SP formula
//! `MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l])`; `append` returns exactly the tiles that
//! changed; `Edge::load` gives back the edge held in memory; one append of everything writes
//! the same tiles as many small ones; a flipped bit in a tile is caught; paths and entry
//! bundles round-trip and refuse what the spec does not spell.

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ward_log::tile::{
    self, Edge, MemoryTiles, TileId, TileKind, TileSource, entry_bundle, parse_entry_bundle,
};
use ward_log::{Error, Hash, Tree, leaf_hash, root, verify_inclusion};

fn leaves(n: usize, seed: u64) -> Vec<Hash> {
    (0..n as u64)
        .map(|i| leaf_hash(&[seed.to_be_bytes(), i.to_be_bytes()].concat()))
        .collect()
}

/// The number of stored hashes at a level.
fn count(size: u64, level: u8) -> u64 {
    size.checked_shr(8 * u32::from(level)).unwrap_or(0)
}

/// The tiles an append from `old` to `new` leaves must return.
fn changed_tiles(old: u64, new: u64) -> Vec<TileId> {
    let mut ids = Vec::new();
    for level in 0..8u8 {
        let (before, after) = (count(old, level), count(new, level));
        if after == before {
            continue;
        }
        for index in before / 256..after.div_ceil(256) {
            let width = (after - index * 256).min(256) as u16;
            ids.push(TileId {
                kind: TileKind::Hashes { level },
                index,
                width,
            });
        }
    }
    ids
}

/// A log built in batches: its tiles, its edge, the size after each batch.
struct Built {
    tiles: MemoryTiles,
    edge: Edge,
    sizes: Vec<u64>,
}

/// Appends `leaves` in batches of the sizes `batches` gives (cycled), checking at every batch
/// what `append` returned, the edge's root and `Edge::load`.
fn build(leaves: &[Hash], batches: &[usize]) -> Built {
    let tree = Tree::from_leaf_hashes(leaves.to_vec());
    let mut tiles = MemoryTiles::new();
    let mut edge = Edge::new();
    let mut sizes = Vec::new();
    let mut done = 0;
    for &batch in batches.iter().cycle() {
        if done == leaves.len() {
            break;
        }
        let batch = batch.clamp(1, leaves.len() - done);
        let old = edge.size();
        let written = edge.append(&leaves[done..done + batch]);
        done += batch;
        let new = edge.size();
        assert_eq!(new, done as u64);
        let ids: Vec<TileId> = written.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, changed_tiles(old, new), "append {old} -> {new}");
        for (id, data) in written {
            assert_eq!(data.len(), usize::from(id.width) * 32, "{}", id.path());
            tiles.insert(id, data);
        }
        assert_eq!(
            edge.root(),
            tree.root_at(new).unwrap(),
            "edge root at {new}"
        );
        assert_eq!(
            Edge::load(new, &tiles).unwrap(),
            edge,
            "edge loaded at {new}"
        );
        sizes.push(new);
    }
    Built { tiles, edge, sizes }
}

/// Every tile of the tree of `size` leaves holds what C2SP's formula says.
fn check_tiles_are_the_spec_tiles(leaves: &[Hash], size: u64, tiles: &MemoryTiles) {
    for id in TileId::tiles_for_size(size) {
        let TileKind::Hashes { level } = id.kind else {
            unreachable!("tiles_for_size lists hash tiles")
        };
        let data = tiles.read_tile(id).unwrap();
        let span = 1usize << (8 * u32::from(level));
        for i in 0..usize::from(id.width) {
            let first = (id.index as usize * 256 + i) * span;
            let want = root(&leaves[first..first + span]);
            assert_eq!(
                &data[i * 32..i * 32 + 32],
                want.as_bytes(),
                "{} [{i}]",
                id.path()
            );
            let stored = tile::stored_hash(level, id.index * 256 + i as u64, size, tiles);
            assert_eq!(stored, Ok(want));
        }
    }
}

/// Tree heads and proofs from tiles equal the tree's at `size`, for these indices and sizes.
fn check_reads(tree: &Tree, tiles: &MemoryTiles, size: u64, rng: &mut StdRng, probes: usize) {
    let head = tree.root_at(size).unwrap();
    assert_eq!(
        tile::tree_hash(size, tiles),
        Ok(head),
        "tree hash at {size}"
    );
    if size == 0 {
        return;
    }
    let mut indices = vec![0, size - 1, size / 2];
    let mut olds = vec![0, 1, size - 1, size, size / 2];
    for _ in 0..probes {
        indices.push(rng.random_range(0..size));
        olds.push(rng.random_range(0..=size));
    }
    for boundary in [255, 256, 257, 65535, 65536] {
        if boundary < size {
            indices.push(boundary);
            olds.push(boundary);
        }
    }
    for index in indices {
        let proof = tile::prove_inclusion(index, size, tiles).unwrap();
        assert_eq!(
            proof,
            tree.inclusion_proof(index, size).unwrap(),
            "inclusion {index} in {size}"
        );
    }
    for old in olds {
        let proof = tile::prove_consistency(old, size, tiles).unwrap();
        assert_eq!(
            proof,
            tree.consistency_proof(old, size).unwrap(),
            "consistency {old} to {size}"
        );
    }
}

fn batches() -> impl Strategy<Value = Vec<usize>> {
    prop_oneof![
        proptest::collection::vec(1usize..8, 1..20),
        proptest::collection::vec(1usize..700, 1..20),
        Just(vec![usize::MAX]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn tiles_answer_as_the_tree_does(
        n in 0usize..3000,
        seed in any::<u64>(),
        batches in batches(),
        probe_seed in any::<u64>(),
    ) {
        let leaves = leaves(n, seed);
        let tree = Tree::from_leaf_hashes(leaves.clone());
        let built = build(&leaves, &batches);
        check_tiles_are_the_spec_tiles(&leaves, n as u64, &built.tiles);
        let mut rng = StdRng::seed_from_u64(probe_seed);
        // Every batch's size is a checkpoint: read back at a few of them, and at the end.
        for &size in built.sizes.iter().rev().step_by(built.sizes.len().div_ceil(4).max(1)) {
            check_reads(&tree, &built.tiles, size, &mut rng, 4);
        }
        // One append of everything writes the same tiles, ends on the same edge.
        let whole = build(&leaves, &[usize::MAX]);
        prop_assert_eq!(&whole.tiles, &built.tiles);
        prop_assert_eq!(&whole.edge, &built.edge);
    }

    #[test]
    fn a_flipped_bit_in_a_tile_is_caught(
        n in 1usize..1500,
        seed in any::<u64>(),
        pick in any::<prop::sample::Index>(),
        bit in 0usize..256,
    ) {
        let leaves = leaves(n, seed);
        let size = n as u64;
        let built = build(&leaves, &[97]);
        let head = root(&leaves);
        let ids = TileId::tiles_for_size(size);
        let id = ids[pick.index(ids.len())];
        let TileKind::Hashes { level } = id.kind else { unreachable!() };
        let j = bit % usize::from(id.width);
        let mut tampered = built.tiles.clone();
        let mut data = built.tiles.read_tile(id).unwrap().into_owned();
        data[j * 32 + bit / 8 % 32] ^= 1 << (bit % 8);
        tampered.insert(id, data);
        // Stored hash i of level L is either a subtree of the tree head's decomposition (the
        // head changes) or the sibling of the subtree starting at leaf x, whose inclusion
        // proof holds it.
        let i = id.index * 256 + j as u64;
        let x = (i ^ 1) << (8 * u32::from(level));
        let head_changed = tile::tree_hash(size, &tampered).unwrap() != head;
        let proof_fails = x < size && {
            let proof = tile::prove_inclusion(x, size, &tampered).unwrap();
            verify_inclusion(x, size, &leaves[x as usize], &proof, &head).is_err()
        };
        prop_assert!(head_changed || proof_fails, "{} hash {} not caught", id.path(), j);
    }

    #[test]
    fn paths_round_trip(level in 0u8..=63, entries in any::<bool>(), index in any::<u64>(), width in 1u16..=256, small in 0u64..3000) {
        let kind = if entries { TileKind::Entries } else { TileKind::Hashes { level } };
        for index in [index, small] {
            let tile = TileId { kind, index, width };
            prop_assert_eq!(TileId::parse_path(&tile.path()), Ok(tile));
        }
    }

    #[test]
    fn path_parsing_never_panics_and_only_takes_canonical_paths(
        junk in "\\PC{0,80}",
        tail in "[0-9x./p]{0,30}",
    ) {
        for path in [junk.clone(), format!("tile/0/{tail}"), format!("tile/entries/{tail}")] {
            if let Ok(tile) = TileId::parse_path(&path) {
                prop_assert_eq!(tile.path(), path);
            }
        }
    }

    #[test]
    fn entry_bundles_round_trip(entries in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..40), cut in any::<prop::sample::Index>()) {
        let refs: Vec<&[u8]> = entries.iter().map(Vec::as_slice).collect();
        let bundle = entry_bundle(refs.iter().copied()).unwrap();
        prop_assert_eq!(parse_entry_bundle(&bundle).unwrap(), refs);
        // Cut anywhere but at an entry boundary: refused.
        if !bundle.is_empty() {
            let cut = cut.index(bundle.len());
            let mut boundary = 0;
            let mut boundaries = vec![0];
            for e in &entries {
                boundary += 2 + e.len();
                boundaries.push(boundary);
            }
            let parsed = parse_entry_bundle(&bundle[..cut]);
            prop_assert_eq!(parsed.is_ok(), boundaries.contains(&cut));
        }
    }

    #[test]
    fn entry_bundle_parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(entries) = parse_entry_bundle(&bytes) {
            prop_assert_eq!(entry_bundle(entries).unwrap(), bytes);
        }
    }
}

/// Sizes around the tile boundaries of levels 0, 1 and 2: every one a checkpoint, built in
/// random batches.
#[test]
fn sizes_around_tile_boundaries() {
    let sizes = [1u64, 255, 256, 257, 511, 512, 65535, 65536, 65537];
    let n = *sizes.last().unwrap() as usize;
    let leaves = leaves(n, 7);
    let tree = Tree::from_leaf_hashes(leaves.clone());
    let mut rng = StdRng::seed_from_u64(0x711e);
    let mut edge = Edge::new();
    let mut tiles = MemoryTiles::new();
    let mut done = 0u64;
    for &target in &sizes {
        while done < target {
            let batch = rng.random_range(1..=1000).min(target - done);
            for (id, data) in edge.append(&leaves[done as usize..(done + batch) as usize]) {
                tiles.insert(id, data);
            }
            done += batch;
        }
        assert_eq!(edge.root(), tree.root_at(target).unwrap(), "{target}");
        assert_eq!(Edge::load(target, &tiles).unwrap(), edge, "{target}");
        check_reads(&tree, &tiles, target, &mut rng, 3);
    }
    check_tiles_are_the_spec_tiles(&leaves, n as u64, &tiles);
    let paths: Vec<String> = TileId::tiles_for_size(65537)
        .iter()
        .skip(256)
        .map(TileId::path)
        .collect();
    assert_eq!(
        paths,
        ["tile/0/256.p/1", "tile/1/000", "tile/2/000.p/1"],
        "the tiles of 65537 leaves after the 256 full level-0 ones"
    );
}

/// A source that holds only what a checkpoint at `size` makes exist must be enough, and a
/// missing or short tile is a typed error.
#[test]
fn reads_stay_within_the_size_and_errors_are_typed() {
    let leaves = leaves(1000, 3);
    let mut edge = Edge::new();
    let mut at_600 = MemoryTiles::new();
    for (id, data) in edge.append(&leaves[..600]) {
        at_600.insert(id, data);
    }
    let tree = Tree::from_leaf_hashes(leaves[..600].to_vec());
    for size in [1, 255, 256, 300, 512, 599, 600] {
        assert_eq!(tile::tree_hash(size, &at_600), tree.root_at(size));
    }
    assert!(matches!(
        tile::tree_hash(601, &at_600),
        Err(Error::TileMissing { .. })
    ));
    assert_eq!(
        tile::prove_inclusion(600, 600, &at_600),
        Err(Error::IndexOutOfRange {
            index: 600,
            size: 600
        })
    );
    assert_eq!(
        tile::prove_consistency(601, 600, &at_600),
        Err(Error::SizesReversed { old: 601, new: 600 })
    );
    assert_eq!(
        tile::stored_hash(1, 2, 600, &at_600),
        Err(Error::StoredHashOutOfRange {
            level: 1,
            index: 2,
            size: 600
        })
    );
    assert_eq!(
        tile::tree_hash(0, &MemoryTiles::new()),
        Ok(ward_log::empty_root())
    );

    // A source that returns tiles cut short.
    struct Short;
    impl TileSource for Short {
        fn read_tile(&self, _: TileId) -> Result<std::borrow::Cow<'_, [u8]>, Error> {
            Ok(std::borrow::Cow::Owned(vec![0; 31]))
        }
    }
    assert_eq!(
        tile::tree_hash(3, &Short),
        Err(Error::TileMalformed {
            path: "tile/0/000.p/3".to_owned(),
            reason: "31 bytes where 96 are expected".to_owned()
        })
    );
    assert!(Edge::load(3, &Short).is_err());
}

#[test]
fn paths_the_spec_does_not_spell_are_refused() {
    for path in [
        "",
        "tile/0/1",
        "tile/0/01",
        "tile/00/000",
        "tile/64/000",
        "tile/256/000",
        "tile/+1/000",
        "tile/-1/000",
        "tile/0/x000/001",
        "tile/0/x000/x001/000",
        "tile/0/001/002",
        "tile/0/X001/000",
        "tile/0/x1000/000",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/01",
        "tile/0/000.p/",
        "tile/0/000.p/5/",
        "tile/0/000.p/5x",
        "tile/0/000/",
        "tile/0/",
        "tile/0",
        "tile/entries/x001",
        "tile/entry/000",
        "/tile/0/000",
        "tiles/0/000",
        "tile/0/x018/x446/x744/x073/x709/x551/616",
        "tile/0/x001/x018/x446/x744/x073/x709/x551/615",
        "tile/0/000.p/5.p/6",
        "tile/0/ 000",
    ] {
        assert!(
            matches!(TileId::parse_path(path), Err(Error::TilePath { .. })),
            "{path:?}"
        );
    }
}

#[test]
fn entries_too_long_or_too_many_are_refused() {
    let long = vec![0u8; 65536];
    assert_eq!(
        entry_bundle([long.as_slice()]),
        Err(Error::EntryTooLong { len: 65536 })
    );
    assert!(entry_bundle([&long[..65535]]).is_ok());
    let many = vec![&b"e"[..]; 257];
    assert!(matches!(
        entry_bundle(many.iter().copied()),
        Err(Error::EntryBundle { .. })
    ));
    let bundle = entry_bundle(many[..256].iter().copied()).unwrap();
    assert_eq!(parse_entry_bundle(&bundle).unwrap().len(), 256);
    let more = [bundle.as_slice(), &[0, 0]].concat();
    assert!(matches!(
        parse_entry_bundle(&more),
        Err(Error::EntryBundle { .. })
    ));
    assert!(matches!(
        parse_entry_bundle(&[0]),
        Err(Error::EntryBundle { .. })
    ));
    assert!(matches!(
        parse_entry_bundle(&[0, 2, 1]),
        Err(Error::EntryBundle { .. })
    ));
}
