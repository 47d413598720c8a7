//! The local vulnerability database (skeleton; see issue 3).

#![deny(missing_docs)]
#![forbid(unsafe_code)]
