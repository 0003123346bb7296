//! Topic pages: the housing path, the programme for vulnerable groups, other countries.

use tests::spawn_app;

#[tokio::test]
async fn the_housing_page_shows_the_path_the_leading_indicator_and_the_social_share() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/housing").await;
    assert_eq!(status, 200);
    assert!(html.contains("Het pad naar 900.000"));
    assert!(
        html.contains(r#"data-kind="bar""#) || html.contains("Toegevoegd per jaar"),
        "yearly bars missing"
    );
    assert!(html.contains("Vooruitlopende indicator: bouwvergunningen"));
    // 2,295,414 of 7,814,912 homes owned by corporations on 1 January 2019.
    assert!(html.contains("29,4 %"), "social-rent share missing");
    app.stop().await;
}

#[tokio::test]
async fn the_programme_page_lists_promises_and_honest_milestones() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/en/een-thuis-voor-iedereen").await;
    assert_eq!(status, 200);
    assert!(html.contains("A mandatory urgency scheme with mandatory categories"));
    assert!(html.contains("Done"));
    // The 1 January 2026 target date has passed without confirmed delivery.
    assert!(html.contains("Date passed, delivery not confirmed"));
    assert!(html.contains("≈ 2,700"), "regional shelter figures missing");
    app.stop().await;
}

#[tokio::test]
async fn the_countries_page_warns_that_definitions_differ() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/countries").await;
    assert_eq!(status, 200);
    assert!(html.contains("De cijfers zijn niet direct vergelijkbaar"));
    for country in ["Nederland", "Finland", "Denemarken"] {
        assert!(
            html.contains(&format!(r#"<th scope="row">{country}</th>"#)),
            "{country} missing"
        );
    }
    assert!(
        html.contains("5.789 (2022)"),
        "the Danish 2022 count is missing"
    );
    app.stop().await;
}

#[tokio::test]
async fn live_permits_wmo_and_eurostat_figures_fill_the_topic_pages() {
    // Arrange: fetch the three new sources from the fake upstreams.
    let app = spawn_app().await;
    for source in ["cbs-permits", "cbs-wmo", "eurostat-permits"] {
        let report = app.ingest(source).await;
        assert_eq!(
            report.outcome,
            store::FetchOutcome::Succeeded,
            "{source}: {:?}",
            report.error
        );
    }
    // Act / Assert
    let (_, housing) = app.get_text("/housing").await;
    assert!(
        housing.contains(r#"id="chart-permits_by_client-title""#)
            || housing.contains("chart-permits_by_client"),
        "permits chart missing"
    );
    assert!(housing.contains("Aandeel woningcorporaties in de vergunningen"));
    let (_, groups) = app.get_text("/een-thuis-voor-iedereen").await;
    assert!(
        groups.contains("chart-wmo_clients_shelter"),
        "Wmo chart missing"
    );
    let (_, countries) = app.get_text("/en/countries").await;
    assert!(
        countries.contains("chart-permits"),
        "permits per 1,000 chart missing"
    );
    assert!(
        !countries.contains("No figures yet"),
        "a section still waits for data"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_series_with_quarters_and_years_shows_one_grain_at_a_time() {
    let app = spawn_app().await;
    assert_eq!(
        app.ingest("cbs-permits").await.outcome,
        store::FetchOutcome::Succeeded
    );
    let periods = |json: &serde_json::Value| -> Vec<String> {
        json["observations"]
            .as_array()
            .map(|o| {
                o.iter()
                    .map(|o| o["period"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (_, years) = app.get_json("/api/v1/series/permits_by_client").await;
    assert!(
        !periods(&years).is_empty() && periods(&years).iter().all(|p| p.len() == 4),
        "{:?}",
        periods(&years)
    );
    let (_, quarters) = app
        .get_json("/api/v1/series/permits_by_client?grain=quarter")
        .await;
    assert!(!periods(&quarters).is_empty() && periods(&quarters).iter().all(|p| p.contains("-Q")));
    assert_eq!(
        app.get("/api/v1/series/permits_by_client?grain=week")
            .await
            .status(),
        400
    );
    app.stop().await;
}

#[tokio::test]
async fn topic_pages_and_the_series_list_take_a_vintage_too() {
    let app = spawn_app().await;
    for path in [
        "/housing?vintage=2020-01-01",
        "/een-thuis-voor-iedereen?vintage=2020-01-01",
        "/countries?vintage=2020-01-01",
    ] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !html.contains("5.789 (2022)"),
            "{path} shows figures Koers did not know yet"
        );
    }
    let (_, list) = app.get_text("/series?vintage=2020-01-01").await;
    assert!(list.contains(r#"href="/series/homeless_people_18_65?vintage=2020-01-01""#));
    assert!(
        !list.contains("33.000"),
        "the series list shows a figure from after its vintage"
    );
    assert_eq!(app.get("/housing?vintage=soon").await.status(), 400);
    app.stop().await;
}
