//! Alerts: the webhooks notified of changes, the revision threshold, the state last notified
//! per subject, and the log of deliveries with each attempt.
//!
//! "Last notified" is changed only through [`Store::claim_alert_state`], a compare-and-set:
//! of several evaluations racing over the same change (two processes, a run and the hourly
//! check), exactly one wins and sends the notification.

use crate::fetches::clip;
use crate::{Store, StoreError};
use domain::{CategoryKey, Period, SeriesId};
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use std::fmt;

/// What a webhook can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A goal's status changed (on track, needs acceleration, …).
    GoalStatus,
    /// A source became late or failing, or recovered.
    SourceFreshness,
    /// A published figure was revised by more than the set share.
    Revision,
}

impl AlertKind {
    /// Every kind, in display order.
    pub const ALL: [Self; 3] = [Self::GoalStatus, Self::SourceFreshness, Self::Revision];

    /// The stored and form form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GoalStatus => "goal_status",
            Self::SourceFreshness => "source_freshness",
            Self::Revision => "revision",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A webhook endpoint. `Debug` never prints the secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// Row id.
    pub id: i64,
    /// A name for people ("Teams-kanaal directie").
    pub name: String,
    /// Where notifications are POSTed.
    pub url: String,
    /// The shared secret that signs each body (HMAC-SHA256).
    pub secret: String,
    /// What it receives.
    pub kinds: Vec<AlertKind>,
    /// Whether it receives anything at all.
    pub active: bool,
    /// Created, epoch ms.
    pub created_at: i64,
    /// Last changed, epoch ms.
    pub updated_at: i64,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("url", &self.url)
            .field("secret", &self.masked_secret())
            .field("kinds", &self.kinds)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// The secret as pages show it after creation: its last four characters only.
    pub fn masked_secret(&self) -> String {
        mask_secret(&self.secret)
    }

    /// Whether this webhook should receive a notification of `kind` now.
    pub fn wants(&self, kind: AlertKind) -> bool {
        self.active && self.kinds.contains(&kind)
    }
}

/// A secret with all but its last four characters hidden.
pub fn mask_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("••••{tail}")
}

/// A webhook to add.
#[derive(Clone, Copy)]
pub struct NewWebhook<'a> {
    /// A name for people.
    pub name: &'a str,
    /// Where notifications are POSTed.
    pub url: &'a str,
    /// The shared secret.
    pub secret: &'a str,
    /// What it receives.
    pub kinds: &'a [AlertKind],
    /// Whether it starts active.
    pub active: bool,
}

/// Settings of the alert conditions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlertSettings {
    /// A revision larger than this share of the old value is notified (0.05 = 5 %).
    pub revision_share: f64,
    /// Last changed, epoch ms (0: never).
    pub updated_at: i64,
}

/// How a delivery ended (or that it has not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Being sent, or interrupted while being sent.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed, or the receiver refused it.
    Failed,
}

impl DeliveryStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A notification to one webhook, as logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Row id.
    pub id: i64,
    /// The id sent as `X-Koers-Delivery` (the same on every attempt).
    pub uuid: String,
    /// The webhook (`None` once it has been removed).
    pub webhook_id: Option<i64>,
    /// The webhook's name when sent.
    pub webhook_name: String,
    /// The URL it was sent to.
    pub webhook_url: String,
    /// The event (`goal.status_changed`, `test`, …).
    pub event: String,
    /// The JSON body sent.
    pub payload: String,
    /// How it ended.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i64,
    /// HTTP status of the last attempt, if one answered.
    pub status_code: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Created, epoch ms.
    pub created_at: i64,
    /// Last changed, epoch ms.
    pub updated_at: i64,
    /// When the receiver accepted it, epoch ms.
    pub delivered_at: Option<i64>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    /// 1-based.
    pub attempt: i64,
    /// Sent, epoch ms.
    pub at: i64,
    /// Until the answer (or the failure), ms.
    pub duration_ms: i64,
    /// HTTP status, if one arrived.
    pub status_code: Option<i64>,
    /// What went wrong.
    pub error: Option<String>,
}

/// A delivery to log before its first attempt.
#[derive(Debug, Clone, Copy)]
pub struct NewDelivery<'a> {
    /// The id sent as `X-Koers-Delivery`.
    pub uuid: &'a str,
    /// The webhook.
    pub webhook: &'a Webhook,
    /// The event name.
    pub event: &'a str,
    /// The JSON body.
    pub payload: &'a str,
}

