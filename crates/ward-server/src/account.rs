//! (being written)

use crate::auth::{Authorized, perm};
use crate::error::WebError;

pub(crate) async fn page(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn password(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn totp_page(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn totp_confirm(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn create_token(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn delete_token(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}
