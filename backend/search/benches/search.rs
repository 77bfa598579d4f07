//! `cargo bench -p qn-search`: the built-in search backend over 50,000 generated
//! offers in one Kommune (target: p95 < 20 ms per query). Queries as residents type them:
//! one word, a misspelt word, two words, a word with facets, no words with a facet, and "near
//! me" by distance. Under `cargo test` it runs once over 2,000 offers as a smoke test.

use qn_domain::directory::search::{OfferDoc, Order, SearchQuery};
use qn_domain::directory::{taxonomy, Point};
use qn_search::{builtin::Builtin, SearchBackend};
use std::time::Instant;

const WORDS: &[&str] = &[
    "Treffpunkt",
    "Beratung",
    "Frühstück",
    "Nachbarschaft",
    "Computer",
    "Nähcafé",
    "Lesepaten",
    "Bewerbung",
    "Garten",
    "Radtour",
    "Spielgruppe",
    "Elterncafé",
    "Krabbelgruppe",
    "Yoga",
    "Mittagstisch",
    "Schuldner",
    "Miete",
    "Pflege",
    "Demenz",
    "Chor",
    "Theater",
    "Fußball",
    "Schwimmen",
    "Hausaufgabenhilfe",
    "Deutschkurs",
    "Integrationskurs",
    "Sprechstunde",
    "Kleiderkammer",
    "Tafel",
    "Repaircafé",
    "Seniorentanz",
    "Jugendtreff",
    "Ferienprogramm",
];

fn generate(n: usize) -> Vec<OfferDoc> {
    let mut seed: u64 = 42;
    let mut next = move |m: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % m
    };
    (0..n)
        .map(|i| {
            let mut pick =
                |list: &[(&'static str, &'static str)]| list[next(list.len())].0.to_owned();
            let title = format!(
                "{} {} {}",
                WORDS[i % WORDS.len()],
                WORDS[(i / 7) % WORDS.len()],
                i
            );
            let description = (0..25)
                .map(|k| WORDS[(i * 31 + k * 17) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ");
            let categories = vec![pick(taxonomy::CATEGORIES), pick(taxonomy::CATEGORIES)];
            let languages = vec!["de".to_owned(), pick(taxonomy::LANGUAGES)];
            let cost = pick(taxonomy::COSTS);
            let weekdays = vec![pick(taxonomy::WEEKDAYS)];
            let g = taxonomy::TARGET_GROUPS[i % taxonomy::TARGET_GROUPS.len()]
                .0
                .to_owned();
            let area = 1000 + (i % 1000) as i32;
            let tags = categories
                .iter()
                .filter_map(|c| taxonomy::label(taxonomy::CATEGORIES, c))
                .chain(taxonomy::target_group_label(&g))
                .map(str::to_owned)
                .collect();
            OfferDoc {
                id: i as i64 + 1,
                tenant_id: 1,
                title,
                description,
                actor: format!("Träger {}", i % 2000),
                categories,
                target_groups: vec![g],
                tags,
                languages,
                cost,
                weekdays,
                area_ids: vec![area / 10, area],
                location: Some(Point {
                    lon: 6.8 + (i % 300) as f64 * 0.001,
                    lat: 50.85 + (i / 300 % 200) as f64 * 0.001,
                }),
            }
        })
        .collect()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (n, rounds) = if full { (50_000, 200) } else { (2_000, 2) };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let docs = generate(n);
        let b = Builtin::new().expect("index");
        let t = Instant::now();
        b.replace_all(docs).await.expect("index");
        println!(
            "search: indexed {n} offers in {:.0} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        let queries: Vec<(&str, SearchQuery)> = vec![
            ("one word", SearchQuery::new(1, "Beratung")),
            ("misspelt", SearchQuery::new(1, "Hausaufgabnhilfe")),
            ("two words", SearchQuery::new(1, "Yoga Garten")),
            ("word + facets", {
                let mut q = SearchQuery::new(1, "Treffpunkt");
                q.filters.costs = vec!["kostenlos".into()];
                q.filters.languages = vec!["tr".into()];
                q
            }),
            ("facet only", {
                let mut q = SearchQuery::new(1, "");
                q.filters.categories = vec!["sport".into()];
                q
            }),
            ("near me", {
                let mut q = SearchQuery::new(1, "");
                q.near = Some(Point {
                    lon: 6.95,
                    lat: 50.851,
                });
                q.radius_m = Some(1500.0);
                q.order = Order::Distance;
                q
            }),
        ];
        for (name, q) in &queries {
            let mut times = Vec::with_capacity(rounds);
            let mut total = 0;
            for _ in 0..rounds {
                let t = Instant::now();
                let r = b.search(q).await.expect("search");
                times.push(t.elapsed().as_secs_f64() * 1e3);
                total = r.total;
            }
            times.sort_by(f64::total_cmp);
            let p = |f: f64| times[((times.len() - 1) as f64 * f).round() as usize];
            println!(
                "search {name:>14}: {total:>6} hits  p50 {:6.2} ms  p95 {:6.2} ms  max {:6.2} ms",
                p(0.5),
                p(0.95),
                p(1.0)
            );
            assert!(total > 0, "{name}: the generated data should match");
        }
    });
}
