//! The error server functions return to the browser.
//!
//! Two kinds of failure reach a person: ones they can fix (typed variants, added by the
//! features that need them) and ones they cannot. The latter are logged on the server with
//! their cause and a short reference; the person sees only the reference, never the cause.

use serde::{Deserialize, Serialize};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Something on our side failed; `reference` is also in the server log.
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
    /// The resident's draft was saved, submitted or discarded by another request (another
    /// tab, a late upload) since this one read it: nothing was changed.
    #[error("the draft changed")]
    DraftChanged,
    /// The request never reached the function, or its answer never came back.
    #[error("transport: {0}")]
    Transport(ServerFnErrorErr),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value)
    }
}

/// A form that was not accepted: the values as typed and the problems by field. The page
/// the form is on reads it (from the context of the page rendered in answer to the post, or
/// from a server function's error) and shows both; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused<P> {
    pub values: Vec<(String, String)>,
    pub problems: Vec<(String, P)>,
}

impl<P: Copy> Refused<P> {
    /// The problem of one field, if it has one.
    pub fn problem(&self, field: &str) -> Option<P> {
        self.problems.iter().find(|(f, _)| f == field).map(|(_, p)| *p)
    }
}

/// The error of the staff's server functions (claim, release, a move, a reply): what the
/// page — or another client calling the same function as JSON — can act on. The HTTP status
/// says the same: 401, 403, 404, 422/409 for a refused form, 500.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum StaffError<P> {
    #[error("no live staff session")]
    SignIn,
    #[error("not for this staff member's roles or areas")]
    Forbidden,
    #[error("no such item")]
    NotFound,
    #[error("the request does not read")]
    BadRequest,
    /// The form was judged and refused: nothing changed.
    #[error("refused")]
    Refused(Refused<P>),
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
    #[error("transport: {0}")]
    Transport(ServerFnErrorErr),
}

impl<P> FromServerFnError for StaffError<P>
where
    P: Clone + std::fmt::Debug + Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        StaffError::Transport(value)
    }
}

impl<P> StaffError<P> {
    /// The short code shown on a page that could not be loaded.
    pub fn reference(&self) -> &str {
        match self {
            StaffError::Internal { reference } => reference,
            StaffError::Transport(_) => "jaringan",
            StaffError::SignIn => "masuk",
            StaffError::Forbidden | StaffError::NotFound | StaffError::BadRequest | StaffError::Refused(_) => "ditolak",
        }
    }
}

impl<P> From<AppError> for StaffError<P> {
    fn from(e: AppError) -> Self {
        StaffError::Internal { reference: e.reference().to_string() }
    }
}

impl AppError {
    /// For data loaders of server-rendered pages, which are not endpoints: asked for in the
    /// browser (which never happens), they answer this.
    pub fn server_only() -> Self {
        AppError::Transport(ServerFnErrorErr::ServerError("server only".into()))
    }

    /// The short code shown to the person so staff can find the log line.
    pub fn reference(&self) -> &str {
        match self {
            AppError::Internal { reference } => reference,
            AppError::Transport(_) => "jaringan",
            AppError::DraftChanged => "draf",
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs an unexpected failure with its whole cause chain and returns the error the
    /// person sees. `doing` says what we were doing, so the log reads as a story.
    pub fn internal(error: &(dyn std::error::Error + 'static), doing: &str) -> Self {
        let reference = format!("{:08x}", rand::random::<u32>());
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(reference = %reference, "{doing}: {chain}");
        AppError::Internal { reference }
    }
}
