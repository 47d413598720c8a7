//! npm tests.
