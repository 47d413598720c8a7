//! Notifications queued in the store's outbox.
