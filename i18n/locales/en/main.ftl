## Koers, English. Every text a user sees is here and in ../nl/main.ftl.

site-name = Koers
site-tagline = Where does the Netherlands stand on the road to no homelessness in 2030?
site-description = Koers uses open CBS statistics to show how the Netherlands is doing on the road to ending homelessness by 2030 and building 900,000 homes.
skip-to-content = Skip to content
nav-label = Main menu
nav-overview = Overview
nav-series = All series
nav-about = About Koers
nav-api = API
language-switch = Nederlands
language-switch-label = Lees deze pagina in het Nederlands
footer-data = Figures: CBS and other sources per series, licence CC BY 4.0 unless stated otherwise.
footer-made = Koers is open source. Figures are fetched daily.

## Overview
overview-title = On course for 2030?
overview-intro = Two government goals, measured with the latest open figures: no homelessness in 2030 and 900,000 new homes in 2022-2030. For each goal: where we stand, the path required, and when the goal is reached at the current pace.
goal-latest = Latest figure
goal-baseline = Baseline
goal-target = Target
goal-status = Status
goal-projection = Projection
goal-freshness = Freshness
goal-view-series = View the series and chart
goal-commitment = Commitment
goal-pace = Pace
goal-pace-needed = Needed from now on
per-year = { $value } a year
projection-year = in { $year }
projection-never = never, at this pace
projection-reached = reached
projection-unknown = unknown
freshness-checked = Source checked on { $date }
freshness-snapshot = Published figures, as of { $date }
freshness-never = Not fetched yet
goal-version = Target version
goal-version-original = target version 1 (original)
goal-version-changed = target version { $version }, changed { $date }
freshness-uploaded = Figures uploaded by hand, stored on { $date }
lower-bound = at least
lower-bound-note = lower bound: only new-build is known for { $periods }
missing-note = figures for { $periods } are missing

## Goal status
status-reached = Goal reached
status-on_track = On track
status-needs_acceleration = Needs acceleration
status-limited_progress = Limited progress
status-moving_away = Moving away from the goal
status-insufficient_data = Not enough figures

## Figure status
obs-final = final
obs-provisional = provisional
obs-revised_provisional = revised provisional
obs-rounded = rounded (press release)
obs-forecast = forecast

## Series page
series-list-title = All series
series-list-intro = Every series Koers tracks, with its source and latest figure.
series-chart-heading = Chart
series-data-heading = The figures
series-about-heading = About these figures
series-downloads-heading = Download
series-goal-heading = Goal
table-period = Period
table-value = Value
table-status = Status
table-source = Source
table-caption = { $title }: all figures{ $category }
source-label = Source
licence-label = Licence
table-id-label = CBS table
fetched-label = Fetched
changed-label = Last changed in Koers
unit-label = Unit
unit-persons = people
unit-dwellings = homes
unit-percent = percent
range-heading = Period and breakdown
range-from = From
range-to = To
breakdown-label = Breakdown
breakdown-total = Total
apply-filters = Show
download-csv = CSV (figures in this chart)
download-csv-all = CSV (whole series, all breakdowns)
download-json = JSON (API)
download-svg = SVG image
download-png = PNG image
provisional-legend = * provisional figure, ** revised provisional figure
no-data = There are no figures for this choice.

## Chart
chart-actual = Figures
chart-path = Path required to the goal
chart-projection = At the current pace
chart-target = Target { $year }: { $value }
chart-source = Source: { $producer }{ $table }
chart-source-table = , table { $table }
chart-licence = Licence: { $licence }
chart-data-date = Figures as known on { $date }
chart-provisional-note = Open markers: provisional figures.
chart-made-with = Made with Koers

## Numbers and dates
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
period-half = H{ $n } { $year }
period-quarter = Q{ $n } { $year }
period-month = { $month } { $year }

