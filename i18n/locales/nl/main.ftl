## Koers, Nederlands. Elke tekst die een gebruiker ziet staat hier en in ../en/main.ftl.

site-name = Koers
site-tagline = Waar staat Nederland op weg naar geen dakloosheid in 2030?
site-description = Koers volgt met open cijfers van het CBS hoe Nederland ervoor staat op weg naar het einde van dakloosheid in 2030 en de bouw van 900.000 woningen.
skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-overview = Overzicht
nav-series = Alle reeksen
nav-about = Over Koers
nav-api = API
language-switch = English
language-switch-label = Read this page in English
footer-data = Cijfers: CBS en andere bronnen per reeks, licentie CC BY 4.0 tenzij anders vermeld.
footer-made = Koers is open source. Cijfers worden dagelijks opgehaald.

## Overzicht
overview-title = Op koers naar 2030?
overview-intro = Twee doelen van de overheid, gemeten met de nieuwste open cijfers: geen dakloosheid in 2030 en 900.000 nieuwe woningen in 2022-2030. Per doel: waar we staan, het pad dat nodig is, en wanneer het doel in het huidige tempo wordt gehaald.
goal-latest = Laatste cijfer
goal-baseline = Nulmeting
goal-target = Doel
goal-status = Status
goal-projection = Verwachting
goal-freshness = Actualiteit
goal-view-series = Bekijk de reeks en grafiek
goal-commitment = Afspraak
goal-pace = Tempo
goal-pace-needed = Nodig vanaf nu
per-year = { $value } per jaar
projection-year = in { $year }
projection-never = nooit, in dit tempo
projection-reached = bereikt
projection-unknown = onbekend
freshness-checked = Bron gecontroleerd op { $date }
freshness-snapshot = Gepubliceerde cijfers, stand { $date }
freshness-never = Nog niet opgehaald
goal-version = Doelversie
goal-version-original = doelversie 1 (oorspronkelijk)
goal-version-changed = doelversie { $version }, gewijzigd { $date }
freshness-uploaded = Handmatig aangeleverde cijfers, opgeslagen op { $date }
lower-bound = ten minste
lower-bound-note = ondergrens: over { $periods } is alleen de nieuwbouw bekend
missing-note = cijfers over { $periods } ontbreken

## Status van een doel
status-reached = Doel bereikt
status-on_track = Op koers
status-needs_acceleration = Versnelling nodig
status-limited_progress = Beperkte voortgang
status-moving_away = Beweegt van het doel af
status-insufficient_data = Te weinig cijfers

## Status van een cijfer
obs-final = definitief
obs-provisional = voorlopig
obs-revised_provisional = nader voorlopig
obs-rounded = afgerond (persbericht)
obs-forecast = verwachting

## Reekspagina
series-list-title = Alle reeksen
series-list-intro = Elke reeks die Koers bijhoudt, met bron en laatste cijfer.
series-chart-heading = Grafiek
series-data-heading = De cijfers
series-about-heading = Over deze cijfers
series-downloads-heading = Downloaden
series-goal-heading = Doel
table-period = Periode
table-value = Waarde
table-status = Status
table-source = Bron
table-caption = { $title }: alle cijfers{ $category }
source-label = Bron
licence-label = Licentie
table-id-label = CBS-tabel
fetched-label = Opgehaald
changed-label = Laatst gewijzigd in Koers
unit-label = Eenheid
unit-persons = personen
unit-dwellings = woningen
unit-percent = procent
range-heading = Periode en uitsplitsing
range-from = Van
range-to = Tot en met
breakdown-label = Uitsplitsing
breakdown-total = Totaal
apply-filters = Toon
download-csv = CSV (cijfers van deze grafiek)
download-csv-all = CSV (hele reeks, alle uitsplitsingen)
download-json = JSON (API)
download-svg = SVG-afbeelding
download-png = PNG-afbeelding
provisional-legend = * voorlopig cijfer, ** nader voorlopig cijfer
no-data = Voor deze keuze zijn er geen cijfers.

