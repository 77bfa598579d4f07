//! Texts of the participation pages (boards, posts, moderation). A new language adds a second
//! static built by the same macro and a branch in [`tb`].

use super::Lang;
use leptos::prelude::*;

macro_rules! texts {
    ($($name:ident = $de:literal),* $(,)?) => {
        pub struct BoardTexts { $(pub $name: &'static str),* }
        pub static DE_BOARDS: BoardTexts = BoardTexts { $($name: $de),* };
    };
}

texts! {
    nav_boards = "Beteiligung",
    boards_title = "Beteiligung",
    boards_intro = "Sagen Sie, was Ihnen in Ihrem Quartier auffällt: Ideen, Sorgen, Fragen und Lob. Die Verwaltung antwortet öffentlich.",
    boards_empty = "Hier gibt es noch keine Pinnwand.",
    board_posts = "Beiträge",
    board_closed = "geschlossen",
    board_anonymous = "ohne Konto möglich",
    board_accounts = "nur mit Konto",
    board_premoderated = "erste Beiträge werden vorab geprüft",
    create_board = "Neue Pinnwand",
    board_title = "Titel",
    board_topic = "Thema (optional)",
    board_area = "Quartier (optional)",
    board_area_none = "ganze Kommune",
    board_rules = "Regeln",
    board_anonymous_label = "Beiträge ohne Konto unter einem gewählten Namen erlauben",
    board_premoderate_label = "Erste Beiträge vor der Veröffentlichung prüfen",
    board_closed_label = "Geschlossen (keine neuen Beiträge)",
    create = "Anlegen",
    tags_heading = "Handlungsfelder",
    tag_name = "Neues Handlungsfeld",
    add = "Hinzufügen",
    moderation_link = "Moderation",
    rules_heading = "Regeln dieser Pinnwand",
    filter_legend = "Beiträge filtern und sortieren",
    sort_label = "Sortierung",
    sort_newest = "Neueste zuerst",
    sort_supported = "Meiste Unterstützung",
    sort_status = "Nach Bearbeitungsstand",
    kind_label = "Art",
    status_label = "Stand",
    tag_label = "Handlungsfeld",
    all = "alle",
    apply = "Anzeigen",
    background_label = "Hintergrund der Karte",
    background_none = "nur Gebietsgrenzen",
    list_heading = "Beiträge",
    list_empty = "Noch keine Beiträge. Schreiben Sie den ersten!",
    count_supports = "Unterstützungen",
    count_comments = "Kommentare",
    answered_badge = "beantwortet",
    held_badge = "wartet auf Freigabe",
    hidden_badge = "ausgeblendet",
    hidden_by_moderation = "Ausgeblendet durch die Moderation",
    page_prev = "Vorherige Seite",
    page_next = "Nächste Seite",
    page_of = "Seite",
    map_posts_label = "Karte der Beiträge",
    map_posts_hint = "Punkte sind Beiträge mit einem Ort. Alle Beiträge stehen auch in der Liste.",
    new_post = "Neuer Beitrag",
    new_post_closed = "Diese Pinnwand ist geschlossen.",
    new_post_login = "Bitte melden Sie sich an, um hier zu schreiben.",
    post_title = "Überschrift",
    post_body = "Ihr Beitrag",
    post_body_hint = "Leerzeilen trennen Absätze. Erlaubt sind Hervorhebungen, Listen und Links.",
    display_name = "Angezeigter Name",
    display_name_hint = "Ein Name Ihrer Wahl; er wird öffentlich angezeigt.",
    place_legend = "Ort (optional)",
    place_hint = "Klicken Sie in die Karte, geben Sie eine Adresse ein, oder Breite und Länge.",
    place_address = "Adresse",
    place_address_hint = "z. B. „Kalker Hauptstraße 120, 51103 Köln“; ohne Punkt auf der Karte wird der Ort aus der Adresse bestimmt.",
    lat = "Breite",
    lon = "Länge",
    send = "Veröffentlichen",
    follow = "Folgen",
    unfollow = "Nicht mehr folgen",
    follow_hint = "Sie bekommen eine E-Mail, wenn die Verwaltung antwortet.",
    export_csv = "Alle Beiträge als CSV",
    export_geojson = "Beiträge mit Ort als GeoJSON",
    by = "von",
    on_date = "am",
    edited = "bearbeitet",
    areas_label = "Ort",
    answer_heading = "Antwort der Verwaltung",
    support = "Unterstützen",
    supported = "Sie unterstützen diesen Beitrag",
    withdraw = "Unterstützung zurückziehen",
    comments_heading = "Kommentare",
    comments_empty = "Noch keine Kommentare.",
    comment_label = "Ihr Kommentar",
    reply = "Antworten",
    reply_label = "Ihre Antwort",
    comment_send = "Kommentieren",
    report = "Melden",
    report_reason = "Grund der Meldung",
    report_send = "Meldung absenden",
    moderate_heading = "Moderation",
    moderation_reason = "Grund",
    hide = "Ausblenden",
    show = "Wieder einblenden",
    approve = "Freigeben",
    dismiss = "Meldungen erledigt",
    ban = "Autor sperren",
    ban_days = "Tage (leer: unbefristet)",
    answer_form = "Antworten und Stand setzen",
    answer_text = "Antwort",
    save = "Speichern",
    edit_heading = "Beitrag bearbeiten",
    history_heading = "Frühere Fassungen",
    history_by_author = "vom Autor",
    history_by_moderation = "von der Moderation",
    queue_title = "Moderation",
    queue_intro = "Gemeldete und zurückgehaltene Beiträge und Kommentare dieser Kommune.",
    queue_empty = "Nichts zu tun: keine Meldungen, nichts zurückgehalten.",
    queue_reports = "Meldungen",
    queue_held = "Zurückgehalten",
    queue_open = "Zum Beitrag",
    comment_word = "Kommentar",
    post_word = "Beitrag",
    bans_heading = "Sperren",
    bans_empty = "Niemand ist gesperrt.",
    until = "bis",
    forever = "unbefristet",
    lift = "Aufheben",
    words_heading = "Wortfilter",
    words_hint = "Ein Eintrag pro Zeile. Beiträge mit diesen Wörtern werden zurückgehalten. Ein * am Ende trifft alle Wörter, die so beginnen.",
    audit_heading = "Protokoll",
    audit_empty = "Noch keine Einträge.",
    col_when = "Zeit",
    col_action = "Aktion",
    col_subject = "Gegenstand",
    col_detail = "Details",
}

pub fn tb() -> &'static BoardTexts {
    match use_context::<Lang>().unwrap_or_default() {
        Lang::De => &DE_BOARDS,
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "idea" => "Idee",
        "concern" => "Sorge",
        "question" => "Frage",
        "praise" => "Lob",
        _ => "Beitrag",
    }
}

pub const KINDS: [&str; 4] = ["idea", "concern", "question", "praise"];
pub const STATUSES: [&str; 6] = [
    "new",
    "in_review",
    "answered",
    "in_conference",
    "implemented",
    "declined",
];

pub fn status_label(status: &str) -> &'static str {
    match status {
        "new" => "neu",
        "in_review" => "in Prüfung",
        "answered" => "beantwortet",
        "in_conference" => "in der Sozialraumkonferenz",
        "implemented" => "umgesetzt",
        "declined" => "abgelehnt",
        _ => "",
    }
}

