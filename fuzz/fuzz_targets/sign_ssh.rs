//! Fuzzes ward-sign's SSH readers: OpenSSH public key lines, private key blocks (stopping
//! before the bcrypt derivation of encrypted ones) and SSHSIG signatures.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = ward_sign::PublicKey::parse(data);
    common::sign::parse_secret(data);
    common::sign::verify(ward_sign::Format::Ssh, data);
    let mut framed = b"-----BEGIN SSH SIGNATURE-----\n".to_vec();
    framed.extend_from_slice(data);
    common::sign::verify(ward_sign::Format::Ssh, &framed);
});
