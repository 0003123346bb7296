//! The series Koers knows: what each one counts, in both languages, and where it comes from.
//! The database mirrors this list at every start (`bootstrap`), so pages and the API read one
//! place; uploaded series (a later feature) live only in the database.

use crate::sources::SOURCES;
use domain::{Measure, SeriesId, SeriesMeta, SourceId, Unit};

/// CBS open data licence.
pub const CBS_LICENCE: &str = "CC BY 4.0";
/// Where the CBS licence is explained.
pub const CBS_LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/deed.nl";
/// Eurostat's reuse terms (Commission Decision 2011/833/EU).
pub const EUROSTAT_LICENCE: &str = "© European Union, reuse authorised with acknowledgement";
/// Where the Eurostat terms are explained.
pub const EUROSTAT_LICENCE_URL: &str = "https://commission.europa.eu/legal-notice_en";

struct Def {
    id: &'static str,
    title_nl: &'static str,
    title_en: &'static str,
    description_nl: &'static str,
    description_en: &'static str,
    unit: Unit,
    measure: Measure,
    producer: &'static str,
    table_id: Option<&'static str>,
    source_url: &'static str,
    licence: &'static str,
    licence_url: &'static str,
}

const DEFS: &[Def] = &[
    Def {
        id: "homeless_people_18_65",
        title_nl: "Dakloze mensen (18 tot 65 jaar)",
        title_en: "Homeless people (aged 18 to 65)",
        description_nl: "Geschat aantal dakloze mensen van 18 tot 65 jaar op 1 januari. Het is een schatting: \
            CBS combineert drie registraties (postadres bij een opvang, bijstand zonder adres, reclassering); \
            in 2024 stond ongeveer 30 procent in een registratie en werd ongeveer 70 procent geschat. Mensen \
            zonder geldige verblijfsvergunning tellen niet mee. Breuken in de reeks: 2009 is niet goed \
            vergelijkbaar met 2010-2012; vanaf 2020 geldt een nieuwe bron; over 2019 is niets gepubliceerd. \
            De cijfers zijn niet bedoeld voor regionale schattingen.",
        description_en: "Estimated number of homeless people aged 18 to 65 on 1 January. It is an estimate: \
            CBS combines three registers (a postal address at a shelter, social assistance without an address, \
            probation); in 2024 about 30 percent were in a register and about 70 percent were estimated. People \
            without a valid residence permit are not counted. Breaks in the series: 2009 is not fully comparable \
            with 2010-2012; a new source applies from 2020; nothing was published for 2019. The figures are not \
            meant for regional estimates.",
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "CBS",
        table_id: Some("80799ned"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/80799ned",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "homeless_people_share",
        title_nl: "Dakloze mensen, aandeel per kenmerk",
        title_en: "Homeless people, share by characteristic",
        description_nl: "Aandeel van elke groep (geslacht, leeftijd, herkomst, G4) in het totaal aantal dakloze \
            mensen van 18 tot 65 jaar op 1 januari, in procenten. Zelfde schatting en kanttekeningen als het totaal.",
        description_en: "Share of each group (sex, age, origin, the four largest cities) in all homeless people \
            aged 18 to 65 on 1 January, in percent. Same estimate and caveats as the total.",
        unit: Unit::Percent,
        measure: Measure::Level,
        producer: "CBS",
        table_id: Some("80799ned"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/80799ned",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "new_build_homes",
        title_nl: "Nieuwbouwwoningen",
        title_en: "New-build homes",
        description_nl: "Aantal nieuw gebouwde woningen dat in het jaar aan de woningvoorraad is toegevoegd. \
            Cijfers uit persberichten zijn afgerond; CBS stelt recente jaren nog bij.",
        description_en: "Number of newly built homes added to the housing stock during the year. Figures from \
            press releases are rounded; CBS still revises recent years.",
        unit: Unit::Dwellings,
        measure: Measure::Flow,
        producer: "CBS",
        table_id: Some("82235NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/82235NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "homes_added_total",
        title_nl: "Woningen toegevoegd (nieuwbouw en overige toevoegingen)",
        title_en: "Homes added (new-build and other additions)",
        description_nl: "Nieuwbouw plus overige toevoegingen (transformatie van bijvoorbeeld kantoren en winkels, \
            splitsing) in het jaar: de maat voor het doel van 100.000 woningen per jaar. Over 2023 is geen \
            totaal gepubliceerd; daar telt Koers alleen de nieuwbouw mee, als ondergrens.",
        description_en: "New-build plus other additions (conversion of offices and shops, splitting) during the \
            year: the measure for the aim of 100,000 homes a year. No total was published for 2023; there Koers \
            counts new-build only, as a lower bound.",
        unit: Unit::Dwellings,
        measure: Measure::Flow,
        producer: "CBS",
        table_id: Some("82235NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/82235NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "dwelling_stock_total",
        title_nl: "Woningvoorraad",
        title_en: "Housing stock",
        description_nl: "Aantal woningen in Nederland op 1 januari.",
        description_en: "Number of homes in the Netherlands on 1 January.",
        unit: Unit::Dwellings,
        measure: Measure::Level,
        producer: "CBS",
        table_id: Some("82900NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/82900NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "dwelling_stock_corporations",
        title_nl: "Woningen van woningcorporaties",
        title_en: "Homes owned by housing corporations",
        description_nl: "Aantal woningen in bezit van woningcorporaties op 1 januari: de sociale huursector.",
        description_en: "Number of homes owned by housing corporations on 1 January: the social rented sector.",
        unit: Unit::Dwellings,
        measure: Measure::Level,
        producer: "CBS",
        table_id: Some("82900NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/82900NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "homeless_single_fi",
        title_nl: "Dakloze mensen in Finland",
        title_en: "Homeless people in Finland",
        description_nl: "Telling van ARA op 15 november; telt ook mensen die tijdelijk bij vrienden of familie \
            verblijven. Tot 2018 alle daklozen, daarna alleenstaande daklozen. Nationale definities verschillen: \
            niet direct vergelijkbaar met de Nederlandse cijfers.",
        description_en: "ARA count on 15 November; includes people staying temporarily with friends or family. \
            Up to 2018 all homeless people, later single homeless people. National definitions differ: not \
            directly comparable with the Dutch figures.",
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "ARA (Finland)",
        table_id: None,
        source_url: "https://www.ara.fi/en-US/Materials/Homelessness_reports",
        licence: "source must be cited",
        licence_url: "https://www.ara.fi/en-US/Materials/Homelessness_reports",
    },
    Def {
        id: "homeless_dk",
        title_nl: "Dakloze mensen in Denemarken",
        title_en: "Homeless people in Denmark",
        description_nl: "Telling van VIVE in week 6, elke twee jaar. Nationale definities verschillen: niet \
            direct vergelijkbaar met de Nederlandse cijfers.",
        description_en: "VIVE count in week 6, every two years. National definitions differ: not directly \
            comparable with the Dutch figures.",
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "VIVE (Denmark)",
        table_id: None,
        source_url: "https://www.vive.dk",
        licence: "source must be cited",
        licence_url: "https://www.vive.dk",
    },
    Def {
        id: "permits_by_client",
        title_nl: "Bouwvergunningen voor woningen, naar opdrachtgever",
        title_en: "Building permits for homes, by client",
        description_nl: "Aantal nieuwbouwwoningen waarvoor een bouwvergunning is verleend, in heel Nederland, \
            naar opdrachtgever: woningcorporaties en overheid, marktpartijen (beleggers, ontwikkelaars) en \
            particulieren. Per kwartaal en per jaar, zoals CBS ze publiceert. Een voorlopende indicator: \
            woningen worden meestal een jaar of langer na de vergunning opgeleverd, en niet elke vergunde \
            woning wordt gebouwd. Het meest recente jaar is voorlopig.",
        description_en: "Number of new-build homes for which a building permit was issued, in the whole \
            Netherlands, by client: housing corporations and government, market parties (investors, \
            developers) and private individuals. Per quarter and per year, as CBS publishes them. A leading \
            indicator: homes are usually completed a year or more after the permit, and not every permitted \
            home gets built. The latest year is provisional.",
        unit: Unit::Dwellings,
        measure: Measure::Flow,
        producer: "CBS",
        table_id: Some("83671NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/83671NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "permits_by_tenure",
        title_nl: "Bouwvergunningen voor woningen, naar eigendom (huur/koop)",
        title_en: "Building permits for homes, by tenure (rent/buy)",
        description_nl: "Aantal nieuwbouwwoningen waarvoor een bouwvergunning is verleend, in heel Nederland, \
            naar beoogd eigendom: huurwoningen en koopwoningen. Per kwartaal en per jaar, zoals CBS ze \
            publiceert. Een voorlopende indicator van de oplevering, een jaar of langer later; niet elke \
            vergunde woning wordt gebouwd. Het meest recente jaar is voorlopig.",
        description_en: "Number of new-build homes for which a building permit was issued, in the whole \
            Netherlands, by intended tenure: homes to rent and homes to buy. Per quarter and per year, as CBS \
            publishes them. A leading indicator of completions a year or more later; not every permitted home \
            gets built. The latest year is provisional.",
        unit: Unit::Dwellings,
        measure: Measure::Flow,
        producer: "CBS",
        table_id: Some("83671NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/83671NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "wmo_clients_shelter",
        title_nl: "Wmo-cliënten met opvang of beschermd wonen",
        title_en: "Wmo clients with shelter or protected housing",
        description_nl: "Aantal cliënten in Nederland met een Wmo-maatwerkvoorziening voor verblijf en opvang \
            (maatschappelijke opvang, beschermd wonen) in het jaar. Afgeleid door Koers: alle Wmo-cliënten met \
            een maatwerkvoorziening min de cliënten met een voorziening 'exclusief verblijf en opvang' (CBS \
            86050NED). Wie naast opvang of beschermd wonen nog een andere Wmo-voorziening heeft, valt daardoor \
            weg: het cijfer is een ondergrens. Een cliënt telt één keer per jaar mee. Het meest recente jaar is \
            voorlopig.",
        description_en: "Number of clients in the Netherlands with a Wmo support arrangement for shelter \
            (social relief, protected housing) during the year. Derived by Koers: all Wmo clients with a \
            support arrangement minus the clients with an arrangement 'excluding shelter and accommodation' \
            (CBS 86050NED). Clients who also have another Wmo arrangement drop out, so the figure is a lower \
            bound. A client counts once per year. The latest year is provisional.",
        unit: Unit::Persons,
        measure: Measure::Flow,
        producer: "CBS",
        table_id: Some("86050NED"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/86050NED",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "population_nl",
        title_nl: "Bevolking van Nederland op 1 januari",
        title_en: "Population of the Netherlands on 1 January",
        description_nl: "Aantal inwoners van Nederland op 1 januari (CBS 37296ned, Bevolking; kerncijfers): \
            iedereen die in het bevolkingsregister van een Nederlandse gemeente staat. Mensen die niet \
            legaal in Nederland verblijven en asielzoekers die nog niet zijn ingeschreven, tellen niet mee. \
            Koers gebruikt het om cijfers per 10.000 inwoners te berekenen.",
        description_en: "Number of inhabitants of the Netherlands on 1 January (CBS 37296ned, Population; key \
            figures): everyone registered in the population register of a Dutch municipality. People staying \
            in the Netherlands illegally and asylum seekers not yet registered are not counted. Koers uses it \
            to compute figures per 10,000 inhabitants.",
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "CBS",
        table_id: Some("37296ned"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/37296ned",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "population_nl_20_64",
        title_nl: "Bevolking van 20 tot 65 jaar (20 tot en met 64 jaar) op 1 januari",
        title_en: "Population aged 20 to 64 (20 up to and including 64) on 1 January",
        description_nl: "Aantal inwoners van Nederland van 20 tot 65 jaar, dus 20 tot en met 64 jaar, op \
            1 januari: de CBS-groepen '20 tot 40 jaar' en '40 tot 65 jaar' samen (CBS 37296ned). CBS \
            publiceert in deze tabel geen grens bij 18 jaar; dit is de leeftijdsgroep die het dichtst bij \
            de 18 tot 65 jaar van de daklozentelling ligt, maar mist de 18- en 19-jarigen. Een cijfer per \
            10.000 inwoners van 20 tot en met 64 jaar is daardoor iets hoger dan het per 10.000 inwoners \
            van 18 tot 65 jaar zou zijn.",
        description_en: "Number of inhabitants of the Netherlands aged 20 to 65, that is 20 up to and \
            including 64, on 1 January: the CBS groups '20 to 40' and '40 to 65' added together (CBS \
            37296ned). CBS publishes no boundary at 18 in this table; this is the age band closest to the 18 \
            to 65 of the homelessness count, but it leaves out people aged 18 and 19. A figure per 10,000 \
            inhabitants aged 20 to 64 is therefore slightly higher than it would be per 10,000 inhabitants \
            aged 18 to 65.",
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "CBS",
        table_id: Some("37296ned"),
        source_url: "https://www.cbs.nl/nl-nl/cijfers/detail/37296ned",
        licence: CBS_LICENCE,
        licence_url: CBS_LICENCE_URL,
    },
    Def {
        id: "building_permits_dwellings",
        title_nl: "Bouwvergunningen voor woningen in Europa",
        title_en: "Building permits for dwellings in Europe",
        description_nl: "Aantal woningen in woongebouwen waarvoor een bouwvergunning is verleend, per jaar, \
            voor Nederland, Finland, Denemarken en de Europese Unie (Eurostat sts_cobp_a: BPRM_DW, CPA_F41001, \
            niet gecorrigeerd). Eurostat publiceert in duizendtallen; Koers slaat woningen op. Gedeeld door de \
            bevolking op 1 januari geeft het vergunningen per 1.000 inwoners. Landen tellen vergunningen op \
            hun eigen manier: vergelijk met voorzichtigheid. Eurostat markeert voorlopige (p) en geschatte (e) \
            cijfers en breuken in de reeks (b).",
        description_en: "Number of dwellings in residential buildings for which a building permit was issued, \
            per year, for the Netherlands, Finland, Denmark and the European Union (Eurostat sts_cobp_a: \
            BPRM_DW, CPA_F41001, unadjusted). Eurostat publishes thousands; Koers stores dwellings. Divided by \
            the population on 1 January it gives permits per 1,000 inhabitants. Countries count permits their \
            own way: compare with care. Eurostat marks provisional (p) and estimated (e) figures and breaks in \
            the series (b).",
        unit: Unit::Dwellings,
        measure: Measure::Flow,
        producer: "Eurostat",
        table_id: Some("sts_cobp_a"),
        source_url: "https://ec.europa.eu/eurostat/databrowser/view/sts_cobp_a/default/table?lang=en",
        licence: EUROSTAT_LICENCE,
        licence_url: EUROSTAT_LICENCE_URL,
    },
    Def {
        id: "population_eurostat",
        title_nl: "Bevolking op 1 januari (Eurostat)",
        title_en: "Population on 1 January (Eurostat)",
        description_nl: "Aantal inwoners op 1 januari van Nederland, Finland, Denemarken en de Europese Unie \
            (Eurostat tps00001), om bouwvergunningen per 1.000 inwoners te berekenen. Het meest recente jaar \
            kan voorlopig zijn.",
        description_en: "Number of inhabitants on 1 January of the Netherlands, Finland, Denmark and the \
            European Union (Eurostat tps00001), to compute building permits per 1,000 inhabitants. The latest \
            year may be provisional.",
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "Eurostat",
        table_id: Some("tps00001"),
        source_url: "https://ec.europa.eu/eurostat/databrowser/view/tps00001/default/table?lang=en",
        licence: EUROSTAT_LICENCE,
        licence_url: EUROSTAT_LICENCE_URL,
    },
];

/// Short caveats on how figures are made, per series: (id, Dutch, English). Generated sentences
/// end with them, so a status never hides that its figures are estimates.
const CAVEATS: &[(&str, &str, &str)] = &[(
    "homeless_people_18_65",
    "Dit zijn schattingen voor mensen van 18 tot 65 jaar: ongeveer 70 procent is geschat, niet geteld.",
    "These are estimates for people aged 18 to 65: about 70 percent is estimated, not counted.",
)];

fn caveat(id: &str) -> (String, String) {
    CAVEATS
        .iter()
        .find(|(series, ..)| *series == id)
        .map(|(_, nl, en)| ((*nl).to_owned(), (*en).to_owned()))
        .unwrap_or_default()
}

/// Every series in the catalogue.
pub fn series() -> Vec<SeriesMeta> {
    DEFS.iter()
        .filter_map(|d| {
            Some(SeriesMeta {
                id: SeriesId::parse(d.id).ok()?,
                title_nl: d.title_nl.to_owned(),
                title_en: d.title_en.to_owned(),
                description_nl: squash(d.description_nl),
                description_en: squash(d.description_en),
                unit: d.unit,
                measure: d.measure,
                producer: d.producer.to_owned(),
                table_id: d.table_id.map(str::to_owned),
                source_url: d.source_url.to_owned(),
                licence: d.licence.to_owned(),
                licence_url: d.licence_url.to_owned(),
                source: SOURCES
                    .iter()
                    .find(|s| s.produces(d.id))
                    .and_then(|s| SourceId::parse(s.slug).ok()),
                caveat_nl: caveat(d.id).0,
                caveat_en: caveat(d.id).1,
            })
        })
        .collect()
}

/// One catalogue entry.
pub fn find(id: &SeriesId) -> Option<SeriesMeta> {
    series().into_iter().find(|s| &s.id == id)
}

/// Collapses the whitespace left by line continuations in the texts above.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_has_a_valid_id_and_both_languages() {
        // Arrange / Act
        let all = series();
        // Assert
        assert_eq!(all.len(), DEFS.len(), "an id in DEFS failed to parse");
        for s in &all {
            assert!(!s.title_nl.is_empty() && !s.title_en.is_empty(), "{}", s.id);
            assert!(!s.description_nl.contains("  "), "{}", s.id);
        }
    }

    #[test]
    fn live_series_name_their_source() {
        let homeless = find(&SeriesId::parse("homeless_people_18_65").unwrap()).unwrap();
        assert_eq!(
            homeless.source.map(|s| s.to_string()).as_deref(),
            Some("cbs-homeless")
        );
        let finland = find(&SeriesId::parse("homeless_single_fi").unwrap()).unwrap();
        assert!(finland.source.is_none());
        for (series, source) in [
            ("permits_by_client", "cbs-permits"),
            ("permits_by_tenure", "cbs-permits"),
            ("wmo_clients_shelter", "cbs-wmo"),
            ("building_permits_dwellings", "eurostat-permits"),
            ("population_eurostat", "eurostat-permits"),
        ] {
            let meta = find(&SeriesId::parse(series).unwrap()).unwrap();
            assert_eq!(
                meta.source.map(|s| s.to_string()).as_deref(),
                Some(source),
                "{series}"
            );
        }
    }

    #[test]
    fn the_goal_series_are_in_the_catalogue() {
        for id in [
            "homeless_people_18_65",
            "new_build_homes",
            "homes_added_total",
        ] {
            assert!(find(&SeriesId::parse(id).unwrap()).is_some(), "{id}");
        }
    }
}
