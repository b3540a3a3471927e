//! Letters: signing and checking their codes under the office's Ed25519 key, and the data of
//! the letter pages and the verification page. A code is `LetterFacts` and the signature
//! over them, base64url; the public key alone checks one (`layan verify-letter`), and the
//! verification page also holds it against the office's record.

use super::auth::StaffMember;
use super::config::{ConfigError, OfficeConfig};
use super::db::{self, casework, letters::LetterRow};
use super::secrets::PinKey;
use super::state::AppState;
use crate::api::letters::{LetterOutcome, LetterView, VerifiedLetter, Verification};
use crate::domain::date::office_day;
use crate::domain::decision::{Action, format_rupiah};
use crate::domain::disclosure::Part;
use crate::domain::complaint::dispute_until;
use crate::domain::letter::{LetterFacts, LetterKind, initials, number};
use crate::domain::registration::RegistrationNumber;
use crate::domain::workflow::{Role, Status};
use crate::domain::RegionCode;
use crate::error::AppError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, Ed25519KeyPair, KeyPair as _};

/// Bytes of an Ed25519 signature.
const SIGNATURE: usize = 64;
/// The largest logo the letterhead takes.
const LOGO_BYTES: u64 = 200 * 1024;

/// The office's signing key and letterhead, loaded once at start.
pub struct Letters {
    key: Ed25519KeyPair,
    public: [u8; 32],
    logo: Option<String>,
}

impl std::fmt::Debug for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Letters {{ public: {} }}", hex(&self.public))
    }
}

impl Letters {
    /// The key from `LAYAN_SIGNING_KEY`, or (unset) one derived from the PIN key, so every
    /// instance sharing `LAYAN_SECRET_KEY` signs alike; and the logo, checked.
    pub fn load(office: &OfficeConfig, pin_key: &PinKey) -> Result<Letters, ConfigError> {
        let seed = office.signing_key.as_ref().map(|s| s.0).unwrap_or_else(|| pin_key.derive("letter signing"));
        let key = Ed25519KeyPair::from_seed_unchecked(&seed)
            .map_err(|_| ConfigError { variable: "LAYAN_SIGNING_KEY", problem: "is not an Ed25519 seed".into() })?;
        let public: [u8; 32] = key.public_key().as_ref().try_into().expect("an Ed25519 public key is 32 bytes");
        let logo = office.logo.as_deref().map(logo_data).transpose()?;
        Ok(Letters { key, public, logo })
    }

    pub fn public_key(&self) -> &[u8; 32] {
        &self.public
    }

    /// The letter's code: its facts and the signature over them.
    pub fn code(&self, facts: &LetterFacts) -> String {
        let mut bytes = facts.to_bytes();
        bytes.extend_from_slice(self.key.sign(&bytes).as_ref());
        URL_SAFE_NO_PAD.encode(bytes)
    }
}

/// The logo file as a `data:` address (the letter page then needs no other request).
fn logo_data(path: &std::path::Path) -> Result<String, ConfigError> {
    let bad = |problem: String| ConfigError { variable: "LAYAN_OFFICE_LOGO", problem };
    let size = std::fs::metadata(path).map_err(|e| bad(format!("{} cannot be read: {e}", path.display())))?.len();
    if size > LOGO_BYTES {
        return Err(bad(format!("must be at most {} KB", LOGO_BYTES / 1024)));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("{} cannot be read: {e}", path.display())))?;
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let mime = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if head.trim_start().starts_with("<svg") || (head.trim_start().starts_with("<?xml") && head.contains("<svg")) {
        "image/svg+xml"
    } else {
        return Err(bad("must be a PNG, JPEG or SVG file".into()));
    };
    Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// The facts a code vouches for, if `public_key` signed them; `None` for a changed, cut or
