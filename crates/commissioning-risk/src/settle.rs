//! Settling an agreement: from target and outturn to a transfer, with its working and split.
//!
//! The steps, in order, each recorded in [`Settlement::steps`]:
//!
//! 1. **Variance** = target − outturn; its sign picks the gain or loss side.
//! 2. **Bands**: the side's bands turn the variance's magnitude into a gross shared amount
//!    (net of threshold: each band's rate on its own slice; first-dollar: the rate of the
//!    band reached on the whole variance).
//! 3. **Quality gate**: on the gain side the shared amount is scaled (or blocked) by the
//!    quality result; on the loss side a quality-adjusted rate replaces the bands' rates.
//! 4. **Caps**: the lesser of the side's caps limits the shared amount.
//! 5. **Sign**: under shared savings a gain share is paid to the provider and a loss share by
//!    it; under a risk corridor the other way round.
//! 6. **Proration**: a payment *to* the provider is scaled by the proration factor when the
//!    paying pool is short; payments *by* the provider are never prorated.
//! 7. **Rounding**: once, to pence, with the agreement's mode.
//! 8. **Split**: the transfer is divided among the providers and, with the opposite sign,
//!    among the commissioners, each to the penny by largest remainder.

use commissioning_model::{Decimal, Money, Share, allocate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::agreement::{Agreement, Basis, GainGate, Limit, Mode, PartyGroup, SideRule, Threshold};
use crate::error::{Result, RiskError, overflow};

/// The quality result for the period settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QualityOutcome {
    /// The quality standard is met.
    Meets,
    /// Only an alternative or partial standard is met.
    PartlyMeets,
    /// The quality standard is not met.
    Fails,
}

/// A quality outcome with its score, where the agreement needs one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct QualityResult {
    /// The outcome.
    pub outcome: QualityOutcome,
    /// The quality score, 0 to 100.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "commissioning_model::decimal::serde_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<Decimal>,
}

impl QualityResult {
    /// An outcome with an optional score.
    pub fn new(outcome: QualityOutcome, score: Option<Decimal>) -> Self {
        Self { outcome, score }
    }
}

/// What is known at settlement: target, outturn and the facts the rules need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SettlementInput {
    /// The target (benchmark, expected cost).
    pub target: Money,
    /// The outturn (actual cost or expenditure).
    pub outturn: Money,
    /// The quality result, required when the agreement has a quality gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<QualityResult>,
    /// Named bases for caps expressed as a share of something other than the target (e.g.
    /// `"revenue"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bases: BTreeMap<String, Money>,
    /// The factor applied to payments to the provider when the paying pool is short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proration: Option<Share>,
}

impl SettlementInput {
    /// Target and outturn only.
    pub fn new(target: Money, outturn: Money) -> Self {
        Self {
            target,
            outturn,
            quality: None,
            bases: BTreeMap::new(),
            proration: None,
        }
    }

    /// The same input with a quality result.
    #[must_use]
    pub fn with_quality(mut self, quality: QualityResult) -> Self {
        self.quality = Some(quality);
        self
    }

    /// The same input with a named base for caps.
    #[must_use]
    pub fn with_base(mut self, name: impl Into<String>, amount: Money) -> Self {
        self.bases.insert(name.into(), amount);
        self
    }

    /// The same input with a proration factor for payments to the provider.
    #[must_use]
    pub fn with_proration(mut self, factor: Share) -> Self {
        self.proration = Some(factor);
        self
    }
}

/// Which side of target the outturn fell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Below target: an underspend.
    Gain,
    /// Above target: an overspend.
    Loss,
    /// Exactly on target.
    OnTarget,
}

/// Plain words, as a report would print them.
///
/// ```
/// use commissioning_risk::settle::Side;
/// assert_eq!(Side::Loss.to_string(), "loss (overspend)");
/// ```
impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::Gain => "gain (underspend)",
            Self::Loss => "loss (overspend)",
            Self::OnTarget => "on target",
        })
    }
}

/// A band that took part in the settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AppliedBand {
    /// Its position in the side's bands (0-based).
    pub index: usize,
    /// Its lower edge in money.
    pub from: Money,
    /// Its upper edge in money, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Money>,
    /// The rate applied.
    pub rate: Share,
    /// The part of the variance the rate applied to.
    pub portion: Money,
    /// `rate × portion`, exact.
    pub amount: Money,
}

