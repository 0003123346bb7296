//! The API page for people (`/api`, `/en/api`): each endpoint with what it returns, its
//! parameters, a request to copy and a shortened answer; errors, CORS, caching, licence and the
//! stability promise. The OpenAPI document at `/api/v1/openapi.json` is the machine-readable
//! twin; an integration test checks that this page names every path and parameter in it.

use super::{Layout, page_locale, tr};
use leptos::prelude::*;

/// One endpoint as the page explains it.
struct Endpoint {
    /// The path as in the OpenAPI document.
    path: &'static str,
    /// Text key of what it returns.
    what: &'static str,
    /// Its parameters: name and text key.
    params: &'static [(&'static str, &'static str)],
    /// Path and query of the example request.
    example: &'static str,
    /// Extra curl arguments (to save a file).
    curl_args: &'static str,
    /// A shortened real answer.
    response: &'static str,
}

const SERIES_PARAMS: &[(&str, &str)] = &[
    ("id", "api-param-id"),
    ("from", "api-param-from"),
    ("to", "api-param-to"),
    ("category", "api-param-category"),
    ("vintage", "api-param-vintage"),
    ("grain", "api-param-grain"),
    ("per", "api-param-per"),
    ("all", "api-param-all"),
    ("lang", "api-param-lang"),
];

