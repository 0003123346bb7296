//! Realistic test data: Dutch homelessness (people aged 18-65, 1 January, CBS) with the goal
//! "0 in 2030" from the 2023 baseline, the same with its series break and policy moments,
//! the 900,000 homes path with yearly bars, and eight breakdown lines. Shared by the unit
//! tests and the examples.

use super::{
    Band, BandPoint, Bar, BreakMarker, ChartPoint, ChartSpec, EventMarker, Line, LineKind,
    TargetMarker,
};

fn pt(t: f64, value: f64, provisional: bool) -> ChartPoint {
    ChartPoint {
        t,
        value,
        provisional,
        revised: false,
    }
}

/// The CBS series (2019 missing: series break; 2020 and 2021 provisional), the straight
/// required path 2023 → 2030, the projection at the 2023-2024 pace and the target.
pub fn dutch_spec(thousands_separator: char) -> ChartSpec {
    let before: [(f64, f64); 10] = [
        (2009.0, 17_800.0),
        (2010.0, 23_300.0),
        (2011.0, 24_400.0),
        (2012.0, 27_300.0),
        (2013.0, 24_800.0),
        (2014.0, 26_900.0),
        (2015.0, 31_000.0),
        (2016.0, 30_500.0),
        (2017.0, 34_500.0),
        (2018.0, 39_300.0),
    ];
    let after = [
        pt(2020.0, 36_400.0, true),
        pt(2021.0, 32_000.0, true),
        pt(2022.0, 26_600.0, false),
        pt(2023.0, 30_600.0, false),
        pt(2024.0, 33_000.0, false),
    ];
    let label = "Dakloze mensen (CBS)".to_owned();
    ChartSpec {
        title: "Dakloosheid: 33.000 mensen op 1 januari 2024, doel is 0 in 2030".into(),
        subtitle: "Aantal dakloze mensen van 18 tot 65 jaar op 1 januari".into(),
        lines: vec![
            Line {
                label: label.clone(),
                kind: LineKind::Actual,
                points: before.iter().map(|(t, v)| pt(*t, *v, false)).collect(),
            },
            Line {
                label,
                kind: LineKind::Actual,
                points: after.to_vec(),
            },
            Line {
                label: "Nodig voor het doel".into(),
                kind: LineKind::RequiredPath,
                points: vec![pt(2023.0, 30_600.0, false), pt(2030.0, 0.0, false)],
            },
            Line {
                label: "Bij het huidige tempo".into(),
                kind: LineKind::Projection,
                points: vec![pt(2024.0, 33_000.0, false), pt(2030.0, 47_400.0, false)],
            },
        ],
        target: Some(TargetMarker {
            t: 2030.0,
            value: 0.0,
            label: "Doel 2030: 0".into(),
        }),
        x_range: None,
        y_from_zero: true,
        footer: vec![
            "Bron: CBS, tabel 80799ned (dakloze personen van 18 tot 65 jaar, 1 januari)".into(),
            "Licentie: CC BY 4.0 · Gegevens van 24 november 2026".into(),
            "https://koers.example.nl/nl/doelen/dakloosheid-2030?reeks=cbs-80799ned".into(),
            "* 2020 en 2021: voorlopig cijfer (open rondje). 2019 ontbreekt: breuk in de reeks."
                .into(),
        ],
        thousands_separator,
        alt_title: "Dakloosheid in Nederland 2009-2024 en het doel voor 2030".into(),
        alt_description: "Het aantal dakloze mensen steeg van 17.800 in 2009 naar 39.300 in \
            2018 en was 33.000 op 1 januari 2024. Om in 2030 op 0 uit te komen moet het \
            vanaf 2023 elk jaar met ongeveer 4.400 dalen."
            .into(),
        ..ChartSpec::default()
    }
}

/// [`dutch_spec`] told in full: the 2018|2020 break marked, the policy moments of 2022 and
/// the woonzorgvisie date (1 January 2026) as numbered events, 2023 revised.
pub fn story_spec() -> ChartSpec {
    let mut spec = dutch_spec('.');
    for point in spec.lines.iter_mut().flat_map(|l| l.points.iter_mut()) {
        point.revised = point.t == 2023.0;
    }
    spec.breaks = vec![BreakMarker {
        t: 2019.0,
        label: "breuk".into(),
    }];
    spec.events = [2022.17, 2022.37, 2022.93, 2026.0]
        .iter()
        .enumerate()
        .map(|(i, t)| EventMarker {
            t: *t,
            label: (i + 1).to_string(),
        })
        .collect();
    spec.legend_break = Some("Breuk in de reeks".into());
    spec.legend_events = Some("Beleidsmomenten (zie lijst)".into());
    spec.footer[3] = "* 2020 en 2021: voorlopig cijfer (open rondje); 2023 herzien (ring). \
        2019 ontbreekt: breuk in de reeks."
        .into();
    spec
}

