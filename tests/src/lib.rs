//! Test harness: every test gets its own fresh database (SQLite in memory, or a new PostgreSQL
//! database) and the real HTTP server on a free port. [`db_test!`] runs a test on both.

use qn_domain::tenancy::{Role, TenantKind};
use quartiersnetz::accounts::{self, Registration};
use quartiersnetz::kernel::settings::Settings;
use quartiersnetz::kernel::state::AppState;
use quartiersnetz::tenancy::{self, Tenant};
use rand::Rng;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;

pub use serde_json;

pub mod builders;
pub use builders::*;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The admin URL of the test PostgreSQL server, if any. Under CI (`QN_REQUIRE_POSTGRES=1`)
/// a missing server is a failure, never a skip.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("QN_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("QN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "QN_REQUIRE_POSTGRES=1 but QN_TEST_POSTGRES_URL is not set"
            );
            None
        }
    }
}

/// A fresh, migrated database; for PostgreSQL a new database on the test server.
pub struct TestDatabase {
    pub url: String,
    drop: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn new(db: Db) -> Option<Self> {
        match db {
            Db::Sqlite => Some(Self {
                url: "sqlite::memory:".into(),
                drop: None,
            }),
            Db::Postgres => {
                let admin = postgres_admin_url()?;
                let name = format!("qn_t_{:016x}", rand::thread_rng().gen::<u64>());
                let conn = Database::connect(&admin)
                    .await
                    .expect("connect to test PostgreSQL");
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map_or(admin.as_str(), |(b, _)| b)
                    .to_owned();
                Some(Self {
                    url: format!("{base}/{name}"),
                    drop: Some((admin, name)),
                })
            }
        }
    }

    /// Drops a PostgreSQL test database (after the test passed; failed ones stay to inspect).
    pub async fn cleanup(self) {
        if let Some((admin, name)) = self.drop {
            if let Ok(conn) = Database::connect(&admin).await {
                let _ = conn
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

/// Runs a test body on SQLite and on PostgreSQL: `db_test!(name, |app| async move { ... });`
#[macro_export]
macro_rules! db_test {
    ($name:ident, settings: $adjust:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                $crate::runtime().block_on($crate::run_test_with(
                    $crate::Db::Sqlite,
                    $adjust,
                    $body,
                ));
            }
            #[test]
            fn postgres() {
                $crate::runtime().block_on($crate::run_test_with(
                    $crate::Db::Postgres,
                    $adjust,
                    $body,
                ));
            }
        }
    };
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                $crate::runtime().block_on($crate::run_test($crate::Db::Sqlite, $body));
            }
            #[test]
            fn postgres() {
                $crate::runtime().block_on($crate::run_test($crate::Db::Postgres, $body));
            }
        }
    };
}

/// One runtime for every test of the binary, as in production one runtime serves everything.
/// (A page request that now and then never got an answer in the full suite was not the
/// runtimes: another test's server listing its routes parked the page's resources; see
/// `startup::route_list`.) The watchdog in [`run_test`] names a test if a hang recurs.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .expect("test runtime")
    })
}

pub async fn run_test<F, Fut>(db: Db, body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    run_test_with(db, |_| {}, body).await;
}

/// [`run_test`] with settings of its own (`db_test!(name, settings: |s| …, body)`).
pub async fn run_test_with<F, Fut>(db: Db, adjust: impl FnOnce(&mut Settings), body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(database) = TestDatabase::new(db).await else {
        eprintln!("skipped on PostgreSQL: QN_TEST_POSTGRES_URL is not set");
        return;
    };
    let app = TestApp::spawn(&database.url, adjust).await;
    // A watchdog, not a timing: a test that hangs fails here, named, instead of holding the
    // whole run until CI's limit.
    if tokio::time::timeout(TEST_LIMIT, body(app)).await.is_err() {
        panic!("the test did not finish within {TEST_LIMIT:?} on {db:?} (hung?)");
    }
    database.cleanup().await;
}

