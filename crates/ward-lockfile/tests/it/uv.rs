//! uv tests.
