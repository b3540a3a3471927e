//! Pieces of interface shared by several pages.

pub mod form;
pub mod layout;
pub mod program_card;
