//! What the platform keeps about a person, for them to read and download (DSGVO Art. 15 and
//! 20), and the overview on their account page. A flow: it reads the tables of every module
//! that stores something about a person. Survey answers are not here: they are stored
//! without any link to an account, so nobody (not even the person) can find theirs.

use crate::accounts::entity::{invitations, memberships, sessions, users};
use crate::boards::entity::{
    board_bans, board_comments, board_follows, board_posts, board_reports, board_supports,
};
use crate::directory::entity::{actor_members, actors};
use crate::kernel::audit::audit_log;
use crate::kernel::error::{AppError, AppResult};
use crate::kernel::outbox::entity as outbox;
use crate::kernel::viewer::Person;
use crate::surveys::entity::{survey_ballots, surveys};
use crate::tenancy::entity::tenants;
use chrono::{DateTime, Utc};
use qn_domain::accounts::StoredCounts;
use qn_domain::tenancy::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The account page's overview: who, since when, where with which role, and how much is stored.
#[derive(Clone, Debug)]
pub struct Overview {
    pub email: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    /// Kommune (slug, name) and role, in the order of the Kommune's name.
    pub memberships: Vec<(String, String, Role)>,
    pub counts: StoredCounts,
}

/// The stored account of a signed-in person (gone: the session outlived it).
async fn account(db: &impl ConnectionTrait, person: &Person) -> AppResult<users::Model> {
    users::Entity::find_by_id(person.id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// An account's rows of one table (`owner` holds the account id), in the order of `order`.
async fn rows<E: EntityTrait>(
    _: E,
    owner: E::Column,
    user: i32,
    order: E::Column,
    db: &impl ConnectionTrait,
) -> AppResult<Vec<E::Model>> {
    Ok(E::find()
        .filter(owner.eq(user))
        .order_by_asc(order)
        .all(db)
        .await?)
}

/// How many rows of one table belong to an account.
async fn count<E: EntityTrait>(
    _: E,
    owner: E::Column,
    user: i32,
    db: &impl ConnectionTrait,
) -> AppResult<u64>
where
    E::Model: Sync,
{
    Ok(E::find().filter(owner.eq(user)).count(db).await?)
}

async fn tenant_names(db: &impl ConnectionTrait) -> AppResult<HashMap<i32, (String, String)>> {
    Ok(tenants::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, (t.slug, t.name)))
        .collect())
}

/// The overview for the account page (counts, not contents: the download has those).
///
/// # Errors
/// Database errors.
pub async fn overview(db: &impl ConnectionTrait, person: &Person) -> AppResult<Overview> {
    let user = &account(db, person).await?;
    let names = tenant_names(db).await?;
    let mut member: Vec<(String, String, Role)> = memberships::Entity::find()
        .filter(memberships::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let (slug, name) = names.get(&m.tenant_id)?.clone();
            Some((slug, name, m.role.parse::<Role>().ok()?))
        })
        .collect();
    member.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.as_str().cmp(b.2.as_str())));
    let counts = StoredCounts {
        posts: count(
            board_posts::Entity,
            board_posts::Column::UserId,
            user.id,
            db,
        )
        .await?,
        comments: count(
            board_comments::Entity,
            board_comments::Column::UserId,
            user.id,
            db,
        )
        .await?,
        supports: count(
            board_supports::Entity,
            board_supports::Column::UserId,
            user.id,
            db,
        )
        .await?,
        follows: count(
            board_follows::Entity,
            board_follows::Column::UserId,
            user.id,
            db,
        )
        .await?,
        reports: count(
            board_reports::Entity,
            board_reports::Column::UserId,
            user.id,
            db,
        )
        .await?,
        actors: count(
            actor_members::Entity,
            actor_members::Column::UserId,
            user.id,
            db,
        )
        .await?,
        surveys_answered: count(
            survey_ballots::Entity,
            survey_ballots::Column::UserId,
            user.id,
            db,
        )
        .await?,
        audit_entries: count(audit_log::Entity, audit_log::Column::UserId, user.id, db).await?,
        mails: outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(user.email.as_str()))
            .count(db)
            .await?,
    };
    Ok(Overview {
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        created_at: user.created_at,
        memberships: member,
        counts,
    })
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn kommune(names: &HashMap<i32, (String, String)>, id: i32) -> Value {
    names.get(&id).map_or(
        Value::Null,
        |(slug, name)| json!({ "kennung": slug, "name": name }),
    )
}