/// The notice after a successful form (`hinweis=…`).
pub fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "angelegt" => "Die Pinnwand ist angelegt.",
        "gespeichert" => "Gespeichert.",
        "erstellt" => "Ihr Beitrag ist veröffentlicht.",
        "wartet" => "Danke! Ihr Beitrag wird geprüft und erscheint nach der Freigabe.",
        "kommentiert" => "Ihr Kommentar ist veröffentlicht.",
        "kommentar-wartet" => "Danke! Ihr Kommentar wird geprüft und erscheint nach der Freigabe.",
        "unterstuetzt" => "Sie unterstützen diesen Beitrag.",
        "zurueckgezogen" => "Ihre Unterstützung ist zurückgezogen.",
        "folgt" => "Sie folgen jetzt. Sie bekommen eine E-Mail, wenn die Verwaltung antwortet.",
        "entfolgt" => "Sie folgen nicht mehr.",
        "gemeldet" => "Danke, die Moderation sieht sich das an.",
        "moderiert" => "Die Moderation ist gespeichert.",
        "erledigt" => "Die Meldungen sind erledigt.",
        "gesperrt" => "Der Autor ist gesperrt.",
        "aufgehoben" => "Die Sperre ist aufgehoben.",
        "beantwortet" => "Antwort und Stand sind gespeichert.",
        "geaendert" => "Der Beitrag ist geändert.",
        _ => return None,
    })
}

/// The German message of a boards error code; `None` for codes of other modules.
pub fn error_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "TITLE_MISSING" => "Bitte geben Sie eine Überschrift ein.",
        "TITLE_TOO_LONG" => "Die Überschrift darf höchstens 150 Zeichen lang sein.",
        "BODY_MISSING" => "Bitte schreiben Sie einen Text.",
        "BODY_TOO_LONG" => "Der Text darf höchstens 10.000 Zeichen lang sein.",
        "DISPLAY_NAME_INVALID" => "Bitte geben Sie einen Namen mit 1 bis 60 Zeichen an.",
        "REASON_INVALID" => "Bitte geben Sie einen Grund mit 1 bis 500 Zeichen an.",
        "ACCOUNT_REQUIRED" => "Auf dieser Pinnwand können nur angemeldete Personen schreiben und unterstützen.",
        "BOARD_CLOSED" => "Diese Pinnwand ist geschlossen.",
        "BANNED" => "Sie sind in dieser Kommune für Beiträge gesperrt.",
        "ALREADY_SUPPORTED" => "Sie haben diesen Beitrag schon unterstützt.",
        "NESTED_REPLY" => "Auf eine Antwort kann nicht geantwortet werden.",
        "POINT_OUTSIDE" => "Der Ort liegt nicht in dieser Kommune.",
        "ADDRESS_UNKNOWN" => "Diese Adresse steht nicht im Adressverzeichnis der Kommune. Bitte prüfen Sie Straße und Hausnummer, oder setzen Sie den Punkt auf der Karte.",
        "ADDRESS_AMBIGUOUS" => "Diese Adresse gibt es mehrmals. Bitte geben Sie die Postleitzahl mit an.",
        "ADDRESS_LOOKUP_FAILED" => "Die Adresse konnte gerade nicht gesucht werden. Bitte versuchen Sie es gleich noch einmal, oder setzen Sie den Punkt auf der Karte.",
        "NO_ADDRESS_REGISTER" => "Diese Kommune führt noch kein Adressverzeichnis. Bitte setzen Sie den Punkt auf der Karte oder geben Sie Breite und Länge an.",
        "TOO_MANY" => "Sie haben in kurzer Zeit sehr viel geschrieben. Bitte versuchen Sie es in einer Stunde erneut.",
        "HIDDEN" => "Dieser Beitrag ist ausgeblendet.",
        "UNKNOWN_VALUE" => "Bitte wählen Sie einen der angebotenen Werte.",
        _ => return None,
    })
}
