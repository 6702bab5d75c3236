//! Cost-effectiveness: cost per QALY, net monetary benefit, and the cost-effectiveness
//! frontier exactly as dampack's `calculate_icers` defines it.
//!
//! # The frontier
//!
//! 1. Sort strategies by cost ascending, then effect descending; exact ties keep input order.
//! 2. **Strong dominance (D)**: a strategy is dominated if an earlier one in this order has an
//!    effect greater than or equal to its own. (So of two identical strategies the later one
//!    is D, as in dampack; heemod would keep both.)
//! 3. **Extended dominance (ED)**: among the rest, a strategy whose ICER against the previous
//!    one is strictly greater than the next one's ICER is extendedly dominated; this is
//!    repeated until nothing changes. Collinear strategies (equal ICERs) stay on the frontier.
//! 4. The remaining strategies are **non-dominated (ND)**; the cheapest is the reference
//!    (no incrementals) and each other gets its incremental cost, effect and ICER against the
//!    previous ND strategy.
//!
//! Output lists ND rows by cost, then ED rows, then D rows, each in the sorted order.
//!
//! The frontier is computed in O(n log n): one sort, one pass for strong dominance, and a
//! stack pass for extended dominance that removes a point as soon as the ICER into it exceeds
//! the ICER out of it, which leaves the same set as dampack's repeated sweeps. Incremental
//! costs are exact decimal differences of the costs; effects and ICERs are `f64`.

use chrono::NaiveDate;
use commissioning_model::{Decimal, Money, Rate};
use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, finite, unique_ids};

/// A strategy with its cost and effect (e.g. QALYs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Strategy {
    /// An identifier, unique among the strategies.
    pub id: String,
    /// Its cost.
    pub cost: Money,
    /// Its effect.
    pub effect: f64,
}

impl Strategy {
    /// A strategy.
    pub fn new(id: impl Into<String>, cost: Money, effect: f64) -> Self {
        Self {
            id: id.into(),
            cost,
            effect,
        }
    }
}

/// A strategy's place relative to the frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Status {
    /// Non-dominated: on the frontier.
    #[serde(rename = "ND")]
    NonDominated,
    /// Extendedly dominated: a mix of its neighbours would be better value.
    #[serde(rename = "ED")]
    ExtendedlyDominated,
    /// Strongly dominated: another strategy costs no more and achieves at least as much.
    #[serde(rename = "D")]
    Dominated,
}

/// Plain words, as a report would print them.
///
/// ```
/// use commissioning_priority::cea::Status;
/// assert_eq!(Status::ExtendedlyDominated.to_string(), "extendedly dominated");
/// ```
impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::NonDominated => "non-dominated",
            Self::ExtendedlyDominated => "extendedly dominated",
            Self::Dominated => "dominated",
        })
    }
}

/// One row of the frontier table. The row borrows its ids from the strategies, so a table of
/// a million rows copies no text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IcerRow<'a> {
    /// The strategy.
    pub id: &'a str,
    /// Its cost.
    pub cost: Money,
    /// Its effect.
    pub effect: f64,
    /// Cost over the previous frontier strategy (ND only, not the reference).
    pub inc_cost: Option<Money>,
    /// Effect over the previous frontier strategy.
    pub inc_effect: Option<f64>,
    /// `inc_cost / inc_effect`.
    pub icer: Option<f64>,
    /// Its status.
    pub status: Status,
    /// Which strategy dominates it (D: a cheaper one at least as effective; ED: the frontier
    /// neighbours whose mix beats it), for the explanation.
    #[serde(skip_serializing_if = "DominatedBy::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub dominated_by: DominatedBy<'a>,
}

/// The strategies that dominate a row: none (non-dominated), one (strong dominance) or the two
/// frontier neighbours (extended dominance). Written as a list of ids.
///
/// ```
/// use commissioning_priority::cea::{calculate_icers, Strategy};
/// use commissioning_model::Money;
///
/// let s = |id: &str, cost: i64, effect: f64| Strategy::new(id, Money::from_pounds(cost), effect);
/// let strategies = [s("UC", 5_000, 1.0), s("A", 12_000, 1.5), s("B", 10_000, 2.0)];
/// let rows = calculate_icers(&strategies)?;
/// let a = rows.iter().find(|r| r.id == "A").unwrap();
/// assert_eq!(a.dominated_by.iter().collect::<Vec<_>>(), ["B"]);
/// assert_eq!(serde_json::to_string(&a.dominated_by).unwrap(), r#"["B"]"#);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DominatedBy<'a>([Option<&'a str>; 2]);