/// Longest a single integration test may run before it counts as hung.
pub const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Longest a single request of a test client may wait for its answer.
pub const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The server's state on `url` (migrated, no demo data), as a benchmark drives it without HTTP.
pub async fn bench_state(url: &str) -> AppState {
    let settings = Settings {
        database_url: url.to_owned(),
        demo_on_empty: false,
        ..Default::default()
    };
    quartiersnetz::startup::prepare(settings)
        .await
        .expect("prepare")
}

/// A kreisfreie Stadt for a benchmark.
pub async fn bench_tenant(state: &AppState, slug: &str, name: &str) -> Tenant {
    tenancy::create(&state.db, slug, name, TenantKind::KreisfreieStadt, None)
        .await
        .expect("tenant")
}

/// A database for a benchmark: SQLite as a file (journal and fsync cost time an in-memory
/// database hides), or a fresh PostgreSQL database (`None` without `QN_TEST_POSTGRES_URL`).
pub struct BenchDatabase {
    pub url: String,
    postgres: Option<TestDatabase>,
    dir: Option<PathBuf>,
}

impl BenchDatabase {
    pub async fn new(db: Db, name: &str) -> Option<Self> {
        match db {
            Db::Sqlite => {
                let dir =
                    std::env::temp_dir().join(format!("qn-bench-{name}-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&dir);
                Some(Self {
                    url: format!("sqlite://{}/bench.sqlite?mode=rwc", dir.display()),
                    postgres: None,
                    dir: Some(dir),
                })
            }
            Db::Postgres => {
                let d = TestDatabase::new(db).await?;
                Some(Self {
                    url: d.url.clone(),
                    postgres: Some(d),
                    dir: None,
                })
            }
        }
    }

    /// Drops the PostgreSQL database or removes the SQLite file.
    pub async fn cleanup(self) {
        if let Some(d) = self.postgres {
            d.cleanup().await;
        }
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Whether a benchmark runs in full (`cargo bench`) or once, small, as a smoke test under
/// `cargo test`.
pub fn full_bench() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Runs a benchmark on SQLite and on PostgreSQL; `run` returns `None` when it had no database.
pub async fn bench_each_db<F, Fut>(mut run: F)
where
    F: FnMut(Db) -> Fut,
    Fut: std::future::Future<Output = Option<()>>,
{
    for db in [Db::Sqlite, Db::Postgres] {
        if run(db).await.is_none() {
            println!("{db:?}: skipped (no QN_TEST_POSTGRES_URL)");
        }
    }
}

/// The running server and an HTTP client with its own cookie jar.
pub struct TestApp {
    pub url: String,
    pub state: AppState,
    pub client: reqwest::Client,
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl TestApp {
    /// Runs a SQL statement straight on the database under the server (to set up a state the
    /// API would not produce, e.g. an entry last confirmed a year ago).
    pub async fn exec(&self, sql: &str) {
        let db = &self.state.db;
        db.execute_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("exec");
    }

    /// The first column of the first row of a SQL query as a number (`SELECT COUNT(*) …`),
    /// straight from the database under the server.
    pub async fn count(&self, sql: &str) -> i64 {
        let db = &self.state.db;
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("query")
            .expect("row");
        row.try_get_by_index::<i64>(0).expect("count")
    }

    pub async fn spawn(database_url: &str, adjust: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            database_url: database_url.to_owned(),
            demo_on_empty: false,
            site_root: workspace_root().join("frontend/public"),
            ..Settings::default()
        };
        adjust(&mut settings);
        let state = quartiersnetz::startup::prepare(settings)
            .await
            .expect("prepare app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let serve_state = state.clone();
        tokio::spawn(async move {
            let _ = quartiersnetz::startup::serve(listener, serve_state).await;
        });
        Self {
            url: format!("http://{addr}"),
            state,
            client: Self::new_client(),
        }
    }

    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            // A request that gets no answer fails where it was made, naming its URL, instead of
            // holding the test until the watchdog.
            .timeout(REQUEST_LIMIT)
            // Below the server's 20 s for a request's headers, which also closes idle
            // keep-alive connections: a connection the server may be closing is not reused.
            .pool_idle_timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("client")
    }

    /// A second browser: same server, its own cookies.
    pub fn other_client(&self) -> Self {
        Self {
            url: self.url.clone(),
            state: self.state.clone(),
            client: Self::new_client(),
        }
    }

    /// The newest mail queued for `to` (subject, body).
    pub async fn last_mail(&self, to: &str) -> Option<(String, String)> {
        use quartiersnetz::kernel::outbox::entity as outbox;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(to))
            .order_by_desc(outbox::Column::Id)
            .one(&self.state.db)
            .await
            .expect("outbox")
            .map(|m| (m.subject, m.body))
    }

    /// Registers through the public mutation and confirms with the mailed link, as a person
    /// would; this client is then signed in.
    pub async fn register_confirmed(&self, email: &str, name: &str, tenant: Option<&str>) {
        self.gql_ok(
            "mutation($e: String!, $n: String!, $t: String) { register(email: $e, password: \"lang genug 123\", displayName: $n, tenant: $t) }",
            json!({"e": email, "n": name, "t": tenant}),
        )
        .await;
        let (_, body) = self
            .last_mail(&email.to_lowercase())
            .await
            .expect("confirmation mail");
        let token = body
            .split("konto-bestaetigen?token=")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .expect("confirmation link")
            .to_owned();
        self.gql_ok(
            "mutation($t: String!) { confirmRegistration(token: $t) { userId } }",
            json!({"t": token}),
        )
        .await;
    }

    /// Posts a GraphQL operation as a same-origin browser would; returns the whole response body.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.client
            .post(format!("{}/graphql", self.url))
            .header("origin", &self.url)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json")
    }

    /// Like [`Self::gql`] but expects no errors and returns `data`.
    pub async fn gql_ok(&self, query: &str, variables: Value) -> Value {
        let r = self.gql(query, variables).await;
        assert!(r.get("errors").is_none(), "unexpected errors: {r}");
        r["data"].clone()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("get")
    }

    /// Posts a plain HTML form as a same-origin browser would; expects the handler's redirect
    /// (303) and returns where it points.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> String {
        let r = self
            .client
            .post(format!("{}{path}", self.url))
            .header("origin", &self.url)
            .form(fields)
            .send()
            .await
            .expect("post");
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match location {
            Some(l) if status == 303 => l,
            _ => panic!("{path}: {status} {:?}", r.text().await),
        }
    }

    /// Posts a multipart form (a file upload) as a same-origin browser would; expects the
    /// handler's redirect (303) and returns where it points.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> String {
        let r = self
            .client
            .post(format!("{}{path}", self.url))
            .header("origin", &self.url)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = r.status();
        match r.headers().get("location").and_then(|v| v.to_str().ok()) {
            Some(l) if status == 303 => l.to_owned(),
            _ => panic!("{path}: {status} {:?}", r.text().await),
        }
    }

