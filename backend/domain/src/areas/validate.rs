//! Polygon validity in O(n log n). `geo`'s `Validation` compares every segment of a ring with
//! every other one (O(n²)): 0.8 s for Köln's 95 boundaries, minutes for detailed Wohnplatz
//! rings. Here segments are indexed in an R-tree; holes and parts are checked with `relate`
//! (which uses its own R-tree edge intersector). Same rules as OGC simple features.

use geo::{Intersects, Line, LineString, MultiPolygon, Polygon, Relate};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{RTree, RTreeObject};

/// Reasons a polygon is invalid, in German for the import report.
pub fn problems(multi: &MultiPolygon<f64>) -> Vec<String> {
    let mut out = Vec::new();
    for (p, polygon) in multi.0.iter().enumerate() {
        let prefix = if multi.0.len() > 1 {
            format!("Teilfläche {}: ", p + 1)
        } else {
            String::new()
        };
        let mut rings_ok = true;
        for (r, ring) in std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .enumerate()
        {
            let name = if r == 0 {
                "Außenring".to_owned()
            } else {
                format!("Innenring {r}")
            };
            if distinct_points(ring) < 3 {
                out.push(format!(
                    "{prefix}{name} hat weniger als 3 verschiedene Punkte"
                ));
                rings_ok = false;
            } else if let Some(at) = self_intersection(ring) {
                out.push(format!(
                    "{prefix}{name} schneidet sich selbst bei ({:.7}, {:.7})",
                    at.x, at.y
                ));
                rings_ok = false;
            }
        }
        if !rings_ok {
            continue;
        }
        let shell = Polygon::new(polygon.exterior().clone(), vec![]);
        let holes: Vec<Polygon<f64>> = polygon
            .interiors()
            .iter()
            .map(|h| Polygon::new(h.clone(), vec![]))
            .collect();
        for (i, hole) in holes.iter().enumerate() {
            if !shell.relate(hole).is_covers() {
                out.push(format!(
                    "{prefix}Innenring {} liegt nicht im Außenring",
                    i + 1
                ));
            }
            for (j, other) in holes.iter().enumerate().skip(i + 1) {
                if interiors_meet(hole, other) {
                    out.push(format!(
                        "{prefix}Innenringe {} und {} überlappen",
                        i + 1,
                        j + 1
                    ));
                }
            }
        }
    }
    if out.is_empty() {
        for (i, a) in multi.0.iter().enumerate() {
            for (j, b) in multi.0.iter().enumerate().skip(i + 1) {
                if a.intersects(b) {
                    let m = a.relate(b);
                    // Parts may touch at points only (OGC), not overlap or share an edge.
                    let overlap = !m.matches("F********").unwrap_or(false);
                    let shared_edge = m.matches("****1****").unwrap_or(false);
                    if overlap || shared_edge {
                        out.push(format!("Teilflächen {} und {} überlappen oder grenzen entlang einer Linie aneinander", i + 1, j + 1));
                    }
                }
            }
        }
    }
    out
}

fn distinct_points(ring: &LineString<f64>) -> usize {
    let mut pts: Vec<(u64, u64)> = ring
        .0
        .iter()
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect();
    pts.sort_unstable();
    pts.dedup();
    pts.len()
}

/// Whether the interiors of two polygons share any area (touching boundaries are allowed).
fn interiors_meet(a: &Polygon<f64>, b: &Polygon<f64>) -> bool {
    !a.relate(b).matches("F********").unwrap_or(false)
}

/// The first point where two non-adjacent segments of a closed ring meet, if any.
fn self_intersection(ring: &LineString<f64>) -> Option<geo::Coord<f64>> {
    let lines: Vec<Line<f64>> = ring.lines().collect();
    let n = lines.len();
    let tree: RTree<GeomWithData<RLine<[f64; 2]>, usize>> = RTree::bulk_load(
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                GeomWithData::new(RLine::new([l.start.x, l.start.y], [l.end.x, l.end.y]), i)
            })
            .collect(),
    );
    for (i, line) in lines.iter().enumerate() {
        let env = RLine::new([line.start.x, line.start.y], [line.end.x, line.end.y]).envelope();
        for other in tree.locate_in_envelope_intersecting(&env) {
            let j = other.data;
            // Neighbouring segments share their common vertex by construction (the first and
            // the last segment too, in a closed ring).
            let adjacent = j == i || j == (i + 1) % n || i == (j + 1) % n;
            if j < i || adjacent {
                continue;
            }
            let o = &lines[j];
            if line.intersects(o) {
                return Some(match geo::line_intersection::line_intersection(*line, *o) {
                    Some(geo::line_intersection::LineIntersection::SinglePoint {
                        intersection,
                        ..
                    }) => intersection,
                    _ => o.start,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Validation};

    fn multi(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(vec![p])
    }

    #[test]
    fn agrees_with_geo_on_the_usual_cases() {
        let square = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)];
        let with_hole = polygon!(
            exterior: [(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)],
            interiors: [[(x: 1., y: 1.), (x: 2., y: 1.), (x: 2., y: 2.), (x: 1., y: 2.), (x: 1., y: 1.)]],
        );
        let bowtie = polygon![(x: 0., y: 0.), (x: 4., y: 4.), (x: 4., y: 0.), (x: 0., y: 4.), (x: 0., y: 0.)];
        // A ring that touches itself at a vertex (an "inverted hole").
        let touching = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 2., y: 2.), (x: 3., y: 3.), (x: 2., y: 2.5), (x: 2., y: 2.), (x: 0., y: 4.), (x: 0., y: 0.)];
        let hole_outside = polygon!(
            exterior: [(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)],
            interiors: [[(x: 5., y: 5.), (x: 6., y: 5.), (x: 6., y: 6.), (x: 5., y: 6.), (x: 5., y: 5.)]],
        );
        let overlapping = MultiPolygon(vec![
            square.clone(),
            polygon![(x: 2., y: 2.), (x: 6., y: 2.), (x: 6., y: 6.), (x: 2., y: 6.), (x: 2., y: 2.)],
        ]);
        let touching_parts = MultiPolygon(vec![
            square.clone(),
            polygon![(x: 4., y: 0.), (x: 8., y: 0.), (x: 8., y: 4.), (x: 4., y: 4.), (x: 4., y: 0.)],
        ]);
        let corner_parts = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 0., y: 0.)],
            polygon![(x: 4., y: 4.), (x: 8., y: 4.), (x: 8., y: 8.), (x: 4., y: 8.), (x: 4., y: 4.)],
        ]);
        for (case, geometry, valid) in [
            ("square", multi(square), true),
            ("hole", multi(with_hole), true),
            ("bowtie", multi(bowtie), false),
            ("touching", multi(touching), false),
            ("hole outside", multi(hole_outside), false),
            ("overlapping parts", overlapping, false),
            ("parts sharing an edge", touching_parts, false),
            ("parts touching at a corner", corner_parts, true),
        ] {
            assert_eq!(
                problems(&geometry).is_empty(),
                valid,
                "{case}: {:?}",
                problems(&geometry)
            );
            assert_eq!(geometry.is_valid(), valid, "geo disagrees on {case}");
        }
        let bowtie = multi(
            polygon![(x: 0., y: 0.), (x: 4., y: 4.), (x: 4., y: 0.), (x: 0., y: 4.), (x: 0., y: 0.)],
        );
        assert_eq!(
            problems(&bowtie),
            vec!["Außenring schneidet sich selbst bei (2.0000000, 2.0000000)".to_owned()]
        );
    }
}
