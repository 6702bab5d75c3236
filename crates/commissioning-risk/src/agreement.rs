//! The terms of a risk-sharing agreement: bands, modes, caps, quality gate and parties.
//!
//! # Sign conventions (used everywhere in this crate)
//!
//! - **Variance** = target − outturn. Positive means the outturn came in *below* target (an
//!   underspend: the *gain* side); negative means it came in above (an overspend: the *loss*
//!   side).
//! - **Transfer** is positive when the commissioner pays the provider and negative when the
//!   provider pays the commissioner.
//!
//! Under [`Basis::SharedSavings`] the provider is paid its costs and shares the variance: a
//! share of a gain is paid to it, a share of a loss is paid by it (Medicare Shared Savings
//! Program, NHS gain and loss shares). Under [`Basis::RiskCorridor`] the provider was paid the
//! target and the commissioner shares the variance back: it recovers a share of a gain and
//! pays a share of a loss (ACA and Medicare Part D risk corridors).

use commissioning_model::{Decimal, Money, Rate, Rounding, Share};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError};

/// Who keeps the variance before sharing, which fixes the sign of the transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The provider is paid its outturn; it receives a share of savings and pays a share of
    /// overspends.
    SharedSavings,
    /// The provider is paid the target; the commissioner recovers a share of savings and pays
    /// a share of overspends.
    RiskCorridor,
}

/// A point on the variance scale: a fraction of the target or an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Threshold {
    /// A fraction of the target, e.g. `0.03` for 3%.
    OfTarget {
        /// The fraction.
        rate: Rate,
    },
    /// An absolute amount.
    Amount {
        /// The amount.
        amount: Money,
    },
}

impl Threshold {
    /// A fraction of the target.
    pub fn of_target(rate: Rate) -> Self {
        Self::OfTarget { rate }
    }

    /// An absolute amount.
    pub fn amount(amount: Money) -> Self {
        Self::Amount { amount }
    }

    /// The threshold in money for a target.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidInput`] when the threshold is a fraction and the target is zero;
    /// an overflow error when the product does not fit.
    pub fn resolve(self, target: Money, field: &str) -> Result<Money> {
        self.resolve_lazy(target, || field.to_owned())
    }

    /// As [`Threshold::resolve`], building the field's name only if there is an error.
    pub(crate) fn resolve_lazy(
        self,
        target: Money,
        field: impl FnOnce() -> String,
    ) -> Result<Money> {
        match self {
            Self::Amount { amount } => Ok(amount),
            Self::OfTarget { rate } => {
                if target.is_zero() && !rate.fraction().is_zero() {
                    return Err(RiskError::input(
                        "target",
                        format!("is zero, but {} is a percentage of the target", field()),
                    ));
                }
                Ok(rate.of(target)?)
            }
        }
    }

    fn is_negative(self) -> bool {
        match self {
            Self::OfTarget { rate } => {
                rate.fraction().is_sign_negative() && !rate.fraction().is_zero()
            }
            Self::Amount { amount } => amount.is_negative(),
        }
    }
}

/// How a side's bands turn a variance into a shared amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Each band's rate applies only to the slice of the variance inside that band: the
    /// threshold of the first band is a deadband that is never shared.
    NetOfThreshold,
    /// Once the variance reaches a band, that band's rate applies to the whole variance (as
    /// the Medicare Shared Savings Program's minimum savings rate).
    FirstDollar,
}

/// A band (corridor) of variance with its sharing rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Band {
    /// Where the band starts (a magnitude of variance).
    pub from: Threshold,
    /// Where it ends; `None` for no upper end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Threshold>,
    /// The share of the variance in the band that is shared.
    pub rate: Share,
    /// Whether a variance exactly at `from` is in this band (`true`, the default) or in the
    /// band below. It matters only in first-dollar mode or where the rule is discontinuous.
    #[serde(default = "yes")]
    pub from_inclusive: bool,
}

fn yes() -> bool {
    true
}

impl Band {
    /// A band from `from` to `to` with a rate, inclusive at its lower edge.
    pub fn new(from: Threshold, to: Option<Threshold>, rate: Share) -> Self {
        Self {
            from,
            to,
            rate,
            from_inclusive: true,
        }
    }

    /// The same band, exclusive at its lower edge (the variance must exceed `from`).
    #[must_use]
    pub fn exclusive(mut self) -> Self {
        self.from_inclusive = false;
        self
    }
}

/// The source of a cap or collar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Limit {
    /// An absolute amount.
    Amount {
        /// The amount.
        amount: Money,
    },
    /// A fraction of the target (e.g. 10% of the benchmark).
    OfTarget {
        /// The fraction.
        rate: Rate,
    },
    /// A fraction of another base supplied at settlement (e.g. 8% of revenue).
    OfBase {
        /// The base's name, looked up in the settlement input's `bases`.
        base: String,
        /// The fraction.
        rate: Rate,
    },
}

