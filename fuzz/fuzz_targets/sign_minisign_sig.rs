//! Fuzzes ward-sign's minisign signature reader (`.minisig`: comments, base64 lines,
//! algorithms, key ids) through a verification with a minisign key.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::sign::verify(ward_sign::Format::Minisign, data);
    // With the structure in place, so that the lines after the first are reached more often.
    let mut framed = b"untrusted comment: fuzz\n".to_vec();
    framed.extend_from_slice(data);
    common::sign::verify(ward_sign::Format::Minisign, &framed);
});
