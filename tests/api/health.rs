use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_returns_200_with_the_database_status() {
    let app = spawn_app().await;

    let response = app.get("/healthz").await;

    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), "application/json");
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["status"], "up");
    let expected = match crate::helpers::backend() {
        crate::helpers::TestBackend::Sqlite => "sqlite",
        crate::helpers::TestBackend::Postgres => "postgres",
    };
    assert_eq!(body["database"]["backend"], expected);
}

#[tokio::test]
async fn healthz_returns_503_when_the_database_is_unreachable() {
    let app = spawn_app().await;
    app.state.db.close().await;

    let response = app.get("/healthz").await;

    assert_eq!(response.status, 503);
    let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"]["status"], "down");
    assert!(!response.body.contains("error"), "no internals: {}", response.body);
}
