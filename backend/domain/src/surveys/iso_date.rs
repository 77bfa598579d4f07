//! ISO dates (`2026-12-24`) read by hand: chrono's `FromStr` goes through its format parser,
//! which would be a twentieth of the survey checks' wasm. Reads what chrono reads for years
//! with four digits.

use chrono::NaiveDate;

/// `YYYY-MM-DD`, the year with four digits, month and day with one or two.
pub(super) fn parse(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    ymd(y, m, d)
}

/// The date of a year with four digits, a month and a day with one or two.
pub(super) fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let num = |t: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let y = i32::try_from(num(y, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(y, num(m, 1..=2)?, num(d, 1..=2)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_chrono_reads() {
        for text in ["2026-12-24", "0999-01-01", "2024-02-29", "2026-1-5"] {
            assert_eq!(parse(text), text.parse::<NaiveDate>().ok(), "{text}");
            assert!(parse(text).is_some(), "{text}");
        }
        for bad in [
            "2026-02-30",
            "26-12-24",
            "2026-12",
            "2026-12-24-1",
            "2026-1a-01",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
