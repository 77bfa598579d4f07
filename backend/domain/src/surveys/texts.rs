//! The words of a survey, per language. The structure ([`Survey`]) carries keys only; every
//! text a respondent reads is looked up here by a key derived from it (`q.<question>`,
//! `opt.<question>.<option>`, …), so a translation is a second map with the same keys and a
//! missing translation falls back to German, text by text.

use super::{QuestionKind, Survey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The language every survey is written in first; other languages fall back to it.
pub const BASE_LANGUAGE: &str = "de";
/// Leichte Sprache: a variant of German with its own texts (BCP 47 private use subtag).
pub const LEICHTE_SPRACHE: &str = "de-x-ls";
/// Longest single text (an introduction or a privacy notice), in characters.
pub const TEXT_MAX: usize = 10_000;

/// Language tag → text key → text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Translations(pub BTreeMap<String, BTreeMap<String, String>>);

/// What is wrong with the texts of a survey.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the German text {0:?} is missing")]
    Missing(String),
    #[error("{0:?} is not a text of this survey")]
    Unknown(String),
    #[error("{0:?} is not a language tag (e.g. de, en, tr, de-x-ls)")]
    BadLanguage(String),
    #[error("the text {0:?} is longer than {TEXT_MAX} characters")]
    TooLong(String),
}

impl TextError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing(_) => "TEXT_MISSING",
            Self::Unknown(_) => "TEXT_UNKNOWN",
            Self::BadLanguage(_) => "BAD_LANGUAGE",
            Self::TooLong(_) => "TEXT_TOO_LONG",
        }
    }
}

/// Every text key a survey can have, with whether German must have it.
pub fn keys(survey: &Survey) -> Vec<(String, bool)> {
    let mut out = vec![
        ("title".to_owned(), true),
        ("intro".to_owned(), false),
        ("privacy".to_owned(), false),
        ("thanks".to_owned(), false),
    ];
    for s in &survey.sections {
        out.push((format!("section.{}", s.key), false));
        for q in &s.questions {
            let k = &q.key;
            out.push((format!("q.{k}"), true));
            out.push((format!("help.{k}"), false));
            let options = match &q.kind {
                QuestionKind::SingleChoice { options }
                | QuestionKind::MultipleChoice { options, .. }
                | QuestionKind::Ranking { options } => options.as_slice(),
                QuestionKind::Matrix { items, scale } => {
                    out.extend(items.iter().map(|i| (format!("item.{k}.{i}"), true)));
                    scale.as_slice()
                }
                QuestionKind::Rating { .. } => {
                    out.push((format!("low.{k}"), true));
                    out.push((format!("high.{k}"), true));
                    &[]
                }
                _ => &[],
            };
            out.extend(options.iter().map(|o| (format!("opt.{k}.{}", o.key), true)));
        }
    }
    out
}

fn good_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        && tag.len() <= 35
}

impl Translations {
    /// Checks that German has every required text, that no language has a text the survey
    /// does not use (a typo in a key would otherwise be silently ignored), and the lengths.
    ///
    /// # Errors
    /// The first [`TextError`] found.
    pub fn check(&self, survey: &Survey) -> Result<(), TextError> {
        let all = keys(survey);
        let base = self.0.get(BASE_LANGUAGE);
        for (k, required) in &all {
            let present = base
                .and_then(|b| b.get(k))
                .is_some_and(|t| !t.trim().is_empty());
            if *required && !present {
                return Err(TextError::Missing(k.clone()));
            }
        }
        for (lang, texts) in &self.0 {
            if !good_language(lang) {
                return Err(TextError::BadLanguage(lang.chars().take(40).collect()));
            }
            for (k, t) in texts {
                if !all.iter().any(|(known, _)| known == k) {
                    return Err(TextError::Unknown(k.chars().take(80).collect()));
                }
                if t.chars().count() > TEXT_MAX {
                    return Err(TextError::TooLong(k.clone()));
                }
            }
        }
        Ok(())
    }

    /// The languages with texts, German first.
    pub fn languages(&self) -> Vec<String> {
        let mut out = vec![BASE_LANGUAGE.to_owned()];
        out.extend(self.0.keys().filter(|l| *l != BASE_LANGUAGE).cloned());
        out
    }

