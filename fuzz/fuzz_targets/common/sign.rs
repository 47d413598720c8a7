//! What the ward-sign targets share: one key pair per format, generated once per process (no
//! key is stored in the repository), and the checks every input must pass: an error or a
//! verification, never a panic.

use std::sync::OnceLock;

use ward_sign::{Format, PublicKey, VerifyOptions};

/// A public key of `format`, made on first use.
pub fn public_key(format: Format) -> &'static PublicKey {
    static KEYS: OnceLock<Vec<PublicKey>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        Format::ALL
            .iter()
            .map(|&format| {
                let generated = ward_sign::generate(format, None, "fuzz")
                    .expect("generating an unencrypted key");
                PublicKey::parse(generated.public.as_bytes()).expect("our own key parses")
            })
            .collect()
    });
    let index = Format::ALL
        .iter()
        .position(|&f| f == format)
        .expect("every format");
    &keys[index]
}

/// Verifies `signature` over a fixed content with the key of `format`: any answer but a panic.
pub fn verify(format: Format, signature: &[u8]) {
    let _ = ward_sign::verify(
        public_key(format),
        &b"fuzzed content"[..],
        signature,
        &VerifyOptions::default(),
    );
}

/// Parses `data` as a secret key without a passphrase: an encrypted key stops before its key
/// derivation (which is slow by design, and capped: see ward-sign), a plain one is read whole.
pub fn parse_secret(data: &[u8]) {
    let _ = ward_sign::SecretKey::parse(data, || None);
}
