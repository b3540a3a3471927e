//! Server functions: Layan's public endpoints, called by the pages over HTTP.
//!
//! Each one is reachable by anyone on the internet, so each checks who is calling and
//! what they may see, parses its input into domain types, calls the core and persists.
//! The queries themselves live in `server::db`.

pub mod admin;
pub mod apply;
pub mod casework;
pub mod check;
pub mod complaints;
pub mod programs;
pub mod regions;
pub mod reports;
pub mod review;
pub mod staff;
pub mod tracking;
