//! HTTP glue of the directory: the form handlers of the provider, moderation and import pages
//! (plain POSTs answered with a redirect; a refused long form comes back filled in through
//! `web::drafts`), and the open-data endpoints (CSV, GeoJSON).

use super::directory_pages;
use super::forms::{back_with_error, enc, finish, multipart_fields, see_other, Fields};
use super::json_error;
use crate::directory::{self, Kind, Outcome};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use crate::web::DeviceCookie;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use qn_app::api::{ActorInput, OfferInput, OfferSearchArgs};
use qn_domain::directory::import::Mapping;

fn list(f: &Fields, name: &str) -> Vec<String> {
    f.0.iter()
        .filter(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

fn age(f: &Fields, name: &str) -> AppResult<Option<u8>> {
    f.non_empty(name)
        .map(|v| {
            v.parse::<u8>().map_err(|_| {
                AppError::Validation("Das Alter muss eine ganze Zahl von 0 bis 120 sein.".into())
            })
        })
        .transpose()
}

fn date(f: &Fields, name: &str) -> AppResult<Option<chrono::NaiveDate>> {
    f.non_empty(name)
        .map(|v| {
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .or_else(|_| chrono::NaiveDate::parse_from_str(v, "%d.%m.%Y"))
                .map_err(|_| AppError::Validation(format!("„{v}“ ist kein Datum (TT.MM.JJJJ).")))
        })
        .transpose()
}

fn actor_input(f: &Fields) -> AppResult<ActorInput> {
    Ok(ActorInput {
        name: f.text("name").into(),
        kind: f.text("art").into(),
        description: f.text("beschreibung").into(),
        contact_name: f.text("ansprechperson").into(),
        email: f.text("email").into(),
        phone: f.text("telefon").into(),
        street: f.text("strasse").into(),
        postcode: f.text("plz").into(),
        city: f.text("ort").into(),
        lon: f.coordinate("lon")?,
        lat: f.coordinate("lat")?,
        website: f.text("website").into(),
        languages: list(f, "sprache"),
        accessibility: f.text("barrierefreiheit").into(),
    })
}

fn offer_input(f: &Fields) -> AppResult<OfferInput> {
    Ok(OfferInput {
        title: f.text("titel").into(),
        description: f.text("beschreibung").into(),
        categories: list(f, "kategorie"),
        target_groups: list(f, "zielgruppe"),
        age_min: age(f, "alter_von")?,
        age_max: age(f, "alter_bis")?,
        languages: list(f, "sprache"),
        schedule: f.text("zeiten").into(),
        cost: f.text("kosten").into(),
        registration: f.flag("anmeldung"),
        barrier_free: f.flag("barrierefrei"),
        street: f.text("strasse").into(),
        postcode: f.text("plz").into(),
        city: f.text("ort").into(),
        lon: f.coordinate("lon")?,
        lat: f.coordinate("lat")?,
        valid_from: date(f, "gueltig_ab")?,
        valid_until: date(f, "gueltig_bis")?,
        serves: f.ints("gebiete")?,
    })
}

/// Back to the form with the error and, for a signed-in person, what they typed.
fn refused<T: serde::Serialize>(
    state: &AppState,
    viewer: Option<&Viewer>,
    back: &str,
    input: Option<&T>,
    e: &AppError,
) -> Response {
    let user = viewer.and_then(|v| v.user.as_ref()).map(|u| u.id);
    let path = match (user, input.and_then(|i| serde_json::to_string(i).ok())) {
        (Some(u), Some(json)) => format!(
            "{back}?entwurf={}",
            enc(&state.mem.form_drafts.put(u, json))
        ),
        _ => back.to_owned(),
    };
    back_with_error(&state.signer, &path, e)
}

/// The path after saving: `published` or waiting for review.
fn saved(path: String, published: bool) -> String {
    format!(
        "{path}?hinweis={}",
        if published { "gespeichert" } else { "wartet" }
    )
}

/// Runs a save with the viewer and the parsed form; a refusal goes back to `back` with what
/// was typed.
async fn save<T, Fut>(
    state: &AppState,
    viewer: Viewer,
    input: AppResult<T>,
    back: &str,
    act: impl FnOnce(Viewer, T) -> Fut,
) -> Response
where
    T: serde::Serialize + Clone,
    Fut: std::future::Future<Output = AppResult<String>>,
{
    let result = match &input {
        Ok(i) => act(viewer.clone(), i.clone()).await,
        Err(e) => Err(AppError::Validation(e.to_string())),
    };
    match result {
        Ok(path) => see_other(&path),
        Err(e) => refused(state, Some(&viewer), back, input.as_ref().ok(), &e),
    }
}

/// `POST /kommune/{slug}/anbieten`: a new actor.
pub async fn create_actor(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let input = actor_input(&Fields::parse(&body));
    let back = format!("/kommune/{slug}/anbieten");
    save(&state, viewer, input, &back, |viewer, input| {
        let (state, slug) = (state.clone(), slug.clone());
        async move {
            let tenant = tenancy::by_slug(&state.db, &slug).await?;
            let a = directory::create_actor(&state, &viewer, tenant.id, &input).await?;
            Ok(saved(
                format!("/akteur/{}", a.id),
                a.status == directory::EntryStatus::Published,
            ))
        }
    })
    .await
}

/// `POST /akteur/{id}/bearbeiten`.
pub async fn update_actor(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    body: Bytes,
) -> Response {
    let input = actor_input(&Fields::parse(&body));
    let back = format!("/akteur/{id}/bearbeiten");
    save(&state, viewer, input, &back, |viewer, input| {
        let state = state.clone();
        async move {
            let o = directory::update_actor(&state, &viewer, id, &input).await?;
            Ok(saved(format!("/akteur/{id}"), o == Outcome::Published))
        }
    })
    .await
}

/// `POST /akteur/{id}/angebot-neu`.
pub async fn create_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(actor_id): Path<i32>,
    body: Bytes,
) -> Response {
    let input = offer_input(&Fields::parse(&body));
    let back = format!("/akteur/{actor_id}/angebot-neu");
    save(&state, viewer, input, &back, |viewer, input| {
        let state = state.clone();
        async move {
            let o = directory::create_offer(&state, &viewer, actor_id, &input).await?;
            Ok(saved(
                format!("/angebot/{}", o.id),
                o.status == directory::EntryStatus::Published,
            ))
        }
    })
    .await
}

/// `POST /angebot/{id}/bearbeiten`.
pub async fn update_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    body: Bytes,
) -> Response {
    let input = offer_input(&Fields::parse(&body));
    let back = format!("/angebot/{id}/bearbeiten");
    save(&state, viewer, input, &back, |viewer, input| {
        let state = state.clone();
        async move {
            let o = directory::update_offer(&state, &viewer, id, &input).await?;
            Ok(saved(format!("/angebot/{id}"), o == Outcome::Published))
        }
    })
    .await
}