/// What a step of the settlement did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum StepKind {
    /// The bands gave the gross shared amount.
    Bands,
    /// The quality gate changed the shared amount.
    QualityGate,
    /// A cap or collar bound.
    Cap {
        /// Which of the side's caps (0-based).
        index: usize,
    },
    /// The sign was applied: who pays whom.
    Direction,
    /// Payments to the provider were prorated.
    Proration,
    /// Every party on one side is capped and together they cannot pay or receive the whole
    /// transfer, so it is reduced to what they can.
    PartyCaps,
    /// The one rounding step.
    Rounding,
}

/// One step of the working, with the amount before and after it. In JSON the step's kind is
/// flat beside its amounts: `{"kind": "cap", "index": 0, "before": …, "after": …, "note": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Step {
    /// What happened.
    #[serde(flatten)]
    pub kind: StepKind,
    /// The amount before the step.
    pub before: Money,
    /// The amount after it.
    pub after: Money,
    /// A plain-English account of the step.
    pub note: String,
}

/// Which side of the agreement a party is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A commissioner.
    Commissioner,
    /// A provider.
    Provider,
}

/// Plain words, as a report would print them.
///
/// ```
/// use commissioning_risk::settle::Role;
/// assert_eq!(format!("{:>12}", Role::Provider), "    provider");
/// ```
impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::Commissioner => "commissioner",
            Self::Provider => "provider",
        })
    }
}

/// A party's part of the transfer: positive means it receives money, negative that it pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartyAmount {
    /// The party.
    pub id: String,
    /// Its side.
    pub role: Role,
    /// What it receives (positive) or pays (negative).
    pub amount: Money,
}

/// A settled agreement with its full working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Settlement {
    /// The agreement's name.
    pub agreement: String,
    /// The target.
    pub target: Money,
    /// The outturn.
    pub outturn: Money,
    /// Target − outturn: positive below target.
    pub variance: Money,
    /// The variance as a fraction of the target, to 10 decimal places; absent for a zero target.
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "commissioning_model::decimal::serde_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub variance_fraction: Option<Decimal>,
    /// Which side of target the outturn fell.
    pub side: Side,
    /// The bands that took part (with the contract's rates, before any quality adjustment).
    pub bands: Vec<AppliedBand>,
    /// The amount shared before quality, caps and proration (a magnitude).
    pub gross_share: Money,
    /// Every step from the variance to the transfer.
    pub steps: Vec<Step>,
    /// The transfer, rounded: positive when the commissioner pays the provider.
    pub transfer: Money,
    /// The transfer divided among the parties, if the agreement has a split.
    pub split: Vec<PartyAmount>,
    /// The working in plain English, one line per step.
    pub explanation: Vec<String>,
}

