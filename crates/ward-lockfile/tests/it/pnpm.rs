//! pnpm-lock.yaml tests (written by lockfile-b).