/// made-up code. Takes the code alone or the whole verification address.
pub fn read(public_key: &[u8], code: &str) -> Option<LetterFacts> {
    let code = code.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let code = code.split(['?', '#']).next().unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD.decode(code).ok()?;
    let (facts, signed) = bytes.split_at_checked(bytes.len().checked_sub(SIGNATURE)?)?;
    signature::UnparsedPublicKey::new(&signature::ED25519, public_key).verify(facts, signed).ok()?;
    LetterFacts::from_bytes(facts)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a letter row's code says; the initials as they were when it was issued.
fn facts_of(row: &LetterRow, utc_offset_hours: i64) -> Option<LetterFacts> {
    Some(LetterFacts {
        kind: LetterKind::from_slug(&row.kind)?,
        issued_on: office_day(&row.issued_at, utc_offset_hours)?,
        year: u16::try_from(row.year).ok()?,
        sequence: u32::try_from(row.sequence).ok()?,
        application: row.registration_number.clone(),
        initials: initials(&row.name),
    })
}

/// The verification page: genuine if the signature holds and the office has that letter for
/// that application on that day. Nothing about the person but the initials the code carries.
pub async fn verify_online(state: &AppState, code: &str) -> Result<Verification, AppError> {
    let Some(facts) = read(state.letters.public_key(), code) else { return Ok(Verification::NotGenuine) };
    let row = db::letters::by_number(state.db.pool(), facts.year as i64, facts.sequence as i64)
        .await
        .map_err(|e| AppError::internal(&e, "verifying a letter"))?;
    let offset = state.config.utc_offset_hours;
    let matches = row.as_ref().is_some_and(|r| {
        r.kind == facts.kind.slug() && r.registration_number == facts.application && office_day(&r.issued_at, offset) == Some(facts.issued_on)
    });
    let (Some(row), true) = (row, matches) else { return Ok(Verification::NotGenuine) };
    Ok(Verification::Genuine(VerifiedLetter {
        kind: facts.kind,
        issued_on: crate::i18n::letters::long_date(facts.issued_on),
        letter_number: number(&state.config.office.letter_number, facts.sequence, facts.issued_on),
        office: state.config.office.name.clone(),
        status_today: Status::from_slug(&row.status).unwrap_or(Status::Submitted),
        initials: facts.initials,
    }))
}

/// The letter kinds an application has (the latest of each), for links to them.
pub async fn kinds(pool: &sqlx::AnyPool, application_id: i64) -> Result<Vec<LetterKind>, sqlx::Error> {
    Ok(db::letters::of_application(pool, application_id).await?.iter().filter_map(|l| LetterKind::from_slug(&l.kind)).collect())
}

/// A letter for staff who may open the application; the opening is logged like the review.
pub async fn for_staff(state: &AppState, me: &StaffMember, id: i64, kind: LetterKind) -> Result<LetterOutcome, AppError> {
    let failed = |e: sqlx::Error| AppError::internal(&e, "showing a letter to staff");
    let pool = state.db.pool();
    let Some(scope) = casework::scope(pool, id).await.map_err(failed)? else { return Ok(LetterOutcome::NotFound) };
    if !super::casework::may_open(me, &scope.regency_code, &scope.district_code, scope.restricted) {
        tracing::warn!(staff = me.id, application = id, "refused a letter outside the staff member's roles or areas, or of restricted data");
        return Ok(LetterOutcome::NotFound);
    }
    let Some(letter) = db::letters::of_application(pool, id).await.map_err(failed)?.into_iter().find(|l| l.kind == kind.slug()) else {
        return Ok(LetterOutcome::NotFound);
    };
    casework::record_access(pool, me.id, id, casework::Access::Letter { kind: kind.slug() }).await.map_err(failed)?;
    view(state, id, &letter).await.map_err(failed)
}

/// A letter for the resident following the application in this browser: the person (or one
/// they let see the details), never someone who only applied for them.
pub async fn for_resident(state: &AppState, headers: &axum::http::HeaderMap, kind: LetterKind) -> Result<LetterOutcome, AppError> {
    let failed = |e: sqlx::Error| AppError::internal(&e, "showing a letter to a resident");
    let pool = state.db.pool();
    let Some(token) = super::tracking::session_from(headers) else { return Ok(LetterOutcome::SignedOut) };
    let Some(opened) = db::tracking::session(pool, &token).await.map_err(failed)? else { return Ok(LetterOutcome::SignedOut) };
    let Some(id) = opened.application_id else { return Ok(LetterOutcome::SignedOut) };
    let Some(looking) = super::tracking::looking(pool, &opened, id).await.map_err(failed)? else { return Ok(LetterOutcome::NotFound) };
    if !looking.viewer.sees(Part::Details) {
        return Ok(LetterOutcome::NotFound);
    }
    let Some(letter) = db::letters::of_application(pool, id).await.map_err(failed)?.into_iter().find(|l| l.kind == kind.slug()) else {
        return Ok(LetterOutcome::NotFound);
    };
    view(state, id, &letter).await.map_err(failed)
}

async fn view(state: &AppState, id: i64, letter: &LetterRow) -> Result<LetterOutcome, sqlx::Error> {
    let pool = state.db.pool();
    let offset = state.config.utc_offset_hours;
    let Some(row) = casework::find(pool, id).await? else { return Ok(LetterOutcome::NotFound) };
    let (Some(facts), Some(kind)) = (facts_of(letter, offset), LetterKind::from_slug(&letter.kind)) else { return Ok(LetterOutcome::NotFound) };
    let (details,): (Option<String>,) =
        sqlx::query_as("SELECT details FROM application_history WHERE id = $1").bind(letter.history_id).fetch_one(pool).await?;
    let action = details.as_deref().and_then(|d| serde_json::from_str::<Action>(d).ok());
    let (mut service, mut amount, mut reason, mut referred_to, mut note) = (None, None, None, None, None);
    match &action {
        Some(Action::Approve { service: s, amount_rupiah, note: n }) => {
            service = Some(s.clone());
            amount = amount_rupiah.map(format_rupiah);
            note = n.clone();
        }
        Some(Action::Reject { reason: r, note: n }) => {
            reason = Some((crate::i18n::Lang::Id.case().reason)(*r).to_string());
            note = n.clone();
        }
        Some(Action::Refer { to, note: n }) => {
            referred_to = Some(to.clone());
            note = n.clone();
        }
        _ => {}
    }
    let mut address = vec![format!("{}, RT {} / RW {}", row.street, row.rt, row.rw)];
    if let Ok(village) = RegionCode::parse(&row.village_code) {
        address.extend(db::regions::path_names(pool, &village).await?);
    }
    let code = state.letters.code(&facts);
    let verify_url = format!("{}/verifikasi/{code}", state.config.public_url);
    let qr_svg = qrcode::QrCode::with_error_correction_level(verify_url.as_bytes(), qrcode::EcLevel::M)
        .map(|qr| qr.render::<qrcode::render::svg::Color>().min_dimensions(150, 150).quiet_zone(true).build())
        .map_err(|e| sqlx::Error::Protocol(format!("drawing a QR code: {e}")))?;
    let issued_on = facts.issued_on;
    Ok(LetterOutcome::Ready(Box::new(LetterView {
        kind,
        office_name: state.config.office.name.clone(),
        office_address: state.config.office.address.clone(),
        logo: state.letters.logo.clone(),
        letter_number: number(&state.config.office.letter_number, facts.sequence, issued_on),
        issued_on: crate::i18n::letters::long_date(issued_on),
        application_number: RegistrationNumber::display_stored(row.registration_number.clone()),
        program: row.program_name_id.clone(),
        submitted_on: office_day(&row.submitted_at, offset).map(crate::i18n::letters::long_date).unwrap_or_default(),
        name: row.name.clone(),
        address,
        nik: (kind == LetterKind::Referral).then(|| row.nik.clone()),
        service,
        amount,
        reason,
        dispute_until: (kind == LetterKind::Rejected).then(|| crate::i18n::letters::long_date(dispute_until(issued_on))),
        referred_to,
        note: note.filter(|n| !n.trim().is_empty()),
        signer_role: Role::from_slug(&letter.signer_role).unwrap_or(Role::Supervisor),
        verify_url,
        qr_svg,
        erased: row.erased_at.is_some(),
    })))
}
