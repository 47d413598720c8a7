//! (being written)

use crate::auth::{Authorized, perm};
use crate::error::WebError;

pub(crate) async fn users(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn create_user(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn update_user(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn scope(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn add_scope(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn delete_scope(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn audit(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}
