//! When an offer takes place: weekly times ("Mo 15:00-17:00") and single dates
//! ("05.12.2026 10:00-12:00"), typed one per line and kept as structured data, so the search can
//! filter by weekday and the offer page can write schema.org opening hours.

use super::EntryError;
use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// A weekly time slot; `day` 1 = Monday … 7 = Sunday (ISO 8601).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weekly {
    pub day: u8,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// One date, with or without times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Single {
    pub date: NaiveDate,
    pub from: Option<NaiveTime>,
    pub to: Option<NaiveTime>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default)]
    pub weekly: Vec<Weekly>,
    #[serde(default)]
    pub dates: Vec<Single>,
}

/// At most this many lines: a schedule is not a calendar.
pub const MAX_LINES: usize = 60;

const DAYS: [(&str, &str, &str); 7] = [
    ("mo", "montag", "mo"),
    ("di", "dienstag", "tu"),
    ("mi", "mittwoch", "we"),
    ("do", "donnerstag", "th"),
    ("fr", "freitag", "fr"),
    ("sa", "samstag", "sa"),
    ("so", "sonntag", "su"),
];

/// The weekday key (`mo` … `so`) of an ISO day number.
pub fn day_key(day: u8) -> &'static str {
    DAYS.get(usize::from(day.saturating_sub(1)))
        .map_or("", |d| d.0)
}

fn day_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches(['.', ',', ':']).to_lowercase();
    DAYS.iter()
        .position(|(short, long, en)| w == *short || w == *long || w == *en)
        .and_then(|i| u8::try_from(i + 1).ok())
}

fn time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().trim_end_matches("uhr").trim();
    let (h, m) = match s.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (s.parse::<u32>().ok()?, 0),
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// `15:00-17:00`, `15-17 Uhr`, `15.30–17 Uhr`.
fn range(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let s = s
        .to_lowercase()
        .replace(['–', '—'], "-")
        .replace(" bis ", "-");
    let (a, b) = s.split_once('-')?;
    let (from, to) = (time(a)?, time(b)?);
    (from < to).then_some((from, to))
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_end_matches(',');
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

impl Schedule {
    /// Reads one entry per line. Several days may share a line (`Mo, Mi 15-17 Uhr`).
    ///
    /// # Errors
    /// `Schedule` naming the first line that is neither a weekly time nor a date.
    pub fn parse(text: &str) -> Result<Self, EntryError> {
        let mut out = Self::default();
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        if lines.len() > MAX_LINES {
            return Err(EntryError::Schedule(format!("at most {MAX_LINES} lines")));
        }
        for (n, line) in lines {
            let bad = || EntryError::Schedule(format!("line {n}: {line:?}"));
            let mut words = line.split_whitespace().peekable();
            let first = words.peek().copied().unwrap_or_default();
            if let Some(d) = date(first) {
                words.next();
                let rest: Vec<&str> = words.collect();
                let (from, to) = if rest.is_empty() {
                    (None, None)
                } else {
                    let (f, t) = range(&rest.join(" ")).ok_or_else(bad)?;
                    (Some(f), Some(t))
                };
                out.dates.push(Single { date: d, from, to });
                continue;
            }
            let mut days = Vec::new();
            while let Some(w) = words.peek() {
                let parts: Vec<&str> = w.split(',').filter(|p| !p.is_empty()).collect();
                let found: Option<Vec<u8>> = parts.iter().map(|p| day_number(p)).collect();
                match found {
                    Some(ds) if !ds.is_empty() => {
                        days.extend(ds);
                        words.next();
                    }
                    _ => break,
                }
            }
            let rest: Vec<&str> = words.collect();
            let (from, to) = range(&rest.join(" ")).ok_or_else(bad)?;
            if days.is_empty() {
                return Err(bad());
            }
            for day in days {
                out.weekly.push(Weekly { day, from, to });
            }
        }
        out.weekly.sort_by_key(|w| (w.day, w.from));
        out.weekly.dedup();
        out.dates.sort_by_key(|d| (d.date, d.from));
        out.dates.dedup();
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.weekly.is_empty() && self.dates.is_empty()
    }

    /// The weekday keys (`mo` … `so`) the offer takes place on, Monday first.
    pub fn weekdays(&self) -> Vec<String> {
        let mut days: Vec<u8> = self.weekly.iter().map(|w| w.day).collect();
        days.extend(
            self.dates
                .iter()
                .filter_map(|d| u8::try_from(d.date.weekday().number_from_monday()).ok()),
        );
        days.sort_unstable();
        days.dedup();
        days.into_iter().map(|d| day_key(d).to_owned()).collect()
    }

    /// The text a person edits (what [`Schedule::parse`] reads back to the same schedule).
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = self
            .weekly
            .iter()
            .map(|w| {
                let key = day_key(w.day);
                let mut k = key.to_owned();
                if let Some(c) = k.get_mut(0..1) {
                    c.make_ascii_uppercase();
                }
                format!("{k} {}-{}", w.from.format("%H:%M"), w.to.format("%H:%M"))
            })
            .collect();
        lines.extend(self.dates.iter().map(|d| match (d.from, d.to) {
            (Some(f), Some(t)) => format!(
                "{} {}-{}",
                d.date.format("%d.%m.%Y"),
                f.format("%H:%M"),
                t.format("%H:%M")
            ),
            _ => d.date.format("%d.%m.%Y").to_string(),
        }));
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    #[test]
    fn reads_weekly_times_and_dates() {
        let s = Schedule::parse("Mo 15:00-17:00\n\nMi, Fr 9-11.30 Uhr\nDienstag 18 bis 20\n05.12.2026 10:00–12:00\n2026-12-24")
            .expect("valid");
        assert_eq!(
            s.weekly,
            vec![
                Weekly {
                    day: 1,
                    from: t(15, 0),
                    to: t(17, 0)
                },
                Weekly {
                    day: 2,
                    from: t(18, 0),
                    to: t(20, 0)
                },
                Weekly {
                    day: 3,
                    from: t(9, 0),
                    to: t(11, 30)
                },
                Weekly {
                    day: 5,
                    from: t(9, 0),
                    to: t(11, 30)
                },
            ]
        );
        assert_eq!(s.dates.len(), 2);
        assert_eq!(s.dates[1].from, None);
        // 5 Dec 2026 is a Saturday, 24 Dec a Thursday.
        assert_eq!(s.weekdays(), vec!["mo", "di", "mi", "do", "fr", "sa"]);
        assert_eq!(Schedule::parse(&s.to_text()), Ok(s));
    }

    #[test]
    fn names_the_bad_line() {
        for (text, line) in [
            ("Mo 15-17\nimmer wieder", 2),
            ("Mo 17-15", 1),
            ("Xy 10-12", 1),
            ("Mo", 1),
            ("31.02.2026 10-12", 1),
            ("Mo 25:00-26:00", 1),
        ] {
            match Schedule::parse(text) {
                Err(EntryError::Schedule(m)) => {
                    assert!(m.starts_with(&format!("line {line}")), "{text}: {m}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(Schedule::parse("").expect("empty is fine").is_empty());
    }
}
