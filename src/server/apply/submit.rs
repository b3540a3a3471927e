//! Submitting: every step checked again, the declaration, then exactly one application per
//! draft (one transaction in `db::applications::submit`, idempotent by the draft's key).

use super::*;
use crate::domain::workflow::Channel;

/// Everything the draft says, parsed again as on the day it is submitted.
pub(super) struct Checked {
    who: Who,
    person: Person,
    address: Address,
    kk: crate::domain::NomorKk,
    need: Need,
    documents: Vec<DocumentKind>,
    deadline: crate::domain::WorkingDays,
}

/// The server's full check of the resident's email, when they gave one (as everywhere).
pub(super) fn email_deliverable(person: &Person) -> bool {
    person.email.as_ref().is_none_or(|e| crate::server::mail::deliverable(e.as_str()))
}

/// Re-checks every step; the steps that fail are returned (their pages say why).
pub(super) async fn check_all(state: &AppState, token: &DraftToken, draft: &ApplicationDraft) -> Result<Result<Checked, Vec<Step>>, AppError> {
    let mut missing = Vec::new();
    let who = Who::parse(draft.answers(Step::Who)).map_err(|_| missing.push(Step::Who)).ok();
    let person = Person::parse(&person_form(draft.answers(Step::Person)), today(state), state.regions.as_ref())
        .ok()
        .filter(email_deliverable);
    if person.is_none() {
        missing.push(Step::Person);
    }
    let address = match Address::parse(draft.answers(Step::Address)) {
        Ok(a) if village_exists(state, &a.village).await? => Some(a),
        _ => {
            missing.push(Step::Address);
            None
        }
    };
    let kk = core::parse_kk(draft.answers(Step::Household)).map_err(|_| missing.push(Step::Household)).ok();
    let (fits, categories) = open_fits(state).await?;
    let need = Need::parse(draft.answers(Step::Need), &fits, &categories).map_err(|_| missing.push(Step::Need)).ok();
    let requirements = match &need {
        Some(n) => crate::server::db::programs::requirements(state.db.pool(), n.program.as_str())
            .await
            .map_err(|e| AppError::internal(&e, "reading a program's documents"))?,
        None => None,
    };
    let uploads = apps::draft_uploads(state.db.pool(), &token.hash()).await.map_err(|e| AppError::internal(&e, "listing uploads"))?;
    let documents: Vec<DocumentKind> = uploads.iter().filter_map(|u| u.kind()).collect();
    if let Some((required, _)) = &requirements {
        if required.iter().any(|k| !documents.contains(k)) {
            missing.push(Step::Documents);
        }
    }
    match (who, person, address, kk, need, requirements) {
        (Some(who), Some(person), Some(address), Some(kk), Some(need), Some((_, deadline))) if missing.is_empty() => {
            Ok(Ok(Checked { who, person, address, kk, need, documents, deadline }))
        }
        _ => Ok(Err(missing)),
    }
}

