//! discover tests.