/// Settles an agreement for one period.
///
/// # Examples
///
/// The ACA risk corridor for 2014–2016 at 110% of target (HHS pays the plan 2.5% of target
/// plus 80% of costs above 108%):
///
/// ```
/// use commissioning_risk::presets;
/// use commissioning_risk::settle::{settle, SettlementInput};
/// use commissioning_model::Money;
///
/// let aca = presets::aca_risk_corridor();
/// let s = settle(&aca, &SettlementInput::new("100000000.00".parse()?, "110000000.00".parse()?))?;
/// assert_eq!(s.transfer, "4100000.00".parse::<Money>()?);
/// assert_eq!(s.bands.len(), 2); // 50% of 3%–8% and 80% beyond 8%
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidAgreement`] for an agreement that fails [`Agreement::validate`] or whose
/// bands are out of order once resolved to money; [`RiskError::InvalidInput`] for a negative
/// target or outturn, a zero target where a percentage is needed, a missing base or quality
/// result, or a quality score outside 0..=100; an overflow error when an amount does not fit.
pub fn settle(agreement: &Agreement, input: &SettlementInput) -> Result<Settlement> {
    agreement.validate()?;
    run(agreement, input, true)
}

/// Builds a step's note only when the settlement is to be explained.
fn note(explain: bool, text: impl FnOnce() -> String) -> String {
    if explain { text() } else { String::new() }
}

/// Settles an agreement already validated; without `explain` no text is built, for batches.
pub(crate) fn run(
    agreement: &Agreement,
    input: &SettlementInput,
    explain: bool,
) -> Result<Settlement> {
    if input.target.is_negative() {
        return Err(RiskError::input(
            "target",
            format!("must not be negative, got {}", input.target),
        ));
    }
    if input.outturn.is_negative() {
        return Err(RiskError::input(
            "outturn",
            format!("must not be negative, got {}", input.outturn),
        ));
    }
    let variance = input.target.checked_sub(input.outturn)?;
    let side = if variance.is_zero() {
        Side::OnTarget
    } else if variance.is_negative() {
        Side::Loss
    } else {
        Side::Gain
    };
    let variance_fraction = if input.target.is_zero() {
        None
    } else {
        Some(
            input
                .outturn
                .checked_ratio(input.target)
                .ok()
                .and_then(|r| Decimal::ONE.checked_sub(r))
                .ok_or_else(|| overflow("variance fraction"))?
                .normalize(),
        )
    };
    let magnitude = variance.abs();
    let (rule, side_name) = match side {
        Side::Gain => (agreement.gain.as_ref(), "gain"),
        Side::Loss => (agreement.loss.as_ref(), "loss"),
        Side::OnTarget => (None, "none"),
    };

    let mut steps = Vec::new();
    let mut bands = Vec::new();
    let mut shared = Money::ZERO;
    if let Some(rule) = rule {
        bands = apply_bands(rule, side_name, input.target, magnitude, None)?;
        shared = Money::checked_sum(bands.iter().map(|b| b.amount))?;
        let text = || {
            if bands.is_empty() {
                format!(
                    "the variance of {magnitude} does not reach the first {side_name} band, so nothing is shared"
                )
            } else {
                let parts: Vec<String> = bands
                    .iter()
                    .map(|b| {
                        format!(
                            "{} of {} in band {} ({}{})",
                            b.rate,
                            b.portion,
                            b.index.saturating_add(1),
                            b.from,
                            b.to.map_or_else(|| " and above".to_owned(), |t| format!(" to {t}"))
                        )
                    })
                    .collect();
                format!(
                    "{} sharing: {} = {}",
                    mode_name(rule.mode),
                    parts.join(" + "),
                    shared
                )
            }
        };
        steps.push(Step {
            kind: StepKind::Bands,
            before: magnitude,
            after: shared,
            note: note(explain, text),
        });
        if !bands.is_empty() {
            shared = apply_quality(
                agreement, input, rule, side, side_name, magnitude, shared, &mut steps, explain,
            )?;
        }
        shared = apply_caps(rule, side_name, input, shared, &mut steps, explain)?;
    }
    let gross_share = steps.first().map_or(Money::ZERO, |s| s.after);

    let to_provider = matches!(
        (agreement.basis, side),
        (Basis::SharedSavings, Side::Gain) | (Basis::RiskCorridor, Side::Loss)
    );
    let mut transfer = if to_provider {
        shared
    } else {
        shared.negated()
    };
    if !shared.is_zero() {
        let who = if to_provider {
            "the commissioner pays the provider"
        } else {
            "the provider pays the commissioner"
        };
        steps.push(Step {
            kind: StepKind::Direction,
            before: shared,
            after: transfer,
            note: note(explain, || format!("{who} {shared}")),
        });
    }
    if let Some(factor) = input.proration
        && transfer > Money::ZERO
        && factor != Share::ONE
    {
        let prorated = factor.of(transfer)?;
        steps.push(Step {
            kind: StepKind::Proration,
            before: transfer,
            after: prorated,
            note: note(explain, || format!(
                "payments to the provider are prorated at {factor}: {transfer} becomes {prorated}"
            )),
        });
        transfer = prorated;
    }
    let rounded = transfer.round(agreement.rounding);
    if rounded != transfer {
        steps.push(Step {
            kind: StepKind::Rounding,
            before: transfer,
            after: rounded,
            note: note(explain, || {
                format!("rounded to pence: {transfer} becomes {rounded}")
            }),
        });
    }
    let mut rounded = rounded;
    if let Some(s) = &agreement.split {
        let capacity = [s.commissioners.capacity(), s.providers.capacity()]
            .into_iter()
            .flatten()
            .min();
        if let Some(limit) = capacity
            && rounded.abs() > limit
        {
            let reduced = if rounded.is_negative() {
                limit.negated()
            } else {
                limit
            };
            steps.push(Step {
                kind: StepKind::PartyCaps,
                before: rounded,
                after: reduced,
                note: note(explain, || format!("every party on one side is capped and together they can move at most {limit}: {rounded} becomes {reduced}")),
            });
            rounded = reduced;
        }
    }
    let split = match &agreement.split {
        Some(s) => split_transfer(rounded, &s.commissioners, &s.providers, agreement)?,
        None => Vec::new(),
    };

    let explanation = if explain {
        explain_lines(
            agreement,
            input,
            variance,
            side,
            side_name,
            rule.is_some(),
            &steps,
            rounded,
            &split,
        )
    } else {
        Vec::new()
    };

    Ok(Settlement {
        agreement: agreement.name.clone(),
        target: input.target,
        outturn: input.outturn,
        variance,
        variance_fraction,
        side,
        bands,
        gross_share,
        steps,
        transfer: rounded,
        split,
        explanation,
    })
}

#[allow(clippy::too_many_arguments)]
fn explain_lines(
    agreement: &Agreement,
    input: &SettlementInput,
    variance: Money,
    side: Side,
    side_name: &str,
    has_rule: bool,
    steps: &[Step],
    rounded: Money,
    split: &[PartyAmount],
) -> Vec<String> {
    let mut explanation = Vec::with_capacity(steps.len().saturating_add(3));
    explanation.push(format!(
        "{}: target {}, outturn {}, variance {} ({})",
        agreement.name,
        input.target,
        input.outturn,
        variance,
        match side {
            Side::Gain => "below target: the gain side",
            Side::Loss => "above target: the loss side",
            Side::OnTarget => "on target",
        }
    ));
    if !has_rule && side != Side::OnTarget {
        explanation.push(format!(
            "the agreement shares nothing on the {side_name} side"
        ));
    }
    explanation.extend(steps.iter().map(|s| s.note.clone()));
    let mut last = format!("transfer: {rounded}");
    if rounded.is_negative() {
        let _ = write!(
            last,
            " (the provider pays the commissioner {})",
            rounded.abs()
        );
    } else if !rounded.is_zero() {
        let _ = write!(last, " (the commissioner pays the provider {rounded})");
    }
    explanation.push(last);
    for p in split {
        explanation.push(format!(
            "  {} ({}): {}",
            p.id,
            match p.role {
                Role::Commissioner => "commissioner",
                Role::Provider => "provider",
            },
            p.amount
        ));
    }
    explanation
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::NetOfThreshold => "net-of-threshold",
        Mode::FirstDollar => "first-dollar",
    }
}

/// The bands that share `magnitude`, with the rate `override_rate` in place of the bands'
/// own rates when given.
pub(crate) fn apply_bands(
    rule: &SideRule,
    side: &str,
    target: Money,
    magnitude: Money,
    override_rate: Option<Share>,
) -> Result<Vec<AppliedBand>> {
    let mut out = Vec::new();
    let mut edges = Vec::with_capacity(rule.bands.len());
    for (i, band) in rule.bands.iter().enumerate() {
        let from = band
            .from
            .resolve_lazy(target, || format!("{side}.bands[{i}].from"))?;
        let to = band
            .to
            .map(|t| t.resolve_lazy(target, || format!("{side}.bands[{i}].to")))
            .transpose()?;
        if let Some(to) = to
            && to <= from
        {
            return Err(RiskError::agreement(
                format!("{side}.bands[{i}].to"),
                format!("resolves to {to}, not above the band's start {from}"),
            ));
        }
        edges.push((from, to));
    }
    match rule.mode {
        Mode::NetOfThreshold => {
            for (i, (band, (from, to))) in rule.bands.iter().zip(&edges).enumerate() {
                if magnitude <= *from {
                    break;
                }
                let top = to.map_or(magnitude, |t| magnitude.min(t));
                let portion = top.checked_sub(*from)?;
                let rate = override_rate.unwrap_or(band.rate);
                out.push(AppliedBand {
                    index: i,
                    from: *from,
                    to: *to,
                    rate,
                    portion,
                    amount: rate.of(portion)?,
                });
            }
        }
        Mode::FirstDollar => {
            let reached =
                rule.bands
                    .iter()
                    .zip(&edges)
                    .enumerate()
                    .rev()
                    .find(|(_, (band, (from, _)))| {
                        if band.from_inclusive {
                            magnitude >= *from
                        } else {
                            magnitude > *from
                        }
                    });
            if let Some((i, (band, (from, to)))) = reached {
                let inside = to.is_none_or(|t| magnitude < t);
                if inside {
                    let rate = override_rate.unwrap_or(band.rate);
                    out.push(AppliedBand {
                        index: i,
                        from: *from,
                        to: *to,
                        rate,
                        portion: magnitude,
                        amount: rate.of(magnitude)?,
                    });
                }
            }
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn apply_quality(
    agreement: &Agreement,
    input: &SettlementInput,
    rule: &SideRule,
    side: Side,
    side_name: &str,
    magnitude: Money,
    shared: Money,
    steps: &mut Vec<Step>,
    explain: bool,
) -> Result<Money> {
    let Some(gate) = &agreement.quality else {
        return Ok(shared);
    };
    let needs_quality = match side {
        Side::Gain => gate.gain != GainGate::None,
        Side::Loss => gate.loss_rate.is_some(),
        Side::OnTarget => false,
    };
    if !needs_quality {
        return Ok(shared);
    }
    let quality = input.quality.as_ref().ok_or_else(|| {
        RiskError::input(
            "quality",
            "the agreement's quality gate needs a quality result",
        )
    })?;
    let score = |required: bool| -> Result<Option<Decimal>> {
        match quality.score {
            Some(s) if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED => Err(RiskError::input(
                "quality.score",
                format!("must be between 0 and 100, got {s}"),
            )),
            None if required => Err(RiskError::input(
                "quality.score",
                "a score is needed for this quality outcome",
            )),
            other => Ok(other),
        }
    };
    match side {
        Side::Gain => {
            let (factor, why) = match (gate.gain, quality.outcome) {
                (_, QualityOutcome::Fails) => (
                    Decimal::ZERO,
                    "quality fails, so no gain share is paid".to_owned(),
                ),
                (GainGate::ScaleByScore, QualityOutcome::PartlyMeets) => {
                    let s = score(true)?.unwrap_or_default();
                    (
                        s.checked_div(Decimal::ONE_HUNDRED)
                            .ok_or_else(|| overflow("quality factor"))?,
                        format!(
                            "quality partly meets with score {s}, so the gain share is scaled by {s}%"
                        ),
                    )
                }
                _ => (
                    Decimal::ONE,
                    "quality meets the standard: the full gain share is kept".to_owned(),
                ),
            };
            let after = shared.checked_mul_decimal(factor)?;
            steps.push(Step {
                kind: StepKind::QualityGate,
                before: shared,
                after,
                note: note(explain, || format!("{why}: {shared} becomes {after}")),
            });
            Ok(after)
        }
        Side::Loss => {
            let Some(lr) = &gate.loss_rate else {
                return Ok(shared);
            };
            let rate = if quality.outcome == QualityOutcome::Fails {
                lr.on_fail.fraction()
            } else {
                let s = score(true)?.unwrap_or_default();
                let raw = s
                    .checked_mul(lr.slope)
                    .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                    .and_then(|v| lr.intercept.checked_sub(v))
                    .ok_or_else(|| overflow("quality-adjusted loss rate"))?;
                raw.max(lr.min.fraction()).min(lr.max.fraction())
            };
            let rate = Share::try_new_field("quality.loss_rate", rate.normalize())?;
            let bands = apply_bands(rule, side_name, input.target, magnitude, Some(rate))?;
            let after = Money::checked_sum(bands.iter().map(|b| b.amount))?;
            steps.push(Step {
                kind: StepKind::QualityGate,
                before: shared,
                after,
                note: note(explain, || {
                    format!("the quality-adjusted loss rate is {rate}: {shared} becomes {after}")
                }),
            });
            Ok(after)
        }
        Side::OnTarget => Ok(shared),
    }
}

/// The amount cap `i` of a side allows for this settlement's target and bases.
pub(crate) fn cap_limit(
    cap: &Limit,
    side: &str,
    i: usize,
    input: &SettlementInput,
) -> Result<Money> {
    Ok(match cap {
        Limit::Amount { amount } => *amount,
        Limit::OfTarget { rate } => Threshold::OfTarget { rate: *rate }
            .resolve_lazy(input.target, || format!("{side}.caps[{i}]"))?,
        Limit::OfBase { base, rate } => {
            let value = input.bases.get(base).ok_or_else(|| {
                RiskError::input(
                    format!("bases.{base}"),
                    format!("is needed by {side}.caps[{i}] but was not given"),
                )
            })?;
            if value.is_negative() {
                return Err(RiskError::input(
                    format!("bases.{base}"),
                    "must not be negative",
                ));
            }
            rate.of(*value)?
        }
    })
}

fn apply_caps(
    rule: &SideRule,
    side: &str,
    input: &SettlementInput,
    shared: Money,
    steps: &mut Vec<Step>,
    explain: bool,
) -> Result<Money> {
    let mut binding: Option<(usize, Money)> = None;
    for (i, cap) in rule.caps.iter().enumerate() {
        let limit = cap_limit(cap, side, i, input)?;
        if binding.is_none_or(|(_, l)| limit < l) {
            binding = Some((i, limit));
        }
    }
    match binding {
        Some((i, limit)) if shared > limit => {
            let what = if side == "gain" { "cap" } else { "collar" };
            steps.push(Step {
                kind: StepKind::Cap { index: i },
                before: shared,
                after: limit,
                note: note(explain, || {
                    format!(
                        "the {side} {what} {} ({}) binds: {shared} becomes {limit}",
                        i.saturating_add(1),
                        describe_limit(&rule.caps, i)
                    )
                }),
            });
            Ok(limit)
        }
        _ => Ok(shared),
    }
}

fn describe_limit(caps: &[Limit], i: usize) -> String {
    match caps.get(i) {
        Some(Limit::Amount { amount }) => format!("{amount}"),
        Some(Limit::OfTarget { rate }) => format!("{rate} of target"),
        Some(Limit::OfBase { base, rate }) => format!("{rate} of {base}"),
        None => String::new(),
    }
}

/// Allocates `amount` by weight, holding any party at its cap and sharing the excess among
/// the others by weight, until no cap is exceeded. The caller has limited `amount` to what
/// the capped parties can absorb.
fn allocate_capped(
    amount: Money,
    parties: &[crate::agreement::Party],
    agreement: &Agreement,
) -> Result<Vec<Money>> {
    let weights: Vec<Decimal> = parties.iter().map(|p| p.weight).collect();
    if parties.iter().all(|p| p.cap.is_none()) {
        return Ok(allocate(amount, &weights, agreement.rounding)?);
    }
    let magnitude = amount.round(agreement.rounding).abs();
    let mut fixed: Vec<Option<Money>> = vec![None; parties.len()];
    loop {
        let held = Money::checked_sum(fixed.iter().flatten().copied())?;
        let remaining = magnitude.checked_sub(held)?;
        let free: Vec<Decimal> = weights
            .iter()
            .zip(&fixed)
            .map(|(w, f)| if f.is_some() { Decimal::ZERO } else { *w })
            .collect();
        let parts = if remaining.is_zero() || free.iter().all(Decimal::is_zero) {
            vec![Money::ZERO.round(agreement.rounding); parties.len()]
        } else {
            allocate(remaining, &free, agreement.rounding)?
        };
        let mut changed = false;
        for ((slot, part), p) in fixed.iter_mut().zip(&parts).zip(parties) {
            if slot.is_none()
                && let Some(cap) = p.cap
                && *part > cap
            {
                *slot = Some(cap);
                changed = true;
            }
        }
        if !changed {
            let out = fixed
                .iter()
                .zip(parts)
                .map(|(f, part)| {
                    let m = f.unwrap_or(part);
                    if amount.is_negative() { m.negated() } else { m }
                })
                .collect();
            return Ok(out);
        }
    }
}

fn split_transfer(
    transfer: Money,
    commissioners: &PartyGroup,
    providers: &PartyGroup,
    agreement: &Agreement,
) -> Result<Vec<PartyAmount>> {
    let mut out = Vec::with_capacity(
        commissioners
            .parties
            .len()
            .saturating_add(providers.parties.len()),
    );
    for (group, role, amount) in [
        (commissioners, Role::Commissioner, transfer.negated()),
        (providers, Role::Provider, transfer),
    ] {
        let parts = allocate_capped(amount, &group.parties, agreement)?;
        out.extend(
            group
                .parties
                .iter()
                .zip(parts)
                .map(|(p, amount)| PartyAmount {
                    id: p.id.clone(),
                    role,
                    amount,
                }),
        );
    }
    Ok(out)
}

commissioning_model::words_from_str!(
    QualityOutcome => "quality outcome",
    Side => "side",
    Role => "role",
);
commissioning_model::words_display!(QualityOutcome);