/// `POST /angebot/{id}/loeschen`.
pub async fn delete_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> Response {
    let device = DeviceCookie::from_headers(&headers);
    let result = async {
        let viewer = &viewer;
        let o = directory::offer_by_id(&state.db, id).await?;
        directory::delete_offer(&state, viewer, id).await?;
        Ok(format!("/akteur/{}?hinweis=geloescht", o.actor_id))
    }
    .await;
    finish(&state, &device, result, &format!("/angebot/{id}"))
}

/// `POST /akteur/{id}/bestaetigen`: the actor and its offers are still right.
pub async fn confirm_actor(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> Response {
    confirm(state, viewer, Kind::Actor, id, headers).await
}

/// `POST /angebot/{id}/bestaetigen`: the offer is still right.
pub async fn confirm_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> Response {
    confirm(state, viewer, Kind::Offer, id, headers).await
}

async fn confirm(
    state: AppState,
    viewer: Viewer,
    kind: Kind,
    id: i32,
    headers: HeaderMap,
) -> Response {
    let back = format!(
        "/{}/{id}",
        if kind == Kind::Actor {
            "akteur"
        } else {
            "angebot"
        }
    );
    let device = DeviceCookie::from_headers(&headers);
    let result = async {
        let viewer = &viewer;
        directory::confirm(&state, viewer, kind, id).await?;
        Ok(format!("{back}?hinweis=bestaetigt"))
    }
    .await;
    finish(&state, &device, result, &back)
}

/// `POST /kommune/{slug}/angebote/pruefen`: approve (`aktion=freigeben`, optionally
/// `vertrauen`) or reject with `grund`.
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/angebote/pruefen");
    let device = DeviceCookie::from_headers(&headers);
    let result = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        viewer.require(tenant.id, Can::ModerateDirectory)?;
        let kind = Kind::parse(f.text("art"))
            .ok_or_else(|| AppError::Validation("art: actor oder offer".into()))?;
        let id = f
            .int("id")?
            .ok_or_else(|| AppError::Validation("id fehlt".into()))?;
        let tenant_of_entry = match kind {
            Kind::Actor => directory::actor_by_id(&state.db, id).await?.tenant_id,
            Kind::Offer => directory::offer_by_id(&state.db, id).await?.tenant_id,
        };
        if tenant_of_entry != tenant.id {
            return Err(AppError::NotFound);
        }
        match f.text("aktion") {
            "freigeben" => {
                directory::approve(&state, viewer, kind, id, f.flag("vertrauen")).await?;
                Ok(format!("{back}?hinweis=freigegeben"))
            }
            "ablehnen" => {
                directory::reject(&state, viewer, kind, id, f.text("grund")).await?;
                Ok(format!("{back}?hinweis=abgelehnt"))
            }
            _ => Err(AppError::Validation(
                "aktion: freigeben oder ablehnen".into(),
            )),
        }
    }
    .await;
    finish(&state, &device, result, &back)
}

