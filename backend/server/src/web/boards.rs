//! HTTP glue of the boards: the pages' form handlers (plain POSTs answered with a redirect, so
//! everything works without JavaScript) and the GeoJSON/CSV endpoints. Forms are read as
//! repeated fields (several `feld` checkboxes), so they are parsed here rather than by serde.

use super::forms::{enc, finish, Fields};
use super::json_error;
use crate::boards::{self, export, moderation, BoardInput, Followed, NewPost, Participant};
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use crate::tenancy;
use crate::web::DeviceCookie;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use qn_domain::boards::{Access, Moderation, PostStatus, Target};
use std::net::SocketAddr;

/// The target of a report or moderation (`ziel`, `ziel_id`).
fn target(f: &Fields) -> Result<(Target, i32), AppError> {
    let target = f.text("ziel").parse::<Target>()?;
    let id = f
        .int("ziel_id")?
        .ok_or_else(|| AppError::Validation("ziel_id fehlt".into()))?;
    Ok((target, id))
}

fn board_input(f: &Fields) -> Result<BoardInput, AppError> {
    Ok(BoardInput {
        area_id: f.int("gebiet")?,
        topic: f.non_empty("thema").map(str::to_owned),
        title: f.text("titel").to_owned(),
        rules: f.text("regeln").to_owned(),
        open: !f.flag("geschlossen"),
        access: if f.flag("anonym") {
            Access::Anonymous
        } else {
            Access::Accounts
        },
        premoderate_first: f.flag("vorab"),
    })
}

/// `POST /kommune/{slug}/beteiligung`: a new board.
pub async fn create_board(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/beteiligung");
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let b = boards::create_board(&state.db, viewer, tenant.id, board_input(&f)?).await?;
        Ok(format!("/pinnwand/{}?hinweis=angelegt", b.id))
    }
    .await;
    finish(&state, device, result, &back)
}

/// `POST /kommune/{slug}/handlungsfelder`: a field of action for the managed list.
pub async fn create_tag(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/beteiligung");
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        boards::create_tag(&state.db, viewer, tenant.id, f.text("name")).await?;
        Ok(format!("{back}?hinweis=gespeichert"))
    }
    .await;
    finish(&state, device, result, &back)
}

/// `POST /pinnwand/{id}/beitraege`: a new post. On an error the typed title and (the start of)
/// the text come back in the form.
pub async fn create_post(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let typed: String = f.text("text").chars().take(1_500).collect();
    let back = format!(
        "/pinnwand/{id}?titel={}&text={}&art={}#neu",
        enc(f.text("titel")),
        enc(&typed),
        enc(f.text("art"))
    );
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let client = super::client_address(&state.settings, &headers, addr);
        boards::count_anonymous_write(&state, viewer, &client)?;
        let dev = device.for_writing(viewer);
        let participant = Participant {
            viewer,
            device: dev.as_deref(),
        };
        let post = boards::create_post(
            &state,
            participant,
            NewPost {
                board_id: id,
                kind: f.text("art").to_owned(),
                title: f.text("titel").to_owned(),
                body: f.text("text").to_owned(),
                display_name: f.non_empty("name").map(str::to_owned),
                lon: f.coordinate("lon")?,
                lat: f.coordinate("lat")?,
                address: f.text("adresse").chars().take(200).collect(),
                tag_ids: f.ints("feld")?,
            },
        )
        .await?;
        let notice = if post.moderation == Moderation::Pending.as_str() {
            "wartet"
        } else {
            "erstellt"
        };
        Ok(format!("/beitrag/{}?hinweis={notice}", post.id))
    }
    .await;
    finish(&state, device, result, &back)
}

/// `POST /pinnwand/{id}/folgen` (`an=0` to stop).
pub async fn follow_board(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/pinnwand/{id}");
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let on = f.get("an") != Some("0");
        let participant = Participant {
            viewer,
            device: None,
        };
        boards::follow(&state, participant, Followed::Board(id), on).await?;
        Ok(format!(
            "{back}?hinweis={}",
            if on { "folgt" } else { "entfolgt" }
        ))
    }
    .await;
    finish(&state, device, result, &back)
}

