//! Why a survey, an answer or a response is refused, in German for the respondent.

use super::*;

/// What is wrong with the structure of a survey (for the builder).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error("key {0:?} is used twice")]
    DuplicateKey(String),
    #[error("key {0:?} is empty or has characters other than a-z, 0-9, _ and -")]
    BadKey(String),
    #[error("{0}: a condition may only refer to an earlier question, not {1:?}")]
    ConditionForward(String, String),
    #[error("{0}: a choice question needs at least two options")]
    TooFewOptions(String),
    #[error("{0}: option code {1} is used twice")]
    DuplicateCode(String, i32),
    #[error("{0}: the smallest value is above the largest")]
    BadRange(String),
    #[error("the survey has no question")]
    Empty,
    #[error("{0}: the condition names option {2:?}, which question {1:?} does not have")]
    UnknownConditionOption(String, String, String),
}

impl SurveyError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::DuplicateKey(_) => "DUPLICATE_KEY",
            Self::BadKey(_) => "BAD_KEY",
            Self::ConditionForward(..) => "CONDITION_FORWARD",
            Self::TooFewOptions(_) => "TOO_FEW_OPTIONS",
            Self::DuplicateCode(..) => "DUPLICATE_CODE",
            Self::BadRange(_) => "BAD_RANGE",
            Self::Empty => "SURVEY_EMPTY",
            Self::UnknownConditionOption(..) => "CONDITION_OPTION_UNKNOWN",
        }
    }
}

/// What is wrong with one answer. A person can act on each of these, except the forged ones
/// (`UnknownQuestion`, `UnknownOption`, `WrongType`), which no form produces.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("an answer is required")]
    Required,
    #[error("no such question")]
    UnknownQuestion,
    #[error("no such option: {0:?}")]
    UnknownOption(String),
    #[error("the answer does not fit the question")]
    WrongType,
    #[error("outside the allowed range")]
    OutOfRange,
    #[error("a whole number is needed")]
    NotWhole,
    #[error("longer than {0} characters")]
    TooLong(usize),
    #[error("an option is given twice")]
    Duplicate,
    #[error("at most {0} options")]
    TooMany(usize),
    #[error("not a number")]
    NotANumber,
    #[error("not a date (YYYY-MM-DD or DD.MM.YYYY)")]
    NotADate,
    #[error("only part of the answer is given")]
    Incomplete,
    #[error("not one of the survey's areas")]
    UnknownArea,
    #[error("not a five-digit postcode")]
    NotAPostcode,
    #[error("no Quartier of the survey has this postcode")]
    UnknownPostcode,
    #[error("the postcode belongs to several Quartiere; pick one")]
    AmbiguousPostcode,
    #[error("the address is not in the Kommune's address register")]
    AddressUnknown,
    #[error("the address is in the register several times; add the postcode")]
    AddressAmbiguous,
    #[error("the Kommune keeps no address register; set the point on the map")]
    NoAddressRegister,
    #[error("the address could not be looked up just now")]
    AddressLookupFailed,
}