impl<'a> DominatedBy<'a> {
    /// The dominating strategies' ids, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().flatten().copied()
    }

    /// Whether nothing dominates the row.
    pub fn is_empty(&self) -> bool {
        self.0 == [None, None]
    }

    /// How many strategies dominate the row (0, 1 or 2).
    pub fn len(&self) -> usize {
        self.0.iter().flatten().count()
    }
}

impl Serialize for DominatedBy<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

fn check(strategies: &[Strategy]) -> Result<()> {
    if strategies.is_empty() {
        return Err(PriorityError::input(
            "strategies",
            "at least one strategy is required",
        ));
    }
    unique_ids("strategies", &strategies.iter().map(|s| s.id.as_str()))?;
    for (i, s) in strategies.iter().enumerate() {
        finite(|| format!("strategies[{i}].effect"), s.effect)?;
    }
    Ok(())
}

/// The nearest `f64` to an amount: one correctly rounded division when the mantissa fits in 53
/// bits (every amount a JSON number can carry), otherwise through the decimal text.
pub(crate) fn to_f64(m: Money) -> f64 {
    let d = m.amount();
    let mantissa = d.mantissa();
    let scale = d.scale();
    if mantissa.unsigned_abs() < (1u128 << 53) && scale <= 22 {
        #[allow(clippy::cast_precision_loss)] // below 2^53 the conversion is exact
        let x = mantissa as f64;
        x / 10f64.powi(i32::try_from(scale).unwrap_or(0))
    } else {
        d.to_string().parse().unwrap_or(f64::NAN)
    }
}

/// Indices sorted by cost ascending, effect descending, then input order. Costs are compared
/// as integers at a common scale when they fit in 128 bits (the usual case), exactly as
/// decimals otherwise.
fn sorted_order(strategies: &[Strategy]) -> Vec<usize> {
    let scale = strategies
        .iter()
        .map(|s| s.cost.amount().scale())
        .max()
        .unwrap_or(0);
    let keys: Option<Vec<i128>> = strategies
        .iter()
        .map(|s| {
            let d = s.cost.amount();
            10i128
                .checked_pow(scale.saturating_sub(d.scale()))
                .and_then(|f| d.mantissa().checked_mul(f))
        })
        .collect();
    match keys {
        Some(keys) => {
            let mut keyed: Vec<(i128, u64, usize)> = keys
                .into_iter()
                .zip(strategies)
                .enumerate()
                .map(|(i, (k, s))| (k, !crate::mcda::ordered_bits(s.effect), i))
                .collect();
            keyed.sort_unstable();
            keyed.into_iter().map(|(_, _, i)| i).collect()
        }
        None => {
            let mut order: Vec<usize> = (0..strategies.len()).collect();
            order.sort_by(|&a, &b| match (strategies.get(a), strategies.get(b)) {
                (Some(x), Some(y)) => x
                    .cost
                    .cmp(&y.cost)
                    .then(y.effect.total_cmp(&x.effect))
                    .then(a.cmp(&b)),
                _ => a.cmp(&b),
            });
            order
        }
    }
}

/// The frontier by position, without building the output rows.
struct Classified {
    order: Vec<usize>,
    status: Vec<Status>,
    by: Vec<[Option<usize>; 2]>,
    stack: Vec<usize>,
}

