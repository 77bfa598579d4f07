//! The demo survey with its responses, and the demo board with posts and comments.

use super::*;

pub const SURVEY: &str = include_str!("../../demo/umfrage-kalk.json");

pub(super) const POSTCODES: &str = include_str!("../../demo/postleitzahlen-kalk.csv");

/// The survey "Leben im Stadtbezirk Kalk" in German, Leichte Sprache and Turkish, aimed at the
/// Stadtteile of the Stadtbezirk Kalk, open, with 80 generated responses (unevenly spread, so
/// the results page shows suppressed Stadtteile) and reviewed free texts.
pub(super) async fn load_surveys(state: &AppState, city: i32, people: &[Viewer]) -> AppResult<()> {
    use crate::surveys::{self, Access, Status, Submission, SurveyInput};
    use qn_domain::surveys::{Answers, DEFAULT_MIN_GROUP};
    let [_, planner, _, _, moderator, ..] = people else {
        // A changed account list must fail loudly, not leave the demo half empty.
        return Err(AppError::Validation("demo accounts missing".into()));
    };
    let file: serde_json::Value = serde_json::from_str(SURVEY).map_err(AppError::internal)?;
    let structure =
        serde_json::from_value(file["structure"].clone()).map_err(AppError::internal)?;
    let texts = serde_json::from_value(file["texts"].clone()).map_err(AppError::internal)?;
    let bezirk = areas::level_by_key(&state.db, planner, city, "stadtbezirk").await?;
    let kalk = areas::current_areas(&state.db, planner, bezirk.id)
        .await?
        .into_iter()
        .find(|a| a.name == "Kalk")
        .ok_or(AppError::NotFound)?;
    let mut targets = areas::children(&state.db, planner, kalk.id).await?;
    targets.sort_by_key(|a| a.id);
    let s = surveys::create(
        &state.db,
        planner,
        city,
        SurveyInput {
            access: Access::Public,
            opens_at: None,
            closes_at: Some(chrono::Utc::now() + chrono::Duration::days(60)),
            structure,
            texts,
            areas: targets.iter().map(|a| a.id).collect(),
            min_group: DEFAULT_MIN_GROUP,
        },
    )
    .await?;
    let id = s.row.id;
    // Postcodes of the Stadtbezirk Kalk for "your Quartier" (a demo table, not an official
    // assignment: a postcode can cut through a Stadtteil).
    areas::postcodes::replace(&state.db, planner, city, POSTCODES).await?;
    surveys::set_status(&state.db, planner, id, Status::Open).await?;
    surveys::publish_results(&state.db, planner, id, true).await?;

    // A small deterministic generator: the same demo every time.
    let mut seed: u64 = 20_261_126;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    // Most answers from four Stadtteile, a few from the others (suppressed on the page).
    let big = ["Kalk", "Humboldt/Gremberg", "Vingst", "Höhenberg"];
    let weights: Vec<u64> = targets
        .iter()
        .map(|a| {
            if big.contains(&a.name.as_str()) {
                12
            } else {
                2
            }
        })
        .collect();
    let total: u64 = weights.iter().sum();
    let ideas = [
        "Mehr Licht am Bahndamm, abends ist es dort sehr dunkel.",
        "Ein Treffpunkt für Jugendliche, der auch am Wochenende offen hat.",
        "Die Spielplätze müssten öfter gereinigt werden.",
        "Beratung in türkischer und arabischer Sprache im Bürgeramt.",
        "Mehr Bänke und Schatten auf der Einkaufsstraße.",
    ];
    let anonymous = Viewer::anonymous();
    for i in 0..80u32 {
        let mut pick = next(total);
        let mut area = &targets[0];
        for (a, w) in targets.iter().zip(&weights) {
            if pick < *w {
                area = a;
                break;
            }
            pick -= w;
        }
        let unsafe_bias = u64::from(area.id % 3 == 0);
        let sicher = [
            "sehr_sicher",
            "eher_sicher",
            "eher_unsicher",
            "sehr_unsicher",
        ][usize::try_from((next(3) + unsafe_bias).min(3)).unwrap_or(0)];
        let mut one = |options: &[&'static str]| {
            options[usize::try_from(next(options.len() as u64)).unwrap_or(0)]
        };
        let missing: Vec<&str> = [
            "spielplatz",
            "jugendtreff",
            "seniorentreff",
            "beratung",
            "sport",
            "kita",
        ]
        .into_iter()
        .skip(usize::try_from(i % 4).unwrap_or(0))
        .step_by(2)
        .take(3)
        .collect();
        let park = one(&["gern", "egal", "ungern"]);
        let station = one(&["egal", "ungern", "ungern"]);
        let kita = one(&["ja", "nein", "brauche_keinen"]);
        let children = one(&["ja", "nein", "nein"]);
        let ranking: &[&str] = match i % 3 {
            0 => &["sicherheit", "mieten", "gruen"],
            1 => &["mieten", "kinder"],
            _ => &["gruen", "kinder", "sicherheit", "mieten"],
        };
        let years = next(40);
        let feeling = 1 + next(5);
        let mut a = serde_json::json!({
            "quartier": {"type": "area", "value": area.id},
            "seit": {"type": "number", "value": years},
            "wohl": {"type": "number", "value": feeling},
            "sicher": {"type": "choice", "value": sicher},
            "kinder": {"type": "choice", "value": children},
            "fehlt": {"type": "choices", "value": {"selected": missing}},
            "orte": {"type": "matrix", "value": {"park": park, "bahnhof": station}},
            "wichtig": {"type": "ranking", "value": ranking},
        });
        if sicher.ends_with("unsicher") {
            a["warum"] = serde_json::json!({"type": "choices", "value": {"selected": ["licht", "sauberkeit"]}});
        }
        if a["kinder"]["value"] == "ja" {
            a["kita"] = serde_json::json!({"type": "choice", "value": kita});
        }
        if i % 9 == 0 {
            a["idee"] =
                serde_json::json!({"type": "text", "value": ideas[(i as usize / 9) % ideas.len()]});
            if let Some((lon, lat)) = state.mem.area_index().interior_point(i64::from(area.id)) {
                a["ort"] = serde_json::json!({"type": "point", "value": {"lon": lon, "lat": lat}});
            }
        }
        let answers: Answers = serde_json::from_value(a).map_err(AppError::internal)?;
        surveys::submit(
            state,
            Submission {
                survey_id: id,
                key: &format!("demo-response-{i:04}"),
                language: if i % 7 == 0 { "tr" } else { "de" },
                answers,
                code: None,
                honeypot: None,
                viewer: &anonymous,
                device: None,
                client: &format!("demo-{i}"),
            },
        )
        .await?;
    }
    // The moderation approves two ideas; the others wait in the review queue.
    let results = surveys::results(&state.db, moderator, id).await?;
    for t in results.free_texts.iter().take(2) {
        surveys::review_free_text(&state.db, moderator, t.id, true).await?;
    }
    Ok(())
}

