//! Manual data: a CSV file an editor uploads in the console (regional ETHOS counts, say),
//! checked row by row and then stored like any fetch: one vintage under a `fetches` row whose
//! source is `upload:<username>`, so revisions, history and provenance work as for CBS.
//!
//! # The CSV format
//!
//! - UTF-8 text (a byte-order mark is allowed), at most [`MAX_UPLOAD_BYTES`] (5 MB) and
//!   [`MAX_ROWS`] data rows.
//! - A header row is required. Columns, in any order: `period` and `value` (required),
//!   `category`, `status` and `note` (optional). Names are case-insensitive; the Dutch names
//!   `periode`, `waarde`, `categorie` and `toelichting` are accepted too. Other columns are
//!   refused, so a misspelt optional column is not silently ignored.
//! - Separator and decimal mark go together: a file separated by commas (`,`) writes decimals
//!   with a point (`1234.5`); a file separated by semicolons (`;`, what Dutch spreadsheet
//!   programs save) writes them with a comma (`1234,5`). The header row decides which.
//!   Thousands separators are never allowed (`33000`, not `33.000`).
//! - `period`: `2024`, `2024-H1`, `2024-Q1`, `2024-01`, `2012/13` or `2024-01-01` (CBS codes
//!   such as `2024JJ00` are read too).
//! - `category`: the breakdown key, 1-32 letters, digits, `_` or `-` (for example a region
//!   code `GM0344`); empty or absent means `total`, the headline figure.
//! - `status`: `final` (default when empty), `provisional`, `revised_provisional`, `rounded`,
//!   `forecast` or `estimated`.
//! - `note`: free text, at most [`MAX_NOTE_CHARS`] characters.
//! - Each (category, period) appears once. Empty lines are skipped.
//!
//! Every problem is reported with its line number (the header is line 1), up to
//! [`MAX_REPORTED_ERRORS`]; the file is stored only when there are none.

use anyhow::Context;
pub use domain::edits::UploadForm;
use domain::{
    CategoryKey, FieldError, Measure, ObservationStatus, Period, Problem, SeriesId, SeriesMeta,
    Unit,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use store::{Batch, NewObservation, NewUpload, Store, UploadOutcome};

/// Largest file accepted, in bytes (5 MB).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows in one file.
pub const MAX_ROWS: usize = 100_000;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;
/// Most problems listed; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// One problem with an uploaded file. `Display` is the English text; the console shows the
/// translation of [`UploadProblem::key`] with [`UploadProblem::args`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadProblem {
    /// No bytes, or only blank lines.
    #[error("the file is empty")]
    Empty,
    /// Over the size limit.
    #[error("the file is {size} bytes; at most {limit} bytes are accepted")]
    TooLarge {
        /// Its size (or the size read before stopping).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Bytes that are not UTF-8.
    #[error("the file is not UTF-8 text; save it as \"CSV UTF-8\"")]
    NotUtf8,
    /// A required column is absent.
    #[error("the header row has no column {0:?}")]
    MissingColumn(String),
    /// A column Koers does not know.
    #[error("unknown column {0:?}; allowed: period, value, category, status, note")]
    UnknownColumn(String),
    /// A column named twice.
    #[error("column {0:?} appears twice")]
    DuplicateColumn(String),
    /// Only a header.
    #[error("the file has a header row but no data rows")]
    NoRows,
    /// Over the row limit.
    #[error("the file has more than {0} data rows")]
    TooManyRows(usize),
    /// Not as many fields as header columns.
    #[error("expected {expected} fields (like the header row), found {found}")]
    WrongFieldCount {
        /// Columns in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// The CSV itself cannot be read (an unclosed quote, say).
    #[error("this line cannot be read as CSV: {0}")]
    Syntax(String),
    /// A required field is empty.
    #[error("the {0} is empty")]
    EmptyField(String),
    /// The value is not a number in this file's notation.
    #[error(
        "{text:?} is not a number; write digits with a decimal {mark} and no thousands separators"
    )]
    BadNumber {
        /// The field.
        text: String,
        /// The decimal mark of this file (`point` or `comma`).
        mark: String,
    },
    /// Not a period.
    #[error("{0:?} is not a period (write 2024, 2024-Q1, 2024-01, 2024-H1, 2012/13 or 2024-01-01)")]
    BadPeriod(String),
    /// Not a status.
    #[error(
        "{0:?} is not a status (final, provisional, revised_provisional, rounded, forecast or estimated)"
    )]
    BadStatus(String),
    /// Not a category key.
    #[error("{0:?} is not a category key (1-32 letters, digits, '_' or '-')")]
    BadCategory(String),
    /// The note is too long.
    #[error("the note is longer than {0} characters")]
    NoteTooLong(usize),
    /// The same category and period twice.
    #[error("{category} {period} appears twice (first on line {first_line})")]
    DuplicatePeriod {
        /// The category.
        category: String,
        /// The period.
        period: String,
        /// Where it appeared first.
        first_line: u64,
    },
}

