//! Staff accounts: usernames and the password rule. (Who may do what is in `workflow`.)

use serde::{Deserialize, Serialize};
use std::fmt;

/// 3 to 32 lowercase letters, digits, `.`, `_` or `-`, starting with a letter.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a username is 3-32 lowercase letters, digits, '.', '_' or '-', starting with a letter")]
pub struct UsernameError;

impl Username {
    /// Case and surrounding spaces are forgiven: `Siti.V ` is `siti.v`.
    pub fn parse(input: &str) -> Result<Self, UsernameError> {
        let name = input.trim().to_lowercase();
        let ok = (3..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        if ok { Ok(Self(name)) } else { Err(UsernameError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Username({})", self.0)
    }
}

string_conversions!(Username: UsernameError);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PasswordError {
    #[error("a password has at least 12 characters")]
    TooShort,
    #[error("a password has at most 128 characters")]
    TooLong,
    /// All one character, or the username itself.
    #[error("a password must not be guessable from the account")]
    Guessable,
}

/// A new password, checked against the rule; never printed.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;

    pub fn parse(input: &str, username: &Username) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > 128 {
            return Err(PasswordError::TooLong);
        }
        let first = input.chars().next().unwrap_or_default();
        if input.chars().all(|c| c == first) || input.to_lowercase().contains(username.as_str()) {
            return Err(PasswordError::Guessable);
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_plain_and_lowercase() {
        assert_eq!(Username::parse(" Siti.V ").unwrap().as_str(), "siti.v");
        for bad in ["", "ab", "1siti", "siti v", "siti@dinsos", &"a".repeat(33), "<script>"] {
            assert_eq!(Username::parse(bad), Err(UsernameError), "{bad}");
        }
    }

    #[test]
    fn passwords_are_long_and_not_the_username() {
        let siti = Username::parse("siti").unwrap();
        assert!(NewPassword::parse("kuda-lari-di-pantai", &siti).is_ok());
        assert_eq!(NewPassword::parse("pendek", &siti).unwrap_err(), PasswordError::TooShort);
        assert_eq!(NewPassword::parse("aaaaaaaaaaaaaaaa", &siti).unwrap_err(), PasswordError::Guessable);
        assert_eq!(NewPassword::parse("Siti-1234567890", &siti).unwrap_err(), PasswordError::Guessable);
        assert_eq!(NewPassword::parse(&"x1".repeat(65), &siti).unwrap_err(), PasswordError::TooLong);
        assert_eq!(format!("{:?}", NewPassword::parse("kuda-lari-di-pantai", &siti).unwrap()), "NewPassword(…)");
    }
}
