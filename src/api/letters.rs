//! Letters (decision and referral letters) and their verification: the data of the printable
//! letter pages (staff from the review page, residents from tracking), of the public
//! verification page a letter's QR code opens, and of the page publishing the office's key.

use crate::domain::letter::LetterKind;
use crate::domain::workflow::{Role, Status};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// A letter page's data, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LetterOutcome {
    /// No staff session, or no tracking session.
    SignedOut,
    /// Not this caller's to see, or no such letter.
    NotFound,
    Ready(Box<LetterView>),
}

/// One letter as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterView {
    pub kind: LetterKind,
    pub office_name: String,
    pub office_address: String,
    /// The logo as a `data:` address, if the office configured one.
    pub logo: Option<String>,
    pub letter_number: String,
    /// "1 Desember 2026".
    pub issued_on: String,
    pub application_number: String,
    pub program: String,
    pub submitted_on: String,
    pub name: String,
    pub address: Vec<String>,
    /// Only on the referral letter, so the agency can find the person.
    pub nik: Option<String>,
    /// Approved: the aid and its value.
    pub service: Option<String>,
    pub amount: Option<String>,
    /// Rejected: the reason; and the last day to dispute.
    pub reason: Option<String>,
    pub dispute_until: Option<String>,
    /// Referred: to which program or agency.
    pub referred_to: Option<String>,
    /// What the decision's author wrote for the resident.
    pub note: Option<String>,
    pub signer_role: Role,
    pub verify_url: String,
    pub qr_svg: String,
    /// The data was erased at the end of retention: no letter can be made any more.
    pub erased: bool,
}

/// What the verification page says of a code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    /// Signed by this office and matching its record.
    Genuine(VerifiedLetter),
    /// Changed, made up, or signed by another key.
    NotGenuine,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedLetter {
    pub kind: LetterKind,
    pub issued_on: String,
    pub letter_number: String,
    pub office: String,
    /// Where the application stands today.
    pub status_today: Status,
    pub initials: String,
}

/// The office's public key, for checking letters offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    pub office: String,
    pub hex: String,
}

crate::api::loader! {
    pub async fn staff_letter(id: i64, kind: String) -> Result<LetterOutcome, AppError> {
        let Some(me) = crate::api::staff::signed_in().await? else {
            leptos_axum::redirect("/petugas/masuk");
            return Ok(LetterOutcome::SignedOut);
        };
        let state = crate::server::state::app_state()?;
        let Some(kind) = LetterKind::from_slug(&kind) else { return Ok(LetterOutcome::NotFound) };
        crate::server::letters::for_staff(&state, &me, id, kind).await
    }
}

crate::api::loader! {
    pub async fn resident_letter(kind: String) -> Result<LetterOutcome, AppError> {
        let state = crate::server::state::app_state()?;
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(AppError::Transport)?;
        let Some(kind) = LetterKind::from_slug(&kind) else { return Ok(LetterOutcome::NotFound) };
        crate::server::letters::for_resident(&state, &headers, kind).await
    }
}

crate::api::loader! {
    pub async fn verify_letter(code: String) -> Result<Verification, AppError> {
        let state = crate::server::state::app_state()?;
        crate::server::letters::verify_online(&state, &code).await
    }
}

crate::api::loader! {
    pub async fn public_key() -> Result<PublicKey, AppError> {
        let state = crate::server::state::app_state()?;
        Ok(PublicKey { office: state.config.office.name.clone(), hex: crate::server::letters::hex(state.letters.public_key()) })
    }
}
