//! The builder's form handlers: create, manage, questions and their actions.

use super::*;
use crate::kernel::viewer::Viewer;

/// A new survey starts as a small, valid draft that the builder then extends.
pub(super) fn skeleton(title: &str) -> (Survey, Translations) {
    let survey: Survey = serde_json::from_value(serde_json::json!({"sections": [
        {"key": "teil-1", "questions": [
            {"key": "frage-1", "required": false, "kind": {"type": "single_choice", "options": [
                {"key": "ja", "code": 1}, {"key": "nein", "code": 2}]}}
        ]}
    ]}))
    .unwrap_or(Survey {
        sections: Vec::new(),
    });
    let mut de = BTreeMap::new();
    for (k, v) in [
        ("title", title),
        ("q.frage-1", "Ihre erste Frage"),
        ("opt.frage-1.ja", "Ja"),
        ("opt.frage-1.nein", "Nein"),
    ] {
        de.insert(k.to_owned(), v.to_owned());
    }
    let mut texts = Translations::default();
    texts.0.insert("de".into(), de);
    (survey, texts)
}

/// `POST /kommune/{slug}/umfragen`: a new draft with a title.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/umfragen");
    let result: AppResult<String> = async {
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let title = f
            .non_empty("titel")
            .ok_or_else(|| AppError::Validation("der Titel fehlt".into()))?;
        let (structure, texts) = skeleton(title);
        let s = surveys::create(
            &state.db,
            &viewer,
            tenant.id,
            SurveyInput {
                access: Access::Public,
                opens_at: None,
                closes_at: None,
                structure,
                texts,
                areas: Vec::new(),
                min_group: DEFAULT_MIN_GROUP,
            },
        )
        .await?;
        Ok(format!("/umfrage/{}/verwaltung?hinweis=angelegt", s.row.id))
    }
    .await;
    match result {
        Ok(to) => see_other(&to),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

pub(super) fn date_field(
    f: &Fields,
    name: &str,
    end: bool,
) -> AppResult<Option<chrono::DateTime<Utc>>> {
    f.non_empty(name)
        .map(|v| {
            let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"))
                .map_err(|_| AppError::Validation(format!("{name}: kein Datum")))?;
            // The end date is the last day on which answers are taken.
            let d = if end { d.succ_opt().unwrap_or(d) } else { d };
            let t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            Ok(Utc.from_utc_datetime(&t))
        })
        .transpose()
}

pub(super) fn manage_input(f: &Fields) -> AppResult<SurveyInput> {
    let structure: Survey = serde_json::from_str(f.text("aufbau"))
        .map_err(|e| AppError::Validation(format!("Aufbau (JSON): {e}")))?;
    let texts: Translations = serde_json::from_str(f.text("texte"))
        .map_err(|e| AppError::Validation(format!("Texte (JSON): {e}")))?;
    let min_group = f
        .non_empty("mindestgruppe")
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| AppError::Validation("mindestgruppe: keine Zahl".into()))
        })
        .transpose()?
        .unwrap_or(DEFAULT_MIN_GROUP);
    Ok(SurveyInput {
        access: Access::parse(f.text("zugang")),
        opens_at: date_field(f, "beginn", false)?,
        closes_at: date_field(f, "ende", true)?,
        structure,
        texts,
        areas: f.ints("gebiete")?,
        min_group,
    })
}

/// `POST /umfrage/{id}/verwaltung/{action}`: the builders' actions. `codes` answers with the
/// new codes as a CSV download (they are shown this once).
pub async fn manage(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(i32, String)>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let here = format!("/umfrage/{id}/verwaltung");
    if action == "codes" {
        let count = f
            .non_empty("anzahl")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        return match surveys::generate_codes(&state.db, &viewer, id, count).await {
            Ok(codes) => {
                let mut body = String::from("\u{feff}code\r\n");
                for c in codes {
                    body.push_str(&c);
                    body.push_str("\r\n");
                }
                crate::web::download(
                    body,
                    "text/csv; charset=utf-8",
                    &format!("umfrage-{id}-codes.csv"),
                    crate::web::Keep::Nowhere,
                )
            }
            Err(e) => back_with_error(&state.signer, &here, &e),
        };
    }
    let result = manage_action(&state, &viewer, id, &action, &f).await;
    match result {
        Ok(to) => see_other(&to),
        Err(e) => back_with_error(&state.signer, &here, &e),
    }
}

/// `question=option` from the builder's condition select (empty: always).
pub(super) fn condition_of(f: &Fields) -> Option<(String, String)> {
    f.non_empty("bedingung")
        .and_then(|b| b.split_once('='))
        .filter(|(q, _)| !q.is_empty())
        .map(|(q, o)| (q.to_owned(), o.to_owned()))
}

