//! The word filter a tenant keeps: posts and comments containing one of its words wait for a
//! moderator instead of appearing at once. Matching is by whole words, ignoring case, so
//! "Arsch" does not catch "Marschweg"; an entry ending in `*` matches every word starting with
//! it ("idiot*" catches "Idioten"); an entry of several words matches them in a row.

/// A compiled list of filter entries.
#[derive(Debug, Clone, Default)]
pub struct WordFilter {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// As the moderator wrote it, for the hold reason.
    original: String,
    words: Vec<String>,
    prefix: bool,
}

impl WordFilter {
    /// Builds a filter from entries as stored (one per line or element); blank entries are
    /// skipped.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a str>) -> Self {
        let entries = entries
            .into_iter()
            .filter_map(|raw| {
                let original = raw.trim();
                let (body, prefix) = match original.strip_suffix('*') {
                    Some(b) => (b, true),
                    None => (original, false),
                };
                let words = tokens(body);
                (!words.is_empty()).then(|| Entry {
                    original: original.to_owned(),
                    words,
                    prefix,
                })
            })
            .collect();
        Self { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first entry that occurs in `text`, as the moderator wrote it.
    pub fn first_match(&self, text: &str) -> Option<&str> {
        if self.entries.is_empty() {
            return None;
        }
        let words = tokens(text);
        self.entries
            .iter()
            .find(|e| {
                let n = e.words.len();
                words.windows(n).any(|w| {
                    w.iter().zip(&e.words).enumerate().all(|(i, (got, want))| {
                        if e.prefix && i + 1 == n {
                            got.starts_with(want.as_str())
                        } else {
                            got == want
                        }
                    })
                })
            })
            .map(|e| e.original.as_str())
    }
}

/// Lower-cased words: runs of letters and digits; everything else separates.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_ignoring_case() {
        let f = WordFilter::new(["Arsch", " ", "idiot*", "blöde kuh"]);
        assert_eq!(f.first_match("Du ARSCH!"), Some("Arsch"));
        assert_eq!(f.first_match("Der Marschweg ist gesperrt"), None);
        assert_eq!(f.first_match("lauter Idioten hier"), Some("idiot*"));
        assert_eq!(f.first_match("so eine Blöde  Kuh."), Some("blöde kuh"));
        assert_eq!(f.first_match("eine blöde Idee, Kuh"), None);
        assert_eq!(f.first_match("<b>arsch</b>"), Some("Arsch"));
        assert!(WordFilter::new([""]).is_empty());
        assert_eq!(WordFilter::default().first_match("Arsch"), None);
    }
}
