//! The list of series and the page of one series.

use super::overview::GoalCardView;
use super::{ErrorView, Layout, page_locale, tr};
use crate::api::{get_series_list, get_series_page};
use crate::islands::SeriesExplorer;
use crate::query::SeriesQuery;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/series`: every series with its source and latest figure.
#[component]
pub fn SeriesListPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let data = Resource::new(
        move || locale,
        move |locale| {
            get_series_list(
                locale.code().to_owned(),
                query.read_untracked().get("vintage"),
            )
        },
    );
    view! {
        <Layout locale title=tr(locale, "series-list-title")>
            <h1>{tr(locale, "series-list-title")}</h1>
            <p class="lead">{tr(locale, "series-list-intro")}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(items) => view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=tr(locale, "series-list-title")>
                                <table class="series-list">
                                    <thead>
                                        <tr>
                                            <th scope="col">{tr(locale, "nav-series")}</th>
                                            <th scope="col">{tr(locale, "table-source")}</th>
                                            <th scope="col" class="num">{tr(locale, "goal-latest")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {items
                                            .into_iter()
                                            .map(|s| view! {
                                                <tr>
                                                    <th scope="row"><a href=s.href>{s.title}</a></th>
                                                    <td>{s.source}</td>
                                                    <td class="num">{s.latest}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
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

/// `/series/{id}`: goal status, chart with controls, the figures, definitions and sources.
#[component]
pub fn SeriesPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (
            params.read().get("id").unwrap_or_default(),
            SeriesQuery {
                from: q.get("from"),
                to: q.get("to"),
                category: q.get_all("category").unwrap_or_default(),
                vintage: q.get("vintage"),
                grain: q.get("grain"),
                per: q.get("per"),
            },
        )
    };
    let data = Resource::new(key, move |(id, query)| {
        get_series_page(locale.code().to_owned(), id, query)
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let title = page.title.clone();
                        view! {
                            <Layout locale title=title.clone()>
                                <h1>{title}</h1>
                                {(!page.goals.is_empty()).then(|| view! {
                                    <section class="series-goals" aria-labelledby="goal-heading">
                                        <h2 id="goal-heading">{tr(locale, "series-goal-heading")}</h2>
                                        {page.goals.iter().cloned().map(|card| view! { <GoalCardView locale card heading_level=3 /> }).collect_view()}
                                    </section>
                                })}
                                {(!page.related.is_empty()).then(|| view! {
                                    <nav class="related" aria-label=tr(locale, "related-label")>
                                        <span>{tr(locale, "related-label")} ": "</span>
                                        <ul>
                                            {page.related.iter().cloned().map(|(title, href)| view! { <li><a href=href>{title}</a></li> }).collect_view()}
                                        </ul>
                                    </nav>
                                })}
                                <section aria-labelledby="chart-heading">
                                    <h2 id="chart-heading">{tr(locale, "series-chart-heading")}</h2>
                                    <SeriesExplorer explorer=page.explorer.clone() />
                                    <div id="series-view" class="series-view" inner_html=page.view_html.clone()></div>
                                </section>
                                <section aria-labelledby="about-heading">
                                    <h2 id="about-heading">{tr(locale, "series-about-heading")}</h2>
                                    <p>{page.description.clone()}</p>
                                    <dl class="facts">
                                        {page.facts.iter().cloned().map(|(k, v, href)| view! {
                                            <div>
                                                <dt>{k}</dt>
                                                <dd>{match href {
                                                    Some(href) => view! { <a href=href>{v}</a> }.into_any(),
                                                    None => v.into_any(),
                                                }}</dd>
                                            </div>
                                        }).collect_view()}
                                    </dl>
                                </section>
                            </Layout>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <Layout locale title=tr(locale, "error-bad-request-title")>
                            <ErrorView locale error />
                        </Layout>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
