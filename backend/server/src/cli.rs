//! The command line: `serve`, `migrate`, `import areas`, `demo`, tenant and user administration,
//! and `schema` (prints the GraphQL SDL).

use crate::accounts::{self, Registration, Viewer};
use crate::areas::{self, ImportRequest};
use crate::indicators;
use crate::kernel::settings::Settings;
use crate::kernel::state::AppState;
use crate::tenancy;
use clap::{Parser, Subcommand, ValueEnum};
use qn_domain::areas::{Crs, FieldMapping};
use qn_domain::tenancy::{Role, TenantKind, Visibility};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "quartiersnetz",
    version,
    about = "Quartiersnetz: Beteiligung und Quartiersdaten für die Sozialplanung"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
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
enum SearchAction {
    /// Rebuild the search index from the database (after restoring a backup, or with a new
    /// Meilisearch server).
    Reindex,
}

#[derive(Clone, Copy, ValueEnum)]
enum Direction {
    Up,
    Down,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Kreis,
    Kommune,
    KreisfreieStadt,
}

#[derive(Clone, Copy, ValueEnum)]
enum VisibilityArg {
    Public,
    Tenant,
    Shared,
}

#[derive(Subcommand)]
enum ImportKind {
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

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut spec = std::env::var("QN_LOG").unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    // ammonia's HTML parser warns about markup it repairs ("foster parenting"): that is hostile
    // or broken user input being defused, not a problem of the server.
    if !spec.contains("html5ever") {
        spec.push_str(",html5ever=error");
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(&spec)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Command::Schema = cli.command {
        print!("{}", crate::graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Fehler in der Konfiguration: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Fehler: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn app_err(e: crate::kernel::error::AppError) -> BoxError {
    e.public_message().into()
}

/// The CLI is run by the operator of the installation and acts with full rights in a tenant.
fn operator(tenant_id: i32) -> Viewer {
    Viewer::system(tenant_id, Role::Admin)
}

async fn run(command: Command, mut settings: Settings) -> Result<(), BoxError> {
    match command {
        Command::Serve => {
            let addr = settings.addr;
            let state = crate::startup::prepare(settings).await?;
            let listener = tokio::net::TcpListener::bind(addr).await?;
            tracing::info!("Quartiersnetz läuft auf http://{addr}");
            crate::startup::serve(listener, state).await?;
        }
        Command::Migrate { direction } => {
            let db = crate::kernel::db::connect(&settings.database_url).await?;
            use qn_migrations::MigratorTrait;
            match direction {
                Direction::Up => {
                    qn_migrations::Migrator::up(&db, None).await?;
                    println!("Migrationen angewendet.");
                }
                Direction::Down => {
                    qn_migrations::Migrator::down(&db, None).await?;
                    println!("Alle Migrationen zurückgerollt (alle Daten gelöscht).");
                }
            }
        }
        Command::Demo => {
            settings.demo_on_empty = false;
            let state = crate::startup::prepare(settings).await?;
            crate::demo::load(&state).await.map_err(app_err)?;
            println!("Demodaten geladen (Stadt Köln, 9 Stadtbezirke, 86 Stadtteile).");
        }
        Command::Tenant {
            slug,
            name,
            kind,
            parent,
        } => {
            let state = prepared(settings).await?;
            let kind = match kind {
                KindArg::Kreis => TenantKind::Kreis,
                KindArg::Kommune => TenantKind::Kommune,
                KindArg::KreisfreieStadt => TenantKind::KreisfreieStadt,
            };
            tenancy::create(&state.db, &slug, &name, kind, parent.as_deref())
                .await
                .map_err(app_err)?;
            println!("Mandant {slug} angelegt.");
        }
        Command::User {
            email,
            name,
            tenant,
            role,
        } => {
            let state = prepared(settings).await?;
            let role: Role = role.parse()?;
            let t = tenancy::by_slug(&state.db, &tenant)
                .await
                .map_err(app_err)?;
            let user = match accounts::user_by_email(&state.db, &email).await {
                Ok(u) => u,
                Err(crate::kernel::error::AppError::NotFound) => {
                    let password = std::env::var("QN_NEW_PASSWORD")
                        .map_err(|_| "QN_NEW_PASSWORD fehlt (Passwort des neuen Kontos)")?;
                    let name = name.ok_or("--name fehlt für ein neues Konto")?;
                    accounts::register(
                        &state,
                        Registration {
                            email: &email,
                            password: &password,
                            display_name: &name,
                            tenant_slug: None,
                            client: None,
                        },
                    )
                    .await
                    .map_err(app_err)?
                }
                Err(e) => return Err(app_err(e)),
            };
            accounts::grant(&state.db, user.id, t.id, role)
                .await
                .map_err(app_err)?;
            println!("{email} hat die Rolle {role} in {tenant}.");
        }
        Command::Import {
            kind:
                ImportKind::Areas {
                    tenant,
                    level,
                    level_name,
                    parent_level,
                    id_property,
                    name_property,
                    parent_property,
                    crs,
                    visibility,
                    share_with,
                    dry_run,
                    file,
                },
        } => {
            let max = settings.max_upload_bytes;
            let state = prepared(settings).await?;
            let size = std::fs::metadata(&file)?.len();
            if size > max as u64 {
                return Err(format!(
                    "{}: {size} Bytes, erlaubt sind höchstens {max} (QN_MAX_UPLOAD_BYTES)",
                    file.display()
                )
                .into());
            }
            let geojson = std::fs::read_to_string(&file)?;
            let t = tenancy::by_slug(&state.db, &tenant)
                .await
                .map_err(app_err)?;
            let crs = match crs {
                Some(c) => Some(
                    Crs::parse(&c)
                        .ok_or_else(|| format!("nicht unterstütztes Koordinatensystem {c}"))?,
                ),
                None => None,
            };
            let mut shared_with = Vec::new();
            for s in &share_with {
                shared_with.push(tenancy::by_slug(&state.db, s).await.map_err(app_err)?.id);
            }
            let started = std::time::Instant::now();
            let report = crate::flows::boundaries::import(
                &state,
                &operator(t.id),
                ImportRequest {
                    tenant_id: t.id,
                    level_key: level,
                    level_name,
                    parent_level_key: parent_level,
                    visibility: visibility.map(|v| match v {
                        VisibilityArg::Public => Visibility::Public,
                        VisibilityArg::Tenant => Visibility::Tenant,
                        VisibilityArg::Shared => Visibility::Shared,
                    }),
                    shared_with,
                    mapping: FieldMapping {
                        id: id_property,
                        name: name_property,
                        parent: parent_property,
                    },
                    crs,
                    geojson,
                    dry_run,
                },
            )
            .await
            .map_err(app_err)?;
            if !report.problems.is_empty() {
                return Err(format!(
                    "Nichts importiert, die Datei hat {} Problem(e):\n{}",
                    report.problems.len(),
                    areas::describe(&report.problems)
                )
                .into());
            }
            if dry_run {
                println!(
                    "Prüfung bestanden: {} Gebiete, nichts gespeichert.",
                    report.created
                );
            } else {
                println!(
                    "Importiert in {:.2} s: {} neu, {} geändert (alte Grenzen bleiben als Version), {} unverändert, {} entfallen.",
                    started.elapsed().as_secs_f64(),
                    report.created, report.changed, report.unchanged, report.retired
                );
            }
        }
        Command::Import {
            kind:
                ImportKind::Indicators {
                    tenant,
                    indicator,
                    name,
                    kind,
                    polarity,
                    unit,
                    visibility,
                    level,
                    format,
                    layout,
                    area_property,
                    dry_run,
                    file,
                },
        } => {
            let state = prepared(settings).await?;
            let t = tenancy::by_slug(&state.db, &tenant)
                .await
                .map_err(app_err)?;
            let op = operator(t.id);
            let existing = indicators::list(&state.db, &op, t.id)
                .await
                .map_err(app_err)?
                .into_iter()
                .find(|i| i.key == indicator);
            let created = existing.is_none();
            let ind = match (existing, name) {
                (Some(i), _) => i,
                (None, Some(name)) => indicators::create(
                    &state.db,
                    &op,
                    t.id,
                    indicators::IndicatorInput {
                        key: indicator.clone(),
                        name,
                        abbreviation: String::new(),
                        unit,
                        description: String::new(),
                        source: String::new(),
                        topic: String::new(),
                        polarity: polarity.parse()?,
                        kind: kind.parse()?,
                        precision: 1,
                        min_count: i32::try_from(qn_domain::indicators::DEFAULT_MIN_COUNT)?,
                        visibility: match visibility {
                            VisibilityArg::Public => Visibility::Public,
                            VisibilityArg::Tenant => Visibility::Tenant,
                            VisibilityArg::Shared => Visibility::Shared,
                        },
                        shared_with: Vec::new(),
                    },
                    None,
                )
                .await
                .map_err(app_err)?,
                (None, None) => {
                    return Err(format!(
                        "Indikator {indicator} gibt es nicht; mit --name wird er angelegt"
                    )
                    .into())
                }
            };
            let level = areas::level_by_key(&state.db, &op, t.id, &level)
                .await
                .map_err(|_| format!("Ebene {level} gibt es in {tenant} nicht"))?;
            let started = std::time::Instant::now();
            let report = indicators::import::import(
                &state,
                &op,
                indicators::import::ImportInput {
                    indicator_id: ind.id,
                    level_id: level.id,
                    bytes: std::fs::read(&file)?,
                    format: format.parse()?,
                    layout: layout.parse()?,
                    area_property,
                    dry_run,
                },
            )
            .await;
            // A new indicator is kept only with its values.
            if created && !report.as_ref().is_ok_and(|r| r.applied) {
                indicators::delete(&state.db, &state.mem.published, &op, ind.id)
                    .await
                    .map_err(app_err)?;
            }
            let report = report.map_err(app_err)?;
            if !report.problems.is_empty() {
                let lines: Vec<String> = report
                    .problems
                    .iter()
                    .map(|p| match p.line {
                        Some(l) => format!("Zeile {l}: {} ({})", p.message, p.code),
                        None => format!("{} ({})", p.message, p.code),
                    })
                    .collect();
                return Err(format!(
                    "Nichts importiert, die Datei hat {} Problem(e):\n{}",
                    lines.len(),
                    lines.join("\n")
                )
                .into());
            }
            println!(
                "{} in {:.2} s: {} Werte ({} neu, {} ersetzt, {} ohne Daten) für {} Gebiete, Stichtage {}.",
                if dry_run { "Geprüft, nichts gespeichert," } else { "Importiert" },
                started.elapsed().as_secs_f64(),
                report.rows,
                report.created,
                report.replaced,
                report.no_data,
                report.areas,
                report
                    .dates
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        Command::Import {
            kind:
                ImportKind::Offers {
                    tenant,
                    title,
                    actor,
                    description,
                    website,
                    street,
                    postcode,
                    city,
                    lon,
                    lat,
                    id_property,
                    source,
                    kind,
                    categories,
                    target_groups,
                    age_min,
                    age_max,
                    languages,
                    cost,
                    default_description,
                    dry_run,
                    file,
                },
        } => {
            let state = prepared(settings).await?;
            let t = tenancy::by_slug(&state.db, &tenant)
                .await
                .map_err(app_err)?;
            let mapping = qn_domain::directory::import::Mapping {
                title,
                actor,
                description,
                website,
                street,
                postcode,
                city,
                lon,
                lat,
                id: id_property,
                source,
                actor_kind: kind,
                categories,
                target_groups,
                age_min,
                age_max,
                languages,
                cost,
                default_description,
                ..Default::default()
            };
            let bytes = std::fs::read(&file)?;
            let categories = crate::directory::categories::of(&state.db, t.id)
                .await
                .map_err(app_err)?;
            let read =
                crate::directory::import::read(&bytes, &mapping, &categories).map_err(app_err)?;
            let report =
                crate::directory::import::apply(&state, &operator(t.id), t.id, read, dry_run)
                    .await
                    .map_err(app_err)?;
            println!("{}", report.describe());
            if !report.problems.is_empty() {
                return Err("Import abgelehnt".into());
            }
        }
        Command::Import {
            kind: ImportKind::Addresses { tenant, crs, file },
        } => {
            let state = prepared(settings).await?;
            let t = tenancy::by_slug(&state.db, &tenant)
                .await
                .map_err(app_err)?;
            let crs = qn_domain::areas::Crs::parse(&crs)
                .ok_or_else(|| format!("unbekanntes Koordinatensystem {crs}"))?;
            let text = std::fs::read(&file)?;
            let text = qn_domain::indicators::import::decode(&text).0.into_owned();
            let n = crate::areas::addresses::replace(&state.db, &operator(t.id), t.id, &text, crs)
                .await
                .map_err(app_err)?;
            println!(
                "Adressverzeichnis von {}: {n} Adressen gespeichert.",
                t.name
            );
        }
        Command::Search {
            action: SearchAction::Reindex,
        } => {
            let state = prepared(settings).await?;
            // `prepare` already filled the index; for an in-memory backend that is all there is.
            let n = crate::directory::index::reindex(&state)
                .await
                .map_err(app_err)?;
            println!(
                "Suchindex neu aufgebaut: {n} Angebote ({}).",
                state.search.name()
            );
        }
        Command::Schema => print!("{}", crate::graphql::sdl()),
    }
    Ok(())
}

async fn prepared(mut settings: Settings) -> Result<AppState, BoxError> {
    settings.demo_on_empty = false;
    crate::startup::prepare(settings).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::permissions::Can;

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn operator_has_a_role_only_in_its_tenant() {
        let v = operator(7);
        assert!(v.may(7, Can::ManageMembers));
        assert!(!v.may(8, Can::ManageMembers));
    }
}
