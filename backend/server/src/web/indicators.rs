//! HTTP glue of the indicators module: exports and map GeoJSON (open data, for every viewer
//! after disclosure control), the profile CSV, and the planner pages' form handlers (plain
//! POSTs answered with a redirect, so they work without JavaScript).

use super::forms::{back_with_error, see_other};
use super::json_error;
use crate::indicators::export::{export, ExportFormat};
use crate::indicators::import::{self as imp, ImportInput};
use crate::indicators::maps::{feature_collection, MapRequest, MapSource};
use crate::indicators::need_index::{self as need, StoredComponent, StoredSpec};
use crate::indicators::{self, profile, IndicatorInput};
use crate::kernel::error::AppError;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use qn_domain::indicators::classify::Method;
use qn_domain::indicators::import::{Format, Layout};
use qn_domain::indicators::need_index::{Combination, IndexClasses, Normalisation};
use qn_domain::tenancy::Visibility;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ExportQuery {
    ebene: i32,
    /// `breit` for the wide CSV layout.
    layout: Option<String>,
}

/// `GET /api/v1/indicators/{id}/values.csv?ebene=…[&layout=breit]`.
pub async fn values_csv(
    state: State<AppState>,
    viewer: Viewer,
    id: Path<i32>,
    q: Query<ExportQuery>,
) -> Response {
    let format = match q.layout.as_deref() {
        Some("breit" | "wide") => ExportFormat::CsvWide,
        _ => ExportFormat::CsvLong,
    };
    values_export(state, viewer, id, q, format).await
}

/// `GET /api/v1/indicators/{id}/values.json?ebene=…`: KomMonitor's value JSON.
pub async fn values_json(
    state: State<AppState>,
    viewer: Viewer,
    id: Path<i32>,
    q: Query<ExportQuery>,
) -> Response {
    values_export(state, viewer, id, q, ExportFormat::KomMonitor).await
}

/// `GET /api/v1/indicators/{id}/values.geojson?ebene=…`: boundaries with `DATE_…` properties.
pub async fn values_geojson(
    state: State<AppState>,
    viewer: Viewer,
    id: Path<i32>,
    q: Query<ExportQuery>,
) -> Response {
    values_export(state, viewer, id, q, ExportFormat::GeoJson).await
}

async fn values_export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    Query(q): Query<ExportQuery>,
    format: ExportFormat,
) -> Response {
    match export(&state, &viewer, id, q.ebene, format).await {
        Ok((body, file)) => {
            super::download(body, format.content_type(), &file, super::Keep::Private)
        }
        Err(e) => json_error(&e),
    }
}

/// Map parameters as the pages' GET forms send them.
#[derive(Deserialize, Default)]
pub struct MapQuery {
    pub ebene: Option<i32>,
    pub datum: Option<NaiveDate>,
    pub methode: Option<String>,
    pub klassen: Option<usize>,
    /// Manual breaks, `;`-separated, decimal comma or point.
    pub grenzen: Option<String>,
}

/// Classes when none are asked for.
pub const DEFAULT_CLASSES: usize = 5;

pub fn map_request(source: MapSource, q: &MapQuery) -> Result<MapRequest, AppError> {
    let method = match q.methode.as_deref() {
        None | Some("") => None,
        Some(m) => Some(
            m.parse::<Method>()
                .map_err(|_| AppError::Validation(format!("unbekannte Klassifizierung {m}")))?,
        ),
    };
    let breaks = match q.grenzen.as_deref() {
        Some(s) if !s.trim().is_empty() => s
            .split(';')
            .map(|b| {
                qn_domain::indicators::import::parse_number(b)
                    .ok()
                    .flatten()
                    .ok_or_else(|| {
                        AppError::Validation(format!("Klassengrenze {b} ist keine Zahl"))
                    })
            })
            .collect::<Result<Vec<f64>, AppError>>()?,
        _ => Vec::new(),
    };
    Ok(MapRequest {
        source,
        level_id: q.ebene,
        date: q.datum,
        method,
        classes: q.klassen.unwrap_or(DEFAULT_CLASSES),
        breaks,
    })
}