impl UploadProblem {
    /// The message key suffix (`upload-problem-<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge { .. } => "too-large",
            Self::NotUtf8 => "not-utf8",
            Self::MissingColumn(_) => "missing-column",
            Self::UnknownColumn(_) => "unknown-column",
            Self::DuplicateColumn(_) => "duplicate-column",
            Self::NoRows => "no-rows",
            Self::TooManyRows(_) => "too-many-rows",
            Self::WrongFieldCount { .. } => "field-count",
            Self::Syntax(_) => "syntax",
            Self::EmptyField(_) => "empty-field",
            Self::BadNumber { .. } => "bad-number",
            Self::BadPeriod(_) => "bad-period",
            Self::BadStatus(_) => "bad-status",
            Self::BadCategory(_) => "bad-category",
            Self::NoteTooLong(_) => "note-too-long",
            Self::DuplicatePeriod { .. } => "duplicate-period",
        }
    }

    /// The message arguments.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Empty | Self::NotUtf8 | Self::NoRows => Vec::new(),
            Self::TooLarge { size, limit } => {
                vec![("size", size.to_string()), ("limit", limit.to_string())]
            }
            Self::MissingColumn(v)
            | Self::UnknownColumn(v)
            | Self::DuplicateColumn(v)
            | Self::Syntax(v)
            | Self::BadPeriod(v)
            | Self::BadStatus(v)
            | Self::BadCategory(v) => vec![("value", v.clone())],
            Self::EmptyField(column) => vec![("column", column.clone())],
            Self::TooManyRows(n) | Self::NoteTooLong(n) => vec![("max", n.to_string())],
            Self::WrongFieldCount { expected, found } => vec![
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
            Self::BadNumber { text, mark } => {
                vec![("value", text.clone()), ("mark", mark.clone())]
            }
            Self::DuplicatePeriod {
                category,
                period,
                first_line,
            } => vec![
                ("category", category.clone()),
                ("period", period.clone()),
                ("first", first_line.to_string()),
            ],
        }
    }
}

/// A problem and where it is (`None`: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct UploadError {
    /// 1-based line (the header is line 1).
    pub line: Option<u64>,
    /// What is wrong.
    pub problem: UploadProblem,
}

impl std::fmt::Display for UploadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.problem),
            None => write!(f, "{}", self.problem),
        }
    }
}

/// Why a file was refused: the first [`MAX_REPORTED_ERRORS`] problems and how many there were.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the file has {total} problem(s); first: {}", errors.first().map(ToString::to_string).unwrap_or_default())]
pub struct Rejected {
    /// The problems listed, in line order.
    pub errors: Vec<UploadError>,
    /// How many problems there are in all.
    pub total: usize,
}

impl Rejected {
    fn whole(problem: UploadProblem) -> Self {
        Self {
            errors: vec![UploadError {
                line: None,
                problem,
            }],
            total: 1,
        }
    }
}

/// One checked data row.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadRow {
    /// Its line in the file.
    pub line: u64,
    /// Breakdown category (`total` when none was given).
    pub category: CategoryKey,
    /// The period.
    pub period: Period,
    /// The value.
    pub value: f64,
    /// Its status.
    pub status: ObservationStatus,
    /// Its note.
    pub note: Option<String>,
}

/// A checked file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedUpload {
    /// The rows, in file order.
    pub rows: Vec<UploadRow>,
    /// The field separator found in the header row.
    pub separator: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Period,
    Value,
    Category,
    Status,
    Note,
}

impl Column {
    fn parse(name: &str) -> Option<Self> {
        match name.trim().to_lowercase().as_str() {
            "period" | "periode" => Some(Self::Period),
            "value" | "waarde" => Some(Self::Value),
            "category" | "categorie" => Some(Self::Category),
            "status" => Some(Self::Status),
            "note" | "toelichting" => Some(Self::Note),
            _ => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Self::Period => "period",
            Self::Value => "value",
            Self::Category => "category",
            Self::Status => "status",
            Self::Note => "note",
        }
    }
}

/// Collects problems, keeping the first [`MAX_REPORTED_ERRORS`].
#[derive(Default)]
struct Problems {
    errors: Vec<UploadError>,
    total: usize,
}

impl Problems {
    fn push(&mut self, line: u64, problem: UploadProblem) {
        self.total += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(UploadError {
                line: Some(line),
                problem,
            });
        }
    }
}

