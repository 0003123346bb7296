//! Server-rendered pages: real figures on first run, both languages, errors with navigation.

use tests::spawn_app;

/// Rows of the first table in a page or fragment (the figures; the revision history follows).
fn figure_rows(html: &str) -> usize {
    let body = html
        .split("<tbody>")
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .unwrap_or("");
    body.matches(r#"<th scope="row">"#).count()
}

#[tokio::test]
async fn overview_shows_real_figures_on_first_run_in_dutch() {
    // Arrange
    let app = spawn_app().await;
    // Act
    let (status, html) = app.get_text("/").await;
    // Assert: the CBS 2024 count, its status and the snapshot label, all in Dutch formats.
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="nl""#), "{html}");
    assert!(html.contains("Geen dakloosheid in 2030"));
    assert!(html.contains("33.000 (1 januari 2024)"));
    assert!(html.contains("Beweegt van het doel af"));
    assert!(html.contains("Versnelling nodig"));
    assert!(html.contains("Gepubliceerde cijfers, stand 19 december 2025"));
    assert!(html.contains("ten minste 245.700"));
    app.stop().await;
}

#[tokio::test]
async fn english_overview_uses_english_texts_and_formats() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/en").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("No homelessness by 2030"));
    assert!(html.contains("33,000 (1 January 2024)"));
    assert!(html.contains("Moving away from the goal"));
    // The language switch points at the same page in Dutch.
    assert!(html.contains(r#"href="/" hreflang="nl""#), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn series_page_has_chart_table_and_a_form_that_works_without_javascript() {
    let app = spawn_app().await;
    let (status, html) = app
        .get_text("/series/homeless_people_18_65?from=2015&to=2024")
        .await;
    assert_eq!(status, 200);
    // Inline chart with its text alternative.
    assert!(
        html.contains(r#"role="img""#) && html.contains("<desc"),
        "chart missing"
    );
    // The table holds exactly the years in range: 2015..2024 without 2019 = 9 rows.
    assert_eq!(figure_rows(&html), 9, "{html}");
    assert!(html.contains("2021*"), "provisional mark missing");
    // The controls are a plain GET form with the chosen values selected.
    assert!(html.contains(
        r#"<form method="get" action="/series/homeless_people_18_65" class="explorer">"#
    ));
    assert!(html.contains(r#"<option value="2015" selected"#), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn explorer_endpoint_returns_the_same_fragment_as_the_page() {
    let app = spawn_app().await;
    let (status, fragment) = app
        .get_text(
            "/api/fn/series-view?lang=nl&id=homeless_people_18_65&query[from]=2020&query[to]=2024",
        )
        .await;
    assert_eq!(status, 200, "{fragment}");
    let fragment: String = serde_json::from_str(&fragment).unwrap_or(fragment);
    assert_eq!(figure_rows(&fragment), 5);
    let (_, page) = app
        .get_text("/series/homeless_people_18_65?from=2020&to=2024")
        .await;
    assert!(page.contains(&fragment), "page and fragment differ");
    app.stop().await;
}

#[tokio::test]
async fn unknown_series_is_a_friendly_404_with_navigation() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/en/series/no_such_series").await;
    assert_eq!(status, 404);
    assert!(html.contains("There is no series called no_such_series."));
    assert!(html.contains(r#"<nav aria-label="Main menu""#));
    app.stop().await;
}

#[tokio::test]
async fn unknown_path_is_a_404_page() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/nergens").await;
    assert_eq!(status, 404);
    assert!(html.contains("Pagina niet gevonden"));
    app.stop().await;
}

#[tokio::test]
async fn malformed_parameters_give_a_400_page_not_a_500() {
    let app = spawn_app().await;
    for query in [
        "from=abc",
        "from=2024&to=2010",
        "category=../../x",
        "from=99999",
    ] {
        let (status, html) = app
            .get_text(&format!("/series/homeless_people_18_65?{query}"))
            .await;
        assert_eq!(status, 400, "{query}: {html}");
        assert!(html.contains("Deze keuze kan niet"), "{query}");
    }
    app.stop().await;
}

#[tokio::test]
async fn series_list_links_every_series() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/series").await;
    assert_eq!(status, 200);
    for id in [
        "homeless_people_18_65",
        "new_build_homes",
        "homes_added_total",
    ] {
        assert!(html.contains(&format!(r#"href="/series/{id}""#)), "{id}");
    }
    app.stop().await;
}
