//! Random secrets handed to a browser in a cookie (draft keys, staff sessions). The browser
//! holds the token; the database holds only its SHA-256, so a copy of the table cannot be
//! turned into someone's cookie.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 256 random bits, base64url. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(…)")
    }
}

impl SecretToken {
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::random();
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A cookie value that has the shape of a token; anything else is no token at all.
    pub fn parse(value: &str) -> Option<Self> {
        let decoded = URL_SAFE_NO_PAD.decode(value).ok()?;
        (decoded.len() == 32).then(|| Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_well_formed_values_parse() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(SecretToken::parse(a.as_str()), Some(a.clone()));
        for bad in ["", "abc", "../../etc/passwd", &"A".repeat(44), &format!("{}=", a.as_str())] {
            assert_eq!(SecretToken::parse(bad), None, "{bad}");
        }
        assert_eq!(format!("{a:?}"), "SecretToken(…)");
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.as_str());
    }
}