/// [`story_spec`] with an illustrative margin of ±8 % around the figures after the break.
pub fn band_spec() -> ChartSpec {
    let mut spec = story_spec();
    spec.bands = vec![Band {
        label: "Marge (illustratief)".into(),
        points: spec.lines[1]
            .points
            .iter()
            .map(|p| BandPoint {
                t: p.t,
                lower: 0.92 * p.value,
                upper: 1.08 * p.value,
            })
            .collect(),
    }];
    spec
}

/// The housing goal: homes added since 2021 (cumulative, 2023 a lower bound) against the
/// straight path to 900,000 in 2030, with the yearly additions as bars on their own axis.
pub fn housing_spec() -> ChartSpec {
    let cumulative = [
        (2021.0, 0.0, false),
        (2022.0, 90_000.0, false),
        (2023.0, 163_300.0, true),
        (2024.0, 245_700.0, true),
    ];
    let bar = |t: f64, value: f64, hollow: bool| Bar {
        t,
        value,
        label: "Erbij per jaar (rechteras)".into(),
        hollow,
    };
    ChartSpec {
        title: "Woningbouw: 245.700 woningen erbij sinds 2021, doel 900.000 in 2030".into(),
        subtitle: "Woningvoorraad, toevoegingen sinds 1 januari 2022 (cumulatief)".into(),
        lines: vec![
            Line {
                label: "Erbij sinds 2021 (cumulatief)".into(),
                kind: LineKind::Actual,
                points: cumulative
                    .iter()
                    .map(|(t, v, p)| ChartPoint {
                        t: *t,
                        value: *v,
                        provisional: *p,
                        revised: false,
                    })
                    .collect(),
            },
            Line {
                label: "Nodig voor het doel".into(),
                kind: LineKind::RequiredPath,
                points: vec![pt(2021.0, 0.0, false), pt(2030.0, 900_000.0, false)],
            },
        ],
        target: Some(TargetMarker {
            t: 2030.0,
            value: 900_000.0,
            label: "Doel 2030: 900.000".into(),
        }),
        y_from_zero: true,
        footer: vec![
            "Bron: CBS, tabellen 81955NED en 86098NED".into(),
            "Licentie: CC BY 4.0 · Gegevens van 24 november 2026".into(),
            "Open staaf: ondergrens (2023 nog niet volledig).".into(),
        ],
        thousands_separator: '.',
        alt_title: "Woningbouw 2022-2024 en het doel van 900.000 woningen in 2030".into(),
        alt_description: "Sinds 2021 kwamen er 245.700 woningen bij: 90.000 in 2022, minstens \
            73.300 in 2023 en 82.400 in 2024. Voor 900.000 in 2030 zijn er 100.000 per jaar nodig."
            .into(),
        bars: vec![
            bar(2022.0, 90_000.0, false),
            bar(2023.0, 73_300.0, true),
            bar(2024.0, 82_400.0, false),
        ],
        bars_axis: Some("Woningen per jaar".into()),
        ..ChartSpec::default()
    }
}

/// Eight breakdown lines with labels of about 30 characters (2019 missing).
pub fn breakdown_spec() -> ChartSpec {
    let labels = [
        "Met Nederlandse achtergrond",
        "Met westerse migratieachtergrond",
        "Met niet-westerse achtergrond",
        "Mannen van 18 tot 30 jaar oud",
        "Vrouwen van 18 tot 30 jaar oud",
        "In de vier grote gemeenten (G4)",
        "Buiten de vier grote gemeenten",
        "Leeftijd onbekend of niet vermeld",
    ];
    let mut spec = dutch_spec('.');
    spec.title = "Dakloosheid naar persoonskenmerken".into();
    spec.subtitle = "Dakloze mensen van 18 tot 65 jaar op 1 januari".into();
    spec.target = None;
    spec.lines = labels
        .iter()
        .zip(0u8..)
        .flat_map(|(label, i)| {
            let value = move |y: i32| {
                800.0
                    + 900.0 * f64::from(i)
                    + 160.0 * f64::from(y - 2009) * (1.0 + f64::from(i % 3))
            };
            [2009..=2018, 2020..=2024].map(|years| Line {
                label: (*label).to_owned(),
                kind: LineKind::Breakdown(i),
                points: years
                    .map(|y| pt(f64::from(y), value(y), y >= 2023))
                    .collect(),
            })
        })
        .collect();
    spec.footer.truncate(2);
    spec.footer
        .push("2019 ontbreekt: breuk in de reeks. 2023 en 2024: voorlopig.".into());
    spec.breaks = vec![BreakMarker {
        t: 2019.0,
        label: "breuk".into(),
    }];
    spec
}