const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/api/v1/series",
        what: "api-ep-series-list",
        params: &[],
        example: "/api/v1/series",
        curl_args: "",
        response: r#"{
  "series": [
    {
      "id": "homeless_people_18_65",
      "title": { "nl": "Dakloze mensen (18 tot 65 jaar)", "en": "Homeless people (aged 18 to 65)" },
      "unit": "persons",
      "measure": "level",
      "producer": "CBS",
      "table_id": "80799ned",
      "licence": "CC BY 4.0",
      "last_updated": "2026-01-05T06:15:02Z",
      "observations": 15,
      "links": {
        "self": "/api/v1/series/homeless_people_18_65",
        "csv": "/api/v1/series/homeless_people_18_65.csv",
        "page": "/series/homeless_people_18_65",
        "chart_svg": "/charts/homeless_people_18_65.svg"
      }
    },
    …
  ]
}"#,
    },
    Endpoint {
        path: "/api/v1/series/{id}",
        what: "api-ep-series",
        params: SERIES_PARAMS,
        example: "/api/v1/series/homeless_people_18_65?from=2020&to=2024",
        curl_args: "",
        response: r#"{
  "id": "homeless_people_18_65",
  "title": { "nl": "Dakloze mensen (18 tot 65 jaar)", "en": "Homeless people (aged 18 to 65)" },
  "unit": "persons",
  "producer": "CBS",
  "licence": "CC BY 4.0",
  "licence_url": "https://creativecommons.org/licenses/by/4.0/deed.nl",
  "vintage": null,
  "as_known_on": "2026-01-05",
  "categories": [],
  "breaks": [ { "before": "2018", "after": "2020", "reason": { … }, … }, … ],
  "observations": [
    {
      "period": "2021",
      "period_start": "2021-01-01",
      "category": "total",
      "value": 32000.0,
      "status": "provisional",
      "first_seen_at": "2025-12-19T06:15:02Z",
      "source": "CBS 80799ned",
      "source_url": "https://www.cbs.nl/nl-nl/cijfers/detail/80799ned",
      "note": "men 26700, women 5300"
    },
    …
  ],
  "links": { … }
}"#,
    },
    Endpoint {
        path: "/api/v1/series/{id}.csv",
        what: "api-ep-series-csv",
        params: SERIES_PARAMS,
        example: "/api/v1/series/homeless_people_18_65.csv?from=2020",
        curl_args: " -o homeless.csv",
        response: r#"series,category,period,period_start,value,unit,status,lower,upper,first_seen_at,as_known_on,source,source_url,note
homeless_people_18_65,total,2021,2021-01-01,32000,persons,provisional,,,2025-12-19T06:15:02Z,2026-01-05,CBS 80799ned,https://www.cbs.nl/nl-nl/cijfers/detail/80799ned,"men 26700, women 5300"
…"#,
    },
    Endpoint {
        path: "/api/v1/series/{id}/history",
        what: "api-ep-history",
        params: &[
            ("id", "api-param-id"),
            ("category", "api-param-history-category"),
            ("period", "api-param-period"),
            ("vintage", "api-param-vintage"),
            ("lang", "api-param-lang"),
        ],
        example: "/api/v1/series/homeless_people_18_65/history?period=2021",
        curl_args: "",
        response: r#"{
  "id": "homeless_people_18_65",
  "category": "total",
  "vintages": [
    {
      "period": "2021",
      "value": 32000.0,
      "status": "provisional",
      "first_seen_at": "2025-12-19T06:15:02Z",
      "superseded_at": "2026-02-02T06:00:00Z",
      …
    },
    { "period": "2021", "value": 31900.0, "status": "final", … }
  ]
}"#,
    },
    Endpoint {
        path: "/api/v1/goals",
        what: "api-ep-goals",
        params: &[("vintage", "api-param-vintage"), ("lang", "api-param-lang")],
        example: "/api/v1/goals",
        curl_args: "",
        response: r#"{
  "goals": [
    {
      "id": "zero-homelessness-2030",
      "series": "homeless_people_18_65",
      "baseline": { "period": "2023", "value": 30600.0 },
      "target": { "period": "2030", "value": 0.0 },
      "version": { "number": 1, "changed_at": "2026-11-24T06:15:02Z", "reason": "initial version", "text": { "nl": "doelversie 1 (oorspronkelijk)", "en": "target version 1 (original)" } },
      "direction": "down",
      "status": "moving_away",
      "status_label": { "nl": "Beweegt van het doel af", "en": "Moving away from the goal" },
      "progress": { "required_pace": -4371.43, "pace": { "per_year": 700.0, "from": "2021", "to": "2024", … }, … },
      "sentence": { "nl": "…", "en": "…" },
      …
    },
    …
  ]
}"#,
    },
    Endpoint {
        path: "/api/v1/sources",
        what: "api-ep-sources",
        params: &[],
        example: "/api/v1/sources",
        curl_args: "",
        response: r#"{
  "sources": [
    {
      "id": "cbs-homeless",
      "name": "Dakloze mensen; persoonskenmerken (CBS 80799ned)",
      "table_id": "80799ned",
      "schedule": "0 15 6 * * *",
      "running": false,
      "fetches": [
        { "started_at": "2026-01-05T06:15:00Z", "http_status": 200, "outcome": "unchanged", … }
      ]
    },
    …
  ]
}"#,
    },
    Endpoint {
        path: "/charts/{file}",
        what: "api-ep-chart",
        params: &[
            ("file", "api-param-file"),
            ("lang", "api-param-chart-lang"),
            ("width", "api-param-width"),
            ("height", "api-param-height"),
            ("scale", "api-param-scale"),
            ("from", "api-param-from"),
            ("to", "api-param-to"),
            ("category", "api-param-category"),
            ("vintage", "api-param-vintage"),
            ("grain", "api-param-grain"),
            ("per", "api-param-per"),
        ],
        example: "/charts/homeless_people_18_65.png?lang=en&width=800&height=450&scale=2",
        curl_args: " -o chart.png",
        response: "HTTP/1.1 200 OK
content-type: image/png
etag: \"…\"
cache-control: public, max-age=300

(PNG image)",
    },
    Endpoint {
        path: "/api/v1/series/{id}/datapackage.json",
        what: "api-ep-datapackage",
        params: &[
            ("id", "api-param-id"),
            ("lang", "api-param-package-lang"),
            ("from", "api-param-from"),
            ("to", "api-param-to"),
            ("category", "api-param-category"),
            ("vintage", "api-param-vintage"),
            ("grain", "api-param-grain"),
            ("per", "api-param-per"),
        ],
        example: "/api/v1/series/homeless_people_18_65/datapackage.json?from=2015",
        curl_args: "",
        response: r#"{
  "profile": "tabular-data-package",
  "name": "koers-homeless-people-18-65",
  "title": "Homeless people (aged 18 to 65)",
  "version": "2026-11-24",
  "licenses": [ { "name": "CC-BY-4.0", "title": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/deed.nl" } ],
  "sources": [ { "title": "CBS, table 80799ned", "path": "https://www.cbs.nl/nl-nl/cijfers/detail/80799ned" } ],
  "citation": "CBS (2025). Homeless people (aged 18 to 65), table 80799ned. Processed and visualised by Koers, …",
  "koers": { "unit": "persons", "vintage": null, "breaks": [ … ], … },
  "resources": [
    { "name": "view", "path": "…/api/v1/series/homeless_people_18_65.csv?from=2015&lang=en", "schema": { "fields": [ … ] } },
    { "name": "full-series", "path": "…/api/v1/series/homeless_people_18_65.csv?all=true", … },
    { "name": "view-json", … }
  ]
}"#,
    },
    Endpoint {
        path: "/embed/series/{id}",
        what: "api-ep-embed",
        params: &[
            ("id", "api-param-id"),
            ("lang", "api-param-embed-lang"),
            ("from", "api-param-from"),
            ("to", "api-param-to"),
            ("category", "api-param-category"),
            ("vintage", "api-param-vintage"),
            ("grain", "api-param-grain"),
            ("per", "api-param-per"),
        ],
        example: "/embed/series/homeless_people_18_65?vintage=2026-11-24T21:05:00Z&lang=en",
        curl_args: "",
        response: r#"<iframe src="…/embed/series/homeless_people_18_65?vintage=2026-11-24T21:05:00Z&lang=en"
        title="Homeless people (aged 18 to 65)" style="width:100%;height:560px;border:0"
        loading="lazy" data-koers-embed></iframe>
<script src="…/embed.js" async></script>"#,
    },
    Endpoint {
        path: "/api/v1/openapi.json",
        what: "api-ep-openapi",
        params: &[],
        example: "/api/v1/openapi.json",
        curl_args: "",
        response: r#"{
  "openapi": "3.1.0",
  "info": { "title": "Koers API", "version": "1", … },
  "paths": { "/api/v1/series": { "get": { … } }, … },
  "components": { "schemas": { … } }
}"#,
    },
];

