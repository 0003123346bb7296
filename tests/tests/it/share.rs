//! The journalists' kit: the download panel, image outputs, the data behind a chart, embeds
//! (live and pinned), citations, data packages, HTTP caching and the render rate limit.

use serde_json::Value;
use std::collections::BTreeMap;
use tests::{TestApp, spawn_app, spawn_app_with};

const SERIES: &str = "/series/homeless_people_18_65";

/// Every `href` in a page that starts with `prefix`, unescaped.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

/// A moment as RFC 3339, `seconds` from now.
fn moment(seconds: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds))
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

async fn header(app: &TestApp, path: &str, name: &str) -> String {
    app.get(path).await.headers()[name]
        .to_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_download_panel_offers_every_size_in_both_formats_and_each_image_is_correct() {
    let app = spawn_app().await;
    let (status, page) = app.get_text(SERIES).await;
    assert_eq!(status, 200);
    let images = links(&page, "/charts/");
    // Article, square and small in SVG and PNG, print in PNG, and the other language.
    assert_eq!(images.len(), 8, "{images:#?}");
    let mut sizes = Vec::new();
    for href in &images {
        let response = app.get(href).await;
        assert_eq!(response.status(), 200, "{href}");
        let bytes = response.bytes().await.unwrap_or_default();
        let english = href.contains("lang=en");
        let (source, licence) = if english {
            ("Source: CBS, table 80799ned", "Licence: CC BY 4.0")
        } else {
            ("Bron: CBS, tabel 80799ned", "Licentie: CC BY 4.0")
        };
        if href.contains(".svg") {
            let text = String::from_utf8(bytes.to_vec()).unwrap_or_default();
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{href}: not valid SVG: {e}"));
            let texts: String = doc
                .descendants()
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join("\n");
            // The caveat that these figures are estimates is drawn in too.
            let estimate = if english {
                "These are estimates"
            } else {
                "Dit zijn schattingen"
            };
            for needle in [
                source,
                licence,
                estimate,
                "https://koers.example/series/homeless_people_18_65",
            ] {
                assert!(texts.contains(needle), "{href}: missing {needle:?}");
            }
            assert!(doc.descendants().any(|n| n.has_tag_name("desc")));
        } else {
            let image = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
                .unwrap_or_else(|e| panic!("{href}: PNG does not decode: {e}"));
            sizes.push((image.width(), image.height()));
        }
    }
    sizes.sort_unstable();
    assert_eq!(
        sizes,
        [
            (800, 600),
            (1080, 1080),
            (1200, 675),
            (1200, 675),
            (2400, 1350)
        ]
    );
    // The data, its metadata and an embed are offered too.
    for needle in [
        "/api/v1/series/homeless_people_18_65.csv",
        "/api/v1/series/homeless_people_18_65/datapackage.json",
        "/embed/series/homeless_people_18_65",
        "https://koers.example/embed.js",
    ] {
        assert!(page.contains(needle), "the panel lacks {needle}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_citation_names_cbs_and_koers_with_a_pinned_permalink_and_access_date() {
    let app = spawn_app().await;
    let (_, nl) = app.get_text(SERIES).await;
    let citation = nl
        .split("id=\"citation\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split("</p>").next())
        .unwrap_or_default()
        .replace("&amp;", "&");
    assert!(citation.starts_with("CBS ("), "{citation}");
    assert!(citation.contains("tabel 80799ned"), "{citation}");
    assert!(citation.contains("Koers"), "{citation}");
    assert!(
        citation.contains("https://koers.example/series/homeless_people_18_65?vintage="),
        "{citation}"
    );
    assert!(citation.contains("geraadpleegd op"), "{citation}");
    let (_, en) = app.get_text(&format!("/en{SERIES}")).await;
    assert!(
        en.contains("Processed and visualised by Koers") && en.contains("(accessed "),
        "English citation"
    );
    app.stop().await;
}

/// The figures of an embed's table: period → value (English number format).
fn table_figures(html: &str) -> BTreeMap<String, f64> {
    let body = html.split("<tbody>").nth(1).unwrap_or_default();
    body.split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let period = row.split("<th scope=\"row\">").nth(1)?.split('<').next()?;
            let value = row.split("<td class=\"num\">").nth(1)?.split('<').next()?;
            let period = period.trim_end_matches('*').to_owned();
            Some((period, value.replace(',', "").parse().ok()?))
        })
        .collect()
}

#[tokio::test]
async fn the_csv_holds_exactly_the_figures_the_chart_shows() {
    let app = spawn_app().await;
    let view = "homeless_people_18_65?from=2018&to=2024";
    let (_, embed) = app.get_text(&format!("/embed/series/{view}&lang=en")).await;
    let shown = table_figures(&embed);
    assert!(shown.len() >= 4, "{shown:?}");
    let (status, csv) = app
        .get_text("/api/v1/series/homeless_people_18_65.csv?from=2018&to=2024")
        .await;
    assert_eq!(status, 200);
    let from_csv: BTreeMap<String, f64> = csv
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[2].to_owned(), cells[4].parse().unwrap_or(f64::NAN))
        })
        .collect();
    assert_eq!(from_csv, shown);
    app.stop().await;
}

