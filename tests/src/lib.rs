//! The app-level test harness: `spawn_app()` starts the real Koers application in-process on
//! `127.0.0.1:0`, over a fresh database (`testkit::TestDb`: SQLite, or PostgreSQL when
//! `KOERS_TEST_DATABASE_URL` is set) and a local server that answers like CBS
//! (`testkit::FakeCbs`). Set `TEST_LOG=1` to see the application's logs.

use domain::SourceId;
use jobs::{JobsConfig, RunOptions, RunReport};
use server::startup::{AppContext, Application, Settings};
use std::sync::Once;
use std::time::Duration;
use testkit::{FakeCbs, FakeEurostat, TestDb};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running application with its fake upstream and database.
pub struct TestApp {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub address: String,
    /// HTTP client (no redirects followed, so tests see them).
    pub client: reqwest::Client,
    /// The fake CBS.
    pub cbs: FakeCbs,
    /// The fake Eurostat.
    pub eurostat: FakeEurostat,
    /// The application's shared state.
    pub ctx: AppContext,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    // Dropped last: the database outlives the application using it.
    db: TestDb,
}

static TRACING: Once = Once::new();
static ACCOUNTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// Every Rust source file of the server crate (for tests that check what its routes do).
pub fn server_source_files() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src"),
        &mut files,
    );
    files.sort();
    files
}

/// The password of every account `console_user` makes.
pub const TEST_PASSWORD: &str = "een lang testwachtwoord";

/// A browser-like console client: keeps its cookies (whatever their Secure flag, so tests over
/// plain HTTP still see sessions), follows no redirects, and puts the page's CSRF token into
/// every form it posts.
#[derive(Clone)]
pub struct ConsoleClient {
    address: String,
    client: reqwest::Client,
    cookies: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, String>>>,
    /// The signed-in account's name (empty when anonymous).
    pub username: String,
}

impl ConsoleClient {
    fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().unwrap_or_else(|e| e.into_inner());
        jar.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&self, response: &reqwest::Response) {
        let mut jar = self.cookies.lock().unwrap_or_else(|e| e.into_inner());
        for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let first = text.split(';').next().unwrap_or_default();
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            let removed = text.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if removed {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    /// Forgets one cookie (as a browser does when it expires).
    pub fn drop_cookie(&self, name: &str) {
        self.cookies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name);
    }

    /// Sends a request with the client's cookies and keeps the ones it gets back.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let response = request
            .header(reqwest::header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap_or_else(|e| panic!("console request: {e}"));
        self.keep_cookies(&response);
        response
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.send(self.client.get(format!("{}{path}", self.address)))
            .await
    }

    /// GET a path and return its status and body text.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// A current CSRF token (read from the sign-in form, or the account page once signed in).
    pub async fn csrf(&self) -> String {
        let (status, mut html) = self.get_text("/console/login").await;
        if status == 303 {
            html = self.get_text("/console/account").await.1;
        }
        let start = html
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no CSRF field on the page: {html}"))
            + "name=\"csrf\" value=\"".len();
        let end = html[start..].find('"').map_or(html.len(), |i| start + i);
        html[start..end].to_owned()
    }

    /// POSTs a urlencoded form with the CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// POSTs a urlencoded form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = fields
            .iter()
            .fold(
                url::form_urlencoded::Serializer::new(String::new()),
                |mut s, (k, v)| {
                    s.append_pair(k, v);
                    s
                },
            )
            .finish();
        self.send(
            self.client
                .post(format!("{}{path}", self.address))
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(body),
        )
        .await
    }

    /// POSTs a multipart form: the CSRF token first, then what `fields` adds.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: impl FnOnce(reqwest::multipart::Form) -> reqwest::multipart::Form,
    ) -> reqwest::Response {
        let token = self.csrf().await;
        let form = fields(reqwest::multipart::Form::new().text("csrf", token));
        self.send(
            self.client
                .post(format!("{}{path}", self.address))
                .multipart(form),
        )
        .await
    }

    /// Signs in; the answer is a 303 on success.
    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/console/login",
            &[("username", username), ("password", password)],
        )
        .await
    }
}

/// Fast retries for tests: failures show up in milliseconds, not minutes.
pub fn test_jobs_config(cbs_url: &str, eurostat_url: &str) -> JobsConfig {
    JobsConfig {
        cbs_odata_url: cbs_url.to_owned(),
        eurostat_api_url: eurostat_url.to_owned(),
        http_timeout: Duration::from_secs(5),
        http_max_retries: 2,
        retry_base_delay: Duration::from_millis(10),
        retry_max_delay: Duration::from_secs(2),
        ..JobsConfig::default()
    }
}

/// Starts the application on a fresh database with the first-run snapshot loaded.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with changed settings (a tighter render limit, say).
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    TRACING.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            server::telemetry::init("info,sqlx=warn");
        }
    });
    let cbs = FakeCbs::start().await;
    let eurostat = FakeEurostat::start().await;
    let db = TestDb::new().await;
    let mut settings = test_settings(db.url(), &cbs, &eurostat);
    change(&mut settings);
    let running = serve(settings).await;
    TestApp {
        address: running.address,
        client: running.client,
        cbs,
        eurostat,
        ctx: running.ctx,
        shutdown: Some(running.shutdown),
        handle: Some(running.handle),
        db,
    }
}

