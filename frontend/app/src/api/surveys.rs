//! Data of the survey pages: the list of a Kommune, the answering pages (start, one section
//! per page, review, thanks), results, and the builders' page. Survey texts are plain text.

use super::{AreaLink, MapConfig, TenantSummary};
use qn_domain::surveys::Question;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyCard {
    pub id: i32,
    pub title: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    /// `public`, `codes` or `residents`.
    pub access: String,
    /// Accepting answers right now (open and within its dates).
    pub accepting: bool,
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub version: i32,
    /// Shown to the tenant's staff only.
    pub responses: Option<u64>,
    pub results_published: bool,
}

/// `/kommune/{slug}/umfragen`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveysData {
    pub tenant: TenantSummary,
    pub surveys: Vec<SurveyCard>,
    pub can_manage: bool,
}

/// A language a survey can be answered in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LanguageLink {
    pub tag: String,
    /// The language's name in itself ("Türkçe").
    pub name: String,
    /// For the builder: how many of the German texts the language has, of all. Respondents
    /// are offered a language only when it is complete.
    pub translated: usize,
    pub total: usize,
}

/// What every answering page shows about its survey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyHead {
    pub id: i32,
    pub title: String,
    /// The language of the texts (BCP 47) and its direction.
    pub lang: String,
    pub rtl: bool,
    pub tenant: TenantSummary,
}

/// `/umfrage/{id}`: introduction, privacy notice, language, code, start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyStartData {
    pub head: SurveyHead,
    pub intro: Option<String>,
    pub privacy: Option<String>,
    pub languages: Vec<LanguageLink>,
    pub access: String,
    pub accepting: bool,
    /// Why not: `SURVEY_NOT_OPEN`, `SURVEY_CLOSED`, `ALREADY_ANSWERED`, `ACCOUNT_REQUIRED`.
    pub refusal: Option<String>,
    pub closes: Option<String>,
    pub results_published: bool,
    pub can_manage: bool,
    /// A draft of this survey is in progress on this device: "continue" instead of "start".
    pub in_progress: Option<u32>,
    pub questions: usize,
    pub status: String,
}

/// One question as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub question: Question,
    pub text: String,
    pub help: Option<String>,
    /// Options (or the scale of a matrix): key and label.
    pub options: Vec<(String, String)>,
    /// Matrix items: key and label.
    pub items: Vec<(String, String)>,
    /// Labels of a rating's ends.
    pub low: Option<String>,
    pub high: Option<String>,
    /// The form fields of the current answer (or of what was typed, after an error).
    pub values: Vec<(String, String)>,
    /// Error code of this question's answer.
    pub error: Option<String>,
    /// Shown only once an earlier answer on this page matches (the server decides again after
    /// sending; the browser decides at once).
    pub hidden: bool,
}

/// One section of the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    /// 1-based, for the URL.
    pub number: usize,
    pub title: Option<String>,
    pub questions: Vec<QuestionView>,
}

/// `/umfrage/{id}/seite/{n}`. Every section is in the page, the current one shown: without
/// JavaScript each page is sent to the server; with it the browser pages through the rest
/// itself, so a survey begun online can be finished offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveySectionData {
    pub head: SurveyHead,
    /// The current section's number (1-based).
    pub number: usize,
    /// Its place among the sections shown to this respondent, and how many there are.
    pub step: usize,
    pub steps: usize,
    pub sections: Vec<SectionView>,
    /// Areas for a Quartier question.
    pub quartiere: Vec<AreaLink>,
    /// Boundaries under a map-point question.
    pub polygons_url: Option<String>,
    /// Boundaries of the Quartier choices' level, to pick one on the map.
    pub quartier_map_url: Option<String>,
    /// Postcode → Quartier choices as JSON, when the Kommune keeps a postcode table: residents
    /// may type their postcode instead of picking (the browser resolves it offline too).
    pub postcodes_json: Option<String>,
    pub map: MapConfig,
    /// Walking through a draft as its builder: nothing is stored at the end.
    pub preview: bool,
    /// The survey's structure as JSON, for the browser's checks (the same rules as the server).
    pub survey_json: String,
    /// The respondent's one-time code (they typed it), sent with the response from the browser.
    pub code: Option<String>,
    /// Questions that appeared after the last send (an answer on this page opened them).
    pub revealed: bool,
}

