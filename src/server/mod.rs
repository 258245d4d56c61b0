//! The language server on stdio: tower-lsp-server on tokio, over the
//! document store. It translates the core's results into LSP and nothing else.

mod allocator;
mod backend;
mod changes;
mod configure;
mod convert;
mod documents;
mod lenses;
mod navigation;
mod publish;
mod pull;
mod settings;
mod state;
mod transport;
mod workspace;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp_server::LspService;

pub use documents::char_index;

/// The environment variable that sets the log level when `--log` is absent.
pub const LOG_ENV: &str = "TRANSCRIPT_LS_LOG";

/// Runs the server until the client says `exit` or closes the stream.
pub fn run(log: Option<&str>) -> ExitCode {
    let level = log
        .map(str::to_string)
        .or_else(|| std::env::var(LOG_ENV).ok())
        .unwrap_or_else(|| "warn".to_string());
    let Ok(level) = level.parse::<tracing::Level>() else {
        eprintln!("error: unknown log level `{level}`: use error, warn, info, debug or trace");
        return ExitCode::from(2);
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_ansi(false)
        .init();
    allocator::return_large_blocks();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return ExitCode::from(2);
        }
    };
    let shut_down = Arc::new(AtomicBool::new(false));
    runtime.block_on(async {
        let (outbox, bodies) = transport::outbox();
        let (service, socket) = LspService::new(|client| {
            backend::Backend::new(client, outbox.clone(), shut_down.clone())
        });
        let output = (outbox, bodies);
        transport::serve(
            service,
            socket,
            tokio::io::stdin(),
            tokio::io::stdout(),
            output,
        )
        .await;
    });
    // Do not wait for a blocked stdin reader thread.
    runtime.shutdown_background();
    // As the protocol says: status 0 only when `shutdown` came before `exit`.
    if shut_down.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
