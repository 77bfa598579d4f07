//! The demo directory: actors and offers from OpenStreetMap points of Köln-Kalk.

use super::*;

pub(super) const OSM_POIS: [PoiFile; 6] = [
    (
        include_str!("../../demo/osm/amenity_kindergarten.geojson"),
        "kita",
        "betreuung,bildung",
        "kinder,familien",
        Some(0),
        Some(6),
    ),
    (
        include_str!("../../demo/osm/amenity_place_of_worship.geojson"),
        "kirchengemeinde",
        "religion,freizeit",
        "alle",
        None,
        None,
    ),
    (
        include_str!("../../demo/osm/amenity_social_facility.geojson"),
        "beratungsstelle",
        "beratung",
        "alle",
        None,
        None,
    ),
    (
        include_str!("../../demo/osm/amenity_community_centre.geojson"),
        "buergerzentrum",
        "freizeit,engagement,kultur",
        "alle",
        None,
        None,
    ),
    (
        include_str!("../../demo/osm/amenity_youth_centre.geojson"),
        "jugendeinrichtung",
        "freizeit,hausaufgaben",
        "jugendliche,kinder",
        Some(10),
        Some(21),
    ),
    (
        include_str!("../../demo/osm/amenity_nursing_home.geojson"),
        "senioreneinrichtung",
        "pflege",
        "senioren",
        Some(65),
        None,
    ),
];

/// Places of worship named as mosques or synagogues are not Kirchengemeinden.
pub(super) fn worship_kind(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if ["moschee", "islam", "cami", "mescid"]
        .iter()
        .any(|k| n.contains(k))
    {
        "moscheegemeinde"
    } else if n.contains("synagoge") {
        "religionsgemeinschaft"
    } else {
        "kirchengemeinde"
    }
}

/// The directory: the OSM points imported through the planners' import (points without a
/// name or outside Köln left out first, since the import refuses files with broken rows), and
/// a provider's own actor with one published and one waiting offer.
pub(super) async fn load_directory(
    state: &AppState,
    operator: &Viewer,
    city: i32,
    people: &[Viewer],
) -> AppResult<()> {
    use crate::directory;
    use qn_domain::directory::entry::{ActorInput, OfferInput};
    use qn_domain::directory::import::{read_geojson, Mapping};
    let split = |s: &str| -> Vec<String> { s.split(',').map(str::to_owned).collect() };
    let index = state.mem.area_index();
    for (file, kind, categories, groups, age_min, age_max) in OSM_POIS {
        let fc: serde_json::Value =
            serde_json::from_str(file).map_err(|e| AppError::Validation(e.to_string()))?;
        let features: Vec<serde_json::Value> = fc["features"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|f| {
                let named = f["properties"]["tags/name"]
                    .as_str()
                    .is_some_and(|n| !n.trim().is_empty());
                let inside = match (
                    f["geometry"]["coordinates"][0].as_f64(),
                    f["geometry"]["coordinates"][1].as_f64(),
                ) {
                    (Some(lon), Some(lat)) => index
                        .containing(lon, lat)
                        .any(|a| a.tenant_id == i64::from(city)),
                    _ => false,
                };
                named && inside
            })
            .collect();
        let kinds: Vec<&str> = if kind == "kirchengemeinde" {
            vec![
                "kirchengemeinde",
                "moscheegemeinde",
                "religionsgemeinschaft",
            ]
        } else {
            vec![kind]
        };
        for k in kinds {
            let part: Vec<&serde_json::Value> = features
                .iter()
                .filter(|f| {
                    kind != "kirchengemeinde"
                        || worship_kind(f["properties"]["tags/name"].as_str().unwrap_or_default())
                            == k
                })
                .collect();
            let text =
                serde_json::json!({ "type": "FeatureCollection", "features": part }).to_string();
            let mapping = Mapping {
                title: "tags/name".into(),
                source: "osm-node".into(),
                actor_kind: k.into(),
                categories: split(categories),
                target_groups: split(groups),
                age_min,
                age_max,
                languages: vec!["de".into()],
                cost: "kostenlos".into(),
                default_description: "Beispieleintrag der Demodaten: Name und Ort stammen aus OpenStreetMap (© OpenStreetMap-Mitwirkende, ODbL), Angebot und Zeiten sind erfunden.".into(),
                ..Mapping::default()
            };
            let read = read_geojson(
                &text,
                &mapping,
                &directory::categories::of(&state.db, city).await?,
            )
            .map_err(|e| AppError::Validation(e.to_string()))?;
            let report = directory::import::apply(state, operator, city, read, false).await?;
            if !report.applied {
                return Err(AppError::Validation(report.describe()));
            }
        }
    }
    // A provider's own entries: published actor and offer, and a second offer waiting.
    let provider = people
        .iter()
        .find(|p| p.has_any_role(city, &[Role::Provider]))
        .ok_or(AppError::NotFound)?;
    let actor = directory::create_actor(
        state,
        provider,
        city,
        &ActorInput {
            name: "Familienzentrum Kalk (Demo)".into(),
            kind: "familienzentrum".into(),
            description: "Offenes Haus für Familien im Stadtteil Kalk: Beratung, Treffpunkte und Kurse. Ausgedachter Eintrag der Demodaten.".into(),
            email: "anbieter@koeln.demo".into(),
            street: "Kalker Hauptstraße 100".into(),
            postcode: "51103".into(),
            city: "Köln".into(),
            lon: Some(6.9985),
            lat: Some(50.9395),
            languages: split("de,tr,ar"),
            accessibility: "Eingang und Räume im Erdgeschoss stufenlos.".into(),
            ..ActorInput::default()
        },
    )
    .await?;
    let moderator = people
        .iter()
        .find(|p| p.has_any_role(city, &[Role::Moderator]))
        .ok_or(AppError::NotFound)?;
    directory::approve(state, moderator, directory::Kind::Actor, actor.id, false).await?;
    let offer =
        |title: &str, categories: &str, groups: &str, schedule: &str, languages: &str| OfferInput {
            title: title.into(),
            description: format!(
                "{title} im Familienzentrum Kalk. Ausgedachtes Angebot der Demodaten."
            ),
            categories: split(categories),
            target_groups: split(groups),
            languages: split(languages),
            schedule: schedule.into(),
            cost: "kostenlos".into(),
            barrier_free: true,
            ..OfferInput::default()
        };
    for (title, categories, groups, schedule, languages) in [
        (
            "Elterncafé",
            "beratung,freizeit",
            "eltern,familien",
            "Mi 09:00-11:00",
            "de,tr",
        ),
        (
            "Hausaufgabenhilfe",
            "hausaufgaben,bildung",
            "kinder",
            "Mo 14:00-16:00\nDo 14:00-16:00",
            "de,ar",
        ),
    ] {
        let o = directory::create_offer(
            state,
            provider,
            actor.id,
            &offer(title, categories, groups, schedule, languages),
        )
        .await?;
        directory::approve(state, moderator, directory::Kind::Offer, o.id, false).await?;
    }
    // The provider is not trusted: this offer waits, so the moderation queue shows something.
    directory::create_offer(
        state,
        provider,
        actor.id,
        &offer(
            "Deutschkurs für Mütter",
            "sprache,bildung",
            "eltern,frauen,migranten",
            "Di 09:00-11:30",
            "de,ar,tr",
        ),
    )
    .await?;
    Ok(())
}
