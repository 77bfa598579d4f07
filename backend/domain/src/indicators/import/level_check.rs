//! Checks of parsed values against the target level's areas.

use super::*;

/// Checks parsed rows against the areas of the target level (`code → valid_until`, exclusive):
/// unknown area ids (`UNKNOWN_AREA`, once per id at its first line), rows dated on or after an
/// area's end of validity (`OUTSIDE_VALIDITY`) and repeated (area, date) pairs
/// (`DUPLICATE_ROW`, naming the first line). Sorted by line, capped like [`parse`].
pub fn check_against_areas(
    rows: &[ParsedValue],
    areas: &HashMap<String, Option<NaiveDate>>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Unknown ids in order of first appearance: (code, first line, rows).
    let mut unknown: Vec<(&str, usize, usize)> = Vec::new();
    let mut unknown_index: HashMap<&str, usize> = HashMap::new();
    let mut seen: HashMap<(&str, NaiveDate), usize> = HashMap::with_capacity(rows.len());
    for row in rows {
        let code = row.area_code.as_str();
        match areas.get(code) {
            None => match unknown_index.entry(code) {
                Entry::Occupied(e) => {
                    if let Some(u) = unknown.get_mut(*e.get()) {
                        u.2 += 1;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(unknown.len());
                    unknown.push((code, row.line, 1));
                }
            },
            Some(Some(until)) if row.date >= *until => problems.push(Problem {
                line: Some(row.line),
                code: ProblemCode::OutsideValidity,
                message: format!(
                    "Das Gebiet {} gilt nur bis vor dem {}; ein Wert zum {} ist nicht möglich.",
                    shown(code),
                    german_date(*until),
                    german_date(row.date)
                ),
            }),
            Some(_) => {}
        }
        match seen.entry((code, row.date)) {
            Entry::Occupied(e) => problems.push(Problem {
                line: Some(row.line),
                code: ProblemCode::DuplicateRow,
                message: format!(
                    "Für das Gebiet {} und den {} gibt es schon einen Wert (Zeile {}).",
                    shown(code),
                    german_date(row.date),
                    e.get()
                ),
            }),
            Entry::Vacant(e) => {
                e.insert(row.line);
            }
        }
    }
    for (code, line, count) in unknown {
        let also = if count > 1 {
            format!(" ({} Werte)", german_int(count))
        } else {
            String::new()
        };
        problems.push(Problem {
            line: Some(line),
            code: ProblemCode::UnknownArea,
            message: format!(
                "Das Gebiet {} gibt es auf dieser Raumebene nicht{also}.",
                shown(code)
            ),
        });
    }
    problems.sort_by_key(|p| p.line);
    cap(problems)
}