fn classify(strategies: &[Strategy]) -> Classified {
    let get = |i: usize| strategies.get(i);
    let order = sorted_order(strategies);
    let mut status = vec![Status::NonDominated; strategies.len()];
    // Who dominates each strategy, by position; turned into ids only for the output rows.
    let mut by: Vec<[Option<usize>; 2]> = vec![[None, None]; strategies.len()];
    // Strong dominance: a running maximum of effect along the sorted order.
    let mut best: Option<usize> = None;
    let mut candidates = Vec::with_capacity(order.len());
    for &i in &order {
        let e = get(i).map_or(f64::NAN, |s| s.effect);
        match best {
            Some(b) if get(b).is_some_and(|s| s.effect >= e) => {
                if let (Some(st), Some(d)) = (status.get_mut(i), by.get_mut(i)) {
                    *st = Status::Dominated;
                    *d = [Some(b), None];
                }
            }
            _ => {
                best = Some(i);
                candidates.push(i);
            }
        }
    }
    // Extended dominance: keep the ICERs non-decreasing along a stack.
    let icer = |a: usize, b: usize| -> f64 {
        match (get(a), get(b)) {
            (Some(x), Some(y)) => {
                to_f64(y.cost.checked_sub(x.cost).unwrap_or(Money::ZERO)) / (y.effect - x.effect)
            }
            _ => f64::NAN,
        }
    };
    let mut stack: Vec<usize> = Vec::with_capacity(candidates.len());
    for &k in &candidates {
        while stack.len() >= 2 {
            let (p, q) = (
                stack.get(stack.len().saturating_sub(2)).copied(),
                stack.last().copied(),
            );
            let (Some(p), Some(q)) = (p, q) else { break };
            if icer(p, q) > icer(q, k) {
                stack.pop();
                if let (Some(st), Some(d)) = (status.get_mut(q), by.get_mut(q)) {
                    *st = Status::ExtendedlyDominated;
                    *d = [Some(p), Some(k)];
                }
            } else {
                break;
            }
        }
        stack.push(k);
    }
    Classified {
        order,
        status,
        by,
        stack,
    }
}

/// The frontier as positions: which strategies are non-dominated, in cost order, and each
/// strategy's status in input order. The same algorithm as [`calculate_icers`] without the
/// output rows (no ids are copied), for very large inputs; ids are not checked for duplicates.
///
/// ```
/// use commissioning_priority::cea::{frontier, Status, Strategy};
/// use commissioning_model::Money;
/// let s = |c: i64, e: f64| Strategy::new("", Money::from_pounds(c), e);
/// let f = frontier(&[s(5_000, 1.0), s(12_000, 1.5), s(10_000, 2.0)])?;
/// assert_eq!(f.non_dominated, [0, 2]);
/// assert_eq!(f.status[1], Status::Dominated);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no strategies or a non-finite effect.
pub fn frontier(strategies: &[Strategy]) -> Result<Frontier> {
    if strategies.is_empty() {
        return Err(PriorityError::input(
            "strategies",
            "at least one strategy is required",
        ));
    }
    for (i, s) in strategies.iter().enumerate() {
        finite(|| format!("strategies[{i}].effect"), s.effect)?;
    }
    let c = classify(strategies);
    Ok(Frontier {
        non_dominated: c.stack,
        status: c.status,
    })
}

/// The frontier by position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Frontier {
    /// Positions (0-based, in the input) of the non-dominated strategies, cheapest first.
    pub non_dominated: Vec<usize>,
    /// Each strategy's status, in input order.
    pub status: Vec<Status>,
}

/// Computes the frontier table.
///
/// ```
/// use commissioning_priority::cea::{calculate_icers, Status, Strategy};
/// use commissioning_model::Money;
///
/// let s = |id: &str, cost: i64, effect: f64| Strategy::new(id, Money::from_pounds(cost), effect);
/// let strategies = [s("UC", 5_000, 1.0), s("A", 12_000, 1.5), s("B", 10_000, 2.0),
///                   s("C", 25_000, 3.0), s("D", 35_000, 4.0), s("E", 55_000, 5.0)];
/// let rows = calculate_icers(&strategies)?; // the rows borrow their ids from the strategies
/// let table: Vec<(&str, Status)> = rows.iter().map(|r| (r.id, r.status)).collect();
/// assert_eq!(table, [("UC", Status::NonDominated), ("B", Status::NonDominated),
///     ("D", Status::NonDominated), ("E", Status::NonDominated),
///     ("C", Status::ExtendedlyDominated), ("A", Status::Dominated)]);
/// assert_eq!(rows[2].icer, Some(12_500.0));
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no strategies, a non-finite effect, or duplicate ids.
pub fn calculate_icers(strategies: &[Strategy]) -> Result<Vec<IcerRow<'_>>> {
    check(strategies)?;
    icers_of_checked(strategies)
}

