//! The one place where domain errors become API errors with a stable code. Database and other
//! internal errors are logged here and reach clients only as `INTERNAL`.

use qn_domain::accounts::AccountInputError;

/// Stable error codes shared by GraphQL, form handlers and the UI's translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    NotFound,
    Forbidden,
    Unauthenticated,
    Validation,
    Conflict,
    RateLimited,
    InvalidCredentials,
    InvalidToken,
    TooLarge,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "NOT_FOUND",
            Self::Forbidden => "FORBIDDEN",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Validation => "VALIDATION",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::TooLarge => "TOO_LARGE",
            Self::Internal => "INTERNAL",
        }
    }
}

/// An error a service returns. Variants are outcomes a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("nicht gefunden")]
    NotFound,
    #[error("keine Berechtigung")]
    Forbidden,
    #[error("bitte zuerst anmelden")]
    Unauthenticated,
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    Input(AccountInputError),
    #[error("{0}")]
    Board(qn_domain::boards::BoardError),
    #[error("{0}")]
    Survey(qn_domain::surveys::Refusal),
    #[error("{0}")]
    Member(qn_domain::members::MemberError),
    /// Every problem of a directory entry, each with its German message.
    #[error("{}", entry_messages(.0))]
    Entry(Vec<qn_domain::directory::EntryError>),
    #[error("{0}")]
    Conflict(String),
    #[error("zu viele Versuche, bitte später erneut versuchen")]
    RateLimited,
    #[error("E-Mail-Adresse oder Passwort ist falsch")]
    InvalidCredentials,
    #[error("der Link ist ungültig oder abgelaufen")]
    InvalidToken,
    #[error("interner Fehler")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound => ErrorCode::NotFound,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::Validation(_) | Self::Input(_) | Self::Entry(_) => ErrorCode::Validation,
            Self::Board(e) => board_code(e),
            Self::Survey(e) => survey_code(e),
            Self::Member(e) => member_code(e),
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::RateLimited => ErrorCode::RateLimited,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The message a client may see; internal details are logged instead.
    pub fn public_message(&self) -> String {
        if let Self::Internal(e) = self {
            tracing::error!(error = %e, "internal error");
        }
        self.to_string()
    }

    /// The most specific code: the input rule that failed, else the general code.
    pub fn detail_code(&self) -> &'static str {
        match self {
            Self::Input(e) => e.code(),
            Self::Board(e) => e.code(),
            Self::Survey(e) => e.code(),
            Self::Member(e) => e.code(),
            Self::Entry(list) => list.first().map_or("VALIDATION", |e| e.code()),
            e => e.code().as_str(),
        }
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }
}

fn entry_messages(list: &[qn_domain::directory::EntryError]) -> String {
    list.iter()
        .map(qn_domain::directory::EntryError::german)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refusals of the boards module: a state (closed, banned, too fast) or bad input.
fn board_code(e: &qn_domain::boards::BoardError) -> ErrorCode {
    use qn_domain::boards::BoardError as B;
    match e {
        B::BoardClosed | B::Banned | B::AccountRequired => ErrorCode::Forbidden,
        B::AlreadySupported => ErrorCode::Conflict,
        B::TooMany => ErrorCode::RateLimited,
        _ => ErrorCode::Validation,
    }
}

/// Refusals of the administration: a role that is not granted, or a change that would lock
/// the tenant out.
fn member_code(e: &qn_domain::members::MemberError) -> ErrorCode {
    use qn_domain::members::MemberError as M;
    match e {
        M::NotGrantable => ErrorCode::Validation,
        M::NoSuchRole => ErrorCode::NotFound,
        _ => ErrorCode::Conflict,
    }
}

/// Refusals of the surveys module: the survey's state or access mode, or bad input.
fn survey_code(e: &qn_domain::surveys::Refusal) -> ErrorCode {
    use qn_domain::surveys::Refusal as R;
    match e {
        R::NotOpen | R::Closed => ErrorCode::Forbidden,
        R::AccountRequired => ErrorCode::Unauthenticated,
        R::CodeUsed | R::AlreadyAnswered | R::Frozen | R::KeyReused => ErrorCode::Conflict,
        _ => ErrorCode::Validation,
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::internal(e)
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(e) => Self::internal(e),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

impl From<AccountInputError> for AppError {
    fn from(e: AccountInputError) -> Self {
        Self::Input(e)
    }
}

impl From<qn_domain::members::MemberError> for AppError {
    fn from(e: qn_domain::members::MemberError) -> Self {
        Self::Member(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
