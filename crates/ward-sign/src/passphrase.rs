//! A passphrase: bytes wiped on drop, never shown by `Debug`.

use std::fmt;

use zeroize::Zeroizing;

/// The passphrase of a secret key. Its bytes are wiped when it is dropped and its `Debug`
/// prints `Passphrase(<redacted>)`.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<Vec<u8>>);

impl Passphrase {
    /// A passphrase of these bytes (as typed, without the line end).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Passphrase {
        Passphrase(Zeroizing::new(bytes.into()))
    }

    /// The passphrase's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Whether it is empty (which `ward key generate` refuses).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

impl From<&str> for Passphrase {
    fn from(value: &str) -> Self {
        Passphrase::new(value.as_bytes())
    }
}