fn clip(text: &str) -> String {
    text.chars().take(60).collect()
}

/// Reads a number written with `mark` as its decimal separator: an optional minus, digits,
/// optionally the mark and more digits. Nothing else: no exponent, no thousands separators.
fn parse_number(text: &str, mark: char) -> Option<f64> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once(mark) {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) || int.len() > 18 {
        return None;
    }
    let plain = match frac {
        Some(f) => format!(
            "{}{int}.{f}",
            if unsigned.len() < text.len() { "-" } else { "" }
        ),
        None => text.to_owned(),
    };
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Line numbers of byte offsets, counting `\n`, `\r\n` and a lone `\r` as line ends (the
/// CSV reader's own count is off after blank lines and CRLF endings).
struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.as_bytes();
        let mut starts = vec![0];
        for (i, b) in text.iter().enumerate() {
            let lone_cr = *b == b'\r' && text.get(i + 1) != Some(&b'\n');
            if *b == b'\n' || lone_cr {
                starts.push(i + 1);
            }
        }
        Self { text, starts }
    }

    /// The 1-based line of the record that the reader started reading at `byte`: line ends
    /// and blank lines left before it are skipped first, as the reader does.
    fn line_of(&self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|start| *start <= at) as u64
    }
}

/// Checks an uploaded file completely. `Err` lists the problems (with line numbers); `Ok` only
/// when every row is valid.
pub fn parse_upload(bytes: &[u8]) -> Result<ParsedUpload, Rejected> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Rejected::whole(UploadProblem::TooLarge {
            size: bytes.len(),
            limit: MAX_UPLOAD_BYTES,
        }));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            return Err(Rejected {
                errors: vec![UploadError {
                    line: Some(line),
                    problem: UploadProblem::NotUtf8,
                }],
                total: 1,
            });
        }
    };
    if text.trim().is_empty() {
        return Err(Rejected::whole(UploadProblem::Empty));
    }
    // The header row is the first line that is not blank (blank lines are skipped).
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let separator = if header_line.contains(';') && !header_line.contains(',') {
        ';'
    } else {
        ','
    };
    let mark = if separator == ';' { ',' } else { '.' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());

    let mut problems = Problems::default();
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(1, UploadProblem::Syntax(clip(&e.to_string())));
            return Err(Rejected {
                errors: problems.errors,
                total: problems.total,
            });
        }
    };
    let header_line_no = 1 + text.lines().take_while(|l| l.trim().is_empty()).count() as u64;
    let mut columns: Vec<Column> = Vec::new();
    for name in &header {
        match Column::parse(name) {
            Some(c) if columns.contains(&c) => problems.push(
                header_line_no,
                UploadProblem::DuplicateColumn(c.name().to_owned()),
            ),
            Some(c) => columns.push(c),
            None => problems.push(header_line_no, UploadProblem::UnknownColumn(clip(name))),
        }
    }
    for required in [Column::Period, Column::Value] {
        if !columns.contains(&required) {
            problems.push(
                header_line_no,
                UploadProblem::MissingColumn(required.name().to_owned()),
            );
        }
    }
    if problems.total > 0 {
        return Err(Rejected {
            errors: problems.errors,
            total: problems.total,
        });
    }
    let index = |c: Column| columns.iter().position(|x| *x == c);
    let (period_at, value_at) = (
        index(Column::Period).unwrap_or(0),
        index(Column::Value).unwrap_or(0),
    );
    let (category_at, status_at, note_at) = (
        index(Column::Category),
        index(Column::Status),
        index(Column::Note),
    );

    let mut rows = Vec::new();
    let mut seen: HashMap<(CategoryKey, Period), u64> = HashMap::new();
    let mut count = 0usize;
    let lines = LineIndex::new(text);
    let mut record = csv::StringRecord::new();
    loop {
        let at = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map(csv::Position::byte).unwrap_or(at);
                problems.push(
                    lines.line_of(at),
                    UploadProblem::Syntax(clip(&e.to_string())),
                );
                break;
            }
        }
        let line = lines.line_of(record.position().map(csv::Position::byte).unwrap_or(at));
        count += 1;
        if count > MAX_ROWS {
            problems.push(line, UploadProblem::TooManyRows(MAX_ROWS));
            break;
        }
        if record.len() != columns.len() {
            problems.push(
                line,
                UploadProblem::WrongFieldCount {
                    expected: columns.len(),
                    found: record.len(),
                },
            );
            continue;
        }
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        let before = problems.total;
        let period = match field(Some(period_at)) {
            "" => {
                problems.push(line, UploadProblem::EmptyField("period".into()));
                None
            }
            text => Period::parse(text)
                .or_else(|_| Period::parse_cbs(text))
                .map_err(|_| problems.push(line, UploadProblem::BadPeriod(clip(text))))
                .ok(),
        };
        let value = match field(Some(value_at)) {
            "" => {
                problems.push(line, UploadProblem::EmptyField("value".into()));
                None
            }
            text => parse_number(text, mark).or_else(|| {
                problems.push(
                    line,
                    UploadProblem::BadNumber {
                        text: clip(text),
                        mark: if mark == ',' { "comma" } else { "point" }.into(),
                    },
                );
                None
            }),
        };
        let category = match field(category_at) {
            "" => Some(CategoryKey::total()),
            text => CategoryKey::parse(text)
                .map_err(|_| problems.push(line, UploadProblem::BadCategory(clip(text))))
                .ok(),
        };
        let status = match field(status_at) {
            "" => Some(ObservationStatus::Final),
            text => ObservationStatus::parse(text)
                .map_err(|_| problems.push(line, UploadProblem::BadStatus(clip(text))))
                .ok(),
        };
        let note = match field(note_at) {
            "" => None,
            text if text.chars().count() > MAX_NOTE_CHARS => {
                problems.push(line, UploadProblem::NoteTooLong(MAX_NOTE_CHARS));
                None
            }
            text => Some(text.to_owned()),
        };
        if problems.total > before {
            continue;
        }
        let (Some(period), Some(value), Some(category), Some(status)) =
            (period, value, category, status)
        else {
            continue;
        };
        if let Some(first_line) = seen.get(&(category.clone(), period)) {
            problems.push(
                line,
                UploadProblem::DuplicatePeriod {
                    category: category.to_string(),
                    period: period.to_string(),
                    first_line: *first_line,
                },
            );
            continue;
        }
        seen.insert((category.clone(), period), line);
        rows.push(UploadRow {
            line,
            category,
            period,
            value,
            status,
            note,
        });
    }
    if problems.total > 0 {
        return Err(Rejected {
            errors: problems.errors,
            total: problems.total,
        });
    }
    if count == 0 {
        return Err(Rejected::whole(UploadProblem::NoRows));
    }
    Ok(ParsedUpload { rows, separator })
}

