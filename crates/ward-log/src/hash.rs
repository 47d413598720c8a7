//! The hashes of RFC 9162 §2.1.1: SHA-256 with a one-byte domain separator, `0x00` before a
//! leaf and `0x01` before two children, so that no leaf can pose as an inner node (the
//! second-preimage attack on unprefixed Merkle trees).

use std::fmt;

use sha2::{Digest, Sha256};

use crate::Error;

/// The prefix of a leaf hash, RFC 9162 §2.1.1.
const LEAF_PREFIX: u8 = 0x00;
/// The prefix of an inner node hash, RFC 9162 §2.1.1.
const NODE_PREFIX: u8 = 0x01;

/// A SHA-256 value in the tree: a leaf hash, an inner node, a proof element or a tree head.
///
/// Exactly 32 bytes by construction; bytes of any other length are refused by
/// [`Hash::from_slice`] with [`Error::HashLength`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash([u8; Hash::LEN]);

impl Hash {
    /// The length of a hash in bytes.
    pub const LEN: usize = 32;

    /// The hash of these 32 bytes.
    #[must_use]
    pub const fn new(bytes: [u8; Self::LEN]) -> Self {
        Self(bytes)
    }

    /// The hash in `bytes`, which must be exactly 32 bytes long.
    ///
    /// # Errors
    ///
    /// [`Error::HashLength`] when `bytes` is not 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        <[u8; Self::LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| Error::HashLength { len: bytes.len() })
    }

    /// The 32 bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; Self::LEN] {
        &self.0
    }

    /// The same hash with bit `bit` (0 = the most significant bit of the first byte) inverted,
    /// taken modulo 256: what tamper tests use to prove a single changed bit is detected.
    #[must_use]
    pub fn with_bit_flipped(mut self, bit: usize) -> Self {
        let bit = bit % (Self::LEN * 8);
        self.0[bit / 8] ^= 0x80 >> (bit % 8);
        self
    }
}

impl From<[u8; Hash::LEN]> for Hash {
    fn from(bytes: [u8; Hash::LEN]) -> Self {
        Self(bytes)
    }
}

impl TryFrom<&[u8]> for Hash {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_slice(bytes)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Lower-case hexadecimal, 64 digits.
impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

/// The leaf hash of an entry: `SHA-256(0x00 || leaf)`, RFC 9162 §2.1.1.
#[must_use]
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([LEAF_PREFIX]);
    hasher.update(leaf);
    Hash(hasher.finalize().into())
}

/// The hash of an inner node: `SHA-256(0x01 || left || right)`, RFC 9162 §2.1.1.
#[must_use]
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([NODE_PREFIX]);
    hasher.update(left.0);
    hasher.update(right.0);
    Hash(hasher.finalize().into())
}

/// The head of the empty tree: `SHA-256()` of no input, RFC 9162 §2.1.1.
#[must_use]
pub fn empty_root() -> Hash {
    Hash(Sha256::digest([]).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            empty_root().to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn leaf_of_nothing_is_the_rfc_value() {
        assert_eq!(
            leaf_hash(b"").to_string(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn from_slice_wants_32_bytes() {
        assert_eq!(
            Hash::from_slice(&[0; 31]),
            Err(Error::HashLength { len: 31 })
        );
        assert_eq!(Hash::from_slice(&[7; 32]), Ok(Hash::new([7; 32])));
    }

    #[test]
    fn flipping_a_bit_changes_one_bit() {
        let h = Hash::new([0; 32]).with_bit_flipped(9);
        assert_eq!(h.as_bytes()[1], 0x40);
        assert_eq!(h.with_bit_flipped(9), Hash::new([0; 32]));
    }
}
