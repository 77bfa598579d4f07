//! An attacker in the suite, as statistical offices audit a table before they publish it
//! (τ-ARGUS's audit): it reads what a client can read through the API — every value of an
//! indicator with its status and counts, and the area tree — sets up every equation the tree
//! implies (an area is the sum of its descendants at each lower level, across levels in
//! between), also across indicators whose counts are the same, and computes with linear
//! programs the range each hidden count can take (counts are never negative). A hidden count
//! pinned to an interval narrower than the indicator's minimum count is a disclosure.
//!
//! Written apart from the server's own audit (other equations, other code) on purpose.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One area's cell as the attacker sees it: its count, if shown.
#[derive(Debug, Clone)]
struct Seen {
    level: String,
    count: Option<f64>,
    hidden: bool,
}

/// Everything one client sees of a count (`COUNT` value, or a share's numerator) at one date:
/// area code → cell; area code → parent code.
async fn observe(
    client: &TestApp,
    indicator: &str,
    count_of: &str,
) -> (BTreeMap<(String, String), Seen>, HashMap<String, String>) {
    let d = client
        .gql_ok(
            "query($id: ID!) { indicator(id: $id) { values { date value numerator status
                area { code parent { code } level { key } } } } }",
            json!({"id": indicator}),
        )
        .await;
    let mut cells = BTreeMap::new();
    let mut parents = HashMap::new();
    for v in d["indicator"]["values"].as_array().expect("values") {
        let code = v["area"]["code"].as_str().expect("code").to_owned();
        if let Some(p) = v["area"]["parent"]["code"].as_str() {
            parents.insert(code.clone(), p.to_owned());
        }
        let hidden = v["status"] == "SUPPRESSED";
        cells.insert(
            (v["date"].as_str().expect("date").to_owned(), code),
            Seen {
                level: v["area"]["level"]["key"].as_str().unwrap_or("").to_owned(),
                count: v[count_of].as_f64(),
                hidden,
            },
        );
    }
    (cells, parents)
}

/// The range of every hidden count per (date, area), from the union of what the tables show.
fn ranges(
    tables: &[BTreeMap<(String, String), Seen>],
    parents: &HashMap<String, String>,
) -> BTreeMap<(String, String), (f64, f64)> {
    // What is known of each cell across tables: a count shown in any of them is known.
    let mut known: BTreeMap<(String, String), (String, Option<f64>)> = BTreeMap::new();
    for t in tables {
        for (k, s) in t {
            let e = known.entry(k.clone()).or_insert((s.level.clone(), None));
            if !s.hidden && s.count.is_some() {
                e.1 = s.count;
            }
        }
    }
    let ancestors = |code: &str| {
        let mut out = Vec::new();
        let mut c = code.to_owned();
        while let Some(p) = parents.get(&c) {
            out.push(p.clone());
            c = p.clone();
            if out.len() > 16 {
                break;
            }
        }
        out
    };
    // Every (date, ancestor, level) sum.
    let mut sums: BTreeMap<(String, String, String), Vec<(String, String)>> = BTreeMap::new();
    for ((date, code), (level, _)) in &known {
        for a in ancestors(code) {
            if known.contains_key(&(date.clone(), a.clone())) {
                sums.entry((date.clone(), a, level.clone()))
                    .or_default()
                    .push((date.clone(), code.clone()));
            }
        }
    }
    let unknown: Vec<(String, String)> = known
        .iter()
        .filter(|(_, (_, c))| c.is_none())
        .map(|(k, _)| k.clone())
        .collect();
    let solve = |target: &(String, String), direction| {
        let mut p = Problem::new(direction);
        let vars: HashMap<&(String, String), microlp::Variable> = unknown
            .iter()
            .map(|k| {
                let obj = if k == target { 1.0 } else { 0.0 };
                (k, p.add_var(obj, (0.0, f64::INFINITY)))
            })
            .collect();
        for ((date, total, _), parts) in &sums {
            let mut terms = Vec::new();
            let mut rhs = 0.0;
            let total_key = (date.clone(), total.clone());
            for (key, sign) in
                std::iter::once((&total_key, -1.0)).chain(parts.iter().map(|k| (k, 1.0)))
            {
                match vars.get(key) {
                    Some(v) => terms.push((*v, sign)),
                    None => rhs -= sign * known[key].1.unwrap_or(0.0),
                }
            }
            if !terms.is_empty() {
                p.add_constraint(terms, ComparisonOp::Eq, rhs);
            }
        }
        match p.solve() {
            Ok(o) => o.into_solution().map(|s| s.objective()).unwrap_or(f64::NAN),
            Err(microlp::Error::Unbounded) => f64::INFINITY,
            Err(e) => panic!("the fixture does not add up: {e:?}"),
        }
    };
    let mut out = BTreeMap::new();
    for t in tables {
        for (k, s) in t {
            if s.hidden && known[k].1.is_none() && !out.contains_key(k) {
                let lo = solve(k, OptimizationDirection::Minimize);
                let hi = solve(k, OptimizationDirection::Maximize);
                out.insert(k.clone(), (lo, hi));
            }
        }
    }
    out
}

