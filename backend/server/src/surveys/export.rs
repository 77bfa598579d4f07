//! Exports of a survey's raw responses for the tenant's planners: CSV with one row per
//! response and coded answers, the codebook that explains the codes, and JSON.
//!
//! CSV as everywhere in Quartiersnetz: UTF-8 with BOM (Excel detects the encoding), `;`
//! separated, decimal comma, CRLF. R reads it with `read.csv2`, SPSS with "Textdaten lesen"
//! and the codebook's value labels; missing values are -1 (no answer) and -2 (not asked).

use super::{raw_responses, Loaded};
use crate::areas;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::viewer::Viewer;
use qn_domain::csv_out::Sheet;
use qn_domain::surveys::codebook::{self, Measure, NOT_ASKED, NO_ANSWER};
use qn_domain::surveys::texts::BASE_LANGUAGE;
use qn_domain::surveys::Answers;
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

fn writer() -> Sheet {
    Sheet::new(true, true)
}

async fn area_codes(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    rows: &[(Option<i32>, Answers)],
) -> AppResult<HashMap<i32, String>> {
    let mut ids: Vec<i32> = rows.iter().filter_map(|(a, _)| *a).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(areas::by_ids(db, viewer, &ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.code))
        .collect())
}

/// File name stem: `umfrage-<id>-v<version>`.
pub fn stem(s: &Loaded) -> String {
    format!("umfrage-{}-v{}", s.row.id, s.row.version)
}

/// The responses as coded CSV.
///
/// # Errors
/// `Forbidden` outside the tenant's planners, `NotFound`, database errors.
pub async fn responses_csv(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<(String, String)> {
    let (s, rows) = raw_responses(db, viewer, id).await?;
    let codes = area_codes(db, viewer, &rows).await?;
    let columns = codebook::columns(&s.survey);
    let mut w = writer();
    let mut header = vec!["nr".to_owned(), "gebiet".to_owned()];
    header.extend(columns.iter().map(|c| c.name.clone()));
    w.write_record(&header).map_err(AppError::internal)?;
    for (i, (area, answers)) in rows.iter().enumerate() {
        let mut record = vec![
            (i + 1).to_string(),
            area.and_then(|a| codes.get(&a).cloned())
                .unwrap_or_default(),
        ];
        let cells = codebook::row(&s.survey, &columns, answers);
        record.extend(cells.into_iter().zip(&columns).map(|(cell, c)| {
            if c.measure == Measure::Number {
                cell.replace('.', ",")
            } else {
                cell
            }
        }));
        w.write_record(&record).map_err(AppError::internal)?;
    }
    Ok((format!("{}.csv", stem(&s)), w.into_string()))
}

/// The codebook: one line per column, then one per value label (with the missing codes).
///
/// # Errors
/// `Forbidden` outside the tenant's planners, `NotFound`, database errors.
pub async fn codebook_csv(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<(String, String)> {
    let s = super::load(db, viewer, id).await?;
    viewer.require(s.row.tenant_id, Can::ReadRawAnswers)?;
    let texts = s.texts.of(BASE_LANGUAGE);
    let mut w = writer();
    w.write_record(["variable", "frage", "teil", "art", "wert", "bedeutung"])
        .map_err(AppError::internal)?;
    let row = |w: &mut Sheet, cells: [&str; 6]| w.write_record(cells).map_err(AppError::internal);
    row(
        &mut w,
        ["nr", "laufende Nummer der Antwort", "", "zahl", "", ""],
    )?;
    row(
        &mut w,
        [
            "gebiet",
            "Gebietsschlüssel des Quartiers",
            "",
            "text",
            "",
            "",
        ],
    )?;
    for c in codebook::columns(&s.survey) {
        let question = texts.question(&c.question);
        let part = match c.part.as_deref() {
            None => String::new(),
            Some("other") => "Sonstiges (Text)".into(),
            Some("lon") => "Längengrad (WGS84)".into(),
            Some("lat") => "Breitengrad (WGS84)".into(),
            Some(p) => texts
                .get(&format!("opt.{}.{p}", c.question))
                .or_else(|| texts.get(&format!("item.{}.{p}", c.question)))
                .unwrap_or(p)
                .to_owned(),
        };
        let kind = match c.measure {
            Measure::Code => "code",
            Measure::Flag => "0/1",
            Measure::Number => "zahl",
            Measure::Text => "text",
            Measure::Date => "datum",
        };
        row(&mut w, [&c.name, &question, &part, kind, "", ""])?;
        for (code, key) in &c.values {
            let label = texts.option(&c.question, key);
            row(&mut w, [&c.name, "", "", "", &code.to_string(), &label])?;
        }
        if c.measure == Measure::Flag {
            row(&mut w, [&c.name, "", "", "", "1", "gewählt"])?;
            row(&mut w, [&c.name, "", "", "", "0", "nicht gewählt"])?;
        }
        if matches!(c.measure, Measure::Code | Measure::Flag | Measure::Number) {
            row(
                &mut w,
                [&c.name, "", "", "", &NO_ANSWER.to_string(), "keine Angabe"],
            )?;
            row(
                &mut w,
                [
                    &c.name,
                    "",
                    "",
                    "",
                    &NOT_ASKED.to_string(),
                    "nicht gefragt (Filter)",
                ],
            )?;
        }
    }
    Ok((format!("{}-codebuch.csv", stem(&s)), w.into_string()))
}

/// Survey (structure and texts) and responses as JSON.
///
/// # Errors
/// `Forbidden` outside the tenant's planners, `NotFound`, database errors.
pub async fn responses_json(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
) -> AppResult<(String, serde_json::Value)> {
    let (s, rows) = raw_responses(db, viewer, id).await?;
    let codes = area_codes(db, viewer, &rows).await?;
    let responses: Vec<serde_json::Value> = rows
        .iter()
        .enumerate()
        .map(|(i, (area, answers))| {
            serde_json::json!({
                "nr": i + 1,
                "area": area.and_then(|a| codes.get(&a)),
                "answers": answers,
            })
        })
        .collect();
    Ok((
        format!("{}.json", stem(&s)),
        serde_json::json!({
            "survey": {
                "id": s.row.id,
                "title": s.row.title,
                "version": s.row.version,
                "structure": s.survey,
                "texts": s.texts,
                "minGroup": s.row.min_group,
            },
            "codes": {"noAnswer": NO_ANSWER, "notAsked": NOT_ASKED},
            "responses": responses,
        }),
    ))
}
