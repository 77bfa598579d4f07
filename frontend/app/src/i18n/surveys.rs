//! Texts of the survey pages around the survey's own words (which the planners write and
//! translate per survey). A new language adds a second static built by the same macro and a
//! branch in [`ts`].

use super::Lang;
use leptos::prelude::*;

macro_rules! texts {
    ($($name:ident = $de:literal),* $(,)?) => {
        pub struct SurveyTexts { $(pub $name: &'static str),* }
        /// German, the base of every other language (`..DE`).
        pub const DE: SurveyTexts = SurveyTexts { $($name: $de),* };
        pub static DE_SURVEYS: SurveyTexts = DE;
    };
}

texts! {
    nav_surveys = "Umfragen",
    list_title = "Umfragen",
    list_intro = "Sagen Sie uns, wie Sie in Ihrem Quartier leben. Ihre Antworten sind anonym.",
    list_empty = "Zurzeit gibt es keine Umfrage.",
    status_draft = "Entwurf",
    status_open = "läuft",
    status_closed = "beendet",
    not_accepting = "nimmt zurzeit keine Antworten an",
    until = "bis",
    responses = "Antworten",
    results_link = "Ergebnisse",
    answer_link = "Teilnehmen",
    manage_link = "Verwalten",
    create_heading = "Neue Umfrage",
    create_title = "Titel",
    create_submit = "Entwurf anlegen",
    version = "Version",
    language_label = "Sprache",
    language_choose = "Andere Sprache wählen",
    privacy_heading = "Datenschutz",
    privacy_default = "Die Umfrage ist anonym. Gespeichert werden nur Ihre Antworten und der Tag, an dem Sie sie abgeschickt haben – kein Name, keine IP-Adresse, kein Gerät. Ergebnisse werden nur für Gruppen ab mehreren Personen gezeigt, damit niemand erkannt werden kann.",
    code_label = "Ihr Teilnahme-Code (steht auf Ihrem Brief)",
    code_hint = "zum Beispiel ABCD-3467",
    start = "Umfrage beginnen",
    resume = "Weiter ausfüllen",
    questions_count = "Fragen",
    closed_text = "Diese Umfrage nimmt keine Antworten mehr an.",
    not_open_text = "Diese Umfrage hat noch nicht begonnen.",
    already_text = "Sie haben diese Umfrage auf diesem Gerät schon beantwortet. Vielen Dank!",
    account_text = "Diese Umfrage ist für angemeldete Bewohnerinnen und Bewohner der Kommune.",
    sign_in = "Anmelden",
    preview_note = "Vorschau: Diese Umfrage ist ein Entwurf. Sie können sie durchgehen; gespeichert wird nichts.",
    step = "Schritt",
    of = "von",
    progress_label = "Fortschritt",
    required = "Pflichtfrage",
    optional_note = "Fragen ohne Stern können Sie auslassen.",
    back = "Zurück",
    next = "Weiter",
    revealed = "Zu Ihrer Antwort gibt es weitere Fragen. Bitte sehen Sie sie sich an.",
    problems_heading = "Bitte prüfen Sie Ihre Antworten",
    other_label = "Sonstiges:",
    number_range = "zwischen",
    and = "und",
    choose = "bitte wählen",
    rank_label = "Platz",
    rank_none = "–",
    rank_hint = "Vergeben Sie Platz 1 für das Wichtigste. Sie müssen nicht alles einordnen.",
    point_hint = "Tippen Sie auf die Karte, um den Ort zu setzen, oder geben Sie die Koordinaten ein.",
    point_lat = "Breitengrad",
    point_lon = "Längengrad",
    point_coords = "Koordinaten eingeben",
    point_address = "Oder eine Adresse in der Nähe",
    point_address_hint = "z. B. „Kalker Hauptstraße 120“. Gespeichert wird nur der Punkt, nicht die Adresse.",
    point_find = "Auf der Karte zeigen",
    point_find_wait = "Die Adresse wird gesucht …",
    point_found = "Gefunden, der Ort ist gesetzt: {}",
    quartier_choose = "Ihr Quartier",
    quartier_map_hint = "Tippen Sie auf Ihr Quartier in der Karte oder wählen Sie es aus der Liste.",
    postcodes_title = "Postleitzahlen der Quartiere",
    postcodes_intro = "Wer in einer Umfrage sein Quartier nicht kennt, kann seine Postleitzahl angeben. Diese Tabelle ordnet jede Postleitzahl den Gebieten zu, die sie berührt. Gehört eine Postleitzahl zu mehreren Quartieren, wählt die Person selbst.",
    postcodes_empty = "Noch keine Postleitzahlen hinterlegt.",
    postcodes_col_postcode = "Postleitzahl",
    postcodes_col_areas = "Gebiete",
    postcodes_upload = "Tabelle ersetzen",
    postcodes_file = "CSV-Datei (Spalten: Postleitzahl; Gebiet)",
    postcodes_text = "oder Zeilen hier einfügen",
    postcodes_format = "Eine Zeile je Paar, z. B. „51103;805“ oder „51103;Kalk“. Das Gebiet wird über seinen Schlüssel oder eindeutigen Namen erkannt. Die ganze Tabelle wird ersetzt, aber nur, wenn alle Zeilen stimmen.",
    postcodes_replace = "Hochladen und ersetzen",
    postcodes_saved = "Die Postleitzahlen wurden gespeichert.",
    postcodes_link = "Postleitzahlen der Quartiere",
    postcode_label = "Oder Ihre Postleitzahl",
    postcode_hint = "Wenn Sie Ihr Quartier nicht kennen: Wir ordnen es über die Postleitzahl zu.",
    postcode_several = "Zu dieser Postleitzahl gehören mehrere Quartiere. Bitte wählen Sie Ihres aus der Liste.",
    postcode_unknown = "Diese Postleitzahl gehört zu keinem Quartier der Umfrage.",
    preview_done = "Vorschau beendet: Es wurde nichts gespeichert.",
    chars_max = "höchstens Zeichen:",
    review_title = "Ihre Antworten prüfen",
    review_intro = "So werden Ihre Antworten gesendet. Sie können jeden Teil noch ändern.",
    review_edit = "Ändern",
    no_answer = "keine Angabe",
    send = "Antworten absenden",
    honeypot = "Bitte dieses Feld leer lassen",
    thanks_title = "Vielen Dank!",
    thanks_default = "Ihre Antworten sind angekommen. Sie helfen uns, das Quartier besser zu machen.",
    thanks_results = "Ergebnisse ansehen",
    offline_saved = "Keine Verbindung: Ihre Antworten sind auf diesem Telefon gespeichert und werden gesendet, sobald Sie wieder online sind.",
    offline_sent = "Ihre gespeicherten Antworten wurden gesendet. Vielen Dank!",
    thanks_link = "Weiter",
    send_failed = "Die Antworten konnten nicht gesendet werden:",
    final_intro = "Sie haben alle Fragen gesehen. Mit „Zurück“ können Sie noch alles ändern. Wenn Sie gerade keine Verbindung haben, bleiben die Antworten auf diesem Telefon und werden später gesendet.",
    results_title = "Ergebnisse",
    results_responses = "Antworten insgesamt",
    results_too_few = "Es gibt noch zu wenige Antworten, um Ergebnisse zu zeigen.",
    results_note = "Gruppen mit weniger als {n} Antworten werden nicht gezeigt (–), damit niemand erkannt werden kann.",
    results_unpublished = "Nur für die Verwaltung sichtbar: Die Ergebnisse sind noch nicht veröffentlicht.",
    col_answer = "Antwort",
    col_count = "Anzahl",
    col_share = "Anteil",
    col_area = "Gebiet",
    col_n = "Antworten",
    col_mean = "Mittelwert",
    total = "Gesamt",
    no_area = "ohne Gebiet",
    by_area = "Nach Gebiet",
    suppressed = "–",
    free_texts = "Freie Antworten",
    free_texts_none = "Keine freigegebenen freien Antworten.",
    text_pending = "wartet auf Prüfung",
    text_approved = "freigegeben",
    text_rejected = "abgelehnt",
    approve = "Freigeben",
    reject = "Ablehnen",
    exports = "Export (nur Planung)",
    export_csv = "Antworten als CSV",
    export_codebook = "Codebuch (CSV)",
    export_json = "Antworten als JSON",
    manage_title = "Umfrage verwalten",
    manage_status = "Stand",
    open_action = "Öffnen",
    close_action = "Schließen",
    draft_action = "Zurück zum Entwurf",
    preview_action = "Vorschau",
    publish_action = "Ergebnisse veröffentlichen",
    unpublish_action = "Veröffentlichung zurückziehen",
    copy_action = "Kopieren",
    version_action = "Neue Version",
    settings_heading = "Einstellungen, Fragen und Texte",
    access_label = "Zugang",
    access_public = "öffentlicher Link (eine Antwort je Gerät)",
    access_codes = "Einmal-Codes (Briefe, Konferenzen)",
    access_residents = "angemeldete Bewohnerinnen und Bewohner",
    opens_label = "Beginn (optional)",
    closes_label = "Ende, letzter Tag (optional)",
    min_group_label = "Kleinste gezeigte Gruppe",
    areas_label = "Zielgebiete (Mehrfachauswahl)",
    structure_label = "Aufbau (JSON: Teile, Fragen, Bedingungen)",
    texts_label = "Texte je Sprache (JSON; de ist Pflicht, de-x-ls ist Leichte Sprache)",
    frozen_note = "Es gibt schon Antworten: Die Fragen sind eingefroren. Texte, Daten und Zugang können Sie ändern; für andere Fragen legen Sie eine neue Version an.",
    save = "Speichern",
    codes_heading = "Einmal-Codes",
    codes_count = "Codes insgesamt / benutzt:",
    codes_new = "Anzahl neuer Codes",
    codes_submit = "Codes erzeugen (CSV-Download, nur einmal sichtbar)",
    pending_texts = "freie Antworten warten auf Prüfung",
    previous_version = "Vorige Version",
    outline_heading = "Fragen",
    section_label = "Teil",
    conditional = "mit Bedingung",
    move_up = "Nach oben",
    move_down = "Nach unten",
    remove = "Entfernen",
    add_question = "Frage hinzufügen",
    edit_question = "Bearbeiten",
    save_question = "Frage speichern",
    condition_custom = "unverändert (im JSON festgelegt)",
    section_condition = "Diesen Teil nur zeigen, wenn",
    section_condition_save = "Bedingung speichern",
    new_section = "neuer Teil",
    new_section_title = "Titel eines neuen Teils",
    kind_label = "Art der Frage",
    question_text = "Frage (Deutsch)",
    question_help = "Hinweis zur Frage (optional)",
    question_options = "Antworten, eine je Zeile (Auswahl, Rangfolge, Skala einer Matrix)",
    question_items = "Zeilen einer Matrix, eine je Zeile",
    question_min = "Kleinster Wert (Zahl, Bewertung; bei Mehrfachauswahl: –)",
    question_max = "Größter Wert (Zahl, Bewertung; bei Mehrfachauswahl: höchstens so viele)",
    question_low = "Beschriftung des kleinsten Werts (Bewertung)",
    question_high = "Beschriftung des größten Werts (Bewertung)",
    question_condition = "Nur zeigen, wenn",
    question_other = "„Sonstiges“ mit Textfeld anbieten (Mehrfachauswahl)",
    always = "immer",
    translate_heading = "Texte und Übersetzungen",
    add_language = "Sprache hinzufügen",
    translation_state = "{n} von {m} Texten übersetzt.",
    translation_waiting = "Befragte sehen diese Sprache erst, wenn alle Texte übersetzt sind; bis dahin fehlt sie in der Sprachauswahl. Die fehlenden Texte sind unten markiert.",
    translation_complete = "Vollständig übersetzt: Befragte können diese Sprache wählen.",
    translation_missing = "noch nicht übersetzt",
    language_offered = "angeboten",
    language_waiting = "noch nicht angeboten",
    language_tag = "Sprache (Kürzel)",
    language_open = "Öffnen",
    translate_hint = "Leere Felder zeigen den deutschen Text. Leichte Sprache hat das Kürzel de-x-ls.",
    to_indicator = "Als Indikator auf die Karte",
    to_indicator_options = "Anteil dieser Antworten je Gebiet",
    to_indicator_key = "Kürzel des Indikators (ein vorhandener bekommt die Werte dazu)",
    to_indicator_name = "Name des Indikators",
    to_indicator_polarity = "Ein hoher Anteil ist …",
    polarity_bad = "ungünstig",
    polarity_good = "günstig",
    polarity_neutral = "weder noch",
    to_indicator_date = "Stichtag (leer: heute)",
    to_indicator_submit = "Werte speichern",
}

/// The language a respondent answers a survey in (its tag), provided by the answering pages:
/// inside them, [`ts`] and [`message`] speak that language where the platform has the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyLang(pub String);

pub fn ts() -> &'static SurveyTexts {
    if let Some(SurveyLang(tag)) = use_context::<SurveyLang>() {
        return super::survey_languages::texts_for(&tag);
    }
    match use_context::<Lang>().unwrap_or_default() {
        Lang::De => &DE_SURVEYS,
    }
}

/// The question types in the builder's order.
pub const KINDS: [&str; 10] = [
    "single_choice",
    "multiple_choice",
    "rating",
    "matrix",
    "number",
    "free_text",
    "date",
    "map_point",
    "ranking",
    "quartier",
];

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "single_choice" => "Einfachauswahl",
        "multiple_choice" => "Mehrfachauswahl",
        "rating" => "Bewertung",
        "matrix" => "Matrix",
        "number" => "Zahl",
        "free_text" => "freier Text",
        "date" => "Datum",
        "map_point" => "Ort auf der Karte",
        "ranking" => "Rangfolge",
        "quartier" => "Ihr Quartier",
        _ => "",
    }
}

