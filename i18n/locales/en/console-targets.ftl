# Console: goals and goal versions, events, manual figures (uploads).

# Shared by the forms
targets-error-summary = There is a problem
targets-error-prefix = Error:
targets-edit = Change
targets-view = View
targets-actions = Actions
targets-back = Back to { $page }

# Goals
goals-intro = Every goal has a baseline and a target. Each change is kept as a new target version; the public pages name the version they use.
goals-caption = Goals with the version in force
goals-goal = Goal
goals-baseline = Baseline
goals-target = Target
goals-version = Version
goals-changed = In force since
goals-changed-by = By
goals-form-heading = Change the baseline and target
goals-baseline-period = Baseline period
goals-baseline-value = Baseline value
goals-target-period = Target period
goals-target-value = Target value
goals-period-hint = A year (2030), quarter (2030-Q1), month (2030-01), half-year (2030-H1) or day (2030-01-01).
goals-value-hint = Digits only, without thousands separators, for example 30600 or 12.5.
goals-note = Remarks on the choice
goals-note-hint = Why this baseline and target; shown with the goal in the API.
goals-reason = Reason for the change
goals-reason-hint = Required. Kept with the target version and shown publicly in the API.
goals-save = Save a new target version
goals-history = Every target version, newest first
goals-public-page = See the goal on the public site
goals-summary = { $goal } (series: { $series })
goals-kind-down = This goal wants a fall: the target lies below the baseline.
goals-kind-up = This goal wants a rise: the target lies above the baseline.
goals-kind-cumulative = The yearly figures are added up from the baseline on, so the baseline is 0.
goals-saved = Goal { $goal } has been saved as target version { $version }.
goals-not-found = There is no such goal.

# Events
events-intro = Policy events are drawn on the public charts and listed below them: with one series or with every series.
events-caption = Every event, newest first
events-empty = There are no events yet.
events-date = Date
events-date-hint = As YYYY-MM-DD, for example 2026-11-24.
events-title-nl = Title (Dutch)
events-title-en = Title (English)
events-url = Web address
events-url-hint = Where to read about the event; starts with https://.
events-series = Series
events-all-series = Every series
events-add = Add an event
events-add-button = Add
events-edit = Change the event
events-id = Identifier: { $id }
events-delete = Remove the event
events-delete-hint = Removing takes the event off every chart. The audit log keeps what it said.
events-delete-button = Remove
events-added = Event { $title } has been added.
events-updated = Event { $title } has been changed.
events-deleted = Event { $title } has been removed.

# Manual figures
uploads-intro = Supply figures that do not arrive automatically, such as regional ETHOS counts. An upload is stored like a fetch: a changed value becomes a revision and the previous value stays in the history.
uploads-form-heading = Upload a CSV file
uploads-target = Series
uploads-target-existing = Add to an existing series
uploads-target-new = Make a new series
uploads-series = Existing series
uploads-choose-series = Choose a series
uploads-new-series = New series
uploads-new-id = Identifier of the new series
uploads-new-id-hint = Lower-case letters, digits and _, starting with a letter; it goes into web addresses, for example ethos_region.
uploads-new-title-nl = Title (Dutch)
uploads-new-title-en = Title (English)
uploads-new-unit = Unit
uploads-new-measure = Kind of figure
uploads-measure-level = a count on a reference date (start of the period)
uploads-measure-flow = a total over the period
uploads-new-description-nl = Definition (Dutch)
uploads-new-description-en = Definition (English)
uploads-new-licence = Licence
uploads-new-licence-hint = For example CC BY 4.0.
uploads-new-licence-url = Web address of the licence
uploads-source-label = Source
uploads-source-label-hint = Who publishes the figures, for example Municipality of Utrecht, ETHOS count 2024. Shown with every figure.
uploads-source-url = Web address of the source
uploads-file = File
uploads-file-hint = A CSV file of at most { $max } MB, in the format below.
uploads-submit = Check and store
uploads-file-has-problems = The file has problems ({ $count }); nothing has been stored.
uploads-more-problems = And { $count } more problems not listed here.
uploads-problems-caption = Problems in the file
uploads-line = Line
uploads-problem = Problem
uploads-caption = Recent uploads
uploads-when = When
uploads-by = By
uploads-new = New
uploads-revised = Revised
uploads-unchanged = Unchanged
uploads-size = Size
uploads-bytes = { $size } bytes
uploads-checksum = SHA-256
uploads-fetch = Fetch
uploads-created-series = This upload created the series.
uploads-view-series = See the series on the public site
uploads-view-history = See the revision history (API)
uploads-stored = { $file } has been stored: { $new } new, { $revised } revised, { $unchanged } unchanged.
uploads-result-title = Upload { $file }
uploads-too-large-title = File too large
uploads-format-heading = The format
uploads-format-encoding = UTF-8 text (in Excel: CSV UTF-8), at most 5 MB and 100,000 rows; blank lines are skipped.
uploads-format-columns = A header row is required. Columns in any order: period and value (required), category, status and note (optional). The Dutch names periode, waarde, categorie and toelichting work too; other columns are refused.
uploads-format-separator = Separator and decimal mark go together: separated by commas means a decimal point (1234.5); separated by semicolons (as Dutch Excel saves) means a decimal comma (1234,5). Never thousands separators.
uploads-format-period = period: 2024, 2024-H1, 2024-Q1, 2024-01, 2012/13 or 2024-01-01 (CBS codes such as 2024JJ00 work too).
uploads-format-category = category: the breakdown, for example a municipality code (GM0344); empty means the total.
uploads-format-status = status: final (default), provisional, revised_provisional, rounded, forecast or estimated. note: free text, at most 500 characters.
uploads-format-unique = Each combination of category and period appears once.
uploads-format-atomic = Every problem is reported with its line number (the header is line 1). Nothing is stored unless the whole file is valid.
uploads-format-example = Example:

# Problems with a form field
problem-required = Fill in this field.
problem-too-long = This text is longer than { $max } characters.
problem-control-characters = This text may not contain line breaks or control characters.
problem-not-a-number = "{ $value }" is not a number. Write digits with at most one decimal mark, without thousands separators.
problem-ambiguous-number = "{ $value }" is ambiguous: write it without a thousands separator (30600) or without the trailing zero (30.6).
problem-bad-period = "{ $value }" is not a period. Write 2030, 2030-Q1, 2030-01, 2030-H1, 2012/13 or 2030-01-01.
problem-target-not-after-baseline = The target period must come after the baseline ({ $value }).
problem-target-wrong-side = For this goal the target must be { $side ->
    [below] below
   *[above] above
  } the baseline.
problem-cumulative-baseline = A cumulative goal starts at 0: the baseline must be 0.
problem-bad-date = "{ $value }" is not a date. Write YYYY-MM-DD, for example 2026-11-24.
problem-bad-url = "{ $value }" is not a web address starting with https:// or http://.
problem-unknown-series = There is no series "{ $value }".
problem-bad-id = "{ $value }" is not a valid identifier: use lower-case letters, digits and _, starting with a letter.
problem-taken = "{ $value }" exists already.
problem-bad-choice = "{ $value }" is not one of the choices.
problem-unchanged = Nothing was changed.
problem-stale = Someone else changed this goal meanwhile (now version { $version }). Reload the page and try again.

# Problems with an uploaded file
upload-problem-empty = The file is empty.
upload-problem-too-large = The file is { $size }; at most { $limit } is accepted.
upload-problem-not-utf8 = The file is not UTF-8 text. Save it as "CSV UTF-8".
upload-problem-missing-column = The header row has no column "{ $value }".
upload-problem-unknown-column = Unknown column "{ $value }"; allowed are period, value, category, status and note.
upload-problem-duplicate-column = The column "{ $value }" appears twice.
upload-problem-no-rows = The file has a header row but no figures.
upload-problem-too-many-rows = The file has more than { $max } rows of figures.
upload-problem-field-count = Expected { $expected } fields (like the header row), found { $found }.
upload-problem-syntax = This line is not readable CSV: { $value }
upload-problem-empty-field = The { $column } field is empty.
upload-problem-bad-number = "{ $value }" is not a number. Write digits with a decimal { $mark ->
    [comma] comma
   *[point] point
  } and no thousands separators.
upload-problem-bad-period = "{ $value }" is not a period (write 2024, 2024-Q1, 2024-01, 2024-H1, 2012/13 or 2024-01-01).
upload-problem-bad-status = "{ $value }" is not a status (final, provisional, revised_provisional, rounded, forecast or estimated).
upload-problem-bad-category = "{ $value }" is not a category (1 to 32 letters, digits, _ or -).
upload-problem-note-too-long = The note is longer than { $max } characters.
upload-problem-duplicate-period = { $category } { $period } appears twice (first on line { $first }).
upload-problem-line = Line { $line }: { $text }
