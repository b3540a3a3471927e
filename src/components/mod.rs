//! Pieces of interface shared by several pages.

pub mod layout;
