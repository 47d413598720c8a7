//! Fuzzes ward-sign's OpenPGP readers (rpgp underneath, with ward's armour, canonical
//! encoding, issuer and algorithm checks): public keys, secret keys and detached
//! signatures, binary or armoured.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ward_sign::PublicKey::parse(data);
    common::sign::parse_secret(data);
    common::sign::verify(ward_sign::Format::OpenPgp, data);
    let mut framed = b"-----BEGIN PGP SIGNATURE-----\n\n".to_vec();
    framed.extend_from_slice(data);
    common::sign::verify(ward_sign::Format::OpenPgp, &framed);
});
