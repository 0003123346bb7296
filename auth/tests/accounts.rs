//! Accounts, sign-in and session records against a real database (SQLite, or PostgreSQL when
//! `KOERS_TEST_DATABASE_URL` is set).
#![allow(clippy::unwrap_used, reason = "a failing test may panic")]

use auth::{Backend, Credentials, Role, SessionStore, create_user, set_password};
use axum_login::AuthnBackend;
use testkit::TestDb;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore as _;

fn creds(username: &str, password: &str) -> Credentials {
    Credentials {
        username: username.into(),
        password: password.into(),
    }
}

#[tokio::test]
async fn sign_in_checks_the_password_and_the_account_state() {
    let db = TestDb::new().await;
    let store = db.store().clone();
    let anna = create_user(&store, "anna", "lange zin als wachtwoord", Role::Editor)
        .await
        .unwrap();
    let stored = store.get_user(anna.id).await.unwrap();
    assert!(
        stored.password_hash.starts_with("$argon2id$"),
        "never plain text"
    );
    assert!(!stored.password_hash.contains("lange zin"));

    let backend = Backend::new(store.clone());
    let ok = backend
        .authenticate(creds("anna", "lange zin als wachtwoord"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((ok.id, ok.role), (anna.id, Role::Editor));
    assert!(
        backend
            .authenticate(creds("anna", "wrong password!!"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        backend
            .authenticate(creds("nobody", "lange zin als wachtwoord"))
            .await
            .unwrap()
            .is_none()
    );

    // A taken name is refused; a weak password too, and nothing is stored.
    let again = create_user(&store, "anna", "another long password", Role::Viewer).await;
    assert!(again.unwrap_err().to_string().contains("already"));
    assert!(
        create_user(&store, "bob", "short", Role::Viewer)
            .await
            .is_err()
    );
    assert!(store.find_user("bob").await.unwrap().is_none());

    // A new password replaces the old one.
    set_password(&store, anna.id, "een heel ander wachtwoord")
        .await
        .unwrap();
    assert!(
        backend
            .authenticate(creds("anna", "lange zin als wachtwoord"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        backend
            .authenticate(creds("anna", "een heel ander wachtwoord"))
            .await
            .unwrap()
            .is_some()
    );

    // A deactivated account can neither sign in nor keep its session.
    store.update_user(anna.id, "editor", false).await.unwrap();
    assert!(
        backend
            .authenticate(creds("anna", "een heel ander wachtwoord"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(backend.get_user(&anna.id).await.unwrap().is_none());
}

#[tokio::test]
async fn session_records_round_trip_and_expire() {
    let db = TestDb::new().await;
    let sessions = SessionStore::new(db.store().clone());
    let mut record = Record {
        id: Id::default(),
        data: [("k".to_owned(), serde_json::json!({"user_id": 7}))].into(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    sessions.create(&mut record).await.unwrap();
    let loaded = sessions.load(&record.id).await.unwrap().unwrap();
    assert_eq!(loaded.data, record.data);

    record.data.insert("more".into(), serde_json::json!(1));
    sessions.save(&record).await.unwrap();
    assert_eq!(
        sessions.load(&record.id).await.unwrap().unwrap().data.len(),
        2
    );

    let mut old = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() - time::Duration::seconds(1),
    };
    sessions.create(&mut old).await.unwrap();
    assert!(
        sessions.load(&old.id).await.unwrap().is_none(),
        "expired sessions never load"
    );
    assert_eq!(sessions.delete_expired().await.unwrap(), 1);

    sessions.delete(&record.id).await.unwrap();
    assert!(sessions.load(&record.id).await.unwrap().is_none());
}
