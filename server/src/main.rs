//! `koers`: serve, ingest, sources, migrate, user.

use anyhow::Context;
use clap::Parser;
use server::config::{Cli, Command};
use server::startup::{Application, Settings};
use std::process::ExitCode;

/// mimalloc: a page render allocates many small strings from several threads, which glibc's
/// allocator serves markedly slower (docs/benchmarks.md, "Load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    // The other commands report through their own progress and summary; logs would repeat them.
    let default_log = match cli.command {
        Command::Serve(_) => "info,sqlx=warn,tower_http=info",
        _ => "error,jobs=off",
    };
    server::telemetry::init(default_log);
    let global = cli.global;
    match cli.command {
        Command::Serve(args) => {
            let settings = Settings {
                addr: args.addr.clone(),
                database_url: global.database_url.clone(),
                db_max_connections: global.db_max_connections,
                public_url: args.public_url.clone(),
                jobs: global.jobs_config(),
                schedule: args.scheduling(),
                cache: args.cache_settings(),
                console: args.console_settings(),
                metrics_token: args.metrics_token.clone(),
                trusted_proxies: args.trusted_proxies.clone(),
            };
            let app = Application::build(settings)
                .await?
                .with_shutdown(args.shutdown_settings());
            let url = format!("http://{}", app.context().leptos_options.site_addr);
            println!("Koers is running at {url}  (Ctrl-C to stop)");
            if !args.scheduling() {
                println!("Scheduled fetching is off; run `koers ingest` to fetch now.");
            }
            app.run_until(shutdown_signal())
                .await
                .context("running the server")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest(args) => {
            let ok = server::cli::ingest(&global, &args).await?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Sources => {
            server::cli::sources(&global).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            server::cli::migrate(&global).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(command) => {
            server::cli::user(&global, command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup(args) => {
            server::cli::backup(&global, &args).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM; what follows is `Application::run_until`'s graceful stop.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("stop signal received");
}
