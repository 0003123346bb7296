//! Console accounts: roles, argon2id password hashes, the [`axum_login`] backend that signs
//! people in, and the [`tower_sessions`] store that keeps their sessions in the Koers database.
//!
//! - Passwords are hashed with argon2id (OWASP parameters: 19 MiB, 2 passes) into PHC strings;
//!   verification runs on a blocking thread so a sign-in never stalls the server.
//! - A session remembers the user id and a hash of the password hash: changing a password ends
//!   every other session; a deactivated account is signed out on its next request; a changed role
//!   applies on the next request (the user is read from the database every time).

mod sessions;

pub use sessions::SessionStore;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::fmt;
use store::{Store, StoreError, UserRecord};

/// What an account may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees the console: ingestion health, goals, events, uploads, alerts.
    Viewer,
    /// Also changes targets, baselines, events and annotations, and uploads data.
    Editor,
    /// Also manages accounts, sources, runs and alerts, and reads the audit log.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Reads a stored or typed name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signed-in (or signing-in) console user.
#[derive(Clone)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// What the user may do.
    pub role: Role,
    password_hash: String,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the hash.
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl User {
    /// Whether the user has at least `role`.
    pub fn can(&self, role: Role) -> bool {
        self.role >= role
    }

    fn from_record(r: UserRecord) -> Result<Self, AuthError> {
        let role = Role::parse(&r.role).ok_or_else(|| {
            AuthError::Store(StoreError::Corrupt(format!(
                "user {} has an unknown role {:?}",
                r.username, r.role
            )))
        })?;
        Ok(Self {
            id: r.id,
            username: r.username,
            role,
            password_hash: r.password_hash,
        })
    }
}

impl axum_login::AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

/// Errors of signing in and of managing accounts.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A new username or password is not acceptable; the text says why.
    #[error("{0}")]
    Invalid(String),
    /// Hashing failed (should not happen with valid parameters).
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The blocking hashing task was cancelled.
    #[error("password hashing was interrupted")]
    Interrupted,
}

/// The shortest password accepted (NCSC and NIST advise length over composition rules).
pub const MIN_PASSWORD_LEN: usize = 12;
/// The longest password accepted (hashing very long inputs is a denial-of-service vector).
pub const MAX_PASSWORD_LEN: usize = 256;

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended argon2id configuration: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a username: 2 to 64 letters, digits, `.`, `-`, `_` or `@`.
pub fn validate_username(username: &str) -> Result<(), AuthError> {
    let ok_len = (2..=64).contains(&username.chars().count());
    let ok_chars = username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if ok_len && ok_chars {
        Ok(())
    } else {
        Err(AuthError::Invalid(
            "a username is 2 to 64 letters, digits, dots, hyphens, underscores or @".into(),
        ))
    }
}

/// Checks a new password's length.
pub fn validate_password(password: &str) -> Result<(), AuthError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(AuthError::Invalid(format!(
            "a password needs at least {MIN_PASSWORD_LEN} characters (a few words make a good one)"
        )));
    }
    if n > MAX_PASSWORD_LEN {
        return Err(AuthError::Invalid(format!(
            "a password has at most {MAX_PASSWORD_LEN} characters"
        )));
    }
    Ok(())
}

/// Hashes a password with argon2id and a random salt into a PHC string.
pub async fn hash_password(password: &str) -> Result<String, AuthError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AuthError::Hash(e.to_string()))
    })
    .await
    .map_err(|_| AuthError::Interrupted)?
}

/// Whether `password` matches the PHC `hash` (parameters are read from the hash).
pub async fn verify_password(password: &str, hash: &str) -> Result<bool, AuthError> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| AuthError::Hash(e.to_string()))?;
        Ok(argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|_| AuthError::Interrupted)?
}

/// A PHC hash of a random password, verified against when the username is unknown so that a
/// wrong username takes as long as a wrong password.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Creates an account after checking the username and password.
pub async fn create_user(
    store: &Store,
    username: &str,
    password: &str,
    role: Role,
) -> Result<User, AuthError> {
    validate_username(username)?;
    validate_password(password)?;
    let hash = hash_password(password).await?;
    let record = store.insert_user(username, &hash, role.as_str()).await?;
    User::from_record(record)
}

/// Sets a new password for an account.
pub async fn set_password(store: &Store, user_id: i64, password: &str) -> Result<(), AuthError> {
    validate_password(password)?;
    let hash = hash_password(password).await?;
    store.set_password_hash(user_id, &hash).await?;
    Ok(())
}

/// What a sign-in form sends.
#[derive(Clone, serde::Deserialize)]
pub struct Credentials {
    /// Sign-in name.
    pub username: String,
    /// Password as typed.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// The [`axum_login`] backend: accounts in the Koers store.
#[derive(Clone, Debug)]
pub struct Backend {
    store: Store,
}

impl Backend {
    /// A backend over `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

impl axum_login::AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, AuthError> {
        if creds.password.chars().count() > MAX_PASSWORD_LEN {
            return Ok(None);
        }
        let record = self.store.find_user(creds.username.trim()).await?;
        let Some(record) = record.filter(|r| r.active) else {
            let dummy = match DUMMY_HASH.get() {
                Some(h) => h.clone(),
                None => {
                    let h = hash_password("koers-unknown-user-placeholder").await?;
                    DUMMY_HASH.get_or_init(|| h).clone()
                }
            };
            verify_password(&creds.password, &dummy).await?;
            return Ok(None);
        };
        if verify_password(&creds.password, &record.password_hash).await? {
            User::from_record(record).map(Some)
        } else {
            Ok(None)
        }
    }

    async fn get_user(&self, id: &i64) -> Result<Option<User>, AuthError> {
        match self.store.get_user(*id).await {
            Ok(r) if r.active => User::from_record(r).map(Some),
            Ok(_) | Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The session of a request, as axum handlers extract it.
pub type AuthSession = axum_login::AuthSession<Backend>;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let a = hash_password("correct horse battery").await.unwrap();
        let b = hash_password("correct horse battery").await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &a).await.unwrap());
        assert!(!verify_password("correct horse batterY", &a).await.unwrap());
    }

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(Role::Admin > Role::Editor && Role::Editor > Role::Viewer);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn weak_input_is_refused_with_a_reason() {
        assert!(
            validate_password("short")
                .unwrap_err()
                .to_string()
                .contains("12")
        );
        assert!(validate_password(&"x".repeat(300)).is_err());
        assert!(validate_username("a b").is_err());
        assert!(validate_username("x").is_err());
        assert!(validate_username("anna.de-vries@bzk").is_ok());
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let c = Credentials {
            username: "anna".into(),
            password: "hunter2hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
