//! The command-line commands besides `serve`: `ingest`, `sources`, `migrate`, `user`, `backup`.

use crate::config::{BackupArgs, GlobalArgs, IngestArgs, UserCommand};
use anyhow::Context;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use domain::SourceId;
use indicatif::{ProgressBar, ProgressStyle};
use jobs::{Ingestor, ProgressEvent, ProgressSink, RunOptions, RunReport};
use std::time::Duration;
use store::{FetchOutcome, Store};

/// A table that wraps long cells to the terminal (or 120 columns when output is redirected).
fn table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if table.width().is_none() {
        table.set_width(120);
    }
    table
}

async fn open(global: &GlobalArgs) -> anyhow::Result<Store> {
    let store = Store::open(&global.database_url, global.db_max_connections)
        .await
        .with_context(|| {
            format!(
                "opening the database {}",
                store::redact_url(&global.database_url)
            )
        })?;
    jobs::bootstrap(&store, store::now_ms())
        .await
        .context("preparing the database")?;
    Ok(store)
}

/// Draws a spinner per run with the latest step, retries and row counts.
struct Spinner(ProgressBar);

impl ProgressSink for Spinner {
    fn emit(&self, event: &ProgressEvent) {
        match event {
            ProgressEvent::Started { source } => self.0.set_message(format!("{source}: starting")),
            ProgressEvent::Step { source, message } => {
                self.0.set_message(format!("{source}: {message}"))
            }
            ProgressEvent::Retrying {
                source,
                attempt,
                delay,
                reason,
            } => self.0.println(format!(
                "  {source}: attempt {attempt} failed ({reason}); retrying in {:.1} s",
                delay.as_secs_f64()
            )),
            ProgressEvent::Rows { source, rows } => {
                self.0.set_message(format!("{source}: {rows} rows read"))
            }
            ProgressEvent::Finished(report) => self.0.println(format!("  {}", one_line(report))),
        }
    }
}

fn one_line(r: &RunReport) -> String {
    match r.outcome {
        FetchOutcome::Failed => format!(
            "{}: FAILED: {}",
            r.source,
            r.error.as_deref().unwrap_or("unknown error")
        ),
        FetchOutcome::Unchanged => format!(
            "{}: unchanged upstream (Modified {}), nothing fetched",
            r.source,
            r.upstream_modified.as_deref().unwrap_or("?")
        ),
        _ => format!(
            "{}: {} new, {} revised, {} unchanged ({} rows read)",
            r.source, r.counts.new, r.counts.revised, r.counts.unchanged, r.rows_seen
        ),
    }
}