    /// [`Self::post_form`] with owned names and values (such as `gewicht_{id}`).
    pub async fn post_fields(&self, path: &str, fields: &[(String, String)]) -> String {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post_form(path, &f).await
    }

    /// A page's HTML (whatever the status).
    pub async fn html(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("html")
    }

    pub async fn tenant(&self, slug: &str, kind: TenantKind, parent: Option<&str>) -> Tenant {
        tenancy::create(&self.state.db, slug, &format!("Test {slug}"), kind, parent)
            .await
            .expect("tenant")
    }

    /// Creates an account with a role and signs this client in as it.
    pub async fn sign_in_as(&self, email: &str, tenant: Option<(&Tenant, Role)>) {
        let password = "ein sicheres Testpasswort";
        let user = accounts::register(
            &self.state,
            Registration {
                email,
                password,
                display_name: email,
                tenant_slug: None,
                client: None,
            },
        )
        .await
        .expect("register");
        if let Some((t, role)) = tenant {
            accounts::grant(&self.state.db, user.id, t.id, role)
                .await
                .expect("grant");
        }
        self.gql_ok(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { userId } }",
            json!({"e": email, "p": password}),
        )
        .await;
    }

    /// Imports a GeoJSON level through the API (the client must be a planner of the tenant).
    /// Levels are public unless the input says otherwise (the server's default for a new
    /// level is `TENANT`, which `tests/it/visibility.rs` checks with [`Self::import_as_given`]).
    pub async fn import(&self, mut input: Value) -> Value {
        if let Some(o) = input.as_object_mut() {
            o.entry("visibility").or_insert(json!("PUBLIC"));
        }
        self.import_as_given(input).await
    }

    /// Imports a level with exactly the given input.
    pub async fn import_as_given(&self, input: Value) -> Value {
        self.gql(IMPORT_AREAS, json!({"input": input})).await
    }
}

