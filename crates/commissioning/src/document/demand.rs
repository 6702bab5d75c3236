//! The demand and capacity documents: `waiting`, the queue arithmetic of a waiting list, by
//! the document's `"kind"`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use commissioning::demand::waiting::{self, DEFAULT_FACTOR, DEFAULT_TIME_TO_TARGET};
use commissioning::demand::{DemandError, Numbers};

use crate::document::finite::to_json;
use crate::document::io::{DocumentError, parse_tagged, read_tag};
use crate::document::table::Kind;

/// How `waiting`'s results are shown: every figure a rate, a time or a count of patients
/// (none of them money, whatever their names), the RTT standard a share.
pub(crate) const PRESENTATION: [(&str, Kind); 11] = [
    ("load", Kind::Ratio),
    ("target_mean_wait", Kind::Ratio),
    ("target_queue_size", Kind::Ratio),
    ("relief_capacity", Kind::Ratio),
    ("target_capacity", Kind::Ratio),
    ("pressure", Kind::Ratio),
    ("rtt_performance", Kind::Share),
    ("lambda", Kind::Ratio),
    ("mean_wait", Kind::Ratio),
    ("waiting_list_size", Kind::Ratio),
    ("percent_within_target", Kind::Ratio),
];

/// The kinds of `waiting`.
pub(crate) const KINDS: [&str; 7] = [
    "load",
    "target_mean_wait",
    "target_queue_size",
    "relief_capacity",
    "target_capacity",
    "pressure",
    "rtt",
];

fn factor() -> Numbers {
    Numbers::One(DEFAULT_FACTOR)
}

fn weeks_to_target() -> Numbers {
    Numbers::One(DEFAULT_TIME_TO_TARGET)
}

fn one() -> Numbers {
    Numbers::One(1.0)
}

fn standards() -> Numbers {
    Numbers::Many(vec![0.5, 0.6, 0.7, 0.8, 0.92])
}

/// The queue's load: demand ÷ capacity.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LoadDoc {
    /// Additions to the list per unit of time (a number, or a list of them).
    demand: Numbers,
    /// Removals per the same unit of time.
    capacity: Numbers,
}

/// The target mean wait: the target ÷ the factor.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TargetMeanWaitDoc {
    /// The waiting-time target (e.g. 52 weeks).
    target_wait: Numbers,
    /// The factor between the target and the mean wait that meets it (default 4).
    #[serde(default = "factor")]
    factor: Numbers,
}

/// The target queue size, by Little's law.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TargetQueueSizeDoc {
    /// Additions to the list per unit of time.
    demand: Numbers,
    /// The waiting-time target, in the same unit of time.
    target_wait: Numbers,
    /// The factor (default 4).
    #[serde(default = "factor")]
    factor: Numbers,
}

/// The capacity that clears the excess over the target queue in a number of steps.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReliefCapacityDoc {
    /// Additions to the list per unit of time.
    demand: Numbers,
    /// The list now.
    queue_size: Numbers,
    /// The list that meets the target.
    target_queue_size: Numbers,
    /// Steps in which to clear the excess (default 26).
    #[serde(default = "weeks_to_target")]
    time_to_target: Numbers,
    /// Referrals behind the demand estimate, to raise it for its uncertainty (default 0: not).
    #[serde(default)]
    num_referrals: f64,
    /// The coefficient of variation of demand (default 0).
    #[serde(default)]
    cv_demand: f64,
}

/// The capacity that keeps the mean wait at its target given the variability of arrivals and
/// removals.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TargetCapacityDoc {
    /// Additions to the list per unit of time.
    demand: Numbers,
    /// The waiting-time target.
    target_wait: Numbers,
    /// The factor (default 4).
    #[serde(default = "factor")]
    factor: Numbers,
    /// The coefficient of variation of the times between arrivals (default 1).
    #[serde(default = "one")]
    cv_demand: Numbers,
    /// The coefficient of variation of the times between removals (default 1).
    #[serde(default = "one")]
    cv_capacity: Numbers,
}

