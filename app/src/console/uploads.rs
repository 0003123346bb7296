//! Manual data in the console: the CSV format, the upload form (editors) with every problem of
//! a refused file listed by line, the recent uploads, and the result of one upload.

use super::goals::{ErrorSummary, FieldMessage, FormField, Input};
use super::{CsrfField, tr, tr_args, when};
use domain::Locale;
use domain::edits::UploadForm;
use leptos::prelude::*;

/// A problem in an uploaded file, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMessage {
    /// 1-based line (`None`: the file as a whole).
    pub line: Option<u64>,
    /// What is wrong, translated.
    pub text: String,
}

/// An upload in the list or on its result page.
#[derive(Debug, Clone)]
pub struct UploadView {
    /// Row id.
    pub id: i64,
    /// Series id.
    pub series: String,
    /// Series title.
    pub series_title: String,
    /// File name.
    pub file_name: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256, hex.
    pub checksum: String,
    /// Who.
    pub uploaded_by: String,
    /// When (epoch ms).
    pub uploaded_at: i64,
    /// Whether it created the series.
    pub created_series: bool,
    /// Figures new / revised / unchanged.
    pub counts: (i64, i64, i64),
    /// The fetch row it was written under.
    pub fetch_id: i64,
}

fn select(
    name: &'static str,
    selected: &str,
    options: Vec<(String, String)>,
    described: Option<&'static str>,
    invalid: Option<&'static str>,
) -> impl IntoView + use<> {
    let options = options
        .into_iter()
        .map(|(value, label)| {
            let is = value == selected;
            view! { <option value=value selected=is>{label}</option> }
        })
        .collect_view();
    view! { <select id=name name=name aria-describedby=described aria-invalid=invalid>{options}</select> }
}

fn field_error(locale: Locale, errors: &[FieldMessage], name: &str) -> Option<AnyView> {
    errors.iter().find(|e| e.field == name).map(|e| {
        let id = format!("{name}-error");
        view! {
            <span class="field-error" id=id>
                <span class="visually-hidden">{tr(locale, "targets-error-prefix")}</span>{e.text.clone()}
            </span>
        }
        .into_any()
    })
}

/// The CSV format, as the page explains it.
#[component]
fn FormatHelp(locale: Locale) -> impl IntoView {
    let items = [
        "uploads-format-encoding",
        "uploads-format-columns",
        "uploads-format-separator",
        "uploads-format-period",
        "uploads-format-category",
        "uploads-format-status",
        "uploads-format-unique",
        "uploads-format-atomic",
    ]
    .into_iter()
    .map(|k| view! { <li>{tr(locale, k)}</li> })
    .collect_view();
    view! {
        <section aria-labelledby="format-heading">
            <h2 id="format-heading">{tr(locale, "uploads-format-heading")}</h2>
            <ul>{items}</ul>
            <p>{tr(locale, "uploads-format-example")}</p>
            <pre class="csv-example" tabindex="0" aria-label=tr(locale, "uploads-format-example")>"period,value,category,status,note\n2024,412,GM0344,final,\n2024,1280,GM0363,provisional,\"telling ETHOS, eerste ronde\"\n2023,398,GM0344,final,\n"</pre>
        </section>
    }
}

