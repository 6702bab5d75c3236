//! Contract performance: KPIs assessed against their thresholds by period, the money their
//! breaches cost, and a red/amber/green summary by contract and by provider.
//!
//! A value meets a threshold when it is at or above it for a KPI where higher is better, at or
//! below it where lower is better (the model's [`QualityRequirement::is_met`]). The
//! consequence of a breach is the requirement's: a sanction per breach (times the number of
//! breaches recorded, 1 by default), a withhold of a share of the monthly contract value, a
//! remedial action plan, or nothing. The RAG status of a contract or provider is green when
//! every assessment is met, amber when the share not met is at most the amber limit (20% by
//! default), and red above it.

use commissioning_model::contract::{Consequence, QualityRequirement};
use commissioning_model::decimal::serde_decimal;
use commissioning_model::{Decimal, Money, Share};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::{MonitorError, Result};

/// One period's value of a KPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KpiObservation {
    /// The period, e.g. `"2025-04"` or `"2025/26 Q1"`.
    pub period: String,
    /// The value.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub value: Decimal,
    /// How many breaches a sanction applies to when the threshold is missed (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaches: Option<u32>,
}

impl KpiObservation {
    /// A period's value.
    pub fn new(period: impl Into<String>, value: Decimal) -> Self {
        Self {
            period: period.into(),
            value,
            breaches: None,
        }
    }
}

/// A KPI's values for one contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KpiSeries {
    /// The contract.
    pub contract: String,
    /// The provider.
    pub provider: String,
    /// The quality requirement from the contract.
    pub requirement: QualityRequirement,
    /// Its values by period.
    pub observations: Vec<KpiObservation>,
    /// The contract's monthly value, needed for withholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_contract_value: Option<Money>,
}

/// Red, amber or green.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// Every assessment met.
    Green,
    /// A few missed.
    Amber,
    /// Too many missed.
    Red,
}

/// One KPI in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Assessment {
    /// The contract.
    pub contract: String,
    /// The provider.
    pub provider: String,
    /// The KPI.
    pub kpi: String,
    /// The period.
    pub period: String,
    /// The value.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub value: Decimal,
    /// The threshold.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub threshold: Decimal,
    /// Whether it was met.
    pub met: bool,
    /// How far on the good side of the threshold it was (negative when missed).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub margin: Decimal,
    /// The money the breach costs the provider (zero when met).
    pub consequence: Money,
    /// What the breach triggers, in words.
    pub action: String,
}

/// A RAG summary for a contract or a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Summary {
    /// The contract or provider.
    pub id: String,
    /// Assessments made.
    pub assessed: usize,
    /// Assessments met.
    pub met: usize,
    /// The money breaches cost.
    pub consequences: Money,
    /// The status.
    pub rag: Rag,
}

/// The assessment of every KPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KpiReport {
    /// Every KPI in every period, in input order.
    pub assessments: Vec<Assessment>,
    /// By contract, sorted by id.
    pub by_contract: Vec<Summary>,
    /// By provider, sorted by id.
    pub by_provider: Vec<Summary>,
}

