//! Settling many periods quickly: the transfer alone, with no working and no heap allocation.
//!
//! [`Settler`] checks an agreement once and then settles any number of inputs, returning only
//! the transfer (after the party caps, before the split). It follows exactly the same steps as
//! [`crate::settle()`] and gives exactly the same transfer (a property test checks this on
//! generated agreements); use it for batches and simulations, and `settle` when the working or
//! the split is wanted.
//!
//! Where no step of a settlement would round (every amount, rate and product within a
//! `Decimal`'s 96 bits and 28 places, which holds for any agreement written in pounds and
//! pence and percentages), the band sum, the quality gate and the caps are taken on the
//! decimals' integer mantissas, which gives the same values with a few integer instructions
//! each; anything else (an error, a cap on another base, a loss-side quality rate, amounts
//! near a decimal's limits) takes the `Decimal` steps. When many inputs share a target (a
//! year's scenarios, a simulation), [`Settler::at_target`] also resolves the band edges and
//! the caps once for that target, for the inputs that take the `Decimal` steps;
//! [`Settler::transfers`] does this by itself for each run of inputs with the same target.

use commissioning_model::{Decimal, Money, Share};

use crate::agreement::{Agreement, Band, Basis, GainGate, Limit, Mode, SideRule, Threshold};
use crate::error::{Result, RiskError, overflow};
use crate::settle::{QualityOutcome, SettlementInput, cap_limit};

mod exact;

/// An agreement checked once, ready to settle many inputs.
#[derive(Debug, Clone, Copy)]
pub struct Settler<'a> {
    agreement: &'a Agreement,
    /// What capped parties can absorb, when every party on a side is capped.
    capacity: Option<Money>,
    /// For the gain and the loss side, which bands start where the band before ends
    /// ([`shared_starts`]), found once so that no settlement compares thresholds.
    shared_starts: [u64; 2],
}

impl<'a> Settler<'a> {
    /// Checks the agreement ([`Agreement::validate`]) once.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAgreement`] as [`Agreement::validate`].
    pub fn new(agreement: &'a Agreement) -> Result<Self> {
        agreement.validate()?;
        let capacity = agreement.split.as_ref().and_then(|s| {
            [s.commissioners.capacity(), s.providers.capacity()]
                .into_iter()
                .flatten()
                .min()
        });
        let starts =
            [&agreement.gain, &agreement.loss].map(|rule| rule.as_ref().map_or(0, shared_starts));
        Ok(Self {
            agreement,
            capacity,
            shared_starts: starts,
        })
    }

    /// The transfer for one input: positive when the commissioner pays the provider.
    ///
    /// ```
    /// use commissioning_risk::fast::Settler;
    /// use commissioning_risk::presets::aca_risk_corridor;
    /// use commissioning_risk::settle::SettlementInput;
    /// use commissioning_model::Money;
    ///
    /// let aca = aca_risk_corridor();
    /// let settler = Settler::new(&aca)?;
    /// let t = settler.transfer(&SettlementInput::new("100000000.00".parse()?, "110000000.00".parse()?))?;
    /// assert_eq!(t, "4100000.00".parse::<Money>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`crate::settle()`] for the input.
    pub fn transfer(&self, input: &SettlementInput) -> Result<Money> {
        if let Some((gain, shared)) = exact::shared(self.agreement, input) {
            return self.finish(input, gain, shared);
        }
        check_input(input)?;
        self.settle_with(
            input,
            |rule, side, magnitude, rate| {
                band_sum(
                    rule,
                    magnitude,
                    rate,
                    LazyEdges::new(rule, side, input.target, self.shared_of(side)),
                )
            },
            |rule, side| caps(rule, side, input),
        )
    }

    /// Which bands of a side start where the band before ends.
    fn shared_of(&self, side: &str) -> u64 {
        let [gain, loss] = self.shared_starts;
        if side == "gain" { gain } else { loss }
    }