## Progress sentences (also the chart's text alternative)
sentence-latest-level = On { $date } there were { $value } { $what }.
sentence-latest-cumulative = From { $from } to { $to }: { $value } { $what }.
sentence-lower-bound = For { $periods } only new-build is known; it counts as a lower bound.
sentence-missing = Figures for { $periods } are missing, so the total is a lower bound.
sentence-path = { $cumulative ->
        [yes] Reaching { $target } by the end of { $year } takes { $pace } a year from { $baseline_year } on; the total is { $gap } { $behind ->
            [yes] behind
           *[no] ahead of
        } that path.
       *[no] Reaching { $target } in { $year } takes a { $down ->
            [yes] fall
           *[no] rise
        } of { $pace } a year from the { $baseline_year } baseline of { $baseline }; the figure is now { $gap } { $behind ->
            [yes] { $down ->
                [yes] above
               *[no] below
            }
           *[no] { $down ->
                [yes] below
               *[no] above
            }
        } that path.
    }
sentence-pace = { $method ->
        [mean] At the { $from }-{ $to } average ({ $pace } a year)
       *[trend] At the pace of { $from }-{ $to } ({ $pace } a year)
    } { $status ->
        [on_track] the goal is on track
        [needs_acceleration] it needs to speed up: that is { $ratio } percent of the pace required
        [limited_progress] progress is limited: { $ratio } percent of the pace required
       *[moving_away] the figure is moving away from the goal
    }{ $projection ->
        [never] , and { $target } would never be reached at this pace.
        [late] ; at this pace { $target } would be reached in { $year }, { $years } years after the goal.
        [early] ; at this pace { $target } would be reached as early as { $year }.
       *[ontime] ; at this pace { $target } would be reached in { $year }.
    }
sentence-needed = To still reach the goal, { $pace } a year is needed from now on.
sentence-reached = The goal of { $target } has been reached.
sentence-insufficient = There are too few figures yet to measure a pace.
sentence-no-data = There are no figures for this series yet.

## Error pages
error-not-found-title = Page not found
error-not-found-body = This page does not exist (any more). Choose a page below or go to the overview.
error-bad-request-title = This choice is not possible
error-internal-title = Something went wrong
error-internal-body = Something went wrong while making this page. Please try again later.
error-back-home = Go to the overview
error-unknown-series = There is no series called { $id }.
error-bad-period = { $value } is not a valid period; use for example 2015.
error-bad-range = The start of the period is after its end.
error-unknown-category = This series has no breakdown { $value }.

## Series without a goal
sentence-series-summary = { $title }: figures from { $from } to { $to }; the latest figure is { $value } ({ $period }).
chart-cumulative-subtitle = { $unit }, added up from { $from }
chart-subtitle = { $unit }{ $category }
chart-permalink = { $url }
chart-updated = The chart and table have been updated.

## Change, breaks and caveats
sentence-change = { $direction ->
        [up] That is { $delta } more than on { $previous }.
        [down] That is { $delta } fewer than on { $previous }.
       *[same] That is as many as on { $previous }.
    }
sentence-change-within-margin = The difference from { $previous } is within the margins: it cannot be called a rise or a fall.
sentence-change-note = On the change since { $previous }: { $note }.
sentence-pace-since-break = The pace is measured from the break in the series ({ $period }) on.
sentence-baseline-break = Note: the series has a break between the baseline and the latest figure ({ $period }).

## Vintages, revisions, breaks and policy events
error-bad-vintage = { $value } is not a date; use for example 2025-06-30.
error-too-many-categories = Choose at most { $max } breakdowns at a time.
vintage-label = Figures as known on
vintage-hint = Leave empty for the latest figures.
vintage-notice = You are seeing the figures as Koers knew them on { $date }. Newer figures and revisions are left out.
vintage-latest-link = See the latest figures
revised-mark = revised
history-heading = Revisions
history-intro = Every value published for a period, with when Koers first saw it and when a newer value replaced it.
history-first-seen = First seen
history-superseded = Replaced on
history-current = current
history-none = No revisions yet: every period has one value.
events-heading = Policy events in the chart
breaks-heading = Breaks in the series
break-label = break
legend-break = // break in the series
legend-events = Policy events (see list)
table-note = Note
chart-bars-axis = Per year
chart-bars = Added per year
chart-band = Margin

