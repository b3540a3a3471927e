//! The documents step: uploads (with or without JavaScript), removing one, viewing one's own,
//! and discarding the whole draft on a shared phone.

use super::*;

/// The answer to an upload made by the page's script (which asks for JSON).
#[derive(Serialize)]
pub(super) struct UploadAnswer {
    ok: bool,
    message: Option<&'static str>,
}

pub(super) fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("x-layan-unggah").is_some()
}

/// `POST /ajukan/dokumen/unggah` (multipart: `jenis`, then `berkas`). The body limit is
/// set on the route; here the file is counted and sniffed while it streams to disk.
pub async fn upload(
    State(state): State<AppState>,
    connection: crate::server::http::Peer,
    Draft(found): Draft,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Refusal> {
    let t = Lang::from_headers(&headers).texts();
    let json = wants_json(&headers);
    // Which document the post was for, once known: its problem is shown at that document.
    let mut field_name = "berkas".to_string();
    let answer = |status: StatusCode, problem: Option<Problem>, state: AppState, headers: HeaderMap, field: String| async move {
        if json {
            let message = problem.map(|p| (t.apply.problem)(p));
            return (status, Json(UploadAnswer { ok: problem.is_none(), message })).into_response();
        }
        match problem {
            None => Redirect::to("/ajukan/dokumen#dokumen").into_response(),
            Some(p) => {
                let rejected = Rejected { values: Vec::new(), issues: vec![IssueAt { field, issue: Issue::Field(p) }] };
                render(&state, &headers, &Step::Documents.path(), rejected, status).await
            }
        }
    };
    let Some(Held { token, draft, version: Some(version) }) = found.filter(|h| h.draft.submitted.is_none()) else {
        return Err(Refusal::SeeOther("/ajukan"));
    };
    // A counter registration is the officer's work, not an anonymous write.
    if draft.walk_in.is_none() {
        let address = crate::server::http::client_address(&state, connection, &headers);
        let write = crate::domain::guessing::Write::Upload;
        if let Some(retry_after) = crate::server::limits::take(state.db.pool(), write, &address).await.context("counting uploads")? {
            tracing::warn!("uploads throttled for an address");
            return Ok(crate::server::http::too_many_writes(Lang::from_headers(&headers), retry_after));
        }
    }
    let Ok(mut multipart) = multipart else {
        return Ok(answer(StatusCode::BAD_REQUEST, Some(Problem::FileMissing), state.clone(), headers.clone(), field_name.clone()).await);
    };
    let required = match draft.program() {
        Some(code) => crate::server::db::programs::requirements(state.db.pool(), &code)
            .await
            .context("reading a program's documents")?
            .map(|(kinds, _)| kinds)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    match state.storage.receive_document(&mut multipart, &required).await.context("storing an upload")? {
        Received::Refused { status, problem, field } => Ok(answer(status, Some(problem), state.clone(), headers.clone(), field).await),
        Received::File(kind, stored) => {
            field_name = format!("berkas-{}", kind.slug());
            let put = apps::put_draft_upload(state.db.pool(), (&token.hash(), version), kind, &stored, draft.lifetime()).await;
            let replaced = match put {
                Ok(Some(replaced)) => replaced,
                // Submitted or discarded while the file was on its way: it is not kept.
                Ok(None) => {
                    state.storage.remove(&stored.id).await;
                    return Err(Refusal::DraftChanged);
                }
                Err(e) => {
                    state.storage.remove(&stored.id).await;
                    return Err(Refusal::internal(&e, "recording an upload"));
                }
            };
            for id in replaced {
                state.storage.remove(&id).await;
            }
            Ok(answer(StatusCode::OK, None, state.clone(), headers.clone(), field_name).await)
        }
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    jenis: String,
}

/// `POST /ajukan/dokumen/hapus`: forgets the draft's file of one kind.
pub async fn remove_upload(State(state): State<AppState>, Draft(found): Draft, Form(form): Form<RemoveForm>) -> Result<Response, Refusal> {
    let Some(Held { token, version: Some(version), .. }) = found else {
        return Err(Refusal::SeeOther("/ajukan"));
    };
    if let Some(kind) = DocumentKind::from_slug(&form.jenis) {
        let removed = apps::remove_draft_upload(state.db.pool(), (&token.hash(), version), kind).await.context("removing an upload")?;
        for id in removed.ok_or(Refusal::DraftChanged)? {
            state.storage.remove(&id).await;
        }
    }
    Ok(Redirect::to("/ajukan/dokumen#dokumen").into_response())
}

/// `POST /ajukan/buang`: "discard this application" on a shared phone. The draft (or the
/// submitted one that still shows the receipt's PIN), its files and the cookie go; a
/// submitted application stays.
pub async fn discard(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Refusal> {
    if let Some(token) = token_from(&headers) {
        let files = drafts::discard(state.db.pool(), &token).await.context("discarding a draft")?;
        for id in &files {
            state.storage.remove(id).await;
        }
        tracing::info!(files = files.len(), "draft discarded");
    }
    Ok(crate::server::http::redirect_with_cookie("/ajukan?dihapus=ya", &drafts::clear_cookie()))
}

/// `GET /ajukan/dokumen/{kind}`: the caller's own uploaded file, to look at again. Only the
/// draft's holder can reach it; it is sent as the type it was recognised as, never run.
pub async fn view_upload(State(state): State<AppState>, Path(kind): Path<String>, Draft(found): Draft) -> Result<Response, Refusal> {
    let token = found.ok_or(Refusal::NotFound)?.token;
    let kind = DocumentKind::from_slug(&kind).ok_or(Refusal::NotFound)?;
    let rows = apps::draft_uploads(state.db.pool(), &token.hash()).await.context("reading a draft's uploads")?;
    let row = rows.into_iter().rev().find(|r| r.kind() == Some(kind)).ok_or(Refusal::NotFound)?;
    let file_type = FileType::from_mime(&row.file_type).ok_or(Refusal::NotFound)?;
    match state.storage.read(&row.id).await {
        Ok(bytes) => Ok((
            [
                (header::CONTENT_TYPE, file_type.mime()),
                (header::CACHE_CONTROL, "private, no-store"),
                (header::CONTENT_DISPOSITION, "inline"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"),
            ],
            bytes,
        )
            .into_response()),
        Err(_) => Err(Refusal::NotFound),
    }
}