fn rag(assessed: usize, met: usize, amber_limit: Share) -> Rag {
    if met == assessed {
        return Rag::Green;
    }
    let missed = Decimal::from(assessed.saturating_sub(met));
    let share = missed
        .checked_div(Decimal::from(assessed.max(1)))
        .unwrap_or(Decimal::ONE);
    if share <= amber_limit.fraction() {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// Assesses KPI series.
///
/// ```
/// use commissioning_model::contract::{Consequence, Direction, KpiUnit, QualityRequirement, ReportingPeriod};
/// use commissioning_model::{Decimal, Money};
/// use commissioning_monitor::kpi::{assess, KpiObservation, KpiSeries, Rag};
///
/// let kpi = QualityRequirement::new("scan", "Brain scan within 1 hour", KpiUnit::Percent,
///     Direction::HigherIsBetter, Decimal::from(90), ReportingPeriod::Monthly,
///     Consequence::Sanction { amount_per_breach: Money::from_pounds(2_000) });
/// let series = KpiSeries::new("C1", "RWY", kpi, vec![
///     KpiObservation::new("2025-04", Decimal::from(92)),
///     KpiObservation::new("2025-05", Decimal::from(88)),
/// ]);
/// let r = assess(&[series], "0.5".parse()?)?;
/// assert!(!r.assessments[1].met);
/// assert_eq!(r.by_contract[0].consequences, Money::from_pounds(2_000));
/// assert_eq!(r.by_contract[0].rag, Rag::Amber);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`MonitorError::InvalidInput`] for a withhold without a monthly contract value, a repeated
/// period within a series, or an empty contract or provider id.
pub fn assess(series: &[KpiSeries], amber_limit: Share) -> Result<KpiReport> {
    let mut assessments = Vec::new();
    for (s, ks) in series.iter().enumerate() {
        if ks.contract.trim().is_empty() || ks.provider.trim().is_empty() {
            return Err(MonitorError::input(
                format!("series[{s}]"),
                "contract and provider must not be empty",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (o, obs) in ks.observations.iter().enumerate() {
            if !seen.insert(obs.period.as_str()) {
                return Err(MonitorError::input(
                    format!("series[{s}].observations[{o}].period"),
                    format!("{:?} appears more than once", obs.period),
                ));
            }
            let r = &ks.requirement;
            let met = r.is_met(obs.value);
            let margin = match r.direction {
                commissioning_model::contract::Direction::HigherIsBetter => {
                    obs.value.checked_sub(r.threshold)
                }
                commissioning_model::contract::Direction::LowerIsBetter => {
                    r.threshold.checked_sub(obs.value)
                }
            }
            .ok_or_else(|| {
                MonitorError::input(format!("series[{s}].observations[{o}].value"), "too large")
            })?;
            let (consequence, action) = if met {
                (Money::ZERO, "none".to_owned())
            } else {
                match &r.consequence {
                    Consequence::Sanction { amount_per_breach } => {
                        let n = obs.breaches.unwrap_or(1);
                        (
                            amount_per_breach
                                .checked_mul_decimal(Decimal::from(n))?
                                .round_pence(),
                            format!("sanction: {n} × {amount_per_breach}"),
                        )
                    }
                    Consequence::Withhold {
                        share_of_monthly_value,
                    } => {
                        let monthly = ks.monthly_contract_value.ok_or_else(|| {
                            MonitorError::input(
                                format!("series[{s}].monthly_contract_value"),
                                "a withhold needs the contract's monthly value",
                            )
                        })?;
                        (
                            share_of_monthly_value.of(monthly)?.round_pence(),
                            format!(
                                "withhold {share_of_monthly_value} of the monthly value {monthly}"
                            ),
                        )
                    }
                    Consequence::RemedialActionPlan => {
                        (Money::ZERO, "remedial action plan required".to_owned())
                    }
                    _ => (Money::ZERO, "reported; no automatic consequence".to_owned()),
                }
            };
            assessments.push(Assessment {
                contract: ks.contract.clone(),
                provider: ks.provider.clone(),
                kpi: r.id.clone(),
                period: obs.period.clone(),
                value: obs.value,
                threshold: r.threshold,
                met,
                margin,
                consequence,
                action,
            });
        }
    }
    let summarise = |key: fn(&Assessment) -> &str| -> Result<Vec<Summary>> {
        let mut groups: BTreeMap<&str, (usize, usize, Money)> = BTreeMap::new();
        for a in &assessments {
            let e = groups.entry(key(a)).or_insert((0, 0, Money::ZERO));
            e.0 = e.0.saturating_add(1);
            if a.met {
                e.1 = e.1.saturating_add(1);
            }
            e.2 = e.2.checked_add(a.consequence)?;
        }
        Ok(groups
            .into_iter()
            .map(|(id, (assessed, met, consequences))| Summary {
                id: id.to_owned(),
                assessed,
                met,
                consequences,
                rag: rag(assessed, met, amber_limit),
            })
            .collect())
    };
    let by_contract = summarise(|a| a.contract.as_str())?;
    let by_provider = summarise(|a| a.provider.as_str())?;
    Ok(KpiReport {
        assessments,
        by_contract,
        by_provider,
    })
}

impl KpiSeries {
    /// A KPI's values for a contract, without a monthly value.
    pub fn new(
        contract: impl Into<String>,
        provider: impl Into<String>,
        requirement: QualityRequirement,
        observations: Vec<KpiObservation>,
    ) -> Self {
        Self {
            contract: contract.into(),
            provider: provider.into(),
            requirement,
            observations,
            monthly_contract_value: None,
        }
    }
}

commissioning_model::words_from_str!(
    Rag => "RAG status",
);
commissioning_model::words_display!(Rag);