## Topic pages
nav-housing = Housing
nav-groups = A home for everyone
nav-countries = Other countries
topic-more-series = See the series, the figures and the revisions
topic-not-fetched = No figures yet: Koers fetches this series from { $source } as soon as it can reach it.
housing-title = Housing: on the way to 900,000 homes
housing-intro = The National Housing and Construction Agenda (March 2022) asks for 900,000 more homes in 2022-2030, 100,000 a year from 2024, two-thirds of them affordable. Here is the total so far against that path, the additions per year, and the building permits that predict what comes in the years ahead.
housing-path-heading = The path to 900,000
housing-permits-heading = Leading indicator: building permits
housing-permits-intro = A home with a permit is usually completed one to three years later. Permits by client show how much housing corporations (social rent), market parties and private persons are going to build.
housing-permits-tenure-heading = Permits by tenure: rent and buy
housing-corporation-share = Share of housing corporations in the permits
housing-social-heading = Share of social rent in the housing stock
housing-social-intro = Homes owned by housing corporations as a share of all homes on 1 January (CBS 82900NED).
housing-social-share = Share of corporation homes
table-year = Year
groups-title = A home for everyone
groups-intro = The programme A home for everyone (letter to parliament, 11 May 2022) is to help people who are extra vulnerable on the housing market into a home: people who are homeless, leaving an institution or detention, refugees with a residence permit, and people with a social or medical urgency.
groups-promises-heading = What the programme promises
groups-promise-1 = Every municipality makes a housing-and-care vision, regionally aligned; from 2026 as part of a mandatory housing programme.
groups-promise-2 = A mandatory urgency scheme with mandatory categories in the housing bylaw.
groups-promise-3 = A fair share of vulnerable groups across municipalities.
groups-promise-4 = A joint monitor by central government, VNG, IPO and Aedes.
groups-milestones-heading = Milestones
milestone-when = When
milestone-what = Milestone
milestone-status = Status
milestone-note = Explanation
milestone-done = Done
milestone-in_progress = In progress
milestone-planned = Planned
milestone-overdue = Date passed, delivery not confirmed
groups-wmo-heading = Wmo clients with shelter or protected housing
groups-shelter-heading = Registered homeless people in emergency and temporary shelter, 2023
groups-shelter-intro = For the first time CBS counted per central region how many people with a citizen service number were registered in emergency or temporary shelter (36 of the 44 regions have data). Below the regions with the highest numbers, rounded as published.
table-region = Region
table-per-1000 = Per 1,000 inhabitants
table-people = People
countries-title = Other countries
countries-intro = Finland and Denmark have counted homeless people in a fixed way for years. How does the Netherlands compare, and how many homes get a building permit per 1,000 inhabitants?
countries-warning = Note: every country counts homelessness its own way. Finland also counts people staying temporarily with friends or family; Denmark counts in one week every two years; the Netherlands estimates people aged 18 to 65. The figures are not directly comparable.
countries-homeless-heading = Homeless people: the Netherlands, Finland and Denmark
countries-definitions-heading = Definitions side by side
table-country = Country
table-latest = Latest figure
table-definition = Definition and source
countries-permits-heading = Building permits for homes per 1,000 inhabitants
countries-permits-intro = Homes permitted per year divided by the population on 1 January, both from Eurostat (sts_cobp_a and tps00001).
countries-permits-chart = Building permits per 1,000 inhabitants
unit-per-1000 = Homes per 1,000 inhabitants
country-NL = Netherlands
country-FI = Finland
country-DK = Denmark
country-EU27_2020 = European Union (27)
milestone-unknown = Not known
related-label = Also from this source
error-bad-grain = { $value } is not a period length; use year, half_year, quarter or month.
per-10k = { $value } per 10,000 inhabitants
countries-sources = Sources: CBS (table 80799ned), ARA (Finland), VIVE (Denmark); population: Eurostat