/// A figure whose value a fetch changed: the superseded vintage and the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// The series.
    pub series: SeriesId,
    /// The category.
    pub category: CategoryKey,
    /// The period.
    pub period: Period,
    /// The value before.
    pub old_value: f64,
    /// The value the fetch wrote.
    pub new_value: f64,
}

/// A finished fetch with revised figures whose revisions no alert check has looked at yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncheckedFetch {
    /// The fetch.
    pub id: i64,
    /// Its source slug (or `snapshot`, or an upload's source).
    pub source: String,
}

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: i64,
    name: String,
    url: String,
    secret: String,
    kinds: String,
    active: i64,
    created_at: i64,
    updated_at: i64,
}

impl From<WebhookRow> for Webhook {
    fn from(r: WebhookRow) -> Self {
        Webhook {
            id: r.id,
            name: r.name,
            url: r.url,
            secret: r.secret,
            // Unknown kinds (from a newer version) are ignored rather than failing the list.
            kinds: r.kinds.split(',').filter_map(AlertKind::parse).collect(),
            active: r.active != 0,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    uuid: String,
    webhook_id: Option<i64>,
    webhook_name: String,
    webhook_url: String,
    event: String,
    payload: String,
    status: String,
    attempts: i64,
    status_code: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
    delivered_at: Option<i64>,
}

impl TryFrom<DeliveryRow> for Delivery {
    type Error = StoreError;
    fn try_from(r: DeliveryRow) -> Result<Self, StoreError> {
        Ok(Delivery {
            status: DeliveryStatus::parse(&r.status).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown delivery status {:?}", r.status))
            })?,
            id: r.id,
            uuid: r.uuid,
            webhook_id: r.webhook_id,
            webhook_name: r.webhook_name,
            webhook_url: r.webhook_url,
            event: r.event,
            payload: r.payload,
            attempts: r.attempts,
            status_code: r.status_code,
            last_error: r.last_error,
            created_at: r.created_at,
            updated_at: r.updated_at,
            delivered_at: r.delivered_at,
        })
    }
}

/// attempt, at, duration_ms, status_code, error.
type AttemptRow = (i64, i64, i64, Option<i64>, Option<String>);

const WEBHOOK_COLUMNS: &str = "id, name, url, secret, kinds, active, created_at, updated_at";
const DELIVERY_COLUMNS: &str = "id, uuid, webhook_id, webhook_name, webhook_url, event, payload, \
     status, attempts, status_code, last_error, created_at, updated_at, delivered_at";

