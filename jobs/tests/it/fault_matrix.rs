//! The upstream fault matrix: one row per way an upstream misbehaves, each run against a local
//! server that does it on purpose. For every row Koers must
//! 1. stay up (the run returns a report, the source is free again, no fetch row is left open),
//! 2. keep every stored figure exactly as it was,
//! 3. record the fetch as failed with an error that says what happened,
//! 4. keep its retries within their bounds (transient faults: exactly `MAX_RETRIES` retries,
//!    each no longer than the longest wait, `Retry-After` honoured; fatal ones: none),
//! 5. succeed at the next good fetch.
//!
//! The matrix is printed as a table (directly on stdout, so it shows without `--nocapture`);
//! the test fails when any row breaks a guarantee, naming the row and the guarantee.

use crate::helpers::{Events, Harness, MAX_RETRIES, test_config};
use jobs::{Ingestor, RunOptions};
use serde_json::json;
use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::FetchOutcome;
use testkit::{FakeCbs, FakeEurostat, RawUpstream, closed_port_url};

/// The source the CBS rows fetch: 80799ned, three data pages in the fake.
const SOURCE: &str = "cbs-homeless";
/// The source the Eurostat rows fetch: two JSON-stat datasets.
const EUROSTAT_SOURCE: &str = "eurostat-permits";
/// The requests of one good run of 80799ned in the fake: the service document, `TableInfos`,
/// `DataProperties`, two dimensions, `CategoryGroups` and three data pages.
const REQUESTS_PER_RUN: i64 = 9;
/// The request timeout of the rows whose upstream is too slow.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

/// Where the faulty run sends its requests.
#[derive(Clone, Copy)]
enum Upstream {
    /// The fake CBS, broken by the row's `break_it`.
    Fake(fn(&FakeCbs)),
    /// The fake Eurostat, broken likewise; the row fetches `eurostat-permits`.
    Eurostat(fn(&FakeEurostat)),
    /// A port where nothing listens.
    Refused,
    /// A server that accepts and never answers.
    Hang,
    /// A server that sends its answer a byte every 50 ms.
    Drip,
}

/// What the retries of a row must look like.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retries {
    /// A fault another attempt would not cure: no retry.
    None,
    /// A transient fault that persists: exactly `MAX_RETRIES` retries, then give up.
    Exhausted,
    /// As `Exhausted`, each pause being the server's `Retry-After` (seconds).
    RetryAfter(u64),
}

struct Row {
    name: &'static str,
    upstream: Upstream,
    /// Every one of these must appear in the recorded error.
    expect: &'static [&'static str],
    /// The HTTP status recorded with the fetch (`None`: no response arrived).
    status: Option<i64>,
    retries: Retries,
}