/// `POST /beitrag/{id}/{action}`: everything done on a post's page.
pub async fn post_action(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(i32, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let page = format!("/beitrag/{id}");
    let on_error = match action.as_str() {
        "kommentare" => format!(
            "{page}?kommentar={}#kommentieren",
            enc(&f.text("text").chars().take(1_500).collect::<String>())
        ),
        _ => f.back_to(page.clone()),
    };
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let dev = match action.as_str() {
            "unterstuetzen" | "kommentare" | "melden" | "bearbeiten" => {
                let client = super::client_address(&state.settings, &headers, addr);
                boards::count_anonymous_write(&state, viewer, &client)?;
                device.for_writing(viewer)
            }
            _ => device.for_reading(viewer),
        };
        let participant = Participant {
            viewer,
            device: dev.as_deref(),
        };
        let db = &state.db;
        let notice = match action.as_str() {
            "kommentare" => {
                let c = boards::create_comment(
                    &state,
                    participant,
                    id,
                    f.int("antwort_auf")?,
                    f.text("text"),
                    f.non_empty("name"),
                )
                .await?;
                if c.moderation == Moderation::Pending.as_str() {
                    "kommentar-wartet".to_owned()
                } else {
                    format!("kommentiert#k{}", c.id)
                }
            }
            "unterstuetzen" => {
                if f.flag("zurueckziehen") {
                    boards::withdraw_support(&state, participant, id).await?;
                    "zurueckgezogen".into()
                } else {
                    boards::support(&state, participant, id).await?;
                    "unterstuetzt".into()
                }
            }
            "folgen" => {
                let on = f.get("an") != Some("0");
                boards::follow(&state, participant, Followed::Post(id), on).await?;
                if on { "folgt" } else { "entfolgt" }.into()
            }
            "melden" => {
                let (target, target_id) = target(&f)?;
                moderation::report(db, participant, target, target_id, f.text("grund")).await?;
                "gemeldet".into()
            }
            "moderieren" => {
                let (target, target_id) = target(&f)?;
                let to = match f.text("aktion") {
                    "ausblenden" => Moderation::Hidden,
                    "einblenden" => Moderation::Visible,
                    other => {
                        return Err(AppError::Validation(format!("unbekannte Aktion {other}")))
                    }
                };
                moderation::set_moderation(db, viewer, target, target_id, to, f.text("grund"))
                    .await?;
                "moderiert".into()
            }
            "erledigt" => {
                let (target, target_id) = target(&f)?;
                moderation::dismiss_reports(db, viewer, target, target_id).await?;
                "erledigt".into()
            }
            "sperren" => {
                let (target, target_id) = target(&f)?;
                let days = f
                    .non_empty("tage")
                    .map(|d| {
                        d.parse::<i64>()
                            .map_err(|_| AppError::Validation("tage: keine Zahl".into()))
                    })
                    .transpose()?;
                moderation::ban_author(db, viewer, target, target_id, f.text("grund"), days)
                    .await?;
                "gesperrt".into()
            }
            "antwort" => {
                let status = f.text("status").parse::<PostStatus>()?;
                boards::answer(&state, viewer, id, status, f.get("antwort")).await?;
                "beantwortet".into()
            }
            "bearbeiten" => {
                boards::edit_post(&state, participant, id, f.text("titel"), f.text("text")).await?;
                "geaendert".into()
            }
            _ => return Err(AppError::NotFound),
        };
        let back = f.back_to(page);
        let sep = if back.contains('?') { '&' } else { '?' };
        Ok(format!("{back}{sep}hinweis={notice}"))
    }
    .await;
    finish(&state, device, result, &on_error)
}

/// `POST /kommune/{slug}/moderation/wortfilter`: the word filter, one entry per line.
pub async fn set_words(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let back = format!("/kommune/{slug}/moderation");
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        let tenant = tenancy::by_slug(&state.db, &slug).await?;
        let words: Vec<String> = f.text("woerter").lines().map(str::to_owned).collect();
        moderation::set_filter_words(&state.db, viewer, tenant.id, &words).await?;
        Ok(format!("{back}?hinweis=gespeichert"))
    }
    .await;
    finish(&state, device, result, &back)
}

/// `POST /kommune/{slug}/moderation/sperren/{ban}/aufheben`.
pub async fn lift_ban(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((slug, ban)): Path<(String, i32)>,
    headers: HeaderMap,
) -> Response {
    let back = format!("/kommune/{slug}/moderation");
    let device = DeviceCookie::from_headers(&headers);
    let device = &device;
    let result: AppResult<String> = async {
        let viewer = &viewer;
        moderation::lift_ban(&state.db, viewer, ban).await?;
        Ok(format!("{back}?hinweis=aufgehoben"))
    }
    .await;
    finish(&state, device, result, &back)
}

/// `GET /api/v1/boards/{id}/posts.geojson`: visible posts with a point (open data).
pub async fn board_geojson(State(state): State<AppState>, Path(id): Path<i32>) -> Response {
    match export::board_points(&state.db, id).await {
        Ok(points) => super::geojson(&export::feature_collection(&points), crate::web::Keep::Open),
        Err(e) => json_error(&e),
    }
}

/// `GET /api/v1/areas/{id}/posts.geojson`: visible posts with a point inside an area.
pub async fn area_geojson(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
) -> Response {
    let result = async {
        crate::areas::by_id(&state.db, &viewer, id).await?;
        boards::points(&state.db, None, Some(id)).await
    }
    .await;
    match result {
        Ok(points) => super::geojson(&export::feature_collection(&points), crate::web::Keep::Open),
        Err(e) => json_error(&e),
    }
}

/// `GET /api/v1/boards/{id}/posts.csv`: every post, for the tenant's administration.
pub async fn board_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i32>,
) -> Response {
    let result =
        async { export::posts_csv(&state.db, &viewer, id, &state.settings.public_url).await }.await;
    match result {
        Ok((body, file)) => {
            super::download(body, "text/csv; charset=utf-8", &file, super::Keep::Private)
        }
        Err(e) => json_error(&e),
    }
}
