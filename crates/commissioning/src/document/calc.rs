//! `calc`: one rule of the libraries on its own, for the rules no other subcommand reaches,
//! chosen by the document's `"kind"`:
//!
//! | kind | rule |
//! |---|---|
//! | `marginal_rate` | the NHS marginal rate for activity above a baseline (`risk::nhs::marginal_rate`), the rate given or the year's preset |
//! | `blended` | a blended payment, `fixed + rate × (actual − planned)` (`risk::nhs::blended`), the rate given or a scheme's (`emergency_blend2019`, `aligned_payment_and_incentive2022`, `elective_from2023`) |
//! | `mff` | an NHS Payment Scheme unit price times the provider's market forces factor payment index, per unit or on the total (`risk::scheme::mff_payment`) |
//! | `aligned_payment` | aligned payment and incentive: the fixed element, the elective variable element and best practice tariff adjustments (`risk::scheme::api_payment`) |
//! | `lva` | the low volume activity rule by year: LVA block, API or activity-based, and the block's value (`risk::scheme::lva`) |
//! | `value_weighted_activity` | elective activity weighted by unit price against the 2019/20 baseline and a target (`risk::scheme::value_weighted_activity`) |
//! | `payment_limit` | a notified payment limit on activity-based services, as the draft 2025/26 contract proposed it (withdrawn nationally) (`risk::scheme::payment_limit`) |
//! | `outcome_pot` | a share of contract value paid on metrics graded from a floor to a target (`risk::scheme::outcome_pot`) |
//! | `cquin` | a CQUIN withhold and what is earned back (`risk::nhs::cquin_withhold`), the share given or the year's preset |
//! | `stop_loss` | specific and aggregate stop-loss and reinsurance layers over members' claims (`risk::stoploss`) |
//! | `allocate` | an amount split to the penny among weighted parties (`model::allocate`) |
//! | `instalments` | an amount in equal instalments to the penny (`model::instalments`) |
//! | `weights` | surrogate weights from ranks (rank-order centroid, rank sum, rank reciprocal), swing weights, or normalised raw weights (`priority::weights`) |
//! | `value` | a value function on its own, applied to performances (`priority::value`) |
//! | `period` | the financial year, month of the year and quarter of each date, and an annual amount pro-rated to a part of a year by days (`model::period`) |
//! | `ods` | ODS codes checked against the format of their kind (`model::ods`) |

use commissioning::model::ods::OdsKind;
use commissioning::model::period::{FinancialYear, FyMonth, parse_date};
use commissioning::model::{Decimal, Money, Rounding, Share, allocate, instalments};
use commissioning::priority::value::{OutOfRange, Performance, ValueFunction};
use commissioning::priority::weights::{RankMethod, from_rank_list, normalise, swing};
use commissioning::risk::nhs::{
    IndicatorResult, cquin_preset, cquin_withhold, marginal_rate, marginal_rate_preset,
};
use commissioning::risk::stoploss::{MemberClaims, StopLoss};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::document::finite::to_json;
use crate::document::io::{DocumentError, parse_tagged, read_tag};
use crate::document::limits;

