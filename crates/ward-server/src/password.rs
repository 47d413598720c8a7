//! Passwords: argon2id (19 MiB, 2 passes, 1 lane — OWASP's recommendation), PHC strings.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};

/// The shortest password accepted.
pub(crate) const MIN_LEN: usize = 12;
/// The longest (argon2 takes any length; this bounds the work an anonymous request can ask).
pub(crate) const MAX_LEN: usize = 1024;

/// Hashes a password into a PHC string.
pub(crate) fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches `phc` (constant-time comparison inside argon2). A malformed
/// stored hash never matches.
pub(crate) fn verify(phc: &str, password: &str) -> bool {
    if password.len() > MAX_LEN {
        return false;
    }
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of a verification, for logins of unknown accounts (so the answer's timing
/// does not tell which emails have accounts).
pub(crate) fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("ward dummy password").unwrap_or_default());
    let _ = verify(phc, password);
}

/// Checks a new password; the message says what is expected.
pub(crate) fn check_new(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(format!("at least {MIN_LEN} characters"));
    }
    if password.len() > MAX_LEN {
        return Err(format!("at most {MAX_LEN} bytes"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery").expect("hash");
        let b = hash("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify(&a, "correct horse battery"));
        assert!(!verify(&a, "correct horse batterx"));
        assert!(!verify("not a hash", "correct horse battery"));
    }

    #[test]
    fn new_passwords_have_a_minimum_length() {
        assert!(check_new("short").is_err());
        assert!(check_new("long enough password").is_ok());
        assert!(check_new(&"x".repeat(MAX_LEN + 1)).is_err());
    }
}