/// Fails when a hidden count with a true value below `min` lies in a range narrower than `min`.
fn assert_protected(
    what: &str,
    ranges: &BTreeMap<(String, String), (f64, f64)>,
    truth: &HashMap<String, f64>,
    min: f64,
) {
    let mut small = 0;
    for ((date, code), (lo, hi)) in ranges {
        let Some(&t) = truth.get(code) else { continue };
        if t < min {
            small += 1;
            assert!(
                hi - lo >= min - 1e-6,
                "{what}: {code} ({date}) = {t} is pinned to [{lo}, {hi}]"
            );
        }
    }
    assert!(small > 0, "{what}: the fixture must hide small counts");
}

fn strip(code: &str, name: &str, parent: Option<&str>, x: f64, w: f64) -> Value {
    let mut f = square_feature(code, name, x, 50.0, w);
    // Strips of width w, all 0.03 high, so that children tile their parent.
    f["geometry"]["coordinates"] = json!([[
        [x, 50.0],
        [x + w, 50.0],
        [x + w, 50.03],
        [x, 50.03],
        [x, 50.0]
    ]]);
    if let Some(p) = parent {
        f["properties"]["parent"] = json!(p);
    }
    f
}

async fn level(app: &TestApp, key: &str, parent: Option<&str>, features: Vec<Value>) -> String {
    let mut input = json!({"tenant": "stadt", "levelKey": key, "levelName": key,
        "idProperty": "id", "nameProperty": "name", "geojson": collection(features)});
    if let Some(p) = parent {
        input["parentLevelKey"] = json!(p);
        input["parentProperty"] = json!("parent");
    }
    let r = app.import(input).await;
    r["data"]["importAreas"]["level"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{key}: {r}"))
        .to_owned()
}

async fn values(
    app: &TestApp,
    indicator: &str,
    level: &str,
    rows: &[(&str, f64, f64)],
    share: bool,
) {
    let mut csv = String::from(if share {
        "gebiet;datum;wert;zaehler;nenner\n"
    } else {
        "gebiet;datum;wert\n"
    });
    for (code, n, d) in rows {
        if share {
            csv.push_str(&format!(
                "{code};2020;{};{n};{d}\n",
                (n / d * 1000.0).round() / 10.0
            ));
        } else {
            csv.push_str(&format!("{code};2020;{n}\n"));
        }
    }
    let r = app.import_values(indicator, level, &csv, false).await;
    assert_eq!(r["applied"], true, "{r}");
}

db_test!(
    differencing_across_two_child_levels_and_two_indicators_recovers_nothing,
    |app: TestApp| async move {
        let t = app.tenant("stadt", TenantKind::KreisfreieStadt, None).await;
        app.sign_in_as("planung@stadt.test", Some((&t, Role::Planner)))
            .await;
        // The probe's table: Bezirk B1 = 49 with Viertel V11 = 2, V12 = 40, V13 = 7, and below
        // the Bezirk directly a Quartier level: Q11 = 1, Q12 = 48. B2 for contrast.
        let b = level(
            &app,
            "bezirk",
            None,
            vec![
                strip("B1", "Nord", None, 7.0, 0.03),
                strip("B2", "Süd", None, 7.03, 0.03),
            ],
        )
        .await;
        let v = level(
            &app,
            "viertel",
            Some("bezirk"),
            vec![
                strip("V11", "V11", Some("B1"), 7.0, 0.01),
                strip("V12", "V12", Some("B1"), 7.01, 0.01),
                strip("V13", "V13", Some("B1"), 7.02, 0.01),
                strip("V21", "V21", Some("B2"), 7.03, 0.015),
                strip("V22", "V22", Some("B2"), 7.045, 0.015),
            ],
        )
        .await;
        let q = level(
            &app,
            "quartier",
            Some("bezirk"),
            vec![
                strip("Q11", "Q11", Some("B1"), 7.0, 0.015),
                strip("Q12", "Q12", Some("B1"), 7.015, 0.015),
                strip("Q21", "Q21", Some("B2"), 7.03, 0.03),
            ],
        )
        .await;
        let counts: HashMap<String, f64> = [
            ("B1", 49.0),
            ("B2", 90.0),
            ("V11", 2.0),
            ("V12", 40.0),
            ("V13", 7.0),
            ("V21", 45.0),
            ("V22", 45.0),
            ("Q11", 1.0),
            ("Q12", 48.0),
            ("Q21", 90.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let rows = |codes: &[&str]| -> Vec<(String, f64, f64)> {
            codes
                .iter()
                .map(|c| ((*c).to_owned(), counts[*c], counts[*c] * 4.0))
                .collect()
        };
        let count = app
            .indicator(
                "stadt",
                "sgb2",
                "COUNT",
                "HIGH_IS_BAD",
                json!({"minCount": 3}),
            )
            .await;
        // A share whose numerators are the same counts (as imported shares often are).
        let share = app
            .indicator(
                "stadt",
                "sgb2_quote",
                "SHARE",
                "HIGH_IS_BAD",
                json!({"minCount": 3}),
            )
            .await;
        for (lvl, codes) in [
            (&b, vec!["B1", "B2"]),
            (&v, vec!["V11", "V12", "V13", "V21", "V22"]),
            (&q, vec!["Q11", "Q12", "Q21"]),
        ] {
            let r = rows(&codes);
            let r: Vec<(&str, f64, f64)> = r.iter().map(|(c, n, d)| (c.as_str(), *n, *d)).collect();
            values(&app, &count, lvl, &r, false).await;
            values(&app, &share, lvl, &r, true).await;
        }
        let anonymous = app.other_client();
        for (who, client) in [("anonymous", &anonymous), ("planner", &app)] {
            let (c, parents) = observe(client, &count, "value").await;
            let (s, _) = observe(client, &share, "numerator").await;
            assert!(
                c[&("2020-12-31".to_owned(), "V11".to_owned())].hidden,
                "{who}: V11 is small"
            );
            assert!(
                c[&("2020-12-31".to_owned(), "Q11".to_owned())].hidden,
                "{who}: Q11 is small"
            );
            assert_protected(
                &format!("{who}, count"),
                &ranges(std::slice::from_ref(&c), &parents),
                &counts,
                3.0,
            );
            assert_protected(
                &format!("{who}, share"),
                &ranges(std::slice::from_ref(&s), &parents),
                &counts,
                3.0,
            );
            assert_protected(
                &format!("{who}, both"),
                &ranges(&[c, s], &parents),
                &counts,
                3.0,
            );
        }
    }
);

db_test!(
    a_generated_three_level_hierarchy_holds_against_the_attacker,
    |app: TestApp| async move {
        let t = app.tenant("stadt", TenantKind::KreisfreieStadt, None).await;
        app.sign_in_as("planung@stadt.test", Some((&t, Role::Planner)))
            .await;
        // 3 Bezirke × 3 Viertel × 3 Quartiere, counts 0..11 from a fixed seed: many small ones.
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % 12) as f64
        };
        let (mut bs, mut vs, mut qs) = (Vec::new(), Vec::new(), Vec::new());
        let mut counts: HashMap<String, f64> = HashMap::new();
        let w = 0.01;
        for b in 0..3 {
            let bx = 7.0 + f64::from(b) * 9.0 * w;
            let bc = format!("B{b}");
            bs.push(strip(&bc, &bc, None, bx, 9.0 * w));
            let mut bsum = 0.0;
            for v in 0..3 {
                let vx = bx + f64::from(v) * 3.0 * w;
                let vc = format!("V{b}{v}");
                vs.push(strip(&vc, &vc, Some(&bc), vx, 3.0 * w));
                let mut vsum = 0.0;
                for q in 0..3 {
                    let qc = format!("Q{b}{v}{q}");
                    qs.push(strip(&qc, &qc, Some(&vc), vx + f64::from(q) * w, w));
                    let n = next();
                    counts.insert(qc, n);
                    vsum += n;
                }
                counts.insert(vc, vsum);
                bsum += vsum;
            }
            counts.insert(bc, bsum);
        }
        let lb = level(&app, "bezirk", None, bs).await;
        let lv = level(&app, "viertel", Some("bezirk"), vs).await;
        let lq = level(&app, "quartier", Some("viertel"), qs).await;
        let id = app
            .indicator(
                "stadt",
                "kinder",
                "COUNT",
                "NEUTRAL",
                json!({"minCount": 3}),
            )
            .await;
        for (lvl, prefix) in [(&lb, "B"), (&lv, "V"), (&lq, "Q")] {
            let rows: Vec<(&str, f64, f64)> = counts
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(k, n)| (k.as_str(), *n, 1.0))
                .collect();
            values(&app, &id, lvl, &rows, false).await;
        }
        let anonymous = app.other_client();
        let (c, parents) = observe(&anonymous, &id, "value").await;
        let shown = c.values().filter(|s| !s.hidden).count();
        assert!(shown > 0, "the table is not all hidden");
        assert_protected("generated", &ranges(&[c], &parents), &counts, 3.0);
    }
);

