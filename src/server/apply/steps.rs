//! The step posts of the journey: starting a draft, then each step's form parsed by the
//! domain core and saved, or shown again with its problems.

use super::*;

#[derive(Deserialize)]
pub struct StartForm {
    program: Option<String>,
}

/// A new draft for a resident, within their address's hourly budget of new drafts; past it,
/// the 429 to answer.
pub(super) async fn new_draft(state: &AppState, connection: crate::server::http::Peer, headers: &HeaderMap) -> Result<Held, Response> {
    let address = crate::server::http::client_address(state, connection, headers);
    match crate::server::limits::take(state.db.pool(), crate::domain::guessing::Write::Draft, &address).await {
        Ok(None) => Ok(Held::fresh(ApplicationDraft::new())),
        Ok(Some(retry_after)) => {
            tracing::warn!("new drafts throttled for an address");
            Err(crate::server::http::too_many_writes(Lang::from_headers(headers), retry_after))
        }
        Err(e) => Err(Refusal::internal(&e, "counting new drafts").into_response()),
    }
}

/// `POST /ajukan/mulai`: starts a draft (or a new one after a submitted one).
pub async fn start(
    State(state): State<AppState>,
    connection: crate::server::http::Peer,
    Draft(existing): Draft,
    headers: HeaderMap,
    Form(form): Form<StartForm>,
) -> Result<Response, Refusal> {
    let existing = existing.filter(|h| h.draft.submitted.is_none());
    let mut held = match existing {
        Some(held) => held,
        None => match new_draft(&state, connection, &headers).await {
            Ok(held) => held,
            Err(refused) => return Ok(refused),
        },
    };
    if let Some(code) = form.program.as_deref().and_then(|p| crate::domain::ProgramCode::parse(p.trim()).ok()) {
        held.draft.program = Some(code.as_str().to_string());
    }
    save(&state, &held).await?;
    Ok(go(&Step::Who.path(), &held))
}

/// `POST /ajukan/{step}`: one step's answers.
pub async fn post_step(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    connection: crate::server::http::Peer,
    Draft(found): Draft,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Refusal> {
    let step = Step::from_slug(&slug).filter(|s| !matches!(s, Step::Documents | Step::Review)).ok_or(Refusal::NotFound)?;
    let Ok(Form(pairs)) = form else { return Err(Refusal::BadForm) };
    Ok(handle_step(&state, connection, &headers, found, step, pairs).await?)
}

pub(super) async fn handle_step(
    state: &AppState,
    connection: crate::server::http::Peer,
    headers: &HeaderMap,
    found: Option<Held>,
    step: Step,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let mut held = match found {
        Some(h) if h.draft.submitted.is_some() => return Ok(Redirect::to("/ajukan/selesai").into_response()),
        Some(found) => found,
        None => match new_draft(state, connection, headers).await {
            Ok(held) => held,
            Err(refused) => return Ok(refused),
        },
    };
    let draft = &mut held.draft;
    let action = field(&pairs, core::step_fields::ACTION).to_string();
    let back_to_review = field(&pairs, core::step_fields::BACK_TO) == Step::Review.slug();
    let path = step.path();
    let reject = |issues: Vec<IssueAt>, values: Vec<(String, String)>| async move {
        let status = if issues.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        render(state, headers, &path, Rejected { values, issues }, status).await
    };

    match step {
        Step::Who => match Who::parse(&pairs) {
            Ok(_) => {
                draft.answers.insert(step, keep(pairs, WHO_FIELDS));
            }
            Err(problems) => return Ok(reject(issues(problems), pairs).await),
        },
        Step::Person => match Person::parse(&person_form(&pairs), today(state), state.regions.as_ref()) {
            // The core's address check is what a browser can do; the server adds the full one.
            Ok(person) if !email_deliverable(&person) => {
                let problem = FieldProblem::new(PersonField::Email.name(), Problem::EmailInvalid);
                return Ok(reject(issues(vec![problem]), pairs).await);
            }
            Ok(_) => {
                draft.answers.insert(step, keep(pairs, PERSON_FIELDS));
            }
            Err(problems) => return Ok(reject(person_issues(problems), pairs).await),
        },
        Step::Address => {
            // "Show the choices": narrow the lists below what changed; nothing is saved.
            if action == "wilayah" {
                return Ok(reject(Vec::new(), pairs).await);
            }
            match Address::parse(&pairs) {
                Ok(address) if village_exists(state, &address.village).await? => {
                    draft.answers.insert(step, keep(pairs, ADDRESS_FIELDS));
                }
                Ok(_) => {
                    let problem = FieldProblem::new(address_fields::VILLAGE, Problem::RegionNotInParent);
                    return Ok(reject(issues(vec![problem]), pairs).await);
                }
                Err(problems) => return Ok(reject(issues(problems), pairs).await),
            }
        }
        Step::Household => {
            let kk_value = field(&pairs, household_fields::KK).to_string();
            match action.as_str() {
                "tambah" => {
                    let mut taken: Vec<Nik> = draft.members.iter().map(|m| m.nik.clone()).collect();
                    if let Ok(own) = Nik::parse(field(draft.answers(Step::Person), PersonField::Nik.name())) {
                        taken.push(own);
                    }
                    match Member::parse(&pairs, &taken) {
                        Ok(member) => draft.members.push(member),
                        Err(problems) => return Ok(reject(issues(problems), pairs).await),
                    }
                    // The KK typed so far is kept if it is valid; it is checked on "continue".
                    if core::parse_kk(&pairs).is_ok() {
                        draft.answers.insert(step, vec![(household_fields::KK.to_string(), kk_value)]);
                    }
                    save(state, &held).await?;
                    return Ok(go(&format!("{}#anggota", step.path()), &held));
                }
                "hapus" => {
                    if let Some(i) = field(&pairs, household_fields::MEMBER_INDEX).parse::<usize>().ok().filter(|i| *i < draft.members.len()) {
                        draft.members.remove(i);
                    }
                    save(state, &held).await?;
                    return Ok(go(&format!("{}#anggota", step.path()), &held));
                }
                _ => match core::parse_kk(&pairs) {
                    Ok(_) => {
                        draft.answers.insert(step, vec![(household_fields::KK.to_string(), kk_value)]);
                    }
                    Err(problems) => return Ok(reject(issues(problems), pairs).await),
                },
            }
        }
        Step::Need => {
            if action == "program" {
                return Ok(reject(Vec::new(), pairs).await);
            }
            let (fits, categories) = open_fits(state).await?;
            match Need::parse(&pairs, &fits, &categories) {
                Ok(need) => {
                    draft.program = Some(need.program.as_str().to_string());
                    draft.answers.insert(step, keep(pairs, NEED_FIELDS));
                }
                Err(problems) => return Ok(reject(issues(problems), pairs).await),
            }
        }
        Step::Documents | Step::Review => unreachable!("filtered out by post_step"),
    }
    save(state, &held).await?;
    let next = if back_to_review { Step::Review } else { step.next().unwrap_or(Step::Review) };
    Ok(go(&next.path(), &held))
}

