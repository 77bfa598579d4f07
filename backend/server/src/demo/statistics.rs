//! The demo indicators: Köln's published Stadtteil statistics.

use super::*;

/// The Köln indicators with their values at both levels, and a demo need index over them.
pub(super) async fn load_indicators(
    state: &AppState,
    operator: &Viewer,
    city: i32,
) -> AppResult<()> {
    let levels = areas::levels(&state.db, operator, city).await?;
    let level = |key: &str| {
        levels
            .iter()
            .find(|l| l.key == key)
            .map(|l| l.id)
            .ok_or_else(|| AppError::Internal(format!("demo level {key} missing").into()))
    };
    let (bezirke, stadtteile) = (level("stadtbezirk")?, level("stadtteil")?);
    let mut ids = std::collections::HashMap::new();
    for (key, name, abbreviation, unit, kind, topic, files) in KOELN_INDICATORS {
        let ind = indicators::create(
            &state.db,
            operator,
            city,
            indicators::IndicatorInput {
                key: key.into(),
                name: name.into(),
                abbreviation: abbreviation.into(),
                unit: unit.into(),
                description: String::new(),
                source: KOELN_SOURCE.into(),
                topic: topic.into(),
                polarity: Polarity::Neutral,
                kind,
                precision: if kind == IndicatorKind::Count { 0 } else { 1 },
                min_count: 3,
                visibility: Visibility::Public,
                shared_with: Vec::new(),
            },
            None,
        )
        .await?;
        for (level_id, file) in [(bezirke, files[0]), (stadtteile, files[1])] {
            let report = value_import::import(
                state,
                operator,
                value_import::ImportInput {
                    indicator_id: ind.id,
                    level_id,
                    bytes: file.as_bytes().to_vec(),
                    format: Format::Csv,
                    layout: Layout::Long,
                    area_property: None,
                    dry_run: false,
                },
            )
            .await?;
            if !report.applied {
                let problems: Vec<String> =
                    report.problems.iter().map(|p| p.message.clone()).collect();
                return Err(AppError::Validation(problems.join("\n")));
            }
        }
        ids.insert(key, ind.id);
    }
    let id = |key: &str| {
        ids.get(key)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("demo indicator {key} missing").into()))
    };
    let component = |key: &str| -> AppResult<need_index::StoredComponent> {
        Ok(need_index::StoredComponent {
            indicator_id: id(key)?,
            polarity: Polarity::HighIsBad,
            weight: 1.0,
        })
    };
    need_index::save(
        &state.db,
        operator,
        need_index::DefinitionInput {
            tenant_id: city,
            key: "demografie".into(),
            name: "Demografischer Bedarfsindex (Demo)".into(),
            description: "Beispiel: z-Werte der Anteile unter 6-Jähriger, ab 65-Jähriger und mit Migrationshintergrund, summiert und erneut standardisiert; Stadtteile unter 1.000 Einwohnern bleiben außen vor.".into(),
            level_id: stadtteile,
            spec: need_index::StoredSpec {
                components: vec![component("anteil_u6")?, component("anteil_65plus")?, component("anteil_migration")?],
                normalisation: Normalisation::ZScore,
                combination: Combination::WeightedSum,
                restandardise: true,
                classes: IndexClasses::SdBands(vec![-1.0, 1.0, 1.5]),
                population_indicator_id: Some(id("einwohner")?),
                min_population: Some(1000.0),
                excluded_area_ids: Vec::new(),
            },
            visibility: Visibility::Public,
            shared_with: Vec::new(),
        },
    )
    .await?;
    Ok(())
}
