//! Chart images.

use tests::spawn_app;

#[tokio::test]
async fn svg_chart_carries_title_source_licence_and_text_alternative() {
    let app = spawn_app().await;
    let response = app.get("/charts/homeless_people_18_65.svg?lang=nl").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.headers().contains_key("etag"));
    let svg = response.text().await.unwrap_or_default();
    for needle in [
        "Dakloze mensen (18 tot 65 jaar)",
        "Bron: CBS, tabel 80799ned",
        "Licentie: CC BY 4.0",
        "<desc",
        "Gepubliceerde cijfers, stand 19 december 2025",
    ] {
        assert!(svg.contains(needle), "missing {needle}");
    }
    app.stop().await;
}

#[tokio::test]
async fn png_chart_has_the_requested_size() {
    let app = spawn_app().await;
    let response = app
        .get("/charts/homes_added_total.png?lang=en&width=800&height=600&scale=2")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.unwrap_or_default();
    // PNG header: IHDR width and height are big-endian at bytes 16..24.
    assert_eq!(&bytes[1..4], b"PNG");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!((width, height), (1600, 1200));
    app.stop().await;
}

#[tokio::test]
async fn oversized_or_malformed_chart_requests_are_refused_with_4xx() {
    let app = spawn_app().await;
    for path in [
        "/charts/homeless_people_18_65.png?width=99999",
        "/charts/homeless_people_18_65.png?width=2000&scale=4",
        "/charts/homeless_people_18_65.svg?height=-1",
        "/charts/homeless_people_18_65.gif",
        "/charts/unknown.svg",
    ] {
        let status = app.get(path).await.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_repeated_chart_request_with_its_etag_gets_304() {
    let app = spawn_app().await;
    let first = app.get("/charts/new_build_homes.svg").await;
    let etag = first.headers()["etag"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    let second = app
        .client
        .get(format!("{}/charts/new_build_homes.svg", app.address))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.status(), 304);
    app.stop().await;
}
