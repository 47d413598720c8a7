//! The SQLite backend: one file, WAL, `synchronous=NORMAL` ... (to be written).

use std::path::Path;

use ward_desk::seal::Secret;

/// The SQLite store.
#[derive(Debug)]
pub struct SqliteStore {
    _private: (),
}

impl SqliteStore {
    /// Opens and migrates the file.
    pub fn open(path: &Path, audit_key: Secret) -> crate::Result<SqliteStore> {
        let _ = (path, audit_key);
        todo!()
    }
}