/// Turns checked rows into figures of `series`, each carrying the upload's provenance.
pub fn to_observations(
    rows: &[UploadRow],
    series: &SeriesId,
    source_label: &str,
    source_url: &str,
) -> Vec<NewObservation> {
    rows.iter()
        .map(|r| NewObservation {
            observation: domain::Observation {
                series: series.clone(),
                category: r.category.clone(),
                period: r.period,
                value: r.value,
                status: r.status,
            },
            source_label: source_label.to_owned(),
            source_url: source_url.to_owned(),
            note: r.note.clone(),
            margin: None,
        })
        .collect()
}

/// A checked upload form.
#[derive(Debug, Clone)]
pub struct CheckedUploadForm {
    /// Where the figures go.
    pub target: UploadTarget,
    /// Who published them.
    pub source_label: String,
    /// Where they can be checked.
    pub source_url: String,
}

/// Checks the upload form (not the file) against the series Koers has. Every problem is
/// reported, named by its field.
pub fn check_upload_form(
    form: &UploadForm,
    existing: &[SeriesId],
) -> Result<CheckedUploadForm, Vec<FieldError>> {
    use domain::edits::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, clip, parse_url, take, text};
    let mut errors = Vec::new();
    let source_label = take(
        &mut errors,
        "source_label",
        text(&form.source_label, MAX_TITLE_CHARS, true, false),
    );
    let source_url = take(&mut errors, "source_url", parse_url(&form.source_url));
    let target = match form.target.trim() {
        "new" => {
            let id = take(
                &mut errors,
                "new_id",
                match form.new_id.trim() {
                    "" => Err(Problem::Required),
                    raw => match SeriesId::parse(raw) {
                        Err(_) => Err(Problem::BadId(clip(raw))),
                        Ok(id) if existing.contains(&id) => Err(Problem::Taken(clip(raw))),
                        Ok(id) => Ok(id),
                    },
                },
            );
            let title_nl = take(
                &mut errors,
                "new_title_nl",
                text(&form.new_title_nl, MAX_TITLE_CHARS, true, false),
            );
            let title_en = take(
                &mut errors,
                "new_title_en",
                text(&form.new_title_en, MAX_TITLE_CHARS, true, false),
            );
            let unit = take(
                &mut errors,
                "new_unit",
                Unit::parse(form.new_unit.trim())
                    .ok_or_else(|| Problem::BadChoice(clip(&form.new_unit))),
            );
            let measure = take(
                &mut errors,
                "new_measure",
                Measure::parse(form.new_measure.trim())
                    .ok_or_else(|| Problem::BadChoice(clip(&form.new_measure))),
            );
            let description_nl = take(
                &mut errors,
                "new_description_nl",
                text(&form.new_description_nl, MAX_TEXT_CHARS, false, true),
            );
            let description_en = take(
                &mut errors,
                "new_description_en",
                text(&form.new_description_en, MAX_TEXT_CHARS, false, true),
            );
            let licence = take(
                &mut errors,
                "new_licence",
                text(&form.new_licence, MAX_TITLE_CHARS, true, false),
            );
            let licence_url = take(
                &mut errors,
                "new_licence_url",
                match form.new_licence_url.trim() {
                    "" => Ok(None),
                    raw => parse_url(raw).map(Some),
                },
            );
            match (
                id,
                title_nl,
                title_en,
                unit,
                measure,
                description_nl,
                description_en,
                licence,
                licence_url,
                &source_label,
                &source_url,
            ) {
                (
                    Some(id),
                    Some(title_nl),
                    Some(title_en),
                    Some(unit),
                    Some(measure),
                    Some(description_nl),
                    Some(description_en),
                    Some(licence),
                    Some(licence_url),
                    Some(producer),
                    Some(url),
                ) => Some(UploadTarget::New(Box::new(SeriesMeta {
                    id,
                    title_nl,
                    title_en,
                    description_nl,
                    description_en,
                    unit,
                    measure,
                    producer: producer.clone(),
                    table_id: None,
                    source_url: url.clone(),
                    licence,
                    licence_url: licence_url.unwrap_or_else(|| url.clone()),
                    source: None,
                    caveat_nl: String::new(),
                    caveat_en: String::new(),
                }))),
                _ => None,
            }
        }
        "existing" | "" => take(
            &mut errors,
            "series",
            match form.series.trim() {
                "" => Err(Problem::Required),
                raw => SeriesId::parse(raw)
                    .ok()
                    .filter(|id| existing.contains(id))
                    .map(UploadTarget::Existing)
                    .ok_or_else(|| Problem::UnknownSeries(clip(raw))),
            },
        ),
        other => {
            errors.push(FieldError::new(
                "target-existing",
                Problem::BadChoice(clip(other)),
            ));
            None
        }
    };
    match (target, source_label, source_url) {
        (Some(target), Some(source_label), Some(source_url)) if errors.is_empty() => {
            Ok(CheckedUploadForm {
                target,
                source_label,
                source_url,
            })
        }
        _ => Err(errors),
    }
}

