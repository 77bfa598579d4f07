//! The command line's arguments, parsed once at start.

use super::*;

#[derive(Parser)]
#[command(
    name = "quartiersnetz",
    version,
    about = "Quartiersnetz: Beteiligung und Quartiersdaten für die Sozialplanung"
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

// Parsed once at start: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub(super) enum Command {
    /// Run the web server (migrates first; loads the demo into an empty database unless QN_DEMO_ON_EMPTY=false).
    Serve,
    /// Apply (or roll back) database migrations.
    Migrate {
        #[arg(value_enum, default_value = "up")]
        direction: Direction,
    },
    /// Import data.
    Import {
        #[command(subcommand)]
        kind: ImportKind,
    },
    /// Load the demo data (Köln) into the database.
    Demo,
    /// Create a tenant.
    Tenant {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        /// Slug of the Kreis (for a kreisangehörige Kommune).
        #[arg(long)]
        parent: Option<String>,
    },
    /// Create an account (password from QN_NEW_PASSWORD) or give an existing one a role.
    User {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// Tenant slug for the role.
        #[arg(long)]
        tenant: String,
        /// admin, planner, quartier_manager, moderator, provider or resident.
        #[arg(long)]
        role: String,
    },
    /// The directory's search index.
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

#[derive(Subcommand)]
pub(super) enum SearchAction {
    /// Rebuild the search index from the database (after restoring a backup, or with a new
    /// Meilisearch server).
    Reindex,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Direction {
    Up,
    Down,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum KindArg {
    Kreis,
    Kommune,
    KreisfreieStadt,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum VisibilityArg {
    Public,
    Tenant,
    Shared,
}

#[derive(Subcommand)]
pub(super) enum ImportKind {
    /// Import one level of areas from a GeoJSON FeatureCollection (EPSG:4326, 25832 or 25833).
    Areas {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Level key, e.g. `stadtteil` (created if new; re-importing versions changed boundaries).
        #[arg(long)]
        level: String,
        /// Level name shown to people, e.g. `Stadtteil`.
        #[arg(long)]
        level_name: String,
        /// Key of the level above.
        #[arg(long, requires = "parent_property")]
        parent_level: Option<String>,
        #[arg(long, default_value = "id")]
        id_property: String,
        #[arg(long, default_value = "name")]
        name_property: String,
        #[arg(long, requires = "parent_level")]
        parent_property: Option<String>,
        /// CRS when the file does not say: EPSG:4326, EPSG:25832 or EPSG:25833.
        #[arg(long)]
        crs: Option<String>,
        /// Who may see the level; a new level is `tenant` unless given, a re-import keeps it.
        #[arg(long, value_enum)]
        visibility: Option<VisibilityArg>,
        /// Tenant slugs a `shared` level is visible to (comma-separated).
        #[arg(long, value_delimiter = ',')]
        share_with: Vec<String>,
        /// Only validate.
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
    },
    /// Import indicator values: CSV (long or wide; UTF-8 or Windows-1252; `,` `;` or tab;
    /// decimal comma), KomMonitor value JSON, or GeoJSON with `DATE_YYYY-MM-DD` properties.
    Indicators {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Indicator key; created when new (then `--name` is needed).
        #[arg(long)]
        indicator: String,
        /// Name of a new indicator.
        #[arg(long)]
        name: Option<String>,
        /// Kind of a new indicator: count, share, rate or index.
        #[arg(long, default_value = "share")]
        kind: String,
        /// Polarity of a new indicator: high_is_good, high_is_bad or neutral.
        #[arg(long, default_value = "neutral")]
        polarity: String,
        /// Unit of a new indicator, e.g. `%`.
        #[arg(long, default_value = "")]
        unit: String,
        #[arg(long, value_enum, default_value = "public")]
        visibility: VisibilityArg,
        /// Key of the level whose area ids the file uses, e.g. `stadtteil`.
        #[arg(long)]
        level: String,
        /// auto, csv, kommonitor or geojson.
        #[arg(long, default_value = "auto")]
        format: String,
        /// CSV layout: auto, long or wide.
        #[arg(long, default_value = "auto")]
        layout: String,
        /// Column or property holding the area id, when not found by name.
        #[arg(long)]
        area_property: Option<String>,
        /// Only validate.
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
    },
    /// Import offers (each with its actor) from GeoJSON points or CSV with coordinates.
    /// Broken rows stop the whole import; duplicates are reported and skipped.
    Offers {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Property or column of the offer's title.
        #[arg(long, default_value = "name")]
        title: String,
        /// Property or column of the actor's name (default: the title).
        #[arg(long, default_value = "")]
        actor: String,
        #[arg(long, default_value = "beschreibung")]
        description: String,
        #[arg(long, default_value = "website")]
        website: String,
        #[arg(long, default_value = "strasse")]
        street: String,
        #[arg(long, default_value = "plz")]
        postcode: String,
        #[arg(long, default_value = "ort")]
        city: String,
        /// CSV column of the longitude (common names are found without it).
        #[arg(long, default_value = "lon")]
        lon: String,
        #[arg(long, default_value = "lat")]
        lat: String,
        /// Property or column with a stable id (default: GeoJSON feature id or line).
        #[arg(long, default_value = "")]
        id_property: String,
        /// Prefix of the stored source, e.g. `osm` or `kitas-2026`.
        #[arg(long, default_value = "import")]
        source: String,
        /// Kind of the actors, e.g. `kita`.
        #[arg(long, default_value = "sonstiges")]
        kind: String,
        /// Categories of every offer (comma-separated keys).
        #[arg(long, value_delimiter = ',', required = true)]
        categories: Vec<String>,
        #[arg(long, value_delimiter = ',')]
        target_groups: Vec<String>,
        #[arg(long)]
        age_min: Option<u8>,
        #[arg(long)]
        age_max: Option<u8>,
        #[arg(long, value_delimiter = ',')]
        languages: Vec<String>,
        #[arg(long, default_value = "kostenlos")]
        cost: String,
        /// Description of offers whose own is empty.
        #[arg(long, default_value = "")]
        default_description: String,
        /// Only validate.
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
    },
    /// Replace a tenant's address register (house coordinates) from CSV (`strasse`,
    /// `hausnummer`, `plz`, `ort`, then `lon`/`lat` or `ostwert`/`nordwert`) or from GeoJSON
    /// with OpenStreetMap `addr:*` properties. A broken row stops the whole import.
    Addresses {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// CRS of metre coordinates (`ostwert`/`nordwert`): 25832 or 25833.
        #[arg(long, default_value = "EPSG:25832")]
        crs: String,
        file: PathBuf,
    },
}
