//! Fuzzes ward-sign's minisign public key reader (comment line and base64 key, or the key
//! alone).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ward_sign::PublicKey::parse(data);
    let mut framed = b"untrusted comment: fuzz\nRW".to_vec();
    framed.extend_from_slice(data);
    let _ = ward_sign::PublicKey::parse(&framed);
});
