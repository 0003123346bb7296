//! The only interactive part of Koers: the controls of the series view. Without JavaScript
//! they are a plain GET form; with it, any change swaps in the new chart and table without a
//! page load and keeps the URL in step, so every view stays a permalink.

use crate::model::Explorer;
use leptos::prelude::*;

/// Range, breakdown and vintage controls of a series view.
#[island]
pub fn SeriesExplorer(explorer: Explorer) -> impl IntoView {
    let Explorer {
        action,
        series,
        lang,
        from,
        to,
        categories,
        vintage,
        grain,
        per_capita,
        years,
        options,
        labels,
    } = explorer;
    let form = NodeRef::<leptos::html::Form>::new();
    let announcement = RwSignal::new(String::new());
    // Effects run only in the browser: the marker tells tests (and styles) the island is live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let update = {
        let (action, updated) = (action.clone(), labels.updated.clone());
        move || {
            if let Some(form) = form.get_untracked() {
                swap_in(
                    &form,
                    action.clone(),
                    lang.clone(),
                    series.clone(),
                    announcement,
                    updated.clone(),
                );
            }
        }
    };
    let on_submit = {
        let update = update.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            update();
        }
    };
    let year_select = |id: &'static str, name: &'static str, label: String, chosen: i32| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id name=name>
                    {years
                        .iter()
                        .map(|y| view! { <option value=y.to_string() selected=*y == chosen>{y.to_string()}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    };
    let from_select = year_select("explorer-from", "from", labels.from.clone(), from);
    let to_select = year_select("explorer-to", "to", labels.to.clone(), to);
    let breakdown = (options.len() > 1).then(|| {
        view! {
            <fieldset class="categories">
                <legend>{labels.breakdown.clone()}</legend>
                {options
                    .iter()
                    .enumerate()
                    .map(|(i, (key, label))| {
                        let id = format!("explorer-category-{i}");
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() name="category" value=key.clone() checked=categories.contains(key) />
                                <label for=id>{label.clone()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    });
    view! {
        <form
            class="explorer"
            method="get"
            action=action
            node_ref=form
            on:change=move |_| update()
            on:submit=on_submit
            data-hydrated=move || hydrated.get().then_some("true")
        >
            <fieldset>
                <legend>{labels.heading.clone()}</legend>
                {from_select}
                {to_select}
                <div class="field">
                    <label for="explorer-vintage">{labels.vintage.clone()}</label>
                    <input
                        type="date"
                        id="explorer-vintage"
                        name="vintage"
                        value=vintage.unwrap_or_default()
                        aria-describedby="explorer-vintage-hint"
                    />
                    <span class="hint" id="explorer-vintage-hint">{labels.vintage_hint.clone()}</span>
                </div>
                {per_capita.map(|chosen| view! {
                    <fieldset class="categories display">
                        <legend>{labels.display.clone()}</legend>
                        <div class="check">
                            <input type="radio" id="explorer-per-absolute" name="per" value="" checked=!chosen />
                            <label for="explorer-per-absolute">{labels.absolute.clone()}</label>
                        </div>
                        <div class="check">
                            <input type="radio" id="explorer-per-10k" name="per" value="10000" checked=chosen />
                            <label for="explorer-per-10k">{labels.per_10k.clone()}</label>
                        </div>
                    </fieldset>
                })}
                {breakdown}
                {grain.map(|g| view! { <input type="hidden" name="grain" value=g /> })}
                <button type="submit">{labels.apply.clone()}</button>
            </fieldset>
            <p class="visually-hidden" role="status">{move || announcement.get()}</p>
        </form>
    }
}

/// The form's choices as a query string, without empty fields and without the default
/// category, exactly as a plain form submission would read them.
#[cfg(feature = "hydrate")]
fn form_query(form: &web_sys::HtmlFormElement) -> String {
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return String::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
        return String::new();
    };
    let raw = String::from(params.to_string());
    let parsed = crate::query::SeriesQuery::from_query_string(&raw);
    let categories: Vec<&String> = parsed.category.iter().collect();
    let only_total = categories.is_empty()
        || (categories.len() == 1 && categories[0] == domain::CategoryKey::TOTAL);
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [("from", &parsed.from), ("to", &parsed.to)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            out.append_pair(key, v);
        }
    }
    if !only_total {
        for c in categories {
            out.append_pair("category", c);
        }
    }
    if let Some(v) = parsed.grain.as_deref().filter(|v| !v.is_empty()) {
        out.append_pair("grain", v);
    }
    if let Some(v) = parsed.per.as_deref().filter(|v| !v.is_empty()) {
        out.append_pair("per", v);
    }
    if let Some(v) = parsed.vintage.as_deref().filter(|v| !v.is_empty()) {
        out.append_pair("vintage", v);
    }
    out.finish()
}

/// Fetches the view for the form's choices, swaps it into `#series-view`, updates the URL.
#[cfg(feature = "hydrate")]
fn swap_in(
    form: &web_sys::HtmlFormElement,
    action: String,
    lang: String,
    series: String,
    announcement: RwSignal<String>,
    updated: String,
) {
    use wasm_bindgen::JsValue;
    let query_string = form_query(form);
    let url = if query_string.is_empty() {
        action
    } else {
        format!("{action}?{query_string}")
    };
    let query = crate::query::SeriesQuery::from_query_string(&query_string);
    leptos::task::spawn_local(async move {
        let container = document().get_element_by_id("series-view");
        if let Some(el) = &container {
            let _ = el.set_attribute("aria-busy", "true");
        }
        match crate::api::get_series_view(lang, series, query).await {
            Ok(html) => {
                if let Some(el) = &container {
                    el.set_inner_html(&html);
                }
                if let Ok(history) = window().history() {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
                }
                keep_language_switch_in_step(&query_string);
                announcement.set(updated);
            }
            Err(e) => announcement.set(e.to_string()),
        }
        if let Some(el) = &container {
            let _ = el.remove_attribute("aria-busy");
        }
    });
}

/// Points the header's language switch at the same view in the other language, so it keeps
/// the choices made in place (the server wrote it for the query the page was loaded with).
#[cfg(feature = "hydrate")]
fn keep_language_switch_in_step(query_string: &str) {
    let Some(switch) = document()
        .query_selector(".site-header a[hreflang]")
        .ok()
        .flatten()
    else {
        return;
    };
    let Some(href) = switch.get_attribute("href") else {
        return;
    };
    let path = href.split('?').next().unwrap_or_default();
    let href = if query_string.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query_string}")
    };
    let _ = switch.set_attribute("href", &href);
}

/// On the server the form is submitted normally; nothing to swap.
#[cfg(not(feature = "hydrate"))]
fn swap_in(
    _form: &leptos::tachys::renderer::types::Element,
    _action: String,
    _lang: String,
    _series: String,
    _announcement: RwSignal<String>,
    _updated: String,
) {
}
