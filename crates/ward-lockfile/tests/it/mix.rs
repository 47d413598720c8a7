//! mix tests.