async fn map_geojson(state: AppState, viewer: Viewer, source: MapSource, q: MapQuery) -> Response {
    let result = async {
        let req = map_request(source, &q)?;
        feature_collection(&state, &viewer, &req, 0.0001).await
    }
    .await;
    match result {
        Ok(fc) => super::geojson(&fc, super::Keep::Private),
        Err(e) => json_error(&e),
    }
}

/// `GET /api/v1/indicators/{id}/map.geojson`: the choropleth for the map.
pub async fn indicator_map(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    Query(q): Query<MapQuery>,
) -> Response {
    map_geojson(state, viewer, MapSource::Indicator(id), q).await
}

/// `GET /api/v1/indices/{id}/map.geojson`: a need index as a choropleth.
pub async fn index_map(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    Query(q): Query<MapQuery>,
) -> Response {
    map_geojson(state, viewer, MapSource::Index(id), q).await
}

/// `GET /api/v1/areas/{id}/profile.csv`: the Steckbrief as a spreadsheet.
pub async fn profile_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
) -> Response {
    let result = async {
        let p = profile::profile(&state.db, Some(&state.mem.published), &viewer, id).await?;
        let body = profile::to_csv(&p)?;
        Ok::<_, AppError>((body, format!("steckbrief-{}.csv", p.area.code)))
    }
    .await;
    match result {
        Ok((body, file)) => {
            super::download(body, "text/csv; charset=utf-8", &file, super::Keep::Private)
        }
        Err(e) => json_error(&e),
    }
}

async fn tenant_and_viewer(
    state: &AppState,
    viewer: Viewer,
    slug: &str,
) -> Result<(tenancy::Tenant, Viewer), AppError> {
    let tenant = tenancy::by_slug(&state.db, slug).await?;
    Ok((tenant, viewer))
}

#[derive(Deserialize)]
pub struct IndicatorForm {
    /// Only when creating; an indicator's key does not change.
    #[serde(default)]
    key: String,
    name: String,
    #[serde(default)]
    abbreviation: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    topic: String,
    polarity: String,
    kind: String,
    precision: Option<i32>,
    min_count: Option<i32>,
    visibility: String,
}

/// The catalogue entry a form sends (create and edit share the form).
fn form_input(f: IndicatorForm) -> Result<IndicatorInput, AppError> {
    let bad = |what: &str| AppError::Validation(format!("{what}: ungültige Auswahl"));
    Ok(IndicatorInput {
        key: f.key.trim().to_owned(),
        polarity: f.polarity.parse().map_err(|_| bad("Bewertung"))?,
        kind: f.kind.parse().map_err(|_| bad("Art"))?,
        visibility: f.visibility.parse().map_err(|_| bad("Sichtbarkeit"))?,
        name: f.name,
        abbreviation: f.abbreviation,
        unit: f.unit,
        description: f.description,
        source: f.source,
        topic: f.topic,
        precision: f.precision.unwrap_or(1),
        min_count: f
            .min_count
            .unwrap_or(i32::try_from(qn_domain::indicators::DEFAULT_MIN_COUNT).unwrap_or(3)),
        shared_with: Vec::new(),
    })
}

