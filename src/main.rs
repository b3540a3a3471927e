//! The `layan` server binary. Everything it does lives in `layan::server`.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    layan::server::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser side starts from `layan::hydrate` in the wasm bundle instead.
}
