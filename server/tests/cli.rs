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

// --- secrets never reach the output ---------------------------------------------------------

const DB_PASSWORD: &str = "s3cr3t-pw";
const SECRET_KEY: &str = "the-console-secret-key-7f3a9c1e5b";
const METRICS_TOKEN: &str = "the-metrics-token-2b8d4f6a";

/// Fails with every secret found in `text`.
fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{what}: {secret:?} appears in the output:\n{text}"
        );
    }
}

#[test]
fn commands_name_the_database_without_its_password_and_never_print_secrets() {
    // A PostgreSQL server that is not there: every command fails to open it and says which.
    let url = format!("postgres://koers:{DB_PASSWORD}@127.0.0.1:1/x");
    let commands: [&[&str]; 4] = [
        &["serve", "--no-schedule", "--addr", "127.0.0.1:0"],
        &["migrate"],
        &["ingest"],
        &["sources"],
    ];
    let runs: Vec<_> = commands
        .into_iter()
        .map(|args| {
            let url = url.clone();
            std::thread::spawn(move || {
                let out = Command::new(env!("CARGO_BIN_EXE_koers"))
                    .args(args)
                    .env("DATABASE_URL", &url)
                    .env("KOERS_SECRET_KEY", SECRET_KEY)
                    .env("KOERS_METRICS_TOKEN", METRICS_TOKEN)
                    .env("RUST_LOG", "trace")
                    .env("RUST_BACKTRACE", "1")
                    .output()
                    .unwrap_or_else(|e| panic!("running koers: {e}"));
                (args, out)
            })
        })
        .collect();
    for run in runs {
        let (args, out) = run.join().unwrap_or_else(|_| panic!("a run panicked"));
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let what = format!("koers {}", args.join(" "));
        assert_ne!(out.status.code(), Some(0), "{what}: {text}");
        assert!(
            text.contains("postgres://koers:***@127.0.0.1:1/x"),
            "{what} does not name the database: {text}"
        );
        assert_no_secret(&what, &text, &[DB_PASSWORD, SECRET_KEY, METRICS_TOKEN]);
    }
}

/// A minimal HTTP/1.1 exchange (the server's tests have no HTTP client): the raw answer.
fn http(addr: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream =
        std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("connecting to {addr}: {e}"));
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(20)));
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The values of the cookies an answer sets.
fn cookie_values(answer: &str) -> Vec<(String, String)> {
    answer
        .lines()
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then_some(value)?;
            let pair = value.trim().split(';').next()?;
            let (k, v) = pair.split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect()
}