    /// The agreement with its band edges and caps resolved at one target, for settling many
    /// inputs with that target.
    ///
    /// ```
    /// use commissioning_risk::fast::Settler;
    /// use commissioning_risk::presets::aca_risk_corridor;
    /// use commissioning_risk::settle::SettlementInput;
    /// use commissioning_model::Money;
    ///
    /// let aca = aca_risk_corridor();
    /// let settler = Settler::new(&aca)?;
    /// let target: Money = "100000000.00".parse()?;
    /// let at = settler.at_target(target)?;
    /// let t = at.transfer(&SettlementInput::new(target, "110000000.00".parse()?))?;
    /// assert_eq!(t, "4100000.00".parse::<Money>()?);
    /// assert_eq!(t, settler.transfer(&SettlementInput::new(target, "110000000.00".parse()?))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidInput`] for a negative target. An edge or cap that cannot be
    /// resolved at this target (a percentage of a zero target, a band ending below its start)
    /// is reported by [`AtTarget::transfer`] for the inputs that reach it, as
    /// [`crate::settle()`] reports it.
    pub fn at_target(&self, target: Money) -> Result<AtTarget<'a>> {
        check_target(target)?;
        let a = self.agreement;
        let resolve = |rule: Option<&SideRule>, side: &'static str| {
            rule.map(|rule| ResolvedSide::new(rule, side, target))
        };
        Ok(AtTarget {
            settler: *self,
            target,
            gain: resolve(a.gain.as_ref(), "gain"),
            loss: resolve(a.loss.as_ref(), "loss"),
        })
    }

    /// The steps of [`crate::settle()`] for the transfer, with the band sum and the caps
    /// supplied by the caller (resolved per call or once per target).
    fn settle_with(
        &self,
        input: &SettlementInput,
        bands: impl Fn(&SideRule, &'static str, Money, Option<Share>) -> Result<(Money, bool)>,
        caps: impl Fn(&SideRule, &'static str) -> Result<Option<Money>>,
    ) -> Result<Money> {
        let a = self.agreement;
        let variance = input.target.checked_sub(input.outturn)?;
        let gain = variance > Money::ZERO;
        let (rule, side) = if variance.is_zero() {
            (None, "none")
        } else if gain {
            (a.gain.as_ref(), "gain")
        } else {
            (a.loss.as_ref(), "loss")
        };
        let magnitude = variance.abs();
        let mut shared = Money::ZERO;
        if let Some(rule) = rule {
            let (gross, reached) = bands(rule, side, magnitude, None)?;
            shared = gross;
            if reached && let Some(gate) = &a.quality {
                shared = quality(gate, input, gain, shared, |rate| {
                    Ok(bands(rule, side, magnitude, Some(rate))?.0)
                })?;
            }
            if let Some(least) = caps(rule, side)?
                && shared > least
            {
                shared = least;
            }
        }
        self.finish(input, gain, shared)
    }

    /// The last steps of a settlement: the shared amount signed by the basis, prorated,
    /// rounded and limited by what capped parties can absorb.
    fn finish(&self, input: &SettlementInput, gain: bool, shared: Money) -> Result<Money> {
        let a = self.agreement;
        let to_provider = matches!(
            (a.basis, gain),
            (Basis::SharedSavings, true) | (Basis::RiskCorridor, false)
        );
        let mut transfer = if to_provider {
            shared
        } else {
            shared.negated()
        };
        if let Some(factor) = input.proration
            && transfer > Money::ZERO
            && factor != Share::ONE
        {
            transfer = factor.of(transfer)?;
        }
        let mut rounded = transfer.round(a.rounding);
        if let Some(limit) = self.capacity
            && rounded.abs() > limit
        {
            rounded = if rounded.is_negative() {
                limit.negated()
            } else {
                limit
            };
        }
        Ok(rounded)
    }

    /// The transfers for many inputs, in order.
    ///
    /// # Errors
    ///
    /// The first input's error, its position named in the field (`inputs[12].target`).
    pub fn transfers(&self, inputs: &[SettlementInput]) -> Result<Vec<Money>> {
        let mut at: Option<AtTarget<'a>> = None;
        let mut out = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let named = |e: RiskError| match e {
                RiskError::InvalidInput { field, reason } => {
                    RiskError::input(format!("inputs[{i}].{field}"), reason)
                }
                other => other,
            };
            let at = match &mut at {
                Some(at) if at.target == input.target => at,
                slot => slot.insert(self.at_target(input.target).map_err(named)?),
            };
            out.push(at.transfer(input).map_err(named)?);
        }
        Ok(out)
    }
}

/// An agreement with its band edges and caps resolved at one target (see
/// [`Settler::at_target`]).
#[derive(Debug, Clone)]
pub struct AtTarget<'a> {
    settler: Settler<'a>,
    target: Money,
    gain: Option<ResolvedSide>,
    loss: Option<ResolvedSide>,
}

