//! Building and running the web application: store, bootstrap, scheduler, router.

use crate::assets::{self, Assets};
use crate::cache::{CacheLayer, CacheSettings, Cost, HttpCache};
use crate::routes;
use anyhow::Context;
use app::ssr::AppState;
use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use jobs::{Ingestor, JobsConfig};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Shared state of every request handler: one `Arc`, since axum clones the state of every
/// route and layer for every request. Its parts are read through `Deref`.
#[derive(Clone)]
pub struct AppContext(Arc<AppParts>);

impl std::ops::Deref for AppContext {
    type Target = AppParts;
    fn deref(&self) -> &AppParts {
        &self.0
    }
}

impl FromRef<AppContext> for LeptosOptions {
    fn from_ref(ctx: &AppContext) -> Self {
        ctx.leptos_options.clone()
    }
}

impl FromRef<AppContext> for Assets {
    fn from_ref(ctx: &AppContext) -> Self {
        ctx.assets.clone()
    }
}

/// The parts of the shared state.
pub struct AppParts {
    /// The store.
    pub store: Store,
    /// Public base URL, without trailing slash.
    pub public_url: String,
    /// Runs sources (used by the API and, later, the console).
    pub ingestor: Arc<Ingestor>,
    /// Static assets.
    pub assets: Assets,
    /// Leptos settings.
    pub leptos_options: LeptosOptions,
    /// Cached answers and the render rate limit.
    pub cache: HttpCache,
    /// Console sign-in limits and CSRF keys.
    pub console: crate::console::ConsoleState,
    /// Runs started from the console, followed until they end.
    pub runs: jobs::RunTracker,
    /// The scheduler (empty when scheduled fetching is off): next runs per source.
    pub scheduler: jobs::SchedulerHandle,
    /// This application's Prometheus registry (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Whether the server is shutting down (`/ready` answers 503 then).
    pub lifecycle: Lifecycle,
    /// Reverse proxies whose `X-Forwarded-For` names the client ([`crate::client`]).
    pub trusted_proxies: Arc<crate::client::TrustedProxies>,
}

/// Whether the server is shutting down. Cheap to clone; every clone sees the same state.
#[derive(Clone, Debug, Default)]
pub struct Lifecycle(Arc<std::sync::atomic::AtomicBool>);

