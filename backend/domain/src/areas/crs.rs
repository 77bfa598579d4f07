//! The coordinate reference systems German municipalities deliver boundaries in.

use proj4rs::proj::Proj;
use std::fmt;

/// A supported CRS. ETRS89 and WGS84 differ by well under a metre in Germany, which is below
/// the precision of administrative boundaries, so ETRS89/UTM is projected straight to EPSG:4326
/// (as PROJ does without a datum grid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    /// EPSG:4326 / OGC CRS84: longitude, latitude in degrees (GeoJSON's default).
    Wgs84,
    /// EPSG:25832, ETRS89 / UTM zone 32N (NRW, most of Germany).
    Utm32,
    /// EPSG:25833, ETRS89 / UTM zone 33N (eastern Germany).
    Utm33,
}

impl Crs {
    /// Reads the names used in GeoJSON `crs` members and on the command line:
    /// `EPSG:25832`, `urn:ogc:def:crs:EPSG::25832`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `25832`.
    pub fn parse(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_uppercase();
        if n.ends_with("CRS84") {
            return Some(Self::Wgs84);
        }
        let code = n.rsplit(':').next().unwrap_or_default();
        match code {
            "4326" => Some(Self::Wgs84),
            "25832" => Some(Self::Utm32),
            "25833" => Some(Self::Utm33),
            _ => None,
        }
    }

    pub fn epsg(self) -> u32 {
        match self {
            Self::Wgs84 => 4326,
            Self::Utm32 => 25832,
            Self::Utm33 => 25833,
        }
    }

    fn utm_zone(self) -> Option<u8> {
        match self {
            Self::Wgs84 => None,
            Self::Utm32 => Some(32),
            Self::Utm33 => Some(33),
        }
    }

    /// Whether a coordinate is plausible in this CRS before any transformation; this is how a
    /// file declared as EPSG:4326 but holding metres (or the reverse) is caught.
    pub fn plausible(self, x: f64, y: f64) -> bool {
        match self {
            Self::Wgs84 => (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y),
            // UTM eastings lie within about 160–840 km of the false origin; northings in Europe
            // are millions of metres, so degree values fail here.
            Self::Utm32 | Self::Utm33 => {
                (100_000.0..=900_000.0).contains(&x) && (0.0..=10_000_000.0).contains(&y)
            }
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.epsg())
    }
}

/// Turns coordinates of one CRS into longitude/latitude degrees.
pub(crate) struct Reprojector {
    from: Option<(Proj, Proj)>,
}

impl Reprojector {
    pub(crate) fn new(crs: Crs) -> Result<Self, String> {
        let from = match crs.utm_zone() {
            None => None,
            Some(zone) => {
                let src = Proj::from_proj_string(&format!(
                    "+proj=utm +zone={zone} +ellps=GRS80 +units=m +no_defs"
                ))
                .map_err(|e| e.to_string())?;
                let dst = Proj::from_proj_string("+proj=longlat +ellps=GRS80 +no_defs")
                    .map_err(|e| e.to_string())?;
                Some((src, dst))
            }
        };
        Ok(Self { from })
    }

    /// Returns (lon, lat) in degrees.
    pub(crate) fn to_lon_lat(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        match &self.from {
            None => Ok((x, y)),
            Some((src, dst)) => {
                let mut p = (x, y);
                proj4rs::transform::transform(src, dst, &mut p).map_err(|e| e.to_string())?;
                Ok((p.0.to_degrees(), p.1.to_degrees()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_crs_names() {
        assert_eq!(Crs::parse("urn:ogc:def:crs:EPSG::25832"), Some(Crs::Utm32));
        assert_eq!(Crs::parse("EPSG:25833"), Some(Crs::Utm33));
        assert_eq!(
            Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84"),
            Some(Crs::Wgs84)
        );
        assert_eq!(Crs::parse("4326"), Some(Crs::Wgs84));
        assert_eq!(Crs::parse("EPSG:3857"), None);
    }

    /// Reference values computed with PROJ 9 (pyproj, `Transformer.from_crs(4326, 258xx)`).
    #[test]
    fn utm_matches_proj() {
        let cases = [
            // Kölner Dom
            (
                Crs::Utm32,
                356_560.260_003_8,
                5_645_282.135_917_9,
                6.9583,
                50.9413,
            ),
            // a vertex of Köln-Flittard
            (
                Crs::Utm32,
                360_689.929_460_3,
                5_654_168.046_413_9,
                7.013_636_8,
                51.022_171_4,
            ),
            // Berlin, Rotes Rathaus area
            (
                Crs::Utm33,
                391_779.259_251_6,
                5_820_072.159_087_1,
                13.405,
                52.52,
            ),
        ];
        for (crs, x, y, lon, lat) in cases {
            let r = Reprojector::new(crs).expect("proj string");
            let (got_lon, got_lat) = r.to_lon_lat(x, y).expect("transform");
            assert!(
                (got_lon - lon).abs() < 1e-7,
                "{crs}: lon {got_lon} vs {lon}"
            );
            assert!(
                (got_lat - lat).abs() < 1e-7,
                "{crs}: lat {got_lat} vs {lat}"
            );
        }
    }

    #[test]
    fn plausibility_catches_swapped_crs() {
        assert!(Crs::Wgs84.plausible(6.95, 50.94));
        assert!(!Crs::Wgs84.plausible(356_560.0, 5_645_282.0));
        assert!(Crs::Utm32.plausible(356_560.0, 5_645_282.0));
        assert!(!Crs::Utm32.plausible(6.95, 50.94));
    }
}