impl AtTarget<'_> {
    /// The target the edges were resolved at.
    pub fn target(&self) -> Money {
        self.target
    }

    /// The transfer for one input with this target: exactly [`Settler::transfer`].
    ///
    /// ```
    /// use commissioning_risk::fast::Settler;
    /// use commissioning_risk::presets::aca_risk_corridor;
    /// use commissioning_risk::settle::SettlementInput;
    /// use commissioning_model::Money;
    ///
    /// let aca = aca_risk_corridor();
    /// let settler = Settler::new(&aca)?;
    /// let target: Money = "100000000.00".parse()?;
    /// let at = settler.at_target(target)?;
    /// assert_eq!(at.target(), target);
    /// // Within 3% of the target, nothing is shared; 8% over shares half of 5%.
    /// let t = |outturn: &str| at.transfer(&SettlementInput::new(target, outturn.parse().unwrap()));
    /// assert_eq!(t("102000000.00")?, Money::ZERO);
    /// assert_eq!(t("108000000.00")?, "2500000.00".parse::<Money>()?);
    /// // An input with another target is refused, naming the field.
    /// let other = SettlementInput::new("90000000.00".parse()?, "90000000.00".parse()?);
    /// assert!(at.transfer(&other).unwrap_err().to_string().contains("target"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidInput`] naming `target` when the input's target is not the one
    /// resolved; otherwise as [`crate::settle()`] for the input.
    pub fn transfer(&self, input: &SettlementInput) -> Result<Money> {
        if input.target != self.target {
            return Err(RiskError::input(
                "target",
                format!(
                    "is {}, but the edges were resolved at {}",
                    input.target, self.target
                ),
            ));
        }
        if let Some((gain, shared)) = exact::shared(self.settler.agreement, input) {
            return self.settler.finish(input, gain, shared);
        }
        check_input(input)?;
        let side = |name: &str| {
            if name == "gain" {
                self.gain.as_ref()
            } else {
                self.loss.as_ref()
            }
        };
        self.settler.settle_with(
            input,
            |rule, name, magnitude, rate| match side(name) {
                Some(resolved) => {
                    let edges = resolved.edges.as_ref().map_err(Clone::clone)?;
                    band_sum(rule, magnitude, rate, edges.iter().copied().map(Ok))
                }
                None => Ok((Money::ZERO, false)),
            },
            |rule, name| match side(name).map(|r| &r.caps) {
                Some(CapsAt::Known(least)) => least.clone(),
                Some(CapsAt::PerInput) | None => caps(rule, name, input),
            },
        )
    }
}

/// One side's band edges (or the first error resolving them, in band order) and caps at one
/// target.
#[derive(Debug, Clone)]
struct ResolvedSide {
    edges: Result<Vec<(Money, Option<Money>)>>,
    caps: CapsAt,
}

/// A side's least cap at one target, or `PerInput` when a cap is a share of a base that each
/// input supplies.
#[derive(Debug, Clone)]
enum CapsAt {
    Known(Result<Option<Money>>),
    PerInput,
}

impl ResolvedSide {
    fn new(rule: &SideRule, side: &'static str, target: Money) -> Self {
        let edges = LazyEdges::new(rule, side, target, shared_starts(rule))
            .map(|edge| edge.map(|(from, to)| (at_pence(from), to.map(at_pence))))
            .collect();
        let caps = if rule.caps.iter().any(|c| matches!(c, Limit::OfBase { .. })) {
            CapsAt::PerInput
        } else {
            CapsAt::Known(caps_at(rule, side, target))
        };
        Self { edges, caps }
    }
}

/// An amount written at two decimal places when that is exact, so that comparisons with
/// amounts in pence need no scale alignment.
fn at_pence(amount: Money) -> Money {
    let d = amount.amount().normalize();
    if d.scale() <= 2 {
        let mut d = d;
        d.rescale(2);
        Money::new(d)
    } else {
        amount
    }
}

fn check_target(target: Money) -> Result<()> {
    if target.is_negative() {
        return Err(RiskError::input(
            "target",
            format!("must not be negative, got {target}"),
        ));
    }
    Ok(())
}

