//! Participation boards: the words (kinds, statuses, moderation states), the rules a post,
//! comment or report must meet, the word filter, and when a post waits for a moderator.
//! Storage, sanitising of rich text and transport live in the server.

pub mod export;
pub mod words;

use serde::{Deserialize, Serialize};

pub use words::WordFilter;

/// Longest title of a post, in characters.
pub const TITLE_MAX: usize = 150;
/// Longest body of a post or comment as typed, in characters (before sanitising).
pub const BODY_MAX: usize = 10_000;
/// Longest chosen display name on an anonymous board.
pub const DISPLAY_NAME_MAX: usize = 60;
/// Longest reason of a report, a moderation decision or a ban.
pub const REASON_MAX: usize = 500;
/// New posts per account or device and hour; more are refused.
pub const POSTS_PER_HOUR: u64 = 5;
/// New comments per account or device and hour.
pub const COMMENTS_PER_HOUR: u64 = 20;
/// Reports per account or device and hour.
pub const REPORTS_PER_HOUR: u64 = 20;

/// What a resident says with a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PostKind {
    Idea,
    Concern,
    Question,
    Praise,
}

str_enum!(PostKind, BoardError, BoardError::UnknownValue, {
    Idea => "idea",
    Concern => "concern",
    Question => "question",
    Praise => "praise",
});

/// Where the administration stands with a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PostStatus {
    New,
    InReview,
    Answered,
    /// Taken into a Sozialraumkonferenz as a project idea.
    InConference,
    Implemented,
    Declined,
}

str_enum!(PostStatus, BoardError, BoardError::UnknownValue, {
    New => "new",
    InReview => "in_review",
    Answered => "answered",
    InConference => "in_conference",
    Implemented => "implemented",
    Declined => "declined",
});

/// Whether a post or comment is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Moderation {
    Visible,
    /// Held for a moderator (first post on a pre-moderated board, word filter).
    Pending,
    /// Hidden by a moderator; the page shows the reason in its place.
    Hidden,
}

str_enum!(Moderation, BoardError, BoardError::UnknownValue, {
    Visible => "visible",
    Pending => "pending",
    Hidden => "hidden",
});

/// Who may post on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Access {
    /// Signed-in accounts only.
    Accounts,
    /// Also without an account, under a chosen display name.
    Anonymous,
}

str_enum!(Access, BoardError, BoardError::UnknownValue, {
    Accounts => "accounts",
    Anonymous => "anonymous",
});

/// What a report or a moderation step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Post,
    Comment,
}

str_enum!(Target, BoardError, BoardError::UnknownValue, {
    Post => "post",
    Comment => "comment",
});

/// Why a board action is refused. Each variant has a stable code for the API and the UI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoardError {
    #[error("unbekannter Wert: {0}")]
    UnknownValue(String),
    #[error("der Titel fehlt")]
    TitleMissing,
    #[error("der Titel ist länger als {TITLE_MAX} Zeichen")]
    TitleTooLong,
    #[error("der Text fehlt")]
    BodyMissing,
    #[error("der Text ist länger als {BODY_MAX} Zeichen")]
    BodyTooLong,
    #[error("bitte einen Anzeigenamen mit 1 bis {DISPLAY_NAME_MAX} Zeichen angeben")]
    DisplayNameInvalid,
    #[error("bitte einen Grund mit 1 bis {REASON_MAX} Zeichen angeben")]
    ReasonInvalid,
    #[error("auf dieser Pinnwand können nur angemeldete Personen schreiben")]
    AccountRequired,
    #[error("diese Pinnwand ist geschlossen")]
    BoardClosed,
    #[error("Sie sind in dieser Kommune gesperrt")]
    Banned,
    #[error("Sie haben diesen Beitrag schon unterstützt")]
    AlreadySupported,
    #[error("auf eine Antwort kann nicht geantwortet werden")]
    NestedReply,
    #[error("der Punkt liegt in keinem Gebiet dieser Kommune")]
    PointOutside,
    #[error("diese Kommune führt kein Adressverzeichnis; bitte den Punkt auf der Karte setzen")]
    NoAddressRegister,
    #[error("zu viele Beiträge in kurzer Zeit, bitte später erneut versuchen")]
    TooMany,
    #[error("der Beitrag ist ausgeblendet")]
    Hidden,
}

