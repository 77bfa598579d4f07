//! The search conformance suite: the same documents and questions for every backend, with the
//! answers a resident would expect. The built-in backend runs always; Meilisearch when
//! `QN_TEST_MEILISEARCH_URL` points to a server.

use qn_domain::directory::search::{Filters, OfferDoc, Order, SearchQuery};
use qn_domain::directory::{taxonomy, Point};
use qn_search::{builtin::Builtin, SearchBackend};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("test runtime")
}

const KALK: Point = Point {
    lon: 6.9996,
    lat: 50.9389,
};

#[allow(clippy::too_many_arguments)]
fn offer(
    id: i64,
    title: &str,
    description: &str,
    actor: &str,
    categories: &[&str],
    groups: &[&str],
    languages: &[&str],
    cost: &str,
    days: &[&str],
    areas: &[i32],
    at: Option<(f64, f64)>,
) -> OfferDoc {
    let v = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect();
    // Labels as the server adds them (the default taxonomy).
    let tags = categories
        .iter()
        .filter_map(|c| taxonomy::label(taxonomy::CATEGORIES, c))
        .chain(
            groups
                .iter()
                .filter_map(|g| taxonomy::target_group_label(g)),
        )
        .map(str::to_owned)
        .collect();
    OfferDoc {
        id,
        tenant_id: 1,
        title: title.into(),
        description: description.into(),
        actor: actor.into(),
        categories: v(categories),
        target_groups: v(groups),
        tags,
        languages: v(languages),
        cost: cost.into(),
        weekdays: v(days),
        area_ids: areas.to_vec(),
        location: at.map(|(lon, lat)| Point { lon, lat }),
    }
}

/// Kalk (area 802, in Bezirk 8), Vingst (803), and one offer of another Kommune.
fn corpus() -> Vec<OfferDoc> {
    vec![
        offer(
            1,
            "Hausaufgabenhilfe für Grundschulkinder",
            "Montags und mittwochs nach der Schule, mit Ehrenamtlichen.",
            "Kalk-Treff e.V.",
            &["hausaufgaben", "bildung"],
            &["kinder"],
            &["de", "tr"],
            "kostenlos",
            &["mo", "mi"],
            &[8, 802],
            Some((6.9990, 50.9391)),
        ),
        offer(
            2,
            "Deutschkurs für Frauen",
            "Sprachkurs mit Kinderbetreuung.",
            "Familienzentrum Kalk",
            &["sprache"],
            &["frauen", "migranten"],
            &["de", "ar"],
            "kostenlos",
            &["di"],
            &[8, 802],
            Some((7.0020, 50.9380)),
        ),
        offer(
            3,
            "Schuldnerberatung",
            "Beratung bei Schulden und Mietrückständen, Termine nach Vereinbarung.",
            "Diakonie Köln",
            &["geld", "beratung"],
            &["alle"],
            &["de"],
            "kostenlos",
            &[],
            &[8, 803],
            Some((7.0150, 50.9420)),
        ),
        offer(
            4,
            "Seniorentanz",
            "Tanzen im Sitzen und Stehen.",
            "Bürgerzentrum Vingst",
            &["sport", "freizeit"],
            &["senioren"],
            &["de"],
            "ermaessigt",
            &["do"],
            &[8, 803],
            Some((7.0160, 50.9430)),
        ),
        offer(
            5,
            "Offene Tür für Jugendliche",
            "Kicker, Musik, Beratungen zu Ausbildung.",
            "Jugendzentrum OT Vingst",
            &["freizeit", "beratung"],
            &["jugendliche"],
            &["de", "tr", "ar"],
            "kostenlos",
            &["mo", "di", "mi", "do", "fr"],
            &[8, 803],
            None,
        ),
        offer(
            6,
            "Fußball für Kinder",
            "Training auf dem Bolzplatz.",
            "SV Kalk 1910",
            &["sport"],
            &["kinder"],
            &["de"],
            "kostenpflichtig",
            &["sa"],
            &[8, 802],
            Some((6.9950, 50.9370)),
        ),
        offer(
            7,
            "Familienbüro Sprechstunde",
            "Fragen rund um Kita, Elterngeld und Familienpass.",
            "Stadt Köln",
            &["beratung"],
            &["familien", "eltern"],
            &["de", "en"],
            "kostenlos",
            &["fr"],
            &[8, 802],
            Some((6.9997, 50.9388)),
        ),
        offer(
            8,
            "Hausaufgabenhilfe",
            "In einer anderen Stadt.",
            "Anderswo e.V.",
            &["hausaufgaben"],
            &["kinder"],
            &["de"],
            "kostenlos",
            &["mo"],
            &[99],
            Some((7.5, 51.5)),
        ),
    ]
    .into_iter()
    .map(|mut d| {
        if d.id == 8 {
            d.tenant_id = 2;
        }
        d
    })
    .collect()
}

