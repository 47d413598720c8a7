//! ward-vulndb's integration tests: real databases in temporary directories, filled from the
//! shared data and from records written by the tests, and a real HTTP server on 127.0.0.1.

mod archives;
mod datasets;
mod support;
