//! The directory's words: stable keys (stored, searched, exported) with German labels. The
//! category list is the default taxonomy every Kommune starts with.

/// A key with its German label.
pub type Term = (&'static str, &'static str);

/// Kinds of actors (organisations).
pub const ACTOR_KINDS: &[Term] = &[
    ("verein", "Verein"),
    ("kirchengemeinde", "Kirchengemeinde"),
    ("moscheegemeinde", "Moscheegemeinde"),
    ("religionsgemeinschaft", "andere Religionsgemeinschaft"),
    ("wohlfahrtsverband", "Wohlfahrtsverband"),
    ("familienzentrum", "Familienzentrum"),
    ("jobcenter", "Jobcenter"),
    ("schule", "Schule"),
    ("kita", "Kita"),
    ("beratungsstelle", "Beratungsstelle"),
    ("jugendeinrichtung", "Jugendeinrichtung"),
    ("senioreneinrichtung", "Senioreneinrichtung"),
    ("buergerzentrum", "Bürger- und Stadtteilzentrum"),
    ("initiative", "Initiative oder Nachbarschaftsgruppe"),
    ("verwaltung", "Verwaltung"),
    ("sonstiges", "Sonstiges"),
];

/// Categories of offers (the default taxonomy).
pub const CATEGORIES: &[Term] = &[
    ("beratung", "Beratung"),
    ("bildung", "Bildung und Lernen"),
    ("sprache", "Sprachkurse"),
    ("hausaufgaben", "Hausaufgabenhilfe"),
    ("betreuung", "Betreuung"),
    ("freizeit", "Freizeit und Treffpunkte"),
    ("sport", "Sport und Bewegung"),
    ("kultur", "Kultur"),
    ("gesundheit", "Gesundheit"),
    ("pflege", "Pflege und Alltagshilfe"),
    ("arbeit", "Arbeit und Beruf"),
    ("wohnen", "Wohnen"),
    ("geld", "Geld und Schulden"),
    ("lebensmittel", "Lebensmittel und Kleidung"),
    ("engagement", "Ehrenamt und Engagement"),
    ("religion", "Religion und Seelsorge"),
    ("notfall", "Hilfe in Notlagen"),
];

/// Target groups with the ages they usually mean (for coverage per resident of that age).
pub const TARGET_GROUPS: &[(&str, &str, Option<u8>, Option<u8>)] = &[
    ("kinder", "Kinder", Some(0), Some(13)),
    ("jugendliche", "Jugendliche", Some(14), Some(17)),
    ("junge_erwachsene", "Junge Erwachsene", Some(18), Some(26)),
    ("familien", "Familien", None, None),
    ("eltern", "Eltern", None, None),
    ("senioren", "Seniorinnen und Senioren", Some(65), None),
    (
        "migranten",
        "Menschen mit Einwanderungsgeschichte",
        None,
        None,
    ),
    ("gefluechtete", "Geflüchtete", None, None),
    ("behinderung", "Menschen mit Behinderung", None, None),
    ("frauen", "Frauen", None, None),
    ("maenner", "Männer", None, None),
    ("arbeitsuchende", "Arbeitsuchende", None, None),
    ("alle", "Alle", None, None),
];

/// What an offer costs.
pub const COSTS: &[Term] = &[
    ("kostenlos", "kostenlos"),
    ("ermaessigt", "ermäßigt möglich"),
    ("kostenpflichtig", "kostenpflichtig"),
];

/// Days of the week, Monday first (ISO 8601 numbering 1–7).
pub const WEEKDAYS: &[Term] = &[
    ("mo", "Montag"),
    ("di", "Dienstag"),
    ("mi", "Mittwoch"),
    ("do", "Donnerstag"),
    ("fr", "Freitag"),
    ("sa", "Samstag"),
    ("so", "Sonntag"),
];

/// Languages an offer can be held in (ISO 639-1), the ones most asked for in NRW first.
pub const LANGUAGES: &[Term] = &[
    ("de", "Deutsch"),
    ("tr", "Türkisch"),
    ("ar", "Arabisch"),
    ("uk", "Ukrainisch"),
    ("ru", "Russisch"),
    ("pl", "Polnisch"),
    ("en", "Englisch"),
    ("fr", "Französisch"),
    ("fa", "Persisch"),
    ("ku", "Kurdisch"),
    ("ro", "Rumänisch"),
    ("bg", "Bulgarisch"),
    ("it", "Italienisch"),
    ("es", "Spanisch"),
    ("el", "Griechisch"),
    ("sq", "Albanisch"),
    ("ti", "Tigrinya"),
    ("dgs", "Deutsche Gebärdensprache"),
    ("ls", "Leichte Sprache"),
];

/// The label of a key in a list (`None` for an unknown key).
pub fn label(list: &[Term], key: &str) -> Option<&'static str> {
    list.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
}

/// The label of a target group.
pub fn target_group_label(key: &str) -> Option<&'static str> {
    TARGET_GROUPS.iter().find(|g| g.0 == key).map(|g| g.1)
}

/// Checks keys against a list; returns them sorted and without repeats.
///
/// # Errors
/// The first unknown key, with the field's name.
pub fn check_keys(
    field: &'static str,
    keys: &[String],
    known: impl Fn(&str) -> bool,
) -> Result<Vec<String>, super::EntryError> {
    let mut out: Vec<String> = Vec::with_capacity(keys.len());
    for k in keys {
        let k = k.trim();
        if k.is_empty() {
            continue;
        }
        if !known(k) {
            return Err(super::EntryError::Unknown(
                field,
                k.chars().take(40).collect(),
            ));
        }
        out.push(k.to_owned());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_checked() {
        for list in [ACTOR_KINDS, CATEGORIES, COSTS, WEEKDAYS, LANGUAGES] {
            let mut keys: Vec<_> = list.iter().map(|t| t.0).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), list.len());
        }
        assert_eq!(label(CATEGORIES, "sprache"), Some("Sprachkurse"));
        assert_eq!(
            target_group_label("senioren"),
            Some("Seniorinnen und Senioren")
        );
        let ok = check_keys(
            "categories",
            &["sport".into(), "beratung".into(), "sport".into()],
            |k| label(CATEGORIES, k).is_some(),
        );
        assert_eq!(ok, Ok(vec!["beratung".to_owned(), "sport".to_owned()]));
        let bad = check_keys("categories", &["<script>".into()], |k| {
            label(CATEGORIES, k).is_some()
        });
        assert_eq!(bad.map_err(|e| e.code()), Err("UNKNOWN_VALUE"));
    }
}
