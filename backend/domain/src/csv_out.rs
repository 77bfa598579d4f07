//! The one CSV writer of the platform. Every field that a spreadsheet would read as a formula —
//! starting with `=`, `+`, `-`, `@`, tab or CR, and not a plain number — gets a leading `'`
//! (OWASP "CSV injection"), whoever typed it: a respondent's free text, an offer's title, an
//! indicator's name. Numbers such as `-3,5` stay numbers.

use std::borrow::Cow;

/// A text as it may go into a spreadsheet cell.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `-3`, `-3,5`, `+1.25`, `-1e5`: what a spreadsheet reads as a number, not a formula.
fn is_number(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.' | b'-' | b'+' | b'e' | b'E'))
        && s.replace(',', ".").parse::<f64>().is_ok()
}

/// `;`-separated CSV in memory, every field neutralised.
pub struct Sheet(csv::Writer<Vec<u8>>);

impl Sheet {
    /// `bom`: start with a UTF-8 byte order mark (Excel then detects the encoding); `crlf`:
    /// Windows line ends.
    pub fn new(bom: bool, crlf: bool) -> Self {
        let start = if bom {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        };
        let mut b = csv::WriterBuilder::new();
        b.delimiter(b';');
        if crlf {
            b.terminator(csv::Terminator::CRLF);
        }
        Self(b.from_writer(start))
    }

    /// Writes one record.
    ///
    /// # Errors
    /// Never in practice (the writer writes to memory); kept for the csv crate's signature.
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0.write_record(
            record
                .into_iter()
                .map(|f| neutralise(f.as_ref()).into_owned()),
        )
    }

    /// The whole text.
    pub fn into_string(self) -> String {
        // Writing into memory cannot fail; a failure would only cut the file short.
        let bytes = self.0.into_inner().unwrap_or_default();
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        let mut s = Sheet::new(false, false);
        s.write_record([
            "=HYPERLINK(\"http://x\")",
            "-3,5",
            "+49 221 1",
            "@SUM(A1)",
            "-2+3",
            "Text",
        ])
        .expect("write");
        assert_eq!(
            s.into_string(),
            "\"'=HYPERLINK(\"\"http://x\"\")\";-3,5;'+49 221 1;'@SUM(A1);'-2+3;Text\n"
        );
        assert_eq!(neutralise("'=x"), "'=x", "once is enough");
        assert_eq!(neutralise("-inf"), "'-inf");
    }
}