/// `/console/uploads`: the format, the form (editors), a refused file's problems, the list.
#[component]
pub fn UploadsPage(
    locale: Locale,
    csrf: String,
    can_edit: bool,
    values: UploadForm,
    errors: Vec<FieldMessage>,
    file_errors: Vec<LineMessage>,
    file_errors_total: usize,
    series_options: Vec<(String, String)>,
    uploads: Vec<UploadView>,
    max_mb: u32,
) -> impl IntoView {
    let mut summary = errors.clone();
    if file_errors_total > 0 {
        summary.push(FieldMessage {
            field: "file-problems".into(),
            text: tr_args(
                locale,
                "uploads-file-has-problems",
                &[("count", file_errors_total.to_string())],
            ),
        });
    }
    let problems = (!file_errors.is_empty()).then(|| {
        let shown = file_errors.len();
        let rows = file_errors
            .into_iter()
            .map(|p| {
                let line = p.line.map_or_else(|| "–".to_owned(), |l| l.to_string());
                view! { <tr><td class="num">{line}</td><td>{p.text}</td></tr> }
            })
            .collect_view();
        let more = (file_errors_total > shown).then(|| {
            view! { <p>{tr_args(locale, "uploads-more-problems", &[("count", (file_errors_total - shown).to_string())])}</p> }
        });
        view! {
            <div class="table-wrap" role="region" tabindex="-1" id="file-problems" aria-labelledby="problems-caption">
                <table class="problems">
                    <caption id="problems-caption">{tr(locale, "uploads-problems-caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">{tr(locale, "uploads-line")}</th>
                            <th scope="col">{tr(locale, "uploads-problem")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {more}
        }
    });
    let form = can_edit.then(|| {
        let e = errors.clone();
        let target_new = values.target == "new";
        let file_error = field_error(locale, &e, "file");
        let file_invalid = file_error.is_some().then_some("true");
        let series_error = field_error(locale, &e, "series");
        let series_invalid = series_error.is_some().then_some("true");
        let unit_error = field_error(locale, &e, "new_unit");
        let unit_invalid = unit_error.is_some().then_some("true");
        let units = ["persons", "dwellings", "percent"]
            .into_iter()
            .map(|u| (u.to_owned(), tr(locale, &format!("unit-{u}"))))
            .collect();
        let measures = ["level", "flow"]
            .into_iter()
            .map(|m| (m.to_owned(), tr(locale, &format!("uploads-measure-{m}"))))
            .collect();
        let mut series = vec![(String::new(), tr(locale, "uploads-choose-series"))];
        series.extend(series_options);
        view! {
            <h2 id="upload-heading">{tr(locale, "uploads-form-heading")}</h2>
            <form method="post" action="/console/uploads" enctype="multipart/form-data" class="console-form narrow"
                novalidate aria-labelledby="upload-heading">
                <CsrfField token=csrf />
                <fieldset>
                    <legend>{tr(locale, "uploads-target")}</legend>
                    <div class="check">
                        <input type="radio" id="target-existing" name="target" value="existing" checked=!target_new />
                        <label for="target-existing">{tr(locale, "uploads-target-existing")}</label>
                    </div>
                    <div class="field" class:field-invalid=series_invalid.is_some()>
                        <label for="series">{tr(locale, "uploads-series")}</label>
                        {series_error}
                        {select("series", &values.series, series, series_invalid.map(|_| "series-error"), series_invalid)}
                    </div>
                    <div class="check">
                        <input type="radio" id="target-new" name="target" value="new" checked=target_new />
                        <label for="target-new">{tr(locale, "uploads-target-new")}</label>
                    </div>
                    <fieldset>
                        <legend>{tr(locale, "uploads-new-series")}</legend>
                        <FormField locale name="new_id" label=tr(locale, "uploads-new-id") hint=tr(locale, "uploads-new-id-hint")
                            value=values.new_id errors=e.clone() />
                        <FormField locale name="new_title_nl" label=tr(locale, "uploads-new-title-nl") value=values.new_title_nl errors=e.clone() />
                        <FormField locale name="new_title_en" label=tr(locale, "uploads-new-title-en") value=values.new_title_en errors=e.clone() />
                        <div class="field" class:field-invalid=unit_invalid.is_some()>
                            <label for="new_unit">{tr(locale, "uploads-new-unit")}</label>
                            {unit_error}
                            {select("new_unit", &values.new_unit, units, unit_invalid.map(|_| "new_unit-error"), unit_invalid)}
                        </div>
                        <div class="field">
                            <label for="new_measure">{tr(locale, "uploads-new-measure")}</label>
                            {select("new_measure", &values.new_measure, measures, None, None)}
                        </div>
                        <FormField locale name="new_description_nl" label=tr(locale, "uploads-new-description-nl")
                            value=values.new_description_nl input=Input::Multiline errors=e.clone() />
                        <FormField locale name="new_description_en" label=tr(locale, "uploads-new-description-en")
                            value=values.new_description_en input=Input::Multiline errors=e.clone() />
                        <FormField locale name="new_licence" label=tr(locale, "uploads-new-licence") hint=tr(locale, "uploads-new-licence-hint")
                            value=values.new_licence errors=e.clone() />
                        <FormField locale name="new_licence_url" label=tr(locale, "uploads-new-licence-url")
                            value=values.new_licence_url input=Input::Url errors=e.clone() />
                    </fieldset>
                </fieldset>
                <FormField locale name="source_label" label=tr(locale, "uploads-source-label") hint=tr(locale, "uploads-source-label-hint")
                    value=values.source_label required=true errors=e.clone() />
                <FormField locale name="source_url" label=tr(locale, "uploads-source-url")
                    value=values.source_url required=true input=Input::Url errors=e.clone() />
                <div class="field" class:field-invalid=file_invalid.is_some()>
                    <label for="file">{tr(locale, "uploads-file")}</label>
                    <span class="hint" id="file-hint">{tr_args(locale, "uploads-file-hint", &[("max", max_mb.to_string())])}</span>
                    {file_error}
                    <input type="file" id="file" name="file" accept=".csv,text/csv" required
                        aria-invalid=file_invalid
                        aria-describedby=if file_invalid.is_some() { "file-hint file-error" } else { "file-hint" } />
                </div>
                <button type="submit">{tr(locale, "uploads-submit")}</button>
            </form>
        }
    });
    let list = uploads
        .into_iter()
        .map(|u| {
            let href = format!("/console/uploads/{}", u.id);
            view! {
                <tr>
                    <td>{when(locale, u.uploaded_at)}</td>
                    <th scope="row"><a href=href>{u.file_name}</a></th>
                    <td>{u.series_title}</td>
                    <td>{u.uploaded_by}</td>
                    <td class="num">{u.counts.0}</td>
                    <td class="num">{u.counts.1}</td>
                    <td class="num">{u.counts.2}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{tr(locale, "uploads-intro")}</p>
        <ErrorSummary locale errors=summary />
        {problems}
        {form}
        <FormatHelp locale />
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="uploads-caption">
            <table>
                <caption id="uploads-caption">{tr(locale, "uploads-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "uploads-when")}</th>
                        <th scope="col">{tr(locale, "uploads-file")}</th>
                        <th scope="col">{tr(locale, "uploads-target")}</th>
                        <th scope="col">{tr(locale, "uploads-by")}</th>
                        <th scope="col" class="num">{tr(locale, "uploads-new")}</th>
                        <th scope="col" class="num">{tr(locale, "uploads-revised")}</th>
                        <th scope="col" class="num">{tr(locale, "uploads-unchanged")}</th>
                    </tr>
                </thead>
                <tbody>{list}</tbody>
            </table>
        </div>
    }
}

/// `/console/uploads/{id}`: what one upload stored.
#[component]
pub fn UploadResultPage(locale: Locale, upload: UploadView) -> impl IntoView {
    let series_href = format!("{}/series/{}", locale.prefix(), upload.series);
    let history_href = format!("/api/v1/series/{}/history", upload.series);
    let created = upload
        .created_series
        .then(|| view! { <p>{tr(locale, "uploads-created-series")}</p> });
    let facts = [
        (tr(locale, "uploads-file"), upload.file_name.clone()),
        (
            tr(locale, "uploads-target"),
            format!("{} ({})", upload.series_title, upload.series),
        ),
        (tr(locale, "uploads-by"), upload.uploaded_by.clone()),
        (tr(locale, "uploads-when"), when(locale, upload.uploaded_at)),
        (
            tr(locale, "uploads-size"),
            tr_args(
                locale,
                "uploads-bytes",
                &[("size", upload.size_bytes.to_string())],
            ),
        ),
        (tr(locale, "uploads-checksum"), upload.checksum.clone()),
        (tr(locale, "uploads-fetch"), upload.fetch_id.to_string()),
        (tr(locale, "uploads-new"), upload.counts.0.to_string()),
        (tr(locale, "uploads-revised"), upload.counts.1.to_string()),
        (tr(locale, "uploads-unchanged"), upload.counts.2.to_string()),
    ];
    view! {
        {created}
        <dl class="facts">
            {facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
        <p><a href=series_href>{tr(locale, "uploads-view-series")}</a></p>
        <p><a href=history_href>{tr(locale, "uploads-view-history")}</a></p>
        <p><a href="/console/uploads">{tr_args(locale, "targets-back", &[("page", tr(locale, "console-nav-uploads"))])}</a></p>
    }
}