    /// The German texts `lang` lacks: a respondent would read them in German.
    pub fn missing(&self, survey: &Survey, lang: &str) -> Vec<String> {
        if lang == BASE_LANGUAGE {
            return Vec::new();
        }
        let base = self.0.get(BASE_LANGUAGE);
        let own = self.0.get(lang);
        keys(survey)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| {
                let has = |m: Option<&BTreeMap<String, String>>| {
                    m.and_then(|m| m.get(k))
                        .is_some_and(|t| !t.trim().is_empty())
                };
                has(base) && !has(own)
            })
            .collect()
    }

    /// How many of the German texts `lang` has (translated, of all).
    pub fn completeness(&self, survey: &Survey, lang: &str) -> (usize, usize) {
        let base = self.0.get(BASE_LANGUAGE);
        let total = keys(survey)
            .iter()
            .filter(|(k, _)| {
                base.and_then(|b| b.get(k))
                    .is_some_and(|t| !t.trim().is_empty())
            })
            .count();
        (total - self.missing(survey, lang).len(), total)
    }

    /// The languages respondents are offered: German, and every language that has all of
    /// German's texts. A page in a half-translated language would mix German into a page
    /// declared to be in that language (WCAG 3.1.2), so it waits until it is complete.
    pub fn offered(&self, survey: &Survey) -> Vec<String> {
        self.languages()
            .into_iter()
            .filter(|l| self.missing(survey, l).is_empty())
            .collect()
    }

    /// The texts in one language, falling back to German text by text.
    pub fn of<'a>(&'a self, lang: &str) -> Texts<'a> {
        Texts {
            lang: self.0.get(lang),
            base: self.0.get(BASE_LANGUAGE),
        }
    }
}

/// The texts of one language with the German fallback.
#[derive(Debug, Clone, Copy)]
pub struct Texts<'a> {
    lang: Option<&'a BTreeMap<String, String>>,
    base: Option<&'a BTreeMap<String, String>>,
}

impl<'a> Texts<'a> {
    /// The text, or `None` when neither the language nor German has it.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.lang
            .and_then(|l| l.get(key))
            .or_else(|| self.base.and_then(|b| b.get(key)))
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    /// The text, or its key when there is none (visible in a preview, never empty).
    pub fn or_key(&self, key: &str) -> String {
        self.get(key).unwrap_or(key).to_owned()
    }

    pub fn question(&self, q: &str) -> String {
        self.or_key(&format!("q.{q}"))
    }

    pub fn option(&self, q: &str, o: &str) -> String {
        self.or_key(&format!("opt.{q}.{o}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn survey() -> Survey {
        serde_json::from_value(json!({"sections": [{"key": "a", "questions": [
            {"key": "sicher", "kind": {"type": "single_choice", "options": [
                {"key": "ja", "code": 1}, {"key": "nein", "code": 2}]}},
            {"key": "note", "kind": {"type": "rating", "min": 1, "max": 5}}
        ]}]}))
        .expect("survey")
    }

    fn texts(v: serde_json::Value) -> Translations {
        serde_json::from_value(v).expect("texts")
    }

    #[test]
    fn german_is_complete_and_other_languages_fall_back() {
        let de = json!({"title": "Sicher?", "q.sicher": "Fühlen Sie sich sicher?",
            "opt.sicher.ja": "Ja", "opt.sicher.nein": "Nein", "q.note": "Note",
            "low.note": "schlecht", "high.note": "gut"});
        let t = texts(json!({"de": de, "tr": {"opt.sicher.ja": "Evet"}}));
        assert_eq!(t.check(&survey()), Ok(()));
        assert_eq!(t.of("tr").option("sicher", "ja"), "Evet");
        assert_eq!(
            t.of("tr").option("sicher", "nein"),
            "Nein",
            "German fallback"
        );
        assert_eq!(t.of("xx").question("sicher"), "Fühlen Sie sich sicher?");
        assert_eq!(t.languages(), vec!["de", "tr"]);

        let mut missing = t.clone();
        missing.0.get_mut("de").map(|d| d.remove("low.note"));
        assert_eq!(
            missing.check(&survey()).map_err(|e| e.code()),
            Err("TEXT_MISSING")
        );
        let mut typo = t.clone();
        typo.0
            .get_mut("tr")
            .map(|d| d.insert("opt.sicher.jaa".into(), "Evet".into()));
        assert_eq!(
            typo.check(&survey()).map_err(|e| e.code()),
            Err("TEXT_UNKNOWN")
        );
        let mut bad = t.clone();
        bad.0.insert("Deutsch!".into(), BTreeMap::new());
        assert_eq!(
            bad.check(&survey()).map_err(|e| e.code()),
            Err("BAD_LANGUAGE")
        );
        // Turkish has one of seven texts: it is counted, but not offered.
        assert_eq!(t.completeness(&survey(), "tr"), (1, 7));
        assert_eq!(t.missing(&survey(), "tr").len(), 6);
        assert_eq!(t.offered(&survey()), vec!["de"]);
        let mut full = t.clone();
        if let Some(tr) = full.0.get_mut("tr") {
            for k in t.missing(&survey(), "tr") {
                tr.insert(k, "…".into());
            }
        }
        assert_eq!(full.completeness(&survey(), "tr"), (7, 7));
        assert_eq!(full.offered(&survey()), vec!["de", "tr"]);
        let mut ls = t;
        ls.0.insert(LEICHTE_SPRACHE.into(), BTreeMap::new());
        assert_eq!(
            ls.check(&survey()),
            Ok(()),
            "Leichte Sprache is a valid tag"
        );
    }
}
