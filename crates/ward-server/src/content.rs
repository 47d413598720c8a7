//! A report's sealed content, and reading it (which is audited).