/// [`calculate_icers`] and [`net_monetary_benefit`] at one threshold together, the strategies
/// checked once (for large inputs, where checking the ids is a noticeable part of the work).
///
/// ```
/// use commissioning_priority::cea::{calculate_icers_with_nmb, Strategy};
/// use commissioning_model::Money;
///
/// let s = |id: &str, cost: i64, effect: f64| Strategy::new(id, Money::from_pounds(cost), effect);
/// let strategies = [s("B", 10_000, 2.0), s("D", 35_000, 4.0)];
/// let (rows, (nmb, best)) = calculate_icers_with_nmb(&strategies, 12_500.0)?;
/// assert_eq!(rows[1].icer, Some(12_500.0));
/// assert_eq!(nmb[1].nmb, 15_000.0);
/// assert_eq!(best, ["B", "D"]);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// As [`calculate_icers`], then as [`net_monetary_benefit`] for the threshold.
#[allow(clippy::type_complexity)] // the two functions' results, side by side
pub fn calculate_icers_with_nmb(
    strategies: &[Strategy],
    threshold: f64,
) -> Result<(Vec<IcerRow<'_>>, (Vec<Nmb<'_>>, Vec<&str>))> {
    check(strategies)?;
    let rows = icers_of_checked(strategies)?;
    Ok((rows, nmb_of_checked(strategies, threshold)?))
}

/// The frontier table of strategies that [`check`] has passed.
fn icers_of_checked(strategies: &[Strategy]) -> Result<Vec<IcerRow<'_>>> {
    let get = |i: usize| strategies.get(i);
    let Classified {
        order,
        status,
        by,
        stack,
    } = classify(strategies);
    let mut rows = Vec::with_capacity(strategies.len());
    let mut prev: Option<usize> = None;
    for &i in &stack {
        let Some(s) = get(i) else { continue };
        let (inc_cost, inc_effect, ratio) = match prev.and_then(get) {
            Some(p) => {
                let dc = s.cost.checked_sub(p.cost)?;
                let de = s.effect - p.effect;
                (Some(dc), Some(de), Some(to_f64(dc) / de))
            }
            None => (None, None, None),
        };
        rows.push(IcerRow {
            id: &s.id,
            cost: s.cost,
            effect: s.effect,
            inc_cost,
            inc_effect,
            icer: ratio,
            status: Status::NonDominated,
            dominated_by: DominatedBy::default(),
        });
        prev = Some(i);
    }
    for wanted in [Status::ExtendedlyDominated, Status::Dominated] {
        for &i in &order {
            if status.get(i) == Some(&wanted)
                && let Some(s) = get(i)
            {
                let [first, second] = by.get(i).copied().unwrap_or([None, None]);
                let id_of = |j: Option<usize>| j.and_then(get).map(|s| s.id.as_str());
                rows.push(IcerRow {
                    id: &s.id,
                    cost: s.cost,
                    effect: s.effect,
                    inc_cost: None,
                    inc_effect: None,
                    icer: None,
                    status: wanted,
                    dominated_by: DominatedBy([id_of(first), id_of(second)]),
                });
            }
        }
    }
    Ok(rows)
}

/// A strategy's net monetary benefit (the id borrowed from the strategy).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Nmb<'a> {
    /// The strategy.
    pub id: &'a str,
    /// `threshold × effect − cost`.
    pub nmb: f64,
}

/// Net monetary benefit at a threshold, and the strategies that attain the maximum (all of
/// them, in input order, when they tie).
///
/// ```
/// use commissioning_priority::cea::{net_monetary_benefit, Strategy};
/// use commissioning_model::Money;
///
/// let s = |id: &str, cost: i64, effect: f64| Strategy::new(id, Money::from_pounds(cost), effect);
/// let strategies = [s("B", 10_000, 2.0), s("D", 35_000, 4.0)];
/// let (nmb, best) = net_monetary_benefit(&strategies, 12_500.0)?;
/// assert_eq!(nmb[1].nmb, 15_000.0);
/// assert_eq!(best, ["B", "D"]); // at a frontier ICER the two tie
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// As [`calculate_icers`]'s input checks, and a non-finite or negative threshold.
pub fn net_monetary_benefit(
    strategies: &[Strategy],
    threshold: f64,
) -> Result<(Vec<Nmb<'_>>, Vec<&str>)> {
    check(strategies)?;
    nmb_of_checked(strategies, threshold)
}

/// Net monetary benefit of strategies that [`check`] has passed.
fn nmb_of_checked(strategies: &[Strategy], threshold: f64) -> Result<(Vec<Nmb<'_>>, Vec<&str>)> {
    finite(|| "willingness_to_pay".into(), threshold)?;
    if threshold < 0.0 {
        return Err(PriorityError::input(
            "willingness_to_pay",
            "must not be negative",
        ));
    }
    let nmb: Vec<Nmb<'_>> = strategies
        .iter()
        .map(|s| Nmb {
            id: &s.id,
            nmb: threshold * s.effect - to_f64(s.cost),
        })
        .collect();
    let max = nmb.iter().map(|n| n.nmb).fold(f64::NEG_INFINITY, f64::max);
    let best = nmb.iter().filter(|n| n.nmb == max).map(|n| n.id).collect();
    Ok((nmb, best))
}

