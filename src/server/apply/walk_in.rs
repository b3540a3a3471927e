//! Counter registration: a front-desk officer starts a journey for the resident in front of
//! them, tied to the officer's session and service point.

use super::*;
/// Whether the request comes from the officer who began this counter registration, still a
/// front-desk officer of its service point.
pub(super) async fn officer_at_counter(state: &AppState, officer: Option<&StaffMember>, walk_in: &WalkInDraft) -> Result<bool, AppError> {
    let pool = state.db.pool();
    let doing = "checking the officer of a counter registration";
    let Some(me) = officer else { return Ok(false) };
    if me.id != walk_in.staff_id || !me.has(crate::domain::workflow::Role::FrontDesk) {
        return Ok(false);
    }
    let points = crate::server::db::service_points::of_staff(pool, me.id).await.map_err(|e| AppError::internal(&e, doing))?;
    Ok(points.iter().any(|(id, _)| *id == walk_in.service_point_id))
}

#[derive(Deserialize)]
pub struct WalkInForm {
    loket: Option<i64>,
}

/// `POST /petugas/loket/mulai`: a front-desk officer starts a registration for the resident
/// at the counter. Always a fresh draft on this browser (the previous resident's is left).
pub async fn start_walk_in(
    State(state): State<AppState>,
    me: StaffMember,
    headers: HeaderMap,
    form: Result<Form<WalkInForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Refusal> {
    let pool = state.db.pool();
    let points = crate::server::db::service_points::of_staff(pool, me.id).await.context("starting a counter registration")?;
    let wanted = form.ok().and_then(|Form(f)| f.loket);
    let point = match wanted {
        Some(id) => points.into_iter().find(|(p, _)| *p == id),
        // Without a choice, the officer's only service point.
        None if points.len() == 1 => points.into_iter().next(),
        None => None,
    };
    let (true, Some((service_point_id, service_point))) = (me.has(crate::domain::workflow::Role::FrontDesk), point) else {
        tracing::warn!(staff = me.id, "refused a counter registration outside the officer's role or service points");
        return Err(Refusal::Forbidden);
    };
    let held = Held::fresh(ApplicationDraft {
        walk_in: Some(WalkInDraft { staff_id: me.id, officer: me.full_name, service_point_id, service_point }),
        ..ApplicationDraft::new()
    });
    // Tied to this session: the officer's sign-out (or its expiry) ends it, so the counter
    // browser does not keep the resident's NIK for the next person.
    let session = crate::server::auth::session_from(&headers).map(|t| t.hash());
    drafts::save(pool, &held.token, &held.draft, None, held.draft.lifetime(), session.as_deref()).await.map_err(draft_failed)?;
    Ok(go(&Step::Who.path(), &held))
}