impl Lifecycle {
    /// Marks the server as shutting down, for good.
    pub fn begin_shutdown(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether a shutdown has begun.
    pub fn is_shutting_down(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// How the server stops on SIGTERM or Ctrl-C (see [`Application::run_until`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownSettings {
    /// How long `/ready` answers 503 while requests are still accepted, so that load balancers
    /// stop sending new ones first (`KOERS_SHUTDOWN_DRAIN_SECONDS`).
    pub drain: Duration,
    /// How long requests and ingestion runs in progress then get to finish before they are
    /// stopped (`KOERS_SHUTDOWN_GRACE_SECONDS`). A stopped run writes nothing and ends
    /// `interrupted`.
    pub grace: Duration,
}

/// Default of [`ShutdownSettings::grace`]: with no drain, a stop ends within Kubernetes'
/// default 30 s between SIGTERM and SIGKILL, stopped runs included.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(25);

impl Default for ShutdownSettings {
    fn default() -> Self {
        Self {
            drain: Duration::ZERO,
            grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

/// What `Application::build` needs. Its `Debug` leaves secrets out (see [`crate::security`]).
#[derive(Clone)]
pub struct Settings {
    /// Address to bind (`127.0.0.1:0` picks a free port).
    pub addr: String,
    /// Database URL.
    pub database_url: String,
    /// Connection pool size.
    pub db_max_connections: u32,
    /// Public base URL; `None` derives it from the bound address.
    pub public_url: Option<String>,
    /// Ingestion settings.
    pub jobs: JobsConfig,
    /// Whether to start the scheduler.
    pub schedule: bool,
    /// HTTP cache size and render rate limit.
    pub cache: CacheSettings,
    /// Console sessions, sign-in limits and secret.
    pub console: crate::console::ConsoleSettings,
    /// Bearer token required to read `/metrics` (`None`: public).
    pub metrics_token: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::client::TrustedProxies,
}

/// A built, bound application, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    ctx: AppContext,
    shutdown: ShutdownSettings,
}

impl Application {
    /// Opens and migrates the store, loads the first-run snapshot into an empty store, starts
    /// the scheduler (unless disabled) and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let store = Store::open(&settings.database_url, settings.db_max_connections)
            .await
            .with_context(|| {
                format!(
                    "opening the database {}",
                    store::redact_url(&settings.database_url)
                )
            })?;
        let report = jobs::bootstrap(&store, store::now_ms())
            .await
            .context("preparing the database")?;
        if report.snapshot_figures > 0 {
            tracing::info!(
                figures = report.snapshot_figures,
                "empty store: loaded the published-figures snapshot"
            );
        }
        let listener = TcpListener::bind(&settings.addr).await.with_context(|| {
            format!(
                "cannot listen on {} (is another program using it? set KOERS_ADDR)",
                settings.addr
            )
        })?;
        let local = listener.local_addr().context("reading the bound address")?;
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"))
            .trim_end_matches('/')
            .to_owned();
        let ingestor = Arc::new(
            Ingestor::new(store.clone(), settings.jobs.clone()).context("setting up ingestion")?,
        );
        let metrics = Arc::new(crate::metrics::Metrics::new(settings.metrics_token.clone()));
        metrics.register_sources(&ingestor);
        ingestor.add_sink(metrics.clone());
        let scheduler = if settings.schedule {
            Some(
                jobs::scheduler::start(ingestor.clone())
                    .await
                    .context("starting the scheduler")?,
            )
        } else {
            None
        };
        let assets = Assets::load();
        if !assets.has_wasm {
            tracing::warn!(
                "built without the hydration bundle: pages work, in-place chart updates need scripts/build-site.sh"
            );
        }
        let leptos_options = LeptosOptions::builder()
            .output_name(assets.output_name.clone())
            .site_pkg_dir("pkg")
            .site_addr(local)
            .build();
        let cache = HttpCache::new(store.clone(), settings.cache);
        let console = crate::console::ConsoleState::new(settings.console.clone(), &public_url);
        let ctx = AppContext(Arc::new(AppParts {
            lifecycle: Lifecycle::default(),
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
            runs: jobs::RunTracker::new(ingestor.clone()),
            scheduler: jobs::SchedulerHandle::new(scheduler),
            metrics,
            console,
            cache,
            store,
            public_url,
            ingestor,
            assets,
            leptos_options,
        }));
        let router = router(ctx.clone());
        Ok(Self {
            listener,
            router,
            ctx,
            shutdown: ShutdownSettings::default(),
        })
    }

    /// Sets how the application stops (by default: no drain, [`DEFAULT_SHUTDOWN_GRACE`] of grace).
    #[must_use]
    pub fn with_shutdown(mut self, shutdown: ShutdownSettings) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The shared state (for tests).
    pub fn context(&self) -> &AppContext {
        &self.ctx
    }

    /// Serves until `shutdown` resolves, then stops gracefully and closes the store:
    ///
    /// 1. `/ready` answers 503, the scheduler stops and no ingestion run starts any more;
    ///    requests are still served for [`ShutdownSettings::drain`], so that load balancers
    ///    stop sending new ones.
    /// 2. The listener closes; requests in progress and ingestion runs in progress get
    ///    [`ShutdownSettings::grace`] to finish.
    /// 3. Runs still going then are stopped: each rolls back what it had not committed, closes
    ///    its fetch row as `interrupted` and releases its source's lease for another replica.
    ///    Requests still going are cut off.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Self {
            listener,
            router,
            ctx,
            shutdown: settings,
        } = self;
        let (signalled, mut on_signal) = tokio::sync::watch::channel(false);
        let stop_accepting = {
            let ctx = ctx.clone();
            async move {
                shutdown.await;
                ctx.lifecycle.begin_shutdown();
                ctx.ingestor.stop_new_runs();
                let _ = signalled.send(true);
                tracing::info!(
                    drain_s = settings.drain.as_secs_f64(),
                    grace_s = settings.grace.as_secs_f64(),
                    "shutting down: /ready answers 503 and no run starts any more"
                );
                if !settings.drain.is_zero() {
                    tokio::time::sleep(settings.drain).await;
                }
                tracing::info!(
                    "no longer accepting connections; finishing requests and runs in progress"
                );
            }
        };
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let serve = axum::serve(listener, service)
            .with_graceful_shutdown(stop_accepting)
            .into_future();
        tokio::pin!(serve);
        let early = tokio::select! {
            served = &mut serve => Some(served),
            _ = on_signal.wait_for(|s| *s) => None,
        };
        let deadline = tokio::time::Instant::now() + settings.drain + settings.grace;
        ctx.lifecycle.begin_shutdown();
        ctx.ingestor.stop_new_runs();
        let stop_scheduler = async {
            if let Err(e) = ctx.scheduler.shutdown().await {
                tracing::warn!(error.message = %e, "the scheduler did not stop cleanly");
            }
        };
        let requests = async {
            match early {
                Some(served) => served,
                None => match tokio::time::timeout_at(deadline, &mut serve).await {
                    Ok(served) => served,
                    Err(_) => {
                        tracing::warn!(
                            "requests still in progress after the grace period were cut off"
                        );
                        Ok(())
                    }
                },
            }
        };
        let runs = ctx
            .ingestor
            .shut_down(deadline.saturating_duration_since(tokio::time::Instant::now()));
        let ((), served, _) = tokio::join!(stop_scheduler, requests, runs);
        ctx.store.close().await;
        served.context("serving HTTP")?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// All routes: API, charts, health, assets, server functions and pages.
pub fn router(ctx: AppContext) -> Router {
    let state = AppState {
        store: ctx.store.clone(),
        public_url: ctx.public_url.clone(),
    };
    let shell_assets = app::Assets {
        css_href: ctx.assets.css_href.clone(),
        has_wasm: ctx.assets.has_wasm,
    };
    let leptos_options = ctx.leptos_options.clone();
    let routes = generate_route_list(app::App);
    let provide = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            crate::security::provide_nonce();
        }
    };
    let shell = {
        let options = leptos_options.clone();
        let shell_assets = shell_assets.clone();
        move || app::shell(options.clone(), shell_assets.clone())
    };
    let not_found = leptos_axum::render_app_async_with_context(provide.clone(), shell.clone());
    let api = Router::new()
        .route("/api/v1/series", get(routes::api::list_series))
        .route("/api/v1/series/{id}", get(routes::api::get_series))
        .route("/api/v1/series/{id}/history", get(routes::api::history))
        .route(
            "/api/v1/series/{id}/datapackage.json",
            get(routes::export::datapackage),
        )
        .route("/api/v1/goals", get(routes::api::goals))
        .route("/api/v1/sources", get(routes::api::sources))
        .merge(routes::openapi::routes())
        .method_not_allowed_fallback(routes::api_method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            CacheLayer {
                cache: ctx.cache.clone(),
                cost: Cost::Cheap,
            },
            crate::cache::layer,
        ))
        .layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([http::Method::GET]),
        );
    let renders = Router::new()
        .route("/charts/{file}", get(routes::charts::chart_image))
        .route("/embed/series/{id}", get(routes::embed::embed_series))
        .layer(axum::middleware::from_fn_with_state(
            CacheLayer {
                cache: ctx.cache.clone(),
                cost: Cost::Render,
            },
            crate::cache::layer,
        ));
    let pages = Router::new()
        .leptos_routes_with_context(&ctx, routes, provide, shell)
        .route_layer(axum::middleware::from_fn_with_state(
            ctx.cache.clone(),
            crate::cache::shed_pages,
        ));
    Router::new()
        .merge(api)
        .merge(renders)
        .route("/health", get(routes::health::health))
        .route("/ready", get(routes::health::ready))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/pkg/{file}", get(assets::serve_asset))
        .route("/favicon.svg", get(assets::serve_asset))
        .route("/embed.js", get(assets::serve_asset))
        .route("/embed-frame.js", get(assets::serve_asset))
        .route("/embed.css", get(assets::serve_asset))
        .merge(crate::console::routes(&ctx))
        .merge(pages)
        .route_layer(axum::middleware::from_fn(crate::metrics::mark_route))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(routes::server_fns::error_status))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn_with_state(
            ctx.trusted_proxies.clone(),
            crate::client::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            ctx.metrics.clone(),
            crate::metrics::track_requests,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::security::SecurityHeaders::for_public_url(&ctx.public_url),
            crate::security::headers,
        ))
        .with_state(ctx)
}
