//! Errors a page, server function or API call can return, with variants the user can act on.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// An error shown to users. Internal causes are logged on the server and never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (message already in the user's language).
    #[error("{0}")]
    NotFound(String),
    /// A parameter is malformed or out of range (message already in the user's language).
    #[error("{0}")]
    InvalidInput(String),
    /// The store is unreachable for the moment.
    #[error("the service is temporarily unavailable")]
    Unavailable,
    /// Something failed on the server; details are in the server log.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// The HTTP status that fits.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::InvalidInput(_) => 400,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }
    /// A stable machine-readable code for JSON errors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::InvalidInput(_) => "invalid_input",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                Self::InvalidInput(msg)
            }
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<store::StoreError> for AppError {
    fn from(e: store::StoreError) -> Self {
        tracing::error!(error.cause_chain = ?e, error.message = %e, "store error");
        if e.is_unavailable() {
            Self::Unavailable
        } else {
            Self::Internal
        }
    }
}
