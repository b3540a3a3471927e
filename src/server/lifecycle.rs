//! An instance's life behind a load balancer, and how it ends without losing a request.
//!
//! On SIGTERM (or Ctrl-C) the instance first *drains*: `/healthz` answers 503 so a balancer
//! that polls it moves on, while requests are still served for `LAYAN_DRAIN_SECONDS`. Then
//! it stops accepting connections — taking every connection the kernel already queued
//! before closing the socket, so none is reset — and finishes the requests in flight for at
//! most `LAYAN_SHUTDOWN_SECONDS`. The background workers finish the round they are in.
//! What a request had acknowledged is in the database before its answer left; what was
//! refused at the closed socket is retried by the balancer on another instance (nginx does
//! so for a refused connection, even for a POST, since nothing was sent).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// Whether this instance is draining, shared by `/healthz` and the workers.
#[derive(Clone, Debug)]
pub struct Lifecycle {
    draining: Arc<AtomicBool>,
    stop: watch::Sender<bool>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self { draining: Arc::default(), stop: watch::channel(false).0 }
    }
}

impl Lifecycle {
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Relaxed)
    }

    /// From now on `/healthz` answers 503 and the workers end after their current round.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
        self.stop.send_replace(true);
    }

    /// Resolves once draining has begun: the point where a worker's loop ends.
    pub async fn stopping(&self) {
        let mut stop = self.stop.subscribe();
        let _ = stop.wait_for(|stopping| *stopping).await;
    }
}

/// How long the last connections taken have to get their requests read (see `finish`).
const HANDOVER: std::time::Duration = std::time::Duration::from_millis(750);

enum State {
    Open(TcpListener),
    /// Taking what the kernel had queued, without waiting for more.
    Emptying(std::net::TcpListener),
    Closed,
}

/// A TCP listener that can be closed without resetting the connections already queued on
/// it (closing a listening socket resets every connection it has not yet accepted, and a
/// proxy does not resend a POST it already sent down a reset connection).
pub struct DrainingListener {
    state: State,
    close: watch::Receiver<bool>,
    closed: Option<oneshot::Sender<()>>,
}

/// Tells a [`DrainingListener`] to close; [`Closer::closed`] resolves once it has.
pub struct Closer {
    close: watch::Sender<bool>,
}

impl Closer {
    pub fn close(&self) {
        self.close.send_replace(true);
    }
}

impl DrainingListener {
    /// The listener, the handle that closes it, and a future that resolves once it is
    /// closed (for `axum::serve(..).with_graceful_shutdown`).
    pub fn new(listener: TcpListener) -> (Self, Closer, impl Future<Output = ()> + Send + 'static) {
        let (close_tx, close_rx) = watch::channel(false);
        let (closed_tx, closed_rx) = oneshot::channel();
        let listener = Self { state: State::Open(listener), close: close_rx, closed: Some(closed_tx) };
        (listener, Closer { close: close_tx }, async move {
            let _ = closed_rx.await;
        })
    }

    fn begin_emptying(&mut self) {
        let State::Open(listener) = std::mem::replace(&mut self.state, State::Closed) else { return };
        match listener.into_std() {
            Ok(listener) => self.state = State::Emptying(listener),
            Err(e) => {
                tracing::warn!("could not take the listener's queue before closing it: {e}");
                self.finish();
            }
        }
    }

    fn finish(&mut self) {
        // The socket closes here, right after the queue was found empty.
        self.state = State::Closed;
        if let Some(closed) = self.closed.take() {
            // Shutting down a connection hyper has not yet read a request from closes it —
            // and resets the request the proxy already sent down it. The connections just
            // taken from the queue get a moment to have their requests read first; from
            // then on they count as in flight and are finished.
            tokio::spawn(async move {
                tokio::time::sleep(HANDOVER).await;
                let _ = closed.send(());
            });
        }
    }
}

impl axum::serve::Listener for DrainingListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match &mut self.state {
                State::Open(listener) => {
                    let accepted = tokio::select! {
                        accepted = TcpListener::accept(listener) => Some(accepted),
                        _ = self.close.wait_for(|close| *close) => None,
                    };
                    match accepted {
                        Some(Ok(connection)) => return connection,
                        Some(Err(e)) => accept_error(e).await,
                        None => self.begin_emptying(),
                    }
                }
                // The std socket is still non-blocking, so accept() answers from the queue
                // at once and says WouldBlock when it is empty.
                State::Emptying(listener) => match listener.accept() {
                    Ok((stream, addr)) => match stream.set_nonblocking(true).and_then(|()| TcpStream::from_std(stream)) {
                        Ok(stream) => return (stream, addr),
                        Err(e) => tracing::warn!("dropping a queued connection: {e}"),
                    },
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => self.finish(),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        tracing::warn!("emptying the listener's queue: {e}");
                        self.finish();
                    }
                },
                // axum stops asking once the shutdown future resolved; until it notices,
                // there is nothing more to hand out.
                State::Closed => std::future::pending::<()>().await,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        match &self.state {
            State::Open(listener) => listener.local_addr(),
            State::Emptying(listener) => listener.local_addr(),
            State::Closed => Err(std::io::Error::new(std::io::ErrorKind::NotConnected, "closed")),
        }
    }
}

/// Out of file descriptors and the like: wait a moment rather than spin (as axum does).
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    tracing::error!("accepting a connection: {e}");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
}

/// SIGTERM or Ctrl-C.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