/// A board for Kalk and a city-wide topic board with posts, comments, support and an answer,
/// written through the same services as the pages (so placement and moderation apply).
pub(super) async fn load_boards(state: &AppState, city: i32, people: &[Viewer]) -> AppResult<()> {
    use crate::boards::{self, BoardInput, NewPost, Participant};
    use qn_domain::boards::{Access, PostStatus};
    let [admin, planner, anna, murat, _moderator, ..] = people else {
        // A changed account list must fail loudly, not leave the demo half empty.
        return Err(AppError::Validation("demo accounts missing".into()));
    };
    let as_participant = |v| Participant {
        viewer: v,
        device: None,
    };
    let stadtteil = areas::level_by_key(&state.db, planner, city, "stadtteil").await?;
    let by_name: std::collections::HashMap<String, i32> =
        areas::current_areas(&state.db, planner, stadtteil.id)
            .await?
            .into_iter()
            .map(|a| (a.name, a.id))
            .collect();
    // Posts of one Stadtteil get nearby points inside it, so their dots do not cover each other.
    let point = |name: &str, nth: usize| {
        let id = i64::from(*by_name.get(name)?);
        let index = state.mem.area_index();
        let (lon, lat) = index.interior_point(id)?;
        [(0.0, 0.0), (0.003, 0.001), (-0.003, 0.001), (0.001, -0.002)]
            .iter()
            .map(|(dx, dy)| (lon + dx, lat + dy))
            .cycle()
            .skip(nth % 4)
            .take(4)
            .find(|(x, y)| index.containing(*x, *y).any(|a| a.area_id == id))
    };
    for tag in [
        "Wohnen",
        "Grün und Spielen",
        "Verkehr",
        "Nachbarschaft",
        "Sicherheit",
    ] {
        boards::create_tag(&state.db, admin, city, tag).await?;
    }
    let tags = boards::tags(&state.db, city).await?;
    let tag = |name: &str| {
        tags.iter()
            .filter(|t| t.name == name)
            .map(|t| t.id)
            .collect::<Vec<_>>()
    };
    let kalk = boards::create_board(
        &state.db,
        planner,
        city,
        BoardInput {
            area_id: by_name.get("Kalk").copied(),
            topic: None,
            title: "Ideen für Kalk".into(),
            rules: "Bitte bleiben Sie freundlich und sachlich. Beiträge mit Beleidigungen blendet die Moderation aus.\n\nDie Sozialplanung antwortet innerhalb von zwei Wochen.".into(),
            open: true,
            access: Access::Anonymous,
            premoderate_first: false,
        },
    )
    .await?;
    let green = boards::create_board(
        &state.db,
        planner,
        city,
        BoardInput {
            area_id: None,
            topic: Some("Spielplätze und Grünflächen".into()),
            title: "Spielplätze und Grünflächen in Köln".into(),
            rules: "Nur mit Konto. Bitte nennen Sie den Ort möglichst genau.".into(),
            open: true,
            access: Access::Accounts,
            premoderate_first: false,
        },
    )
    .await?;
    let mut posts = Vec::new();
    for (i, (board, who, kind, title, body, place, field)) in [
        (kalk.id, anna, "idea", "Mehr Bänke an der Kalker Hauptstraße", "Zwischen Kalk Post und dem Bürgeramt gibt es kaum Sitzgelegenheiten. Gerade Ältere brauchen unterwegs eine Pause.\n\nVorschlag: drei Bänke mit Rückenlehne.", Some("Kalk"), "Nachbarschaft"),
        (kalk.id, murat, "concern", "Dunkler Weg am Bahndamm", "Der Fußweg entlang der Bahn ist abends nicht beleuchtet. Viele gehen lieber einen Umweg.", Some("Kalk"), "Sicherheit"),
        (kalk.id, anna, "question", "Wann öffnet das Familienzentrum wieder?", "Seit dem Umbau ist unklar, wann die offenen Treffs wieder stattfinden.", None, "Nachbarschaft"),
        (kalk.id, murat, "praise", "Danke für das Sommerfest", "Das Fest im Bürgerpark hat viele Nachbarn zusammengebracht. Gerne wieder!", Some("Kalk"), "Nachbarschaft"),
        (green.id, anna, "idea", "Wasserspielplatz im Rheinpark", "Im Sommer fehlt für kleine Kinder Abkühlung in der Nähe.", Some("Deutz"), "Grün und Spielen"),
        (green.id, murat, "concern", "Spielplatz in Humboldt/Gremberg verwahrlost", "Die Schaukel ist seit Monaten kaputt, der Sand ist verschmutzt.", Some("Humboldt/Gremberg"), "Grün und Spielen"),
    ]
    .into_iter()
    .enumerate()
    {
        let (lon, lat) = match place.and_then(|p| point(p, i)) {
            Some((lon, lat)) => (Some(lon), Some(lat)),
            None => (None, None),
        };
        posts.push(
            boards::create_post(
                state,
                as_participant(who),
                NewPost {
                    board_id: board,
                    kind: kind.into(),
                    title: title.into(),
                    body: body.into(),
                    display_name: None,
                    lon,
                    lat,
                    address: String::new(),
                    tag_ids: tag(field),
                },
            )
            .await?,
        );
    }
    for (post, who) in [(0, murat), (1, anna), (4, murat), (5, anna)] {
        boards::support(state, as_participant(who), posts[post].id).await?;
    }
    let c = boards::create_comment(
        state,
        as_participant(murat),
        posts[0].id,
        None,
        "Gute Idee! Vor der Apotheke wäre auch ein guter Platz.",
        None,
    )
    .await?;
    boards::create_comment(
        state,
        as_participant(anna),
        posts[0].id,
        Some(c.id),
        "Stimmt, da ist auch Schatten.",
        None,
    )
    .await?;
    // Something for the moderation queue.
    crate::boards::moderation::report(
        &state.db,
        as_participant(anna),
        qn_domain::boards::Target::Post,
        posts[5].id,
        "Doppelt: der Schaden ist schon beim Grünflächenamt gemeldet.",
    )
    .await?;
    boards::answer(
        state,
        planner,
        posts[1].id,
        PostStatus::InConference,
        Some("Danke für den Hinweis. Wir nehmen den Weg in die Sozialraumkonferenz Kalk am 4. Dezember mit und prüfen mit dem Tiefbauamt eine Beleuchtung."),
    )
    .await?;
    Ok(())
}
