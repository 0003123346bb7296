//! The public portal: figures per 10,000 inhabitants, the accessibility statement.

use store::FetchOutcome;
use tests::spawn_app;

#[tokio::test]
async fn figures_per_10000_inhabitants_divide_by_the_cbs_population_on_1_january() {
    // Arrange: the population of the Netherlands from CBS 37296ned.
    let app = spawn_app().await;
    assert_eq!(
        app.ingest("cbs-population").await.outcome,
        FetchOutcome::Succeeded
    );
    let (_, population) = app
        .get_json("/api/v1/series/population_nl?from=2024&to=2024")
        .await;
    let people = population["observations"][0]["value"]
        .as_f64()
        .unwrap_or(f64::NAN);
    // Act
    let (status, json) = app
        .get_json("/api/v1/series/homeless_people_18_65?per=10000&from=2024&to=2024")
        .await;
    // Assert: 33,000 homeless people among the whole population, per 10,000, two decimals.
    assert_eq!(status, 200);
    assert_eq!(json["unit"], "persons_per_10000_inhabitants");
    let expected = (33_000.0 / people * 10_000.0 * 100.0).round() / 100.0;
    assert_eq!(json["observations"][0]["value"].as_f64(), Some(expected));
    let (status, page) = app
        .get_text("/series/homeless_people_18_65?per=10000")
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Per 10.000 inwoners (alle leeftijden"),
        "unit not stated"
    );
    assert!(
        page.contains(r#"value="10000" checked"#),
        "the display choice is not kept"
    );
    let csv = app
        .get("/api/v1/series/homeless_people_18_65.csv?per=10000")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(csv.contains(",persons_per_10000_inhabitants,"), "{csv}");
    // Foreign counts and the population itself are never divided by the Dutch population.
    let (_, finland) = app.get_text("/series/homeless_single_fi").await;
    assert!(!finland.contains(r#"name="per""#));
    assert_eq!(
        app.get("/api/v1/series/homeless_people_18_65?per=100")
            .await
            .status(),
        400
    );
    app.stop().await;
}

#[tokio::test]
async fn without_population_figures_the_per_capita_view_says_so() {
    let app = spawn_app().await;
    let (status, page) = app
        .get_text("/series/homeless_people_18_65?per=10000")
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("nog geen bevolkingscijfers"),
        "no explanation"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_accessibility_statement_says_what_was_tested_in_both_languages() {
    let app = spawn_app().await;
    let (status, nl) = app.get_text("/toegankelijkheid").await;
    assert_eq!(status, 200);
    assert!(nl.contains("Toegankelijkheidsverklaring") && nl.contains("axe-core"));
    for path in ["/en/toegankelijkheid", "/en/accessibility"] {
        let (status, en) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            en.contains("Accessibility statement") && en.contains("WCAG 2.1"),
            "{path}"
        );
    }
    let (_, home) = app.get_text("/").await;
    assert!(
        home.contains(r#"href="/toegankelijkheid""#),
        "footer link missing"
    );
    app.stop().await;
}
