//! Topic pages: housing, the programme for vulnerable groups, other countries.

use super::{ErrorView, Layout, page_locale, tr};
use crate::api::get_topic;
use leptos::prelude::*;

/// `/housing`, `/een-thuis-voor-iedereen`, `/countries` (and their `/en` twins).
#[component]
pub fn TopicPageView(topic: &'static str) -> impl IntoView {
    let locale = page_locale();
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(
        move || locale,
        move |locale| {
            get_topic(
                locale.code().to_owned(),
                topic.to_owned(),
                query.read_untracked().get("vintage"),
            )
        },
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <Layout locale title=page.title.clone()>
                            <h1>{page.title.clone()}</h1>
                            {page.intro.iter().map(|p| view! { <p class="lead">{p.clone()}</p> }).collect_view()}
                            <nav class="toc" aria-label=page.title.clone()>
                                <ul>
                                    {page.sections.iter().map(|s| view! { <li><a href=format!("#{}", s.id)>{s.heading.clone()}</a></li> }).collect_view()}
                                </ul>
                            </nav>
                            {page
                                .sections
                                .iter()
                                .map(|s| view! {
                                    // No accessible name: the tables inside are the named regions.
                                    <section>
                                        <h2 id=s.id.clone()>{s.heading.clone()}</h2>
                                        <div class="topic-body" inner_html=s.html.clone()></div>
                                    </section>
                                })
                                .collect_view()}
                        </Layout>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <Layout locale title=tr(locale, "error-internal-title")>
                            <ErrorView locale error />
                        </Layout>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
