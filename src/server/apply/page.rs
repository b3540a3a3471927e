//! What the journey's pages show: each step's data, the answers to check, the start page and
//! the receipt.

use super::*;

pub(super) fn completed(draft: &ApplicationDraft, documents_done: bool) -> Vec<Step> {
    let mut done: Vec<Step> = draft.answers.keys().copied().collect();
    if documents_done {
        done.push(Step::Documents);
    }
    done.sort();
    done
}

pub(super) async fn region_lists(state: &AppState, values: &[(String, String)]) -> Result<[Vec<RegionOption>; 4], AppError> {
    let chain = core::region_chain(values);
    let pool = state.db.pool();
    let doing = "listing regions for the address step";
    let mut lists: [Vec<RegionOption>; 4] = Default::default();
    lists[0] = crate::server::db::regions::children(pool, None).await.map_err(|e| AppError::internal(&e, doing))?;
    for (i, parent) in chain.iter().take(3).enumerate() {
        lists[i + 1] = crate::server::db::regions::children(pool, Some(parent)).await.map_err(|e| AppError::internal(&e, doing))?;
    }
    Ok(lists)
}

pub(super) async fn documents_state(state: &AppState, token: Option<&DraftToken>, program: Option<&str>) -> Result<(Vec<DocumentRow>, bool), AppError> {
    let required = match program {
        Some(code) => crate::server::db::programs::requirements(state.db.pool(), code)
            .await
            .map_err(|e| AppError::internal(&e, "reading a program's documents"))?
            .map(|(kinds, _)| kinds)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let uploads = match token {
        Some(token) => apps::draft_uploads(state.db.pool(), &token.hash()).await.map_err(|e| AppError::internal(&e, "listing uploads"))?,
        None => Vec::new(),
    };
    let rows: Vec<DocumentRow> = required
        .into_iter()
        .map(|kind| DocumentRow {
            kind,
            uploaded: uploads.iter().rev().find(|u| u.kind() == Some(kind)).map(|u| {
                let label = FileType::from_mime(&u.file_type).map(FileType::label).unwrap_or("?");
                format!("{label}, {}", human_size(u.byte_size.max(0) as u64))
            }),
        })
        .collect();
    let done = program.is_some() && rows.iter().all(|r| r.uploaded.is_some());
    Ok((rows, done))
}

pub async fn page(step: Step, lang: Lang) -> Result<StepPageData, AppError> {
    let (state, found, headers) = load_with_headers().await?;
    let rejected = leptos::prelude::use_context::<Rejected>();
    let submitted = found.as_ref().is_some_and(|(_, d)| d.submitted.is_some());
    let (token, draft) = match found {
        Some((token, draft)) => (Some(token), draft),
        None => (None, ApplicationDraft::default()),
    };
    let mut values = match &rejected {
        Some(r) => r.values.clone(),
        None if !draft.answers.contains_key(&step) => from_check(&headers, step),
        None => draft.answers(step).to_vec(),
    };
    if step == Step::Need && field(&values, need_fields::PROGRAM).is_empty() {
        if let Some(program) = &draft.program {
            values.push((need_fields::PROGRAM.to_string(), program.clone()));
        }
    }
    let program = draft.program();
    let (documents, documents_done) = documents_state(&state, token.as_ref(), program.as_deref()).await?;
    let lists = match step {
        Step::Address => StepLists::Regions(region_lists(&state, &values).await?),
        Step::Household => StepLists::Household(
            draft
                .members
                .iter()
                .map(|m| MemberRow {
                    nik: m.nik.as_str().to_string(),
                    name: m.name.as_str().to_string(),
                    role: (lang.texts().apply.family_role)(m.role).to_string(),
                })
                .collect(),
        ),
        Step::Need => {
            let doing = "listing programs for the need step";
            let categories = crate::server::catalogue::categories(&state, lang).await.map_err(|e| AppError::internal(&e, doing))?;
            let programs = crate::server::catalogue::choices(&state, lang).await.map_err(|e| AppError::internal(&e, doing))?;
            StepLists::Need {
                categories: categories.into_iter().map(|(code, label)| Choice { value: code.to_string(), label }).collect(),
                programs,
            }
        }
        Step::Documents => {
            let name = match &program {
                Some(code) => crate::server::catalogue::choices(&state, lang)
                    .await
                    .map_err(|e| AppError::internal(&e, "naming the program"))?
                    .into_iter()
                    .find(|p| &p.code == code)
                    .map(|p| p.name),
                None => None,
            };
            StepLists::Documents { program: name, documents: documents.clone() }
        }
        Step::Review => {
            let missing = match &token {
                Some(token) => check_all(&state, token, &draft).await?.err().unwrap_or_default(),
                None => Step::ALL[..6].to_vec(),
            };
            let rows = review_rows(&state, &draft, lang, &documents).await?;
            StepLists::Review { rows, missing, key: draft.key.clone() }
        }
        Step::Who | Step::Person => StepLists::None,
    };
    Ok(StepPageData {
        step,
        values,
        issues: rejected.map(|r| r.issues).unwrap_or_default(),
        completed: completed(&draft, documents_done),
        lists,
        submitted,
        walk_in: draft.walk_in.as_ref().map(|w| (w.service_point.clone(), w.officer.clone())),
    })
}

pub(super) async fn review_rows(state: &AppState, draft: &ApplicationDraft, lang: Lang, documents: &[DocumentRow]) -> Result<Vec<ReviewRow>, AppError> {
    let t = lang.texts();
    let a = &t.apply;
    let mut rows = Vec::new();
    let mut row = |step: Step, label: &str, value: String| rows.push(ReviewRow { step, label: label.to_string(), value });

    let who = draft.answers(Step::Who);
    match Who::parse(who) {
        Ok(Who::Myself) => row(Step::Who, a.review_for_whom, a.for_myself.to_string()),
        Ok(Who::SomeoneElse { applicant_name, relation, applicant_phone, consent }) => {
            row(Step::Who, a.review_for_whom, a.for_someone_else.to_string());
            row(Step::Who, a.applicant_name_label, applicant_name.as_str().to_string());
            row(Step::Who, a.relation_label, (a.relation)(relation).to_string());
            row(Step::Who, a.applicant_phone_label, applicant_phone.as_str().to_string());
            let consent = match consent {
                core::Consent::Given => a.consent_given.to_string(),
                core::Consent::CannotConsent(why) => format!("{}: {why}", a.consent_impossible),
            };
            row(Step::Who, a.consent_legend, consent);
        }
        Err(_) => row(Step::Who, a.review_for_whom, a.review_not_answered.to_string()),
    }
    let p = draft.answers(Step::Person);
    row(Step::Person, a.nik_label, field(p, "nik").to_string());
    row(Step::Person, a.name_label, field(p, "nama").to_string());
    row(Step::Person, a.birth_date_label, field(p, "tanggal_lahir").to_string());
    row(Step::Person, a.sex_legend, match field(p, "jenis_kelamin") { "L" => a.male, "P" => a.female, _ => "" }.to_string());
    row(Step::Person, a.phone_label, field(p, "telepon").to_string());
    row(Step::Person, a.email_label, field(p, "email").to_string());

    let address = draft.answers(Step::Address);
    let place = match RegionCode::parse(field(address, address_fields::VILLAGE)) {
        Ok(village) => crate::server::db::regions::path_names(state.db.pool(), &village)
            .await
            .map_err(|e| AppError::internal(&e, "naming an address's regions"))?
            .join(", "),
        Err(_) => String::new(),
    };
    // As it will be recorded (RT/RW as three digits), not as typed.
    let line = match Address::parse(address) {
        Ok(parsed) => format!("{}, RT {} / RW {}, {place}", parsed.street, parsed.rt, parsed.rw),
        Err(_) => String::new(),
    };
    row(Step::Address, a.address_title, line);

    row(Step::Household, a.kk_label, field(draft.answers(Step::Household), household_fields::KK).to_string());
    let members = draft.members.iter().map(|m| format!("{} ({})", m.name.as_str(), (a.family_role)(m.role))).collect::<Vec<_>>();
    row(Step::Household, a.members_heading, if members.is_empty() { a.no_members.to_string() } else { members.join("; ") });

    let need = draft.answers(Step::Need);
    let doing = "naming the need's program and category";
    let programs = crate::server::catalogue::choices(&state, lang).await.map_err(|e| AppError::internal(&e, doing))?;
    let categories = crate::server::catalogue::categories(&state, lang).await.map_err(|e| AppError::internal(&e, doing))?;
    let category = field(need, need_fields::CATEGORY).parse::<i64>().ok();
    row(Step::Need, a.category_label, categories.into_iter().find(|(c, _)| Some(*c) == category).map(|(_, n)| n).unwrap_or_default());
    let code = field(need, need_fields::PROGRAM);
    row(Step::Need, a.program_legend, programs.into_iter().find(|p| p.code == code).map(|p| p.name).unwrap_or_default());
    row(Step::Need, a.description_label, field(need, need_fields::DESCRIPTION).to_string());
    for d in documents {
        row(Step::Documents, (t.document)(d.kind), d.uploaded.clone().unwrap_or_else(|| a.document_not_uploaded.to_string()));
    }
    Ok(rows)
}

pub async fn start_page(program: Option<String>, lang: Lang) -> Result<StartPageData, AppError> {
    let (state, found) = load_in_server_fn().await?;
    let program = match program.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(code) => crate::server::catalogue::choices(&state, lang)
            .await
            .map_err(|e| AppError::internal(&e, "reading the linked program"))?
            .into_iter()
            .find(|p| p.code == code),
        None => None,
    };
    let resume = match found {
        Some((_, draft)) if draft.submitted.is_none() && !draft.answers.is_empty() => {
            Some(Step::ALL.into_iter().find(|s| !draft.answers.contains_key(s) && *s != Step::Documents).unwrap_or(Step::Review))
        }
        _ => None,
    };
    Ok(StartPageData { program, resume })
}

