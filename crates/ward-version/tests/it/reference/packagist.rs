//! Packagist differential tests (being written).
