//! The planners' CSV of a board's posts, in the same dialect as the indicator exports (BOM,
//! `;`, CRLF, text defused against CSV injection).

use crate::indicators::export::write_csv;

/// One post as it leaves in the planners' export.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRow {
    pub id: i32,
    pub created_at: String,
    pub kind: String,
    pub status: String,
    pub moderation: String,
    pub title: String,
    /// The body as plain text (tags removed).
    pub text: String,
    pub author: String,
    pub supports: i64,
    pub comments: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Names of the areas the point lies in, top level first, `|`-separated.
    pub areas: String,
    pub tags: String,
    pub answer: String,
    pub url: String,
}

pub const HEADER: [&str; 16] = [
    "id",
    "erstellt",
    "art",
    "status",
    "moderation",
    "titel",
    "text",
    "autor",
    "unterstuetzungen",
    "kommentare",
    "breite",
    "laenge",
    "gebiete",
    "handlungsfelder",
    "antwort",
    "url",
];

pub fn csv(rows: &[PostRow]) -> String {
    write_csv(|w| {
        w.write_record(HEADER)?;
        for r in rows {
            let coord = |v: Option<f64>| v.map(|v| format!("{v:.6}")).unwrap_or_default();
            w.write_record([
                r.id.to_string().as_str(),
                &r.created_at,
                &r.kind,
                &r.status,
                &r.moderation,
                &r.title,
                &r.text,
                &r.author,
                &r.supports.to_string(),
                &r.comments.to_string(),
                &coord(r.lat),
                &coord(r.lon),
                &r.areas,
                &r.tags,
                &r.answer,
                &r.url,
            ])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_defused_and_readable() {
        let row = PostRow {
            id: 7,
            created_at: "2026-11-23T10:00:00Z".into(),
            kind: "idea".into(),
            status: "new".into(),
            moderation: "visible".into(),
            title: "=HYPERLINK(\"http://evil\")".into(),
            text: "Zeile; mit \"Zitat\"".into(),
            author: "@anna".into(),
            supports: 3,
            comments: 1,
            lat: Some(50.9375),
            lon: Some(6.96),
            areas: "Innenstadt|Altstadt-Nord".into(),
            tags: "Wohnen".into(),
            answer: String::new(),
            url: "http://x/beitrag/7".into(),
        };
        let out = csv(&[row]);
        assert!(out.starts_with('\u{feff}'));
        let mut r = ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
        let rec = r.records().next().and_then(Result::ok).expect("one record");
        assert_eq!(&rec[5], "'=HYPERLINK(\"http://evil\")");
        assert_eq!(&rec[6], "Zeile; mit \"Zitat\"");
        assert_eq!(&rec[7], "'@anna");
        assert_eq!(&rec[10], "50.937500");
    }
}
