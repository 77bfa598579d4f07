//! An in-memory R-tree over the current area boundaries: which areas contain a point, at every
//! level, and which areas of a level touch each other.

use geo::{BoundingRect, Contains, Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// One indexed area with what callers need to filter the hits (tenant, level).
#[derive(Debug, Clone)]
pub struct IndexedArea {
    pub area_id: i64,
    pub tenant_id: i64,
    pub level_id: i64,
    pub geometry: MultiPolygon<f64>,
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Built once from all current boundaries and swapped as a whole when areas change.
#[derive(Default)]
pub struct AreaIndex {
    tree: RTree<Entry>,
    areas: Vec<IndexedArea>,
}

impl AreaIndex {
    pub fn new(areas: Vec<IndexedArea>) -> Self {
        let entries = areas
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let r = a.geometry.bounding_rect()?;
                Some(Entry::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
            areas,
        }
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// All areas (of any tenant and level) whose boundary contains the point, boundary excluded.
    pub fn containing(&self, lon: f64, lat: f64) -> impl Iterator<Item = &IndexedArea> + '_ {
        let p = Point::new(lon, lat);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .map(|e| &self.areas[e.data])
            .filter(move |a| a.geometry.contains(&p))
    }

    /// The box around a tenant's areas (min lon, min lat, max lon, max lat), to keep a
    /// geocoder's search inside the Kommune.
    pub fn tenant_bounds(&self, tenant_id: i64) -> Option<(f64, f64, f64, f64)> {
        self.areas
            .iter()
            .filter(|a| a.tenant_id == tenant_id)
            .filter_map(|a| a.geometry.bounding_rect())
            .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
    }

    /// A point inside an area (not on its boundary), for placing things in it.
    pub fn interior_point(&self, area_id: i64) -> Option<(f64, f64)> {
        use geo::InteriorPoint;
        let a = self.areas.iter().find(|a| a.area_id == area_id)?;
        a.geometry.interior_point().map(|p| (p.x(), p.y()))
    }

    /// Areas of the same level that share boundary or overlap with `area_id`, sorted by id.
    pub fn neighbours(&self, area_id: i64) -> Vec<i64> {
        let Some(me) = self.areas.iter().find(|a| a.area_id == area_id) else {
            return Vec::new();
        };
        let Some(r) = me.geometry.bounding_rect() else {
            return Vec::new();
        };
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut ids: Vec<i64> = self
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| &self.areas[e.data])
            .filter(|a| a.area_id != area_id && a.level_id == me.level_id)
            .filter(|a| a.geometry.intersects(&me.geometry))
            .map(|a| a.area_id)
            .collect();
        ids.sort_unstable();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(id: i64, level: i64, x: f64, y: f64, d: f64) -> IndexedArea {
        IndexedArea {
            area_id: id,
            tenant_id: 1,
            level_id: level,
            geometry: MultiPolygon(vec![
                polygon![(x: x, y: y), (x: x + d, y: y), (x: x + d, y: y + d), (x: x, y: y + d), (x: x, y: y)],
            ]),
        }
    }

    #[test]
    fn a_tenants_bounds_cover_its_areas_only() {
        let mut other = square(20, 1, 40.0, 40.0, 1.0);
        other.tenant_id = 2;
        let index = AreaIndex::new(vec![
            square(11, 2, 0.0, 0.0, 1.0),
            square(13, 2, 5.0, 5.0, 1.0),
            other,
        ]);
        assert_eq!(index.tenant_bounds(1), Some((0.0, 0.0, 6.0, 6.0)));
        assert_eq!(index.tenant_bounds(2), Some((40.0, 40.0, 41.0, 41.0)));
        assert_eq!(index.tenant_bounds(3), None);
    }

    #[test]
    fn finds_areas_at_every_level() {
        let index = AreaIndex::new(vec![
            square(1, 1, 0.0, 0.0, 2.0),
            square(11, 2, 0.0, 0.0, 1.0),
            square(12, 2, 1.0, 0.0, 1.0),
            square(13, 2, 5.0, 5.0, 1.0),
        ]);
        let mut hits: Vec<i64> = index.containing(1.5, 0.5).map(|a| a.area_id).collect();
        hits.sort_unstable();
        assert_eq!(hits, vec![1, 12]);
        assert_eq!(index.containing(3.0, 3.0).count(), 0);
        assert_eq!(index.neighbours(11), vec![12]);
        assert_eq!(index.neighbours(13), Vec::<i64>::new());
        assert!(index.neighbours(99).is_empty());
    }
}
