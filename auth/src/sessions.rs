//! A [`tower_sessions::SessionStore`] over the Koers store: records as JSON in the `sessions`
//! table, on SQLite and PostgreSQL alike. Expired records are never loaded and are removed by
//! [`SessionStore::delete_expired`] (the server calls it periodically).

use store::Store;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, Error};

/// Console sessions kept in the Koers database.
#[derive(Clone, Debug)]
pub struct SessionStore {
    store: Store,
}

impl SessionStore {
    /// A session store over `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, store::StoreError> {
        self.store.delete_expired_sessions(store::now_ms()).await
    }
}

fn backend(e: store::StoreError) -> Error {
    Error::Backend(e.to_string())
}

fn expiry_ms(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

fn encode(record: &Record) -> Result<String, Error> {
    serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl session_store::SessionStore for SessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        loop {
            let data = encode(record)?;
            let created = self
                .store
                .create_session(&record.id.to_string(), &data, expiry_ms(record))
                .await
                .map_err(backend)?;
            if created {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.store
            .save_session(&record.id.to_string(), &encode(record)?, expiry_ms(record))
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = self
            .store
            .load_session(&id.to_string(), store::now_ms())
            .await
            .map_err(backend)?;
        data.map(|d| serde_json::from_str(&d).map_err(|e| Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .delete_session(&id.to_string())
            .await
            .map_err(backend)
    }
}