/// `POST /kommune/{slug}/angebote/import` (multipart: `datei` and the mapping fields).
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    let back = format!("/kommune/{slug}/angebote/import");
    let result = async {
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        viewer.require(tenant.id, Can::ImportDirectory)?;
        let fields = multipart_fields(multipart).await?;
        let text = |name: &str| {
            fields
                .get(name)
                .map(|v| String::from_utf8_lossy(v).trim().to_owned())
                .unwrap_or_default()
        };
        let keys = |name: &str| -> Vec<String> {
            text(name)
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let number = |name: &str| -> AppResult<Option<u8>> {
            let t = text(name);
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse()
                    .map(Some)
                    .map_err(|_| AppError::Validation(format!("{name}: keine Zahl von 0 bis 120")))
            }
        };
        let or = |name: &str, default: &str| {
            let t = text(name);
            if t.is_empty() {
                default.to_owned()
            } else {
                t
            }
        };
        let file = fields
            .get("datei")
            .filter(|f| !f.is_empty())
            .ok_or_else(|| AppError::Validation("Bitte wählen Sie eine Datei.".into()))?;
        let mapping = Mapping {
            title: or("feld_titel", "name"),
            actor: text("feld_akteur"),
            description: or("feld_beschreibung", "beschreibung"),
            website: or("feld_website", "website"),
            street: or("feld_strasse", "strasse"),
            postcode: or("feld_plz", "plz"),
            city: or("feld_ort", "ort"),
            lon: or("feld_lon", "lon"),
            lat: or("feld_lat", "lat"),
            id: text("feld_id"),
            source: or("quelle", "import"),
            actor_kind: or("art", "sonstiges"),
            categories: keys("kategorien"),
            target_groups: keys("zielgruppen"),
            age_min: number("alter_von")?,
            age_max: number("alter_bis")?,
            languages: keys("sprachen"),
            cost: or("kosten", "kostenlos"),
            default_description: text("text"),
            ..Mapping::default()
        };
        let categories = directory::categories::of(&state.db, tenant.id).await?;
        let read = directory::import::read(file, &mapping, &categories)?;
        let dry_run = text("nur_pruefen") == "1";
        let report = directory::import::apply(&state, &viewer, tenant.id, read, dry_run).await?;
        if report.problems.is_empty() {
            Ok(report.describe())
        } else {
            Err(AppError::Validation(report.describe()))
        }
    }
    .await;
    match result {
        Ok(text) => see_other(&format!("{back}?hinweis=importiert&bericht={}", enc(&text))),
        Err(e) => back_with_error(&state.signer, &back, &e),
    }
}

