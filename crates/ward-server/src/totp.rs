//! TOTP (RFC 6238): SHA-1, 6 digits, 30-second steps, one step of skew either way. The secret is
//! sealed in the store (label `user:<id>:totp`); a step is accepted once (the store refuses a
//! step not later than the last accepted one).

use base64::Engine as _;
use totp_rs::{Algorithm, Builder, Totp};
use ward_desk::UserId;
use ward_desk::seal::Keyring;
use ward_store::User;

/// Bytes of a new secret (160 bits, RFC 4226's recommendation).
pub(crate) const SECRET_BYTES: usize = 20;

/// The seal label of a user's TOTP secret.
pub(crate) fn label(user: UserId) -> String {
    format!("user:{user}:totp")
}

fn totp(secret: &[u8]) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .build()
        .ok()
}

/// The time step `code` is valid for at `unix_secs` (±1 step), compared in constant time.
pub(crate) fn check(secret: &[u8], code: &str, unix_secs: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret)?.check(&code, unix_secs)
}

/// The code for `unix_secs`.
#[cfg(test)]
pub(crate) fn code(secret: &[u8], unix_secs: u64) -> Option<String> {
    Some(totp(secret)?.generate(unix_secs).to_string())
}

/// Base32 (RFC 4648, no padding), as authenticator apps take it.
pub(crate) fn base32(secret: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in secret {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The `otpauth://` URI for an authenticator app.
pub(crate) fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let issuer = percent(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        percent(account),
        base32(secret)
    )
}

fn percent(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The user's TOTP secret, unsealed; `None` when not enrolled.
pub(crate) fn secret_of(keyring: &Keyring, user: &User) -> anyhow::Result<Option<Vec<u8>>> {
    let (Some(sealed), Some(wrapped)) = (&user.totp_secret, &user.totp_key) else {
        return Ok(None);
    };
    let key = keyring.unwrap(wrapped)?;
    Ok(Some(key.open(&label(user.id), sealed)?))
}

/// A secret shown on the enrollment page before it is confirmed: sealed into a hidden field
/// would need a key, so it travels as base64url inside the form, bound to the session by the
/// CSRF token, and is stored only once a code from it is confirmed.
pub(crate) fn encode_pending(secret: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
}

/// Reads [`encode_pending`]'s output.
pub(crate) fn decode_pending(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()
        .filter(|s| s.len() == SECRET_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors_at_six_digits() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; the 8-digit codes'
        // last six digits.
        let secret = b"12345678901234567890";
        assert_eq!(code(secret, 59).as_deref(), Some("287082"));
        assert_eq!(code(secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(check(secret, "287082", 59), Some(1));
        assert_eq!(
            check(secret, "287082", 59 + 30),
            Some(1),
            "one step late is accepted"
        );
        assert_eq!(
            check(secret, "287082", 59 + 60),
            None,
            "two steps late is not"
        );
        assert_eq!(check(secret, "28708", 59), None);
        assert_eq!(check(secret, "abcdef", 59), None);
    }

    #[test]
    fn base32_matches_rfc4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn otpauth_uri_escapes_names() {
        let uri = otpauth_uri("my ward", "a@b.org", b"12345678901234567890");
        assert_eq!(
            uri,
            "otpauth://totp/my%20ward:a@b.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=my%20ward&algorithm=SHA1&digits=6&period=30"
        );
    }
}
