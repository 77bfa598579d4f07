//! Postcodes → areas: a table the planners keep, so that a resident can name their Quartier by
//! postcode. A postcode often touches several Quartiere; then the respondent picks among
//! those. The table is read from CSV (`plz;gebiet`, one row per pair); the same lookup runs
//! in the server (plain form) and in the browser (wasm, offline too).

use std::collections::{BTreeMap, HashSet};

/// A German postcode from what a person typed: digits only, `D-` and spaces allowed around.
pub fn normalise(input: &str) -> Option<String> {
    let t = input.trim();
    let t = t
        .strip_prefix("D-")
        .or_else(|| t.strip_prefix("d-"))
        .unwrap_or(t)
        .trim();
    let digits: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// What a postcode says about the respondent's Quartier, among the allowed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostcodeMatch {
    /// Exactly one allowed Quartier has this postcode.
    One(i64),
    /// Several do: the respondent picks one of these.
    Several(Vec<i64>),
    /// The postcode is well-formed but no allowed Quartier has it.
    Unknown,
    /// Not a postcode.
    Invalid,
}

/// Looks a typed postcode up in `table` (postcode → areas), limited to `allowed`.
pub fn resolve(
    table: &BTreeMap<String, Vec<i64>>,
    typed: &str,
    allowed: &HashSet<i64>,
) -> PostcodeMatch {
    let Some(code) = normalise(typed) else {
        return PostcodeMatch::Invalid;
    };
    let mut hits: Vec<i64> = table
        .get(&code)
        .map(|areas| {
            areas
                .iter()
                .copied()
                .filter(|a| allowed.contains(a))
                .collect()
        })
        .unwrap_or_default();
    hits.sort_unstable();
    hits.dedup();
    match hits.as_slice() {
        [] => PostcodeMatch::Unknown,
        [one] => PostcodeMatch::One(*one),
        _ => PostcodeMatch::Several(hits),
    }
}

/// One row of a postcode file that cannot be used, with its line number (1-based, the header
/// is line 1 when there is one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Zeile {line}: {problem}")]
pub struct RowProblem {
    pub line: usize,
    pub problem: String,
}

/// One usable row of a postcode file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostcodeRow {
    /// Line in the file (1-based), for messages about the area reference.
    pub line: usize,
    pub postcode: String,
    /// The area's code or name as the planner knows it; the caller maps it to an area.
    pub area: String,
}

/// Reads `plz;gebiet` rows (separator `;`, `,` or tab; a header row is recognised by a first
/// cell without digits). Returns the usable rows and every broken one, so that a caller can
/// report problems of both kinds at once.
#[cfg(feature = "full")]
pub fn parse_csv(text: &str) -> (Vec<PostcodeRow>, Vec<RowProblem>) {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = crate::csv_in::delimiter(text);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    // Line by line (a postcode file has no multi-line cells), so numbers match the file.
    for (i, text_line) in text.lines().enumerate() {
        let line = i + 1;
        if text_line.trim().is_empty() {
            continue;
        }
        let record = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text_line.as_bytes())
            .records()
            .next();
        let record = match record {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                problems.push(RowProblem {
                    line,
                    problem: format!("nicht lesbar ({e})"),
                });
                continue;
            }
            None => continue,
        };
        let postcode = record.get(0).unwrap_or_default();
        let area = record.get(1).unwrap_or_default();
        if postcode.is_empty() && area.is_empty() {
            continue;
        }
        if line == 1 && !postcode.chars().any(|c| c.is_ascii_digit()) {
            continue; // header
        }
        match normalise(postcode) {
            Some(postcode) if !area.is_empty() => rows.push(PostcodeRow {
                line,
                postcode,
                area: area.to_owned(),
            }),
            Some(_) => problems.push(RowProblem {
                line,
                problem: "das Gebiet fehlt".into(),
            }),
            None => problems.push(RowProblem {
                line,
                problem: format!("„{postcode}“ ist keine fünfstellige Postleitzahl"),
            }),
        }
    }
    (rows, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> BTreeMap<String, Vec<i64>> {
        BTreeMap::from([
            ("51103".to_owned(), vec![1, 2]),
            ("51105".to_owned(), vec![3]),
            ("51107".to_owned(), vec![4, 9]),
        ])
    }

    #[test]
    fn typed_postcodes_are_normalised() {
        assert_eq!(normalise(" 51103 ").as_deref(), Some("51103"));
        assert_eq!(normalise("D-51103").as_deref(), Some("51103"));
        assert_eq!(normalise("511 03").as_deref(), Some("51103"));
        assert_eq!(normalise("5110"), None);
        assert_eq!(normalise("511034"), None);
        assert_eq!(normalise("5110a"), None);
        assert_eq!(normalise("٥١١٠٣"), None, "only ASCII digits");
    }

    #[test]
    fn a_postcode_resolves_within_the_allowed_areas() {
        let all: HashSet<i64> = [1, 2, 3, 4].into();
        assert_eq!(resolve(&table(), "51105", &all), PostcodeMatch::One(3));
        assert_eq!(
            resolve(&table(), "51103", &all),
            PostcodeMatch::Several(vec![1, 2])
        );
        // 9 is not a target of the survey: 51107 then means Quartier 4 only.
        assert_eq!(resolve(&table(), "51107", &all), PostcodeMatch::One(4));
        let only_one: HashSet<i64> = [2].into();
        assert_eq!(resolve(&table(), "51103", &only_one), PostcodeMatch::One(2));
        assert_eq!(
            resolve(&table(), "51105", &only_one),
            PostcodeMatch::Unknown
        );
        assert_eq!(resolve(&table(), "50667", &all), PostcodeMatch::Unknown);
        assert_eq!(resolve(&table(), "abc", &all), PostcodeMatch::Invalid);
    }

    #[test]
    fn csv_with_header_and_any_separator() {
        let (rows, problems) =
            parse_csv("\u{feff}PLZ;Stadtteil\n51103;805\n51103;Höhenberg\n\n51105;806\n");
        assert!(problems.is_empty());
        let pairs: Vec<(usize, &str, &str)> = rows
            .iter()
            .map(|r| (r.line, r.postcode.as_str(), r.area.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (2, "51103", "805"),
                (3, "51103", "Höhenberg"),
                (5, "51105", "806")
            ]
        );
        let (rows, _) = parse_csv("51103,805\n51104,806\n");
        assert_eq!(rows[1].postcode, "51104");
        let (rows, _) = parse_csv("51103\t805");
        assert_eq!(rows[0].area, "805");
    }

    #[test]
    fn every_broken_row_is_reported() {
        let (rows, problems) = parse_csv("plz;gebiet\n51103;805\n5110;806\n51105;\nabcde;807\n");
        assert_eq!(rows.len(), 1);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(problems[0].to_string().contains("fünfstellige"));
        assert!(problems[1].to_string().contains("Gebiet fehlt"));
    }
}
