//! Load test of survey submissions: the release server runs as its own process on a fresh
//! database with a 20-question survey; this process sends responses from many simulated
//! phones at once (each with its own device cookie, 5 % of them sent twice as an offline
//! queue would), then checks that every accepted response is stored exactly once.
//!
//! In the same run it measures what the database itself does, so the ratio is measured: on
//! PostgreSQL `pgbench` inserting one ~2 kB JSON row per transaction with as many clients, on
//! SQLite a bare loop inserting such a row per transaction through the project's connection
//! (same pragmas). PostgreSQL's `fsync` is as the server has it (the figure that counts: on).
//!
//! ```sh
//! cargo build --release -p quartiersnetz
//! QN_TEST_POSTGRES_URL=postgres://… cargo run --release -p qn-tests --bin survey_load -- \
//!     [--db sqlite|postgres|both] [--seconds 15] [--concurrency 32]
//! ```

use qn_domain::tenancy::{Role, TenantKind};
use qn_tests::serde_json::{json, Value};
use qn_tests::*;
use rand::Rng;
use sea_orm::{ConnectionTrait, Statement};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    dbs: Vec<Db>,
    seconds: u64,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args {
        dbs: vec![Db::Sqlite, Db::Postgres],
        seconds: 15,
        concurrency: 32,
    };
    let list: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < list.len() {
        let value = list.get(i + 1).cloned().unwrap_or_default();
        match list[i].as_str() {
            "--db" => {
                a.dbs = match value.as_str() {
                    "sqlite" => vec![Db::Sqlite],
                    "postgres" => vec![Db::Postgres],
                    _ => vec![Db::Sqlite, Db::Postgres],
                }
            }
            "--seconds" => a.seconds = value.parse().unwrap_or(a.seconds),
            "--concurrency" => a.concurrency = value.parse().unwrap_or(a.concurrency),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    a
}

/// 20 questions of every kind a planner uses, one of them conditional.
fn survey() -> (Value, Value) {
    let choice = |n: usize| -> Value {
        (1..=n)
            .map(|i| json!({"key": format!("o{i}"), "code": i}))
            .collect()
    };
    let mut questions =
        vec![json!({"key": "quartier", "required": true, "kind": {"type": "quartier"}})];
    for i in 1..=8 {
        questions.push(json!({"key": format!("s{i}"), "required": i <= 4, "kind": {"type": "single_choice", "options": choice(4)}}));
    }
    for i in 1..=3 {
        questions.push(json!({"key": format!("m{i}"), "kind": {"type": "multiple_choice", "other": true, "max": 3, "options": choice(6)}}));
    }
    questions.extend([
        json!({"key": "r1", "required": true, "kind": {"type": "rating", "min": 1, "max": 5}}),
        json!({"key": "r2", "kind": {"type": "rating", "min": 0, "max": 10}}),
        json!({"key": "x1", "kind": {"type": "matrix", "items": ["a", "b", "c"], "scale": choice(3)}}),
        json!({"key": "n1", "kind": {"type": "number", "min": 0, "max": 120, "integer": true}}),
        json!({"key": "n2", "show_if": {"op": "is", "question": "s1", "option": "o1"}, "kind": {"type": "number", "min": 0, "max": 20}}),
        json!({"key": "t1", "kind": {"type": "free_text", "max_chars": 1000}}),
        json!({"key": "d1", "kind": {"type": "date", "min": "2000-01-01"}}),
        json!({"key": "k1", "kind": {"type": "ranking", "options": choice(4)}}),
    ]);
    assert_eq!(questions.len(), 20);
    let mut de = serde_json::Map::new();
    de.insert("title".into(), json!("Lasttest"));
    for q in &questions {
        let k = q["key"].as_str().unwrap_or_default();
        de.insert(format!("q.{k}"), json!(format!("Frage {k}")));
        for o in q["kind"]["options"]
            .as_array()
            .into_iter()
            .chain(q["kind"]["scale"].as_array())
            .flatten()
        {
            let o = o["key"].as_str().unwrap_or_default();
            de.insert(format!("opt.{k}.{o}"), json!(o));
        }
        for item in q["kind"]["items"].as_array().into_iter().flatten() {
            let item = item.as_str().unwrap_or_default();
            de.insert(format!("item.{k}.{item}"), json!(item));
        }
        if q["kind"]["type"] == "rating" {
            de.insert(format!("low.{k}"), json!("wenig"));
            de.insert(format!("high.{k}"), json!("viel"));
        }
    }
    let half = questions.len() / 2;
    let structure = json!({"sections": [
        {"key": "eins", "questions": questions[..half]},
        {"key": "zwei", "questions": questions[half..]},
    ]});
    (structure, json!({"de": de}))
}

fn answers(rng: &mut impl Rng, areas: &[i64]) -> Value {
    let o = |rng: &mut dyn rand::RngCore, n: u32| format!("o{}", rng.gen_range(1..=n));
    let mut a = serde_json::Map::new();
    a.insert(
        "quartier".into(),
        json!({"type": "area", "value": areas[rng.gen_range(0..areas.len())]}),
    );
    for i in 1..=8 {
        a.insert(
            format!("s{i}"),
            json!({"type": "choice", "value": o(rng, 4)}),
        );
    }
    for i in 1..=3 {
        let first = rng.gen_range(1..=3);
        a.insert(format!("m{i}"), json!({"type": "choices", "value": {"selected": [format!("o{first}"), format!("o{}", first + 3)]}}));
    }
    a.insert(
        "r1".into(),
        json!({"type": "number", "value": rng.gen_range(1..=5)}),
    );
    a.insert(
        "r2".into(),
        json!({"type": "number", "value": rng.gen_range(0..=10)}),
    );
    a.insert(
        "x1".into(),
        json!({"type": "matrix", "value": {"a": o(rng, 3), "b": o(rng, 3), "c": o(rng, 3)}}),
    );
    a.insert(
        "n1".into(),
        json!({"type": "number", "value": rng.gen_range(0..=120)}),
    );
    if a["s1"]["value"] == "o1" {
        a.insert(
            "n2".into(),
            json!({"type": "number", "value": rng.gen_range(0..=20)}),
        );
    }
    a.insert(
        "t1".into(),
        json!({"type": "text", "value": "Mehr Bänke und Licht am Platz, bitte auch abends."}),
    );
    a.insert("d1".into(), json!({"type": "date", "value": "2019-04-01"}));
    a.insert(
        "k1".into(),
        json!({"type": "ranking", "value": ["o2", "o1", "o4"]}),
    );
    Value::Object(a)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(url: &str) -> (Server, String) {
    let bin = workspace_root().join("target/release/quartiersnetz");
    assert!(
        bin.exists(),
        "{} is missing: cargo build --release -p quartiersnetz",
        bin.display()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(bin)
        .arg("serve")
        .current_dir(workspace_root())
        .env("QN_DATABASE_URL", url)
        .env("QN_ADDR", format!("127.0.0.1:{port}"))
        .env("QN_PUBLIC_URL", &base)
        .env("QN_DEMO_ON_EMPTY", "false")
        .env("QN_DEV", "false")
        .env("QN_SURVEY_SUBMISSIONS_PER_MINUTE", "1000000000")
        .env("QN_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("server");
    let server = Server(child);
    let client = reqwest::Client::new();
    for _ in 0..240 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (server, base);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the server did not start");
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn run(db: Db, a: &Args) -> Option<()> {
    let bench = BenchDatabase::new(db, "survey-load").await?;
    // Set up through the API of an in-process server (migrations, city, survey), then serve
    // the load from the release binary in its own process.
    let setup = TestApp::spawn(&bench.url, |_| {}).await;
    let t = setup
        .tenant("last", TenantKind::KreisfreieStadt, None)
        .await;
    setup
        .sign_in_as("planung@last.test", Some((&t, Role::Planner)))
        .await;
    let (_, level) = small_city(&setup, "last", 7.0).await;
    let d = setup
        .gql_ok(
            "query($l: ID!) { areas(levelId: $l) { id } }",
            json!({"l": level}),
        )
        .await;
    let areas: Vec<i64> = d["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .filter_map(|x| x["id"].as_str().and_then(|s| s.parse().ok()))
        .collect();
    let (structure, texts) = survey();
    let d = setup
        .gql_ok(
            "mutation($t: ID!, $i: SurveyInput!) { createSurvey(tenantId: $t, input: $i) { id } }",
            json!({"t": t.id.to_string(), "i": {"access": "PUBLIC", "structure": structure, "texts": texts,
                   "targetAreaIds": areas.iter().map(|x| x.to_string()).collect::<Vec<_>>()}}),
        )
        .await;
    let survey_id = d["createSurvey"]["id"].as_str().expect("id").to_owned();
    setup
        .gql_ok(
            "mutation($id: ID!) { setSurveyStatus(id: $id, status: OPEN) { status } }",
            json!({"id": survey_id}),
        )
        .await;
    let db_conn = setup.state.db.clone();

    let (server, base) = start_server(&bench.url).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency)
        .build()
        .expect("client");
    let url = format!("{base}/api/v1/surveys/{survey_id}/responses");
    let stored = Arc::new(AtomicU64::new(0));
    let replays = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..a.concurrency {
        let (client, url, areas) = (client.clone(), url.clone(), areas.clone());
        let (stored, replays, failures) = (stored.clone(), replays.clone(), failures.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut sent: Vec<(String, String, String)> = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let replay = n > 0 && n.is_multiple_of(20);
                let (key, device, body) = if replay {
                    sent[(n as usize / 20) % sent.len()].clone()
                } else {
                    let mut rng = rand::thread_rng();
                    let key = format!("load-{w:03}-{n:09}-{}", rng.gen::<u32>());
                    let device: String = (0..32)
                        .map(|_| rng.sample(rand::distributions::Alphanumeric) as char)
                        .collect();
                    let body =
                        json!({"key": key, "language": "de", "answers": answers(&mut rng, &areas)})
                            .to_string();
                    (key, device, body)
                };
                let t0 = Instant::now();
                let r = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("cookie", format!("qn_device={device}"))
                    .body(body.clone())
                    .send()
                    .await;
                latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
                match r.map(|r| r.status().as_u16()) {
                    Ok(201) if !replay => {
                        stored.fetch_add(1, Ordering::Relaxed);
                        sent.push((key, device, body));
                    }
                    Ok(200) if replay => {
                        replays.fetch_add(1, Ordering::Relaxed);
                    }
                    other => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        eprintln!("unexpected answer (replay: {replay}): {other:?}");
                    }
                }
                n += 1;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(server);
    latencies.sort_by(f64::total_cmp);
    let rows = db_conn
        .query_one_raw(Statement::from_string(
            db_conn.get_database_backend(),
            format!("SELECT COUNT(*) FROM survey_responses WHERE survey_id = {survey_id}"),
        ))
        .await
        .expect("count")
        .and_then(|r| r.try_get_by_index::<i64>(0).ok())
        .unwrap_or(-1);
    let stored = stored.load(Ordering::Relaxed);
    let replays = replays.load(Ordering::Relaxed);
    let failures = failures.load(Ordering::Relaxed);
    let requests = latencies.len() as f64;
    let reference = match db {
        Db::Postgres => pgbench(&bench.url, a).await,
        Db::Sqlite => sqlite_loop(a).await,
    };
    let rate = requests / elapsed;
    println!(
        "{db:?} reference ({}): {:.0}/s · the submission path reaches {:.0} %",
        reference.0,
        reference.1,
        100.0 * rate / reference.1.max(1.0)
    );
    println!(
        "{db:?}: {requests} submissions in {elapsed:.1} s = {:.0}/s ({} concurrent) · stored {stored}, replays answered as duplicates {replays}, failures {failures} · latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms · rows in the database {rows}: {}",
        requests / elapsed,
        a.concurrency,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
        if rows == i64::try_from(stored).unwrap_or(-2) && failures == 0 {
            "none lost, none doubled"
        } else {
            "MISMATCH"
        },
    );
    drop(setup);
    bench.cleanup().await;
    Some(())
}

/// A ~2 kB JSON document, about the size of a 20-question response.
fn probe_body() -> String {
    let answers: serde_json::Map<String, Value> = (0..40)
        .map(|i| {
            (
                format!("frage-{i:02}"),
                json!({"type": "text", "value": "Mehr Bänke am Platz"}),
            )
        })
        .collect();
    Value::Object(answers).to_string()
}

/// pgbench on the same PostgreSQL: one INSERT of the ~2 kB row per transaction, as many
/// clients as the load, as long.
async fn pgbench(url: &str, a: &Args) -> (&'static str, f64) {
    let db = quartiersnetz::kernel::db::connect(
        url,
        quartiersnetz::kernel::settings::SqliteSynchronous::Normal,
    )
    .await
    .expect("connect");
    let fsync = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SHOW fsync".to_owned(),
        ))
        .await
        .ok()
        .flatten()
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    db.execute_unprepared("CREATE TABLE load_probe (id serial PRIMARY KEY, body json NOT NULL)")
        .await
        .expect("probe table");
    let script = std::env::temp_dir().join(format!("qn-pgbench-{}.sql", std::process::id()));
    std::fs::write(
        &script,
        format!(
            "INSERT INTO load_probe (body) VALUES ('{}');\n",
            probe_body().replace('\'', "''")
        ),
    )
    .expect("script");
    let out = Command::new("pgbench")
        .args(["-n", "-M", "prepared", "-j", "2"])
        .args([
            "-c",
            &a.concurrency.to_string(),
            "-T",
            &a.seconds.to_string(),
        ])
        .arg("-f")
        .arg(&script)
        .arg(url)
        .output()
        .expect("pgbench (Debian: postgresql-client)");
    let _ = std::fs::remove_file(&script);
    let text = String::from_utf8_lossy(&out.stdout);
    let tps = text
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l["tps = ".len()..].split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or_else(|| {
            panic!(
                "pgbench said: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    println!("PostgreSQL fsync = {fsync}");
    ("pgbench, one-row inserts", tps)
}

/// A bare insert loop on SQLite through the project's connection (its pragmas: WAL, the
/// configured `synchronous`), one ~2 kB row per transaction, for as long as the load ran.
async fn sqlite_loop(a: &Args) -> (&'static str, f64) {
    let dir = std::env::temp_dir().join(format!("qn-sqlite-loop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/loop.sqlite?mode=rwc", dir.display());
    let db = quartiersnetz::kernel::db::connect(
        &url,
        quartiersnetz::kernel::settings::SqliteSynchronous::Normal,
    )
    .await
    .expect("connect");
    db.execute_unprepared("CREATE TABLE load_probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .await
        .expect("probe table");
    let body = probe_body();
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    let mut n = 0u64;
    while Instant::now() < deadline {
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "INSERT INTO load_probe (body) VALUES (?)",
            [body.clone().into()],
        ))
        .await
        .expect("insert");
        n += 1;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
    ("bare insert loop, same pragmas", rate)
}

#[tokio::main]
async fn main() {
    let a = args();
    for db in a.dbs.clone() {
        if run(db, &a).await.is_none() {
            println!("{db:?}: skipped (no QN_TEST_POSTGRES_URL)");
        }
    }
}