pub fn status_label(status: &str) -> &'static str {
    let t = ts();
    match status {
        "open" => t.status_open,
        "closed" => t.status_closed,
        _ => t.status_draft,
    }
}

pub fn access_label(access: &str) -> &'static str {
    let t = ts();
    match access {
        "codes" => t.access_codes,
        "residents" => t.access_residents,
        _ => t.access_public,
    }
}

/// The notice after a successful form (`hinweis=…`).
pub fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "angelegt" => "Der Entwurf ist angelegt. Legen Sie jetzt Fragen und Texte fest.",
        "gespeichert" => "Gespeichert.",
        "geoeffnet" => "Die Umfrage ist geöffnet.",
        "geschlossen" => "Die Umfrage ist geschlossen.",
        "entwurf" => "Die Umfrage ist wieder ein Entwurf.",
        "veroeffentlicht" => "Die Ergebnisse sind veröffentlicht.",
        "zurueckgezogen" => "Die Ergebnisse sind nicht mehr öffentlich.",
        "kopiert" => "Die Kopie ist angelegt.",
        "geprueft" => "Die Entscheidung ist gespeichert.",
        "frage" => "Die Frage ist hinzugefügt.",
        _ => return None,
    })
}

/// The German message of a survey error code (a page's refusal or one answer's problem);
/// `None` for codes of other modules.
pub fn error_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "SURVEY_NOT_OPEN" => "Diese Umfrage hat noch nicht begonnen.",
        "SURVEY_CLOSED" => "Diese Umfrage ist beendet und nimmt keine Antworten mehr an.",
        "CODE_REQUIRED" => "Bitte geben Sie Ihren Teilnahme-Code ein.",
        "CODE_UNKNOWN" => "Diesen Code kennen wir nicht. Bitte prüfen Sie die Schreibweise.",
        "CODE_USED" => "Mit diesem Code wurde schon geantwortet. Jeder Code gilt nur einmal.",
        "ALREADY_ANSWERED" => "Sie haben diese Umfrage auf diesem Gerät schon beantwortet.",
        "ACCOUNT_REQUIRED" => "Bitte melden Sie sich an, um an dieser Umfrage teilzunehmen.",
        "INVALID_ANSWERS" => "Einige Antworten passen nicht. Bitte prüfen Sie die markierten Fragen.",
        "SURVEY_FROZEN" => "Zu dieser Umfrage gibt es schon Antworten. Die Fragen können nur in einer neuen Version geändert werden.",
        "DRAFT_MISSING" => "Ihre begonnenen Antworten sind auf diesem Gerät nicht mehr vorhanden (sie werden nach 24 Stunden gelöscht). Bitte beginnen Sie neu.",
        "ANSWER_REQUIRED" => "Bitte beantworten Sie diese Frage.",
        "UNKNOWN_QUESTION" | "UNKNOWN_OPTION" | "WRONG_TYPE" => "Bitte wählen Sie eine der angebotenen Antworten.",
        "OUT_OF_RANGE" => "Dieser Wert liegt außerhalb des erlaubten Bereichs.",
        "NOT_WHOLE" => "Bitte geben Sie eine ganze Zahl ein.",
        "TOO_LONG" => "Ihre Antwort ist zu lang.",
        "DUPLICATE_OPTION" => "Jeder Platz darf nur einmal vergeben werden.",
        "TOO_MANY_OPTIONS" => "Sie haben mehr Antworten gewählt als erlaubt.",
        "NOT_A_NUMBER" => "Bitte geben Sie eine Zahl ein, zum Beispiel 12 oder 3,5.",
        "NOT_A_DATE" => "Bitte geben Sie ein Datum ein, zum Beispiel 24.12.2026.",
        "INCOMPLETE" => "Bitte geben Sie beide Koordinaten an oder tippen Sie auf die Karte.",
        "UNKNOWN_AREA" => "Dieser Ort liegt nicht im Gebiet der Umfrage.",
        "ADDRESS_UNKNOWN" => "Diese Adresse kennen wir nicht. Bitte prüfen Sie Straße und Hausnummer, oder tippen Sie auf die Karte.",
        "ADDRESS_AMBIGUOUS" => "Diese Adresse gibt es mehrmals. Bitte schreiben Sie die Postleitzahl dazu.",
        "NO_ADDRESS_REGISTER" => "Eine Adresse kann hier nicht gesucht werden. Bitte tippen Sie auf die Karte.",
        "LOCATE_FAILED" => "Die Adresse konnte gerade nicht gesucht werden. Bitte tippen Sie auf die Karte.",
        "NOT_A_POSTCODE" => "Bitte geben Sie eine fünfstellige Postleitzahl ein.",
        "UNKNOWN_POSTCODE" => "Diese Postleitzahl gehört zu keinem Quartier der Umfrage. Bitte wählen Sie Ihr Quartier aus der Liste.",
        "AMBIGUOUS_POSTCODE" => "Zu dieser Postleitzahl gehören mehrere Quartiere. Bitte wählen Sie Ihres aus der Liste.",
        "TEXT_MISSING" => "Ein deutscher Text fehlt (siehe Meldung).",
        "TEXT_UNKNOWN" => "Ein Text gehört zu keiner Frage (Tippfehler im Schlüssel?).",
        "BAD_LANGUAGE" => "Ein Sprachkürzel ist ungültig (z. B. de, en, tr, de-x-ls).",
        "TEXT_TOO_LONG" => "Ein Text ist zu lang.",
        "DUPLICATE_KEY" => "Ein Schlüssel ist doppelt vergeben.",
        "BAD_KEY" => "Schlüssel bestehen aus a–z, 0–9, - und _.",
        "CONDITION_FORWARD" => "Eine Bedingung darf sich nur auf frühere Fragen beziehen.",
        "CONDITION_OPTION_UNKNOWN" => "Eine Bedingung nennt eine Antwort, die es nicht mehr gibt. Ändern Sie zuerst die Bedingung.",
        "KIND_CHANGED" => "Die Art einer Frage kann nicht geändert werden. Entfernen Sie die Frage und legen Sie sie neu an.",
        "NO_SUCH_SECTION" => "Diesen Teil gibt es nicht.",
        "TOO_FEW_OPTIONS" => "Eine Auswahlfrage braucht mindestens zwei Antworten.",
        "DUPLICATE_CODE" => "Ein Antwort-Code ist doppelt vergeben.",
        "BAD_RANGE" => "Ein Wertebereich ist ungültig.",
        "SURVEY_EMPTY" => "Die Umfrage hat keine Frage.",
        "UNKNOWN_KIND" => "Diese Art von Frage gibt es nicht.",
        "NO_SUCH_QUESTION" => "Diese Frage gibt es nicht (mehr).",
        "QUESTION_REFERENCED" => "Eine spätere Frage hängt von dieser ab (Bedingung). Entfernen Sie zuerst die Bedingung.",
        _ => return None,
    })
}

/// A survey error (in the survey's language on the answering pages), else the general one.
pub fn message(code: &str) -> &'static str {
    match use_context::<SurveyLang>() {
        Some(SurveyLang(tag)) => message_in(&tag, code),
        None => error_message(code).unwrap_or_else(|| super::error_message(code)),
    }
}

/// A survey error in a survey language (German where there is no translation); for the
/// browser's own checks, which run outside the page's context.
pub fn message_in(tag: &str, code: &str) -> &'static str {
    super::survey_languages::message_for(tag, code)
        .or_else(|| error_message(code))
        .unwrap_or_else(|| super::error_message(code))
}
