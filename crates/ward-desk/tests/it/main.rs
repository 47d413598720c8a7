#![allow(clippy::unwrap_used)]

mod intake;