/// The sharing rule of one side (gain or loss): bands, mode and caps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SideRule {
    /// The bands, in increasing order and contiguous (each starts where the last ends).
    pub bands: Vec<Band>,
    /// How the bands apply.
    pub mode: Mode,
    /// Limits on the amount shared on this side; the lesser of them all applies.
    #[serde(default)]
    pub caps: Vec<Limit>,
}

impl SideRule {
    /// A side with bands and a mode, no caps.
    pub fn new(bands: Vec<Band>, mode: Mode) -> Self {
        Self {
            bands,
            mode,
            caps: Vec::new(),
        }
    }

    /// The same side with a cap added (the lesser of all caps applies).
    #[must_use]
    pub fn with_cap(mut self, cap: Limit) -> Self {
        self.caps.push(cap);
        self
    }

    fn validate(&self, side: &str) -> Result<()> {
        if self.bands.is_empty() {
            return Err(RiskError::agreement(
                format!("{side}.bands"),
                "at least one band is required; leave the side out for no sharing",
            ));
        }
        for (i, band) in self.bands.iter().enumerate() {
            if band.from.is_negative() {
                return Err(RiskError::agreement(
                    format!("{side}.bands[{i}].from"),
                    "must not be negative",
                ));
            }
            if let Some(to) = band.to {
                if to.is_negative() {
                    return Err(RiskError::agreement(
                        format!("{side}.bands[{i}].to"),
                        "must not be negative",
                    ));
                }
                if same_kind_less_or_equal(to, band.from) {
                    return Err(RiskError::agreement(
                        format!("{side}.bands[{i}].to"),
                        "must be above the band's `from`",
                    ));
                }
            } else if i.saturating_add(1) < self.bands.len() {
                return Err(RiskError::agreement(
                    format!("{side}.bands[{i}].to"),
                    "only the last band may have no upper end",
                ));
            }
            if i > 0 {
                let prev = self.bands.get(i.saturating_sub(1)).and_then(|b| b.to);
                if prev != Some(band.from) {
                    return Err(RiskError::agreement(
                        format!("{side}.bands[{i}].from"),
                        "bands must be in increasing order and contiguous: each band must start where the one before ends (use a rate of 0 for a gap)",
                    ));
                }
            }
        }
        for (i, cap) in self.caps.iter().enumerate() {
            let negative = match cap {
                Limit::Amount { amount } => amount.is_negative(),
                Limit::OfTarget { rate } | Limit::OfBase { rate, .. } => {
                    rate.fraction().is_sign_negative() && !rate.fraction().is_zero()
                }
            };
            if negative {
                return Err(RiskError::agreement(
                    format!("{side}.caps[{i}]"),
                    "a cap or collar must not be negative",
                ));
            }
            if let Limit::OfBase { base, .. } = cap
                && base.trim().is_empty()
            {
                return Err(RiskError::agreement(
                    format!("{side}.caps[{i}].base"),
                    "must name a base",
                ));
            }
        }
        Ok(())
    }
}

fn same_kind_less_or_equal(a: Threshold, b: Threshold) -> bool {
    match (a, b) {
        (Threshold::OfTarget { rate: x }, Threshold::OfTarget { rate: y }) => x <= y,
        (Threshold::Amount { amount: x }, Threshold::Amount { amount: y }) => x <= y,
        _ => false,
    }
}

/// How quality changes the gain share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GainGate {
    /// Quality does not affect the gain share.
    #[default]
    None,
    /// Meets: full rate; partly meets: rate × score ÷ 100; fails: no gain share.
    ScaleByScore,
    /// Meets or partly meets: full rate; fails: no gain share.
    Block,
}

/// A loss-sharing rate that depends on the quality score, clamped to a range:
/// `clamp(intercept − slope × score ÷ 100, min, max)`, or `on_fail` when quality fails.
///
/// The Medicare Shared Savings Program ENHANCED track uses intercept 1, slope 0.75, range
/// 40%–75% and 75% on failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct QualityLossRate {
    /// The rate at a score of 0 before clamping.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub intercept: Decimal,
    /// How much the rate falls per 100 points of score.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub slope: Decimal,
    /// The lowest rate.
    pub min: Share,
    /// The highest rate.
    pub max: Share,
    /// The rate when quality fails.
    pub on_fail: Share,
}

impl QualityLossRate {
    /// A quality-adjusted loss rate.
    pub fn new(intercept: Decimal, slope: Decimal, min: Share, max: Share, on_fail: Share) -> Self {
        Self {
            intercept,
            slope,
            min,
            max,
            on_fail,
        }
    }
}

