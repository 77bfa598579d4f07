//! Numbers and dates as statistics offices write them (German and English notation).

use super::*;

/// Parses a number as German and English spreadsheets write it: decimal comma or point,
/// thousands separators (`1.234,5`, `1,234.5`; with both, the last one is the decimal separator;
/// a single `,` or `.` alone is decimal), surrounding spaces, a leading sign, an exponent.
/// "No data" markers give `Ok(None)`: empty, `NA`, `N/A`, `#NV`, `.`, `..`, `...`, `x`, `X`,
/// `/`, `geheim`, `keine Daten`.
///
/// # Errors
/// Any other text, and NaN or infinity.
pub fn parse_number(s: &str) -> Result<Option<f64>, NotANumber> {
    let s = s.trim();
    if is_no_data(s) {
        return Ok(None);
    }
    // Destatis: a dash alone means "nichts vorhanden", a true zero (unlike `.`: unknown or secret).
    if matches!(s, "-" | "–" | "—") {
        return Ok(Some(0.0));
    }
    let (negative, body) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('−') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };

    // Normalised into a stack buffer: no allocation per field.
    let mut buf = Buf::new();
    if negative {
        buf.push(b'-')?;
    }
    normalise_mantissa(mantissa, &mut buf)?;
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if digits.is_empty() || digits.len() > 4 || !all_digits(digits) {
            return Err(NotANumber);
        }
        buf.push(b'e')?;
        for b in exp.bytes() {
            buf.push(b)?;
        }
    }
    let text = std::str::from_utf8(buf.as_slice()).map_err(|_| NotANumber)?;
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

pub(super) fn is_no_data(s: &str) -> bool {
    matches!(s, "" | "." | ".." | "..." | "x" | "X" | "/")
        || ["na", "n/a", "#nv", "#n/a", "geheim", "keine daten"]
            .iter()
            .any(|m| s.eq_ignore_ascii_case(m))
}

pub(super) fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) struct Buf {
    pub(super) bytes: [u8; 64],
    pub(super) len: usize,
}

impl Buf {
    pub(super) fn new() -> Self {
        Self {
            bytes: [0; 64],
            len: 0,
        }
    }

    pub(super) fn push(&mut self, b: u8) -> Result<(), NotANumber> {
        let slot = self.bytes.get_mut(self.len).ok_or(NotANumber)?;
        *slot = b;
        self.len += 1;
        Ok(())
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// Writes the digits of `m` with a `.` as decimal separator and no thousands separators.
pub(super) fn normalise_mantissa(m: &str, out: &mut Buf) -> Result<(), NotANumber> {
    let (dots, commas) = (m.matches('.').count(), m.matches(',').count());
    let (decimal, group) = match (m.rfind('.'), m.rfind(',')) {
        (Some(d), Some(c)) if d > c => (Some('.'), Some(',')),
        (Some(_), Some(_)) => (Some(','), Some('.')),
        (Some(_), None) if dots == 1 => (Some('.'), None),
        (Some(_), None) => (None, Some('.')),
        (None, Some(_)) if commas == 1 => (Some(','), None),
        (None, Some(_)) => (None, Some(',')),
        (None, None) => (None, None),
    };
    let (int, frac) = match decimal.and_then(|d| m.rsplit_once(d)) {
        Some((int, frac)) => (int, frac),
        None => (m, ""),
    };
    if !all_digits(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(NotANumber);
    }
    match group {
        Some(g) => {
            for (i, part) in int.split(g).enumerate() {
                // Groups of three after a first group of one to three digits.
                let ok = if i == 0 {
                    (1..=3).contains(&part.len())
                } else {
                    part.len() == 3
                };
                if !ok || !all_digits(part) {
                    return Err(NotANumber);
                }
                for b in part.bytes() {
                    out.push(b)?;
                }
            }
        }
        None => {
            if !all_digits(int) {
                return Err(NotANumber);
            }
            for b in int.bytes() {
                out.push(b)?;
            }
        }
    }
    if int.is_empty() {
        out.push(b'0')?;
    }
    if !frac.is_empty() {
        out.push(b'.')?;
        for b in frac.bytes() {
            out.push(b)?;
        }
    }
    Ok(())
}

/// Parses `YYYY` (31 December: German population statistics are as of 31.12.), `YYYY-MM`
/// (last day of the month), `YYYY-MM-DD` (also with a time after `T` or a space),
/// `DD.MM.YYYY` and KomMonitor's property names `DATE_YYYY-MM-DD`. Years 1800–2200 only, so
/// that area ids in a header are not taken for years.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = match s.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("date_") => s.get(5..)?,
        _ => s,
    };
    let s = match s.as_bytes().get(10) {
        Some(b'T' | b' ') => s.get(..10)?,
        _ => s,
    };
    let num = |part: &str, min: usize, max: usize| -> Option<u32> {
        if (min..=max).contains(&part.len()) && all_digits(part) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = |part: &str| -> Option<i32> {
        let y = i32::try_from(num(part, 4, 4)?).ok()?;
        (1800..=2200).contains(&y).then_some(y)
    };
    let mut dashes = s.split('-');
    let mut dots = s.split('.');
    match (dashes.next(), dashes.next(), dashes.next(), dashes.next()) {
        (Some(y), None, _, _) if !s.contains('.') => NaiveDate::from_ymd_opt(year(y)?, 12, 31),
        (Some(y), Some(m), None, _) => {
            let first = NaiveDate::from_ymd_opt(year(y)?, num(m, 2, 2)?, 1)?;
            first.checked_add_months(Months::new(1))?.pred_opt()
        }
        (Some(y), Some(m), Some(d), None) => {
            NaiveDate::from_ymd_opt(year(y)?, num(m, 2, 2)?, num(d, 2, 2)?)
        }
        _ => match (dots.next(), dots.next(), dots.next(), dots.next()) {
            (Some(d), Some(m), Some(y), None) => {
                NaiveDate::from_ymd_opt(year(y)?, num(m, 1, 2)?, num(d, 1, 2)?)
            }
            _ => None,
        },
    }
}

pub(super) fn german_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// `500000` → `500.000`.
pub(super) fn german_int(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Quotes text from the file for a message, shortened so a garbage field cannot flood the UI.
pub(super) fn shown(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("„{}…“", &s[..i]),
        None => format!("„{s}“"),
    }
}

pub(super) const BAD_DATE_HINT: &str = "erwartet JJJJ, JJJJ-MM-TT, TT.MM.JJJJ oder JJJJ-MM";
