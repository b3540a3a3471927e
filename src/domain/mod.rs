//! The domain core: Layan's rules in plain Rust, with no I/O, compiled into both the
//! server and the browser bundle so a rule is written once and checked on both sides.
//! Types here can only hold valid values ("parse, don't validate").

/// `String` conversions for newtypes over a `String` that can only be built by `parse`:
/// with `#[serde(try_from = "String", into = "String")]`, deserialising parses too.
macro_rules! string_conversions {
    ($($ty:ident: $err:ty),+ $(,)?) => {$(
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(text: String) -> Result<Self, $err> {
                $ty::parse(&text)
            }
        }
    )+};
}

pub mod admin;
pub mod apply;
pub mod breach;
pub mod correction;
pub mod complaint;
pub mod date;
pub mod decision;
pub mod disclosure;
pub mod document;
pub mod eligibility;
pub mod guessing;
pub mod identity;
pub mod letter;
pub mod person;
pub mod program;
pub mod region;
pub mod registration;
pub mod report;
pub mod retention;
pub mod sms;
pub mod staff;
pub mod workflow;

pub use date::Date;
pub use identity::{IdentityError, Nik, NikBirthDate, NomorKk, RegionCheck, Sex};
pub use program::{DocumentKind, ProgramCode, WorkingDays};
pub use region::{RegionCode, RegionDirectory, RegionLevel, RegionOption};
