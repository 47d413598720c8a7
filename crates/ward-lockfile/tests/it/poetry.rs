//! poetry tests.