/// `POST /kommune/{slug}/indikatoren/neu`.
pub async fn create_indicator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Form(f): Form<IndicatorForm>,
) -> Response {
    let back = format!("/kommune/{slug}/indikatoren");
    let result = async {
        let (tenant, viewer) = tenant_and_viewer(&state, viewer, &slug).await?;
        let input = form_input(f)?;
        indicators::create(&state.db, &viewer, tenant.id, input, None).await
    }
    .await;
    match result {
        Ok(ind) => see_other(&format!("/indikator/{}?hinweis=angelegt", ind.id)),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

/// `POST /indikator/{id}/bearbeiten`: changes a catalogue entry.
pub async fn update_indicator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    Form(f): Form<IndicatorForm>,
) -> Response {
    let back = format!("/indikator/{id}");
    let result = async {
        let input = form_input(f)?;
        indicators::update(&state.db, &state.mem.published, &viewer, id, input).await
    }
    .await;
    match result {
        Ok(_) => see_other(&format!("{back}?hinweis=geaendert")),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

/// `POST /indikator/{id}/loeschen`: deletes an indicator that nothing else uses.
pub async fn delete_indicator(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
) -> Response {
    let result = async {
        let ind = indicators::get(&state.db, &viewer, id).await?;
        let tenant = tenancy::by_id(&state.db, ind.tenant_id).await?;
        indicators::delete(&state.db, &state.mem.published, &viewer, id).await?;
        Ok::<_, AppError>(tenant.slug)
    }
    .await;
    match result {
        Ok(slug) => see_other(&format!("/kommune/{slug}/indikatoren?hinweis=geloescht")),
        Err(e) => back_with_error(&state.signer, &format!("/indikator/{id}"), &e),
    }
}

/// `POST /kommune/{slug}/indikatoren/import` (multipart: `indikator`, `ebene`, `format`,
/// `layout`, `datei`): checks the file and keeps it as a draft; the page then shows the preview.
pub async fn upload_import(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    let back = format!("/kommune/{slug}/indikatoren/import");
    let result = async {
        let (tenant, viewer) = tenant_and_viewer(&state, viewer, &slug).await?;
        let fields = super::forms::multipart_fields(multipart).await?;
        let text = |name: &str| {
            fields
                .get(name)
                .map(|d| String::from_utf8_lossy(d).trim().to_owned())
                .unwrap_or_default()
        };
        let indicator = text("indikator").parse::<i32>().ok();
        let level = text("ebene").parse::<i32>().ok();
        let format = text("format").parse().unwrap_or(Format::Auto);
        let layout = text("layout").parse().unwrap_or(Layout::Auto);
        let bytes = fields.get("datei").map(|d| d.to_vec()).unwrap_or_default();
        let indicator =
            indicator.ok_or_else(|| AppError::Validation("Bitte einen Indikator wählen".into()))?;
        let level =
            level.ok_or_else(|| AppError::Validation("Bitte eine Gebietsebene wählen".into()))?;
        let ind = indicators::get(&state.db, &viewer, indicator).await?;
        if ind.tenant_id != tenant.id {
            return Err(AppError::NotFound);
        }
        let (id, _) = imp::create_draft(
            &state,
            &viewer,
            ImportInput {
                indicator_id: indicator,
                level_id: level,
                bytes,
                format,
                layout,
                area_property: None,
                dry_run: true,
            },
        )
        .await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match result {
        Ok(id) => see_other(&format!("{back}?entwurf={id}")),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

/// `POST /kommune/{slug}/indikatoren/import/{draft}`: applies a previewed draft.
pub async fn apply_import(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((slug, draft)): Path<(String, i32)>,
) -> Response {
    let back = format!("/kommune/{slug}/indikatoren/import?entwurf={draft}");
    let result = async {
        let d = imp::draft(&state.db, &viewer, draft).await?;
        let report = imp::apply_draft(&state, &viewer, draft).await?;
        Ok::<_, AppError>((d, report))
    }
    .await;
    match result {
        Ok((d, r)) if r.applied => see_other(&format!(
            "/indikator/{}?ebene={}&hinweis=importiert&anzahl={}",
            d.indicator_id, d.level_id, r.rows
        )),
        // The areas changed since the preview: show the new problems.
        Ok(_) => see_other(&format!("{back}&fehler=STALE_DRAFT")),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

/// The index form: one row per indicator of the tenant (`gewicht_<id>`, `richtung_<id>`); an
/// indicator takes part when its weight is given.
#[derive(Deserialize)]
pub struct IndexForm {
    key: String,
    name: String,
    #[serde(default)]
    description: String,
    ebene: i32,
    normalisation: String,
    combination: String,
    #[serde(default)]
    restandardise: Option<String>,
    klassen: String,
    einwohner: Option<String>,
    min_einwohner: Option<String>,
    #[serde(default)]
    ausschluss: String,
    visibility: String,
    #[serde(flatten)]
    rest: std::collections::HashMap<String, String>,
}

/// A unit enum from its serde name (`z_score`, `weighted_sum`, …), as the form's options carry.
fn from_name<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

fn number(s: &str, what: &str) -> Result<Option<f64>, AppError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    qn_domain::indicators::import::parse_number(s)
        .ok()
        .flatten()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| AppError::Validation(format!("{what}: „{s}“ ist keine Zahl")))
}

/// `POST /kommune/{slug}/sozialindex`.
pub async fn save_index(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Form(f): Form<IndexForm>,
) -> Response {
    let back = format!("/kommune/{slug}/indikatoren");
    let result = async {
        let (tenant, viewer) = tenant_and_viewer(&state, viewer, &slug).await?;
        let list = indicators::list(&state.db, &viewer, tenant.id).await?;
        let mut components = Vec::new();
        for ind in &list {
            let Some(w) = f.rest.get(&format!("gewicht_{}", ind.id)) else {
                continue;
            };
            let Some(weight) = number(w, &format!("Gewicht von {}", ind.name))? else {
                continue;
            };
            let polarity = f
                .rest
                .get(&format!("richtung_{}", ind.id))
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| indicators::polarity(ind));
            components.push(StoredComponent {
                indicator_id: ind.id,
                polarity,
                weight,
            });
        }
        let bad = |what: &str| AppError::Validation(format!("{what}: ungültige Auswahl"));
        let normalisation: Normalisation =
            from_name(&f.normalisation).ok_or_else(|| bad("Normierung"))?;
        let combination: Combination =
            from_name(&f.combination).ok_or_else(|| bad("Verknüpfung"))?;
        let classes = match f.klassen.as_str() {
            "sd" => IndexClasses::SdBands(vec![-1.0, 1.0, 1.5]),
            q => IndexClasses::Quantiles(
                q.strip_prefix('q')
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| bad("Klassen"))?,
            ),
        };
        let population = match f.einwohner.as_deref() {
            Some(s) if !s.is_empty() => Some(s.parse::<i32>().map_err(|_| bad("Einwohner"))?),
            _ => None,
        };
        let min_population = number(
            f.min_einwohner.as_deref().unwrap_or(""),
            "Mindesteinwohnerzahl",
        )?;
        let level_areas = crate::areas::current_areas(&state.db, &viewer, f.ebene).await?;
        let mut excluded = Vec::new();
        for code in f
            .ausschluss
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let a = level_areas
                .iter()
                .find(|a| a.code == code || a.name == code)
                .ok_or_else(|| {
                    AppError::Validation(format!("Gebiet „{code}“ gibt es auf dieser Ebene nicht"))
                })?;
            excluded.push(a.id);
        }
        let visibility: Visibility = f.visibility.parse().map_err(|_| bad("Sichtbarkeit"))?;
        need::save(
            &state.db,
            &viewer,
            need::DefinitionInput {
                tenant_id: tenant.id,
                key: f.key.trim().to_owned(),
                name: f.name,
                description: f.description,
                level_id: f.ebene,
                spec: StoredSpec {
                    components,
                    normalisation,
                    combination,
                    restandardise: f.restandardise.is_some(),
                    classes,
                    population_indicator_id: population.filter(|_| min_population.is_some()),
                    min_population: min_population.filter(|_| population.is_some()),
                    excluded_area_ids: excluded,
                },
                visibility,
                shared_with: Vec::new(),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(def) => see_other(&format!("/sozialindex/{}?hinweis=gespeichert", def.id)),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}