## Accessibility statement
a11y-nav = Accessibility
a11y-title = Accessibility statement
a11y-intro = Koers wants to be usable by everyone. We aim for the standard for government websites: WCAG 2.1 at level AA (EN 301 549).
a11y-status-heading = Status
a11y-status = This is our own statement. Our tests (below) find no violations of WCAG 2.1 AA. An independent audit following the WCAG-EM method has not been done yet; so we do not yet claim that Koers fully conforms.
a11y-tested-heading = What we test, and how
a11y-tested-1 = On every change, axe-core checks every page, in Dutch and English, with and without JavaScript, against the rules of WCAG 2.1 A and AA.
a11y-tested-2 = A test goes through the main tasks with the keyboard only: the skip link, opening a series, choosing a period and a breakdown, switching language; at every step the focus must be visible.
a11y-tested-3 = Every page is shown 320 pixels wide (400 percent zoom) without horizontal scrolling, and with the preference for reduced motion.
a11y-tested-4 = Lighthouse measures accessibility and speed; the results are in docs/benchmarks.md in the source code.
a11y-design-heading = How Koers is made accessible
a11y-design-1 = Every page works without JavaScript; the controls are plain forms and links.
a11y-design-2 = Every chart has a title and a description in words, and every figure is also in a table.
a11y-design-3 = Lines differ not only in colour but also in line style and marker shape; a status always has a symbol and words.
a11y-design-4 = Headings, landmarks, a skip link, visible focus and enough contrast.
a11y-limits-heading = Known limitations
a11y-limit-1 = Two colours of the breakdown lines (orange and light blue) have less than 3:1 contrast with white. The lines can also be told apart by their marker shapes, and the figures are in the table.
a11y-limit-2 = Names of CBS categories (such as age groups) are only available in Dutch, also on the English pages.
a11y-limit-3 = How the field 'Figures as known on' looks depends on your browser's date picker.
a11y-contact-heading = Report a problem
a11y-contact = Do you run into a barrier? Report it as an issue in the Koers project; we answer within five working days.
a11y-date = This statement was drawn up on 24 November 2026.
display-label = Show
display-absolute = Numbers
display-per-10k = Per 10,000 inhabitants
unit-per-10k = Per 10,000 inhabitants (all ages; population on 1 January, CBS)
error-bad-per = { $value } is not possible; use per=10000 for figures per 10,000 inhabitants.
per-capita-unavailable = No population figures (CBS 37296ned) have been fetched for these years yet; choose 'Numbers' or try again later.

## Download, embed and cite
share-heading = Download, embed and cite
share-images = Chart as an image
share-format = Format
share-size-article = Article
share-size-square = Square (social media)
share-size-small = Small
share-size-print = Print (2× sharper)
share-other-language = The same images in Dutch
share-data = Figures
download-metadata = Metadata and definitions (datapackage.json)
share-embed = Embed in a website
share-embed-live = Live: follows new figures from CBS.
share-embed-pinned = Pinned on { $date }: never changes, and says so when newer figures exist.
share-embed-live-label = Code for a live chart
share-embed-pinned-label = Code for a pinned chart
share-cite = Cite
citation = { $producer } ({ $year }). { $title }{ $table }. Processed and visualised by Koers, { $url } (accessed { $date }).
citation-table = , table { $table }
embed-pinned = Pinned chart: the figures as known on { $date }.
embed-table = The figures in a table
embed-view-on-koers = View on Koers
embed-newer = There are newer figures than this pinned chart.
embed-newer-link = See the latest figures

