//! Texts of the account page ("Mein Konto": name, data download, deletion).
//! A new language adds a second static built by the same macro and a branch in [`tk`].

use super::Lang;
use leptos::prelude::*;

macro_rules! texts {
    ($($name:ident = $de:literal),* $(,)?) => {
        pub struct AccountTexts { $(pub $name: &'static str),* }
        pub static DE_ACCOUNT: AccountTexts = AccountTexts { $($name: $de),* };
    };
}

texts! {
    nav_account = "Mein Konto",
    title = "Mein Konto",
    sign_in_first = "Melden Sie sich an, um Ihr Konto zu sehen.",
    facts = "Ihre Angaben",
    email = "E-Mail-Adresse",
    since = "Registriert am",
    roles = "Ihre Rollen",
    roles_none = "Sie sind noch keiner Kommune zugeordnet.",
    col_kommune = "Kommune",
    col_role = "Rolle",
    name_heading = "Anzeigename ändern",
    name_hint = "So erscheinen Sie bei Beiträgen und Kommentaren. Beiträge, die Sie unter Ihrem bisherigen Namen geschrieben haben, zeigen danach den neuen Namen.",
    name_submit = "Namen speichern",
    name_changed = "Ihr Anzeigename ist geändert.",
    data_heading = "Ihre Daten",
    data_intro = "Das speichert Quartiersnetz zu Ihrem Konto:",
    data_none = "Außer Ihren Angaben oben ist nichts gespeichert.",
    data_surveys_note = "Antworten auf Umfragen werden ohne Bezug zu Ihrem Konto gespeichert. Gespeichert ist nur, an welchen Umfragen Sie angemeldet teilgenommen haben, damit niemand zweimal antwortet.",
    data_download = "Alle Daten herunterladen (JSON-Datei)",
    data_download_hint = "Auskunft nach Art. 15 DSGVO, in einem Format, das andere Programme lesen können (Art. 20).",
    count_posts = "Beiträge",
    count_comments = "Kommentare",
    count_supports = "unterstützte Beiträge",
    count_follows = "Pinnwände und Beiträge, denen Sie folgen",
    count_reports = "Meldungen an die Moderation",
    count_actors = "Einträge im Angebotsverzeichnis, die Sie verwalten",
    count_surveys = "Umfragen, an denen Sie teilgenommen haben",
    count_audit = "Einträge im Änderungsprotokoll",
    count_mails = "Benachrichtigungen per E-Mail (30 Tage aufbewahrt)",
    delete_heading = "Konto löschen",
    delete_intro = "Ihr Konto, Ihre Rollen und Anmeldungen, Ihre Abonnements und Teilnahmevermerke werden sofort gelöscht. Ihre Beiträge und Kommentare bleiben stehen, weil andere darauf geantwortet haben, zeigen aber statt Ihres Namens „gelöschtes Konto“. Einträge von Einrichtungen im Angebotsverzeichnis bleiben bestehen; Sie sind dann nicht mehr ihre Verwalterin oder ihr Verwalter.",
    delete_password = "Ihr Passwort zur Bestätigung",
    delete_confirm = "Ich möchte mein Konto endgültig löschen.",
    delete_submit = "Konto endgültig löschen",
    deleted = "Ihr Konto und die Daten dazu sind gelöscht.",
    role_admin = "Verwaltung der Plattform",
    role_planner = "Sozialplanung",
    role_quartier_manager = "Quartiersmanagement",
    role_moderator = "Moderation",
    role_provider = "Anbieter im Angebotsverzeichnis",
    role_resident = "Bewohnerin oder Bewohner",
    role_statistician = "Statistikstelle",
    register_sent = "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Öffnen Sie den Link darin, um Ihr Konto anzulegen; er ist 24 Stunden gültig. Gibt es für die Adresse schon ein Konto, steht in der E-Mail, wie Sie sich anmelden.",
    confirm_title = "Konto anlegen",
    confirm_intro = "Mit einem Klick legen Sie Ihr Konto an und sind danach angemeldet.",
    confirm_submit = "Konto jetzt anlegen",
    confirm_missing = "Dieser Link ist unvollständig. Öffnen Sie den Link aus der E-Mail noch einmal oder registrieren Sie sich neu.",
    welcome = "Willkommen! Ihr Konto ist angelegt und Sie sind angemeldet.",
}

/// The texts in the chosen language (German for now).
pub fn tk() -> &'static AccountTexts {
    match use_context::<Lang>().unwrap_or_default() {
        Lang::De => &DE_ACCOUNT,
    }
}

/// The label of a role key (`planner`, …); unknown keys are shown as they are.
pub fn role_label(role: &str) -> String {
    let t = tk();
    match role {
        "admin" => t.role_admin,
        "planner" => t.role_planner,
        "quartier_manager" => t.role_quartier_manager,
        "moderator" => t.role_moderator,
        "provider" => t.role_provider,
        "resident" => t.role_resident,
        "statistician" => t.role_statistician,
        other => return other.to_owned(),
    }
    .to_owned()
}