/// Waiting-list pressure: twice the mean wait over the target.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PressureDoc {
    /// The current mean wait.
    mean_wait: Numbers,
    /// The waiting-time target, in the same unit.
    target_wait: Numbers,
}

/// The list that meets "p% within 18 weeks" at a weekly referral rate.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RttDoc {
    /// Referrals per week.
    referral_rate: f64,
    /// The shares within 18 weeks (default 0.5, 0.6, 0.7, 0.8 and 0.92).
    #[serde(default = "standards")]
    rtt_performance: Numbers,
}

/// The `waiting` document, by its `kind`.
#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)] // only its schema is used
enum WaitingSchema {
    Load(LoadDoc),
    TargetMeanWait(TargetMeanWaitDoc),
    TargetQueueSize(TargetQueueSizeDoc),
    ReliefCapacity(ReliefCapacityDoc),
    TargetCapacity(TargetCapacityDoc),
    Pressure(PressureDoc),
    Rtt(RttDoc),
}

/// The JSON Schema of the `waiting` document.
pub(crate) fn waiting_schema() -> schemars::Schema {
    schemars::schema_for!(WaitingSchema)
}

/// `waiting`: the queue arithmetic of a waiting list, by the document's `"kind"`; the result
/// is `{"<kind's output>": number or list}`, or `{"levels": [...]}` for `rtt`.
pub(crate) fn waiting_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(text, "kind", &KINDS, None)?;
    let rule = DocumentError::rule;
    let (key, result) = match kind.as_str() {
        "load" => {
            let d: LoadDoc = parse_tagged(text, "kind")?;
            ("load", waiting::load(&d.demand, &d.capacity).map_err(rule)?)
        }
        "target_mean_wait" => {
            let d: TargetMeanWaitDoc = parse_tagged(text, "kind")?;
            let r = waiting::target_mean_wait(&d.target_wait, &d.factor).map_err(rule)?;
            ("target_mean_wait", r)
        }
        "target_queue_size" => {
            let d: TargetQueueSizeDoc = parse_tagged(text, "kind")?;
            let r =
                waiting::target_queue_size(&d.demand, &d.target_wait, &d.factor).map_err(rule)?;
            ("target_queue_size", r)
        }
        "relief_capacity" => relief(text)?,
        "target_capacity" => {
            let d: TargetCapacityDoc = parse_tagged(text, "kind")?;
            let r = waiting::target_capacity(
                &d.demand,
                &d.target_wait,
                &d.factor,
                &d.cv_demand,
                &d.cv_capacity,
            )
            .map_err(rule)?;
            ("target_capacity", r)
        }
        "pressure" => {
            let d: PressureDoc = parse_tagged(text, "kind")?;
            (
                "pressure",
                waiting::pressure(&d.mean_wait, &d.target_wait).map_err(rule)?,
            )
        }
        _ => {
            let d: RttDoc = parse_tagged(text, "kind")?;
            let levels = match &d.rtt_performance {
                Numbers::One(p) => vec![*p],
                Numbers::Many(ps) => ps.clone(),
            };
            let levels = waiting::rtt_levels(d.referral_rate, &levels).map_err(rule)?;
            return Ok(json!({ "levels": to_json(&levels)? }));
        }
    };
    Ok(json!({ key: to_json(&result)? }))
}

fn relief(text: &str) -> Result<(&'static str, Numbers), DocumentError> {
    let d: ReliefCapacityDoc = parse_tagged(text, "kind")?;
    let r = waiting::relief_capacity(
        &d.demand,
        &d.queue_size,
        &d.target_queue_size,
        &d.time_to_target,
        d.num_referrals,
        d.cv_demand,
    )
    .map_err(DocumentError::rule)?;
    Ok(("relief_capacity", r))
}

impl crate::document::io::Classified for DemandError {
    fn kind(&self) -> crate::document::ErrorKind {
        match self {
            DemandError::Undefined { .. } => crate::document::ErrorKind::Undefined,
            _ => crate::document::ErrorKind::InvalidInput,
        }
    }
}
