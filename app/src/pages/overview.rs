//! The overview: one card per goal.

use super::{ErrorView, Layout, page_locale, tr};
use crate::api::get_overview;
use crate::model::GoalCard;
use domain::Locale;
use leptos::prelude::*;

/// A symbol per status, so the status never depends on colour alone.
fn status_symbol(status: &str) -> &'static str {
    match status {
        "reached" => "★",
        "on_track" => "✔",
        "needs_acceleration" => "▲",
        "limited_progress" => "◐",
        "moving_away" => "✖",
        _ => "?",
    }
}

/// A goal's status badge.
#[component]
pub fn StatusBadge(status: String, label: String) -> impl IntoView {
    view! {
        <p class=format!("status status-{status}")>
            <span class="status-symbol" aria-hidden="true">{status_symbol(&status)}</span>
            " "
            <span>{label}</span>
        </p>
    }
}

/// One goal: status, the figures behind it, the sentence, the chart.
#[component]
pub fn GoalCardView(
    locale: Locale,
    card: GoalCard,
    #[prop(optional)] with_chart: bool,
    #[prop(optional)] heading_level: u8,
) -> impl IntoView {
    let heading_id = format!("goal-{}", card.goal_id);
    let facts = [
        (
            tr(locale, "goal-latest"),
            format!("{} ({})", card.latest_value, card.latest_when),
        ),
        (tr(locale, "goal-baseline"), card.baseline.clone()),
        (tr(locale, "goal-target"), card.target.clone()),
        (tr(locale, "goal-version"), card.target_version.clone()),
        (tr(locale, "goal-pace"), card.pace.clone()),
        (tr(locale, "goal-pace-needed"), card.pace_needed.clone()),
        (tr(locale, "goal-projection"), card.projection.clone()),
        (tr(locale, "goal-freshness"), card.freshness.clone()),
    ];
    let title = card.goal_title.clone();
    let heading = if heading_level == 3 {
        view! { <h3 id=heading_id.clone()>{title}</h3> }.into_any()
    } else {
        view! { <h2 id=heading_id.clone()><a href=card.series_href.clone()>{title}</a></h2> }
            .into_any()
    };
    let chart_alt = format!("{}: {}", tr(locale, "series-chart-heading"), card.title);
    view! {
        <article class="goal-card" aria-labelledby=heading_id>
            {heading}
            <p class="goal-series">{card.title.clone()}</p>
            <StatusBadge status=card.status.clone() label=card.status_label.clone() />
            <p class="sentence">{card.sentence.clone()}</p>
            {with_chart
                .then(|| {
                    // Phones get a chart drawn for their width, so its text stays readable.
                    view! {
                        <picture>
                            <source media="(max-width: 40rem)" srcset=format!("{}&width=480&height=420", card.chart_src_base) />
                            <img class="goal-chart" src=card.chart_src.clone() alt=chart_alt width="800" height="450" loading="lazy" decoding="async" />
                        </picture>
                    }
                })}
            <dl class="facts">
                {facts
                    .into_iter()
                    .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> })
                    .collect_view()}
            </dl>
            {(!card.notes.is_empty())
                .then(|| view! { <ul class="notes">{card.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul> })}
            <p class="commitment">
                {tr(locale, "goal-commitment")} ": "
                <a href=card.commitment_url.clone()>{card.commitment.clone()}</a>
            </p>
            {with_chart.then(|| view! { <p><a class="more" href=card.series_href.clone()>{tr(locale, "goal-view-series")}</a></p> })}
        </article>
    }
}

/// `/` and `/en`.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let locale = page_locale();
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(
        move || query.read().get("vintage"),
        move |vintage| get_overview(locale.code().to_owned(), vintage),
    );
    view! {
        <Layout locale title=tr(locale, "overview-title")>
            <h1>{tr(locale, "overview-title")}</h1>
            <p class="lead">{tr(locale, "overview-intro")}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(overview) => view! {
                            <div class="goal-grid">
                                {overview
                                    .goals
                                    .into_iter()
                                    .map(|card| view! { <GoalCardView locale card with_chart=true /> })
                                    .collect_view()}
                            </div>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorView locale error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
