//! (being written)

use crate::auth::{Authorized, perm};
use crate::error::WebError;

pub(crate) async fn policy(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn submit_form(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn submit_encrypted_form(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn follow_up(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn follow_up_reply(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn intake_key(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn security_txt(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn stylesheet(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn api_submit(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}

pub(crate) async fn api_submit_encrypted(_: Authorized<perm::ViewPublic>) -> Result<(), WebError> {
    Err(WebError::NotFound)
}
