//! Duplicates among imported entries: the same name (ignoring case, umlauts, punctuation and
//! legal-form words) near the same place. Reported to the planner, never stored twice.

use super::Point;

/// How near two entries must be to count as the same place, in metres.
pub const NEAR_M: f64 = 100.0;

/// A name reduced to what identifies it: lower case, umlauts spelt out, punctuation and
/// legal-form or filler words (`e.V.`, `gGmbH`, `der`, …) dropped.
pub fn name_key(name: &str) -> String {
    const FILLER: &[&str] = &[
        "ev", "e", "v", "ggmbh", "gmbh", "der", "die", "das", "und", "fuer", "in", "im", "am",
    ];
    let mut plain = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => plain.push_str("ae"),
            'ö' => plain.push_str("oe"),
            'ü' => plain.push_str("ue"),
            'ß' => plain.push_str("ss"),
            c if c.is_alphanumeric() => plain.push(c),
            '.' => {}
            _ => plain.push(' '),
        }
    }
    plain
        .split_whitespace()
        .filter(|w| !FILLER.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two entries are the same: the same name key within [`NEAR_M`].
pub fn same(a_name: &str, a: &Point, b_name: &str, b: &Point) -> bool {
    let (ka, kb) = (name_key(a_name), name_key(b_name));
    !ka.is_empty() && ka == kb && a.distance_m(b) <= NEAR_M
}

/// Indices of entries that duplicate an earlier one in the list (with that one's index).
/// Entries are bucketed by name key, so this stays fast for 10,000-row imports.
pub fn duplicates_within(entries: &[(String, Point)]) -> Vec<(usize, usize)> {
    let mut by_key: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    for (i, (name, p)) in entries.iter().enumerate() {
        let key = name_key(name);
        if key.is_empty() {
            continue;
        }
        let bucket = by_key.entry(key).or_default();
        if let Some(first) = bucket
            .iter()
            .find(|j| entries[**j].1.distance_m(p) <= NEAR_M)
        {
            out.push((i, *first));
        } else {
            bucket.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_without_noise() {
        assert_eq!(name_key("Kalk-Treff e.V."), "kalk treff");
        assert_eq!(
            name_key("Familienzentrum Höhenberg gGmbH"),
            "familienzentrum hoehenberg"
        );
        let p = Point {
            lon: 7.0,
            lat: 50.94,
        };
        let near = Point {
            lon: 7.0005,
            lat: 50.9402,
        };
        let far = Point {
            lon: 7.01,
            lat: 50.94,
        };
        assert!(same("Kalk-Treff e.V.", &p, "KALK TREFF", &near));
        assert!(!same("Kalk-Treff", &p, "Kalk-Treff", &far), "another place");
        assert!(!same("Kalk-Treff", &p, "Vingst-Treff", &near));
        let list = vec![
            ("St. Marien".to_owned(), p),
            ("Moschee Kalk".to_owned(), far),
            ("St Marien".to_owned(), near),
            ("St. Marien".to_owned(), far),
        ];
        assert_eq!(duplicates_within(&list), vec![(2, 0)]);
    }
}
