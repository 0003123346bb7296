//! Manual uploads in the console: roles and CSRF, bad files refused with line-numbered
//! problems and nothing stored, a valid file stored as a vintage like a fetch, and a second
//! upload with a changed value shown as a revision in the series history.

#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers outside #[test] functions panic on failure"
)]

use auth::Role;
use domain::{CategoryKey, Period, SeriesId};
use reqwest::multipart::{Form, Part};
use store::{AuditFilter, StoreError};
use tests::{ConsoleClient, TestApp, spawn_app};

const SERIES: &str = "ethos_utrecht";

/// The form for a new manual series, with `csv` as the file.
fn new_series(form: Form, csv: Vec<u8>) -> Form {
    form.text("target", "new")
        .text("new_id", SERIES)
        .text("new_title_nl", "Dakloze mensen (ETHOS), regio Utrecht")
        .text("new_title_en", "Homeless people (ETHOS), Utrecht region")
        .text("new_unit", "persons")
        .text("new_measure", "level")
        .text("new_licence", "CC BY 4.0")
        .text(
            "new_licence_url",
            "https://creativecommons.org/licenses/by/4.0/",
        )
        .text("source_label", "Gemeente Utrecht, ETHOS-telling")
        .text("source_url", "https://www.utrecht.nl/ethos")
        .part("file", Part::bytes(csv).file_name("ethos.csv"))
}

/// The form for an existing series.
fn existing(form: Form, series: &str, csv: Vec<u8>) -> Form {
    form.text("target", "existing")
        .text("series", series.to_owned())
        .text("source_label", "Gemeente Utrecht, ETHOS-telling")
        .text("source_url", "https://www.utrecht.nl/ethos")
        .part("file", Part::bytes(csv).file_name("ethos-2.csv"))
}

