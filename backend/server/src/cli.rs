//! The command line: `serve`, `migrate`, `import areas`, `demo`, tenant and user administration,
//! and `schema` (prints the GraphQL SDL).

mod args;
use args::*;

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
            let db =
                crate::kernel::db::connect(&settings.database_url, settings.sqlite_synchronous)
                    .await?;
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
            let n = crate::directory::search_sync::reindex(&state)
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
