//! Signatures for texts that travel through a URL and come back to be shown: a form handler
//! that refuses input sends the page the refusal's detail (`meldung`) in the redirect, and the
//! page shows it only when its signature verifies, so a link cannot make a page show any text
//! as an official notice.

use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

pub struct Signer {
    key: [u8; 32],
}

impl Signer {
    /// From the configured secret (hashed to a key), or a random key for this process.
    #[must_use]
    pub fn new(secret: Option<&str>) -> Self {
        let key = match secret.filter(|s| !s.is_empty()) {
            Some(s) => Sha256::digest(s.as_bytes()).into(),
            None => {
                let mut k = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut k);
                k
            }
        };
        Self { key }
    }

    fn mac(&self, purpose: &str, text: &str) -> HmacSha256 {
        // A fresh MAC over a fixed key cannot fail (HMAC takes keys of any length).
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        // The purpose and the text are length-prefixed, so no split of one is the other's.
        mac.update(&(purpose.len() as u64).to_be_bytes());
        mac.update(purpose.as_bytes());
        mac.update(text.as_bytes());
        mac
    }

    /// A URL-safe signature of `text` for `purpose` (e.g. the error code it explains).
    #[must_use]
    pub fn sign(&self, purpose: &str, text: &str) -> String {
        let tag = self.mac(purpose, text).finalize().into_bytes();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&tag[..18])
    }

    /// Whether `signature` is this key's signature of `text` (compared in constant time).
    #[must_use]
    pub fn verify(&self, purpose: &str, text: &str, signature: &str) -> bool {
        let Ok(tag) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        tag.len() == 18 && self.mac(purpose, text).verify_truncated_left(&tag).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Signer;

    #[test]
    fn signatures_bind_text_purpose_and_key() {
        let s = Signer::new(Some("geheim"));
        let sig = s.sign("INVALID_ROW", "Zeile 3: Datum fehlt");
        assert!(s.verify("INVALID_ROW", "Zeile 3: Datum fehlt", &sig));
        assert!(!s.verify("INVALID_ROW", "Zeile 3: Datum fehlt!", &sig));
        assert!(!s.verify("OTHER", "Zeile 3: Datum fehlt", &sig));
        assert!(!s.verify("INVALID_ROW", "Zeile 3: Datum fehlt", "AAAA"));
        assert!(!s.verify("INVALID_ROW", "Zeile 3: Datum fehlt", "kein base64 %"));
        assert!(!Signer::new(Some("anderes")).verify("INVALID_ROW", "Zeile 3: Datum fehlt", &sig));
        // Two instances with the same secret agree.
        assert!(Signer::new(Some("geheim")).verify("INVALID_ROW", "Zeile 3: Datum fehlt", &sig));
        // Without a secret each process has its own key.
        assert!(!Signer::new(None).verify("INVALID_ROW", "Zeile 3: Datum fehlt", &sig));
    }
}
