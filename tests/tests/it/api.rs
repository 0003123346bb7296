//! The public API: JSON, CSV, errors.

use tests::spawn_app;

#[tokio::test]
async fn series_list_names_source_licence_and_update_time() {
    let app = spawn_app().await;
    let (status, json) = app.get_json("/api/v1/series").await;
    assert_eq!(status, 200);
    let list = json["series"].as_array().cloned().unwrap_or_default();
    let homeless = list
        .iter()
        .find(|s| s["id"] == "homeless_people_18_65")
        .cloned()
        .unwrap_or_default();
    assert_eq!(homeless["producer"], "CBS");
    assert_eq!(homeless["table_id"], "80799ned");
    assert_eq!(homeless["licence"], "CC BY 4.0");
    assert_eq!(homeless["unit"], "persons");
    assert!(homeless["last_updated"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn series_returns_observations_with_status_and_vintage() {
    let app = spawn_app().await;
    let (status, json) = app.get_json("/api/v1/series/homeless_people_18_65").await;
    assert_eq!(status, 200);
    let obs = json["observations"].as_array().cloned().unwrap_or_default();
    assert_eq!(obs.len(), 15);
    let y2021 = obs
        .iter()
        .find(|o| o["period"] == "2021")
        .cloned()
        .unwrap_or_default();
    assert_eq!(y2021["value"], 32000.0);
    assert_eq!(y2021["status"], "provisional");
    assert!(y2021["first_seen_at"].is_string());
    assert_eq!(y2021["source"], "CBS 80799ned");
    app.stop().await;
}

#[tokio::test]
async fn csv_holds_exactly_the_selected_figures() {
    let app = spawn_app().await;
    let response = app
        .get("/api/v1/series/homeless_people_18_65.csv?from=2020&to=2022")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let text = response.text().await.unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "series,category,period,period_start,value,unit,status,lower,upper,first_seen_at,as_known_on,source,source_url,note"
    );
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[1].starts_with(
            "homeless_people_18_65,total,2020,2020-01-01,36400,persons,provisional,,,"
        )
    );
    app.stop().await;
}

#[tokio::test]
async fn goals_report_status_projection_and_both_sentences() {
    let app = spawn_app().await;
    let (status, json) = app.get_json("/api/v1/goals").await;
    assert_eq!(status, 200);
    let goals = json["goals"].as_array().cloned().unwrap_or_default();
    let homes = goals
        .iter()
        .find(|g| g["id"] == "homes-900k-2030")
        .cloned()
        .unwrap_or_default();
    assert_eq!(homes["status"], "needs_acceleration");
    assert_eq!(homes["progress"]["projection"]["year"], 2032);
    assert_eq!(homes["progress"]["latest"]["value"], 245700.0);
    assert!(
        homes["sentence"]["nl"]
            .as_str()
            .unwrap_or_default()
            .contains("ten minste 245.700")
    );
    assert!(
        homes["sentence"]["en"]
            .as_str()
            .unwrap_or_default()
            .contains("at least 245,700")
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_ids_and_bad_parameters_get_clear_json_errors() {
    let app = spawn_app().await;
    let cases = [
        ("/api/v1/series/nope", 404, "not_found"),
        ("/api/v1/series/Bad%20Id", 404, "not_found"),
        (
            "/api/v1/series/homeless_people_18_65?from=soon",
            400,
            "invalid_input",
        ),
        (
            "/api/v1/series/homeless_people_18_65?category=ZZZ",
            400,
            "invalid_input",
        ),
        (
            "/api/v1/series/homeless_people_18_65?lang=fr",
            400,
            "invalid_input",
        ),
        (
            "/api/v1/series/homeless_people_18_65?all=maybe",
            400,
            "invalid_input",
        ),
        ("/api/v1/series/nope/history", 404, "not_found"),
        (
            "/api/v1/series/homeless_people_18_65/history?period=20x4",
            400,
            "invalid_input",
        ),
    ];
    for (path, expected, code) in cases {
        let (status, json) = app.get_json(path).await;
        assert_eq!(status, expected, "{path}: {json}");
        assert_eq!(json["error"]["code"], code, "{path}");
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_json("/health").await,
        (200, serde_json::json!({"status": "ok"}))
    );
    assert_eq!(app.get_json("/ready").await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn api_is_open_to_other_origins_for_get() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/series", app.address))
        .header("Origin", "https://example.org")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    app.stop().await;
}
