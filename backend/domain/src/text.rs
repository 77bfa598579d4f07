//! Rules for text that people type and others read.

/// The Unicode controls that reorder text around them (embeddings, overrides, isolates and
/// marks, U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069). In a name or a title they let
/// "Stadtverwaltung" be shown for something else typed (a spoofed name); nothing a person
/// means to write needs them there, so they are removed from one-line texts.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of text as it may be shown as a name or a title: bidirectional controls removed,
/// other control characters (line breaks, tabs, NUL) and whitespace runs become one space, ends
/// trimmed.
pub fn single_line(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_bidi_control(*c))
        .collect::<String>()
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Longer text (an answer, a description): bidirectional controls and control characters other
/// than line breaks and tabs removed.
pub fn multi_line(raw: &str) -> String {
    raw.chars()
        .filter(|&c| !is_bidi_control(c) && (!c.is_control() || matches!(c, '\n' | '\r' | '\t')))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_controls_go() {
        assert_eq!(single_line("Stadt\u{202E}gnutlawrev"), "Stadtgnutlawrev");
        assert_eq!(single_line(" a\tb\u{0}c\n "), "a b c");
        assert_eq!(multi_line("a\u{0}b\u{7}\nc\u{2066}"), "ab\nc");
        assert_eq!(
            single_line("عربي Text"),
            "عربي Text",
            "right-to-left script stays"
        );
    }
}
