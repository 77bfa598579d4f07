//! A tenant's address register (house coordinates), kept by its planners: an actor or offer
//! given by its address lands on its house and in its Quartier. Replaced as a whole from a
//! CSV or GeoJSON file, checked first, written in one transaction.

use crate::kernel::error::{AppError, AppResult};
use crate::kernel::permissions::Can;
use crate::kernel::state::AppState;
use crate::kernel::viewer::Viewer;
use qn_domain::areas::addresses::{
    locate, one_line, parse_register, split_house_number, street_key, Located, RegisterAddress,
    RegisterProblem,
};
use qn_domain::areas::Crs;
use qn_domain::directory::entry::Addressed;
use qn_domain::directory::{EntryError, Point};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

/// Largest register accepted: a Kreis of 300,000 people has about 80,000 houses.
const MAX_ROWS: usize = 400_000;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "address_points")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tenant_id: i32,
        pub street_key: String,
        pub number_key: String,
        pub street: String,
        pub number: String,
        pub postcode: Option<String>,
        pub city: Option<String>,
        pub lon: f64,
        pub lat: f64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How many houses the register holds, for its keepers.
///
/// # Errors
/// `Forbidden` for anyone but the tenant's planners; database errors.
pub async fn size(db: &impl ConnectionTrait, viewer: &Viewer, tenant_id: i32) -> AppResult<u64> {
    viewer.require(tenant_id, Can::EditAddressRegister)?;
    count(db, tenant_id).await
}

/// How many houses the tenant's register holds.
///
/// # Errors
/// Database errors.
async fn count(db: &impl ConnectionTrait, tenant_id: i32) -> AppResult<u64> {
    Ok(entity::Entity::find()
        .filter(entity::Column::TenantId.eq(tenant_id))
        .count(db)
        .await?)
}