## Grafiek
chart-actual = Cijfers
chart-path = Nodig pad naar het doel
chart-projection = In het huidige tempo
chart-target = Doel { $year }: { $value }
chart-source = Bron: { $producer }{ $table }
chart-source-table = , tabel { $table }
chart-licence = Licentie: { $licence }
chart-data-date = Cijfers zoals bekend op { $date }
chart-provisional-note = Open punten: voorlopige cijfers.
chart-made-with = Gemaakt met Koers

## Getallen en datums
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
period-half = { $n }e halfjaar { $year }
period-quarter = { $n }e kwartaal { $year }
period-month = { $month } { $year }

## Zinnen over de voortgang (ook de tekstalternatief van de grafiek)
sentence-latest-level = Op { $date } waren er { $value } { $what }.
sentence-latest-cumulative = Van { $from } tot en met { $to }: { $value } { $what }.
sentence-lower-bound = Over { $periods } is alleen de nieuwbouw bekend; die telt mee als ondergrens.
sentence-missing = Over { $periods } ontbreken cijfers, dus het totaal is een ondergrens.
sentence-path = { $cumulative ->
        [yes] Voor { $target } aan het eind van { $year } is { $pace } per jaar nodig vanaf { $baseline_year }; het totaal ligt { $gap } { $behind ->
            [yes] achter op
           *[no] voor op
        } dat pad.
       *[no] Om { $target } te halen in { $year } moet het aantal vanaf de nulmeting van { $baseline } ({ $baseline_year }) met { $pace } per jaar { $down ->
            [yes] dalen
           *[no] stijgen
        }; het ligt nu { $gap } { $behind ->
            [yes] { $down ->
                [yes] boven
               *[no] onder
            }
           *[no] { $down ->
                [yes] onder
               *[no] boven
            }
        } dat pad.
    }
sentence-pace = { $method ->
        [mean] Gemiddeld { $from }-{ $to } ({ $pace } per jaar)
       *[trend] In het tempo van { $from }-{ $to } ({ $pace } per jaar)
    } { $status ->
        [on_track] is het doel op koers
        [needs_acceleration] is versnelling nodig: dat is { $ratio } procent van het nodige tempo
        [limited_progress] is er beperkte voortgang: { $ratio } procent van het nodige tempo
       *[moving_away] beweegt het cijfer van het doel af
    }{ $projection ->
        [never] , en wordt { $target } in dit tempo nooit gehaald.
        [late] ; in dit tempo wordt { $target } gehaald in { $year }, { $years } jaar na het doel.
        [early] ; in dit tempo wordt { $target } al gehaald in { $year }.
       *[ontime] ; in dit tempo wordt { $target } gehaald in { $year }.
    }
sentence-needed = Om het doel nog te halen is vanaf nu { $pace } per jaar nodig.
sentence-reached = Het doel van { $target } is bereikt.
sentence-insufficient = Er zijn nog te weinig cijfers om een tempo te meten.
sentence-no-data = Er zijn nog geen cijfers voor deze reeks.

## Foutpagina's
error-not-found-title = Pagina niet gevonden
error-not-found-body = Deze pagina bestaat niet (meer). Kies hieronder een pagina of ga naar het overzicht.
error-bad-request-title = Deze keuze kan niet
error-internal-title = Er ging iets mis
error-internal-body = Er ging iets mis bij het maken van deze pagina. Probeer het later opnieuw.
error-back-home = Naar het overzicht
error-unknown-series = Er is geen reeks met de naam { $id }.
error-bad-period = { $value } is geen geldige periode; gebruik bijvoorbeeld 2015.
error-bad-range = Het begin van de periode ligt na het einde.
error-unknown-category = Deze reeks heeft geen uitsplitsing { $value }.

