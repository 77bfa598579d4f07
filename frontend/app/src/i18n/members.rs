//! Texts of the administration page (people and roles of a tenant) and of the invitation page.
//! A new language adds a second static built by the same macro and a branch in [`tm`].

use super::Lang;
use leptos::prelude::*;

macro_rules! texts {
    ($($name:ident = $de:literal),* $(,)?) => {
        pub struct MemberTexts { $(pub $name: &'static str),* }
        pub static DE_MEMBERS: MemberTexts = MemberTexts { $($name: $de),* };
    };
}

texts! {
    nav = "Benutzer und Rollen",
    title = "Benutzer und Rollen",
    intro = "Hier vergeben Sie die Rollen der Verwaltung: wer Sozialplanung, Quartiersmanagement, Moderation, Anbieterverwaltung oder die Statistikstelle übernimmt. Bewohnerinnen und Bewohner ordnen sich bei der Registrierung selbst einer Kommune zu.",
    invite_heading = "Person einladen oder Rolle vergeben",
    invite_hint = "Hat die Adresse schon ein Konto, erhält es die Rolle sofort und die Person eine Nachricht. Sonst geht eine Einladung hinaus; mit ihrem Link legt die Person ihr Konto an (14 Tage gültig).",
    email = "E-Mail-Adresse",
    role = "Rolle",
    invite_submit = "Rolle vergeben",
    people_heading = "Wer hat welche Rolle",
    people_empty = "Noch niemand hat hier eine Rolle.",
    residents = "Bewohnerinnen und Bewohner, die diese Kommune als ihre gewählt haben:",
    col_person = "Person",
    col_roles = "Rollen",
    col_access = "Zugang",
    active = "aktiv",
    suspended = "gesperrt",
    suspended_hint = "Gesperrt: Die Rollen bleiben eingetragen, gelten aber nicht, bis Sie den Zugang wieder freigeben.",
    revoke = "entziehen",
    suspend = "Zugang sperren",
    restore = "Zugang freigeben",
    you = "(Sie)",
    invitations_heading = "Offene Einladungen",
    col_valid = "gültig bis",
    withdraw = "zurückziehen",
    log_heading = "Protokoll der Rollenänderungen",
    log_empty = "Noch keine Änderungen.",
    col_when = "Wann",
    col_what = "Was",
    col_who = "Durch",
    nobody = "gelöschtes Konto",
    act_granted = "Rolle vergeben",
    act_revoked = "Rolle entzogen",
    act_suspended = "Zugang gesperrt",
    act_restored = "Zugang freigegeben",
    act_invited = "eingeladen",
    act_withdrawn = "Einladung zurückgezogen",
    act_accepted = "Einladung angenommen",
    saved_granted = "Die Rolle ist vergeben; die Person hat eine Nachricht per E-Mail erhalten.",
    saved_invited = "Die Einladung ist verschickt. Sie steht unten, bis die Person ihr Konto angelegt hat.",
    saved_revoked = "Die Rolle ist entzogen.",
    saved_suspended = "Der Zugang ist gesperrt. Die Rollen gelten ab sofort nicht mehr.",
    saved_restored = "Der Zugang ist wieder freigegeben.",
    saved_withdrawn = "Die Einladung ist zurückgezogen; ihr Link gilt nicht mehr.",
    accept_title = "Einladung annehmen",
    accept_intro = "Sie sind eingeladen, in {kommune} mitzuarbeiten, mit der Rolle „{rolle}“. Legen Sie dafür Ihr Konto an:",
    accept_submit = "Konto anlegen und Einladung annehmen",
    accept_missing = "Dieser Link ist unvollständig, abgelaufen oder die Einladung wurde zurückgezogen. Bitten Sie die Person, die Sie eingeladen hat, um eine neue Einladung.",
    accepted = "Willkommen! Ihr Konto ist angelegt und Ihre Rolle gilt ab sofort.",
    accepted_existing = "Für Ihre Adresse gab es schon ein Konto: Die Rolle ist ihm zugeordnet. Melden Sie sich an.",
    err_last_admin = "Die letzte Administration der Kommune kann ihre Rolle nicht verlieren. Geben Sie die Rolle vorher einer zweiten Person.",
    err_own_account = "Ihren eigenen Zugang können Sie nicht sperren.",
    err_not_grantable = "Diese Rolle wählt jede Person selbst bei der Registrierung.",
    err_no_such_role = "Die Person hat diese Rolle nicht (mehr).",
    err_already_suspended = "Der Zugang ist schon gesperrt.",
    err_not_suspended = "Der Zugang ist nicht gesperrt.",
}

/// The texts in the chosen language (German for now).
pub fn tm() -> &'static MemberTexts {
    match use_context::<Lang>().unwrap_or_default() {
        Lang::De => &DE_MEMBERS,
    }
}

/// The German text of an administration refusal, by its code.
pub fn error_message(code: &str) -> Option<&'static str> {
    let t = tm();
    Some(match code {
        "LAST_ADMIN" => t.err_last_admin,
        "OWN_ACCOUNT" => t.err_own_account,
        "NOT_GRANTABLE" => t.err_not_grantable,
        "NO_SUCH_ROLE" => t.err_no_such_role,
        "ALREADY_SUSPENDED" => t.err_already_suspended,
        "NOT_SUSPENDED" => t.err_not_suspended,
        _ => return None,
    })
}

/// The log's words for an action key.
pub fn action_label(action: &str) -> &'static str {
    let t = tm();
    match action {
        "member.granted" => t.act_granted,
        "member.revoked" => t.act_revoked,
        "member.suspended" => t.act_suspended,
        "member.restored" => t.act_restored,
        "member.invited" => t.act_invited,
        "member.withdrawn" => t.act_withdrawn,
        _ => t.act_accepted,
    }
}