#[test]
fn a_running_server_logs_no_secret_token_cookie_or_password() {
    use std::io::{BufRead, BufReader, Read};
    let (_dir, db) = temp_db();
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(["serve", "--no-schedule", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", &db)
        .env("KOERS_PUBLIC_URL", "https://koers.example")
        .env("KOERS_SECRET_KEY", SECRET_KEY)
        .env("KOERS_METRICS_TOKEN", METRICS_TOKEN)
        .env("RUST_LOG", "debug")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running koers: {e}"));
    let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap_or_else(|| panic!("no stdout")));
    let mut output = String::new();
    let addr = loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            let _ = child.kill();
            panic!("koers serve stopped: {output}");
        }
        output.push_str(&line);
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
    };
    let request = |method: &str, path: &str, extra: &str, body: &str| {
        http(
            &addr,
            &format!(
                "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    // /metrics with a wrong token, then the right one.
    let refused = request("GET", "/metrics", "Authorization: Bearer wrong\r\n", "");
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    let metrics = request(
        "GET",
        "/metrics",
        &format!("Authorization: Bearer {METRICS_TOKEN}\r\n"),
        "",
    );
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    // The sign-in page sets the CSRF cookie; a failed sign-in with it posts a password.
    let page = request("GET", "/console/login", "", "");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let cookies = cookie_values(&page);
    assert!(!cookies.is_empty(), "{page}");
    let token = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    assert!(!token.is_empty(), "{page}");
    let cookie_header = cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let typed_password = "een-getypt-wachtwoord-91";
    let body = format!(
        "csrf={}&username=anna&password={typed_password}",
        form_urlencoded_value(&token)
    );
    let signin = request(
        "POST",
        "/console/login",
        &format!("Cookie: {cookie_header}\r\nContent-Type: application/x-www-form-urlencoded\r\n"),
        &body,
    );
    assert!(signin.starts_with("HTTP/1.1 "), "{signin}");
    let mut secrets = vec![
        SECRET_KEY.to_owned(),
        METRICS_TOKEN.to_owned(),
        typed_password.to_owned(),
        token,
    ];
    secrets.extend(cookie_values(&signin).into_iter().map(|(_, v)| v));
    secrets.extend(cookies.into_iter().map(|(_, v)| v));
    let _ = child.kill();
    let _ = child.wait();
    let _ = stdout.read_to_string(&mut output);
    let text = format!("{output}\n{}", errors.join().unwrap_or_default());
    assert!(text.contains("/console/login"), "no request logged: {text}");
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.len() >= 8)
        .collect();
    assert_no_secret("koers serve", &text, &secrets);
}

/// Percent-encodes a form value.
fn form_urlencoded_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// `koers serve` as production runs it: replicas over one database, SIGKILL and SIGTERM.

mod serve {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    use store::{FetchOutcome, FetchSummary, Store};
    use testkit::{FakeCbs, TestDb};

    /// Never fires during a test (1 January, midnight).
    const YEARLY: &str = "0 0 0 1 1 *";
    const HOMELESS: &str = "cbs-homeless";

    /// A `koers serve` process; killed when dropped, if still running.
    struct Serve {
        child: Child,
        addr: String,
        log: Arc<Mutex<String>>,
    }

    impl Serve {
        /// Starts `koers serve` on a free port over `db` and `cbs`, with cbs-homeless on
        /// `schedule` (every other job yearly) and `env` on top; returns once it listens.
        async fn start(db: &str, cbs: &str, schedule: &str, env: &[(&str, &str)]) -> Self {
            let dir = std::env::temp_dir();
            let mut command = Command::new(env!("CARGO_BIN_EXE_koers"));
            command
                .arg("serve")
                .env_clear()
                .current_dir(dir)
                .env("DATABASE_URL", db)
                .env("CBS_ODATA_URL", cbs)
                .env("EUROSTAT_API_URL", "http://127.0.0.1:9")
                .env("KOERS_ADDR", "127.0.0.1:0")
                .env("KOERS_HTTP_MAX_RETRIES", "0")
                .env("KOERS_HTTP_TIMEOUT_SECS", "120")
                .env("KOERS_ALERT_SCHEDULE", YEARLY)
                .env("KOERS_SCHEDULE_CBS_HOMELESS", schedule)
                .env("RUST_LOG", "info,sqlx=warn,tower_http=warn")
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            for source in [
                "CBS_HOUSING",
                "CBS_PERMITS",
                "CBS_POPULATION",
                "CBS_WMO",
                "EUROSTAT_PERMITS",
            ] {
                command.env(format!("KOERS_SCHEDULE_{source}"), YEARLY);
            }
            command.envs(env.iter().copied());
            let mut child = command
                .spawn()
                .unwrap_or_else(|e| panic!("starting koers serve: {e}"));
            let log = Arc::new(Mutex::new(String::new()));
            let (tx, rx) = std::sync::mpsc::channel();
            let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
            let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
            for (stream, tx) in [
                (Box::new(stdout) as Box<dyn Read + Send>, Some(tx)),
                (Box::new(stderr), None),
            ] {
                let log = log.clone();
                std::thread::spawn(move || {
                    for line in BufReader::new(stream).lines().map_while(Result::ok) {
                        if let (Some(tx), Some(at)) = (&tx, line.find("running at http://")) {
                            let addr = line[at + "running at http://".len()..]
                                .split_whitespace()
                                .next()
                                .unwrap_or_default()
                                .to_owned();
                            let _ = tx.send(addr);
                        }
                        let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
                        log.push_str(&line);
                        log.push('\n');
                    }
                });
            }
            let give_up = Instant::now() + Duration::from_secs(120);
            let addr = loop {
                if let Ok(addr) = rx.try_recv() {
                    break addr;
                }
                if let Ok(Some(status)) = child.try_wait() {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    panic!(
                        "koers serve exited ({status}):\n{}",
                        log.lock().unwrap_or_else(|e| e.into_inner())
                    );
                }
                assert!(
                    Instant::now() < give_up,
                    "koers serve did not start:\n{}",
                    log.lock().unwrap_or_else(|e| e.into_inner())
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            Self { child, addr, log }
        }

        fn pid(&self) -> u32 {
            self.child.id()
        }

        fn log(&self) -> String {
            self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
        }

        /// Sends SIGTERM, as a container runtime does to stop a replica.
        fn terminate(&self) {
            let status = Command::new("kill")
                .args(["-s", "TERM", &self.pid().to_string()])
                .status()
                .unwrap_or_else(|e| panic!("running kill: {e}"));
            assert!(status.success(), "kill -TERM {}", self.pid());
        }

        /// Sends SIGKILL (the process gets no chance to clean up) and reaps it.
        fn kill(&mut self) {
            self.child.kill().unwrap_or_else(|e| panic!("SIGKILL: {e}"));
            let _ = self.child.wait();
        }

        fn is_running(&mut self) -> bool {
            matches!(self.child.try_wait(), Ok(None))
        }

        /// Waits for the process to exit; its exit code.
        async fn exit_code(&mut self, limit: Duration) -> Option<i32> {
            let give_up = Instant::now() + limit;
            loop {
                if let Ok(Some(status)) = self.child.try_wait() {
                    return status.code();
                }
                assert!(
                    Instant::now() < give_up,
                    "koers serve did not stop:\n{}",
                    self.log()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }

        /// `GET path` (blocking, `Connection: close`): status and body.
        fn get(&self, path: &str) -> (u16, Vec<u8>) {
            let mut stream = self.send_get(path);
            read_response(&mut stream)
        }

        fn send_get(&self, path: &str) -> TcpStream {
            let mut stream = TcpStream::connect(&self.addr)
                .unwrap_or_else(|e| panic!("connecting to {}: {e}", self.addr));
            stream
                .set_read_timeout(Some(Duration::from_secs(120)))
                .unwrap_or_else(|e| panic!("{e}"));
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                self.addr
            )
            .unwrap_or_else(|e| panic!("sending GET {path}: {e}"));
            stream
        }
    }

    impl Drop for Serve {
        fn drop(&mut self) {
            if self.is_running() {
                self.kill();
            }
        }
    }

    /// Reads a whole `Connection: close` response: the status and the body, checked against
    /// its `Content-Length`.
    fn read_response(stream: &mut TcpStream) -> (u16, Vec<u8>) {
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("reading the response: {e}"));
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no complete head in {} bytes", raw.len()));
        let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
        let body = raw[split + 4..].to_vec();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head}"));
        if let Some(length) = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
        {
            assert_eq!(body.len(), length, "the body was cut off");
        }
        (status, body)
    }

    async fn fetches(store: &Store) -> Vec<FetchSummary> {
        let mut all = store
            .recent_fetches(Some(HOMELESS), 1_000)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        all.reverse();
        all
    }

    async fn wait_for<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let give_up = Instant::now() + limit;
        loop {
            if let Some(found) = check().await {
                return found;
            }
            assert!(Instant::now() < give_up, "timed out waiting until {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The first fetch of cbs-homeless once it is `running`.
    async fn a_running_fetch(store: &Store) -> FetchSummary {
        wait_for(Duration::from_secs(90), "a run is in progress", || async {
            fetches(store)
                .await
                .into_iter()
                .find(|f| f.outcome == FetchOutcome::Running)
        })
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_replica_killed_mid_run_is_taken_over_by_another_after_its_lease_lapses() {
        // Arrange: replica A runs cbs-homeless (every 2 s, lease 2 s) on an upstream that hangs.
        let cbs = FakeCbs::start().await;
        cbs.delay_responses(Some(Duration::from_secs(300)));
        let db = TestDb::new().await;
        let store = db.store();
        let env = [("KOERS_LEASE_SECONDS", "2")];
        let mut a = Serve::start(db.url(), &cbs.url(), "*/2 * * * * *", &env).await;
        let stuck = a_running_fetch(store).await;
        let lease = store::source_lease(HOMELESS);
        let holder = store.lease(&lease).await.ok().flatten().map(|l| l.holder);
        assert!(
            holder
                .as_deref()
                .is_some_and(|h| h.contains(&format!(":{}:", a.pid()))),
            "A holds the source: {holder:?}"
        );
        // Replica B starts while A's run is in progress, and leaves that run alone.
        let mut b = Serve::start(db.url(), &cbs.url(), "*/2 * * * * *", &env).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let during = store
            .get_fetch(stuck.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            during.outcome,
            FetchOutcome::Running,
            "B took A's live run:\n{}",
            b.log()
        );
        assert_eq!(
            fetches(store).await.len(),
            1,
            "B ran the source while A held it"
        );

        // Act: A dies without a word; upstream answers again.
        a.kill();
        let lapses_at = store
            .lease(&lease)
            .await
            .ok()
            .flatten()
            .map_or(0, |l| l.expires_at);
        cbs.delay_responses(None);

        // Assert: B claims a later tick once A's lease lapsed, marks A's run interrupted and
        // fetches the source itself.
        let taken_over = wait_for(Duration::from_secs(60), "B ran the source", || async {
            fetches(store)
                .await
                .into_iter()
                .find(|f| f.id != stuck.id && f.outcome == FetchOutcome::Succeeded)
        })
        .await;
        assert!(
            taken_over.started_at >= lapses_at,
            "B started at {} before A's lease lapsed at {lapses_at}",
            taken_over.started_at
        );
        let stuck = store
            .get_fetch(stuck.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stuck.outcome, FetchOutcome::Interrupted);
        assert!(
            stuck
                .error
                .as_deref()
                .is_some_and(|e| e.contains("another server took the source over")),
            "{:?}",
            stuck.error
        );
        let holder = store.lease(&lease).await.ok().flatten().map(|l| l.holder);
        assert!(
            holder
                .as_deref()
                .is_some_and(|h| h.contains(&format!(":{}:", b.pid()))),
            "B holds the source now: {holder:?}"
        );
        b.terminate();
        assert_eq!(
            b.exit_code(Duration::from_secs(60)).await,
            Some(0),
            "{}",
            b.log()
        );
        assert!(
            fetches(store)
                .await
                .iter()
                .all(|f| f.outcome != FetchOutcome::Running),
            "{:?}",
            fetches(store).await
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sigterm_lets_the_request_and_the_run_in_progress_finish_then_exits_zero() {
        // Arrange: a slow run (every upstream answer takes 150 ms) and a slow request (a large
        // chart, seconds to draw in a debug build) in progress.
        let cbs = FakeCbs::start().await;
        cbs.delay_responses(Some(Duration::from_millis(150)));
        let db = TestDb::new().await;
        let store = db.store();
        let mut server = Serve::start(db.url(), &cbs.url(), "*/2 * * * * *", &[]).await;
        let run = a_running_fetch(store).await;
        let chart = "/charts/homes_added_total.png?width=1000&height=1000&scale=4";
        let request = {
            let mut stream = server.send_get(chart);
            std::thread::sleep(Duration::from_millis(300));
            stream
                .set_nonblocking(true)
                .unwrap_or_else(|e| panic!("{e}"));
            let answered = stream.peek(&mut [0u8; 1]).is_ok();
            stream
                .set_nonblocking(false)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(!answered, "the request should still be in progress");
            std::thread::spawn(move || read_response(&mut stream))
        };

        // Act
        server.terminate();

        // Assert: the request is answered in full, the process waits for the run, then exits 0.
        let (status, body) = tokio::task::spawn_blocking(move || request.join())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|_| panic!("the request failed"));
        assert_eq!(status, 200);
        assert!(body.starts_with(b"\x89PNG"), "{} bytes", body.len());
        assert_eq!(
            server.exit_code(Duration::from_secs(90)).await,
            Some(0),
            "{}",
            server.log()
        );
        let all = fetches(store).await;
        assert_eq!(all.len(), 1, "no run started after SIGTERM: {all:?}");
        let run = store
            .get_fetch(run.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            run.outcome,
            FetchOutcome::Succeeded,
            "{:?}\n{}",
            run.error,
            server.log()
        );
        assert!(run.rows_new > 0, "{run:?}");
        let lease = store
            .lease(&store::source_lease(HOMELESS))
            .await
            .ok()
            .flatten();
        assert!(
            lease.is_some_and(|l| !l.is_live(store::now_ms())),
            "released"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sigterm_stops_a_run_stuck_past_its_grace_period_which_writes_nothing() {
        // Arrange: a run stuck on an upstream that does not answer; one second of grace.
        let cbs = FakeCbs::start().await;
        cbs.delay_responses(Some(Duration::from_secs(300)));
        let db = TestDb::new().await;
        let store = db.store();
        let env = [("KOERS_SHUTDOWN_GRACE_SECONDS", "1")];
        let mut server = Serve::start(db.url(), &cbs.url(), "*/2 * * * * *", &env).await;
        let run = a_running_fetch(store).await;
        let before = store
            .observation_counts()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let (status, _) = server.get("/ready");
        assert_eq!(status, 200);

        // Act
        let signalled = Instant::now();
        server.terminate();

        // Assert
        assert_eq!(
            server.exit_code(Duration::from_secs(60)).await,
            Some(0),
            "{}",
            server.log()
        );
        assert!(
            signalled.elapsed() >= Duration::from_secs(1),
            "the grace period was kept"
        );
        let run = store
            .get_fetch(run.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(run.outcome, FetchOutcome::Interrupted);
        assert!(
            run.error.as_deref().is_some_and(|e| e.contains("shut down") && e.contains("nothing of it was written")),
            "{:?}",
            run.error
        );
        assert_eq!(
            store
                .observation_counts()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            before
        );
        assert!(
            fetches(store)
                .await
                .iter()
                .all(|f| f.outcome != FetchOutcome::Running)
        );
        let lease = store
            .lease(&store::source_lease(HOMELESS))
            .await
            .ok()
            .flatten();
        assert!(
            lease.is_some_and(|l| !l.is_live(store::now_ms())),
            "released for another replica"
        );
    }
}

// Crash safety: `koers ingest` killed with SIGKILL at random points, many times over.

mod crash {
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};
    use store::Store;
    use testkit::{FakeCbs, FakeEurostat, TestDb};

    /// Kills per run of the test; `KOERS_CRASH_ITERATIONS` overrides it.
    const DEFAULT_ITERATIONS: u32 = 25;
    /// How long a dead process's leases live (`KOERS_LEASE_SECONDS`).
    const LEASE_SECONDS: u64 = 1;

    fn spawn_ingest(db: &str, cbs: &FakeCbs, eurostat: &FakeEurostat) -> Child {
        Command::new(env!("CARGO_BIN_EXE_koers"))
            .args(["ingest", "--force"])
            .env("DATABASE_URL", db)
            .env("CBS_ODATA_URL", cbs.url())
            .env("EUROSTAT_API_URL", eurostat.url())
            .env("KOERS_HTTP_MAX_RETRIES", "0")
            .env("KOERS_LEASE_SECONDS", LEASE_SECONDS.to_string())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting koers ingest: {e}"))
    }

    /// Runs `koers ingest --force` to its end; its exit code.
    async fn ingest_to_the_end(db: &str, cbs: &FakeCbs, eurostat: &FakeEurostat) -> Option<i32> {
        let mut child = spawn_ingest(db, cbs, eurostat);
        tokio::task::spawn_blocking(move || child.wait())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("waiting for koers ingest: {e}"))
            .code()
    }

    async fn count(store: &Store, sql: &'static str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every invariant of the stored data; the broken ones, described.
    async fn broken_invariants(store: &Store) -> Vec<String> {
        let mut broken = Vec::new();
        let checks: [(&str, &'static str); 4] = [
            (
                "figures with more than one current value",
                "SELECT COUNT(*) FROM (SELECT series_id, category, period FROM observations \
                 WHERE superseded_at IS NULL GROUP BY series_id, category, period \
                 HAVING COUNT(*) > 1) d",
            ),
            (
                "figures ever seen that have no current value (a vintage superseded without its successor)",
                "SELECT COUNT(*) FROM (SELECT series_id, category, period FROM observations \
                 GROUP BY series_id, category, period \
                 HAVING COUNT(CASE WHEN superseded_at IS NULL THEN 1 END) <> 1) d",
            ),
            (
                "superseded values whose successor is missing",
                "SELECT COUNT(*) FROM observations o WHERE o.superseded_at IS NOT NULL \
                 AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.series_id = o.series_id \
                 AND n.category = o.category AND n.period = o.period \
                 AND n.first_seen_at = o.superseded_at)",
            ),
            (
                "values written by a fetch that did not succeed (partly applied)",
                "SELECT COUNT(*) FROM observations o JOIN fetches f ON f.id = o.fetch_id \
                 WHERE f.outcome <> 'succeeded'",
            ),
        ];
        for (what, sql) in checks {
            let n = count(store, sql).await;
            if n != 0 {
                broken.push(format!("{n} {what}"));
            }
        }
        // Each succeeded fetch wrote exactly the values its record counts.
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT f.id, f.rows_new + f.rows_revised, \
             (SELECT COUNT(*) FROM observations o WHERE o.fetch_id = f.id) \
             FROM fetches f WHERE f.outcome = 'succeeded'",
        )
        .fetch_all(store.pool())
        .await
        .unwrap_or_else(|e| panic!("fetch counts: {e}"));
        for (id, counted, written) in rows {
            if counted != written {
                broken.push(format!(
                    "fetch {id} records {counted} new or revised values but wrote {written}"
                ));
            }
        }
        broken
    }

    /// The current values: series, category, period, value, status.
    async fn current(store: &Store) -> Vec<(String, String, String, f64, String)> {
        sqlx::query_as(
            "SELECT series_id, category, period, value, status FROM observations \
             WHERE superseded_at IS NULL ORDER BY series_id, category, period",
        )
        .fetch_all(store.pool())
        .await
        .unwrap_or_else(|e| panic!("current values: {e}"))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sigkill_at_random_points_of_an_ingest_never_leaves_partial_or_inconsistent_data() {
        // Arrange: upstreams slow enough (15 ms an answer) that a run spans many requests
        // and writes, and a store on SQLite or PostgreSQL (KOERS_TEST_DATABASE_URL).
        let cbs = FakeCbs::start().await;
        let eurostat = FakeEurostat::start().await;
        cbs.delay_responses(Some(Duration::from_millis(15)));
        eurostat.delay_responses(Some(Duration::from_millis(15)));
        let db = TestDb::new().await;
        let iterations = std::env::var("KOERS_CRASH_ITERATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_ITERATIONS);
        let mut rng = testkit::Rng::from_env("KOERS_CRASH_SEED");
        let seed = rng.seed();
        println!("crash test: {iterations} kills, KOERS_CRASH_SEED={seed}");

        // A first good ingest (it also creates the store), then how long a later one takes.
        let first = ingest_to_the_end(db.url(), &cbs, &eurostat).await;
        assert_eq!(first, Some(0), "the first, uninterrupted ingest failed");
        let started = Instant::now();
        let second = ingest_to_the_end(db.url(), &cbs, &eurostat).await;
        let whole_run = started.elapsed();
        assert_eq!(second, Some(0), "the second, uninterrupted ingest failed");
        println!("crash test: one whole ingest takes {whole_run:?}; kills land in 0..90 % of it");

        // Act: each time CBS revises a figure, an ingest starts, and dies at a random moment.
        let mut killed = 0;
        for i in 0..iterations {
            cbs.revise_value(
                "80799ned",
                &[("Persoonskenmerken", "T009002"), ("Perioden", "2024JJ00")],
                "DaklozeMensen_1",
                serde_json::json!(30.0 + f64::from(i) / 10.0),
            );
            let mut child = spawn_ingest(db.url(), &cbs, &eurostat);
            let at =
                Duration::from_millis(rng.below(whole_run.as_millis() as usize * 9 / 10) as u64);
            tokio::time::sleep(at).await;
            if matches!(child.try_wait(), Ok(None)) {
                killed += 1;
            }
            // SIGKILL: no destructor, no rollback by the process itself.
            let _ = child.kill();
            let _ = child.wait();

            // Assert: whatever the moment, every invariant holds.
            let broken = broken_invariants(db.store()).await;
            assert!(
                broken.is_empty(),
                "after a kill at {at:?} (iteration {i}, KOERS_CRASH_SEED={seed}):\n{}",
                broken.join("\n")
            );
            // The dead process's leases lapse, so the next ingest runs every source instead of
            // finding them taken (which it reports as a failure, quickly).
            tokio::time::sleep(Duration::from_millis(LEASE_SECONDS * 1000 + 100)).await;
        }
        assert!(
            killed * 2 >= iterations,
            "only {killed} of {iterations} kills hit a running ingest"
        );

        // The next good run, once the dead processes' leases lapsed, succeeds, closes every
        // killed run, and leaves the same figures as a store that never saw a crash.
        tokio::time::sleep(Duration::from_millis(LEASE_SECONDS * 1000 + 500)).await;
        assert_eq!(
            ingest_to_the_end(db.url(), &cbs, &eurostat).await,
            Some(0),
            "the ingest after the crashes failed"
        );
        assert!(broken_invariants(db.store()).await.is_empty());
        assert_eq!(
            count(
                db.store(),
                "SELECT COUNT(*) FROM fetches WHERE outcome = 'running'"
            )
            .await,
            0,
            "a killed run was left open"
        );
        let control = TestDb::new().await;
        assert_eq!(
            ingest_to_the_end(control.url(), &cbs, &eurostat).await,
            Some(0)
        );
        assert_eq!(
            current(db.store()).await,
            current(control.store()).await,
            "the crashed store's figures differ from a store that never crashed"
        );
        println!(
            "crash test: {killed} of {iterations} ingests killed mid-run; every invariant held"
        );
    }
}
