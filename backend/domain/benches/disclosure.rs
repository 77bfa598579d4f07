//! `cargo bench -p qn-domain --features disclosure --bench disclosure`: secondary suppression
//! with its LP audit on a city-sized table — 10 Bezirke, 100 Viertel, 1,000 Quartiere, counts
//! with many small ones (about one Quartier in six below the minimum of 3). Under `cargo test`
//! it runs one small round as a smoke test.

use qn_domain::indicators::disclosure::{suppress, SdcCell, Suppression};
use std::hint::black_box;
use std::time::Instant;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn table(bezirke: i64, viertel: i64, quartiere: i64, rng: &mut Lcg) -> Vec<SdcCell> {
    let cell = |area, level, ancestors: Vec<i64>, n: f64| SdcCell {
        area,
        level,
        ancestors,
        has_value: true,
        counts: [Some(n), None, None],
    };
    let mut cells = Vec::new();
    for b in 0..bezirke {
        let bi = cells.len();
        cells.push(cell(b, 0, vec![], 0.0));
        let mut bsum = 0.0;
        for v in 0..viertel {
            let vid = 1_000 + b * viertel + v;
            let vi = cells.len();
            cells.push(cell(vid, 1, vec![b], 0.0));
            let mut vsum = 0.0;
            for q in 0..quartiere {
                // One in six below 3, the others 3 to 60.
                let n = if rng.next().is_multiple_of(6) {
                    (rng.next() % 3) as f64
                } else {
                    (3 + rng.next() % 58) as f64
                };
                vsum += n;
                cells.push(cell(100_000 + vid * quartiere + q, 2, vec![vid, b], n));
            }
            cells[vi].counts[0] = Some(vsum);
            bsum += vsum;
        }
        cells[bi].counts[0] = Some(bsum);
    }
    cells
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (b, v, q, rounds) = if full { (10, 10, 10, 10) } else { (2, 3, 4, 1) };
    let mut rng = Lcg(0x5eed_d15c_105e_0001);
    let mut samples = Vec::new();
    let mut hidden = (0, 0);
    for _ in 0..rounds {
        let cells = table(b, v, q, &mut rng);
        let t = Instant::now();
        let s = black_box(suppress(black_box(&cells), 3.0));
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
        hidden = (
            s.iter()
                .filter(|x| **x == Some(Suppression::Primary))
                .count(),
            s.iter()
                .filter(|x| **x == Some(Suppression::Secondary))
                .count(),
        );
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    let max = samples[samples.len() - 1];
    println!(
        "suppress: {} cells, {} primary, {} secondary hidden: median {median:.1} ms, max {max:.1} ms over {rounds} tables",
        b + b * v + b * v * q,
        hidden.0,
        hidden.1
    );
}
