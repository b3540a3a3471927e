//! What pages show and call: the page types (shared with the browser) and thin functions
//! that fetch them, over the feature code in `server`.
//!
//! Two kinds of function, and only two:
//! - **loaders** (`loader! { … }`): a page's data, run on the server while it renders. Not
//!   endpoints: there is no URL to ask them from and no client code for them; the macro
//!   writes the one stub the browser build needs.
//! - **server functions** (`#[server]`): endpoints, for what a browser island or another
//!   client calls — the region lists (`regions`), the staff's operations (`casework`), and
//!   the program catalogue (`programs`, public open data). Each is reachable by anyone on the
//!   internet, so each checks who is calling and what they may see.
//!
//! Neither holds a query: those live in `server::db`.

/// A page's data loader: the body runs on the server only; in the browser build the
/// function exists (pages name it) and answers "server only" if it were ever called.
macro_rules! loader {
    ($(#[$meta:meta])* $vis:vis async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$meta])*
        #[cfg(feature = "ssr")]
        $vis async fn $name($($arg: $ty),*) -> $ret $body

        $(#[$meta])*
        #[cfg(not(feature = "ssr"))]
        $vis async fn $name($($arg: $ty),*) -> $ret {
            let _ = ($($arg,)*);
            Err($crate::error::AppError::server_only())
        }
    };
}
pub(crate) use loader;

pub mod admin;
pub mod apply;
pub mod casework;
pub mod check;
pub mod complaints;
pub mod letters;
pub mod programs;
pub mod regions;
pub mod reports;
pub mod review;
pub mod staff;
pub mod tracking;