## Reeks zonder doel
sentence-series-summary = { $title }: cijfers van { $from } tot en met { $to }; het laatste cijfer is { $value } ({ $period }).
chart-cumulative-subtitle = { $unit }, opgeteld vanaf { $from }
chart-subtitle = { $unit }{ $category }
chart-permalink = { $url }
chart-updated = Grafiek en tabel zijn bijgewerkt.

## Verandering, breuken en kanttekeningen
sentence-change = { $direction ->
        [up] Dat is { $delta } meer dan op { $previous }.
        [down] Dat is { $delta } minder dan op { $previous }.
       *[same] Dat is evenveel als op { $previous }.
    }
sentence-change-within-margin = Het verschil met { $previous } valt binnen de marges: van een stijging of daling kan niet worden gesproken.
sentence-change-note = Over de verandering sinds { $previous }: { $note }.
sentence-pace-since-break = Het tempo is gemeten vanaf de breuk in de reeks ({ $period }).
sentence-baseline-break = Let op: tussen de nulmeting en het laatste cijfer ligt een breuk in de reeks ({ $period }).

## Vintages, revisies, breuken en beleidsmomenten
error-bad-vintage = { $value } is geen datum; gebruik bijvoorbeeld 2025-06-30.
error-too-many-categories = Kies ten hoogste { $max } uitsplitsingen tegelijk.
vintage-label = Cijfers zoals bekend op
vintage-hint = Leeg laten voor de nieuwste cijfers.
vintage-notice = U ziet de cijfers zoals Koers ze kende op { $date }. Nieuwere cijfers of herzieningen zijn weggelaten.
vintage-latest-link = Bekijk de nieuwste cijfers
revised-mark = herzien
history-heading = Herzieningen
history-intro = Elke waarde die voor een periode is gepubliceerd, met wanneer Koers haar voor het eerst zag en wanneer een nieuwere waarde haar verving.
history-first-seen = Eerst gezien
history-superseded = Vervangen op
history-current = huidig
history-none = Nog geen herzieningen: elke periode heeft één waarde.
events-heading = Beleidsmomenten in de grafiek
breaks-heading = Breuken in de reeks
break-label = breuk
legend-break = // breuk in de reeks
legend-events = Beleidsmomenten (zie lijst)
table-note = Opmerking
chart-bars-axis = Per jaar
chart-bars = Toegevoegd per jaar
chart-band = Marge

