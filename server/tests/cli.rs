//! The `koers` binary as a user runs it: `ingest`, `sources`, `migrate`, exit codes and messages.

use std::process::Command;
use testkit::{FakeCbs, FakeEurostat};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn koers(db: &str, cbs: &str, args: &[&str]) -> Run {
    koers_with(db, cbs, "http://127.0.0.1:9", args)
}

fn koers_with(db: &str, cbs: &str, eurostat: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("CBS_ODATA_URL", cbs)
        .env("EUROSTAT_API_URL", eurostat)
        .env("KOERS_HTTP_MAX_RETRIES", "1")
        .env("RUST_LOG", "error")
        .output()
        .unwrap_or_else(|e| panic!("running koers: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn temp_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "sqlite://{}",
        dir.path().join("nested/dir/koers.db").display()
    );
    (dir, url)
}

#[tokio::test]
async fn ingest_all_prints_a_summary_and_exits_zero() {
    // Arrange
    let cbs = FakeCbs::start().await;
    let eurostat = FakeEurostat::start().await;
    let (_dir, db) = temp_db();
    let (cbs_url, eurostat_url) = (cbs.url(), eurostat.url());
    // Act
    let run =
        tokio::task::spawn_blocking(move || koers_with(&db, &cbs_url, &eurostat_url, &["ingest"]))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    // Assert
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    for needle in [
        "cbs-homeless",
        "cbs-housing",
        "succeeded",
        "revised",
        "unchanged",
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle} missing in:\n{}",
            run.stdout
        );
    }
}

#[tokio::test]
async fn backup_copies_the_sqlite_store_to_a_working_store_and_never_overwrites() {
    // Arrange: a store with the first-run snapshot.
    let (dir, db) = temp_db();
    let nowhere = "http://127.0.0.1:9";
    let first = koers(&db, nowhere, &["sources"]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let copy = dir.path().join("koers-copy.db");
    let copy_arg = copy.to_str().unwrap();

    // Act
    let run = koers(&db, nowhere, &["backup", copy_arg]);
    let again = koers(&db, nowhere, &["backup", copy_arg]);

    // Assert: the copy holds the same figures and fetches; a second backup refuses to overwrite.
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Backed up"), "{}", run.stdout);
    let open = |url: String| async move {
        store::Store::connect(&url, 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let (original, copied) = (
        open(db.clone()).await,
        open(format!("sqlite://{}", copy.display())).await,
    );
    assert_eq!(
        copied.data_version().await.unwrap(),
        original.data_version().await.unwrap()
    );
    assert!(!copied.recent_fetches(None, 5).await.unwrap().is_empty());
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    let postgres = koers(
        "postgres://koers:s3cr3t-pw@127.0.0.1:1/koers",
        nowhere,
        &["backup", copy_arg],
    );
    assert_eq!(postgres.code, Some(1));
    assert!(postgres.stderr.contains("pg_dump"), "{}", postgres.stderr);
    assert!(
        !postgres.stderr.contains("s3cr3t-pw"),
        "{}",
        postgres.stderr
    );
}

#[tokio::test]
async fn a_failing_source_makes_ingest_exit_non_zero_with_the_reason() {
    let cbs = FakeCbs::start().await;
    cbs.fail_next(100, 503);
    let (_dir, db) = temp_db();
    let url = cbs.url();
    let run = tokio::task::spawn_blocking(move || koers(&db, &url, &["ingest", "cbs-homeless"]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("failed") && run.stdout.contains("503"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("stored figures were left as they were"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_source_is_named_with_the_known_ones() {
    let (_dir, db) = temp_db();
    let run = koers(&db, "http://127.0.0.1:9", &["ingest", "cbs-homles"]);
    assert_ne!(run.code, Some(0));
    assert!(
        run.stderr.contains("unknown source \"cbs-homles\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cbs-homeless, cbs-housing"),
        "{}",
        run.stderr
    );
}

#[test]
fn sources_lists_tables_schedules_and_the_snapshot() {
    let (_dir, db) = temp_db();
    let run = koers(&db, "http://127.0.0.1:9", &["sources"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for needle in [
        "80799ned",
        "82235NED",
        "0 15 6 * * *",
        "never",
        "as of 2025-12-19",
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle} missing in:\n{}",
            run.stdout
        );
    }
}

#[test]
fn migrate_creates_the_database_and_says_so() {
    let (_dir, db) = temp_db();
    let run = koers(&db, "http://127.0.0.1:9", &["migrate"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Migrations applied"), "{}", run.stdout);
}

#[test]
fn a_bad_database_url_is_a_clear_error_without_the_password() {
    let run = koers(
        "mysql://koers:geheim@db/koers",
        "http://127.0.0.1:9",
        &["migrate"],
    );
    assert_ne!(run.code, Some(0));
    assert!(
        run.stderr.contains("unsupported database URL"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("geheim"),
        "password leaked: {}",
        run.stderr
    );
}

/// `koers` with standard input (for `--password-stdin`).
fn koers_stdin(db: &str, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .env("RUST_BACKTRACE", "0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running koers: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for koers: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_first_admin_is_made_on_the_command_line_without_a_default_password() {
    let (_dir, db) = temp_db();
    // Without a terminal and without --password-stdin there is no password to take: refused.
    let run = koers_stdin(&db, &["user", "add", "--admin", "anna"], "");
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stderr.contains("--password-stdin"), "{}", run.stderr);
    // A weak password is refused and nothing is made.
    let run = koers_stdin(
        &db,
        &["user", "add", "--admin", "anna", "--password-stdin"],
        "kort\n",
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("at least 12 characters"),
        "{}",
        run.stderr
    );
    let list = koers_stdin(&db, &["user", "list"], "");
    assert!(!list.stdout.contains("anna"), "{}", list.stdout);

    let run = koers_stdin(
        &db,
        &["user", "add", "--admin", "anna", "--password-stdin"],
        "een lang en sterk wachtwoord\n",
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Added anna (admin)"), "{}", run.stdout);
    let list = koers_stdin(&db, &["user", "list"], "");
    assert!(
        list.stdout.contains("anna") && list.stdout.contains("admin"),
        "{}",
        list.stdout
    );
    // The name is taken now; the message says how to set the password instead.
    let again = koers_stdin(
        &db,
        &["user", "add", "anna", "--password-stdin"],
        "nog een ander wachtwoord\n",
    );
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("koers user password anna"),
        "{}",
        again.stderr
    );
    let unknown = koers_stdin(&db, &["user", "add", "bob", "--role", "root"], "");
    assert!(
        unknown.stderr.contains("unknown role"),
        "{}",
        unknown.stderr
    );
}