/// How quality performance changes what is shared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct QualityGate {
    /// The effect on the gain share.
    #[serde(default)]
    pub gain: GainGate,
    /// A quality-adjusted rate that replaces the loss bands' rates, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_rate: Option<QualityLossRate>,
}

impl QualityGate {
    /// A gate on the gain share, with the loss bands' rates left as they are.
    ///
    /// ```
    /// use commissioning_risk::agreement::{GainGate, QualityGate, QualityLossRate};
    /// use commissioning_model::{Decimal, Share};
    ///
    /// let share = |s: &str| s.parse::<Share>();
    /// let gate = QualityGate::new(GainGate::ScaleByScore).with_loss_rate(QualityLossRate::new(
    ///     Decimal::ONE, Decimal::new(75, 2), share("0.40")?, share("0.75")?, share("0.75")?));
    /// assert_eq!(gate.gain, GainGate::ScaleByScore);
    /// assert_eq!(gate.loss_rate.map(|r| r.slope), Some(Decimal::new(75, 2)));
    /// # Ok::<(), commissioning_model::ModelError>(())
    /// ```
    pub fn new(gain: GainGate) -> Self {
        Self {
            gain,
            loss_rate: None,
        }
    }

    /// The gate with a quality-adjusted loss rate in place of the loss bands' rates.
    #[must_use]
    pub fn with_loss_rate(mut self, rate: QualityLossRate) -> Self {
        self.loss_rate = Some(rate);
        self
    }
}

/// How a group of parties divides its side of the transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Fixed shares between 0 and 1 that must sum to exactly 1.
    FixedShares,
    /// Each party's contract value (money, not negative).
    ContractValue,
    /// Any non-negative weights; only their ratios matter.
    Custom,
}

/// One party and its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Party {
    /// An identifier (an ODS code, a name).
    pub id: String,
    /// Its share, contract value or weight, as the group's weighting says.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub weight: Decimal,
    /// The most this party may pay or receive in one settlement (whole pence); what a cap
    /// holds back is shared among the group's other parties by weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
}

impl Party {
    /// A party with a weight and no cap.
    pub fn new(id: impl Into<String>, weight: Decimal) -> Self {
        Self {
            id: id.into(),
            weight,
            cap: None,
        }
    }

    /// The same party with a cap on what it pays or receives.
    #[must_use]
    pub fn with_cap(mut self, cap: Money) -> Self {
        self.cap = Some(cap);
        self
    }
}

/// The parties on one side of the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartyGroup {
    /// How the weights are read.
    pub weighting: Weighting,
    /// The parties.
    pub parties: Vec<Party>,
}

impl PartyGroup {
    /// The most the group can pay or receive: the sum of the caps of its parties with a
    /// weight above zero when every one of them is capped, otherwise unlimited (`None`).
    pub fn capacity(&self) -> Option<Money> {
        self.parties
            .iter()
            .filter(|p| !p.weight.is_zero())
            .map(|p| p.cap)
            .try_fold(Money::ZERO, |acc, c| {
                c.and_then(|c| acc.checked_add(c).ok())
            })
    }

    /// A group of parties.
    pub fn new(weighting: Weighting, parties: Vec<Party>) -> Self {
        Self { weighting, parties }
    }