/// `POST /kommune/{slug}/angebote/versorgung`: coverage of a target group as an indicator;
/// leads to the indicator's map.
pub async fn coverage(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/angebote/import");
    let device = DeviceCookie::from_headers(&headers);
    let result = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let req = directory::coverage::CoverageRequest {
            target_group: f.text("zielgruppe").to_owned(),
            categories: list(&f, "kategorie"),
            population: f
                .int("bevoelkerung")?
                .ok_or_else(|| AppError::Validation("Bitte wählen Sie die Bevölkerung.".into()))?,
        };
        let (indicator, _) = directory::coverage::save(&state, viewer, tenant.id, &req).await?;
        Ok(format!("/indikator/{}", indicator.id))
    }
    .await;
    finish(&state, &device, result, &back)
}

/// `POST /kommune/{slug}/angebote/kategorien`: one change to the Kommune's categories
/// (`aktion`: hinzufuegen, umbenennen, stilllegen, wiederherstellen, hoch, runter).
pub async fn categories(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    use qn_domain::directory::categories::Change;
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/angebote/kategorien");
    let device = DeviceCookie::from_headers(&headers);
    let result = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let key = f.text("schluessel").to_owned();
        let label = f.text("bezeichnung").to_owned();
        let change = match f.text("aktion") {
            "hinzufuegen" => Change::Add { label },
            "umbenennen" => Change::Rename { key, label },
            "stilllegen" => Change::Retire { key },
            "wiederherstellen" => Change::Restore { key },
            "hoch" => Change::Move { key, up: true },
            "runter" => Change::Move { key, up: false },
            _ => return Err(AppError::Validation("Unbekannte Aktion.".into())),
        };
        directory::categories::change(&state, viewer, tenant.id, &change).await?;
        Ok(format!("{back}?hinweis=kategorien"))
    }
    .await;
    finish(&state, &device, result, &back)
}

/// The search page's arguments from a query string (the map's points use the same URL).
pub fn args_from_query(query: &str) -> OfferSearchArgs {
    let mut a = OfferSearchArgs::default();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let v = v.into_owned();
        match k.as_ref() {
            "q" => a.q = Some(v),
            "kategorie" => a.kategorie.push(v),
            "zielgruppe" => a.zielgruppe.push(v),
            "sprache" => a.sprache.push(v),
            "kosten" => a.kosten.push(v),
            "tag" => a.tag.push(v),
            "gebiet" => a.gebiet = v.parse().ok(),
            "sortierung" => a.sortierung = Some(v),
            "seite" => a.seite = v.parse().ok(),
            "lon" => a.lon = v.replace(',', ".").parse().ok(),
            "lat" => a.lat = v.replace(',', ".").parse().ok(),
            "umkreis" => a.umkreis = v.parse().ok(),
            _ => {}
        }
    }
    a
}

/// `GET /api/v1/kommune/{slug}/angebote.geojson`: public offers (open data; with the search
/// page's parameters, the offers of that search, at most 200).
pub async fn offers_geojson(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        match query.filter(|q| !q.is_empty()) {
            Some(q) => {
                directory_pages::search_points(&state, tenant.id, &args_from_query(&q)).await
            }
            None => Ok(directory::export::collection(
                &directory::export::public_offers(&state.db, tenant.id).await?,
            )),
        }
    }
    .await;
    match result {
        Ok(v) => super::geojson(&v, crate::web::Keep::Open),
        Err(e) => json_error(&e),
    }
}

/// `GET /api/v1/kommune/{slug}/angebote.csv`: every public offer (open data).
pub async fn offers_csv(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let result = async {
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        directory::export::csv(&state.db, tenant.id, &state.settings.public_url).await
    }
    .await;
    match result {
        Ok(body) => super::download(
            body,
            "text/csv; charset=utf-8",
            &format!("angebote-{slug}.csv"),
            super::Keep::Open,
        ),
        Err(e) => json_error(&e),
    }
}

/// `GET /api/v1/areas/{id}/offers.geojson`: public offers lying in or serving an area.
pub async fn area_geojson(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
) -> Response {
    let result = async {
        crate::areas::by_id(&state.db, &viewer, id).await?;
        directory_pages::area_points(&state, id).await
    }
    .await;
    match result {
        Ok(v) => super::geojson(&v, crate::web::Keep::Open),
        Err(e) => json_error(&e),
    }
}
