//! (being written)

use crate::auth::{Authorized, perm};
use crate::error::WebError;

pub(crate) async fn login_page(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn login(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn totp_page(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn totp(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn logout(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn setup_page(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn setup(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}
