//! `congvan serve`: a local web page for the secretariat — choose the letter, upload the month's
//! export, see the problems and lagging units, preview the letter, download the same bytes as
//! `congvan draft`. Owns the address, the token and the runtime; routes are in [`routes`].

mod page;
mod project;
mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use congvan::diag::{Error, Result};

/// Flags of `congvan serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// A project folder made by `congvan init` (its specs and data files); default: the
    /// shipped sample.
    pub project: Option<PathBuf>,
    /// Address and port to listen on; port 0 picks a free one. Any address other than
    /// loopback requires a token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Token every request must carry (`?token=…` once, then a cookie); default: none on
    /// loopback, one generated and printed on any other address.
    #[arg(long)]
    pub token: Option<String>,
    /// Largest upload accepted, in bytes.
    #[arg(long, default_value_t = 20 * 1024 * 1024, value_name = "BYTES")]
    pub max_upload: usize,
}

/// Serve the page until Ctrl+C. Prints the address to open (with the token, if any) on stdout.
pub fn run(args: &ServeArgs, today: chrono::NaiveDate) -> Result<()> {
    let project = project::Project::open(args.project.as_deref(), today)?;
    let token = match (&args.token, args.listen.ip().is_loopback()) {
        (Some(t), _) if t.len() < 16 => {
            return Err(Error::usage("the token must be at least 16 characters")
                .hint("leave --token out and congvan generates one"))
        }
        (Some(t), _) => Some(t.clone()),
        (None, true) => None,
        (None, false) => Some(generate_token()?),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::output(format!("failed to start the server ({e})")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| {
                Error::output(format!("cannot listen on {} ({e})", args.listen))
                    .hint("choose another port, e.g. --listen 127.0.0.1:8081, or 127.0.0.1:0 for any free one")
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::output(format!("cannot listen ({e})")))?;
        let state = Arc::new(routes::State {
            project,
            pages: page::Pages::new()?,
            token: token.clone(),
            loopback_only: token.is_none(),
            max_upload: args.max_upload,
        });
        let stop = stop_signal();
        let query = token.map(|t| format!("?token={t}")).unwrap_or_default();
        println!("congvan serve: open http://{addr}/{query} in a browser (Ctrl+C stops)");
        axum::serve(listener, routes::router(state))
            .with_graceful_shutdown(stop)
            .await
            .map_err(|e| Error::output(format!("the server stopped ({e})")))
    })
}

/// Ctrl+C, or SIGTERM on Unix: stop serving, so the temporary folders are removed. The
/// handlers are installed now (before the address is printed), so a stop that comes at once is
/// not lost to the default action (which would leave the folders behind).
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut i), Ok(mut t)) => {
                    tokio::select! {
                        _ = i.recv() => {}
                        _ = t.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// 32 random bytes as hex, from the operating system's generator.
fn generate_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::output(format!("cannot generate a token ({e})")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
