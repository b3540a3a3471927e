//! Pieces of interface shared by several pages.

pub mod apply_islands;
pub mod form;
pub mod layout;
pub mod program_card;
pub mod staff_islands;