/// Cost per unit of effect of a strategy against a comparator: `Δcost / Δeffect`.
///
/// # Errors
///
/// [`PriorityError::Undefined`] when the effects are equal.
pub fn cost_per_qaly(
    cost: Money,
    effect: f64,
    comparator_cost: Money,
    comparator_effect: f64,
) -> Result<f64> {
    let de = effect - comparator_effect;
    if de == 0.0 || !de.is_finite() {
        return Err(PriorityError::Undefined {
            what: "cost per QALY".into(),
            reason: "the effects are equal".into(),
        });
    }
    Ok(to_f64(cost.checked_sub(comparator_cost)?) / de)
}

/// A NICE cost-effectiveness threshold range, in pounds per QALY, by date and kind of
/// appraisal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NiceThreshold {
    /// The lower end of the range.
    pub lower: f64,
    /// The upper end of the range.
    pub upper: f64,
    /// The guidance the range comes from.
    pub source: String,
}

/// What is being appraised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Appraisal {
    /// A medicine (technology appraisal).
    Medicine,
    /// Any other intervention or service.
    Other,
}

/// The NICE threshold range in force on a date: £20,000–£30,000 per QALY (NICE health
/// technology evaluations manual, 2022, and earlier methods guides), and for medicines
/// appraised from 1 April 2026, £25,000–£35,000.
///
/// ```
/// use commissioning_priority::cea::{nice_threshold, Appraisal};
/// use chrono::NaiveDate;
/// let t = nice_threshold(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), Appraisal::Medicine);
/// assert_eq!((t.lower, t.upper), (25_000.0, 35_000.0));
/// ```
pub fn nice_threshold(on: NaiveDate, appraisal: Appraisal) -> NiceThreshold {
    let from = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or(NaiveDate::MAX);
    if appraisal == Appraisal::Medicine && on >= from {
        NiceThreshold {
            lower: 25_000.0,
            upper: 35_000.0,
            source: "NICE threshold for medicines from April 2026".into(),
        }
    } else {
        NiceThreshold {
            lower: 20_000.0,
            upper: 30_000.0,
            source: "NICE health technology evaluations manual (2022)".into(),
        }
    }
}

/// When in each year costs and effects fall, for discounting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// At the start of each year: year 1 is not discounted (factor 1), year t by `(1 + r)^(t−1)`.
    #[default]
    StartOfYear,
    /// At the end of each year: year t is discounted by `(1 + r)^t`.
    EndOfYear,
    /// In the middle of each year: year t by `(1 + r)^(t − 0.5)`.
    MidYear,
}

/// NICE's reference-case discount rate for costs and effects: 3.5% a year.
pub fn nice_discount_rate() -> Rate {
    Rate::from_fraction(Decimal::new(35, 3))
}

/// Present value of a stream of yearly amounts (year 1 first) at rate `r` with the timing
/// stated: `Σ xₜ / (1 + r)^e(t)`.
///
/// ```
/// use commissioning_priority::cea::{present_value, Timing};
/// let pv = present_value(&[100.0, 100.0], 0.035, Timing::StartOfYear)?;
/// assert!((pv - (100.0 + 100.0 / 1.035)).abs() < 1e-12);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for a rate at or below −100% or non-finite values.
pub fn present_value(stream: &[f64], rate: f64, timing: Timing) -> Result<f64> {
    finite(|| "rate".into(), rate)?;
    if rate <= -1.0 {
        return Err(PriorityError::input("rate", "must be above -100%"));
    }
    let mut total = 0.0;
    for (i, x) in stream.iter().enumerate() {
        finite(|| format!("stream[{i}]"), *x)?;
        #[allow(clippy::cast_precision_loss)]
        let t = (i as f64) + 1.0;
        let exponent = match timing {
            Timing::StartOfYear => t - 1.0,
            Timing::EndOfYear => t,
            Timing::MidYear => t - 0.5,
        };
        total += x / (1.0 + rate).powf(exponent);
    }
    Ok(total)
}

commissioning_model::words_from_str!(
    Status => "status",
);
