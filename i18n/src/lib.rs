//! Koers in Dutch and English: every user-facing text (Fluent files in `locales/`), number and
//! date formats per language, and the generated progress sentences.
//!
//! Server-side only: pages are rendered on the server, so the wasm bundle carries no texts.

mod format;
mod sentences;

pub use domain::Locale;
pub use format::{
    format_count, format_date, format_number, format_percent, format_period, format_signed,
    format_timestamp, format_value, month_name,
};
pub use sentences::{LatestChange, goal_sentence, progress_sentence, status_label};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        // No Unicode isolation marks around arguments: texts also go into CSV, SVG and alt text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

fn lang(locale: Locale) -> &'static LanguageIdentifier {
    match locale {
        Locale::Nl => &NL,
        Locale::En => &EN,
    }
}

/// The text with this key. A missing key shows the key itself (and fails the tests below).
pub fn t(locale: Locale, key: &str) -> String {
    LOCALES
        .try_lookup(lang(locale), key)
        .unwrap_or_else(|| key.to_owned())
}

/// The text with this key and named arguments (already formatted strings).
pub fn t_args(locale: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES
        .try_lookup_with_args(lang(locale), key, &map)
        .unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next().map(str::to_owned))
            .collect()
    }

    /// Every Fluent file of a language: (file name, text).
    fn files(lang: &str) -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .map(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{e}"));
                (name.unwrap_or_default(), text)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn both_languages_define_the_same_keys_in_the_same_files() {
        let (nl, en) = (files("nl"), files("en"));
        assert_eq!(
            nl.iter().map(|f| &f.0).collect::<Vec<_>>(),
            en.iter().map(|f| &f.0).collect::<Vec<_>>(),
            "the same files in both languages"
        );
        assert!(keys(&nl[0].1).len() + keys(&nl[nl.len() - 1].1).len() > 50);
        let mut seen = BTreeSet::new();
        for ((file, nl), (_, en)) in nl.iter().zip(&en) {
            let (nl, en) = (keys(nl), keys(en));
            assert_eq!(
                nl.symmetric_difference(&en).collect::<Vec<_>>(),
                Vec::<&String>::new(),
                "{file}"
            );
            for key in nl {
                assert!(seen.insert(key.clone()), "{key} is defined twice ({file})");
            }
        }
    }

    /// Each message with the names of the variables it uses (`$name` anywhere in its body).
    fn messages(text: &str) -> Vec<(String, Vec<&'static str>)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            if !line.starts_with([' ', '#', '\t']) && line.contains(" =") {
                let key = line.split(" =").next().unwrap_or_default().to_owned();
                out.push((key, line.to_owned()));
            } else if let Some(last) = out.last_mut() {
                last.1.push_str(line);
            }
        }
        out.into_iter()
            .map(|(key, body)| {
                let mut vars: Vec<&'static str> = body
                    .split('$')
                    .skip(1)
                    .map(|rest| {
                        rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .next()
                            .unwrap_or_default()
                    })
                    .filter(|v| !v.is_empty())
                    .map(|v| &*Box::leak(v.to_owned().into_boxed_str()))
                    .collect();
                vars.sort_unstable();
                vars.dedup();
                (key, vars)
            })
            .collect()
    }

    #[test]
    fn every_key_resolves_in_both_languages() {
        let all: Vec<_> = files("nl")
            .iter()
            .flat_map(|(_, text)| messages(text))
            .collect();
        for (key, vars) in all {
            let args: Vec<(&'static str, String)> =
                vars.iter().map(|v| (*v, "x".to_owned())).collect();
            for locale in Locale::ALL {
                assert_ne!(
                    t_args(locale, &key, &args),
                    key,
                    "{key} missing or broken in {locale:?}"
                );
            }
        }
    }

    #[test]
    fn arguments_are_inserted_without_isolation_marks() {
        let text = t_args(
            Locale::Nl,
            "freshness-checked",
            &[("date", "1 januari 2024".into())],
        );
        assert_eq!(text, "Bron gecontroleerd op 1 januari 2024");
    }
}