/// The rules `calc` computes.
pub(crate) const KINDS: [&str; 16] = [
    "value_weighted_activity",
    "payment_limit",
    "marginal_rate",
    "blended",
    "mff",
    "aligned_payment",
    "lva",
    "outcome_pot",
    "cquin",
    "stop_loss",
    "allocate",
    "instalments",
    "weights",
    "value",
    "period",
    "ods",
];

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarginalRateDoc {
    baseline_value: Money,
    actual_value: Money,
    /// The share of activity above the baseline that is paid; by default the year's preset.
    #[serde(default)]
    rate: Option<Share>,
    #[serde(default)]
    year: Option<FinancialYear>,
    #[serde(default)]
    rounding: Rounding,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BlendedDoc {
    fixed: Money,
    planned_value: Money,
    actual_value: Money,
    /// The variable rate; or else `scheme`.
    #[serde(default)]
    rate: Option<Share>,
    /// A scheme whose variable rate applies.
    #[serde(default)]
    scheme: Option<commissioning::risk::nhs::BlendScheme>,
    /// Whether activity above plan, below it, or both are paid at the variable rate.
    #[serde(default)]
    variation: commissioning::model::payment::Variation,
    #[serde(default)]
    rounding: Rounding,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MffDoc {
    unit_price: Money,
    #[serde(with = "commissioning::model::decimal::serde_decimal")]
    #[schemars(with = "String")]
    mff_payment_index: Decimal,
    units: u64,
    #[serde(default)]
    rounding: commissioning::risk::scheme::MffRounding,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VwaDoc {
    year: Vec<commissioning::risk::scheme::WeightedLine>,
    baseline: Vec<commissioning::risk::scheme::WeightedLine>,
    /// The target as a share of the baseline (`1.07` or `107%`).
    target: commissioning::model::Rate,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PaymentLimitDoc {
    activity_value: Money,
    limit: Money,
    planned_value: Money,
    /// The planned value above which a limit may apply (£100,000 in the draft contract).
    #[serde(default = "hundred_thousand")]
    de_minimis: Money,
}

fn hundred_thousand() -> Money {
    Money::from_pounds(100_000)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutcomePotDoc {
    contract_value: Money,
    pot_share: Share,
    metrics: Vec<commissioning::risk::scheme::OutcomeMetric>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CquinDoc {
    base_value: Money,
    /// The share of the base value at stake; by default the year's preset.
    #[serde(default)]
    share: Option<Share>,
    #[serde(default)]
    year: Option<FinancialYear>,
    indicators: Vec<IndicatorResult>,
    /// Whether unearned value is clawed back from a payment made in full (by default the
    /// year's preset, or a withhold).
    #[serde(default)]
    clawback: Option<bool>,
    #[serde(default)]
    rounding: Rounding,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StopLossDoc {
    stop_loss: StopLoss,
    members: Vec<MemberClaims>,
    #[serde(default)]
    rounding: Rounding,
}

/// A party's weight in an allocation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Weighted {
    id: String,
    #[serde(with = "commissioning::model::decimal::serde_decimal")]
    #[schemars(with = "String")]
    weight: Decimal,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllocateDoc {
    total: Money,
    parties: Vec<Weighted>,
    #[serde(default)]
    rounding: Rounding,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InstalmentsDoc {
    total: Money,
    count: u32,
    #[serde(default)]
    rounding: Rounding,
}

/// How weights are derived.
#[derive(Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum WeightsMethod {
    /// From the criteria's `ranks` (1 the most important), by rank-order centroid.
    RankOrderCentroid,
    /// From `ranks`, by rank sum.
    RankSum,
    /// From `ranks`, by rank reciprocal.
    RankReciprocal,
    /// From swing `ratings` (the most important swing 100).
    Swing,
    /// `raw` weights scaled to sum to one.
    Normalise,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeightsDoc {
    method: WeightsMethod,
    /// The criteria's ranks, for the rank methods.
    #[serde(default)]
    ranks: Vec<usize>,
    /// The swing ratings, for `swing`.
    #[serde(default)]
    ratings: Vec<f64>,
    /// The raw weights, for `normalise`.
    #[serde(default)]
    raw: Vec<f64>,
    /// The criteria's names, to label the weights.
    #[serde(default)]
    criteria: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueDoc {
    value_function: ValueFunction,
    values: Vec<Performance>,
    #[serde(default)]
    out_of_range: OutOfRange,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodDoc {
    /// Dates, `YYYY-MM-DD`.
    #[serde(default)]
    dates: Vec<String>,
    /// An annual amount to pro-rate to part of a financial year.
    #[serde(default)]
    prorate: Option<ProrateDoc>,
}

/// An annual amount, a part of a year and the year: the amount for the days of the part that
/// fall in the year, over the year's days (365 or 366).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProrateDoc {
    annual: Money,
    start: String,
    end: String,
    year: FinancialYear,
    #[serde(default)]
    rounding: Rounding,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OdsDoc {
    codes: Vec<String>,
    /// The kind every code must be (any ODS code by default).
    #[serde(default)]
    kind: Option<OdsKind>,
}

/// The schema of a `calc` document: one of its kinds.
#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)] // read only for its schema
pub(crate) enum CalcSchema {
    MarginalRate(MarginalRateDoc),
    Blended(BlendedDoc),
    Mff(MffDoc),
    AlignedPayment(commissioning::risk::scheme::ApiInput),
    Lva(commissioning::risk::scheme::LvaInput),
    OutcomePot(OutcomePotDoc),
    ValueWeightedActivity(VwaDoc),
    PaymentLimit(PaymentLimitDoc),
    Cquin(CquinDoc),
    StopLoss(StopLossDoc),
    Allocate(AllocateDoc),
    Instalments(InstalmentsDoc),
    Weights(WeightsDoc),
    Value(ValueDoc),
    Period(PeriodDoc),
    Ods(OdsDoc),
}

/// `calc`: the rule the document's `"kind"` names.
pub(crate) fn calc_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(text, "kind", &KINDS, None)?;
    match kind.as_str() {
        "marginal_rate" => {
            let d: MarginalRateDoc = parse_tagged(text, "kind")?;
            let rate = match (d.rate, d.year) {
                (Some(r), _) => r,
                (None, Some(y)) => marginal_rate_preset(y).ok_or_else(|| {
                    DocumentError::input(
                        "year",
                        format!("{y} has no marginal rate preset (2010/11: 30%; 2017/18 and 2018/19: 70%); give the rate"),
                    )
                })?,
                (None, None) => {
                    return Err(DocumentError::input("rate", "give the rate, or a year with a preset"));
                }
            };
            let p = marginal_rate(d.baseline_value, d.actual_value, rate, d.rounding)
                .map_err(DocumentError::rule)?;
            Ok(json!({ "rate": to_json(&rate)?, "payment": to_json(&p)? }))
        }
        "blended" => {
            let d: BlendedDoc = parse_tagged(text, "kind")?;
            let rate = match (d.rate, d.scheme) {
                (Some(r), None) => r,
                (None, Some(s)) => s.variable_rate(),
                _ => {
                    return Err(DocumentError::input(
                        "rate",
                        "give the variable rate, or a scheme whose rate applies, one of the two",
                    ));
                }
            };
            let p = commissioning::risk::nhs::blended(
                d.fixed,
                d.planned_value,
                d.actual_value,
                rate,
                d.variation,
                d.rounding,
            )
            .map_err(DocumentError::rule)?;
            Ok(json!({ "rate": to_json(&rate)?, "payment": to_json(&p)? }))
        }
        "mff" => {
            let d: MffDoc = parse_tagged(text, "kind")?;
            to_json(
                &commissioning::risk::scheme::mff_payment(
                    d.unit_price,
                    d.mff_payment_index,
                    d.units,
                    d.rounding,
                )
                .map_err(DocumentError::rule)?,
            )
        }
        "aligned_payment" => {
            let d: commissioning::risk::scheme::ApiInput = parse_tagged(text, "kind")?;
            to_json(&commissioning::risk::scheme::api_payment(&d).map_err(DocumentError::rule)?)
        }
        "lva" => {
            let d: commissioning::risk::scheme::LvaInput = parse_tagged(text, "kind")?;
            to_json(&commissioning::risk::scheme::lva(&d).map_err(DocumentError::rule)?)
        }
        "value_weighted_activity" => {
            let d: VwaDoc = parse_tagged(text, "kind")?;
            let v = commissioning::risk::scheme::value_weighted_activity(
                &d.year,
                &d.baseline,
                d.target.fraction(),
            )
            .map_err(DocumentError::rule)?;
            to_json(&v)
        }
        "payment_limit" => {
            let d: PaymentLimitDoc = parse_tagged(text, "kind")?;
            to_json(
                &commissioning::risk::scheme::payment_limit(
                    d.activity_value,
                    d.limit,
                    d.planned_value,
                    d.de_minimis,
                )
                .map_err(DocumentError::rule)?,
            )
        }
        "outcome_pot" => {
            let d: OutcomePotDoc = parse_tagged(text, "kind")?;
            to_json(
                &commissioning::risk::scheme::outcome_pot(
                    d.contract_value,
                    d.pot_share,
                    &d.metrics,
                )
                .map_err(DocumentError::rule)?,
            )
        }
        "cquin" => {
            let d: CquinDoc = parse_tagged(text, "kind")?;
            let preset = d.year.and_then(cquin_preset);
            let share = d.share.or(preset.map(|p| p.share)).ok_or_else(|| {
                DocumentError::input(
                    "share",
                    "give the share at stake, or a year with a CQUIN preset",
                )
            })?;
            let clawback = d.clawback.or(preset.map(|p| p.clawback)).unwrap_or(false);
            to_json(
                &cquin_withhold(d.base_value, share, &d.indicators, clawback, d.rounding)
                    .map_err(DocumentError::rule)?,
            )
        }
        "stop_loss" => {
            let d: StopLossDoc = parse_tagged(text, "kind")?;
            to_json(
                &d.stop_loss
                    .apply(&d.members, d.rounding)
                    .map_err(DocumentError::rule)?,
            )
        }
        "allocate" => {
            let d: AllocateDoc = parse_tagged(text, "kind")?;
            let weights: Vec<Decimal> = d.parties.iter().map(|p| p.weight).collect();
            let parts = allocate(d.total, &weights, d.rounding)
                .map_err(|e| DocumentError::rule(e).within("parties"))?;
            let rows: Vec<Value> = d
                .parties
                .iter()
                .zip(&parts)
                .map(|(p, m)| {
                    Ok(json!({"id": p.id, "weight": p.weight.to_string(), "amount": to_json(m)?}))
                })
                .collect::<Result<_, DocumentError>>()?;
            Ok(json!({ "total": to_json(&d.total)?, "parties": rows }))
        }
        "instalments" => {
            let d: InstalmentsDoc = parse_tagged(text, "kind")?;
            limits::OUTPUT_ROWS.check("count", u64::from(d.count))?;
            let parts = instalments(d.total, d.count, d.rounding).map_err(DocumentError::rule)?;
            Ok(json!({ "total": to_json(&d.total)?, "instalments": to_json(&parts)? }))
        }
        "weights" => weights(text),
        "value" => {
            let d: ValueDoc = parse_tagged(text, "kind")?;
            d.value_function
                .check("value_function")
                .map_err(DocumentError::rule)?;
            let values = d
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    d.value_function
                        .value(v, d.out_of_range, &format!("values[{i}]"))
                        .map_err(DocumentError::rule)
                })
                .collect::<Result<Vec<f64>, DocumentError>>()?;
            let rows: Vec<Value> = d
                .values
                .iter()
                .zip(&values)
                .map(|(p, v)| json!({"performance": p, "value": v}))
                .collect();
            crate::document::finite::check_finite(&values)?;
            Ok(json!({ "values": rows }))
        }
        "period" => {
            let d: PeriodDoc = parse_tagged(text, "kind")?;
            let rows = d
                .dates
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let date =
                        parse_date(&format!("dates[{i}]"), s).map_err(DocumentError::rule)?;
                    let year = FinancialYear::containing(date).map_err(DocumentError::rule)?;
                    let month = FyMonth::of_date(date);
                    Ok(json!({
                        "date": s,
                        "financial_year": year.to_string(),
                        "month": month.to_string(),
                        "quarter": month.quarter().to_string(),
                        "year_start": year.start_date().to_string(),
                        "year_end": year.end_date().to_string(),
                    }))
                })
                .collect::<Result<Vec<Value>, DocumentError>>()?;
            let mut out = json!({ "dates": rows });
            if let Some(p) = &d.prorate {
                let start = parse_date("prorate.start", &p.start).map_err(DocumentError::rule)?;
                let end = parse_date("prorate.end", &p.end).map_err(DocumentError::rule)?;
                let range = commissioning::model::period::DateRange::try_new(start, end)
                    .map_err(|e| DocumentError::rule(e).within("prorate"))?;
                let days = range.intersection(p.year.range()).map_or(0, |r| r.days());
                let due = commissioning::model::period::prorate(p.annual, range, p.year)
                    .map_err(DocumentError::rule)?;
                if let Some(obj) = out.as_object_mut() {
                    obj.insert(
                        "prorate".into(),
                        json!({
                            "annual": to_json(&p.annual)?,
                            "days_in_year": p.year.days(),
                            "days": days,
                            "amount": to_json(&due.round(p.rounding))?,
                        }),
                    );
                }
            }
            Ok(out)
        }
        _ => {
            let d: OdsDoc = parse_tagged(text, "kind")?;
            let kind = d.kind.unwrap_or(OdsKind::Any);
            let rows: Vec<Value> = d
                .codes
                .iter()
                .map(|c| match kind.check(c, true) {
                    Ok(code) => json!({"input": c, "code": code.as_str(), "valid": true}),
                    Err(e) => json!({"input": c, "valid": false, "reason": e.to_string()}),
                })
                .collect();
            let valid = rows.iter().filter(|r| r["valid"] == true).count();
            Ok(
                json!({ "kind": commissioning::model::words::word(&kind), "valid": valid, "invalid": rows.len().saturating_sub(valid), "codes": rows }),
            )
        }
    }
}

/// `calc` of kind `weights`.
fn weights(text: &str) -> Result<Value, DocumentError> {
    let d: WeightsDoc = parse_tagged(text, "kind")?;
    let needs = |field: &str, empty: bool| {
        if empty {
            Err(DocumentError::input(field, "is needed by this method"))
        } else {
            Ok(())
        }
    };
    let w = match d.method {
        WeightsMethod::RankOrderCentroid
        | WeightsMethod::RankSum
        | WeightsMethod::RankReciprocal => {
            needs("ranks", d.ranks.is_empty())?;
            let method = match d.method {
                WeightsMethod::RankOrderCentroid => RankMethod::Roc,
                WeightsMethod::RankSum => RankMethod::RankSum,
                _ => RankMethod::RankReciprocal,
            };
            from_rank_list(method, &d.ranks)
        }
        WeightsMethod::Swing => {
            needs("ratings", d.ratings.is_empty())?;
            swing(&d.ratings)
        }
        WeightsMethod::Normalise => {
            needs("raw", d.raw.is_empty())?;
            normalise(&d.raw)
        }
    }
    .map_err(DocumentError::rule)?;
    if !d.criteria.is_empty() && d.criteria.len() != w.len() {
        return Err(DocumentError::input(
            "criteria",
            format!("has {} names for {} weights", d.criteria.len(), w.len()),
        ));
    }
    crate::document::finite::check_finite(&w)?;
    let rows: Vec<Value> = w
        .iter()
        .enumerate()
        .map(|(i, x)| match d.criteria.get(i) {
            Some(name) => json!({"criterion": name, "weight": x}),
            None => json!({"criterion": i.saturating_add(1), "weight": x}),
        })
        .collect();
    Ok(json!({ "weights": rows }))
}
