//! Eurostat's statistics API (JSON-stat 2.0): the URL of a filtered dataset, a client that reads
//! it through the shared [`Http`] client, and what Eurostat's flags and period codes mean.
//!
//! A request is `{base}/data/{dataset}?format=JSON&lang=EN&{dim}={code}&...`; the answer is one
//! JSON-stat document (read by [`crate::jsonstat`]) whose `updated` says when the data last
//! changed. Eurostat keeps no past versions, so Koers keeps its own vintages.

use crate::http::{Http, RequestObserver};
use crate::jsonstat::{self, Dataset};
use anyhow::Context;
use domain::{ObservationStatus, ParsePeriodError, Period};
use url::Url;

/// Eurostat's database page of a dataset, stored with each figure.
pub fn dataset_page(dataset: &str) -> String {
    format!("https://ec.europa.eu/eurostat/databrowser/view/{dataset}/default/table?lang=en")
}

/// Reads a Eurostat time code: annual `2024`, quarterly `2024-Q1`, monthly `2024-01`,
/// half-yearly `2024-S1`, daily `2024-01-15`.
pub fn parse_period(code: &str) -> Result<Period, ParsePeriodError> {
    // Eurostat writes half-years as semesters; Koers's canonical form says H.
    Period::parse(&code.trim().replacen("-S", "-H", 1))
}

/// What the flags of one value say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flags {
    /// The figure's status (`p` provisional, `e`/`s` estimated, `f` forecast; final otherwise).
    pub status: ObservationStatus,
    /// `b`: the series breaks at this period.
    pub breaks: bool,
    /// `c` confidential, `z` not applicable, `:` not available: no figure to store.
    pub withheld: bool,
    /// The flags in words, for the figure's note (empty when there are none).
    pub meaning: Vec<&'static str>,
}

/// A flag Eurostat does not document: Koers refuses to guess what it means.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown Eurostat flag {0:?} (known: b, c, d, e, f, n, p, r, s, u, z and \":\"); \
     review the flag list before storing these figures"
)]
pub struct UnknownFlag(pub char);

/// Reads a Eurostat status, one letter per flag (`p`, `e`, `b`, `ep`, `:`). Estimated wins over
/// provisional; a forecast over both.
pub fn read_flags(status: Option<&str>) -> Result<Flags, UnknownFlag> {
    let mut flags = Flags {
        status: ObservationStatus::Final,
        breaks: false,
        withheld: false,
        meaning: Vec::new(),
    };
    let rank = |s: ObservationStatus| match s {
        ObservationStatus::Forecast => 3,
        ObservationStatus::Estimated => 2,
        ObservationStatus::Provisional => 1,
        _ => 0,
    };
    for flag in status.unwrap_or("").chars().filter(|c| !c.is_whitespace()) {
        let (meaning, status) = match flag {
            'b' => {
                flags.breaks = true;
                ("break in time series", None)
            }
            'c' | 'z' | ':' => {
                flags.withheld = true;
                (
                    match flag {
                        'c' => "confidential",
                        'z' => "not applicable",
                        _ => "not available",
                    },
                    None,
                )
            }
            'd' => ("definition differs", None),
            'e' => ("estimated", Some(ObservationStatus::Estimated)),
            'f' => ("forecast", Some(ObservationStatus::Forecast)),
            'n' => ("not significant", None),
            'p' => ("provisional", Some(ObservationStatus::Provisional)),
            'r' => ("revised", None),
            's' => ("Eurostat estimate", Some(ObservationStatus::Estimated)),
            'u' => ("low reliability", None),
            other => return Err(UnknownFlag(other)),
        };
        if let Some(s) = status.filter(|s| rank(*s) > rank(flags.status)) {
            flags.status = s;
        }
        if !flags.meaning.contains(&meaning) {
            flags.meaning.push(meaning);
        }
    }
    Ok(flags)
}

/// One dataset as read: the URL, the raw body and the parsed cube.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL requested.
    pub url: String,
    /// `ETag`, when sent.
    pub etag: Option<String>,
    /// The raw body (for the checksum).
    pub body: Vec<u8>,
    /// The parsed dataset.
    pub dataset: Dataset,
}

/// Reads Eurostat datasets through the shared [`Http`] client.
#[derive(Debug, Clone)]
pub struct EurostatClient {
    http: Http,
    base: Url,
}

impl EurostatClient {
    /// A client for the statistics API base (`…/dissemination/statistics/1.0`, or a test server).
    pub fn new(http: Http, base_url: &str) -> anyhow::Result<Self> {
        let base = Url::parse(base_url.trim_end_matches('/'))
            .with_context(|| format!("EUROSTAT_API_URL {base_url:?} is not a URL"))?;
        Ok(Self {
            http: http.for_upstream("Eurostat"),
            base,
        })
    }

