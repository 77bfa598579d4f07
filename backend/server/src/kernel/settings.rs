//! Typed settings, read in one place: defaults, then an optional TOML file (`QN_CONFIG`), then
//! environment variables prefixed `QN_` (`QN_ADDR`, `QN_DATABASE_URL`, …).

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Where the HTTP server listens.
    pub addr: SocketAddr,
    /// `sqlite://…` (embedded default) or `postgres://…`.
    pub database_url: String,
    /// The public URL (`https://quartiersnetz.example.de`): links in mails, and secure cookies
    /// when it starts with `https`.
    pub public_url: String,
    /// Built frontend assets (`pkg/` with the wasm, plus the public files).
    pub site_root: PathBuf,
    /// Development mode: GraphQL introspection.
    pub dev: bool,
    /// Load the demo data on `serve` when the database has no tenant yet.
    pub demo_on_empty: bool,
    /// Largest request body (area imports arrive as one document).
    pub max_upload_bytes: usize,
    /// Seconds a client may take to send a request's headers, and between two parts of its
    /// body; a slow client cannot hold a connection longer.
    pub read_timeout_secs: u64,
    /// Seconds a request may take in all (an import of a large file included).
    pub request_timeout_secs: u64,
    /// Key that signs the detail texts a form handler sends back in the URL (`meldung`), so a
    /// page shows only texts the server wrote. Several instances need the same value; without
    /// it each process draws a random one at start (old links then show the code's text only).
    #[serde(skip_serializing)]
    pub secret: Option<String>,
    /// Optional base-map tile URL template (`https://…/{z}/{x}/{y}.png`); maps work without.
    pub tile_url: Option<String>,
    pub tile_attribution: Option<String>,
    /// Optional geocoder speaking Nominatim's search API (`https://nominatim.example.org`),
    /// asked for addresses the Kommune's address register does not know.
    pub geocoder_url: Option<String>,
    /// `smtp://user:pass@host:587` or `smtps://…`; without it mails are written to the log.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Meilisearch (used by the directory module).
    pub search_url: Option<String>,
    pub search_key: Option<String>,
    /// Web push keys (used by the notifications module).
    pub vapid_private_key: Option<String>,
    pub vapid_subject: Option<String>,
    /// Behind a reverse proxy: take the client address from the last `X-Forwarded-For` entry
    /// (the one the proxy appended). Never set this without a proxy in front.
    pub trust_proxy: bool,
    /// Failed logins allowed per e-mail address and per client within `login_window_secs`.
    pub login_attempts: u32,
    /// Registrations allowed per client address and hour.
    pub signups_per_hour: u32,
    pub login_window_secs: u64,
    /// Survey responses per client address and minute (a conference hall shares one address).
    pub survey_submissions_per_minute: u32,
    /// Posts, comments, reports and supports without an account per client address and hour
    /// (the device cookie's limits count per device; without the cookie each request is new).
    pub anonymous_writes_per_hour: u32,
    /// SQLite's `synchronous` (embedded mode): `normal` (default) survives a crash or kill of the
    /// process (in WAL mode nothing committed is lost) but may lose the last commits on a power
    /// loss or an OS crash, without corrupting the file; `full` survives those too, at about a
    /// disk flush per commit. PostgreSQL keeps its own setting.
    pub sqlite_synchronous: SqliteSynchronous,
}

/// See [`Settings::sqlite_synchronous`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    Normal,
    Full,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/quartiersnetz.sqlite?mode=rwc".into(),
            public_url: "http://127.0.0.1:8080".into(),
            site_root: PathBuf::from("target/site"),
            dev: false,
            demo_on_empty: true,
            max_upload_bytes: 64 * 1024 * 1024,
            read_timeout_secs: 20,
            request_timeout_secs: 300,
            secret: None,
            tile_url: None,
            tile_attribution: None,
            geocoder_url: None,
            smtp_url: None,
            mail_from: "Quartiersnetz <noreply@quartiersnetz.invalid>".into(),
            search_url: None,
            search_key: None,
            vapid_private_key: None,
            vapid_subject: None,
            trust_proxy: false,
            login_attempts: 5,
            signups_per_hour: 20,
            login_window_secs: 15 * 60,
            survey_submissions_per_minute: 120,
            anonymous_writes_per_hour: 60,
            sqlite_synchronous: SqliteSynchronous::Normal,
        }
    }
}

impl Settings {
    /// Reads defaults, `QN_CONFIG` (if set) and `QN_*` variables.
    ///
    /// # Errors
    /// A description of the first value that does not parse.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let mut f = Figment::from(Serialized::defaults(Settings::default()));
        if let Ok(path) = std::env::var("QN_CONFIG") {
            f = f.merge(Toml::file_exact(path));
        }
        f.merge(Env::prefixed("QN_").ignore(&["CONFIG"]))
            .extract()
            .map_err(Box::new)
    }

    /// Cookies get `Secure` when the site is served over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
