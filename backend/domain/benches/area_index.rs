//! `cargo bench -p qn-domain`: parsing and validating Köln's 95 boundaries, building the
//! area index, and point lookups at every level. Under `cargo test` it runs one small round
//! as a smoke test.

use qn_domain::areas::{parse_feature_collection, AreaIndex, FieldMapping, IndexedArea};
use std::hint::black_box;
use std::time::Instant;

const BEZIRKE: &str = include_str!("../../server/demo/koeln-stadtbezirke.geojson");
const STADTTEILE: &str = include_str!("../../server/demo/koeln-stadtteile.geojson");

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds = if full { 20 } else { 1 };
    let lookups = if full { 200_000 } else { 1_000 };

    let mapping = |id: &str, name: &str| FieldMapping {
        id: id.into(),
        name: name.into(),
        parent: None,
    };
    let t = Instant::now();
    let mut parsed = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        parsed = (
            parse_feature_collection(BEZIRKE, &mapping("STB_NR", "STB_NAME"), None)
                .expect("bezirke"),
            parse_feature_collection(STADTTEILE, &mapping("STT_NR", "STT_NAME"), None)
                .expect("stadtteile"),
        );
    }
    let parse_ms = t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds);

    let entries: Vec<IndexedArea> = parsed
        .0
        .iter()
        .map(|a| (1, a))
        .chain(parsed.1.iter().map(|a| (2, a)))
        .enumerate()
        .map(|(i, (level, a))| IndexedArea {
            area_id: i64::try_from(i).unwrap_or_default(),
            tenant_id: 1,
            level_id: level,
            geometry: a.geometry.clone(),
        })
        .collect();
    let t = Instant::now();
    let index = AreaIndex::new(entries);
    let build_ms = t.elapsed().as_secs_f64() * 1e3;

    // Deterministic pseudo-random points over Köln's bounding box (xorshift).
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let points: Vec<(f64, f64)> = (0..lookups)
        .map(|_| (6.77 + next() * 0.32, 50.83 + next() * 0.25))
        .collect();
    let mut samples = Vec::with_capacity(points.len());
    let mut hits = 0usize;
    let t = Instant::now();
    for &(x, y) in &points {
        let s = Instant::now();
        hits += black_box(index.containing(x, y).count());
        samples.push(s.elapsed().as_nanos());
    }
    let total = t.elapsed();
    samples.sort_unstable();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    assert!(hits > 0, "points inside Köln must be found");
    println!(
        "parse+validate 95 areas: {parse_ms:.1} ms | index build: {build_ms:.2} ms | areaAt over {} points ({} hits): mean {:.2} µs, p50 {:.2} µs, p99 {:.2} µs",
        points.len(),
        hits,
        total.as_secs_f64() * 1e6 / points.len() as f64,
        pct(0.5) as f64 / 1e3,
        pct(0.99) as f64 / 1e3,
    );
}
