//! Drafts on the server under a token from the resident's cookie.

use crate::helpers::spawn_app;
use layan::server::db::drafts::{self, DraftToken};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Draft {
    step: String,
    name: String,
}

fn draft(step: &str) -> Draft {
    Draft { step: step.into(), name: "Siti Nurhaliza".into() }
}

#[tokio::test]
async fn a_saved_draft_comes_back_with_its_token_and_only_with_it() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let token = DraftToken::generate();

    drafts::save(pool, &token, &draft("orang")).await.unwrap();
    drafts::save(pool, &token, &draft("alamat")).await.unwrap();

    assert_eq!(drafts::load::<Draft>(pool, &token).await.unwrap(), Some(draft("alamat")));
    assert_eq!(drafts::load::<Draft>(pool, &DraftToken::generate()).await.unwrap(), None);
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1);
}

#[tokio::test]
async fn the_table_holds_a_hash_of_the_token_not_the_token() {
    let app = spawn_app().await;
    let token = DraftToken::generate();

    drafts::save(app.state.db.pool(), &token, &draft("orang")).await.unwrap();

    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM drafts").fetch_one(app.state.db.pool()).await.unwrap();
    assert_ne!(stored, token.as_str());
    assert_eq!(stored.len(), 64);
}

#[tokio::test]
async fn expired_drafts_are_not_loaded_and_are_purged() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let (old, fresh) = (DraftToken::generate(), DraftToken::generate());
    drafts::save(pool, &old, &draft("orang")).await.unwrap();
    // More than 30 days pass without a save…
    sqlx::query("UPDATE drafts SET expires_at = '2020-01-01T00:00:00Z'").execute(pool).await.unwrap();
    drafts::save(pool, &fresh, &draft("alamat")).await.unwrap();

    assert_eq!(drafts::load::<Draft>(pool, &old).await.unwrap(), None);
    assert_eq!(drafts::purge_expired(pool).await.unwrap(), 1);
    assert_eq!(drafts::load::<Draft>(pool, &fresh).await.unwrap(), Some(draft("alamat")));
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1);
}

#[tokio::test]
async fn a_deleted_draft_is_gone() {
    let app = spawn_app().await;
    let pool = app.state.db.pool();
    let token = DraftToken::generate();
    drafts::save(pool, &token, &draft("orang")).await.unwrap();

    drafts::delete(pool, &token).await.unwrap();

    assert_eq!(drafts::load::<Draft>(pool, &token).await.unwrap(), None);
}
