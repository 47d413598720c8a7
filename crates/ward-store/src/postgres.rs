//! The PostgreSQL backend (to be written).

use ward_desk::seal::Secret;

/// The PostgreSQL store.
#[derive(Debug)]
pub struct PgStore {
    _private: (),
}

impl PgStore {
    /// Connects and migrates.
    pub fn open(url: &str, audit_key: Secret) -> crate::Result<PgStore> {
        let _ = (url, audit_key);
        todo!()
    }
}