    pub(crate) fn validate(&self, field: &str) -> Result<()> {
        if self.parties.is_empty() {
            return Err(RiskError::agreement(
                format!("{field}.parties"),
                "at least one party is required",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, p) in self.parties.iter().enumerate() {
            if p.id.trim().is_empty() {
                return Err(RiskError::agreement(
                    format!("{field}.parties[{i}].id"),
                    "must not be empty",
                ));
            }
            if !seen.insert(p.id.as_str()) {
                return Err(RiskError::agreement(
                    format!("{field}.parties[{i}].id"),
                    format!("duplicate party {:?}", p.id),
                ));
            }
            if p.weight.is_sign_negative() && !p.weight.is_zero() {
                return Err(RiskError::agreement(
                    format!("{field}.parties[{i}].weight"),
                    "must not be negative",
                ));
            }
            if let Some(cap) = p.cap
                && (cap.is_negative() || !cap.is_whole_pence())
            {
                return Err(RiskError::agreement(
                    format!("{field}.parties[{i}].cap"),
                    format!("must be a whole number of pence, zero or more, got {cap}"),
                ));
            }
            if self.weighting == Weighting::FixedShares && p.weight > Decimal::ONE {
                return Err(RiskError::agreement(
                    format!("{field}.parties[{i}].weight"),
                    format!("a fixed share must be between 0 and 1, got {}", p.weight),
                ));
            }
        }
        if self.parties.iter().all(|p| p.weight.is_zero()) {
            return Err(RiskError::agreement(
                format!("{field}.parties"),
                "at least one party must have a weight above zero",
            ));
        }
        if self.weighting == Weighting::FixedShares {
            let sum = self
                .parties
                .iter()
                .try_fold(Decimal::ZERO, |a, p| a.checked_add(p.weight))
                .ok_or_else(|| {
                    RiskError::agreement(format!("{field}.parties"), "shares too large to add")
                })?;
            if sum != Decimal::ONE {
                return Err(RiskError::agreement(
                    format!("{field}.parties"),
                    format!("fixed shares must sum to exactly 1, got {sum}"),
                ));
            }
        }
        Ok(())
    }
}

/// Who pays and who receives the transfer, and in what proportions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Split {
    /// The commissioners, who pay a positive transfer and receive a negative one.
    pub commissioners: PartyGroup,
    /// The providers (one, or an alliance's members), who receive a positive transfer and pay
    /// a negative one.
    pub providers: PartyGroup,
}

impl Split {
    /// A split between commissioners and providers.
    pub fn new(commissioners: PartyGroup, providers: PartyGroup) -> Self {
        Self {
            commissioners,
            providers,
        }
    }
}

/// A risk-sharing agreement: how the variance between outturn and target is shared.
///
/// A side left out (`gain` or `loss` as `None`) shares nothing: a one-sided agreement.
///
/// # Examples
///
/// A 50/50 gain and loss share beyond a 2% deadband, with the provider's loss capped at
/// £500,000:
///
/// ```
/// use commissioning_risk::agreement::{Agreement, Band, Basis, Limit, Mode, SideRule, Threshold};
/// use commissioning_risk::settle::{settle, SettlementInput};
/// use commissioning_model::Money;
///
/// let side = |cap: Option<Limit>| {
///     let rule = SideRule::new(vec![Band::new(Threshold::of_target("2%".parse().unwrap()), None, "0.5".parse().unwrap())],
///         Mode::NetOfThreshold);
///     match cap { Some(c) => rule.with_cap(c), None => rule }
/// };
/// let agreement = Agreement::new("Stroke pathway", Basis::SharedSavings,
///     Some(side(None)), Some(side(Some(Limit::Amount { amount: "500000.00".parse()? }))));
/// let result = settle(&agreement, &SettlementInput::new("20000000.00".parse()?, "22000000.00".parse()?))?;
/// // Overspend £2m; £400,000 deadband; 50% of £1.6m = £800,000, capped at £500,000.
/// assert_eq!(result.transfer, "-500000.00".parse::<Money>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Agreement {
    /// A name for the agreement.
    pub name: String,
    /// Who keeps the variance before sharing.
    pub basis: Basis,
    /// Sharing when the outturn is below target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gain: Option<SideRule>,
    /// Sharing when the outturn is above target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<SideRule>,
    /// How quality changes the shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<QualityGate>,
    /// Who pays and receives, if the transfer is to be split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// The one rounding step, applied to the transfer.
    #[serde(default)]
    pub rounding: Rounding,
}

impl Agreement {
    /// An agreement with no quality gate and no split.
    pub fn new(
        name: impl Into<String>,
        basis: Basis,
        gain: Option<SideRule>,
        loss: Option<SideRule>,
    ) -> Self {
        Self {
            name: name.into(),
            basis,
            gain,
            loss,
            quality: None,
            split: None,
            rounding: Rounding::HalfUp,
        }
    }

    /// The same agreement with a quality gate.
    #[must_use]
    pub fn with_quality(mut self, gate: QualityGate) -> Self {
        self.quality = Some(gate);
        self
    }

    /// The same agreement with a split between parties.
    #[must_use]
    pub fn with_split(mut self, split: Split) -> Self {
        self.split = Some(split);
        self
    }

    /// Checks the agreement's own rules: bands ordered, contiguous and not negative; only
    /// the last band open-ended; caps not negative; a quality loss rate with `min ≤ max`;
    /// parties with unique ids, non-negative weights, and fixed shares summing to exactly 1.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAgreement`] naming the first offending field.
    pub fn validate(&self) -> Result<()> {
        if let Some(g) = &self.gain {
            g.validate("gain")?;
        }
        if let Some(l) = &self.loss {
            l.validate("loss")?;
        }
        if let Some(q) = self.quality.as_ref().and_then(|q| q.loss_rate.as_ref())
            && q.min > q.max
        {
            return Err(RiskError::agreement(
                "quality.loss_rate.min",
                format!("must not exceed max ({} > {})", q.min, q.max),
            ));
        }
        if let Some(s) = &self.split {
            s.commissioners.validate("split.commissioners")?;
            s.providers.validate("split.providers")?;
        }
        Ok(())
    }
}

commissioning_model::words_from_str!(
    Basis => "basis",
    Mode => "mode",
    GainGate => "quality gate",
    Weighting => "weighting",
);
commissioning_model::words_display!(Basis, Mode, GainGate, Weighting);