fn ids(r: &qn_domain::directory::search::SearchResults) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

async fn run(b: &dyn SearchBackend, text: &str, edit: impl FnOnce(&mut SearchQuery)) -> Vec<i64> {
    let mut q = SearchQuery::new(1, text);
    edit(&mut q);
    ids(&b.search(&q).await.expect("search"))
}

/// The suite: every backend must pass it unchanged.
pub async fn conformance(b: &dyn SearchBackend) {
    b.replace_all(corpus()).await.expect("index");
    let name = b.name();
    // Words, stems, compounds, typos, umlauts.
    assert_eq!(
        run(b, "Hausaufgabenhilfe", |_| {}).await,
        [1],
        "{name}: exact, own tenant only"
    );
    assert_eq!(
        run(b, "hausaufgabnhilfe", |_| {}).await,
        [1],
        "{name}: one typo"
    );
    assert_eq!(
        run(b, "Hausaufgaben", |_| {}).await,
        [1],
        "{name}: start of a compound"
    );
    assert_eq!(
        run(b, "Sprachkurse", |_| {}).await,
        [2],
        "{name}: plural finds singular"
    );
    assert_eq!(
        run(b, "familienbuero", |_| {}).await,
        [7],
        "{name}: ue for ü"
    );
    assert_eq!(
        run(b, "Schuldner beratung", |_| {}).await,
        [3],
        "{name}: every word must match"
    );
    let mut beratung = run(b, "Beratung", |_| {}).await;
    beratung.sort_unstable();
    assert_eq!(beratung, [3, 5, 7], "{name}: word, category and plural");
    // A match in the title counts more than one in the text.
    let kinder = run(b, "Kinder", |_| {}).await;
    assert_eq!(kinder.first(), Some(&6), "{name}: {kinder:?}");
    let pos = |id: i64| kinder.iter().position(|k| *k == id);
    assert!(
        pos(2).is_some() && pos(1) < pos(2),
        "{name}: target group before a compound in the text: {kinder:?}"
    );
    assert_eq!(
        run(b, "Diakonie", |_| {}).await,
        [3],
        "{name}: the actor's name"
    );
    assert!(
        run(b, "Quantenphysik", |_| {}).await.is_empty(),
        "{name}: nothing"
    );
    // Facets: or within a field, and between fields; counts over all hits.
    let mut q = SearchQuery::new(1, "");
    q.filters = Filters {
        categories: vec!["sport".into(), "sprache".into()],
        ..Filters::default()
    };
    let r = b.search(&q).await.expect("search");
    assert_eq!(ids(&r), [2, 6, 4], "{name}: by title without words");
    assert_eq!(r.facets.costs.get("kostenlos"), Some(&1));
    assert_eq!(r.facets.target_groups.get("kinder"), Some(&1));
    assert_eq!(r.facets.areas.get(&8), Some(&3));
    assert_eq!(
        run(b, "", |q| {
            q.filters.target_groups = vec!["kinder".into()];
            q.filters.costs = vec!["kostenlos".into()];
        })
        .await,
        [1],
        "{name}: and between fields"
    );
    assert_eq!(
        run(b, "", |q| q.filters.languages = vec!["ar".into()]).await,
        [2, 5]
    );
    assert_eq!(
        run(b, "", |q| q.filters.weekdays = vec!["sa".into()]).await,
        [6]
    );
    assert_eq!(run(b, "", |q| q.filters.area = Some(803)).await, [5, 3, 4]);
    assert_eq!(
        run(b, "Kinder", |q| q.filters.area = Some(803)).await,
        Vec::<i64>::new()
    );
    // Near a point: within a radius, nearest first; offers without a place last.
    let near = run(b, "", |q| {
        q.near = Some(KALK);
        q.radius_m = Some(400.0);
        q.order = Order::Distance;
    })
    .await;
    assert_eq!(near, [7, 1, 2, 6], "{name}");
    let all = run(b, "", |q| {
        q.near = Some(KALK);
        q.order = Order::Distance;
    })
    .await;
    assert_eq!(all.last(), Some(&5), "{name}: no location, last");
    let mut q = SearchQuery::new(1, "");
    q.near = Some(KALK);
    q.order = Order::Distance;
    q.limit = 2;
    q.offset = 1;
    let r = b.search(&q).await.expect("page");
    assert_eq!((ids(&r), r.total), (vec![1, 2], 7), "{name}: a page of all");
    assert!(
        r.hits[0]
            .distance_m
            .is_some_and(|d| (30.0..70.0).contains(&d)),
        "{name}: metres"
    );
    // Changes: replaced, removed, added.
    let mut changed = corpus().remove(0);
    changed.title = "Lernhilfe".into();
    changed.categories = vec!["bildung".into()];
    changed.tags = vec!["Bildung und Lernen".into(), "Kinder".into()];
    b.upsert(vec![changed]).await.expect("upsert");
    assert!(
        run(b, "Hausaufgabenhilfe", |_| {}).await.is_empty(),
        "{name}: old title gone"
    );
    assert_eq!(run(b, "Lernhilfe", |_| {}).await, [1]);
    b.remove(&[1, 2]).await.expect("remove");
    assert!(run(b, "Lernhilfe", |_| {}).await.is_empty());
    assert_eq!(run(b, "", |_| {}).await.len(), 5);
    // A new offer after removals (the built-in backend reuses the freed places), with a value
    // no offer had before; the removed offers' values are no longer counted.
    let mut fresh = corpus().remove(1);
    fresh.id = 20;
    fresh.title = "Trommelkurs am Abend".into();
    fresh.categories = vec!["musik".into()];
    b.upsert(vec![fresh]).await.expect("add");
    assert_eq!(
        run(b, "Trommelkurs", |_| {}).await,
        [20],
        "{name}: new offer"
    );
    assert_eq!(
        run(b, "", |q| q.filters.categories = vec!["musik".into()]).await,
        [20],
        "{name}: new value as filter"
    );
    assert!(
        run(b, "", |q| q.filters.categories = vec!["zauberei".into()])
            .await
            .is_empty(),
        "{name}: a value nobody has"
    );
    let r = b.search(&SearchQuery::new(1, "")).await.expect("all");
    assert_eq!(r.total, 6, "{name}");
    assert_eq!(r.facets.categories.get("musik"), Some(&1), "{name}");
    assert_eq!(
        r.facets.categories.get("hausaufgaben"),
        None,
        "{name}: removed offer's category"
    );
    let mut other = SearchQuery::new(2, "");
    other.limit = 50;
    let r = b.search(&other).await.expect("other tenant");
    assert!(
        r.total >= 1 && !ids(&r).contains(&20),
        "{name}: other tenant sees its own only"
    );
    b.replace_all(Vec::new()).await.expect("clear");
    assert!(
        run(b, "", |_| {}).await.is_empty(),
        "{name}: empty after replace_all"
    );
}