## Onderwerppagina's
nav-housing = Woningbouw
nav-groups = Een thuis voor iedereen
nav-countries = Andere landen
topic-more-series = Bekijk de reeks, de cijfers en de herzieningen
topic-not-fetched = Nog geen cijfers: Koers haalt deze reeks op bij { $source } zodra die bereikbaar is.
housing-title = Woningbouw: op weg naar 900.000 woningen
housing-intro = De Nationale Woon- en Bouwagenda (maart 2022) vraagt 900.000 woningen erbij in 2022-2030, vanaf 2024 100.000 per jaar, waarvan twee derde betaalbaar. Hier staat het totaal tot nu toe tegen dat pad, met per jaar de toevoegingen, en de bouwvergunningen die voorspellen wat er de komende jaren bijkomt.
housing-path-heading = Het pad naar 900.000
housing-permits-heading = Vooruitlopende indicator: bouwvergunningen
housing-permits-intro = Een vergunde woning wordt meestal één tot drie jaar later opgeleverd. Vergunningen naar opdrachtgever laten zien hoeveel woningcorporaties (sociale huur), marktpartijen en particulieren gaan bouwen.
housing-permits-tenure-heading = Vergunningen naar eigendom: huur en koop
housing-corporation-share = Aandeel woningcorporaties in de vergunningen
housing-social-heading = Aandeel sociale huur in de woningvoorraad
housing-social-intro = Woningen van woningcorporaties als deel van alle woningen op 1 januari (CBS 82900NED).
housing-social-share = Aandeel corporatiewoningen
table-year = Jaar
groups-title = Een thuis voor iedereen
groups-intro = Het programma Een thuis voor iedereen (Kamerbrief 11 mei 2022) moet mensen die extra kwetsbaar zijn op de woningmarkt aan een woning helpen: mensen die dakloos zijn, die uit een instelling of detentie komen, statushouders en mensen met een sociale of medische urgentie.
groups-promises-heading = Wat het programma belooft
groups-promise-1 = Elke gemeente maakt een woonzorgvisie, regionaal afgestemd; vanaf 2026 als deel van een verplicht volkshuisvestingsprogramma.
groups-promise-2 = Een verplichte urgentieregeling met verplichte categorieën in de huisvestingsverordening.
groups-promise-3 = Een eerlijke verdeling (fair share) van aandachtsgroepen over gemeenten.
groups-promise-4 = Een gezamenlijke monitor van Rijk, VNG, IPO en Aedes.
groups-milestones-heading = Mijlpalen
milestone-when = Wanneer
milestone-what = Mijlpaal
milestone-status = Stand
milestone-note = Toelichting
milestone-done = Gerealiseerd
milestone-in_progress = Loopt
milestone-planned = Gepland
milestone-overdue = Datum verstreken, uitvoering niet bevestigd
groups-wmo-heading = Wmo-cliënten met opvang of beschermd wonen
groups-shelter-heading = Geregistreerde dakloze mensen in nood- en tijdelijke opvang, 2023
groups-shelter-intro = CBS telde voor het eerst per centrumregio hoeveel mensen met een burgerservicenummer in nood- of tijdelijke opvang stonden ingeschreven (36 van de 44 regio's met gegevens). Hieronder de regio's met de hoogste aantallen, afgerond zoals gepubliceerd.
table-region = Regio
table-per-1000 = Per 1.000 inwoners
table-people = Mensen
countries-title = Andere landen
countries-intro = Finland en Denemarken tellen dakloze mensen al jaren op een vaste manier. Hoe verhoudt Nederland zich daartoe, en hoeveel woningen krijgen een bouwvergunning per 1.000 inwoners?
countries-warning = Let op: elk land telt dakloosheid op zijn eigen manier. Finland telt ook mensen die tijdelijk bij vrienden of familie wonen; Denemarken telt in één week per twee jaar; Nederland schat mensen van 18 tot 65 jaar. De cijfers zijn niet direct vergelijkbaar.
countries-homeless-heading = Dakloze mensen: Nederland, Finland en Denemarken
countries-definitions-heading = Definities naast elkaar
table-country = Land
table-latest = Laatste cijfer
table-definition = Definitie en bron
countries-permits-heading = Bouwvergunningen voor woningen per 1.000 inwoners
countries-permits-intro = Vergunde woningen per jaar gedeeld door de bevolking op 1 januari, beide van Eurostat (sts_cobp_a en tps00001).
countries-permits-chart = Bouwvergunningen per 1.000 inwoners
unit-per-1000 = Woningen per 1.000 inwoners
country-NL = Nederland
country-FI = Finland
country-DK = Denemarken
country-EU27_2020 = Europese Unie (27)
milestone-unknown = Niet bekend
related-label = Ook uit deze bron
error-bad-grain = { $value } is geen periodelengte; gebruik year, half_year, quarter of month.
per-10k = { $value } per 10.000 inwoners
countries-sources = Bronnen: CBS (tabel 80799ned), ARA (Finland), VIVE (Denemarken); bevolking: Eurostat

## Toegankelijkheidsverklaring
a11y-nav = Toegankelijkheid
a11y-title = Toegankelijkheidsverklaring
a11y-intro = Koers wil voor iedereen bruikbaar zijn. Wij streven naar de norm voor overheidswebsites: WCAG 2.1 op niveau AA (EN 301 549).
a11y-status-heading = Stand van zaken
a11y-status = Dit is een eigen verklaring. Onze tests (hieronder) vinden geen overtredingen van WCAG 2.1 AA. Een onafhankelijk onderzoek volgens de WCAG-EM-methode is nog niet gedaan; daarom claimen wij nog niet dat Koers volledig voldoet.
a11y-tested-heading = Wat wij testen, en hoe
a11y-tested-1 = Bij elke wijziging controleert axe-core elke pagina, in het Nederlands en het Engels, met en zonder JavaScript, op de regels van WCAG 2.1 A en AA.
a11y-tested-2 = Een test doorloopt de belangrijkste taken alleen met het toetsenbord: de link naar de inhoud, een reeks openen, een periode en een uitsplitsing kiezen, van taal wisselen; bij elke stap moet de focus zichtbaar zijn.
a11y-tested-3 = Elke pagina wordt getoond op 320 pixels breed (400 procent zoom) zonder horizontaal te scrollen, en met de voorkeur voor minder beweging.
a11y-tested-4 = Lighthouse meet de toegankelijkheid en snelheid; de uitkomsten staan in docs/benchmarks.md in de broncode.
a11y-design-heading = Hoe Koers toegankelijk is gemaakt
a11y-design-1 = Elke pagina werkt zonder JavaScript; de bediening bestaat uit gewone formulieren en links.
a11y-design-2 = Elke grafiek heeft een titel en een beschrijving in woorden, en alle cijfers staan ook in een tabel.
a11y-design-3 = Lijnen verschillen niet alleen in kleur maar ook in lijnstijl en vorm van de punten; een status heeft altijd een symbool en woorden.
a11y-design-4 = Koppen, herkenningspunten, een link naar de inhoud, zichtbare focus en voldoende contrast.
a11y-limits-heading = Bekende beperkingen
a11y-limit-1 = Twee kleuren van de uitsplitsingslijnen (oranje en lichtblauw) hebben minder dan 3:1 contrast met wit. De lijnen zijn ook te onderscheiden aan de vorm van de punten, en de cijfers staan in de tabel.
a11y-limit-2 = Namen van categorieën van CBS (zoals leeftijdsgroepen) zijn alleen in het Nederlands beschikbaar, ook op de Engelse pagina's.
a11y-limit-3 = Hoe het veld 'Cijfers zoals bekend op' eruitziet, hangt af van de datumkiezer van uw browser.
a11y-contact-heading = Een probleem melden
a11y-contact = Loopt u tegen een drempel aan? Meld het als issue in het Koers-project; wij reageren binnen vijf werkdagen.
a11y-date = Deze verklaring is opgesteld op 24 november 2026.
display-label = Weergave
display-absolute = Aantallen
display-per-10k = Per 10.000 inwoners
unit-per-10k = Per 10.000 inwoners (alle leeftijden; bevolking op 1 januari, CBS)
error-bad-per = { $value } kan niet; gebruik per=10000 voor cijfers per 10.000 inwoners.
per-capita-unavailable = Voor deze jaren zijn nog geen bevolkingscijfers (CBS 37296ned) opgehaald; kies 'Aantallen' of probeer het later opnieuw.

## Downloaden, insluiten en citeren
share-heading = Downloaden, insluiten en citeren
share-images = Grafiek als afbeelding
share-format = Formaat
share-size-article = Artikel
share-size-square = Vierkant (sociale media)
share-size-small = Klein
share-size-print = Drukwerk (2× scherper)
share-other-language = Dezelfde afbeeldingen in het Engels
share-data = Cijfers
download-metadata = Metadata en definities (datapackage.json)
share-embed = Insluiten in een website
share-embed-live = Live: volgt nieuwe cijfers van CBS.
share-embed-pinned = Vastgezet op { $date }: verandert nooit, en meldt het als er nieuwere cijfers zijn.
share-embed-live-label = Code voor een live grafiek
share-embed-pinned-label = Code voor een vastgezette grafiek
share-cite = Citeren
citation = { $producer } ({ $year }). { $title }{ $table }. Bewerkt en in beeld gebracht door Koers, { $url } (geraadpleegd op { $date }).
citation-table = , tabel { $table }
embed-pinned = Vastgezette grafiek: de cijfers zoals bekend op { $date }.
embed-table = De cijfers in een tabel
embed-view-on-koers = Bekijk op Koers
embed-newer = Er zijn nieuwere cijfers dan deze vastgezette grafiek.
embed-newer-link = Bekijk de actuele cijfers

## API page (/api)
api-nav = API voor ontwikkelaars
api-title = API: de cijfers voor eigen gebruik
api-intro = Alles wat Koers laat zien, is ook beschikbaar voor programma's: de reeksen met elk gepubliceerd cijfer, de doelen met hun voortgang, de databronnen en de grafiekafbeeldingen. U heeft geen sleutel of account nodig. Deze pagina legt elk adres uit, met een voorbeeld dat u kunt kopiëren.
api-basics-heading = Goed om te weten
api-basics-base = Elk adres begint met { $url }. Antwoorden zijn JSON in UTF-8, behalve CSV-bestanden en grafiekafbeeldingen.
api-basics-stable = Adressen onder /api/v1 blijven hetzelfde. We kunnen velden aan een antwoord toevoegen, maar verwijderen of hernoemen er geen. Een wijziging die iets breekt, krijgt een nieuw versienummer (/api/v2).
api-basics-cors = Elke website mag de API vanuit de browser aanroepen: GET-verzoeken staan open voor elke herkomst (CORS).
api-basics-cache = Cijfers veranderen hooguit één keer per dag, na het ophalen bij het CBS. Elk antwoord heeft een ETag: vraag opnieuw met If-None-Match en u krijgt 304 als er niets veranderde. Antwoorden mogen vijf minuten bewaard worden; een weergave vastgezet op een moment in het verleden (vintage) voor altijd. Het tekenen van nieuwe grafieken is per adres beperkt (standaard 120 per minuut); daarboven volgt 429 met Retry-After. Al getekende grafieken tellen niet mee.
api-basics-licence = De cijfers komen van het CBS en Eurostat onder de licentie CC BY 4.0: u mag ze hergebruiken als u de bron noemt, bijvoorbeeld "Bron: CBS, bewerking Koers".
api-basics-openapi = Een beschrijving van elk adres die programma's kunnen lezen, in het formaat OpenAPI 3.1:
api-endpoints-heading = Adressen
api-params-caption = Parameters van { $path }
api-param-name = Parameter
api-param-meaning = Betekenis
api-no-params = Dit adres heeft geen parameters.
api-example-request = Voorbeeldverzoek
api-example-response = Voorbeeldantwoord (ingekort)
api-ep-series-list = Alle reeksen, met naam, eenheid, bron, licentie, hoeveel cijfers Koers heeft, wanneer die het laatst veranderden, en links naar de cijfers, het CSV-bestand, de pagina en de grafiek.
api-ep-series = Eén reeks met haar cijfers. Elk cijfer heeft zijn periode, waarde, status (definitief, voorlopig, ...), de datum waarop Koers het voor het eerst zag (de peildatum) en de bron. Ook de categorieën, trendbreuken en licentie. Zonder parameters: het hoofdcijfer over de hele periode, zoals nu bekend.
api-ep-series-csv = Dezelfde cijfers als CSV-bestand, één regel per cijfer, met eenheid, status, marges, peildatum en bron in kolommen. Opent in een spreadsheet.
api-ep-history = Elke waarde die ooit is gepubliceerd voor één categorie van een reeks: wanneer Koers haar voor het eerst zag en wanneer een nieuwere waarde haar verving. Zo ziet u hoe cijfers zijn bijgesteld.
api-ep-goals = Elk doel met zijn beginpunt en doelwaarde, het tempo dat nodig is, het recente tempo, de status (op koers, versnelling nodig, ...), het jaar waarin het doel in dit tempo wordt gehaald, en de zin die de site toont.
api-ep-sources = Elke databron met haar tabel, ophaalschema en de uitkomst van de laatste tien keer ophalen.
api-ep-chart = De grafiek van een reeks als afbeelding (SVG of PNG) voor een artikel, met titel, bron, licentie en datum erin getekend. Het adres eindigt op het id van de reeks en .svg of .png.
api-ep-openapi = De beschrijving van deze API in het formaat OpenAPI 3.1, voor programma's die code of documentatie maken.
api-param-id = De reeks, bijvoorbeeld homeless_people_18_65. De lijst met reeksen geeft elk id.
api-param-file = Het id van de reeks, gevolgd door .svg of .png.
api-param-from = Eerste jaar, bijvoorbeeld 2015.
api-param-to = Laatste jaar, bijvoorbeeld 2024.
api-param-category = Een categorie van de uitsplitsing, bijvoorbeeld 3000; herhaal voor meer (hooguit 8). Het antwoord noemt de categorieën van een reeks. Standaard: totaal (total).
api-param-history-category = De categorie van de uitsplitsing. Standaard: totaal (total).
api-param-vintage = Een datum (JJJJ-MM-DD) of een moment (zoals 2026-11-24T21:05:00Z): de cijfers zoals ze toen bekend waren; latere cijfers en bijstellingen blijven weg. Een weergave vastgezet op een moment in het verleden verandert nooit.
api-param-grain = Alleen perioden van één lengte: year, half_year, quarter, month, school_year of day.
api-param-per = 10000: waarden per 10.000 inwoners (voor reeksen die mensen tellen).
api-param-all = true: elke categorie en status, ook verwachtingen.
api-param-lang = Taal van foutmeldingen: nl of en (standaard en).
api-param-chart-lang = Taal van de teksten in de afbeelding: nl (standaard) of en.
api-param-period = Alleen deze periode, bijvoorbeeld 2022.
api-param-width = Breedte in pixels, 200 tot 4000 (standaard 1200).
api-param-height = Hoogte in pixels, 200 tot 4000 (standaard 675).
api-param-scale = Alleen PNG: pixeldichtheid 1 tot 4, voor scherpe beelden op schermen met hoge resolutie (standaard 1).
api-errors-heading = Fouten
api-errors-intro = Als er iets misgaat, is het antwoord JSON met een code voor programma's en een melding voor mensen, en zegt de HTTP-status om wat voor fout het gaat:
api-error-status = HTTP-status
api-error-code = Code
api-error-when = Wanneer
api-error-400 = Een parameter is niet geldig, bijvoorbeeld een jaar dat geen jaar is. De melding zegt wat u moet veranderen.
api-error-404 = Het adres, de reeks of de categorie bestaat niet.
api-error-405 = Het adres bestaat, maar beantwoordt alleen GET.
api-ep-datapackage = De beschrijving van de cijfers van een weergave als Data Package (Frictionless): titel, definitie, eenheid, bron met tabel, licentie, peildatum (vintage), trendbreuken, de bronvermelding om over te nemen, en de CSV-bestanden van de weergave en van de hele reeks met elke kolom uitgelegd.
api-ep-embed = Een grafiek om in te sluiten in een artikel: een kale pagina voor een iframe, met titel, grafiek, de cijfers in een tabel, bron en licentie. Met /embed.js op uw pagina krijgt het iframe vanzelf de hoogte van de inhoud. Zonder vintage volgt hij nieuwe cijfers; met vintage op een moment staat hij vast, verandert nooit en meldt het als er nieuwere cijfers zijn. Het voorbeeld is de code om te plakken.
api-param-package-lang = Taal van titels, bronvermelding en foutmeldingen: nl of en (standaard en).
api-param-embed-lang = Taal van de pagina: nl (standaard) of en.
api-error-429 = Te veel nieuwe grafieken getekend vanaf uw adres. Wacht het aantal seconden uit de header Retry-After.
api-error-500 = Er ging iets mis aan onze kant. Probeer het later opnieuw.