/// Replaces the tenant's register with the houses of a file (see [`parse_register`]; metres
/// are read as `crs`). Every problem is reported at once and nothing changes unless all rows
/// are usable. Returns the number of houses stored.
///
/// # Errors
/// `Validation` listing the broken rows; `Forbidden`; database errors.
pub async fn replace(
    db: &DatabaseConnection,
    viewer: &Viewer,
    tenant_id: i32,
    text: &str,
    crs: Crs,
) -> AppResult<usize> {
    viewer.require(tenant_id, Can::EditAddressRegister)?;
    let (houses, problems) = parse_register(text, crs).map_err(AppError::Validation)?;
    if !problems.is_empty() {
        return Err(AppError::Validation(describe(&problems)));
    }
    if houses.is_empty() {
        return Err(AppError::Validation(
            "Die Datei enthält keine Adressen mit Straße, Hausnummer und Koordinaten.".into(),
        ));
    }
    if houses.len() > MAX_ROWS {
        return Err(AppError::Validation(format!(
            "Höchstens {MAX_ROWS} Adressen auf einmal."
        )));
    }
    let txn = crate::kernel::db::write_txn(db).await?;
    entity::Entity::delete_many()
        .filter(entity::Column::TenantId.eq(tenant_id))
        .exec(&txn)
        .await?;
    for chunk in houses.chunks(500) {
        entity::Entity::insert_many(chunk.iter().map(|h| row(tenant_id, h)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(houses.len())
}

fn row(tenant_id: i32, h: &RegisterAddress) -> entity::ActiveModel {
    entity::ActiveModel {
        tenant_id: Set(tenant_id),
        street_key: Set(h.street_key()),
        number_key: Set(h.number_key()),
        street: Set(h.street.clone()),
        number: Set(h.number.clone()),
        postcode: Set(h.postcode.clone()),
        city: Set(h.city.clone()),
        lon: Set(h.lon),
        lat: Set(h.lat),
        ..Default::default()
    }
}

/// The first problems, one per line (a file with thousands of broken rows should not make a
/// message of megabytes).
fn describe(problems: &[RegisterProblem]) -> String {
    let mut lines: Vec<String> = problems.iter().take(20).map(ToString::to_string).collect();
    if problems.len() > 20 {
        lines.push(format!("… und {} weitere", problems.len() - 20));
    }
    format!(
        "Die Datei wurde nicht übernommen ({} fehlerhafte Einträge):\n{}",
        problems.len(),
        lines.join("\n")
    )
}

/// The point of a typed address (street with house number, postcode, place): the tenant's
/// register first, then the external geocoder when one is configured (its houses inside the
/// tenant's areas, on the street typed). `None` when neither knows anything of the tenant, so
/// the form's own rule applies (a point on the map).
///
/// # Errors
/// [`AppError::Entry`] when there is no such house, or several far apart, or the geocoder
/// does not answer; database errors.
pub async fn point_of(
    state: &AppState,
    tenant_id: i32,
    street: &str,
    postcode: &str,
    city: &str,
) -> AppResult<Option<Point>> {
    let db = &state.db;
    let kept = count(db, tenant_id).await? > 0;
    if !kept && state.geocoder.is_none() {
        return Ok(None);
    }
    let typed = [street.trim(), postcode.trim(), city.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = || AppError::Entry(vec![EntryError::AddressUnknown(typed.clone())]);
    let (name, number) = split_house_number(street).ok_or_else(unknown)?;
    let decided = |located: Located| match located {
        Located::Found { lon, lat } => Ok(Some(Point { lon, lat })),
        Located::Ambiguous(places) => {
            Err(AppError::Entry(vec![EntryError::AddressAmbiguous(places)]))
        }
        Located::NotFound => Err(unknown()),
    };
    if kept {
        let houses: Vec<RegisterAddress> = entity::Entity::find()
            .filter(entity::Column::TenantId.eq(tenant_id))
            .filter(entity::Column::StreetKey.eq(street_key(&name)))
            .all(db)
            .await?
            .into_iter()
            .map(|h| RegisterAddress {
                street: h.street,
                number: h.number,
                postcode: h.postcode,
                city: h.city,
                lon: h.lon,
                lat: h.lat,
            })
            .collect();
        let located = locate(&houses, &number, postcode, city);
        if located != Located::NotFound || state.geocoder.is_none() {
            return decided(located);
        }
    }
    let Some(geocoder) = &state.geocoder else {
        return Err(unknown());
    };
    let houses: Vec<RegisterAddress> = geocoder
        .houses(
            &typed,
            state.mem.area_index().tenant_bounds(i64::from(tenant_id)),
        )
        .await
        .map_err(|e| AppError::Entry(vec![e]))?
        .into_iter()
        .filter(|h| h.street_key() == street_key(&name))
        .filter(|h| !super::tenant_areas_at(state, tenant_id, h.lon, h.lat).is_empty())
        .collect();
    decided(locate(&houses, &number, postcode, city))
}

/// An entry given by its address only, with the point from the register filled in (the entry
/// as it was when it has a point, or the tenant keeps no register).
///
/// # Errors
/// See [`point_of`].
pub async fn complete<T: Addressed + Clone>(
    state: &AppState,
    tenant_id: i32,
    input: &T,
) -> AppResult<T> {
    let mut out = input.clone();
    if let Some((street, postcode, city)) = input.address_only() {
        if let Some(p) = point_of(state, tenant_id, street, postcode, city).await? {
            out.set_point(p);
        }
    }
    Ok(out)
}

/// A typed address found: its point and the tenant's areas around it, finest last.
pub struct Found {
    pub point: Point,
    pub areas: Vec<super::Area>,
}

/// Looks up one line as typed ("Kalker Hauptstraße 120, 51103 Köln") for a form that wants to
/// show where it lies before anything is saved (see [`point_of`]). `None` when the tenant keeps
/// no register and no geocoder is configured.
///
/// # Errors
/// [`AppError::Entry`] for an unknown or ambiguous address, one outside the tenant's areas, or
/// a geocoder that does not answer; database errors.
pub async fn find(
    state: &AppState,
    viewer: &Viewer,
    tenant_id: i32,
    typed: &str,
) -> AppResult<Option<Found>> {
    let (street, postcode, city) = one_line(typed);
    let Some(point) = point_of(state, tenant_id, &street, &postcode, &city).await? else {
        return Ok(None);
    };
    let ids = super::tenant_areas_at(state, tenant_id, point.lon, point.lat);
    let mut areas = super::by_ids(&state.db, viewer, &ids).await?;
    if areas.is_empty() {
        return Err(AppError::Entry(vec![EntryError::Outside]));
    }
    areas.sort_by_key(|a| (a.level_id, a.id));
    Ok(Some(Found { point, areas }))
}
