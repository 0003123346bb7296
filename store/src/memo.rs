//! The read memo: what pages, charts and the API read from the store is kept in memory for as
//! long as the data version (`Store::data_version`) stays the same, so a page renders from
//! memory instead of making some forty round trips to the database.
//!
//! - Every write of this process that the data version covers calls `Store::touched` after its
//!   commit: the next read sees the change at once.
//! - Writes of another process (a second replica, `koers ingest` beside `koers serve`) are seen
//!   when the data version is next read from the database, at most `VERSION_TTL` later.
//! - Entries are keyed by the data version they were read under, so an entry from before a change
//!   is never served after it; old entries are dropped when the version moves on.
//! - Only reads with a bounded key space are memoized (no arbitrary moments such as `vintage=`),
//!   and the number of entries is capped.

use crate::{Store, StoreError};
use std::any::Any;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a data version read from the database is trusted when this process wrote nothing:
/// the longest a change made by another process goes unseen.
pub const VERSION_TTL: Duration = Duration::from_secs(1);
/// Most reads kept at once.
const MAX_ENTRIES: u64 = 4_096;

type Entry = Arc<dyn Any + Send + Sync>;

/// The memo shared by every clone of a `Store`.
pub(crate) struct Memo {
    /// Bumped by every local write the data version covers.
    generation: AtomicU64,
    /// The last data version read, the generation it was read under and when.
    version: Mutex<Option<(u64, Instant, String)>>,
    reads: moka::sync::Cache<String, Entry>,
}

impl Default for Memo {
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(0),
            version: Mutex::new(None),
            reads: moka::sync::Cache::new(MAX_ENTRIES),
        }
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .field("entries", &self.reads.entry_count())
            .finish()
    }
}

impl Store {
    /// Says that this process has just committed a change the data version covers: the next
    /// read of the version goes to the database, and nothing read before is served again.
    pub(crate) fn touched(&self) {
        self.memo.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The data version (see `data_version_uncached`), read from the database only after a
    /// local write or when the last reading is older than `VERSION_TTL`.
    pub async fn data_version(&self) -> Result<String, StoreError> {
        let generation = self.memo.generation.load(Ordering::Acquire);
        if let Some((g, at, version)) = &*self.lock_version()
            && *g == generation
            && at.elapsed() < VERSION_TTL
        {
            return Ok(version.clone());
        }
        // Read after taking the generation: a write committed meanwhile bumps it, and the next
        // call reads again.
        let version = self.data_version_uncached().await?;
        let mut known = self.lock_version();
        if known.as_ref().is_some_and(|(_, _, v)| *v != version) {
            self.memo.reads.invalidate_all();
        }
        *known = Some((generation, Instant::now(), version.clone()));
        Ok(version)
    }

    fn lock_version(&self) -> std::sync::MutexGuard<'_, Option<(u64, Instant, String)>> {
        // A panic while holding this lock cannot leave the value half-written.
        self.memo
            .version
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `load`'s answer for `key` under the current data version, from memory when it was read
    /// before under that version. `key` names the read and every argument it depends on.
    pub(crate) async fn memoized<T, F>(&self, key: String, load: F) -> Result<T, StoreError>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, StoreError>>,
    {
        let version = self.data_version().await?;
        let key = format!("{version}\u{0}{key}");
        if let Some(value) = self
            .memo
            .reads
            .get(&key)
            .and_then(|entry| entry.downcast_ref::<T>().cloned())
        {
            return Ok(value);
        }
        let value = load.await?;
        self.memo.reads.insert(key, Arc::new(value.clone()));
        Ok(value)
    }
}