/// Everything stored about the account, as one JSON document with German keys. Secrets are
/// left out (password hash, session and reset tokens); so are the bodies of mails, which may
/// hold a sign-in link.
///
/// # Errors
/// Database errors.
pub async fn export(db: &impl ConnectionTrait, person: &Person) -> AppResult<Value> {
    let user = &account(db, person).await?;
    let names = tenant_names(db).await?;
    let uid = Some(user.id);

    let member = rows(
        memberships::Entity,
        memberships::Column::UserId,
        user.id,
        memberships::Column::Id,
        db,
    )
    .await?;
    let session_rows = rows(
        sessions::Entity,
        sessions::Column::UserId,
        user.id,
        sessions::Column::Id,
        db,
    )
    .await?;
    let posts = rows(
        board_posts::Entity,
        board_posts::Column::UserId,
        user.id,
        board_posts::Column::Id,
        db,
    )
    .await?;
    let comments = rows(
        board_comments::Entity,
        board_comments::Column::UserId,
        user.id,
        board_comments::Column::Id,
        db,
    )
    .await?;
    let supports = rows(
        board_supports::Entity,
        board_supports::Column::UserId,
        user.id,
        board_supports::Column::Id,
        db,
    )
    .await?;
    let follows = rows(
        board_follows::Entity,
        board_follows::Column::UserId,
        user.id,
        board_follows::Column::Id,
        db,
    )
    .await?;
    let reports = rows(
        board_reports::Entity,
        board_reports::Column::UserId,
        user.id,
        board_reports::Column::Id,
        db,
    )
    .await?;
    let bans = rows(
        board_bans::Entity,
        board_bans::Column::UserId,
        user.id,
        board_bans::Column::Id,
        db,
    )
    .await?;
    let member_of = actor_members::Entity::find()
        .filter(actor_members::Column::UserId.eq(user.id))
        .all(db)
        .await?;
    let actor_rows = actors::Entity::find()
        .filter(actors::Column::Id.is_in(member_of.iter().map(|m| m.actor_id)))
        .order_by_asc(actors::Column::Id)
        .all(db)
        .await?;
    let ballots = rows(
        survey_ballots::Entity,
        survey_ballots::Column::UserId,
        user.id,
        survey_ballots::Column::Id,
        db,
    )
    .await?;
    let answered = surveys::Entity::find()
        .filter(surveys::Column::Id.is_in(ballots.iter().map(|b| b.survey_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.title))
        .collect::<HashMap<_, _>>();
    let audit = rows(
        audit_log::Entity,
        audit_log::Column::UserId,
        user.id,
        audit_log::Column::Id,
        db,
    )
    .await?;
    // Open invitations this person sent: the invitee's address is stored because of them.
    let invited = invitations::Entity::find()
        .filter(invitations::Column::InvitedBy.eq(user.id))
        .order_by_asc(invitations::Column::Id)
        .all(db)
        .await?;
    let mails = outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(user.email.as_str()))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?;

    Ok(json!({
        "hinweis": "Alle Daten, die Quartiersnetz zu Ihrem Konto speichert (DSGVO Art. 15 und 20). \
            Antworten auf Umfragen werden ohne Bezug zu einem Konto gespeichert; sie stehen deshalb \
            nicht hier, und niemand kann sie Ihnen zuordnen. Passwort und Anmeldeschlüssel werden \
            nur als nicht umkehrbare Prüfwerte gespeichert und sind nicht enthalten.",
        "erstellt": time(Utc::now()),
        "konto": {
            "id": user.id,
            "email": user.email,
            "anzeigename": user.display_name,
            "registriert": time(user.created_at),
        },
        "mitgliedschaften": member.iter().map(|m| json!({
            "kommune": kommune(&names, m.tenant_id),
            "rolle": m.role,
            "seit": time(m.created_at),
        })).collect::<Vec<_>>(),
        "anmeldungen": session_rows.iter().map(|s| json!({
            "angemeldet": time(s.created_at),
            "gueltig_bis": time(s.expires_at),
        })).collect::<Vec<_>>(),
        "beitraege": posts.iter().map(|p| json!({
            "id": p.id,
            "pinnwand": p.board_id,
            "kommune": kommune(&names, p.tenant_id),
            "art": p.kind,
            "titel": p.title,
            "text": p.body_source.as_deref().unwrap_or(&p.body_html),
            "ort": p.lat.zip(p.lon).map(|(lat, lon)| json!({ "breite": lat, "laenge": lon })),
            "angezeigt_als": p.author_name,
            "status": p.status,
            "moderation": p.moderation,
            "moderationsgrund": p.moderation_reason,
            "erstellt": time(p.created_at),
        })).collect::<Vec<_>>(),
        "kommentare": comments.iter().map(|c| json!({
            "id": c.id,
            "beitrag": c.post_id,
            "text": c.body_html,
            "angezeigt_als": c.author_name,
            "moderation": c.moderation,
            "moderationsgrund": c.moderation_reason,
            "erstellt": time(c.created_at),
        })).collect::<Vec<_>>(),
        "unterstuetzt": supports.iter().map(|s| json!({
            "beitrag": s.post_id,
            "am": time(s.created_at),
        })).collect::<Vec<_>>(),
        "folgt": follows.iter().map(|f| json!({
            "pinnwand": f.board_id,
            "beitrag": f.post_id,
            "seit": time(f.created_at),
        })).collect::<Vec<_>>(),
        "meldungen": reports.iter().map(|r| json!({
            "gemeldet": r.target,
            "id": r.target_id,
            "grund": r.reason,
            "am": time(r.created_at),
            "erledigt": r.resolved_at.map(time),
        })).collect::<Vec<_>>(),
        "sperren": bans.iter().map(|b| json!({
            "kommune": kommune(&names, b.tenant_id),
            "grund": b.reason,
            "bis": b.until.map(time),
            "seit": time(b.created_at),
        })).collect::<Vec<_>>(),
        "akteure": actor_rows.iter().map(|a| json!({
            "id": a.id,
            "name": a.name,
            "kommune": kommune(&names, a.tenant_id),
            "status": a.status.as_str(),
            "aenderung_wartet": a.pending_by == uid,
        })).collect::<Vec<_>>(),
        "umfragen_teilgenommen": ballots.iter().map(|b| json!({
            "umfrage": b.survey_id,
            "titel": answered.get(&b.survey_id),
        })).collect::<Vec<_>>(),
        "protokoll": audit.iter().map(|a| json!({
            "kommune": kommune(&names, a.tenant_id),
            "aktion": a.action,
            "gegenstand": a.subject,
            "angabe": a.detail,
            "am": time(a.created_at),
        })).collect::<Vec<_>>(),
        "einladungen": invited.iter().map(|i| json!({
            "kommune": kommune(&names, i.tenant_id),
            "an": i.email,
            "rolle": i.role,
            "am": time(i.created_at),
            "gueltig_bis": time(i.expires_at),
        })).collect::<Vec<_>>(),
        "mails": mails.iter().map(|m| json!({
            "betreff": m.subject,
            "erstellt": time(m.created_at),
            "gesendet": m.sent_at.map(time),
        })).collect::<Vec<_>>(),
    }))
}
