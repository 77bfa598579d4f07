//! Limited rich text typed by residents and providers (board posts, comments, official
//! answers, directory descriptions): paragraphs, line breaks, lists, emphasis and links.
//! Everything else (images, scripts, styles, iframes, event handlers, `javascript:` URLs) is
//! removed by ammonia, an html5ever-based allow-list sanitiser: it parses like a browser, so
//! the malformed markup of filter-evasion tricks cannot reach the page in another shape.

use ammonia::Builder;
use std::collections::HashSet;
use std::sync::OnceLock;

fn sanitiser() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        // `empty()` empties only the tags: ammonia's default attributes (`title` and `lang` on
        // every tag, `cite` on quotes, …) stay unless replaced, so both lists are set here.
        let mut b = Builder::empty();
        b.generic_attributes(HashSet::new())
            .tag_attributes(std::collections::HashMap::new())
            .add_tags([
                "p",
                "br",
                "ul",
                "ol",
                "li",
                "em",
                "strong",
                "b",
                "i",
                "a",
                "blockquote",
            ])
            .add_tag_attributes("a", ["href"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            // Relative links would resolve against this site; only absolute ones are kept.
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("nofollow ugc noopener"))
            // Removed with their content, not unwrapped into text.
            .clean_content_tags(HashSet::from(["script", "style"]));
        b
    })
}

/// Turns what a person typed into safe HTML. Text without block markup is taken as plain text:
/// blank lines start paragraphs, single line breaks stay line breaks.
pub fn to_html(input: &str) -> String {
    let input = input.trim();
    let has_blocks = ["<p", "<ul", "<ol", "<blockquote", "<br"]
        .iter()
        .any(|t| input.to_ascii_lowercase().contains(t));
    let html = if has_blocks {
        input.to_owned()
    } else {
        input
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
            .collect::<String>()
    };
    sanitiser().clean(&html).to_string()
}

/// The text of sanitised HTML without tags, for exports, previews and the word filter.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_attributes_survive() {
        let html = to_html(
            "<p title=\"Amt\" lang=\"de\">a</p><blockquote cite=\"javascript:alert(1)\">b</blockquote><a href=\"https://x.test\" title=\"t\">c</a>",
        );
        assert_eq!(
            html,
            "<p>a</p><blockquote>b</blockquote><a href=\"https://x.test\" rel=\"nofollow ugc noopener\">c</a>"
        );
    }

    #[test]
    fn plain_text_becomes_paragraphs() {
        assert_eq!(
            to_html("Erste Zeile\nzweite\n\nNeuer Absatz & <3"),
            "<p>Erste Zeile<br>zweite</p><p>Neuer Absatz &amp; &lt;3</p>"
        );
    }

    #[test]
    fn allowed_markup_stays_and_links_get_rel() {
        let out = to_html(
            "<p><strong>Ja</strong> <em>bitte</em></p><ul><li>eins</li></ul><a href=\"https://koeln.de\">Stadt</a>",
        );
        assert!(out.contains("<strong>Ja</strong> <em>bitte</em>"));
        assert!(out.contains("<ul><li>eins</li></ul>"));
        assert!(
            out.contains("<a href=\"https://koeln.de\" rel=\"nofollow ugc noopener\">Stadt</a>")
        );
    }

    #[test]
    fn scripts_images_styles_frames_and_handlers_go() {
        for bad in [
            "<script>alert(1)</script>x",
            "<img src=x onerror=alert(1)>",
            "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">x</p>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"jAvAsCrIpT&colon;alert(1)\">x</a>",
            "<a href=\"/relativ\">x</a>",
            "<svg/onload=alert(1)>",
            "<style>body{}</style>",
        ] {
            let out = to_html(bad).to_lowercase();
            for needle in [
                "<script",
                "<img",
                "<iframe",
                "<svg",
                "<style",
                "onerror",
                "onclick",
                "onload",
                "javascript",
                "style=",
                "href=\"/",
            ] {
                assert!(!out.contains(needle), "{bad} gave {out}");
            }
        }
        assert!(!to_html("<script>alert(1)</script>x").contains("alert"));
    }

    #[test]
    fn text_of_html() {
        assert_eq!(to_text("<p>a &amp; b</p><p>c&lt;d</p>"), "a & b c<d");
    }
}