fn kinds_text(kinds: &[AlertKind]) -> String {
    AlertKind::ALL
        .into_iter()
        .filter(|k| kinds.contains(k))
        .map(AlertKind::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// Adds a webhook and returns its id.
    pub async fn add_webhook(&self, new: NewWebhook<'_>, now: i64) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO alert_webhooks (name, url, secret, kinds, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(new.name)
        .bind(new.url)
        .bind(new.secret)
        .bind(kinds_text(new.kinds))
        .bind(i64::from(new.active))
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Every webhook, oldest first.
    pub async fn list_webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM alert_webhooks ORDER BY id");
        let rows: Vec<WebhookRow> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Webhook::from).collect())
    }

    /// One webhook.
    pub async fn get_webhook(&self, id: i64) -> Result<Webhook, StoreError> {
        let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM alert_webhooks WHERE id = $1");
        let row: Option<WebhookRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(Webhook::from)
            .ok_or_else(|| StoreError::NotFound(format!("webhook {id}")))
    }

    /// Switches a webhook on or off.
    pub async fn set_webhook_active(
        &self,
        id: i64,
        active: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE alert_webhooks SET active = $1, updated_at = $2 WHERE id = $3")
                .bind(i64::from(active))
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("webhook {id}")));
        }
        Ok(())
    }

    /// Removes a webhook; its deliveries stay in the log.
    pub async fn remove_webhook(&self, id: i64) -> Result<(), StoreError> {
        let done = sqlx::query("DELETE FROM alert_webhooks WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("webhook {id}")));
        }
        Ok(())
    }

    /// The alert settings.
    pub async fn alert_settings(&self) -> Result<AlertSettings, StoreError> {
        let (revision_share, updated_at): (f64, i64) =
            sqlx::query_as("SELECT revision_share, updated_at FROM alert_settings WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(AlertSettings {
            revision_share,
            updated_at,
        })
    }

    /// Sets the share above which a revision is notified.
    pub async fn set_revision_share(&self, share: f64, now: i64) -> Result<(), StoreError> {
        if !share.is_finite() || share < 0.0 {
            return Err(StoreError::Conflict(format!(
                "a revision share must be a non-negative number, not {share}"
            )));
        }
        sqlx::query("UPDATE alert_settings SET revision_share = $1, updated_at = $2 WHERE id = 1")
            .bind(share)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The state last notified for `subject`, if any.
    pub async fn alert_state(&self, subject: &str) -> Result<Option<String>, StoreError> {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM alert_state WHERE subject = $1")
                .bind(subject)
                .fetch_optional(&self.pool)
                .await?;
        Ok(state)
    }

    /// Every notified state `(subject, state, updated_at)`, by subject.
    pub async fn list_alert_states(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows =
            sqlx::query_as("SELECT subject, state, updated_at FROM alert_state ORDER BY subject")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows)
    }

    /// Moves `subject` from `previous` (`None`: no state yet) to `next`. Returns whether this
    /// call made the change; `false` means another evaluation got there first.
    pub async fn claim_alert_state(
        &self,
        subject: &str,
        previous: Option<&str>,
        next: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = match previous {
            None => {
                sqlx::query(
                    "INSERT INTO alert_state (subject, state, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (subject) DO NOTHING",
                )
                .bind(subject)
                .bind(next)
                .bind(now)
                .execute(&self.pool)
                .await?
            }
            Some(previous) => {
                sqlx::query(
                    "UPDATE alert_state SET state = $1, updated_at = $2 \
                     WHERE subject = $3 AND state = $4",
                )
                .bind(next)
                .bind(now)
                .bind(subject)
                .bind(previous)
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    /// Finished fetches that revised figures and whose revisions are not checked yet, oldest
    /// first.
    pub async fn unchecked_revising_fetches(&self) -> Result<Vec<UncheckedFetch>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, source FROM fetches f WHERE outcome = 'succeeded' AND rows_revised > 0 \
             AND NOT EXISTS (SELECT 1 FROM alert_checked_fetches c WHERE c.fetch_id = f.id) \
             ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, source)| UncheckedFetch { id, source })
            .collect())
    }

    /// Marks a fetch's revisions as checked. Returns whether this call did so (`false`:
    /// checked already, by another evaluation).
    pub async fn claim_fetch_check(&self, fetch_id: i64, now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO alert_checked_fetches (fetch_id, checked_at) VALUES ($1, $2) \
             ON CONFLICT (fetch_id) DO NOTHING",
        )
        .bind(fetch_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The figures a fetch revised: each new value with the vintage it superseded.
    pub async fn fetch_revisions(&self, fetch_id: i64) -> Result<Vec<Revision>, StoreError> {
        let rows: Vec<(String, String, String, f64, f64)> = sqlx::query_as(
            "SELECT n.series_id, n.category, n.period, o.value, n.value \
             FROM observations n JOIN observations o ON o.series_id = n.series_id \
             AND o.category = n.category AND o.period = n.period \
             AND o.superseded_at = n.first_seen_at AND o.id < n.id \
             WHERE n.fetch_id = $1 ORDER BY n.series_id, n.category, n.period_start, n.period",
        )
        .bind(fetch_id)
        .fetch_all(&self.pool)
        .await?;
        let corrupt = |e: &dyn fmt::Display| StoreError::Corrupt(e.to_string());
        rows.into_iter()
            .map(|(series, category, period, old_value, new_value)| {
                Ok(Revision {
                    series: SeriesId::parse(&series).map_err(|e| corrupt(&e))?,
                    category: CategoryKey::parse(&category).map_err(|e| corrupt(&e))?,
                    period: Period::parse(&period).map_err(|e| corrupt(&e))?,
                    old_value,
                    new_value,
                })
            })
            .collect()
    }

    /// Logs a delivery (status pending, no attempts yet) and returns its id.
    pub async fn begin_delivery(&self, new: NewDelivery<'_>, now: i64) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO alert_deliveries (uuid, webhook_id, webhook_name, webhook_url, event, \
             payload, status, attempts, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) RETURNING id",
        )
        .bind(new.uuid)
        .bind(new.webhook.id)
        .bind(&new.webhook.name)
        .bind(&new.webhook.url)
        .bind(new.event)
        .bind(new.payload)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Logs one attempt and counts it on its delivery.
    pub async fn record_attempt(
        &self,
        delivery_id: i64,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO alert_attempts (delivery_id, attempt, at, duration_ms, status_code, error) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(delivery_id)
        .bind(attempt.attempt)
        .bind(attempt.at)
        .bind(attempt.duration_ms)
        .bind(attempt.status_code)
        .bind(attempt.error.as_deref().map(clip))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE alert_deliveries SET attempts = $1, status_code = $2, last_error = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(attempt.attempt)
        .bind(attempt.status_code)
        .bind(attempt.error.as_deref().map(clip))
        .bind(attempt.at + attempt.duration_ms)
        .bind(delivery_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a delivery as delivered or failed.
    pub async fn finish_delivery(
        &self,
        delivery_id: i64,
        status: DeliveryStatus,
        now: i64,
    ) -> Result<(), StoreError> {
        let delivered_at = (status == DeliveryStatus::Delivered).then_some(now);
        let done = sqlx::query(
            "UPDATE alert_deliveries SET status = $1, delivered_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(delivered_at)
        .bind(now)
        .bind(delivery_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("delivery {delivery_id}")));
        }
        Ok(())
    }

    /// One delivery.
    pub async fn get_delivery(&self, id: i64) -> Result<Delivery, StoreError> {
        let sql = format!("SELECT {DELIVERY_COLUMNS} FROM alert_deliveries WHERE id = $1");
        let row: Option<DeliveryRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.ok_or_else(|| StoreError::NotFound(format!("delivery {id}")))?
            .try_into()
    }

    /// The latest deliveries, newest first.
    pub async fn recent_deliveries(&self, limit: u32) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM alert_deliveries ORDER BY created_at DESC, id DESC LIMIT $1"
        );
        let rows: Vec<DeliveryRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Delivery::try_from).collect()
    }

    /// The attempts of a delivery, first first.
    pub async fn delivery_attempts(
        &self,
        delivery_id: i64,
    ) -> Result<Vec<DeliveryAttempt>, StoreError> {
        let rows: Vec<AttemptRow> = sqlx::query_as(
            "SELECT attempt, at, duration_ms, status_code, error FROM alert_attempts \
             WHERE delivery_id = $1 ORDER BY attempt, id",
        )
        .bind(delivery_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(attempt, at, duration_ms, status_code, error)| DeliveryAttempt {
                    attempt,
                    at,
                    duration_ms,
                    status_code,
                    error,
                },
            )
            .collect())
    }

    /// Deliveries still pending that were last touched before `before` (epoch ms): left
    /// behind by a process that stopped mid-delivery.
    pub async fn stale_pending_deliveries(&self, before: i64) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM alert_deliveries WHERE status = 'pending' \
             AND updated_at < $1 ORDER BY id"
        );
        let rows: Vec<DeliveryRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(before)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Delivery::try_from).collect()
    }

    /// Removes finished deliveries created before `before` (epoch ms), with their attempts.
    pub async fn prune_deliveries(&self, before: i64) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM alert_attempts WHERE delivery_id IN (SELECT id FROM alert_deliveries \
             WHERE created_at < $1 AND status <> 'pending')",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query(
            "DELETE FROM alert_deliveries WHERE created_at < $1 AND status <> 'pending'",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_secret_shows_only_its_last_four_characters() {
        assert_eq!(mask_secret("whsec_abcdef123456"), "••••3456");
        assert_eq!(mask_secret("ab"), "••••ab");
    }

    #[test]
    fn debug_output_never_contains_the_secret() {
        // Arrange
        let hook = Webhook {
            id: 1,
            name: "n".into(),
            url: "https://example.org/hook".into(),
            secret: "very-secret-value".into(),
            kinds: vec![AlertKind::Revision],
            active: true,
            created_at: 0,
            updated_at: 0,
        };
        // Act
        let text = format!("{hook:?}");
        // Assert
        assert!(!text.contains("very-secret"), "{text}");
        assert!(text.contains("••••alue"), "{text}");
    }

    #[test]
    fn kinds_are_stored_in_a_fixed_order_and_read_back() {
        let text = kinds_text(&[AlertKind::Revision, AlertKind::GoalStatus]);
        assert_eq!(text, "goal_status,revision");
        let back: Vec<AlertKind> = text.split(',').filter_map(AlertKind::parse).collect();
        assert_eq!(back, vec![AlertKind::GoalStatus, AlertKind::Revision]);
    }

    #[test]
    fn an_inactive_webhook_wants_nothing() {
        let mut hook = Webhook {
            id: 1,
            name: "n".into(),
            url: "u".into(),
            secret: "s".into(),
            kinds: AlertKind::ALL.to_vec(),
            active: true,
            created_at: 0,
            updated_at: 0,
        };
        assert!(hook.wants(AlertKind::GoalStatus));
        hook.active = false;
        assert!(!hook.wants(AlertKind::GoalStatus));
    }
}