#[test]
fn builtin_backend_conforms() {
    runtime().block_on(async {
        let b = Builtin::new().expect("index");
        conformance(&b).await;
    });
}

/// The same suite against Meilisearch when a server is given (`QN_TEST_MEILISEARCH_URL`, and
/// `QN_TEST_MEILISEARCH_KEY` if it needs one); a fresh index per run.
#[test]
fn meilisearch_backend_conforms() {
    let Ok(url) = std::env::var("QN_TEST_MEILISEARCH_URL") else {
        eprintln!("QN_TEST_MEILISEARCH_URL not set: Meilisearch conformance skipped");
        return;
    };
    let key = std::env::var("QN_TEST_MEILISEARCH_KEY").ok();
    runtime().block_on(async {
        let index = format!("qn_test_{}", std::process::id());
        let m = qn_search::meili::Meili::new(&url, key.as_deref())
            .expect("client")
            .with_index(&index);
        conformance(&m).await;
    });
}

/// Meilisearch's filter for a query: tenant, facets ("or" within, "and" between), area,
/// radius; quotes in values cannot break out of the string.
#[test]
fn meilisearch_filters_are_built_safely() {
    use qn_domain::directory::search::SearchQuery;
    use qn_domain::directory::Point;
    let mut q = SearchQuery::new(7, "x");
    q.filters.categories = vec!["beratung".into(), "sport\" OR tenant_id = 1".into()];
    q.filters.area = Some(12);
    q.near = Some(Point {
        lon: 6.95,
        lat: 50.93,
    });
    q.radius_m = Some(1500.0);
    assert_eq!(
        qn_search::meili::filter(&q),
        "tenant_id = 7 AND categories IN [\"beratung\", \"sport\\\" OR tenant_id = 1\"] AND area_ids = 12 AND _geoRadius(50.93, 6.95, 1500)"
    );
}