## API page (/en/api)
api-nav = API for developers
api-title = API: the figures for your own use
api-intro = Everything Koers shows is also available to programs: the series with every published figure, the goals with their progress, the data sources and the chart images. You need no key and no account. This page explains each address with an example you can copy.
api-basics-heading = Good to know
api-basics-base = Every address starts with { $url }. Answers are JSON in UTF-8, except CSV files and chart images.
api-basics-stable = Addresses under /api/v1 stay the same. We may add fields to an answer, but we do not remove or rename any. A change that breaks things gets a new version number (/api/v2).
api-basics-cors = Any website may call the API from the browser: GET requests are open to every origin (CORS).
api-basics-cache = Figures change at most once a day, after a fetch from CBS. Every answer has an ETag: ask again with If-None-Match and you get 304 when nothing changed. Answers may be kept for five minutes; a view pinned to a past moment (vintage) forever. Drawing new charts is limited per address (by default 120 a minute); above that the answer is 429 with Retry-After. Charts already drawn do not count.
api-basics-licence = The figures come from CBS (Statistics Netherlands) and Eurostat under the licence CC BY 4.0: you may reuse them if you name the source, for example "Source: CBS, edited by Koers".
api-basics-openapi = A machine-readable description of every endpoint, in OpenAPI 3.1 format:
api-endpoints-heading = Endpoints
api-params-caption = Parameters of { $path }
api-param-name = Parameter
api-param-meaning = Meaning
api-no-params = This address has no parameters.
api-example-request = Example request
api-example-response = Example response (shortened)
api-ep-series-list = Every series, with its name, unit, publisher, licence, how many figures Koers holds, when they last changed, and links to the figures, the CSV file, the page and the chart.
api-ep-series = One series with its figures. Each figure has its period, value, status (final, provisional, ...), the date Koers first saw it (its vintage) and its source. Also the categories, series breaks and licence. Without parameters: the headline figure over the whole period, as known today.
api-ep-series-csv = The same figures as a CSV file, one row per figure, with unit, status, margins, vintage and source in columns. Opens in a spreadsheet.
api-ep-history = Every value ever published for one category of a series: when Koers first saw it and when a newer value replaced it. This shows how figures were revised.
api-ep-goals = Every goal with its baseline and target, the pace it requires, the recent pace, the status (on track, needs acceleration, ...), the year it is reached at this pace, and the sentence the site shows.
api-ep-sources = Every data source with its table, fetch schedule and the outcome of its last ten fetches.
api-ep-chart = The chart of a series as an image (SVG or PNG) for an article, with title, source, licence and date drawn in. The address ends in the series id and .svg or .png.
api-ep-openapi = The description of this API in OpenAPI 3.1 format, for tools that generate code or documentation.
api-param-id = The series, for example homeless_people_18_65. The list of series gives every id.
api-param-file = The series id followed by .svg or .png.
api-param-from = First year to include, for example 2015.
api-param-to = Last year to include, for example 2024.
api-param-category = A breakdown category, for example 3000; repeat it for more (at most 8). The answer lists the categories of a series. Default: total.
api-param-history-category = The breakdown category. Default: total.
api-param-vintage = A date (YYYY-MM-DD) or a moment (such as 2026-11-24T21:05:00Z): the figures as they were known then; later figures and revisions are left out. A view pinned to a past moment never changes.
api-param-grain = Only periods of one length: year, half_year, quarter, month, school_year or day.
api-param-per = 10000: values per 10,000 inhabitants (for series that count people).
api-param-all = true: every category and status, forecasts included.
api-param-lang = Language of error messages: nl or en (default en).
api-param-chart-lang = Language of the texts in the image: nl (default) or en.
api-param-period = Only this period, for example 2022.
api-param-width = Width in pixels, 200 to 4000 (default 1200).
api-param-height = Height in pixels, 200 to 4000 (default 675).
api-param-scale = PNG only: pixel density 1 to 4, for sharp images on high-resolution screens (default 1).
api-errors-heading = Errors
api-errors-intro = When something goes wrong, the answer is JSON with a code for programs and a message for people, and the HTTP status says what kind of error it is:
api-error-status = HTTP status
api-error-code = Code
api-error-when = When
api-error-400 = A parameter is not valid, for example a year that is not a year. The message says what to change.
api-error-404 = The address, series or category does not exist.
api-error-405 = The address exists but only answers GET.
api-ep-datapackage = The description of a view's figures as a Data Package (Frictionless): title, definition, unit, source with table, licence, vintage, series breaks, the citation to copy, and the CSV files of the view and of the whole series with every column explained.
api-ep-embed = A chart to embed in an article: a bare page for an iframe, with title, chart, the figures in a table, source and licence. With /embed.js on your page the iframe takes the height of its content. Without vintage it follows new figures; with vintage set to a moment it is pinned, never changes and says when newer figures exist. The example is the code to paste.
api-param-package-lang = Language of titles, citation and error messages: nl or en (default en).
api-param-embed-lang = Language of the page: nl (default) or en.
api-error-429 = Too many new charts drawn from your address. Wait the number of seconds in the Retry-After header.
api-error-500 = Something went wrong on our side. Try again later.
