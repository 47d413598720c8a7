//! yarn.lock tests (written by lockfile-b).
