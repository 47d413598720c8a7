//! Fuzzes ward-log's checkpoint and signed-note parsing: `Checkpoint::parse` and `open` with a
//! fixed verifier key. A checkpoint that parses prints back to the same text; one that opens
//! is named after the key.
#![no_main]

use ward_log::Checkpoint;
use ward_log::note::{self, NoteVerifier};

/// Go's sumdb/note test key.
const VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let verifier = NoteVerifier::parse(VKEY).expect("Go's test key parses");
    if let Ok(checkpoint) = Checkpoint::parse(text) {
        assert_eq!(
            checkpoint.to_text(),
            text,
            "a parsed checkpoint prints back"
        );
    }
    if let Ok(body) = note::open(text, &verifier) {
        assert!(text.starts_with(body) && body.ends_with('\n'));
    }
    if let Ok(checkpoint) = Checkpoint::open(text, &verifier) {
        assert_eq!(checkpoint.origin, verifier.name());
    }
});