/// The public base URL the examples use.
fn public_url() -> String {
    #[cfg(feature = "ssr")]
    {
        if let Ok(state) = crate::ssr::state() {
            return state.public_url;
        }
    }
    String::new()
}

/// A block of code to copy; long lines wrap instead of scrolling sideways (`.code-block` in the
/// stylesheet: no `style` attribute, which the content security policy would refuse).
fn code_block(text: String) -> impl IntoView {
    view! { <pre class="code-block"><code>{text}</code></pre> }
}

/// `/api` and `/en/api`.
#[component]
pub fn ApiPage() -> impl IntoView {
    let locale = page_locale();
    let base = public_url();
    let basics = [
        i18n::t_args(locale, "api-basics-base", &[("url", base.clone())]),
        tr(locale, "api-basics-stable"),
        tr(locale, "api-basics-cors"),
        tr(locale, "api-basics-cache"),
        tr(locale, "api-basics-licence"),
    ];
    let endpoints = ENDPOINTS
        .iter()
        .enumerate()
        .map(|(i, ep)| {
            let heading_id = format!("endpoint-{}", i + 1);
            let params = if ep.params.is_empty() {
                view! { <p>{tr(locale, "api-no-params")}</p> }.into_any()
            } else {
                let caption = i18n::t_args(
                    locale,
                    "api-params-caption",
                    &[("path", ep.path.to_owned())],
                );
                let label = caption.clone();
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=label>
                        <table>
                            <caption>{caption}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(locale, "api-param-name")}</th>
                                    <th scope="col">{tr(locale, "api-param-meaning")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {ep
                                    .params
                                    .iter()
                                    .map(|(name, key)| {
                                        view! {
                                            <tr>
                                                <th scope="row"><code>{*name}</code></th>
                                                <td>{tr(locale, key)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            };
            let request = format!("curl '{base}{}'{}", ep.example, ep.curl_args);
            let section_label = heading_id.clone();
            view! {
                <section aria-labelledby=section_label>
                    <h3 id=heading_id><code>{format!("GET {}", ep.path)}</code></h3>
                    <p>{tr(locale, ep.what)}</p>
                    {params}
                    <h4>{tr(locale, "api-example-request")}</h4>
                    {code_block(request)}
                    <h4>{tr(locale, "api-example-response")}</h4>
                    {code_block(ep.response.to_owned())}
                </section>
            }
        })
        .collect_view();
    let errors = [
        ("400", "invalid_input", "api-error-400"),
        ("404", "not_found", "api-error-404"),
        ("405", "method_not_allowed", "api-error-405"),
        ("429", "rate_limited", "api-error-429"),
        ("500", "internal", "api-error-500"),
    ];
    let error_example = r#"{
  "error": {
    "code": "not_found",
    "message": "There is no series called homeless."
  }
}"#;
    view! {
        <Layout locale title=tr(locale, "api-title")>
            <h1>{tr(locale, "api-title")}</h1>
            <p class="lead">{tr(locale, "api-intro")}</p>
            <h2>{tr(locale, "api-basics-heading")}</h2>
            <ul>{basics.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
            <p>
                {tr(locale, "api-basics-openapi")}
                " "
                <a href="/api/v1/openapi.json"><code>"/api/v1/openapi.json"</code></a>
            </p>
            <h2>{tr(locale, "api-endpoints-heading")}</h2>
            {endpoints}
            <h2>{tr(locale, "api-errors-heading")}</h2>
            <p>{tr(locale, "api-errors-intro")}</p>
            {code_block(error_example.to_owned())}
            <div class="table-wrap" tabindex="0" role="region" aria-label=tr(locale, "api-errors-heading")>
                <table>
                    <caption class="visually-hidden">{tr(locale, "api-errors-heading")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(locale, "api-error-status")}</th>
                            <th scope="col">{tr(locale, "api-error-code")}</th>
                            <th scope="col">{tr(locale, "api-error-when")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {errors
                            .into_iter()
                            .map(|(status, code, key)| {
                                view! {
                                    <tr>
                                        <th scope="row">{status}</th>
                                        <td><code>{code}</code></td>
                                        <td>{tr(locale, key)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Layout>
    }
}
