//! The CBS OData v4 adapter: a table followed through `datasets.cbs.nl` gives the same figures
//! as through v3, and every fault keeps the same guarantees (data unchanged, a useful error,
//! bounded retries, the next good fetch succeeds).

use crate::helpers::{Harness, MAX_RETRIES, test_config};
use domain::Grain;
use jobs::freshness::{Reference, ReleaseRhythm};
use jobs::sources::{Categories, CbsTable, Periods, SeriesRule, SourceDef, Topic, Upstream};
use jobs::{Ingestor, RunOptions};
use serde_json::json;
use std::sync::Arc;
use store::FetchOutcome;
use testkit::FakeCbs4;

/// 80799ned as the v4 fake serves it: the v3 topics under their v4 measure codes.
static V4_SOURCES: &[SourceDef] = &[SourceDef {
    slug: "cbs4-homeless",
    name: "Dakloze mensen; persoonskenmerken (CBS 80799ned, OData v4)",
    upstream: Upstream::Cbs4(CbsTable {
        table_id: "80799ned",
        region: None,
        topics: &[
            Topic {
                key: "M000001",
                unit: "x 1 000",
            },
            Topic {
                key: "M000002",
                unit: "%",
            },
        ],
        series: &[
            SeriesRule {
                series: "homeless_people_18_65",
                sum_of: &["M000001"],
                categories: Categories::Each("Persoonskenmerken"),
                fixed: &[],
                periods: Periods::All,
            },
            SeriesRule {
                series: "homeless_people_share",
                sum_of: &["M000002"],
                categories: Categories::Each("Persoonskenmerken"),
                fixed: &[],
                periods: Periods::All,
            },
        ],
    }),
    rhythm: ReleaseRhythm {
        grain: Grain::Year,
        reference: Reference::PeriodStart,
        lag_months: 15,
        grace_days: 180,
        basis: "as cbs-homeless",
    },
}];

struct V4 {
    h: Harness,
    fake: FakeCbs4,
    ingestor: Arc<Ingestor>,
}

impl V4 {
    async fn start() -> Self {
        let h = Harness::start().await;
        let fake = FakeCbs4::start().await;
        let config = jobs::JobsConfig {
            cbs_odata4_url: fake.url(),
            ..test_config(&h.cbs, &h.eurostat)
        };
        let ingestor =
            Arc::new(Ingestor::with_sources(h.store().clone(), config, V4_SOURCES).unwrap());
        Self { h, fake, ingestor }
    }

    async fn run(&self, force: bool) -> jobs::RunReport {
        self.ingestor
            .run(&"cbs4-homeless".parse().unwrap(), RunOptions { force }, &())
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_table_followed_through_v4_gives_the_same_figures_as_through_v3() {
    // Arrange
    let v4 = V4::start().await;

    // Act
    let report = v4.run(false).await;

    // Assert: figures stored, then v3 reading the same table finds nothing new or revised.
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert!(report.counts.new > 100, "{:?}", report.counts);
    assert_eq!(
        v4.h.figure("homeless_people_18_65", "total", domain::Period::Year(2024))
            .await
            .map(|(v, _)| v),
        Some(33_000.0)
    );
    let v3 = v4.h.run("cbs-homeless").await;
    assert_eq!(v3.outcome, FetchOutcome::Succeeded, "{:?}", v3.error);
    assert_eq!(
        (v3.counts.new, v3.counts.revised),
        (0, 0),
        "v3 and v4 disagree"
    );
    // Unchanged ObservationsModified: nothing but Properties is read.
    let before = v4.fake.request_count("Observations");
    assert_eq!(v4.run(false).await.outcome, FetchOutcome::Unchanged);
    assert_eq!(v4.fake.request_count("Observations"), before);
}

#[tokio::test]
async fn a_revision_published_through_v4_keeps_the_old_value_as_a_vintage() {
    let v4 = V4::start().await;
    assert_eq!(v4.run(false).await.outcome, FetchOutcome::Succeeded);
    v4.fake.revise_value(
        "80799ned",
        &[("Persoonskenmerken", "T009002"), ("Perioden", "2024JJ00")],
        "M000001",
        json!(33.5),
    );
    let report = v4.run(false).await;
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(report.counts.revised, 1);
    assert_eq!(
        v4.h.figure("homeless_people_18_65", "total", domain::Period::Year(2024))
            .await
            .map(|(v, _)| v),
        Some(33_500.0)
    );
}

type Break = fn(&FakeCbs4);

#[tokio::test]
async fn every_v4_fault_keeps_the_data_and_the_same_guarantees() {
    let rows: [(&str, Break, &[&str], usize); 7] = [
        (
            "HTTP 503",
            |f| f.fail_next(100, 503),
            &[
                "Properties",
                "HTTP 503",
                "Er is een fout opgetreden.",
                "gave up after 3 attempts",
            ],
            MAX_RETRIES as usize,
        ),
        (
            "HTTP 404",
            |f| f.fail_next(1, 404),
            &["HTTP 404 Not Found"],
            0,
        ),
        (
            "truncated JSON",
            FakeCbs4::truncate_data,
            &["Observations", "truncated JSON"],
            0,
        ),
        ("empty table", FakeCbs4::empty_table, &["empty table"], 0),
        (
            "drifted measure",
            |f| f.drift_measure("80799ned", "M000001", "M000009"),
            &["schema drift in 80799ned", "topic M000001 is missing"],
            0,
        ),
        (
            "value of the wrong type",
            |f| {
                f.revise_value(
                    "80799ned",
                    &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
                    "M000001",
                    json!("veel"),
                )
            },
            &["M000001", "\"veel\" is not a number"],
            0,
        ),
        (
            "stopped table",
            |f| f.stop_table("80799ned", "Dakloze mensen, 2026 (86200NED)"),
            &[
                "table 80799ned is stopped",
                "successor: Dakloze mensen, 2026 (86200NED)",
            ],
            0,
        ),
    ];
    let mut broken = Vec::new();
    for (name, break_it, expect, retries) in rows {
        let v4 = V4::start().await;
        let good = v4.run(false).await;
        assert_eq!(
            good.outcome,
            FetchOutcome::Succeeded,
            "{name}: {:?}",
            good.error
        );
        let before = v4.h.all_figures().await;

        break_it(&v4.fake);
        let events = crate::helpers::Events::default();
        let report = v4
            .ingestor
            .run(
                &"cbs4-homeless".parse().unwrap(),
                RunOptions { force: true },
                &events,
            )
            .await
            .unwrap();
        let error = report.error.clone().unwrap_or_default();
        let fetch = v4.h.last_fetch("cbs4-homeless").await;

        let mut problems = Vec::new();
        if report.outcome != FetchOutcome::Failed || fetch.outcome != FetchOutcome::Failed {
            problems.push(format!("outcome {:?}", report.outcome));
        }
        if v4.h.all_figures().await != before {
            problems.push("stored figures changed".to_owned());
        }
        for needle in expect {
            if !error.contains(needle) {
                problems.push(format!("the error does not say {needle:?}"));
            }
        }
        if events.retries().len() != retries {
            problems.push(format!(
                "{} retries, expected {retries}",
                events.retries().len()
            ));
        }
        v4.fake.reset();
        let next = v4.run(true).await;
        if next.outcome != FetchOutcome::Succeeded || next.counts.new + next.counts.revised != 0 {
            problems.push(format!(
                "the next good fetch: {:?} {:?}",
                next.outcome, next.error
            ));
        }
        println!("v4 | {name} | {} | {error}", fetch.outcome.as_str());
        if !problems.is_empty() {
            broken.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