/// A question from the builder's form (adding or editing).
pub(super) fn builder_question(f: &Fields) -> AppResult<builder::NewQuestion> {
    let lines = |name: &str| -> Vec<String> {
        f.text(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let number = |name: &str| -> AppResult<Option<f64>> {
        f.non_empty(name)
            .map(|v| {
                form::parse_number(v)
                    .ok_or_else(|| AppError::Validation(format!("{name}: keine Zahl")))
            })
            .transpose()
    };
    Ok(builder::NewQuestion {
        section: f
            .non_empty("teil")
            .and_then(|t| t.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1)),
        section_title: f.non_empty("neuer_teil").map(str::to_owned),
        kind: f.text("art").to_owned(),
        text: f.text("text").to_owned(),
        help: f.non_empty("hilfe").map(str::to_owned),
        required: f.flag("pflicht"),
        options: lines("antworten"),
        items: lines("zeilen"),
        min: number("min")?,
        max: number("max")?,
        low: f.non_empty("links").map(str::to_owned),
        high: f.non_empty("rechts").map(str::to_owned),
        other: f.flag("sonstiges"),
        condition: condition_of(f),
        keep_condition: f.get("bedingung") == Some("=keep"),
    })
}

pub(super) async fn manage_action(
    state: &AppState,
    viewer: &Viewer,
    id: i32,
    action: &str,
    f: &Fields,
) -> AppResult<String> {
    let db = &state.db;
    let here = format!("/umfrage/{id}/verwaltung");
    Ok(match action {
        "speichern" => {
            surveys::update(db, viewer, id, manage_input(f)?).await?;
            format!("{here}?hinweis=gespeichert")
        }
        "oeffnen" => {
            surveys::set_status(db, viewer, id, Status::Open).await?;
            format!("{here}?hinweis=geoeffnet")
        }
        "schliessen" => {
            surveys::set_status(db, viewer, id, Status::Closed).await?;
            format!("{here}?hinweis=geschlossen")
        }
        "entwurf" => {
            surveys::set_status(db, viewer, id, Status::Draft).await?;
            format!("{here}?hinweis=entwurf")
        }
        "veroeffentlichen" => {
            surveys::publish_results(db, viewer, id, true).await?;
            format!("{here}?hinweis=veroeffentlicht")
        }
        "zurueckziehen" => {
            surveys::publish_results(db, viewer, id, false).await?;
            format!("{here}?hinweis=zurueckgezogen")
        }
        "kopie" | "version" => {
            let s = surveys::duplicate(db, viewer, id, action == "version").await?;
            format!("/umfrage/{}/verwaltung?hinweis=kopiert", s.row.id)
        }
        "indikator" => {
            use qn_domain::indicators::Polarity;
            let date = match f.non_empty("datum") {
                Some(d) => form::parse_date(d)
                    .ok_or_else(|| AppError::Validation("datum: kein Datum".into()))?,
                None => Utc::now().date_naive(),
            };
            let (ind, _) = surveys::save_as_indicator(
                state,
                viewer,
                id,
                surveys::IndicatorRequest {
                    question: f.text("frage").to_owned(),
                    options: f
                        .0
                        .iter()
                        .filter(|(k, _)| k == "antwort")
                        .map(|(_, v)| v.clone())
                        .collect(),
                    key: f.text("kuerzel").trim().to_owned(),
                    name: f.text("name").trim().to_owned(),
                    polarity: match f.get("richtung") {
                        Some("hoch_gut") => Polarity::HighIsGood,
                        Some("neutral") => Polarity::Neutral,
                        _ => Polarity::HighIsBad,
                    },
                    date,
                },
            )
            .await?;
            format!("/indikator/{}?hinweis=aus-umfrage", ind.id)
        }
        "frage" => {
            let q = builder_question(f)?;
            surveys::edit(db, viewer, id, |survey, texts| {
                builder::add_question(survey, texts, q)
                    .map(|_| ())
                    .map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=frage#aufbau")
        }
        "frage-aendern" => {
            let key = f.text("frage").to_owned();
            let q = builder_question(f)?;
            surveys::edit(db, viewer, id, |survey, texts| {
                builder::edit_question(survey, texts, &key, q).map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=gespeichert#aufbau")
        }
        "teil-bedingung" => {
            let section = f
                .text("teil")
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .ok_or_else(|| AppError::Validation("teil: keine Nummer".into()))?;
            let condition = condition_of(f);
            surveys::edit(db, viewer, id, |survey, _| {
                builder::set_section_condition(survey, section, condition).map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=gespeichert#aufbau")
        }
        "frage-weg" | "frage-hoch" | "frage-runter" => {
            let key = f.text("frage").to_owned();
            surveys::edit(db, viewer, id, |survey, texts| {
                match action {
                    "frage-weg" => builder::remove_question(survey, texts, &key),
                    _ => builder::move_question(survey, &key, action == "frage-hoch"),
                }
                .map_err(Refusal::Build)
            })
            .await?;
            format!("{here}?hinweis=gespeichert#aufbau")
        }
        "texte" => {
            let lang = f.text("sprache").trim().to_owned();
            let typed: Vec<(String, String)> =
                f.0.iter()
                    .filter_map(|(k, v)| {
                        k.strip_prefix("t.")
                            .map(|k| (k.to_owned(), v.replace("\r\n", "\n").trim().to_owned()))
                    })
                    .collect();
            let chosen = lang.clone();
            surveys::edit(db, viewer, id, move |_, texts| {
                let words = texts.0.entry(chosen).or_default();
                for (k, v) in typed {
                    if v.is_empty() {
                        words.remove(&k);
                    } else {
                        words.insert(k, v);
                    }
                }
                Ok(())
            })
            .await?;
            format!(
                "/umfrage/{id}/texte?sprache={}&hinweis=gespeichert",
                enc(&lang)
            )
        }
        "freitext" => {
            let text = f
                .int("text")?
                .ok_or_else(|| AppError::Validation("text fehlt".into()))?;
            surveys::review_free_text(db, viewer, text, f.get("entscheidung") == Some("freigeben"))
                .await?;
            format!("/umfrage/{id}/ergebnisse?hinweis=geprueft#freitext-{text}")
        }
        _ => return Err(AppError::NotFound),
    })
}
