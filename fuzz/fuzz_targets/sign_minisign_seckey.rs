//! Fuzzes ward-sign's minisign secret key reader (algorithms, kdf limits, checksum, the
//! unencrypted `-W` layout); encrypted keys stop before their scrypt derivation.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::sign::parse_secret(data);
    let mut framed = b"untrusted comment: fuzz\nRW".to_vec();
    framed.extend_from_slice(data);
    common::sign::parse_secret(&framed);
});
