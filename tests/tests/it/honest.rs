//! Honest statistics through the running application: vintages, revisions, breaks, events,
//! several breakdowns, the estimate caveat and publishers' remarks on a change.

use store::FetchOutcome;
use tests::{TestApp, spawn_app};

/// 20 December 2025, 12:00 UTC, in epoch milliseconds.
const DEC_2025: i64 = 1_766_232_000_000;

/// Pretends the first-run snapshot was loaded on 20 December 2025.
async fn backdate_snapshot(app: &TestApp) {
    let pool = app.ctx.store.pool();
    for sql in [
        "UPDATE observations SET first_seen_at = $1",
        "UPDATE fetches SET started_at = $1, finished_at = $1",
    ] {
        sqlx::query(sql)
            .bind(DEC_2025)
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

fn value_of(json: &serde_json::Value, period: &str) -> f64 {
    json["observations"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["period"] == period))
        .and_then(|o| o["value"].as_f64())
        .unwrap_or(f64::NAN)
}

#[tokio::test]
async fn a_vintage_shows_the_figures_as_known_on_that_date_everywhere() {
    // Arrange: the snapshot (82,400 homes added in 2024) known since December 2025, then a live
    // fetch today revises 2024 to 82,000.
    let app = spawn_app().await;
    backdate_snapshot(&app).await;
    assert_eq!(
        app.ingest("cbs-housing").await.outcome,
        FetchOutcome::Succeeded
    );
    // Act / Assert: API
    let (_, now) = app.get_json("/api/v1/series/homes_added_total").await;
    let (status, then) = app
        .get_json("/api/v1/series/homes_added_total?vintage=2026-01-01")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (value_of(&now, "2024"), value_of(&then, "2024")),
        (82_000.0, 82_400.0)
    );
    assert_eq!(then["vintage"], "2026-01-01");
    // CSV: says which vintage it holds.
    let csv = app
        .get("/api/v1/series/homes_added_total.csv?vintage=2026-01-01")
        .await;
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .contains("as-of-2026-01-01")
    );
    let text = csv.text().await.unwrap_or_default();
    assert!(
        text.contains(",82400,dwellings,final,,,") && text.contains(",2026-01-01,"),
        "{text}"
    );
    // Goals: the running total as known then.
    let (_, goals) = app.get_json("/api/v1/goals?vintage=2026-01-01").await;
    let homes = goals["goals"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["id"] == "homes-900k-2030"))
        .cloned();
    assert_eq!(
        homes.map(|h| h["progress"]["latest"]["value"].clone()),
        Some(serde_json::json!(245700.0))
    );
    // Page and chart: the figures and the words "as known on".
    let (status, page) = app
        .get_text("/series/homes_added_total?vintage=2026-01-01")
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("U ziet de cijfers zoals Koers ze kende op 1 januari 2026"),
        "notice missing"
    );
    assert!(page.contains("82.400"));
    let (_, svg) = app
        .get_text("/charts/homes_added_total.svg?vintage=2026-01-01")
        .await;
    assert!(
        svg.contains("Cijfers zoals bekend op 1 januari 2026"),
        "chart does not say its vintage"
    );
    // The revision history as known then: one value, not yet replaced.
    let (_, history) = app
        .get_json("/api/v1/series/homes_added_total/history?period=2024&vintage=2026-01-01")
        .await;
    let vintages = history["vintages"].as_array().cloned().unwrap_or_default();
    assert_eq!(vintages.len(), 1, "{history}");
    assert!(vintages[0]["superseded_at"].is_null());
    // Before Koers knew anything: empty, not an error.
    let (status, empty) = app
        .get_json("/api/v1/series/homes_added_total?vintage=2020-01-01")
        .await;
    assert_eq!(status, 200);
    assert_eq!(empty["observations"].as_array().map(Vec::len), Some(0));
    // A malformed vintage is refused.
    assert_eq!(
        app.get("/api/v1/series/homes_added_total?vintage=2019-13-01")
            .await
            .status(),
        400
    );
    assert_eq!(
        app.get("/series/homes_added_total?vintage=yesterday")
            .await
            .status(),
        400
    );
    app.stop().await;
}