#[tokio::test]
async fn a_pinned_embed_never_changes_after_a_new_ingest_and_says_newer_figures_exist() {
    let app = spawn_app().await;
    // The snapshot was loaded when the app started; pin a moment after it.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let pinned = format!(
        "/embed/series/homeless_people_18_65?vintage={}&lang=en",
        moment(0)
    );
    let chart = format!(
        "/charts/homeless_people_18_65.svg?vintage={}&lang=en",
        moment(0)
    );
    let (status, before) = app.get_text(&pinned).await;
    assert_eq!(status, 200, "{before}");
    assert!(before.contains("Pinned chart: the figures as known on"));
    assert!(!before.contains("There are newer figures"));
    let (_, chart_before) = app.get_text(&chart).await;
    let (_, live_before) = app
        .get_text("/embed/series/homeless_people_18_65?lang=en")
        .await;

    // CBS revises 2022 (26.9 thousand) and Koers fetches it.
    app.cbs.revise_value(
        "80799ned",
        &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
        "DaklozeMensen_1",
        serde_json::json!(26.9),
    );
    let report = app.ingest("cbs-homeless").await;
    assert!(report.counts.revised > 0, "{report:?}");

    let (_, after) = app.get_text(&pinned).await;
    // The chart and the table, without the notice about newer figures between them.
    let figure = |html: &str| {
        let part = |from: &str, to: &str| {
            let start = html.find(from).unwrap_or(0);
            let end = html.find(to).map_or(html.len(), |e| e + to.len());
            html[start..end.max(start)].to_owned()
        };
        part("<figure", "</figure>") + &part("<details", "</details>")
    };
    let (old, new) = (figure(&before), figure(&after));
    if let Some(at) = old.chars().zip(new.chars()).position(|(a, b)| a != b) {
        let around = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(80))
                .take(200)
                .collect::<String>()
        };
        panic!(
            "the pinned chart changed at {at}:\nbefore: {}\nafter:  {}",
            around(&old),
            around(&new)
        );
    }
    assert_eq!(old.len(), new.len(), "the pinned chart changed in length");
    assert!(
        after.contains("There are newer figures"),
        "no newer-figures notice"
    );
    let (_, chart_after) = app.get_text(&chart).await;
    assert_eq!(chart_after, chart_before, "the pinned chart image changed");
    // A live embed follows the new figure.
    let (_, live_after) = app
        .get_text("/embed/series/homeless_people_18_65?lang=en")
        .await;
    assert_ne!(table_figures(&live_after), table_figures(&live_before));
    assert_eq!(table_figures(&live_after).get("2022"), Some(&26900.0));
    app.stop().await;
}

#[tokio::test]
async fn an_embed_is_a_minimal_page_that_reports_its_height() {
    let app = spawn_app().await;
    let (status, html) = app
        .get_text("/embed/series/new_build_homes?from=2015")
        .await;
    assert_eq!(status, 200);
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
    assert!(html.contains("<svg") && html.contains("/embed-frame.js"));
    assert!(html.contains("Bron: CBS"), "source line");
    assert!(!html.contains("<nav"), "an embed has no site navigation");
    for (path, kind) in [
        ("/embed.js", "text/javascript"),
        ("/embed-frame.js", "text/javascript"),
        ("/embed.css", "text/css"),
    ] {
        let content_type = header(&app, path, "content-type").await;
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
    }
    let (status, missing) = app.get_text("/embed/series/no_such_series").await;
    assert_eq!(status, 404);
    assert!(missing.contains("<html"), "a readable page, not JSON");
    app.stop().await;
}