impl BoardError {
    /// The stable code (API `code`, UI translation key).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownValue(_) => "UNKNOWN_VALUE",
            Self::TitleMissing => "TITLE_MISSING",
            Self::TitleTooLong => "TITLE_TOO_LONG",
            Self::BodyMissing => "BODY_MISSING",
            Self::BodyTooLong => "BODY_TOO_LONG",
            Self::DisplayNameInvalid => "DISPLAY_NAME_INVALID",
            Self::ReasonInvalid => "REASON_INVALID",
            Self::AccountRequired => "ACCOUNT_REQUIRED",
            Self::BoardClosed => "BOARD_CLOSED",
            Self::Banned => "BANNED",
            Self::AlreadySupported => "ALREADY_SUPPORTED",
            Self::NestedReply => "NESTED_REPLY",
            Self::PointOutside => "POINT_OUTSIDE",
            Self::NoAddressRegister => "NO_ADDRESS_REGISTER",
            Self::TooMany => "TOO_MANY",
            Self::Hidden => "HIDDEN",
        }
    }
}

/// Trims and checks a title: 1 to [`TITLE_MAX`] characters, control characters become spaces.
///
/// # Errors
/// [`BoardError::TitleMissing`], [`BoardError::TitleTooLong`].
pub fn title(raw: &str) -> Result<String, BoardError> {
    let t = single_line(raw);
    if t.is_empty() {
        Err(BoardError::TitleMissing)
    } else if t.chars().count() > TITLE_MAX {
        Err(BoardError::TitleTooLong)
    } else {
        Ok(t)
    }
}

/// Checks the typed body of a post or comment (its sanitised form is built by the server).
///
/// # Errors
/// [`BoardError::BodyMissing`], [`BoardError::BodyTooLong`].
pub fn body(raw: &str) -> Result<&str, BoardError> {
    let b = raw.trim();
    if b.is_empty() {
        Err(BoardError::BodyMissing)
    } else if b.chars().count() > BODY_MAX {
        Err(BoardError::BodyTooLong)
    } else {
        Ok(b)
    }
}

/// Checks a display name chosen on an anonymous board.
///
/// # Errors
/// [`BoardError::DisplayNameInvalid`].
pub fn display_name(raw: &str) -> Result<String, BoardError> {
    let n = single_line(raw);
    if n.is_empty() || n.chars().count() > DISPLAY_NAME_MAX {
        Err(BoardError::DisplayNameInvalid)
    } else {
        Ok(n)
    }
}

/// Checks the reason of a report, a moderation decision or a ban.
///
/// # Errors
/// [`BoardError::ReasonInvalid`].
pub fn reason(raw: &str) -> Result<String, BoardError> {
    let r = raw.trim();
    if r.is_empty() || r.chars().count() > REASON_MAX {
        Err(BoardError::ReasonInvalid)
    } else {
        Ok(r.to_owned())
    }
}

/// One line of text: control characters (line breaks, tabs, NUL) become spaces, runs of spaces
/// collapse, ends are trimmed; bidirectional overrides go (no spoofed names).
fn single_line(raw: &str) -> String {
    crate::text::single_line(raw)
}

/// What a new post or comment needs to know to decide whether it is shown at once.
#[derive(Debug, Clone, Copy)]
pub struct Admission<'a> {
    /// The board holds first posts for a moderator.
    pub premoderate_first: bool,
    /// The author (account or device) already has a post a moderator let through.
    pub author_known: bool,
    /// The author moderates this tenant (moderators are never held).
    pub author_is_moderator: bool,
    /// The first word of the tenant's filter that the text contains.
    pub filtered_word: Option<&'a str>,
}

