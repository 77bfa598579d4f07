//! `cargo bench -p qn-domain --bench need_index`: the composite need index for 10,000 areas ×
//! 30 indicators × 10 dates, and natural breaks over 1,000 and 10,000 values. Under
//! `cargo test` it runs one small round as a smoke test.

use qn_domain::indicators::classify::{classify, Method};
use qn_domain::indicators::need_index::{compute, Component, IndexSpec};
use qn_domain::indicators::Polarity;
use std::hint::black_box;
use std::time::Instant;

/// Deterministic pseudo-random numbers in [0, 1) (64-bit LCG, Knuth's MMIX constants).
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

fn stats(mut samples_ms: Vec<f64>) -> (f64, f64, f64) {
    samples_ms.sort_by(f64::total_cmp);
    let mean = samples_ms.iter().sum::<f64>() / samples_ms.len() as f64;
    let pct = |p: f64| samples_ms[((samples_ms.len() as f64 - 1.0) * p).round() as usize];
    (mean, pct(0.5), pct(0.95))
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (areas, indicators, dates, rounds) = if full {
        (10_000, 30, 10, 20)
    } else {
        (500, 5, 2, 1)
    };

    let mut rng = Lcg(0x5eed_1234_abcd_0001);
    // data[date][indicator][area]: shares in percent, about 1 % missing.
    let data: Vec<Vec<Vec<Option<f64>>>> = (0..dates)
        .map(|_| {
            (0..indicators)
                .map(|i| {
                    let base = 5.0 + i as f64;
                    (0..areas)
                        .map(|_| (rng.next() >= 0.01).then(|| base + 20.0 * rng.next()))
                        .collect()
                })
                .collect()
        })
        .collect();
    // About 3 % of areas below the minimum population.
    let included: Vec<bool> = (0..areas).map(|_| rng.next() >= 0.03).collect();
    let components = (0..indicators)
        .map(|i| {
            let polarity = if i % 3 == 0 {
                Polarity::HighIsGood
            } else {
                Polarity::HighIsBad
            };
            Component::new(polarity, 1.0 + (i % 4) as f64 * 0.5)
        })
        .collect();
    let mut spec = IndexSpec::berlin_mss(indicators);
    spec.components = components;

    let mut samples = Vec::with_capacity(rounds);
    let mut high_need = 0usize;
    for _ in 0..rounds {
        let t = Instant::now();
        for values in &data {
            let result = compute(&spec, values, &included).expect("need index");
            high_need += black_box(result.high_need(2).len());
        }
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    assert!(high_need > 0, "some areas must be in the top classes");
    let (mean, p50, p95) = stats(samples);
    println!(
        "need index {areas} areas x {indicators} indicators x {dates} dates (z-score, restandardised): \
         mean {mean:.2} ms, p50 {p50:.2} ms, p95 {p95:.2} ms per run ({:.2} ms per date)",
        mean / dates as f64
    );

    for n in [1_000usize, 10_000] {
        let n = if full { n } else { n / 10 };
        let values: Vec<f64> = (0..n).map(|_| 100.0 * rng.next() * rng.next()).collect();
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let c = classify(&values, Method::NaturalBreaks, 5, &[], &[]).expect("jenks");
            black_box(c);
            samples.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let (mean, p50, p95) = stats(samples);
        println!(
            "natural breaks (5 classes) over {n} values: mean {mean:.2} ms, p50 {p50:.2} ms, p95 {p95:.2} ms"
        );
    }
}