pub async fn confirmation(lang: Lang) -> Result<Option<ConfirmationData>, AppError> {
    let (state, found) = load_in_server_fn().await?;
    let Some((submitted, walk_in)) = found.and_then(|(_, d)| Some((d.submitted?, d.walk_in.is_some()))) else { return Ok(None) };
    let Some(receipt) =
        apps::receipt(state.db.pool(), &submitted.number).await.map_err(|e| AppError::internal(&e, "reading a receipt"))?
    else {
        return Ok(None);
    };
    let number = RegistrationNumber::parse(&receipt.registration_number)
        .map_err(|e| AppError::internal(&std::io::Error::other(e.to_string()), "reading a receipt"))?;
    let tracking_url = format!("{}/lacak?nomor={}", state.config.public_url, number.as_str());
    let qr_svg = qrcode::QrCode::with_error_correction_level(tracking_url.as_bytes(), qrcode::EcLevel::M)
        .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
        .map_err(|e| AppError::internal(&std::io::Error::other(e.to_string()), "drawing a QR code"))?;
    let pin = (submitted.pin_visible_until > crate::server::db::now_utc()).then_some(submitted.pin);
    Ok(Some(ConfirmationData {
        number: number.display(),
        pin,
        program: lang.pick(receipt.program_name_id, receipt.program_name_en),
        submitted_on: crate::domain::date::office_date_text(&receipt.submitted_at, state.config.utc_offset_hours),
        decision_due: receipt.decision_due,
        qr_svg,
        tracking_url,
        walk_in,
    }))
}

