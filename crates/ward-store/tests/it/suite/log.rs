//! The transparency log's storage: appends, tiles, proofs read back through them, atomicity.

use ward_desk::ledger::{Entry, audit_entry};
use ward_log::note::NoteSigner;
use ward_log::{Checkpoint, Hash, Tree};
use ward_store::{LogAppended, StoreTiles};

use super::*;

fn signer() -> NoteSigner {
    NoteSigner::from_seed("ward.test/log", &[7; 32]).unwrap()
}

fn append(s: &dyn Store, signer: &NoteSigner, entries: &[Vec<u8>]) -> LogAppended {
    s.log_append(entries, &|size, root| {
        Checkpoint {
            origin: signer.name().to_owned(),
            size,
            root: *root,
            extensions: vec![],
        }
        .sign(signer)
    })
    .unwrap()
}

/// Checks every tile, the root, the entries and some proofs of the stored log against an
/// in-memory tree of the same entries.
fn assert_log_is(s: &dyn Store, signer: &NoteSigner, entries: &[Vec<u8>]) {
    let mut tree = Tree::new();
    for e in entries {
        tree.push(e);
    }
    let size = entries.len() as u64;
    let head = s.log_head().unwrap().unwrap();
    assert_eq!(head.size, size);
    let checkpoint = Checkpoint::open(&head.checkpoint, &signer.verifier()).unwrap();
    assert_eq!((checkpoint.size, checkpoint.root), (size, tree.root()));

    let read = |level: u8, index: u64| s.log_tile(level, index);
    let tiles = StoreTiles::new(&read);
    assert_eq!(
        ward_log::tile::tree_hash(size, &tiles).unwrap(),
        tree.root()
    );
    for index in [0, size / 3, size / 2, size.saturating_sub(1)] {
        if index < size {
            assert_eq!(
                ward_log::tile::prove_inclusion(index, size, &tiles).unwrap(),
                tree.inclusion_proof(index, size).unwrap(),
                "inclusion proof of {index} at {size}"
            );
        }
    }
    for old in [1, size / 2, size.saturating_sub(1)] {
        if old >= 1 && old <= size {
            assert_eq!(
                ward_log::tile::prove_consistency(old, size, &tiles).unwrap(),
                tree.consistency_proof(old, size).unwrap(),
                "consistency proof {old} → {size}"
            );
        }
    }
    // The level-0 tiles are the leaf hashes.
    for (t, chunk) in tree.leaf_hashes().chunks(256).enumerate() {
        let stored = s.log_tile(0, t as u64).unwrap().unwrap();
        let expected: Vec<u8> = chunk.iter().flat_map(|h| h.as_bytes().to_vec()).collect();
        assert_eq!(stored, expected, "tile 0/{t}");
    }
    assert_eq!(&s.log_entries(0, u32::MAX).unwrap(), entries);
}

pub(crate) fn the_log_grows_in_tiles_and_proves_from_them(db: &Db) {
    let s = db.store();
    let signer = signer();
    assert_eq!(
        s.log_head().unwrap(),
        None,
        "no checkpoint before the first append"
    );
    let first = append(s, &signer, &[]);
    assert_eq!((first.first, first.head.size), (0, 0));
    assert_eq!(s.log_head().unwrap().unwrap().size, 0);

    let mut all: Vec<Vec<u8>> = Vec::new();
    for batch in [1usize, 2, 253, 1, 300, 7] {
        let entries: Vec<Vec<u8>> = (0..batch)
            .map(|i| format!("entry {} of a batch of {batch}", all.len() + i).into_bytes())
            .collect();
        let appended = append(s, &signer, &entries);
        assert_eq!(appended.first, all.len() as u64);
        all.extend(entries);
        assert_eq!(appended.head.size, all.len() as u64);
        assert_log_is(s, &signer, &all);
    }
    assert_eq!(
        s.log_find(&ward_log::leaf_hash(&all[300])).unwrap(),
        Some(300)
    );
    assert_eq!(
        s.log_find(&ward_log::leaf_hash(b"never logged")).unwrap(),
        None
    );
    assert_eq!(s.log_entries(560, 10).unwrap(), all[560..].to_vec());
}

