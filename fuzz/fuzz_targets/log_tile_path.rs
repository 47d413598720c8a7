//! Fuzzes ward-log's tile paths and entry bundles: `TileId::parse_path` takes only the
//! canonical spelling (it prints back to the input), `parse_entry_bundle` only what
//! `entry_bundle` writes.
#![no_main]

use ward_log::tile::{TileId, entry_bundle, parse_entry_bundle};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = parse_entry_bundle(data) {
        assert_eq!(
            entry_bundle(entries).expect("parsed entries fit a bundle"),
            data
        );
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tile) = TileId::parse_path(text) {
        assert_eq!(tile.path(), text);
    }
});
