//! One module per page.

pub mod admin;
pub mod apply;
pub mod check;
pub mod complaints;
pub mod home;
pub mod letters;
pub mod not_found;
pub mod offline;
pub mod reports;
pub mod review;
pub mod staff;
pub mod tracking;
