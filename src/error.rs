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