    /// `{base}/data/{dataset}?format=JSON&lang=EN&{dim}={code}&...`.
    pub fn data_url(&self, dataset: &str, query: &[(&str, &str)]) -> String {
        let mut url = format!(
            "{}/data/{dataset}?format=JSON&lang=EN",
            self.base.as_str().trim_end_matches('/')
        );
        for (dim, code) in query {
            url.push('&');
            url.extend(url::form_urlencoded::byte_serialize(dim.as_bytes()));
            url.push('=');
            url.extend(url::form_urlencoded::byte_serialize(code.as_bytes()));
        }
        url
    }

    /// Reads and parses one dataset.
    pub async fn dataset(
        &self,
        dataset: &str,
        query: &[(&str, &str)],
        observer: &dyn RequestObserver,
    ) -> anyhow::Result<Fetched> {
        let url = self.data_url(dataset, query);
        let response = self.http.get_json(&url, observer).await?;
        let parsed = jsonstat::parse(&response.body).with_context(|| format!("reading {url}"))?;
        Ok(Fetched {
            url,
            etag: response.etag,
            body: response.body,
            dataset: parsed,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;

    #[test]
    fn each_flag_has_its_meaning() {
        // Arrange / Act / Assert
        let f = |s: &str| read_flags(Some(s)).unwrap();
        assert_eq!(f("p").status, ObservationStatus::Provisional);
        assert_eq!(f("e").status, ObservationStatus::Estimated);
        assert_eq!(f("s").status, ObservationStatus::Estimated);
        assert_eq!(f("f").status, ObservationStatus::Forecast);
        assert_eq!(
            f("ep").status,
            ObservationStatus::Estimated,
            "estimated wins"
        );
        assert_eq!(f("pe").status, ObservationStatus::Estimated);
        let b = f("b");
        assert!(b.breaks && !b.withheld);
        assert_eq!(b.status, ObservationStatus::Final);
        assert_eq!(f("bp").meaning, ["break in time series", "provisional"]);
        for withheld in ["c", ":", "z"] {
            assert!(f(withheld).withheld, "{withheld}");
        }
        for plain in ["d", "n", "r", "u", ""] {
            let flags = f(plain);
            assert_eq!(
                (flags.status, flags.breaks, flags.withheld),
                (ObservationStatus::Final, false, false),
                "{plain}"
            );
        }
        assert_eq!(read_flags(None).unwrap().meaning, Vec::<&str>::new());
    }

    #[test]
    fn an_unknown_flag_is_an_error_naming_it() {
        let err = read_flags(Some("px")).unwrap_err();
        assert_eq!(err, UnknownFlag('x'));
        assert!(
            err.to_string().starts_with("unknown Eurostat flag 'x'"),
            "{err}"
        );
    }

    #[test]
    fn eurostat_time_codes_become_periods() {
        assert_eq!(parse_period("2024"), Ok(Period::Year(2024)));
        assert_eq!(parse_period("2024-Q1"), Ok(Period::Quarter(2024, 1)));
        assert_eq!(parse_period("2024-01"), Ok(Period::Month(2024, 1)));
        assert_eq!(parse_period("2024-S2"), Ok(Period::HalfYear(2024, 2)));
        assert!(parse_period("2024-W01").is_err());
        assert!(parse_period("2024-Q5").is_err());
        assert!(parse_period("").is_err());
    }

    #[test]
    fn the_url_carries_format_language_and_every_filter() {
        let http = Http::new(&crate::JobsConfig::default()).unwrap();
        let client = EurostatClient::new(http, "https://example.test/statistics/1.0/").unwrap();
        assert_eq!(
            client.data_url(
                "sts_cobp_a",
                &[("indic_bt", "BPRM_DW"), ("geo", "NL"), ("geo", "EU27_2020")]
            ),
            "https://example.test/statistics/1.0/data/sts_cobp_a?format=JSON&lang=EN\
             &indic_bt=BPRM_DW&geo=NL&geo=EU27_2020"
        );
    }

    proptest::proptest! {
        #[test]
        fn flags_and_periods_never_panic(text in "\\PC{0,12}") {
            let _ = read_flags(Some(&text));
            let _ = parse_period(&text);
        }

        #[test]
        fn eurostat_time_codes_read_as_the_period_they_name(
            year in 1900i32..2100, index in 1u8..13, kind in 0usize..5,
        ) {
            let (code, period) = match kind {
                0 => (format!("{year}"), Period::Year(year)),
                1 => (format!("{year}-Q{}", (index - 1) % 4 + 1), Period::Quarter(year, (index - 1) % 4 + 1)),
                2 => (format!("{year}-{index:02}"), Period::Month(year, index)),
                3 => (format!("{year}-S{}", (index - 1) % 2 + 1), Period::HalfYear(year, (index - 1) % 2 + 1)),
                _ => (format!("{year}-{index:02}-15"), Period::parse(&format!("{year}-{index:02}-15")).unwrap()),
            };
            proptest::prop_assert_eq!(parse_period(&code), Ok(period));
        }
    }
}