/// One answer on the review page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewSection {
    pub number: usize,
    pub title: Option<String>,
    pub lines: Vec<ReviewLine>,
}

/// `/umfrage/{id}/abschluss`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyReviewData {
    pub head: SurveyHead,
    pub sections: Vec<ReviewSection>,
    pub steps: usize,
}

/// `/umfrage/{id}/danke`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyThanksData {
    pub head: SurveyHead,
    pub thanks: Option<String>,
    pub results_published: bool,
}

/// A category's count and share in one group; `None` where the group is suppressed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultCell {
    pub count: u64,
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultGroup {
    /// `None`: all respondents (the total row) or without area.
    pub area: Option<AreaLink>,
    pub n: Option<u64>,
    pub cells: Vec<Option<ResultCell>>,
    pub mean: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResultView {
    pub key: String,
    pub text: String,
    /// `single_choice`, … (from the structure).
    pub kind: String,
    /// The categories (options, scale values, `item: option`), labelled.
    pub categories: Vec<String>,
    pub total: ResultGroup,
    pub areas: Vec<ResultGroup>,
    /// Reviewed free-text answers (for staff: all, with their state and id).
    pub texts: Vec<FreeTextView>,
    /// Choice questions can be saved as an indicator: their options (key, label).
    pub options: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FreeTextView {
    pub id: i32,
    pub body: String,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
}

/// `/umfrage/{id}/ergebnisse`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyResultsData {
    pub head: SurveyHead,
    pub responses: Option<u64>,
    /// Responses per area (`None` area: without one; `None` count: suppressed).
    pub by_area: Vec<(Option<AreaLink>, Option<u64>)>,
    pub min_group: u64,
    pub questions: Vec<QuestionResultView>,
    pub is_staff: bool,
    pub can_review: bool,
    pub can_export: bool,
    /// May save results as indicator values (planners, admins).
    pub can_map: bool,
    pub published: bool,
}

/// `/umfrage/{id}/verwaltung`: settings, structure and texts as JSON, codes, exports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyManageData {
    pub head: SurveyHead,
    pub card: SurveyCard,
    pub structure_json: String,
    pub texts_json: String,
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub min_group: u64,
    pub areas: Vec<AreaLink>,
    pub selected_areas: Vec<i32>,
    pub codes_total: u64,
    pub codes_used: u64,
    pub frozen: bool,
    pub previous_id: Option<i32>,
    pub can_export: bool,
    pub pending_texts: u64,
    /// Sections and questions, for the builder's list.
    pub outline: Vec<OutlineSection>,
    /// Conditions a new question can have: `question=option` and its label.
    pub conditions: Vec<(String, String)>,
    pub languages: Vec<LanguageLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutlineSection {
    pub number: usize,
    pub title: Option<String>,
    /// `question=option`, `=keep` (set in the JSON editor), or empty: always shown.
    pub condition: String,
    pub questions: Vec<OutlineQuestion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutlineQuestion {
    pub key: String,
    pub text: String,
    pub kind: String,
    pub required: bool,
    pub conditional: bool,
    pub form: QuestionFormData,
}

/// A question's builder form, filled in (labels one per line, numbers as typed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionFormData {
    pub kind: String,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub options: String,
    pub items: String,
    pub min: String,
    pub max: String,
    pub low: String,
    pub high: String,
    pub other: bool,
    /// `question=option`, `=keep` (set in the JSON editor), or empty.
    pub condition: String,
}

/// One text of a survey in the translation table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextRow {
    pub key: String,
    pub german: String,
    pub value: String,
    /// Several lines (introduction, privacy notice, thanks).
    pub long: bool,
    pub required: bool,
}

/// `/umfrage/{id}/texte?sprache=…`: every text of the survey in German and one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyTextsData {
    pub head: SurveyHead,
    pub lang: String,
    pub lang_name: String,
    pub languages: Vec<LanguageLink>,
    pub rows: Vec<TextRow>,
}
