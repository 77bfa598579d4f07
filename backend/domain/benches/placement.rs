//! `cargo bench -p qn-domain --bench placement`: placing 50,000 directory entries into 1,000
//! Quartiere (and the 40 Bezirke above them) with the area index, as after a boundary import.
//! The Quartiere are a 40 × 25 grid whose shared corners are jittered and whose edges carry
//! extra vertices (24 per ring), so point-in-polygon tests are not trivial. Under `cargo test`
//! it runs one small round as a smoke test.

use geo::{LineString, MultiPolygon, Polygon};
use qn_domain::areas::{AreaIndex, IndexedArea};
use std::hint::black_box;
use std::time::Instant;

const COLS: usize = 40;
const ROWS: usize = 25;
const STEP: f64 = 0.004;

/// A small deterministic generator (no dependency for a benchmark).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn corners() -> Vec<Vec<(f64, f64)>> {
    let mut r = Lcg(7);
    (0..=ROWS)
        .map(|y| {
            (0..=COLS)
                .map(|x| {
                    // Border corners stay put, so the grid has no gaps or overlaps.
                    let inner = x > 0 && y > 0 && x < COLS && y < ROWS;
                    let j = |r: &mut Lcg| {
                        if inner {
                            (r.next() - 0.5) * STEP * 0.4
                        } else {
                            0.0
                        }
                    };
                    (
                        6.8 + x as f64 * STEP + j(&mut r),
                        50.8 + y as f64 * STEP + j(&mut r),
                    )
                })
                .collect()
        })
        .collect()
}

/// Points along an edge (without its end), for rings with more vertices.
fn edge(a: (f64, f64), b: (f64, f64), out: &mut Vec<(f64, f64)>) {
    for i in 0..6 {
        let t = f64::from(i) / 6.0;
        out.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
    }
}

fn areas() -> Vec<IndexedArea> {
    let c = corners();
    let mut out = Vec::new();
    for y in 0..ROWS {
        for x in 0..COLS {
            let mut ring = Vec::new();
            edge(c[y][x], c[y][x + 1], &mut ring);
            edge(c[y][x + 1], c[y + 1][x + 1], &mut ring);
            edge(c[y + 1][x + 1], c[y + 1][x], &mut ring);
            edge(c[y + 1][x], c[y][x], &mut ring);
            ring.push(c[y][x]);
            out.push(IndexedArea {
                area_id: (y * COLS + x) as i64,
                tenant_id: 1,
                level_id: 2,
                geometry: MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])]),
            });
        }
    }
    // One Bezirk per column: a straight-edged strip over the jittered Quartiere.
    for x in 0..COLS {
        let (x0, x1) = (6.8 + x as f64 * STEP, 6.8 + (x + 1) as f64 * STEP);
        let (y0, y1) = (50.8, 50.8 + ROWS as f64 * STEP);
        out.push(IndexedArea {
            area_id: 10_000 + x as i64,
            tenant_id: 1,
            level_id: 1,
            geometry: MultiPolygon(vec![Polygon::new(
                LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
                vec![],
            )]),
        });
    }
    out
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (rounds, n) = if full { (20, 50_000) } else { (1, 2_000) };
    let t = Instant::now();
    let index = AreaIndex::new(areas());
    let build = t.elapsed();
    let mut r = Lcg(42);
    let points: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            (
                6.8 + r.next() * COLS as f64 * STEP,
                50.8 + r.next() * ROWS as f64 * STEP,
            )
        })
        .collect();
    let mut times = Vec::new();
    let mut placed = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        placed = 0;
        for (lon, lat) in &points {
            let hits: Vec<i64> = index.containing(*lon, *lat).map(|a| a.area_id).collect();
            placed += usize::from(!hits.is_empty());
            black_box(hits);
        }
        times.push(t.elapsed());
    }
    times.sort();
    // Nearly every point lies in a Quartier (the rest fall exactly on an edge).
    assert!(placed * 100 >= n * 99, "placed {placed} of {n}");
    println!(
        "index of {} areas built in {:.1} ms; {n} points placed at every level: median {:.0} ms, max {:.0} ms ({} rounds)",
        index.len(),
        build.as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        rounds
    );
}