/// The settings of a test server over `database_url` and the fake upstreams.
fn test_settings(database_url: &str, cbs: &FakeCbs, eurostat: &FakeEurostat) -> Settings {
    Settings {
        addr: "127.0.0.1:0".to_owned(),
        database_url: database_url.to_owned(),
        db_max_connections: 4,
        public_url: Some("https://koers.example".to_owned()),
        jobs: test_jobs_config(&cbs.url(), &eurostat.url()),
        schedule: false,
        cache: server::cache::CacheSettings::default(),
        console: server::console::ConsoleSettings::default(),
        metrics_token: None,
        trusted_proxies: server::client::TrustedProxies::default(),
    }
}

/// A server started in this process.
struct Running {
    address: String,
    client: reqwest::Client,
    ctx: AppContext,
    shutdown: oneshot::Sender<()>,
    handle: JoinHandle<anyhow::Result<()>>,
}

async fn serve(settings: Settings) -> Running {
    let app = Application::build(settings)
        .await
        .unwrap_or_else(|e| panic!("building the app: {e:?}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let ctx = app.context().clone();
    let (shutdown, rx) = oneshot::channel();
    let handle = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("building the client: {e}"));
    Running {
        address,
        client,
        ctx,
        shutdown,
        handle,
    }
}

/// A second server over the same database and upstreams as a [`TestApp`], as a replica behind
/// the same load balancer: it shares everything stored, nothing held in memory.
pub struct Replica {
    /// Base URL.
    pub address: String,
    /// The replica's shared state.
    pub ctx: AppContext,
    running: Option<Running>,
}

impl Replica {
    /// A console client of this replica carrying `client`'s cookies (the same browser, sent to
    /// another replica by the load balancer).
    pub fn same_browser(&self, client: &ConsoleClient) -> ConsoleClient {
        ConsoleClient {
            address: self.address.clone(),
            client: client.client.clone(),
            cookies: client.cookies.clone(),
            username: client.username.clone(),
        }
    }

    /// Stops the replica.
    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.shutdown.send(());
            let result = running
                .handle
                .await
                .unwrap_or_else(|e| panic!("replica task: {e}"));
            assert!(result.is_ok(), "replica stopped with an error: {result:?}");
        }
    }
}

impl TestApp {
    /// GET a path; panics on a transport error.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET a path and return its status and body text.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// GET a path and parse JSON.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, text) = self.get_text(path).await;
        let json = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {text}"));
        (status, json)
    }

    /// Runs a source now through the application's own ingestor.
    pub async fn ingest(&self, source: &str) -> RunReport {
        let id = SourceId::parse(source).unwrap_or_else(|e| panic!("{e}"));
        self.ctx
            .ingestor
            .run(&id, RunOptions::default(), &())
            .await
            .unwrap_or_else(|e| panic!("running {source}: {e}"))
    }

    /// A console client signed in as a new account with `role` (username `<role>-<n>`).
    pub async fn console_user(&self, role: auth::Role) -> ConsoleClient {
        let n = ACCOUNTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let username = format!("{role}-{n}");
        auth::create_user(&self.ctx.store, &username, TEST_PASSWORD, role)
            .await
            .unwrap_or_else(|e| panic!("creating {username}: {e}"));
        let client = self.anonymous();
        let response = client.sign_in(&username, TEST_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "signing in {username}");
        ConsoleClient { username, ..client }
    }

    /// A console client without a session.
    pub fn anonymous(&self) -> ConsoleClient {
        ConsoleClient {
            address: self.address.clone(),
            client: self.client.clone(),
            cookies: std::sync::Arc::default(),
            username: String::new(),
        }
    }

    /// Starts a replica of this server: another application over the same database, with
    /// `change` applied to its settings.
    pub async fn spawn_replica(&self, change: impl FnOnce(&mut Settings)) -> Replica {
        let mut settings = test_settings(self.db.url(), &self.cbs, &self.eurostat);
        change(&mut settings);
        let running = serve(settings).await;
        Replica {
            address: running.address.clone(),
            ctx: running.ctx.clone(),
            running: Some(running),
        }
    }

    /// The test database.
    pub fn db(&self) -> &TestDb {
        &self.db
    }

    /// Stops the server and checks invariants that must hold after every test: no fetch left
    /// `running`, and at most one current value per (series, category, period).
    pub async fn stop(mut self) {
        let running = self.ctx.store.recent_fetches(None, 1000).await.map(|f| {
            f.into_iter()
                .filter(|f| f.outcome == store::FetchOutcome::Running)
                .count()
        });
        assert_eq!(running.ok(), Some(0), "a fetch was left running");
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            let result = handle.await.unwrap_or_else(|e| panic!("server task: {e}"));
            assert!(result.is_ok(), "server stopped with an error: {result:?}");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
