//! Interoperability with the real tools, both ways.