/// Everything an upload could have written: uploads, upload fetches, figures, audit entries.
async fn footprint(app: &TestApp) -> (usize, usize, (i64, i64), usize) {
    let store = &app.ctx.store;
    let uploads = store.recent_uploads(100).await.unwrap().len();
    let fetches = store
        .recent_fetches(None, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|f| f.source.starts_with("upload:"))
        .count();
    let audit = store
        .list_audit(&AuditFilter {
            action_prefix: Some("upload.".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .len();
    (
        uploads,
        fetches,
        store.observation_counts().await.unwrap(),
        audit,
    )
}

async fn upload(editor: &ConsoleClient, csv: &[u8]) -> (u16, String) {
    let csv = csv.to_vec();
    let response = editor
        .post_multipart("/console/uploads", |f| new_series(f, csv))
        .await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn upload_pages_need_a_sign_in_and_only_editors_may_upload() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let viewer = app.console_user(Role::Viewer).await;
    let before = footprint(&app).await;
    for path in ["/console/uploads", "/console/uploads/1"] {
        assert_eq!(anonymous.get(path).await.status(), 303, "GET {path}");
    }
    let csv = b"period,value\n2024,10\n".to_vec();
    let response = anonymous
        .post_multipart("/console/uploads", |f| new_series(f, csv.clone()))
        .await;
    assert_eq!(response.status(), 401);
    // Viewers see the format and the list, without the form; their uploads are refused.
    let (status, html) = viewer.get_text("/console/uploads").await;
    assert_eq!(status, 200);
    assert!(html.contains("Het formaat"), "{html}");
    assert!(
        !html.contains("multipart/form-data"),
        "a viewer sees no form"
    );
    let response = viewer
        .post_multipart("/console/uploads", |f| new_series(f, csv.clone()))
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(viewer.get("/console/uploads/999").await.status(), 404);
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn an_upload_without_a_valid_csrf_token_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let before = footprint(&app).await;
    let csv = b"period,value\n2024,10\n".to_vec();
    // A multipart form without the token.
    let url = format!("{}/console/uploads", app.address);
    let form = new_series(Form::new(), csv.clone());
    let response = editor
        .send(reqwest::Client::new().post(&url).multipart(form))
        .await;
    assert_eq!(response.status(), 403);
    // A forged token.
    let form = new_series(
        Form::new().text("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        csv,
    );
    let response = editor
        .send(reqwest::Client::new().post(&url).multipart(form))
        .await;
    assert_eq!(response.status(), 403);
    // Not multipart at all.
    let response = editor
        .post_form_raw("/console/uploads", &[("target", "new")])
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(footprint(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn bad_files_are_refused_with_line_numbered_problems_and_nothing_is_stored() {
    // Arrange
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let before = footprint(&app).await;
    let cases: [(&str, &[u8], &[&str]); 6] = [
        (
            "wrong columns",
            b"jaar,aantal\n2024,10\n",
            &[
                "Onbekende kolom \"jaar\"",
                "De kopregel heeft geen kolom \"period\"",
            ],
        ),
        (
            "bad numbers",
            b"period,value\n2023,10\n2024,ten\n2025,1.234,5\n",
            &[
                "<td class=\"num\">3</td><td>\"ten\" is geen getal",
                "<td class=\"num\">4</td><td>Verwacht 2 velden",
            ],
        ),
        (
            "duplicate periods",
            b"period;value;category\n2024;10;GM0344\n2024;11;GM0363\n2024;12,5;GM0344\n",
            &["<td class=\"num\">4</td><td>GM0344 2024 staat er twee keer (eerst op regel 2)"],
        ),
        ("empty file", b"", &["Het bestand is leeg"]),
        (
            "not UTF-8",
            b"period,value\n2024,10\n2025,\xe9\n",
            &["<td class=\"num\">3</td><td>Het bestand is geen UTF-8-tekst"],
        ),
        (
            "bad period and status",
            b"period,value,status\n2024-13,10,final\n2025,11,guessed\n",
            &[
                "<td class=\"num\">2</td><td>\"2024-13\" is geen periode",
                "<td class=\"num\">3</td><td>\"guessed\" is geen status",
            ],
        ),
    ];
    for (name, csv, expected) in cases {
        // Act
        let (status, html) = upload(&editor, csv).await;
        // Assert
        assert_eq!(status, 422, "{name}: {html}");
        assert!(html.contains("er is niets opgeslagen"), "{name}: {html}");
        assert!(
            html.contains("href=\"#file-problems\""),
            "{name}: linked summary"
        );
        for text in expected {
            assert!(html.contains(text), "{name}: expected {text:?} in {html}");
        }
        assert!(
            html.contains("value=\"Gemeente Utrecht, ETHOS-telling\""),
            "{name}: the form keeps what was typed"
        );
    }
    // A file over 5 MB is refused as too large, before its figures are read.
    let huge = {
        let mut text = b"period,value\n".to_vec();
        while text.len() <= 6 * 1024 * 1024 {
            text.extend_from_slice(b"2024,1\n");
        }
        text
    };
    let (status, html) = upload(&editor, &huge).await;
    assert_eq!(status, 413);
    assert!(html.contains("hoogstens 5 MB"), "{html}");
    // A form without a file, or with a bad series, names those fields.
    let response = editor
        .post_multipart("/console/uploads", |f| {
            f.text("target", "existing")
                .text("series", "mystery")
                .text("source_label", "x")
                .text("source_url", "not a url")
        })
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for field in ["series", "source_url", "file"] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field}: {html}"
        );
    }
    // Nothing was stored by any of them.
    assert_eq!(footprint(&app).await, before);
    assert!(matches!(
        app.ctx
            .store
            .get_series(&SeriesId::parse(SERIES).unwrap())
            .await,
        Err(StoreError::NotFound(_))
    ));
    app.stop().await;
}

#[tokio::test]
async fn a_valid_upload_is_a_vintage_and_a_changed_value_is_a_revision() {
    // Arrange
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let series = SeriesId::parse(SERIES).unwrap();
    let csv = "period,value,category,status,note\n\
               2023,410,total,final,\n\
               2024,432,total,provisional,\"eerste telling, ETHOS\"\n\
               2024,120,GM0344,provisional,\n";
    // Act
    let response = editor
        .post_multipart("/console/uploads", |f| {
            new_series(f, csv.as_bytes().to_vec())
        })
        .await;
    // Assert: redirected to the result.
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/console/uploads/"), "{location}");
    let (status, result) = editor.get_text(&location).await;
    assert_eq!(status, 200);
    assert!(
        result.contains("3 nieuw, 0 herzien, 0 ongewijzigd"),
        "{result}"
    );
    assert!(
        result.contains("Deze upload heeft de reeks aangemaakt"),
        "{result}"
    );
    // Stored like a fetch: a fetch row for the uploader, the figures with their provenance.
    let uploads = app.ctx.store.recent_uploads(10).await.unwrap();
    assert_eq!(uploads.len(), 1);
    let fetch = app.ctx.store.get_fetch(uploads[0].fetch_id).await.unwrap();
    assert_eq!(fetch.source, format!("upload:{}", editor.username));
    assert_eq!(fetch.outcome, store::FetchOutcome::Succeeded);
    assert_eq!((fetch.rows_seen, fetch.rows_new), (3, 3));
    let figures = app
        .ctx
        .store
        .observations(&series, None, None)
        .await
        .unwrap();
    assert_eq!(figures.len(), 3);
    let first = figures
        .iter()
        .find(|o| o.observation.period == Period::Year(2024) && o.observation.category.is_total())
        .unwrap();
    assert_eq!(first.source_label, "Gemeente Utrecht, ETHOS-telling");
    assert_eq!(first.note.as_deref(), Some("eerste telling, ETHOS"));
    let categories = app.ctx.store.list_categories(&series).await.unwrap();
    assert_eq!(categories.len(), 1, "only the breakdown key is a category");
    // The public series page shows the new series and where its figures come from.
    let (status, page) = app.get_text(&format!("/series/{SERIES}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Dakloze mensen (ETHOS), regio Utrecht"),
        "{page}"
    );
    assert!(page.contains("Handmatig aangeleverde cijfers"), "{page}");
    // Audited.
    let entries = app
        .ctx
        .store
        .list_audit(&AuditFilter {
            action_prefix: Some("upload.".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].subject, format!("series:{SERIES}"));
    assert_eq!(entries[0].after.as_ref().unwrap()["new"], 3);

    // Act: a second upload (semicolons, decimal comma) changes one value.
    let second = "periode;waarde;categorie;status\n\
                  2023;410;;final\n2024;440,5;;provisional\n2024;120;GM0344;provisional\n";
    let response = editor
        .post_multipart("/console/uploads", |f| {
            existing(f, SERIES, second.as_bytes().to_vec())
        })
        .await;
    assert_eq!(response.status(), 303);
    let (_, result) = editor
        .get_text(response.headers()["location"].to_str().unwrap())
        .await;
    assert!(
        result.contains("0 nieuw, 1 herzien, 2 ongewijzigd"),
        "{result}"
    );
    // The revision is in the history, the first value kept as an earlier vintage.
    let history = app
        .ctx
        .store
        .observation_history(&series, &CategoryKey::total(), Some(Period::Year(2024)))
        .await
        .unwrap();
    let values: Vec<f64> = history.iter().map(|o| o.observation.value).collect();
    assert_eq!(values, [432.0, 440.5]);
    assert!(history[0].superseded_at.is_some());
    let (status, api) = app
        .get_json(&format!("/api/v1/series/{SERIES}/history?period=2024"))
        .await;
    assert_eq!(status, 200, "{api}");
    assert_eq!(api["vintages"].as_array().map(Vec::len), Some(2), "{api}");
    // A new series with a taken id is refused.
    let (status, html) = upload(&editor, b"period,value\n2024,1\n").await;
    assert_eq!(status, 422);
    assert!(html.contains("bestaat al"), "{html}");
    assert_eq!(app.ctx.store.recent_uploads(10).await.unwrap().len(), 2);
    app.stop().await;
}