/// `koers ingest [SOURCE...]`: returns whether every run succeeded.
pub async fn ingest(global: &GlobalArgs, args: &IngestArgs) -> anyhow::Result<bool> {
    let store = open(global).await?;
    let ingestor =
        Ingestor::new(store.clone(), global.jobs_config()).context("setting up ingestion")?;
    let known: Vec<SourceId> = ingestor.sources().into_iter().map(|s| s.id).collect();
    let names = if args.sources.is_empty() {
        known.clone()
    } else {
        args.sources
            .iter()
            .map(|name| {
                SourceId::parse(name)
                    .ok()
                    .filter(|id| known.contains(id))
                    .with_context(|| {
                        let list = known
                            .iter()
                            .map(SourceId::as_str)
                            .collect::<Vec<_>>()
                            .join(", ");
                        format!("unknown source {name:?}; known sources: {list}")
                    })
            })
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let spinner = Spinner(bar.clone());
    let mut reports = Vec::new();
    for id in &names {
        let report = ingestor
            .run(id, RunOptions { force: args.force }, &spinner)
            .await
            .with_context(|| format!("running {id}"))?;
        reports.push(report);
    }
    bar.finish_and_clear();
    let mut table = table();
    table.set_header([
        "source",
        "outcome",
        "new",
        "revised",
        "unchanged",
        "rows read",
        "duration",
        "error",
    ]);
    for r in &reports {
        table.add_row([
            r.source.to_string(),
            r.outcome.as_str().to_owned(),
            r.counts.new.to_string(),
            r.counts.revised.to_string(),
            r.counts.unchanged.to_string(),
            r.rows_seen.to_string(),
            format!("{:.1} s", r.duration.as_secs_f64()),
            r.error.clone().unwrap_or_default(),
        ]);
    }
    println!("{table}");
    let failed = reports
        .iter()
        .filter(|r| r.outcome == FetchOutcome::Failed)
        .count();
    if failed > 0 {
        println!(
            "{failed} of {} sources failed; stored figures were left as they were.",
            reports.len()
        );
    }
    store.close().await;
    Ok(failed == 0)
}

fn when(epoch_ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(epoch_ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| "?".to_owned())
}

/// `koers sources`.
pub async fn sources(global: &GlobalArgs) -> anyhow::Result<()> {
    let store = open(global).await?;
    let ingestor =
        Ingestor::new(store.clone(), global.jobs_config()).context("setting up ingestion")?;
    let mut table = table();
    table.set_header([
        "source",
        "table",
        "schedule (UTC)",
        "last fetch",
        "outcome",
        "error",
    ]);
    for s in ingestor.sources() {
        let last = store
            .recent_fetches(Some(s.id.as_str()), 1)
            .await?
            .into_iter()
            .next();
        table.add_row([
            s.id.to_string(),
            s.table_id.clone(),
            s.schedule.clone(),
            last.as_ref()
                .map(|f| when(f.started_at))
                .unwrap_or_else(|| "never".into()),
            last.as_ref()
                .map(|f| f.outcome.as_str().to_owned())
                .unwrap_or_default(),
            last.and_then(|f| f.error).unwrap_or_default(),
        ]);
    }
    println!("{table}");
    if let Some(snapshot) = store
        .recent_fetches(Some(store::SNAPSHOT_SOURCE), 1)
        .await?
        .first()
    {
        println!(
            "Published-figures snapshot (as of {}) loaded {}.",
            snapshot.upstream_modified.as_deref().unwrap_or("?"),
            when(snapshot.started_at)
        );
    }
    store.close().await;
    Ok(())
}

/// `koers backup FILE`: a consistent copy of the SQLite store, taken while Koers may be running.
pub async fn backup(global: &GlobalArgs, args: &BackupArgs) -> anyhow::Result<()> {
    let shown = store::redact_url(&global.database_url);
    if store::Backend::from_url(&global.database_url)? != store::Backend::Sqlite {
        anyhow::bail!(
            "koers backup copies the embedded SQLite store; {shown} is PostgreSQL: back it up \
             with pg_dump, e.g. pg_dump --format=custom --file=koers.dump \"$DATABASE_URL\" \
             (see the README's production section)"
        );
    }
    let Some(source) = store::sqlite_path(&global.database_url) else {
        anyhow::bail!("{shown} is an in-memory database: there is nothing to back up");
    };
    if !std::path::Path::new(source).exists() {
        anyhow::bail!("there is no database at {source} to back up (check DATABASE_URL)");
    }
    let store = Store::connect(&global.database_url, 1)
        .await
        .with_context(|| format!("opening the database {shown}"))?;
    let result = store.backup_sqlite(&args.file).await;
    store.close().await;
    result.with_context(|| format!("backing up {shown} to {}", args.file.display()))?;
    let bytes = std::fs::metadata(&args.file).map_or(0, |m| m.len());
    println!(
        "Backed up {shown} to {} ({:.1} MB). Restore: stop Koers and put the copy in place of {source}.",
        args.file.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}

/// `koers migrate`.
pub async fn migrate(global: &GlobalArgs) -> anyhow::Result<()> {
    let store = Store::connect(&global.database_url, 1)
        .await
        .with_context(|| {
            format!(
                "opening the database {}",
                store::redact_url(&global.database_url)
            )
        })?;
    store.migrate().await.context("applying migrations")?;
    println!(
        "Migrations applied to {}.",
        store::redact_url(&global.database_url)
    );
    store.close().await;
    Ok(())
}

/// Reads a new password: the first line of standard input, or asked twice on the terminal.
fn read_new_password(from_stdin: bool) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "no terminal to ask for the password on: pipe it in with --password-stdin instead"
        );
    }
    let first = rpassword::prompt_password(format!(
        "Password (at least {} characters): ",
        auth::MIN_PASSWORD_LEN
    ))
    .context("reading the password")?;
    auth::validate_password(&first)?;
    let again =
        rpassword::prompt_password("Same password again: ").context("reading the password")?;
    if first != again {
        anyhow::bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

/// `koers user add|list|password`.
pub async fn user(global: &GlobalArgs, command: UserCommand) -> anyhow::Result<()> {
    let store = open(global).await?;
    match command {
        UserCommand::Add(args) => {
            let role_name = if args.admin {
                "admin"
            } else {
                args.role.as_str()
            };
            let role = auth::Role::parse(role_name).with_context(|| {
                format!("unknown role {role_name:?}; use viewer, editor or admin")
            })?;
            auth::validate_username(&args.username)?;
            if store.find_user(&args.username).await?.is_some() {
                anyhow::bail!(
                    "there is already an account called {:?}; to set its password: koers user password {}",
                    args.username,
                    args.username
                );
            }
            let password = read_new_password(args.password_stdin)?;
            let user = auth::create_user(&store, &args.username, &password, role).await?;
            store
                .audit(store::NewAudit {
                    actor: "cli",
                    action: "user.add",
                    subject: &format!("user:{}", user.username),
                    before: None,
                    after: Some(serde_json::json!({
                        "username": user.username, "role": role.as_str(), "active": true
                    })),
                })
                .await?;
            println!(
                "Added {} ({role}). Sign in at /console/login.",
                user.username
            );
        }
        UserCommand::List => {
            let mut table = table();
            table.set_header(["username", "role", "state", "created"]);
            for u in store.list_users().await? {
                table.add_row([
                    u.username,
                    u.role,
                    if u.active { "active" } else { "disabled" }.to_owned(),
                    when(u.created_at),
                ]);
            }
            println!("{table}");
        }
        UserCommand::Password(args) => {
            let user = store.find_user(&args.username).await?.with_context(|| {
                format!(
                    "there is no account called {:?}; add one with: koers user add {}",
                    args.username, args.username
                )
            })?;
            let password = read_new_password(args.password_stdin)?;
            auth::set_password(&store, user.id, &password).await?;
            store
                .audit(store::NewAudit {
                    actor: "cli",
                    action: "user.password",
                    subject: &format!("user:{}", user.username),
                    before: None,
                    after: None,
                })
                .await?;
            println!(
                "Password of {} set; their other sessions have ended.",
                user.username
            );
        }
    }
    store.close().await;
    Ok(())
}
