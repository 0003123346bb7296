//! Koers domain: the pure vocabulary every other crate shares.
//!
//! Nothing here does IO; it compiles for `wasm32-unknown-unknown`. Constructors parse and
//! validate (`SeriesId::parse`, `Period::parse_cbs`), so the rest of the code can trust the types.

pub mod annotations;
pub mod edits;
pub mod freshness;
pub mod goal;
pub mod ids;
pub mod locale;
pub mod observation;
pub mod period;
pub mod progress;
pub mod region;
pub mod series;
pub mod unit;

pub use annotations::{ChangeKind, ChangeNote, Event, SeriesBreak};
pub use edits::{FieldError, GoalTargets, Problem};
pub use goal::{Direction, Goal};
pub use ids::{CategoryKey, GoalId, InvalidId, SeriesId, SourceId};
pub use locale::Locale;
pub use observation::{Margin, Observation, ObservationStatus};
pub use period::{Grain, ParsePeriodError, Period};
pub use progress::{Pace, Progress, Projection, Status};
pub use series::{Measure, SeriesMeta, Unit};
