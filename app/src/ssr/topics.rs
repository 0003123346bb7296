//! Topic pages that bring several series together: the housing path with its leading
//! indicator, the programme for vulnerable groups with its milestones, and other countries.
//! Each section is rendered to HTML here, from the same chart and view code as series pages.

use crate::AppError;
use crate::model::{TopicPage, TopicSection};
use crate::pages::GoalCardView;
use crate::ssr::chart::series_chart;
use crate::ssr::views::{SeriesSelection, Vintage, as_of, goal_card, goal_state};
use charts::{ChartPoint, ChartSpec, Line, LineKind};
use domain::period::year_fraction;
use domain::{CategoryKey, Locale, Period, SeriesBreak, SeriesId, SeriesMeta};
use i18n::{format_number, format_period, format_value, t, t_args};
use leptos::prelude::*;
use std::collections::BTreeMap;
use store::{Store, StoreError, StoredObservation};

/// Published figures for one country or region per year: (period, value).
type Yearly = BTreeMap<Period, f64>;

fn section(id: &str, heading: String, html: String) -> TopicSection {
    TopicSection {
        id: id.to_owned(),
        heading,
        html,
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error.message = %e, "building a topic page failed");
    AppError::Internal
}

/// The series, or `None` when it is not (yet) in the store.
async fn meta(store: &Store, id: &str) -> Result<Option<SeriesMeta>, AppError> {
    let Ok(id) = SeriesId::parse(id) else {
        return Ok(None);
    };
    match store.get_series(&id).await {
        Ok(m) => Ok(Some(m)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn notice(locale: Locale, source: &str) -> String {
    view! { <p class="notice">{t_args(locale, "topic-not-fetched", &[("source", source.to_owned())])}</p> }.to_html()
}

/// A series' chart for `categories` (those the series has; the total when none), with its
/// text alternative as caption and a link to the series page. A notice when it has no figures.
async fn series_figure(
    store: &Store,
    public_url: &str,
    locale: Locale,
    (id, source): (&str, &str),
    categories: &[&str],
    from: Option<i32>,
    vintage: Option<Vintage>,
) -> Result<String, AppError> {
    let Some(meta) = meta(store, id).await? else {
        return Ok(notice(locale, source));
    };
    let known = store.list_categories(&meta.id).await?;
    let chosen: Vec<CategoryKey> = categories
        .iter()
        .filter_map(|c| CategoryKey::parse(c).ok())
        .filter(|c| c.is_total() || known.iter().any(|k| &k.key == c))
        .collect();
    let selection = SeriesSelection {
        from,
        vintage,
        categories: if chosen.is_empty() {
            vec![CategoryKey::total()]
        } else {
            chosen
        },
        ..SeriesSelection::default()
    };
    let data = series_chart(store, public_url, locale, &meta, &selection).await?;
    if data.shown.is_empty() {
        return Ok(notice(locale, source));
    }
    let svg = crate::ssr::fragment::responsive_svg(&data.spec, Some(&format!("chart-{id}")))?;
    let href = selection.page_path(locale, &meta.id);
    let caption = data.spec.alt_description.clone();
    Ok(view! {
        <figure class="chart">
            <div class="chart-svgs" inner_html=svg></div>
            <figcaption>{caption}</figcaption>
        </figure>
        <p><a class="more" href=href>{t(locale, "topic-more-series")}</a></p>
    }
    .to_html())
}

/// Per year, the values of one category of a series.
async fn yearly(
    store: &Store,
    id: &str,
    category: &str,
    as_of: Option<i64>,
) -> Result<Yearly, AppError> {
    let (Ok(id), Ok(category)) = (SeriesId::parse(id), CategoryKey::parse(category)) else {
        return Ok(Yearly::new());
    };
    let rows: Vec<StoredObservation> = match store.observations(&id, Some(&category), as_of).await {
        Ok(rows) => rows,
        Err(StoreError::NotFound(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(rows
        .into_iter()
        .filter(|o| o.observation.period.is_year() && o.observation.status.is_observed())
        .map(|o| (o.observation.period, o.observation.value))
        .collect())
}

/// The housing page.
pub async fn housing(
    store: &Store,
    public_url: &str,
    locale: Locale,
    vintage: Option<Vintage>,
) -> Result<TopicPage, AppError> {
    let as_of = as_of(vintage);
    let mut sections = Vec::new();
    let mut path_html = String::new();
    if let Some(goal) = store
        .list_goals()
        .await?
        .into_iter()
        .find(|g| g.id.as_str() == "homes-900k-2030")
    {
        let card = goal_card(&goal_state(store, goal, vintage).await?, locale);
        path_html.push_str(&view! { <GoalCardView locale card heading_level=3 /> }.to_html());
    }
    path_html.push_str(
        &series_figure(
            store,
            public_url,
            locale,
            ("homes_added_total", "CBS 82235NED"),
            &[],
            None,
            vintage,
        )
        .await?,
    );
    sections.push(section(
        "path",
        t(locale, "housing-path-heading"),
        path_html,
    ));

    let mut permits = view! { <p>{t(locale, "housing-permits-intro")}</p> }.to_html();
    permits.push_str(
        &series_figure(
            store,
            public_url,
            locale,
            ("permits_by_client", "CBS 83671NED"),
            &["A028184", "A028185", "A028186"],
            Some(2015),
            vintage,
        )
        .await?,
    );
    let total = yearly(store, "permits_by_client", CategoryKey::TOTAL, as_of).await?;
    let corporations = yearly(store, "permits_by_client", "A028184", as_of).await?;
    let shares: Vec<(Period, f64)> = corporations
        .iter()
        .filter_map(|(p, v)| {
            total
                .get(p)
                .filter(|t| **t > 0.0)
                .map(|t| (*p, 100.0 * v / t))
        })
        .collect();
    if !shares.is_empty() {
        permits.push_str(&share_table(
            locale,
            &t(locale, "housing-corporation-share"),
            &shares,
        ));
    }
    sections.push(section(
        "permits",
        t(locale, "housing-permits-heading"),
        permits,
    ));
    sections.push(section(
        "tenure",
        t(locale, "housing-permits-tenure-heading"),
        series_figure(
            store,
            public_url,
            locale,
            ("permits_by_tenure", "CBS 83671NED"),
            &["A028867", "A028868"],
            Some(2015),
            vintage,
        )
        .await?,
    ));

    let stock = yearly(store, "dwelling_stock_total", CategoryKey::TOTAL, as_of).await?;
    let social = yearly(
        store,
        "dwelling_stock_corporations",
        CategoryKey::TOTAL,
        as_of,
    )
    .await?;
    let social_shares: Vec<(Period, f64)> = social
        .iter()
        .filter_map(|(p, v)| {
            stock
                .get(p)
                .filter(|t| **t > 0.0)
                .map(|t| (*p, 100.0 * v / t))
        })
        .collect();
    let mut social_html = view! { <p>{t(locale, "housing-social-intro")}</p> }.to_html();
    social_html.push_str(&share_table(
        locale,
        &t(locale, "housing-social-share"),
        &social_shares,
    ));
    sections.push(section(
        "social",
        t(locale, "housing-social-heading"),
        social_html,
    ));
    Ok(TopicPage {
        title: t(locale, "housing-title"),
        intro: vec![t(locale, "housing-intro")],
        sections,
    })
}

fn share_table(locale: Locale, label: &str, shares: &[(Period, f64)]) -> String {
    let rows = shares
        .iter()
        .rev()
        .map(|(p, v)| {
            view! {
                <tr><th scope="row">{format_period(locale, *p)}</th><td class="num">{format!("{} %", format_number(locale, *v, 1))}</td></tr>
            }
        })
        .collect_view();
    let (aria, caption, column) = (label.to_owned(), label.to_owned(), label.to_owned());
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=aria>
            <table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{t(locale, "table-year")}</th><th scope="col" class="num">{column}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .to_html()
}

/// A programme milestone (`data/snapshot/milestones.csv`).
#[derive(Debug, serde::Deserialize)]
struct Milestone {
    date: String,
    when_nl: String,
    when_en: String,
    title_nl: String,
    title_en: String,
    status: String,
    note_nl: String,
    note_en: String,
    source_url: String,
}

/// The programme's milestones, compiled in.
const MILESTONES_CSV: &str = include_str!("../../../data/snapshot/milestones.csv");
/// Regional shelter registrations, compiled in.
const SHELTER_CSV: &str = include_str!("../../../data/snapshot/shelter-regions.csv");

fn read_csv<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, AppError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(internal)
}

/// A milestone's status in words; a planned one whose date has passed is said to be so.
fn milestone_status(
    locale: Locale,
    m: &Milestone,
    today: time::Date,
) -> Result<(String, String), AppError> {
    let date = time::Date::parse(
        &m.date,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(internal)?;
    let key = match m.status.as_str() {
        "planned" if date < today => "overdue",
        "done" | "in_progress" | "planned" | "unknown" => m.status.as_str(),
        other => return Err(internal(format!("unknown milestone status {other:?}"))),
    };
    Ok((key.to_owned(), t(locale, &format!("milestone-{key}"))))
}

#[derive(Debug, serde::Deserialize)]
struct ShelterRow {
    region: String,
    year: i32,
    per_1000: f64,
    people: f64,
    source: String,
    source_url: String,
}

/// The page of the programme *Een thuis voor iedereen*.
pub async fn groups(
    store: &Store,
    public_url: &str,
    locale: Locale,
    today: time::Date,
    vintage: Option<Vintage>,
) -> Result<TopicPage, AppError> {
    let dutch = locale.is_dutch();
    let promises = view! {
        <ul>
            {(1..=4).map(|i| view! { <li>{t(locale, &format!("groups-promise-{i}"))}</li> }).collect_view()}
        </ul>
    }
    .to_html();
    let milestones: Vec<Milestone> = read_csv(MILESTONES_CSV)?;
    let mut rows = Vec::new();
    for m in &milestones {
        let (key, status) = milestone_status(locale, m, today)?;
        rows.push(view! {
            <tr>
                <td>{if dutch { m.when_nl.clone() } else { m.when_en.clone() }}</td>
                <th scope="row"><a href=m.source_url.clone()>{if dutch { m.title_nl.clone() } else { m.title_en.clone() }}</a></th>
                <td><span class=format!("milestone milestone-{key}")>{status}</span></td>
                <td>{if dutch { m.note_nl.clone() } else { m.note_en.clone() }}</td>
            </tr>
        });
    }
    let heading = t(locale, "groups-milestones-heading");
    let (aria, caption) = (heading.clone(), heading.clone());
    let milestones_html = view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=aria>
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "milestone-when")}</th>
                        <th scope="col">{t(locale, "milestone-what")}</th>
                        <th scope="col">{t(locale, "milestone-status")}</th>
                        <th scope="col">{t(locale, "milestone-note")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .to_html();
    let shelter: Vec<ShelterRow> = read_csv(SHELTER_CSV)?;
    let shelter_heading = t(locale, "groups-shelter-heading");
    let (shelter_aria, shelter_caption) = (shelter_heading.clone(), shelter_heading.clone());
    let source = shelter
        .first()
        .map(|r| (r.source.clone(), r.source_url.clone()))
        .unwrap_or_default();
    let shelter_html = view! {
        <p>{t(locale, "groups-shelter-intro")}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label=shelter_aria>
            <table>
                <caption>{shelter_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "table-region")}</th>
                        <th scope="col" class="num">{t(locale, "table-per-1000")}</th>
                        <th scope="col" class="num">{t(locale, "table-people")}</th>
                    </tr>
                </thead>
                <tbody>
                    {shelter
                        .iter()
                        .map(|r| view! {
                            <tr>
                                <th scope="row">{format!("{} ({})", r.region, r.year)}</th>
                                <td class="num">{format!("≈ {}", format_number(locale, r.per_1000, 1))}</td>
                                <td class="num">{format!("≈ {}", format_value(locale, r.people, false))}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="table-note"><a href=source.1>{source.0}</a></p>
    }
    .to_html();
    Ok(TopicPage {
        title: t(locale, "groups-title"),
        intro: vec![t(locale, "groups-intro")],
        sections: vec![
            section("promises", t(locale, "groups-promises-heading"), promises),
            section("milestones", heading, milestones_html),
            section(
                "wmo",
                t(locale, "groups-wmo-heading"),
                series_figure(
                    store,
                    public_url,
                    locale,
                    ("wmo_clients_shelter", "CBS 86050NED"),
                    &[],
                    None,
                    vintage,
                )
                .await?,
            ),
            section("shelter", shelter_heading, shelter_html),
        ],
    })
}

/// Countries compared, with the series holding their homelessness counts.
const COUNTRIES: [(&str, &str); 3] = [
    ("NL", "homeless_people_18_65"),
    ("FI", "homeless_single_fi"),
    ("DK", "homeless_dk"),
];
/// Geographies of the permits comparison.
const PERMIT_GEOS: [&str; 4] = ["NL", "FI", "DK", "EU27_2020"];

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn country(locale: Locale, geo: &str) -> String {
    t(locale, &format!("country-{geo}"))
}

/// Splits points into runs at series breaks.
fn split_at_breaks(
    points: Vec<(Period, ChartPoint)>,
    breaks: &[SeriesBreak],
) -> Vec<Vec<ChartPoint>> {
    let mut runs: Vec<Vec<ChartPoint>> = Vec::new();
    let mut last: Option<Period> = None;
    for (period, point) in points {
        let broken = last.is_some_and(|l| breaks.iter().any(|b| b.after > l && b.after <= period));
        match runs.last_mut() {
            Some(run) if !broken => run.push(point),
            _ => runs.push(vec![point]),
        }
        last = Some(period);
    }
    runs
}

/// A simple line chart of several yearly series, one labelled line each.
fn lines_chart(
    locale: Locale,
    title: String,
    subtitle: String,
    lines: Vec<(String, Yearly, Vec<SeriesBreak>)>,
    footer: Vec<String>,
    alt: String,
) -> ChartSpec {
    let lines = lines
        .into_iter()
        .enumerate()
        .flat_map(|(i, (label, values, breaks))| {
            let points = values
                .iter()
                .map(|(p, v)| {
                    (
                        *p,
                        ChartPoint {
                            t: year_fraction(p.start()),
                            value: *v,
                            ..ChartPoint::default()
                        },
                    )
                })
                .collect();
            // A line never crosses a series break (the gaps of counts every two years are no break).
            split_at_breaks(points, &breaks)
                .into_iter()
                .map(move |run| Line {
                    label: label.clone(),
                    kind: LineKind::Breakdown(i as u8),
                    points: run,
                })
        })
        .collect();
    ChartSpec {
        alt_title: title.clone(),
        title,
        subtitle,
        lines,
        footer,
        thousands_separator: if locale.is_dutch() { '.' } else { ',' },
        alt_description: alt,
        ..ChartSpec::default()
    }
}

/// The page comparing the Netherlands with Finland and Denmark.
pub async fn countries(
    store: &Store,
    locale: Locale,
    vintage: Option<Vintage>,
) -> Result<TopicPage, AppError> {
    let as_of = as_of(vintage);
    let dutch = locale.is_dutch();
    let mut counts = Vec::new();
    let mut table_rows = Vec::new();
    let mut summary = Vec::new();
    for (geo, id) in COUNTRIES {
        let values = yearly(store, id, CategoryKey::TOTAL, as_of).await?;
        let name = country(locale, geo);
        if let (Some(m), Some((period, value))) = (meta(store, id).await?, values.last_key_value())
        {
            let population = yearly(store, "population_eurostat", geo, as_of).await?;
            let per_10k = population.get(period).filter(|p| **p > 0.0).map(|p| {
                format!(
                    "; {}",
                    t_args(
                        locale,
                        "per-10k",
                        &[("value", format_number(locale, 10_000.0 * value / p, 1))]
                    )
                )
            });
            let latest = format!(
                "{} ({}{})",
                format_value(locale, *value, false),
                format_period(locale, *period),
                per_10k.unwrap_or_default()
            );
            summary.push(format!("{name}: {latest}"));
            table_rows.push(view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td class="num">{latest}</td>
                    <td>{m.description(dutch).to_owned()} " " <a href=m.source_url.clone()>{m.producer.clone()}</a></td>
                </tr>
            });
        }
        let breaks = match SeriesId::parse(id) {
            Ok(series) => store.list_breaks(&series).await?,
            Err(_) => Vec::new(),
        };
        counts.push((name, values, breaks));
    }
    let heading = t(locale, "countries-homeless-heading");
    let unit = capitalize(&t(locale, "unit-persons"));
    let footer = vec![
        t(locale, "countries-sources"),
        t(locale, "countries-warning"),
    ];
    let spec = lines_chart(
        locale,
        heading.clone(),
        unit,
        counts,
        footer,
        summary.join("; "),
    );
    let svg = crate::ssr::fragment::responsive_svg(&spec, Some("chart-countries"))?;
    let definitions = t(locale, "countries-definitions-heading");
    let (definitions_aria, definitions_caption) = (definitions.clone(), definitions.clone());
    let caption = spec.alt_description.clone();
    let homeless_html = view! {
        <p class="notice">{t(locale, "countries-warning")}</p>
        <figure class="chart"><div class="chart-svgs" inner_html=svg></div><figcaption>{caption}</figcaption></figure>
        <div class="table-wrap" tabindex="0" role="region" aria-label=definitions_aria>
            <table>
                <caption>{definitions_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "table-country")}</th>
                        <th scope="col" class="num">{t(locale, "table-latest")}</th>
                        <th scope="col">{t(locale, "table-definition")}</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </div>
    }
    .to_html();

    let mut per_1000 = Vec::new();
    let mut summary = Vec::new();
    for geo in PERMIT_GEOS {
        let permits = yearly(store, "building_permits_dwellings", geo, as_of).await?;
        let population = yearly(store, "population_eurostat", geo, as_of).await?;
        let ratio: Yearly = permits
            .iter()
            .filter_map(|(p, v)| {
                population
                    .get(p)
                    .filter(|n| **n > 0.0)
                    .map(|n| (*p, 1_000.0 * v / n))
            })
            .collect();
        if let Some((p, v)) = ratio.last_key_value() {
            summary.push(format!(
                "{}: {} ({})",
                country(locale, geo),
                format_number(locale, *v, 1),
                format_period(locale, *p)
            ));
        }
        per_1000.push((country(locale, geo), ratio, Vec::new()));
    }
    let permits_html = if per_1000.iter().all(|(_, v, _)| v.is_empty()) {
        notice(locale, "Eurostat")
    } else {
        let title = t(locale, "countries-permits-chart");
        let footer = vec!["Eurostat (sts_cobp_a, tps00001)".to_owned()];
        let spec = lines_chart(
            locale,
            title,
            t(locale, "unit-per-1000"),
            per_1000,
            footer,
            summary.join("; "),
        );
        let svg = crate::ssr::fragment::responsive_svg(&spec, Some("chart-permits"))?;
        let caption = spec.alt_description.clone();
        view! {
            <p>{t(locale, "countries-permits-intro")}</p>
            <figure class="chart"><div class="chart-svgs" inner_html=svg></div><figcaption>{caption}</figcaption></figure>
        }
        .to_html()
    };
    Ok(TopicPage {
        title: t(locale, "countries-title"),
        intro: vec![t(locale, "countries-intro")],
        sections: vec![
            section("homeless", heading, homeless_html),
            section(
                "permits",
                t(locale, "countries-permits-heading"),
                permits_html,
            ),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_milestones_and_shelter_figures_parse() {
        let milestones: Vec<Milestone> = read_csv(MILESTONES_CSV).unwrap();
        assert!(milestones.len() >= 8);
        let today = time::macros::date!(2026 - 11 - 24);
        for m in &milestones {
            assert!(
                milestone_status(Locale::En, m, today).is_ok(),
                "{}",
                m.title_en
            );
        }
        let shelter: Vec<ShelterRow> = read_csv(SHELTER_CSV).unwrap();
        assert_eq!(shelter.len(), 5);
    }

    #[test]
    fn a_planned_milestone_past_its_date_is_said_to_be_unconfirmed() {
        let m = Milestone {
            date: "2026-01-01".into(),
            when_nl: String::new(),
            when_en: String::new(),
            title_nl: String::new(),
            title_en: String::new(),
            status: "planned".into(),
            note_nl: String::new(),
            note_en: String::new(),
            source_url: String::new(),
        };
        let (key, _) =
            milestone_status(Locale::Nl, &m, time::macros::date!(2026 - 11 - 24)).unwrap();
        assert_eq!(key, "overdue");
        let (key, _) =
            milestone_status(Locale::Nl, &m, time::macros::date!(2025 - 11 - 24)).unwrap();
        assert_eq!(key, "planned");
    }
}