fn check_input(input: &SettlementInput) -> Result<()> {
    check_target(input.target)?;
    if input.outturn.is_negative() {
        return Err(RiskError::input(
            "outturn",
            format!("must not be negative, got {}", input.outturn),
        ));
    }
    Ok(())
}

/// Which of a side's bands start where the band before ends, as bits (bit `i` for band `i`,
/// for the first 64 bands; later bands are compared as they are met).
fn shared_starts(rule: &SideRule) -> u64 {
    rule.bands
        .windows(2)
        .take(63)
        .enumerate()
        .filter(|(_, pair)| matches!(pair, [before, band] if before.to == Some(band.from)))
        .fold(0, |bits, (i, _)| {
            bits | 1u64
                .checked_shl(u32::try_from(i).unwrap_or(63).saturating_add(1))
                .unwrap_or(0)
        })
}

/// A side's band edges resolved one at a time at a target, in band order; an edge shared by
/// one band's end and the next band's start is resolved once.
struct LazyEdges<'r> {
    bands: std::iter::Enumerate<std::slice::Iter<'r, Band>>,
    side: &'static str,
    target: Money,
    /// [`shared_starts`] of the side.
    shared: u64,
    /// The last band's end, as written and as resolved.
    last_to: Option<(Threshold, Money)>,
}

impl<'r> LazyEdges<'r> {
    fn new(rule: &'r SideRule, side: &'static str, target: Money, shared: u64) -> Self {
        Self {
            bands: rule.bands.iter().enumerate(),
            side,
            target,
            shared,
            last_to: None,
        }
    }

    fn edge(&mut self, i: usize, band: &Band) -> Result<(Money, Option<Money>)> {
        let (side, target) = (self.side, self.target);
        let starts_at_last_end = |written: Threshold| match u32::try_from(i) {
            Ok(bit) if bit < 64 => self.shared.checked_shr(bit).is_some_and(|b| b & 1 == 1),
            _ => written == band.from,
        };
        let from = match self.last_to {
            Some((written, resolved)) if starts_at_last_end(written) => resolved,
            _ => band
                .from
                .resolve_lazy(target, || format!("{side}.bands[{i}].from"))?,
        };
        let to = match band.to {
            Some(t) => {
                let resolved = t.resolve_lazy(target, || format!("{side}.bands[{i}].to"))?;
                self.last_to = Some((t, resolved));
                Some(resolved)
            }
            None => {
                self.last_to = None;
                None
            }
        };
        if let Some(to) = to
            && to <= from
        {
            return Err(RiskError::agreement(
                format!("{side}.bands[{i}].to"),
                format!("resolves to {to}, not above the band's start {from}"),
            ));
        }
        Ok((from, to))
    }
}

impl Iterator for LazyEdges<'_> {
    type Item = Result<(Money, Option<Money>)>;

    fn next(&mut self) -> Option<Self::Item> {
        let (i, band) = self.bands.next()?;
        Some(self.edge(i, band))
    }
}

/// The shared amount from the bands, and whether any band was reached; `edges` gives each
/// band's resolved start and end, in band order.
fn band_sum(
    rule: &SideRule,
    magnitude: Money,
    rate: Option<Share>,
    edges: impl Iterator<Item = Result<(Money, Option<Money>)>>,
) -> Result<(Money, bool)> {
    let mut total = Money::ZERO;
    let mut reached = false;
    let mut first_dollar: Option<(Option<Money>, Share)> = None;
    // The variance is compared with the edges as `probe`: the same value, written at the
    // edges' scale, so that each comparison is of two integers. The arithmetic uses the
    // variance as it is, so every result is unchanged.
    let mut probe = Probe::new(magnitude);
    for (band, edge) in rule.bands.iter().zip(edges) {
        let (from, to) = edge?;
        let r = rate.unwrap_or(band.rate);
        match rule.mode {
            Mode::NetOfThreshold => {
                if probe.above(from) {
                    let top = to.map_or(magnitude, |t| if probe.above(t) { t } else { magnitude });
                    total = total.checked_add(r.of(top.checked_sub(from)?)?)?;
                    reached = true;
                }
            }
            Mode::FirstDollar => {
                let hit = if band.from_inclusive {
                    !probe.below(from)
                } else {
                    probe.above(from)
                };
                if hit {
                    first_dollar = Some((to, r));
                }
            }
        }
    }
    if let Some((to, r)) = first_dollar
        && to.is_none_or(|t| probe.below(t))
    {
        total = r.of(magnitude)?;
        reached = true;
    }
    Ok((total, reached))
}