fn rows() -> Vec<Row> {
    use Retries::{Exhausted, None as NoRetry, RetryAfter};
    use Upstream::{Drip, Eurostat, Fake, Hang, Refused};
    vec![
        Row {
            name: "connection refused",
            upstream: Refused,
            expect: &[
                "TableInfos",
                "could not connect",
                "gave up after 3 attempts",
            ],
            status: None,
            retries: Exhausted,
        },
        Row {
            name: "hang past the timeout",
            upstream: Hang,
            expect: &["TableInfos", "timed out", "gave up after 3 attempts"],
            status: None,
            retries: Exhausted,
        },
        Row {
            name: "slow drip",
            upstream: Drip,
            expect: &["TableInfos", "timed out", "gave up after 3 attempts"],
            status: Some(200),
            retries: Exhausted,
        },
        Row {
            name: "HTTP 500",
            upstream: Fake(|c| c.fail_next(100, 500)),
            expect: &[
                "HTTP 500 Internal Server Error",
                "Er is een interne fout opgetreden",
                "gave up after 3 attempts",
            ],
            status: Some(500),
            retries: Exhausted,
        },
        Row {
            name: "HTTP 502",
            upstream: Fake(|c| c.fail_next(100, 502)),
            expect: &["HTTP 502 Bad Gateway", "gave up after 3 attempts"],
            status: Some(502),
            retries: Exhausted,
        },
        Row {
            name: "HTTP 503",
            upstream: Fake(|c| c.fail_next(100, 503)),
            expect: &["HTTP 503 Service Unavailable", "gave up after 3 attempts"],
            status: Some(503),
            retries: Exhausted,
        },
        Row {
            name: "HTTP 503 on data page 2",
            upstream: Fake(|c| c.fail_after_first_page(503)),
            expect: &[
                "reading the data of CBS 80799ned",
                "$skip=80",
                "HTTP 503 Service Unavailable",
                "gave up after 3 attempts",
            ],
            status: Some(503),
            retries: Exhausted,
        },
        Row {
            name: "429 with Retry-After",
            upstream: Fake(|c| c.rate_limit_next(100, Some(1))),
            expect: &[
                "HTTP 429 Too Many Requests",
                "(Retry-After: 1)",
                "gave up after 3 attempts",
            ],
            status: Some(429),
            retries: RetryAfter(1),
        },
        Row {
            name: "429 without Retry-After",
            upstream: Fake(|c| c.rate_limit_next(100, None)),
            expect: &["HTTP 429 Too Many Requests", "gave up after 3 attempts"],
            status: Some(429),
            retries: Exhausted,
        },
        Row {
            name: "HTTP 404",
            upstream: Fake(|c| c.fail_next(1, 404)),
            expect: &["TableInfos", "HTTP 404 Not Found"],
            status: Some(404),
            retries: NoRetry,
        },
        Row {
            name: "redirect loop",
            upstream: Fake(FakeCbs::redirect_loop),
            expect: &[
                "TypedDataSet",
                "redirect loop",
                "302 Found back to",
                "already visited",
            ],
            status: None,
            retries: NoRetry,
        },
        Row {
            name: "wrong content type",
            upstream: Fake(FakeCbs::wrong_content_type),
            expect: &["TypedDataSet", "content type text/plain"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "Atom XML instead of JSON",
            upstream: Fake(FakeCbs::atom_feed),
            expect: &[
                "TypedDataSet",
                "XML instead of JSON",
                "application/atom+xml",
            ],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "HTML error page, status 200",
            upstream: Fake(FakeCbs::html_error_page),
            expect: &["TypedDataSet", "CBS answered with HTML instead of JSON"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "truncated JSON",
            upstream: Fake(FakeCbs::truncate_data),
            expect: &["TypedDataSet", "truncated JSON"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "invalid JSON",
            upstream: Fake(FakeCbs::invalid_json),
            expect: &["TypedDataSet", "not valid JSON"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "paging loop (nextLink to itself)",
            upstream: Fake(FakeCbs::next_link_loop),
            expect: &["paging loop"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "drifted DataProperties",
            upstream: Fake(|c| {
                c.drift_data_properties("80799ned", "DaklozeMensen_1", "DaklozeMensen_3")
            }),
            expect: &[
                "schema drift in 80799ned",
                "topic DaklozeMensen_1 moved to DaklozeMensen_3",
                "stored figures kept",
            ],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "dimension key vanished",
            upstream: Fake(|c| c.remove_category("80799ned", "Persoonskenmerken", "3000")),
            expect: &[
                "80799ned",
                "category \"3000\" is not listed in Persoonskenmerken",
            ],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "total key vanished",
            upstream: Fake(|c| c.remove_category("80799ned", "Persoonskenmerken", "T009002")),
            expect: &["schema drift in 80799ned", "Persoonskenmerken has no total"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "duplicate period",
            upstream: Fake(|c| {
                c.duplicate_row(
                    "80799ned",
                    &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
                )
            }),
            expect: &["80799ned", "duplicate figure", "2022"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "value of the wrong type (text)",
            upstream: Fake(|c| {
                c.revise_value(
                    "80799ned",
                    &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
                    "DaklozeMensen_1",
                    json!("ongeveer 27"),
                );
            }),
            expect: &[
                "80799ned",
                "DaklozeMensen_1",
                "\"ongeveer 27\" is not a number",
            ],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "value of the wrong type (bool)",
            upstream: Fake(|c| {
                c.revise_value(
                    "80799ned",
                    &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
                    "DaklozeMensen_1",
                    json!(true),
                );
            }),
            expect: &["80799ned", "DaklozeMensen_1", "true is not a number"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "empty table",
            upstream: Fake(FakeCbs::empty_table),
            expect: &["80799ned", "empty table"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "Eurostat: HTTP 503",
            upstream: Eurostat(|e| e.fail_next(100, 503)),
            expect: &[
                "reading Eurostat sts_cobp_a",
                "HTTP 503",
                "gave up after 3 attempts",
            ],
            status: Some(503),
            retries: Exhausted,
        },
        Row {
            name: "Eurostat: truncated JSON-stat",
            upstream: Eurostat(FakeEurostat::truncate_responses),
            expect: &["reading Eurostat sts_cobp_a", "truncated JSON"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "Eurostat: a country vanished",
            upstream: Eurostat(|e| e.drop_category("tps00001", "geo", "FI")),
            expect: &["schema drift in tps00001", "geo FI is missing"],
            status: Some(200),
            retries: NoRetry,
        },
        Row {
            name: "stopped table, successor named",
            upstream: Fake(|c| {
                c.stop_table(
                    "80799ned",
                    "Dakloze mensen; persoonskenmerken, 2025 (86100NED)",
                )
            }),
            expect: &[
                "table 80799ned is stopped (stopgezet)",
                "successor: Dakloze mensen; persoonskenmerken, 2025 (86100NED)",
            ],
            status: Some(200),
            retries: NoRetry,
        },
    ]
}

/// What happened in one row; `problems` lists every guarantee it broke.
struct Outcome {
    name: &'static str,
    outcome: String,
    error: String,
    attempts: i64,
    retries: usize,
    data_unchanged: bool,
    recovered: bool,
    problems: Vec<String>,
}

async fn run_row(row: &Row) -> Outcome {
    let source = match row.upstream {
        Upstream::Eurostat(_) => EUROSTAT_SOURCE,
        _ => SOURCE,
    };
    let h = Harness::start().await;
    let mut problems = Vec::new();
    let mut check = |ok: bool, problem: String| {
        if !ok {
            problems.push(problem);
        }
    };

    // A first good fetch: the data the fault must not touch.
    let good = h.run(source).await;
    check(
        good.outcome == FetchOutcome::Succeeded,
        format!("the first fetch failed: {:?}", good.error),
    );
    let before = h.all_figures().await;
    let counts_before = h.store().observation_counts().await.unwrap();

    // The faulty run, through the fake or through an ingestor pointed at a raw server.
    let mut server = None;
    let raw_url = match row.upstream {
        Upstream::Fake(break_it) => {
            break_it(&h.cbs);
            None
        }
        Upstream::Eurostat(break_it) => {
            break_it(&h.eurostat);
            None
        }
        Upstream::Refused => Some(closed_port_url().await),
        Upstream::Hang | Upstream::Drip => {
            let raw = match row.upstream {
                Upstream::Hang => RawUpstream::hang().await,
                _ => RawUpstream::drip(Duration::from_millis(50)).await,
            };
            let url = raw.url();
            server = Some(raw);
            Some(url)
        }
    };
    let faulty = match raw_url {
        Some(url) => {
            let config = jobs::JobsConfig {
                cbs_odata_url: url,
                http_timeout: SHORT_TIMEOUT,
                ..test_config(&h.cbs, &h.eurostat)
            };
            Arc::new(Ingestor::new(h.store().clone(), config).unwrap())
        }
        None => h.ingestor.clone(),
    };
    let events = Events::default();
    let started = Instant::now();
    let report = faulty
        .run(
            &source.parse().unwrap(),
            RunOptions { force: true },
            &events,
        )
        .await;
    let elapsed = started.elapsed();
    drop(server);

    let Ok(report) = report else {
        return Outcome {
            name: row.name,
            outcome: "no run".into(),
            error: format!("{report:?}"),
            attempts: 0,
            retries: 0,
            data_unchanged: false,
            recovered: false,
            problems: vec![format!("the run did not start: {report:?}")],
        };
    };
    let fetch = h.last_fetch(source).await;
    let error = fetch.error.clone().unwrap_or_default();

    // 1. Up: the source is free, nothing is left running.
    check(
        !faulty.is_running(&report.source),
        "the source is still marked running".into(),
    );
    check(
        fetch.finished_at.is_some(),
        "the fetch row was left open".into(),
    );
    // 2. Data unchanged.
    let data_unchanged = h.all_figures().await == before
        && h.store().observation_counts().await.unwrap() == counts_before
        && report.counts == store::ApplyCounts::default();
    check(data_unchanged, "stored figures changed".into());
    // 3. Recorded, failed, with a useful error.
    check(
        report.outcome == FetchOutcome::Failed && fetch.outcome == FetchOutcome::Failed,
        format!(
            "outcome {:?} (fetch row {:?}), not failed",
            report.outcome, fetch.outcome
        ),
    );
    check(
        fetch.error == report.error,
        "the fetch row and the report disagree on the error".into(),
    );
    for needle in row.expect {
        check(
            error.contains(needle),
            format!("the error does not say {needle:?}"),
        );
    }
    let clauses: Vec<&str> = error.split("; ").collect();
    check(
        clauses
            .iter()
            .enumerate()
            .all(|(i, c)| !clauses[..i].contains(c)),
        "the error repeats itself".into(),
    );
    check(
        fetch.http_status == row.status,
        format!(
            "HTTP status recorded {:?}, expected {:?}",
            fetch.http_status, row.status
        ),
    );
    // 4. Retries within bounds.
    let retries = events.retries();
    let max_delay = test_config(&h.cbs, &h.eurostat).retry_max_delay;
    match row.retries {
        Retries::None => check(
            retries.is_empty(),
            format!("{} retries of a fault a retry cannot cure", retries.len()),
        ),
        Retries::Exhausted | Retries::RetryAfter(_) => {
            check(
                retries.len() == MAX_RETRIES as usize,
                format!("{} retries, expected {MAX_RETRIES}", retries.len()),
            );
            check(
                retries.iter().all(|(_, delay, _)| *delay <= max_delay),
                "a pause longer than the longest wait".into(),
            );
        }
    }
    if let Retries::RetryAfter(secs) = row.retries {
        check(
            retries
                .iter()
                .all(|(_, delay, _)| *delay == Duration::from_secs(secs)),
            format!("Retry-After: {secs} not honoured: {retries:?}"),
        );
        check(
            elapsed >= Duration::from_secs(secs * u64::from(MAX_RETRIES)),
            format!("finished after {elapsed:?}, before the Retry-After pauses"),
        );
    }
    check(
        fetch.attempts >= 1
            && fetch.attempts <= REQUESTS_PER_RUN + i64::from(MAX_RETRIES)
            && fetch.attempts > retries.len() as i64,
        format!(
            "{} attempts recorded with {} retries",
            fetch.attempts,
            retries.len()
        ),
    );

    // 5. The next good fetch succeeds and finds the figures as they were.
    h.cbs.reset();
    h.eurostat.reset();
    let next = h.run_forced(source).await;
    let recovered = next.outcome == FetchOutcome::Succeeded
        && next.counts.new + next.counts.revised == 0
        && h.all_figures().await == before;
    check(
        recovered,
        format!(
            "the next good fetch did not succeed cleanly: {:?} {:?} {:?}",
            next.outcome, next.counts, next.error
        ),
    );

    Outcome {
        name: row.name,
        outcome: fetch.outcome.as_str().to_owned(),
        error,
        attempts: fetch.attempts,
        retries: retries.len(),
        data_unchanged,
        recovered,
        problems,
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}

/// The error text on one line, without the fake's address, shortened for the table.
fn short(error: &str) -> String {
    let mut text = error.replace('\n', " ");
    while let Some(at) = text.find("http://127.0.0.1:") {
        let rest = &text[at + "http://127.0.0.1:".len()..];
        let port = rest.bytes().take_while(u8::is_ascii_digit).count();
        text.replace_range(at..at + "http://127.0.0.1:".len() + port, "");
    }
    let text = text.replace("?$format=json", "");
    if text.chars().count() > 150 {
        format!("{}…", text.chars().take(149).collect::<String>())
    } else {
        text
    }
}

#[tokio::test]
async fn every_upstream_fault_keeps_data_records_the_error_and_recovers() {
    let rows = rows();
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in &rows {
        outcomes.push(run_row(row).await);
    }

    let mut table = String::from(
        "\nUPSTREAM FAULT MATRIX (cbs-homeless: CBS 80799ned; Eurostat rows: eurostat-permits)\n\
         | # | fault | outcome | attempts | retries | data unchanged | next fetch ok | error recorded |\n\
         |---|-------|---------|----------|---------|----------------|---------------|----------------|\n",
    );
    for (i, o) in outcomes.iter().enumerate() {
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            o.name,
            o.outcome,
            o.attempts,
            o.retries,
            yes(o.data_unchanged),
            yes(o.recovered),
            short(&o.error)
        ));
    }
    let broken: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.problems.is_empty())
        .map(|o| format!("{}: {}", o.name, o.problems.join("; ")))
        .collect();
    table.push_str(&format!(
        "{} rows, {} broke a guarantee\n",
        outcomes.len(),
        broken.len()
    ));
    // Straight to stdout: the harness captures `print!`, not the handle.
    let _ = std::io::stdout().lock().write_all(table.as_bytes());

    assert!(
        broken.is_empty(),
        "guarantees broken:\n{}",
        broken.join("\n")
    );
}