/// `POST /ajukan/kirim`: the declaration, then exactly one application per draft.
pub async fn submit(
    State(state): State<AppState>,
    officer: Option<StaffMember>,
    Draft(found): Draft,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Refusal> {
    let held = found.ok_or(Refusal::SeeOther("/ajukan"))?;
    Ok(handle_submit(&state, &headers, officer.as_ref(), held, pairs).await?)
}

pub(super) async fn handle_submit(
    state: &AppState,
    headers: &HeaderMap,
    officer: Option<&StaffMember>,
    held: Held,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    if held.draft.submitted.is_some() {
        return Ok(go("/ajukan/selesai", &held));
    }
    let (token, draft) = (&held.token, &held.draft);
    let review = Step::Review.path();
    let reject = |issues: Vec<IssueAt>| async move {
        render(state, headers, &review, Rejected { values: Vec::new(), issues }, StatusCode::UNPROCESSABLE_ENTITY).await
    };
    if field(&pairs, core::step_fields::KEY) != draft.key {
        // A form from another (older) draft: show this draft's answers to check instead.
        return Ok(go(&Step::Review.path(), &held));
    }
    let checked = match check_all(state, &token, &draft).await? {
        Ok(checked) => checked,
        Err(_) => {
            // A simultaneous tap may have just submitted this draft (its files moved to the
            // application): that is success, not an incomplete step.
            let made = apps::number_for_key(state.db.pool(), &draft.key).await.map_err(|e| AppError::internal(&e, "submitting"))?;
            if made.is_some() {
                return Ok(go("/ajukan/selesai", &held));
            }
            return Ok(reject(issues(vec![FieldProblem::new("periksa", Problem::StepIncomplete)])).await);
        }
    };
    if field(&pairs, core::step_fields::DECLARATION) != "ya" {
        return Ok(reject(issues(vec![FieldProblem::new(core::step_fields::DECLARATION, Problem::DeclarationMissing)])).await);
    }
    // A counter registration is the officer's act: it needs the officer still signed in,
    // still at the front desk of that service point.
    let counter = match &draft.walk_in {
        None => None,
        Some(walk_in) => match officer_at_counter(state, officer, walk_in).await? {
            true => Some(walk_in.clone()),
            false => return Ok(Redirect::to("/petugas/masuk").into_response()),
        },
    };

    let today = today(state);
    let holidays = apps::holidays_from(state.db.pool(), today).await.map_err(|e| AppError::internal(&e, "reading holidays"))?;
    let decision_due = checked.deadline.after(today, &holidays);
    let pin = TrackingPin::from_random(rand::random());
    let pin_hash = state.pin_key.seal(pin.as_str());
    let household: Vec<_> = draft.members.iter().map(|m| (m.nik.as_str(), m.name.as_str(), m.role.slug())).collect();
    let doing = "submitting an application";
    // A clash of random numbers is astronomically rare; a fresh number is simply tried.
    for _ in 0..3 {
        let number = RegistrationNumber::from_random(rand::random());
        let pin_visible_until = crate::server::db::utc_in(PIN_VISIBLE_SECONDS);
        let submitted_draft = ApplicationDraft {
            submitted: Some(SubmittedDraft {
                number: number.as_str().to_string(),
                pin: pin.as_str().to_string(),
                pin_visible_until: pin_visible_until.clone(),
            }),
            walk_in: draft.walk_in.clone(),
            ..ApplicationDraft { key: draft.key.clone(), ..Default::default() }
        };
        let new = NewApplication {
            idempotency_key: draft.key.clone(),
            number,
            pin_hash: pin_hash.clone(),
            channel: if counter.is_some() { Channel::ServicePoint } else { Channel::Online }.stored(),
            registered_by: counter.as_ref().map(|w| w.staff_id),
            service_point_id: counter.as_ref().map(|w| w.service_point_id),
            program_code: checked.need.program.as_str().to_string(),
            ppks_code: checked.need.category,
            nik: checked.person.nik.as_str().to_string(),
            kk: checked.kk.as_str().to_string(),
            name: checked.person.name.as_str().to_string(),
            birth_date: checked.person.birth_date,
            sex: checked.person.sex.letter(),
            phone: checked.person.phone.as_str().to_string(),
            email: checked.person.email.as_ref().map(|e| e.as_str().to_string()),
            village_code: checked.address.village.as_str().to_string(),
            street: checked.address.street.clone(),
            rt: checked.address.rt.clone(),
            rw: checked.address.rw.clone(),
            description: checked.need.description.clone(),
            applicant_json: serde_json::to_string(&checked.who).map_err(|e| AppError::internal(&e, doing))?,
            household_json: serde_json::to_string(&household).map_err(|e| AppError::internal(&e, doing))?,
            decision_due,
            draft_hash: token.hash(),
            draft_version: held.version.unwrap_or_default(),
            submitted_draft_json: serde_json::to_string(&submitted_draft).map_err(|e| AppError::internal(&e, doing))?,
            pin_visible_until,
        };
        match apps::submit(&state.db, &new, state.config.utc_offset_hours).await {
            Ok(Submitted::Created { linked_in_family, possible_duplicate, .. }) => {
                tracing::info!(documents = checked.documents.len(), linked_in_family, possible_duplicate, "application submitted");
                return Ok(go("/ajukan/selesai", &held));
            }
            Ok(Submitted::AlreadySubmitted { .. }) => return Ok(go("/ajukan/selesai", &held)),
            Err(SubmitError::DraftChanged) => return Err(AppError::DraftChanged),
            Err(SubmitError::ProgramClosed) => {
                return Ok(reject(issues(vec![FieldProblem::new("periksa", Problem::StepIncomplete)])).await);
            }
            Err(SubmitError::Db(e)) if matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation()) => continue,
            Err(SubmitError::Db(e)) => return Err(AppError::internal(&e, doing)),
        }
    }
    Err(AppError::internal(&std::io::Error::other("three registration numbers clashed"), doing))
}