/// Where the figures of an upload go.
#[derive(Debug, Clone)]
pub enum UploadTarget {
    /// A series Koers has.
    Existing(SeriesId),
    /// A new manual series, created with the upload.
    New(Box<SeriesMeta>),
}

/// An upload to check and store.
#[derive(Debug, Clone)]
pub struct UploadRequest<'a> {
    /// Target series.
    pub target: UploadTarget,
    /// The file's name.
    pub file_name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
    /// The uploader's username.
    pub uploaded_by: &'a str,
    /// Who published the figures (shown as each figure's source).
    pub source_label: &'a str,
    /// Where they can be checked.
    pub source_url: &'a str,
}

/// How an upload ended.
#[derive(Debug)]
pub enum UploadResult {
    /// The file has problems; nothing was stored.
    Rejected(Rejected),
    /// Stored as one vintage.
    Stored {
        /// The series.
        series: SeriesId,
        /// Rows in the file.
        rows: usize,
        /// What was written.
        outcome: UploadOutcome,
    },
}

/// Checks a file and, when every row is valid, stores it in one transaction. `Err` only when
/// the store fails (the target series vanished, or the database is down); nothing is then
/// stored either.
pub async fn store_upload(
    store: &Store,
    request: &UploadRequest<'_>,
    now: i64,
) -> anyhow::Result<UploadResult> {
    let parsed = match parse_upload(request.bytes) {
        Ok(p) => p,
        Err(rejected) => return Ok(UploadResult::Rejected(rejected)),
    };
    let (meta, create) = match &request.target {
        UploadTarget::Existing(id) => (
            store
                .get_series(id)
                .await
                .with_context(|| format!("reading series {id}"))?,
            false,
        ),
        UploadTarget::New(meta) => ((**meta).clone(), true),
    };
    let observations = to_observations(
        &parsed.rows,
        &meta.id,
        request.source_label,
        request.source_url,
    );
    let checksum = hex::encode(Sha256::digest(request.bytes));
    let upload = NewUpload {
        series: &meta,
        create_series: create,
        file_name: request.file_name,
        size_bytes: request.bytes.len() as u64,
        checksum: &checksum,
        uploaded_by: request.uploaded_by,
        rows: parsed.rows.len() as u64,
    };
    let batch = Batch {
        categories: Vec::new(),
        observations,
        breaks: Vec::new(),
    };
    let outcome = store
        .apply_upload(&upload, &batch, now)
        .await
        .with_context(|| format!("storing the upload to {}", meta.id))?;
    tracing::info!(
        series = %meta.id,
        file = request.file_name,
        by = request.uploaded_by,
        new = outcome.counts.new,
        revised = outcome.counts.revised,
        unchanged = outcome.counts.unchanged,
        "stored an upload"
    );
    Ok(UploadResult::Stored {
        series: meta.id,
        rows: parsed.rows.len(),
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn problems(text: &[u8]) -> Vec<(Option<u64>, &'static str)> {
        parse_upload(text)
            .unwrap_err()
            .errors
            .iter()
            .map(|e| (e.line, e.problem.key()))
            .collect()
    }

    #[test]
    fn a_comma_file_with_every_column_parses() {
        // Arrange
        let text = "period,value,category,status,note\n\
                    2024,1234.5,GM0344,provisional,\"eerste telling, ETHOS\"\n\
                    2023,1100,,,\n";
        // Act
        let parsed = parse_upload(text.as_bytes()).unwrap();
        // Assert
        assert_eq!(parsed.separator, ',');
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!(
            (first.line, first.period, first.value),
            (2, Period::Year(2024), 1234.5)
        );
        assert_eq!(first.category.as_str(), "GM0344");
        assert_eq!(first.status, ObservationStatus::Provisional);
        assert_eq!(first.note.as_deref(), Some("eerste telling, ETHOS"));
        let second = &parsed.rows[1];
        assert!(second.category.is_total());
        assert_eq!(second.status, ObservationStatus::Final);
        assert_eq!(second.note, None);
    }

    #[test]
    fn a_dutch_semicolon_file_uses_a_decimal_comma() {
        let text =
            "\u{feff}Periode;Waarde;Categorie\r\n2024-Q1;12,5;GM0363\r\n\r\n2024-Q2;-3;GM0363\r\n";
        let parsed = parse_upload(text.as_bytes()).unwrap();
        assert_eq!(parsed.separator, ';');
        assert_eq!(parsed.rows[0].value, 12.5);
        assert_eq!(parsed.rows[1].value, -3.0);
        assert_eq!(parsed.rows[1].line, 4, "the blank line still counts");
    }

    #[test]
    fn thousands_separators_and_the_wrong_decimal_mark_are_refused() {
        let semicolon = "period;value\n2024;33.000\n2023;1e3\n";
        let err = parse_upload(semicolon.as_bytes()).unwrap_err();
        assert_eq!(err.errors.len(), 2);
        assert_eq!(err.errors[0].line, Some(2));
        assert_eq!(
            err.errors[0].problem,
            UploadProblem::BadNumber {
                text: "33.000".into(),
                mark: "comma".into()
            }
        );
        assert!(err.errors[0].to_string().starts_with("line 2: \"33.000\""));
        assert_eq!(
            problems(b"period,value\n2024,\"12,5\"\n2023,NaN\n2022,inf\n"),
            [
                (Some(2), "bad-number"),
                (Some(3), "bad-number"),
                (Some(4), "bad-number")
            ]
        );
    }

    #[test]
    fn wrong_columns_are_named_on_line_one() {
        assert_eq!(
            problems(b"year,amount,colour\n2024,1,red\n"),
            [
                (Some(1), "unknown-column"),
                (Some(1), "unknown-column"),
                (Some(1), "unknown-column"),
                (Some(1), "missing-column"),
                (Some(1), "missing-column"),
            ]
        );
        assert_eq!(
            problems(b"period,value,value\n2024,1,2\n"),
            [(Some(1), "duplicate-column")]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "period,value,status,category\n\
                    2024,1,final,total\n\
                    2024-13,2,final,total\n\
                    2022,,final,total\n\
                    2021,4,guessed,total\n\
                    2020,5,final,a/b\n\
                    2019,6\n\
                    2024,7,final,\n";
        assert_eq!(
            problems(text.as_bytes()),
            [
                (Some(3), "bad-period"),
                (Some(4), "empty-field"),
                (Some(5), "bad-status"),
                (Some(6), "bad-category"),
                (Some(7), "field-count"),
                (Some(8), "duplicate-period"),
            ]
        );
        let dup = parse_upload(text.as_bytes()).unwrap_err().errors[5].clone();
        assert_eq!(
            dup.problem,
            UploadProblem::DuplicatePeriod {
                category: "total".into(),
                period: "2024".into(),
                first_line: 2
            }
        );
    }

    #[test]
    fn empty_huge_header_only_and_binary_files_are_refused() {
        assert_eq!(problems(b""), [(None, "empty")]);
        assert_eq!(problems(b"\n \r\n"), [(None, "empty")]);
        assert_eq!(problems(b"period,value\n"), [(None, "no-rows")]);
        let huge = vec![b'1'; MAX_UPLOAD_BYTES + 1];
        assert_eq!(problems(&huge), [(None, "too-large")]);
        assert_eq!(
            problems(b"period,value\n2024,1\n2023,\xff\xfe\n"),
            [(Some(3), "not-utf8")]
        );
    }

    #[test]
    fn problems_beyond_the_reported_maximum_are_counted() {
        let mut text = String::from("period,value\n");
        for y in 0..150 {
            text.push_str(&format!("{},x\n", 1900 + y));
        }
        let err = parse_upload(text.as_bytes()).unwrap_err();
        assert_eq!(err.errors.len(), MAX_REPORTED_ERRORS);
        assert_eq!(err.total, 150);
    }

    #[test]
    fn an_unclosed_quote_swallows_the_rest_and_is_reported_where_it_opens() {
        // The open quote makes the rest of the file one value, which is not a number.
        assert_eq!(
            problems(b"period,value\n2024,\"1\n2023,2\n"),
            [(Some(2), "bad-number")]
        );
    }

    #[test]
    fn rows_become_figures_with_the_upload_provenance() {
        let parsed = parse_upload(b"period,value\n2024,10\n").unwrap();
        let series = SeriesId::parse("ethos_regional").unwrap();
        let figures = to_observations(&parsed.rows, &series, "Gemeente Utrecht", "https://x.nl");
        assert_eq!(figures[0].observation.series, series);
        assert_eq!(figures[0].source_label, "Gemeente Utrecht");
    }

    fn form() -> UploadForm {
        UploadForm {
            target: "new".into(),
            new_id: "ethos_regional".into(),
            new_title_nl: "Dakloosheid (ETHOS) per regio".into(),
            new_title_en: "Homelessness (ETHOS) by region".into(),
            new_unit: "persons".into(),
            new_measure: "level".into(),
            new_licence: "CC BY 4.0".into(),
            source_label: "Gemeente Utrecht".into(),
            source_url: "https://www.utrecht.nl/".into(),
            ..UploadForm::default()
        }
    }

    #[test]
    fn a_new_series_form_becomes_series_metadata() {
        let checked = check_upload_form(&form(), &[]).unwrap();
        let UploadTarget::New(meta) = checked.target else {
            panic!("expected a new series");
        };
        assert_eq!(meta.id.as_str(), "ethos_regional");
        assert_eq!(meta.producer, "Gemeente Utrecht");
        assert_eq!(meta.licence_url, "https://www.utrecht.nl/");
        assert_eq!(meta.source, None);
    }

    #[test]
    fn every_problem_of_the_upload_form_names_its_field() {
        // Arrange
        let taken = SeriesId::parse("ethos_regional").unwrap();
        let mut bad = form();
        bad.new_unit = "euro".into();
        bad.new_title_en = String::new();
        bad.source_url = "javascript:alert(1)".into();
        // Act
        let errors = check_upload_form(&bad, std::slice::from_ref(&taken)).unwrap_err();
        // Assert
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.problem.key())).collect();
        assert_eq!(
            fields,
            [
                ("source_url", "bad-url"),
                ("new_id", "taken"),
                ("new_title_en", "required"),
                ("new_unit", "bad-choice"),
            ]
        );
        let existing = UploadForm {
            target: "existing".into(),
            series: "mystery".into(),
            ..form()
        };
        let errors = check_upload_form(&existing, &[taken]).unwrap_err();
        assert_eq!(errors[0].field, "series");
        assert_eq!(errors[0].problem.key(), "unknown-series");
    }

    proptest! {
        #[test]
        fn written_rows_read_back(values in proptest::collection::vec(-1.0e9f64..1.0e9, 1..40), semicolon: bool) {
            // Arrange: one row per year, in the notation of the separator.
            let sep = if semicolon { ';' } else { ',' };
            let mut text = format!("period{sep}value\n");
            for (i, v) in values.iter().enumerate() {
                let mut number = format!("{v:.3}");
                if semicolon {
                    number = number.replace('.', ",");
                }
                text.push_str(&format!("{}{sep}{number}\n", 1900 + i));
            }
            // Act
            let parsed = parse_upload(text.as_bytes()).unwrap();
            // Assert
            prop_assert_eq!(parsed.rows.len(), values.len());
            for (row, v) in parsed.rows.iter().zip(&values) {
                prop_assert!((row.value - v).abs() < 0.001);
            }
        }

        #[test]
        fn a_bad_row_is_reported_on_its_own_line(
            blanks in proptest::collection::vec(0usize..3, 1..30),
            crlf: bool,
            bad in any::<proptest::sample::Index>(),
        ) {
            // Arrange: rows separated by blank lines, one of them with a bad value.
            let end = if crlf { "\r\n" } else { "\n" };
            let bad = bad.index(blanks.len());
            let mut text = format!("period,value{end}");
            let mut line = 1;
            let mut bad_line = 0;
            for (i, n) in blanks.iter().enumerate() {
                for _ in 0..*n {
                    text.push_str(end);
                    line += 1;
                }
                line += 1;
                let value = if i == bad { bad_line = line; "x" } else { "1" };
                text.push_str(&format!("{},{value}{end}", 1900 + i));
            }
            // Act
            let err = parse_upload(text.as_bytes()).unwrap_err();
            // Assert
            prop_assert_eq!(err.errors.len(), 1);
            prop_assert_eq!(err.errors[0].line, Some(bad_line));
        }

        #[test]
        fn a_file_with_every_column_reads_back(
            rows in proptest::collection::btree_map(
                ("[A-Z]{0,2}[0-9]{0,4}", 1900i32..2100, 0usize..4),
                (
                    -1_000_000_000i64..1_000_000_000,
                    proptest::sample::select(ObservationStatus::ALL.to_vec()),
                    "[A-Za-z0-9,;\"' .]{0,40}",
                    any::<bool>(),
                ),
                1..30,
            ),
            semicolon: bool,
            dutch_header: bool,
        ) {
            // Arrange: written with the csv crate (quoting notes with separators and quotes),
            // decimals in the notation the separator goes with, periods in both spellings.
            let sep = if semicolon { b';' } else { b',' };
            let mut writer = csv::WriterBuilder::new().delimiter(sep).from_writer(Vec::new());
            let header = if dutch_header {
                ["periode", "waarde", "categorie", "status", "toelichting"]
            } else {
                ["period", "value", "category", "status", "note"]
            };
            writer.write_record(header).unwrap();
            let mut expected = Vec::new();
            for ((category, year, grain), (hundredths, status, note, cbs_code)) in &rows {
                let period = match grain {
                    0 => Period::Year(*year),
                    1 => Period::Quarter(*year, 2),
                    2 => Period::Month(*year, 11),
                    _ => Period::HalfYear(*year, 1),
                };
                let value = *hundredths as f64 / 100.0;
                let mut number = format!("{value:.2}");
                if semicolon {
                    number = number.replace('.', ",");
                }
                let period_text = if *cbs_code { period.cbs_code() } else { period.to_string() };
                writer.write_record([period_text.as_str(), &number, category, status.as_str(), note]).unwrap();
                let category = if category.is_empty() {
                    CategoryKey::total()
                } else {
                    CategoryKey::parse(category).unwrap()
                };
                let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
                expected.push((category, period, value, *status, note));
            }
            let bytes = writer.into_inner().unwrap();
            // Act
            let parsed = parse_upload(&bytes).unwrap();
            // Assert
            prop_assert_eq!(parsed.separator, sep as char);
            prop_assert_eq!(parsed.rows.len(), expected.len());
            for (i, (row, (category, period, value, status, note))) in parsed.rows.iter().zip(&expected).enumerate() {
                prop_assert_eq!(row.line, i as u64 + 2);
                prop_assert_eq!(&row.category, category);
                prop_assert_eq!(row.period, *period);
                prop_assert!((row.value - value).abs() < 1e-6, "{} != {}", row.value, value);
                prop_assert_eq!(row.status, *status);
                prop_assert_eq!(&row.note, note);
            }
        }

        #[test]
        fn csv_shaped_text_never_panics(
            lines in proptest::collection::vec("[a-z0-9,;\" .\\-/]{0,30}", 0..20),
            header in proptest::sample::select(vec![
                "period,value", "period;value", "periode;waarde;categorie", "period,value,category,status,note",
            ]),
            crlf: bool,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text = format!("{header}{end}{}", lines.join(end));
            match parse_upload(text.as_bytes()) {
                Ok(p) => prop_assert!(!p.rows.is_empty()),
                Err(r) => {
                    prop_assert!(!r.errors.is_empty());
                    prop_assert!(r.errors.iter().all(|e| e.line.is_none_or(|l| l as usize <= lines.len() + 1)));
                }
            }
        }

        #[test]
        fn any_bytes_give_rows_or_line_numbered_problems(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            match parse_upload(&bytes) {
                Ok(p) => prop_assert!(!p.rows.is_empty()),
                Err(r) => {
                    prop_assert!(!r.errors.is_empty());
                    prop_assert!(r.total >= r.errors.len());
                }
            }
        }
    }
}
