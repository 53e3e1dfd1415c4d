//! API keys: `rf_<id>_<secret>`. The id is public (it names the key in listings and the
//! audit log, and finds its row); the secret is 32 random bytes, shown once when the key
//! is made and stored only as an argon2id hash, so a copy of the database opens nothing.

use std::fmt;
use std::str::FromStr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use rand::rngs::OsRng;

const PREFIX: &str = "rf_";
/// Lowercase base32 (RFC 4648's letters and digits): 32 symbols, so each takes 5 bits
/// of a random byte without bias, and no `_` to confuse the split.
const ID_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// 50 random bits: enough that two keys of one database never share an id.
const ID_LEN: usize = 10;
const SECRET_BYTES: usize = 32;

/// A key as a caller presents it, read but not yet checked.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentedKey {
    id: String,
    secret: String,
}

// Never print the secret, even in a debug dump.
impl fmt::Debug for PresentedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PresentedKey({PREFIX}{}_…)", self.id)
    }
}

impl PresentedKey {
    /// The key's id: public, the same as in `redflag keys list`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A digest of the secret, to recognise a key already checked without keeping the
    /// secret itself in memory.
    pub fn digest(&self) -> blake3::Hash {
        blake3::hash(self.secret.as_bytes())
    }

    /// Whether the secret is the one `phc` (an argon2id PHC string) was made from.
    /// Deliberately slow (tens of milliseconds): callers cache the answer.
    pub fn matches(&self, phc: &str) -> bool {
        PasswordHash::new(phc).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(self.secret.as_bytes(), &hash)
                .is_ok()
        })
    }
}

impl FromStr for PresentedKey {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let malformed = "an API key looks like rf_<id>_<secret>";
        let (id, secret) = text
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once('_'))
            .ok_or(malformed)?;
        let id_ok = (8..=12).contains(&id.len()) && id.bytes().all(|b| ID_ALPHABET.contains(&b));
        let secret_ok =
            secret.len() == SECRET_BYTES * 2 && secret.bytes().all(|b| b.is_ascii_hexdigit());
        if !id_ok || !secret_ok {
            return Err(malformed);
        }
        Ok(PresentedKey {
            id: id.to_owned(),
            secret: secret.to_ascii_lowercase(),
        })
    }
}

/// A key just made: the text to hand to its user once, and what to store.
pub struct NewKey {
    /// The public id.
    pub id: String,
    /// The whole key, `rf_<id>_<secret>`: shown once, never stored.
    pub text: String,
    /// The argon2id hash of the secret as a PHC string (salt and parameters included).
    pub hash: String,
}

// The key's text is the secret: keep it out of debug output.
impl fmt::Debug for NewKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NewKey({PREFIX}{}_…)", self.id)
    }
}

/// Makes a key from the operating system's random source.
pub fn generate() -> Result<NewKey, String> {
    let mut rng = OsRng;
    let mut id_bytes = [0u8; ID_LEN];
    rng.try_fill_bytes(&mut id_bytes)
        .map_err(|e| format!("the system's random source failed: {e}"))?;
    let id: String = id_bytes
        .iter()
        .map(|b| char::from(ID_ALPHABET[usize::from(b & 31)]))
        .collect();
    let mut secret_bytes = [0u8; SECRET_BYTES];
    rng.try_fill_bytes(&mut secret_bytes)
        .map_err(|e| format!("the system's random source failed: {e}"))?;
    let secret: String = secret_bytes.iter().map(|b| format!("{b:02x}")).collect();
    let salt = SaltString::generate(&mut rng);
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| format!("cannot hash the key: {e}"))?
        .to_string();
    Ok(NewKey {
        text: format!("{PREFIX}{id}_{secret}"),
        id,
        hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_reads_back_and_matches_only_its_own_hash() {
        let key = generate().unwrap();
        assert!(key.hash.starts_with("$argon2id$"), "{}", key.hash);
        assert!(
            !key.hash.contains(&key.text[14..]),
            "the secret is not in the hash"
        );
        let presented: PresentedKey = key.text.parse().unwrap();
        assert_eq!(presented.id(), key.id);
        assert!(presented.matches(&key.hash));
        let other = generate().unwrap();
        assert!(!presented.matches(&other.hash));
        assert!(!presented.matches("not a hash"));
        assert!(!format!("{presented:?}{key:?}").contains(&key.text[14..]));
    }

    #[test]
    fn malformed_keys_are_refused() {
        let secret = "ab".repeat(32);
        for bad in [
            String::new(),
            "rf_".into(),
            format!("xx_abcdefgh_{secret}"),
            format!("rf_abc_{secret}"),
            format!("rf_ABCDEFGH_{secret}"),
            "rf_abcdefgh_short".into(),
            format!("rf_abcdefgh_{secret}zz"),
        ] {
            assert!(bad.parse::<PresentedKey>().is_err(), "{bad}");
        }
        assert!(
            format!("rf_abcdefgh_{secret}")
                .parse::<PresentedKey>()
                .is_ok()
        );
    }
}