#[tokio::test]
async fn revised_figures_are_marked_and_their_whole_history_listed() {
    let app = spawn_app().await;
    assert_eq!(
        app.ingest("cbs-housing").await.outcome,
        FetchOutcome::Succeeded
    );
    let (_, page) = app.get_text("/series/homes_added_total").await;
    assert!(
        page.contains("definitief, herzien"),
        "revised mark missing in the table"
    );
    let history = page.split(r#"id="history-heading""#).nth(1).unwrap_or("");
    assert!(
        history.contains("82.400") && history.contains("82.000"),
        "history lacks a vintage"
    );
    assert!(
        history.contains(r#"<details open"#),
        "history with revisions should be open"
    );
    app.stop().await;
}

#[tokio::test]
async fn breaks_and_policy_events_are_drawn_and_listed() {
    let app = spawn_app().await;
    let (_, page) = app.get_text("/series/homeless_people_18_65").await;
    assert!(page.contains("Breuken in de reeks"), "breaks list missing");
    assert!(
        page.contains("2018 | 2020: "),
        "the 2018|2020 break is not listed"
    );
    assert!(page.contains("Beleidsmomenten in de grafiek"));
    assert!(page.contains("Nationaal Actieplan Dakloosheid"));
    assert!(page.contains(r#"<time datetime="2022-12-05">5 december 2022</time>"#));
    let (_, svg) = app.get_text("/charts/homeless_people_18_65.svg").await;
    assert!(svg.contains("breuk"), "no break marker in the chart");
    let (_, json) = app.get_json("/api/v1/series/homeless_people_18_65").await;
    assert_eq!(json["breaks"].as_array().map(Vec::len), Some(2));
    app.stop().await;
}

#[tokio::test]
async fn several_breakdowns_are_lines_columns_and_api_rows() {
    let app = spawn_app().await;
    assert_eq!(
        app.ingest("cbs-homeless").await.outcome,
        FetchOutcome::Succeeded
    );
    let (status, page) = app
        .get_text("/en/series/homeless_people_18_65?category=3000&category=4000")
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(
        r#"<th scope="col" class="num">Mannen</th><th scope="col" class="num">Vrouwen</th>"#
    ));
    // The same breakdown as shares, one link away.
    assert!(
        page.contains(r#"href="/en/series/homeless_people_share?category=3000&amp;category=4000""#),
        "no link to shares"
    );
    let (_, json) = app
        .get_json(
            "/api/v1/series/homeless_people_18_65?category=3000&category=4000&from=2021&to=2021",
        )
        .await;
    let categories: Vec<String> = json["observations"]
        .as_array()
        .map(|o| {
            o.iter()
                .map(|o| o["category"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(categories, ["3000", "4000"]);
    // The real 2021 split: 26,700 men and 5,300 women.
    let men = json["observations"][0]["value"].as_f64();
    assert_eq!(men, Some(26_700.0));
    let many: String = (0..9).map(|i| format!("category=c{i}&")).collect();
    assert_eq!(
        app.get(&format!("/series/homeless_people_18_65?{many}"))
            .await
            .status(),
        400
    );
    app.stop().await;
}

#[tokio::test]
async fn the_goal_text_states_the_change_the_estimate_and_the_publishers_remark() {
    let app = spawn_app().await;
    let (_, overview) = app.get_text("/").await;
    assert!(
        overview.contains("Dat is 2.400 meer dan op 1 januari 2023."),
        "change sentence missing"
    );
    assert!(
        overview.contains("ongeveer 70 procent is geschat"),
        "estimate caveat missing"
    );
    let (_, page) = app.get_text("/series/homeless_people_18_65").await;
    assert!(
        page.contains("te vroeg om van een toename te spreken"),
        "CBS remark on 2023 missing"
    );
    app.stop().await;
}