/// The code of a GraphQL response's first error, `"(none)"` when it has none.
pub fn error_code(r: &Value) -> &str {
    r["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("(none)")
}

/// Asserts that a GraphQL response failed with `code`; shows the whole response otherwise.
#[track_caller]
pub fn assert_code(r: &Value, code: &str) {
    assert_eq!(error_code(r), code, "{r}");
}

pub const IMPORT_AREAS: &str = "mutation($input: ImportAreasInput!) { importAreas(input: $input) {
    applied created changed unchanged retired level { id key visibility }
    problems { feature code message } } }";

/// The demo files: Köln's 9 Stadtbezirke and 86 Stadtteile.
pub fn koeln_bezirke() -> &'static str {
    quartiersnetz::demo::STADTBEZIRKE
}
pub fn koeln_stadtteile() -> &'static str {
    quartiersnetz::demo::STADTTEILE
}

/// Import input for Köln's two levels.
pub fn bezirke_input(tenant: &str) -> Value {
    json!({"tenant": tenant, "levelKey": "stadtbezirk", "levelName": "Stadtbezirk",
           "idProperty": "STB_NR", "nameProperty": "STB_NAME", "geojson": koeln_bezirke()})
}
pub fn stadtteile_input(tenant: &str) -> Value {
    json!({"tenant": tenant, "levelKey": "stadtteil", "levelName": "Stadtteil",
           "parentLevelKey": "stadtbezirk", "parentProperty": "STB_NR",
           "idProperty": "STT_NR", "nameProperty": "STT_NAME", "geojson": koeln_stadtteile()})
}

/// A small square FeatureCollection feature.
pub fn square_feature(id: &str, name: &str, x: f64, y: f64, d: f64) -> Value {
    json!({"type": "Feature", "properties": {"id": id, "name": name},
           "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}})
}

pub fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A small city for indicator tests: tenant `slug` with two Bezirke (`B1`, `B2`) and four
/// Viertel (`V1`, `V2` in B1, `V3`, `V4` in B2), imported by a planner signed in on `app`'s
/// client. Returns the level ids (bezirk, viertel).
pub async fn small_city(app: &TestApp, slug: &str, x: f64) -> (String, String) {
    let bezirke = collection(vec![
        square_feature("B1", "Nord", x, 50.0, 0.02),
        square_feature("B2", "Süd", x + 0.02, 50.0, 0.02),
    ]);
    let r = app
        .import(
            json!({"tenant": slug, "levelKey": "bezirk", "levelName": "Bezirk",
            "idProperty": "id", "nameProperty": "name", "geojson": bezirke}),
        )
        .await;
    let bezirk = r["data"]["importAreas"]["level"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("bezirke: {r}"))
        .to_owned();
    let child = |id: &str, name: &str, parent: &str, x: f64| {
        let mut f = square_feature(id, name, x, 50.0, 0.01);
        f["properties"]["parent"] = json!(parent);
        f
    };
    let viertel = collection(vec![
        child("V1", "Altdorf", "B1", x),
        child("V2", "Bergheim", "B1", x + 0.01),
        child("V3", "Chausseeviertel", "B2", x + 0.02),
        child("V4", "Domplatz", "B2", x + 0.03),
    ]);
    let r = app
        .import(
            json!({"tenant": slug, "levelKey": "viertel", "levelName": "Viertel",
            "parentLevelKey": "bezirk", "parentProperty": "parent",
            "idProperty": "id", "nameProperty": "name", "geojson": viertel}),
        )
        .await;
    let viertel = r["data"]["importAreas"]["level"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("viertel: {r}"))
        .to_owned();
    (bezirk, viertel)
}

pub const CREATE_INDICATOR: &str = "mutation($t: String!, $i: IndicatorInput!) {
    createIndicator(tenant: $t, input: $i) { id key } }";

pub const IMPORT_VALUES: &str = "mutation($i: ImportIndicatorValuesInput!) {
    importIndicatorValues(input: $i) { applied rows created replaced noData areas dates format encoding
    problems { line code message } } }";