#[tokio::test]
async fn the_data_package_describes_the_view_and_its_files() {
    let app = spawn_app().await;
    let (status, package) = app
        .get_json("/api/v1/series/homeless_people_18_65/datapackage.json?from=2018&lang=nl")
        .await;
    assert_eq!(status, 200, "{package}");
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    let source = package["sources"][0]["title"].as_str().unwrap_or_default();
    assert!(source.contains("80799ned"), "{source}");
    let citation = package["citation"].as_str().unwrap_or_default();
    assert!(
        citation.contains("CBS") && citation.contains("Koers"),
        "{citation}"
    );
    assert_eq!(package["koers"]["unit"], "persons");
    let resources = package["resources"].as_array().cloned().unwrap_or_default();
    assert_eq!(resources.len(), 3);
    // The described columns are exactly the CSV's, and every file answers.
    let (_, csv) = app
        .get_text("/api/v1/series/homeless_people_18_65.csv?from=2018")
        .await;
    let header_row = csv.lines().next().unwrap_or_default();
    let fields: Vec<&str> = resources[0]["schema"]["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields.join(","), header_row);
    for resource in &resources {
        let url = resource["path"].as_str().unwrap_or_default();
        let path = url.trim_start_matches("https://koers.example");
        assert_eq!(app.get(path).await.status(), 200, "{url}");
    }
    app.stop().await;
}

#[tokio::test]
async fn answers_carry_etags_and_a_conditional_request_gets_304() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/series/homeless_people_18_65",
        "/api/v1/series/homeless_people_18_65.csv?from=2020",
        "/charts/new_build_homes.png?width=800&height=600",
        "/embed/series/new_build_homes",
        "/api/v1/goals",
    ] {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200, "{path}");
        let etag = first.headers()["etag"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            first.headers()["cache-control"],
            "public, max-age=300",
            "{path}"
        );
        let again = app
            .client
            .get(format!("{}{path}", app.address))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.status(), 304, "{path}");
        // Rendered once: the second plain request comes from the cache.
        assert_eq!(header(&app, path, "x-koers-cache").await, "hit", "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_view_pinned_to_a_settled_vintage_is_immutable_and_a_live_one_changes_with_the_data() {
    let app = spawn_app().await;
    let pinned = "/api/v1/series/homeless_people_18_65?vintage=2025-12-31";
    assert_eq!(
        header(&app, pinned, "cache-control").await,
        "public, max-age=31536000, immutable"
    );
    let recent = format!("/charts/new_build_homes.svg?vintage={}", moment(-5));
    assert_eq!(
        header(&app, &recent, "cache-control").await,
        "public, max-age=300",
        "a moment seconds ago is not settled yet"
    );
    let live = "/api/v1/series/homeless_people_18_65";
    let (pinned_tag, live_tag) = (
        header(&app, pinned, "etag").await,
        header(&app, live, "etag").await,
    );
    let report = app.ingest("cbs-homeless").await;
    assert!(report.counts.new + report.counts.revised > 0, "{report:?}");
    assert_eq!(header(&app, pinned, "etag").await, pinned_tag);
    assert_ne!(header(&app, live, "etag").await, live_tag);
    app.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_render_limit() {
    // Arrange: the test client plays the reverse proxy at 127.0.0.1.
    let app = spawn_app_with(|s| {
        s.cache.render_burst = 1;
        s.cache.renders_per_minute = 1;
        s.trusted_proxies = server::client::TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    let render = |w: u32, client: &'static str| {
        app.client
            .get(format!(
                "{}/charts/new_build_homes.png?width={w}&height=400",
                app.address
            ))
            .header("x-forwarded-for", client)
            .send()
    };

    // Act and assert: one visitor is limited, another is not; a visitor cannot escape its
    // limit by naming another address itself (the proxy appends the address it saw).
    assert_eq!(render(500, "198.51.100.7").await.unwrap().status(), 200);
    assert_eq!(render(501, "198.51.100.7").await.unwrap().status(), 429);
    assert_eq!(render(502, "203.0.113.9").await.unwrap().status(), 200);
    let spoofed = render(503, "192.0.2.1, 198.51.100.7").await.unwrap();
    assert_eq!(spoofed.status(), 429);
    app.stop().await;
}

#[tokio::test]
async fn without_trusted_proxies_a_forwarded_for_header_is_ignored() {
    let app = spawn_app_with(|s| {
        s.cache.render_burst = 1;
        s.cache.renders_per_minute = 1;
    })
    .await;
    let render = |w: u32, client: &'static str| {
        app.client
            .get(format!(
                "{}/charts/new_build_homes.png?width={w}&height=400",
                app.address
            ))
            .header("x-forwarded-for", client)
            .send()
    };
    assert_eq!(render(500, "198.51.100.7").await.unwrap().status(), 200);
    assert_eq!(render(501, "203.0.113.9").await.unwrap().status(), 429);
    app.stop().await;
}

#[tokio::test]
async fn chart_renders_are_rate_limited_per_client_but_cached_charts_are_not() {
    let app = spawn_app_with(|s| {
        s.cache.render_burst = 2;
        s.cache.renders_per_minute = 1;
    })
    .await;
    let chart = |w: u32| format!("/charts/new_build_homes.png?width={w}&height=400");
    assert_eq!(app.get(&chart(500)).await.status(), 200);
    assert_eq!(app.get(&chart(501)).await.status(), 200);
    let refused = app.get(&chart(502)).await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = refused.json().await.unwrap_or_default();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Already rendered: served from the cache, not limited.
    assert_eq!(app.get(&chart(500)).await.status(), 200);
    // Cheap API reads are not limited either.
    assert_eq!(app.get("/api/v1/series").await.status(), 200);
    app.stop().await;
}