/// Shown at once, or held with the reason the moderator sees.
pub fn admit(a: Admission<'_>) -> (Moderation, Option<String>) {
    if a.author_is_moderator {
        return (Moderation::Visible, None);
    }
    if let Some(w) = a.filtered_word {
        return (Moderation::Pending, Some(format!("Wortfilter: „{w}“")));
    }
    if a.premoderate_first && !a.author_known {
        return (Moderation::Pending, Some("erster Beitrag".into()));
    }
    (Moderation::Visible, None)
}

/// Whether `recent` actions in the last hour leave room for one more under `per_hour`.
///
/// # Errors
/// [`BoardError::TooMany`] when the limit is used up.
pub fn within_rate(recent: u64, per_hour: u64) -> Result<(), BoardError> {
    if recent >= per_hour {
        Err(BoardError::TooMany)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for k in PostKind::ALL {
            assert_eq!(k.as_str().parse::<PostKind>(), Ok(k));
        }
        for s in PostStatus::ALL {
            assert_eq!(s.as_str().parse::<PostStatus>(), Ok(s));
        }
        assert_eq!(
            "rant".parse::<PostKind>().map_err(|e| e.code()),
            Err("UNKNOWN_VALUE")
        );
    }

    #[test]
    fn titles_are_one_trimmed_line() {
        assert_eq!(
            title("  Mehr\n\tBänke\u{0}  am Platz "),
            Ok("Mehr Bänke am Platz".into())
        );
        assert_eq!(title(" \n "), Err(BoardError::TitleMissing));
        assert_eq!(
            title(&"ä".repeat(TITLE_MAX)).map(|t| t.chars().count()),
            Ok(TITLE_MAX)
        );
        assert_eq!(
            title(&"ä".repeat(TITLE_MAX + 1)),
            Err(BoardError::TitleTooLong)
        );
    }

    #[test]
    fn bodies_names_and_reasons_have_limits() {
        assert_eq!(body("  "), Err(BoardError::BodyMissing));
        assert_eq!(
            body(&"x".repeat(BODY_MAX + 1)),
            Err(BoardError::BodyTooLong)
        );
        assert_eq!(body(" Text "), Ok("Text"));
        assert_eq!(display_name(""), Err(BoardError::DisplayNameInvalid));
        assert_eq!(
            display_name(&"n".repeat(61)),
            Err(BoardError::DisplayNameInvalid)
        );
        assert_eq!(display_name(" Anwohnerin\nX "), Ok("Anwohnerin X".into()));
        assert_eq!(reason(" "), Err(BoardError::ReasonInvalid));
        assert_eq!(
            reason(&"r".repeat(REASON_MAX + 1)),
            Err(BoardError::ReasonInvalid)
        );
    }

    #[test]
    fn admission_holds_filtered_words_and_unknown_first_posts() {
        let base = Admission {
            premoderate_first: false,
            author_known: false,
            author_is_moderator: false,
            filtered_word: None,
        };
        assert_eq!(admit(base), (Moderation::Visible, None));
        let first = Admission {
            premoderate_first: true,
            ..base
        };
        assert_eq!(admit(first).0, Moderation::Pending);
        assert_eq!(
            admit(Admission {
                author_known: true,
                ..first
            })
            .0,
            Moderation::Visible
        );
        let (m, why) = admit(Admission {
            filtered_word: Some("idiot"),
            author_known: true,
            ..base
        });
        assert_eq!(m, Moderation::Pending);
        assert!(why.is_some_and(|w| w.contains("idiot")));
        assert_eq!(
            admit(Admission {
                author_is_moderator: true,
                filtered_word: Some("idiot"),
                ..first
            })
            .0,
            Moderation::Visible
        );
    }

    #[test]
    fn rate_limit_counts_the_last_hour() {
        assert!(within_rate(POSTS_PER_HOUR - 1, POSTS_PER_HOUR).is_ok());
        assert_eq!(
            within_rate(POSTS_PER_HOUR, POSTS_PER_HOUR),
            Err(BoardError::TooMany)
        );
    }
}