impl TestApp {
    /// Creates an indicator (kind `COUNT`/`SHARE`/…, polarity `HIGH_IS_BAD`/…) and returns its id.
    pub async fn indicator(
        &self,
        tenant: &str,
        key: &str,
        kind: &str,
        polarity: &str,
        extra: Value,
    ) -> String {
        let mut input = json!({"key": key, "name": format!("Indikator {key}"), "kind": kind,
            "polarity": polarity, "unit": "%"});
        if let (Some(i), Some(e)) = (input.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                i.insert(k.clone(), v.clone());
            }
        }
        let d = self
            .gql_ok(CREATE_INDICATOR, json!({"t": tenant, "i": input}))
            .await;
        d["createIndicator"]["id"].as_str().expect("id").to_owned()
    }

    /// Imports values as text; returns the report (`importIndicatorValues`).
    pub async fn import_values(
        &self,
        indicator: &str,
        level: &str,
        content: &str,
        dry_run: bool,
    ) -> Value {
        let r = self
            .gql(
                IMPORT_VALUES,
                json!({"i": {"indicatorId": indicator, "levelId": level, "content": content, "dryRun": dry_run}}),
            )
            .await;
        assert!(r.get("errors").is_none(), "import errors: {r}");
        r["data"]["importIndicatorValues"].clone()
    }

    /// The values of an indicator at a level as (area code, date, value, status).
    pub async fn values(
        &self,
        indicator: &str,
        level: &str,
    ) -> Vec<(String, String, Option<f64>, String)> {
        let d = self
            .gql(
                "query($id: ID!, $l: ID) { indicator(id: $id) { values(levelId: $l) { area { code } date value status numerator } } }",
                json!({"id": indicator, "l": level}),
            )
            .await;
        let Some(list) = d["data"]["indicator"]["values"].as_array() else {
            return Vec::new();
        };
        let mut out: Vec<_> = list
            .iter()
            .map(|v| {
                (
                    v["area"]["code"].as_str().unwrap_or_default().to_owned(),
                    v["date"].as_str().unwrap_or_default().to_owned(),
                    v["value"].as_f64(),
                    v["status"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        out.sort_by(|a, b| (a.0.as_str(), a.1.as_str()).cmp(&(b.0.as_str(), b.1.as_str())));
        out
    }
}

/// A tenant created earlier in the test.
pub async fn tenant_by_slug(app: &TestApp, slug: &str) -> Tenant {
    tenancy::by_slug(&app.state.db, slug).await.expect("tenant")
}

/// Uploads an address register (CSV or GeoJSON text) through the planners' form of the tenant
/// `slug`; returns where the form led.
pub async fn upload_address_register(app: &TestApp, slug: &str, text: &str, crs: &str) -> String {
    let form = reqwest::multipart::Form::new()
        .part(
            "datei",
            reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name("adressen.csv"),
        )
        .text("crs", crs.to_owned());
    app.post_multipart(&format!("/kommune/{slug}/angebote/adressen"), form)
        .await
}

/// GraphQL `locateAddress` as a form asks it: point and area names, or the error.
pub async fn locate_address(client: &TestApp, slug: &str, address: &str) -> Value {
    client
        .gql(
            "query($t: String!, $a: String!) { locateAddress(tenant: $t, address: $a) { lon lat areas { name } } }",
            serde_json::json!({"t": slug, "a": address}),
        )
        .await
}
