//! Spatial units: reading boundary files, reprojection, validation, and the area index (point-in-polygon).

// Geometry, projections and file parsing are the server's (`full`); the browser's survey
// checks need only the postcode lookup.
#[cfg(feature = "full")]
pub mod addresses;
#[cfg(feature = "full")]
mod crs;
#[cfg(feature = "full")]
mod import;
#[cfg(feature = "full")]
mod index;
pub mod postcodes;
#[cfg(feature = "full")]
mod validate;

#[cfg(feature = "full")]
pub use crs::Crs;
#[cfg(feature = "full")]
pub use import::{
    check_parents, parse_feature_collection, FieldMapping, ImportProblem, Problem, SourceArea,
};
#[cfg(feature = "full")]
pub use index::{AreaIndex, IndexedArea};

#[cfg(feature = "full")]
use geo::{MultiPolygon, Simplify};

/// Renders a geometry as a GeoJSON geometry object, optionally simplified
/// (Ramer–Douglas–Peucker, `tolerance` in degrees) for small map payloads.
#[cfg(feature = "full")]
pub fn geometry_to_geojson(
    geometry: &MultiPolygon<f64>,
    tolerance: Option<f64>,
) -> serde_json::Value {
    let simplified;
    let (g, scale) = match tolerance {
        // Simplified shapes are for maps: 6 decimals (about 10 cm) are plenty.
        Some(t) if t > 0.0 => {
            simplified = geometry.simplify(t);
            (&simplified, 1e6)
        }
        // Stored shapes: 7 decimals (about 1 cm); more digits only add bytes.
        _ => (geometry, 1e7),
    };
    let round = |v: f64| (v * scale).round() / scale;
    let polygons: Vec<serde_json::Value> =
        g.0.iter()
            .map(|p| {
                let ring = |r: &geo::LineString<f64>| -> serde_json::Value {
                    r.0.iter()
                        .map(|c| serde_json::json!([round(c.x), round(c.y)]))
                        .collect()
                };
                let mut rings = vec![ring(p.exterior())];
                rings.extend(p.interiors().iter().map(ring));
                serde_json::Value::Array(rings)
            })
            .collect();
    serde_json::json!({ "type": "MultiPolygon", "coordinates": polygons })
}

/// Reads a geometry stored by [`geometry_to_geojson`] (EPSG:4326, MultiPolygon or Polygon).
///
/// # Errors
/// A description when the stored text is not such a geometry.
#[cfg(feature = "full")]
pub fn geometry_from_geojson(text: &str) -> Result<MultiPolygon<f64>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let polygons = import::read_polygons(&value).map_err(|p| p.to_string())?;
    Ok(MultiPolygon(
        polygons
            .into_iter()
            .map(|rings| {
                import::polygon_from_rings(
                    rings
                        .into_iter()
                        .map(|r| {
                            r.into_iter()
                                .map(|[x, y]| geo::coord! {x: x, y: y})
                                .collect()
                        })
                        .collect(),
                )
            })
            .collect(),
    ))
}