/// A non-negative amount for comparing with the band edges, rewritten at an edge's scale
/// (more decimal places, so the value is unchanged) the first time it meets one.
struct Probe(Money);

impl Probe {
    fn new(amount: Money) -> Self {
        Self(amount)
    }

    /// Widens the amount to the edge's scale, if that is wider, so that the two compare as
    /// integers ([`Money`]'s comparison at one scale).
    fn at_scale_of(&mut self, edge: Money) {
        let scale = edge.amount().scale();
        if scale > self.0.amount().scale() {
            // Widening only multiplies the mantissa by a power of ten; where that would not
            // fit, rust_decimal widens as far as it can, still exactly.
            let mut wider = self.0.amount();
            wider.rescale(scale);
            self.0 = Money::new(wider);
        }
    }

    /// Whether the amount is above `edge`.
    fn above(&mut self, edge: Money) -> bool {
        self.at_scale_of(edge);
        self.0 > edge
    }

    /// Whether the amount is below `edge`.
    fn below(&mut self, edge: Money) -> bool {
        self.at_scale_of(edge);
        self.0 < edge
    }
}

/// The shared amount after the quality gate; `at_rate` sums the bands again at one rate.
fn quality(
    gate: &crate::agreement::QualityGate,
    input: &SettlementInput,
    gain: bool,
    shared: Money,
    at_rate: impl Fn(Share) -> Result<Money>,
) -> Result<Money> {
    let needed = if gain {
        gate.gain != GainGate::None
    } else {
        gate.loss_rate.is_some()
    };
    if !needed {
        return Ok(shared);
    }
    let q = input.quality.as_ref().ok_or_else(|| {
        RiskError::input(
            "quality",
            "the agreement's quality gate needs a quality result",
        )
    })?;
    let score = || -> Result<Decimal> {
        match q.score {
            Some(s) if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED => Err(RiskError::input(
                "quality.score",
                format!("must be between 0 and 100, got {s}"),
            )),
            Some(s) => Ok(s),
            None => Err(RiskError::input(
                "quality.score",
                "a score is needed for this quality outcome",
            )),
        }
    };
    if gain {
        let factor = match (gate.gain, q.outcome) {
            (_, QualityOutcome::Fails) => Decimal::ZERO,
            (GainGate::ScaleByScore, QualityOutcome::PartlyMeets) => percent(score()?)?,
            _ => Decimal::ONE,
        };
        Ok(shared.checked_mul_decimal(factor)?)
    } else {
        let Some(lr) = &gate.loss_rate else {
            return Ok(shared);
        };
        let rate = if q.outcome == QualityOutcome::Fails {
            lr.on_fail.fraction()
        } else {
            let raw = score()?
                .checked_mul(lr.slope)
                .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                .and_then(|v| lr.intercept.checked_sub(v))
                .ok_or_else(|| overflow("quality-adjusted loss rate"))?;
            raw.max(lr.min.fraction()).min(lr.max.fraction())
        };
        let rate = Share::try_new_field("quality.loss_rate", rate.normalize())?;
        at_rate(rate)
    }
}

/// A score out of 100 as a fraction: the same value as `score / 100`, by moving the decimal
/// point instead of dividing.
fn percent(score: Decimal) -> Result<Decimal> {
    match score.scale().checked_add(2) {
        Some(scale) if scale <= 28 => Ok(Decimal::from_i128_with_scale(score.mantissa(), scale)),
        _ => score
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or_else(|| overflow("quality factor")),
    }
}

/// The least of a side's caps for one input, if it has any.
fn caps(rule: &SideRule, side: &str, input: &SettlementInput) -> Result<Option<Money>> {
    let mut least: Option<Money> = None;
    for (i, cap) in rule.caps.iter().enumerate() {
        let limit = cap_limit(cap, side, i, input)?;
        least = Some(least.map_or(limit, |l| l.min(limit)));
    }
    Ok(least)
}

/// The least of a side's caps at a target, for sides with no cap on another base.
fn caps_at(rule: &SideRule, side: &str, target: Money) -> Result<Option<Money>> {
    caps(rule, side, &SettlementInput::new(target, Money::ZERO))
}