db_test!(
    the_demo_holds_against_the_attacker,
    |app: TestApp| async move {
        quartiersnetz::demo::load(&app.state).await.expect("demo");
        let anonymous = app.other_client();
        let d = anonymous.gql_ok("{ tenants { slug } }", json!({})).await;
        let mut audited = BTreeSet::new();
        for t in d["tenants"].as_array().expect("tenants") {
            let list = anonymous
                .gql_ok(
                    "query($t: String!) { indicators(tenant: $t) { id kind minCount } }",
                    json!({"t": t["slug"]}),
                )
                .await;
            for i in list["indicators"].as_array().into_iter().flatten() {
                let id = i["id"].as_str().expect("id");
                let field = match i["kind"].as_str() {
                    Some("COUNT") => "value",
                    Some("SHARE" | "RATE") => "numerator",
                    _ => continue,
                };
                let (c, parents) = observe(&anonymous, id, field).await;
                let r = ranges(&[c], &parents);
                let min = i["minCount"].as_f64().unwrap_or(3.0);
                for ((date, code), (lo, hi)) in &r {
                    assert!(
                        hi - lo >= min - 1e-6,
                        "demo indicator {id}: {code} ({date}) in [{lo}, {hi}]"
                    );
                }
                audited.insert(id.to_owned());
            }
        }
        assert!(!audited.is_empty(), "the demo has count indicators");
    }
);