pub(crate) fn an_append_that_fails_leaves_the_log_as_it_was(db: &Db) {
    let s = db.store();
    let signer = signer();
    let kept = vec![b"kept".to_vec()];
    append(s, &signer, &kept);
    let before = s.log_head().unwrap();
    let refused = s.log_append(&[b"lost".to_vec(), b"also lost".to_vec()], &|_, _| {
        Err(ward_log::Error::Signature("the signer is gone".into()))
    });
    assert!(refused.is_err());
    assert_eq!(s.log_head().unwrap(), before, "the head did not move");
    assert_eq!(
        s.log_entries(0, 10).unwrap(),
        kept,
        "no entry was left behind"
    );
    assert_eq!(s.log_find(&ward_log::leaf_hash(b"lost")).unwrap(), None);
    assert_log_is(s, &signer, &kept);

    let too_long = vec![vec![b'x'; 65_536]];
    assert!(s.log_append(&too_long, &|_, _| Ok(String::new())).is_err());
    assert_eq!(s.log_head().unwrap(), before);
}

pub(crate) fn audit_events_are_logged_once_and_in_order(db: &Db) {
    let s = db.store();
    let signer = signer();
    let sign = |size: u64, root: &Hash| {
        Checkpoint {
            origin: signer.name().to_owned(),
            size,
            root: *root,
            extensions: vec![],
        }
        .sign(&signer)
    };
    for i in 0..5 {
        s.append_event(&ev(&format!("test.{i}"))).unwrap();
    }
    let a = s.log_append_audit(2, &sign).unwrap().unwrap();
    assert_eq!((a.first, a.head.size, a.head.audit_seq), (0, 2, 2));
    // A release signature between two batches of events.
    let signature = ward_desk::ledger::signature_entry(&[1; 32], b"a signature").unwrap();
    s.log_append(&[signature], &sign).unwrap();
    let b = s.log_append_audit(100, &sign).unwrap().unwrap();
    assert_eq!((b.first, b.head.size, b.head.audit_seq), (3, 6, 5));
    assert_eq!(s.log_append_audit(100, &sign).unwrap(), None, "nothing new");

    let events = s.events(0, 100).unwrap();
    let logged: Vec<(i64, [u8; 32])> = s
        .log_entries(0, 100)
        .unwrap()
        .iter()
        .filter_map(|e| match Entry::parse(e).unwrap() {
            Entry::Audit { seq, hash } => Some((seq, hash)),
            Entry::Signature { .. } => None,
        })
        .collect();
    let expected: Vec<(i64, [u8; 32])> = events.iter().map(|e| (e.seq, e.hash)).collect();
    assert_eq!(logged, expected);
    assert_eq!(
        s.log_entries(0, 1).unwrap()[0],
        audit_entry(1, &events[0].hash)
    );
}

pub(crate) fn concurrent_appenders_build_one_tree(db: &Db) {
    let s = db.store();
    let signer = signer();
    append(s, &signer, &[]);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let signer = &signer;
            scope.spawn(move || {
                for i in 0..15 {
                    append(s, signer, &[format!("thread {t} entry {i}").into_bytes()]);
                    s.append_event(&ev("test.concurrent")).unwrap();
                    s.log_append_audit(3, &|size, root| {
                        Checkpoint {
                            origin: signer.name().to_owned(),
                            size,
                            root: *root,
                            extensions: vec![],
                        }
                        .sign(signer)
                    })
                    .unwrap();
                }
            });
        }
    });
    let entries = s.log_entries(0, u32::MAX).unwrap();
    let signatures = entries
        .iter()
        .filter(|e| e.starts_with(b"thread "))
        .collect::<BTreeSet<_>>();
    assert_eq!(signatures.len(), 60, "every append is in, once");
    assert_log_is(s, &signer, &entries);
}
