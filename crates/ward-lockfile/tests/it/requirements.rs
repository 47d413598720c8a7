//! requirements tests.
