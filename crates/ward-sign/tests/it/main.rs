//! ward-sign's integration tests: round trips and refusals in every format ([`formats`]), and
//! interoperability in both directions with minisign, ssh-keygen and gpg ([`interop`]), which
//! skip (or fail, with `WARD_REQUIRE_SIGNING_TOOLS=1`) when the tools are missing.

mod formats;
mod interop;

use ward_sign::{
    Format, GeneratedKey, KdfLimits, Passphrase, PublicKey, SecretKey, SignOptions, VerifyOptions,
};

/// A key pair made for one test: unencrypted unless a passphrase is given; minisign keys with
/// libsodium's interactive scrypt limits, so that tests do not spend 1 GiB and seconds each.
pub(crate) fn key_pair(format: Format, passphrase: Option<&str>) -> GeneratedKey {
    let passphrase = passphrase.map(Passphrase::from);
    match format {
        Format::Minisign => {
            ward_sign::generate_minisign(passphrase.as_ref(), "test key", KdfLimits::INTERACTIVE)
        }
        _ => ward_sign::generate(
            format,
            passphrase.as_ref(),
            "Test Key <test@example.invalid>",
        ),
    }
    .expect("generate")
}

pub(crate) fn secret(generated: &GeneratedKey, passphrase: Option<&str>) -> SecretKey {
    SecretKey::parse(&generated.secret, || passphrase.map(Passphrase::from)).expect("secret key")
}

pub(crate) fn public(generated: &GeneratedKey) -> PublicKey {
    PublicKey::parse(generated.public.as_bytes()).expect("public key")
}

pub(crate) fn sign(key: &SecretKey, content: &[u8]) -> Vec<u8> {
    ward_sign::sign(key, content, &SignOptions::default()).expect("sign")
}

pub(crate) fn verify(
    key: &PublicKey,
    content: &[u8],
    signature: &[u8],
) -> Result<ward_sign::Verified, ward_sign::VerifyError> {
    ward_sign::verify(key, content, signature, &VerifyOptions::default())
}