impl AnswerError {
    /// Every code [`Self::code`] gives, so that a page can carry the message of each one for
    /// the checks in the browser.
    pub const CODES: [&'static str; 20] = [
        "ANSWER_REQUIRED",
        "UNKNOWN_QUESTION",
        "UNKNOWN_OPTION",
        "WRONG_TYPE",
        "OUT_OF_RANGE",
        "NOT_WHOLE",
        "TOO_LONG",
        "DUPLICATE_OPTION",
        "TOO_MANY_OPTIONS",
        "NOT_A_NUMBER",
        "NOT_A_DATE",
        "INCOMPLETE",
        "UNKNOWN_AREA",
        "NOT_A_POSTCODE",
        "UNKNOWN_POSTCODE",
        "AMBIGUOUS_POSTCODE",
        "ADDRESS_UNKNOWN",
        "ADDRESS_AMBIGUOUS",
        "NO_ADDRESS_REGISTER",
        "LOCATE_FAILED",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "ANSWER_REQUIRED",
            Self::UnknownQuestion => "UNKNOWN_QUESTION",
            Self::UnknownOption(_) => "UNKNOWN_OPTION",
            Self::WrongType => "WRONG_TYPE",
            Self::OutOfRange => "OUT_OF_RANGE",
            Self::NotWhole => "NOT_WHOLE",
            Self::TooLong(_) => "TOO_LONG",
            Self::Duplicate => "DUPLICATE_OPTION",
            Self::TooMany(_) => "TOO_MANY_OPTIONS",
            Self::NotANumber => "NOT_A_NUMBER",
            Self::NotADate => "NOT_A_DATE",
            Self::Incomplete => "INCOMPLETE",
            Self::UnknownArea => "UNKNOWN_AREA",
            Self::NotAPostcode => "NOT_A_POSTCODE",
            Self::UnknownPostcode => "UNKNOWN_POSTCODE",
            Self::AmbiguousPostcode => "AMBIGUOUS_POSTCODE",
            Self::AddressUnknown => "ADDRESS_UNKNOWN",
            Self::AddressAmbiguous => "ADDRESS_AMBIGUOUS",
            Self::NoAddressRegister => "NO_ADDRESS_REGISTER",
            Self::AddressLookupFailed => "LOCATE_FAILED",
        }
    }
}

/// Why a survey refuses a response or a change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("the survey is not open yet")]
    NotOpen,
    #[error("the survey is closed and accepts no more answers")]
    Closed,
    #[error("this survey is answered with a one-time code")]
    CodeRequired,
    #[error("the code is not valid for this survey")]
    CodeUnknown,
    #[error("the code has already been used")]
    CodeUsed,
    #[error("this survey has already been answered from this account or device")]
    AlreadyAnswered,
    /// An idempotency key sent again with other answers: a client bug or a forged replay; the
    /// first response stands.
    #[error("this idempotency key was already used for other answers")]
    KeyReused,
    #[error("sign in as a resident of this Kommune to answer")]
    AccountRequired,
    #[error("{} answer(s) do not fit their question", .0.len())]
    Answers(Vec<(String, AnswerError)>),
    #[error("{0}")]
    Structure(SurveyError),
    #[error("{0}")]
    Texts(texts::TextError),
    #[error("the survey has responses; its questions can only change in a new version")]
    Frozen,
    #[error("no answers in progress on this device (they are kept for 24 hours)")]
    NoDraft,
    #[error("{0}")]
    Build(builder::BuildError),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotOpen => "SURVEY_NOT_OPEN",
            Self::Closed => "SURVEY_CLOSED",
            Self::CodeRequired => "CODE_REQUIRED",
            Self::CodeUnknown => "CODE_UNKNOWN",
            Self::CodeUsed => "CODE_USED",
            Self::AlreadyAnswered => "ALREADY_ANSWERED",
            Self::KeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::AccountRequired => "ACCOUNT_REQUIRED",
            Self::Answers(_) => "INVALID_ANSWERS",
            Self::Structure(e) => e.code(),
            Self::Texts(e) => e.code(),
            Self::Frozen => "SURVEY_FROZEN",
            Self::NoDraft => "DRAFT_MISSING",
            Self::Build(e) => e.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AnswerError;

    #[test]
    fn every_answer_code_is_listed() {
        use AnswerError::*;
        let all = [
            Required,
            UnknownQuestion,
            UnknownOption(String::new()),
            WrongType,
            OutOfRange,
            NotWhole,
            TooLong(1),
            Duplicate,
            TooMany(1),
            NotANumber,
            NotADate,
            Incomplete,
            UnknownArea,
            NotAPostcode,
            UnknownPostcode,
            AmbiguousPostcode,
            AddressUnknown,
            AddressAmbiguous,
            NoAddressRegister,
            AddressLookupFailed,
        ];
        let codes: Vec<&str> = all.iter().map(AnswerError::code).collect();
        assert_eq!(codes, AnswerError::CODES);
    }
}
