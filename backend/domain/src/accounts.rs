//! Account input rules: e-mail addresses, passwords and display names as parsed newtypes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountInputError {
    #[error("Bitte geben Sie eine gültige E-Mail-Adresse ein.")]
    InvalidEmail,
    #[error("Das Passwort muss mindestens {min} Zeichen lang sein.")]
    PasswordTooShort { min: usize },
    #[error("Das Passwort darf höchstens {max} Zeichen lang sein.")]
    PasswordTooLong { max: usize },
    #[error("Der Anzeigename muss 1 bis {max} Zeichen lang sein und darf keine Steuerzeichen enthalten.")]
    InvalidDisplayName { max: usize },
}

impl AccountInputError {
    /// A stable code for forms and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidEmail => "INVALID_EMAIL",
            Self::PasswordTooShort { .. } => "PASSWORD_TOO_SHORT",
            Self::PasswordTooLong { .. } => "PASSWORD_TOO_LONG",
            Self::InvalidDisplayName { .. } => "INVALID_DISPLAY_NAME",
        }
    }
}

/// A normalised (trimmed, lower-case) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// # Errors
    /// [`AccountInputError::InvalidEmail`] unless the input looks like `local@domain.tld`.
    pub fn parse(input: &str) -> Result<Self, AccountInputError> {
        let s = input.trim().to_lowercase();
        let valid = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(Self(s))
        } else {
            Err(AccountInputError::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that satisfies the policy (length only, as NIST SP 800-63B and BSI recommend).
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    /// # Errors
    /// When the password is shorter than [`Self::MIN_CHARS`] or longer than [`Self::MAX_CHARS`].
    pub fn parse(input: &str) -> Result<Self, AccountInputError> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(AccountInputError::PasswordTooShort {
                min: Self::MIN_CHARS,
            });
        }
        if n > Self::MAX_CHARS {
            return Err(AccountInputError::PasswordTooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The name shown next to what a person writes.
/// How many things of each kind are stored for an account (the account page's overview of
/// what the download holds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCounts {
    pub posts: u64,
    pub comments: u64,
    pub supports: u64,
    pub follows: u64,
    pub reports: u64,
    pub actors: u64,
    pub surveys_answered: u64,
    pub audit_entries: u64,
    pub mails: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 80;

    /// # Errors
    /// When empty after trimming, too long, or containing control characters.
    pub fn parse(input: &str) -> Result<Self, AccountInputError> {
        // A name shown to others must not reorder what follows it.
        let cleaned: String = input
            .chars()
            .filter(|c| !crate::text::is_bidi_control(*c))
            .collect();
        let s = cleaned.trim();
        let n = s.chars().count();
        if n == 0 || n > Self::MAX_CHARS || s.chars().any(char::is_control) {
            return Err(AccountInputError::InvalidDisplayName {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Anna.Muster@Koeln.DE ").map(|e| e.0),
            Ok("anna.muster@koeln.de".to_owned())
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@koeln.de",
            "a@b",
            "a b@c.de",
            "a@b..de",
            "a@@b.de",
        ] {
            assert_eq!(
                Email::parse(bad),
                Err(AccountInputError::InvalidEmail),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords() {
        assert!(Password::parse("kurz").is_err());
        assert!(Password::parse("lang genug!").is_ok());
        assert!(Password::parse(&"x".repeat(257)).is_err());
        // Characters, not bytes, count.
        assert!(Password::parse("äöüäöüäöüä").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("geheim-geheim").ok()),
            "Some(Password(***))"
        );
    }

    #[test]
    fn display_names() {
        assert_eq!(DisplayName::parse(" Anna ").map(|d| d.0), Ok("Anna".into()));
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0}b").is_err());
        assert!(DisplayName::parse(&"a".repeat(81)).is_err());
    }
}
