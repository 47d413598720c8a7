//! Fuzzes ward-log's signed-note keys: `NoteVerifier::parse` and `NoteSigner::parse`. A key
//! that parses prints to a key that parses to the same key.
#![no_main]

use ward_log::note::{NoteSigner, NoteVerifier};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(verifier) = NoteVerifier::parse(text) {
        assert_eq!(
            NoteVerifier::parse(&verifier.to_vkey()).as_ref(),
            Ok(&verifier)
        );
    }
    if let Ok(signer) = NoteSigner::parse(text) {
        let again = NoteSigner::parse(&signer.to_skey()).expect("a printed signer key parses");
        assert_eq!(again.verifier(), signer.verifier());
    }
});
