//! Reading the CSV files municipalities send: with or without a byte-order mark, separated by
//! `;` (German spreadsheets), tab or `,`, as the first line shows.

/// The separator of a file: the first of `;`, tab and `,` that its first line holds.
pub fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b';', b'\t', b',']
        .into_iter()
        .find(|d| first.as_bytes().contains(d))
        .unwrap_or(b';')
}

/// A reader of a file with a header row; cells trimmed, rows may differ in length.
pub fn reader(text: &str) -> csv::Reader<&[u8]> {
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_comes_from_the_first_line() {
        assert_eq!(delimiter("a;b\nc,d"), b';');
        assert_eq!(delimiter("a\tb"), b'\t');
        assert_eq!(delimiter("a,b"), b',');
        assert_eq!(delimiter("eine Spalte"), b';');
        let mut r = reader("\u{feff}PLZ , Ort\n51103, Köln\n");
        assert_eq!(
            r.headers()
                .map(|h| h.iter().collect::<Vec<_>>().join("|"))
                .ok()
                .as_deref(),
            Some("PLZ|Ort")
        );
    }
}
