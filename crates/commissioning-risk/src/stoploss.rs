//! Stop-loss and reinsurance: protection against high-cost individuals and a bad year.
//!
//! A [`Layer`] pays `coinsurance × max(0, min(claims, cap) − attachment)` for one claimant.
//! [`StopLoss`] applies a specific (per-person) layer first and then an aggregate attachment on
//! the cost retained after it.

use commissioning_model::{Decimal, Money, Rounding, Share};
use serde::{Deserialize, Serialize};

use crate::error::{Result, RiskError};

/// A reinsurance or specific stop-loss layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Layer {
    /// Claims up to this point are retained.
    pub attachment: Money,
    /// Claims above this point add nothing; `None` for an unlimited layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Money>,
    /// The share of the claims in the layer that is paid.
    pub coinsurance: Share,
}

impl Layer {
    /// A layer from its attachment point, cap and coinsurance rate.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidAgreement`] for a negative attachment or a cap below it.
    pub fn try_new(attachment: Money, cap: Option<Money>, coinsurance: Share) -> Result<Self> {
        let layer = Self {
            attachment,
            cap,
            coinsurance,
        };
        layer.validate()?;
        Ok(layer)
    }

    fn validate(&self) -> Result<()> {
        if self.attachment.is_negative() {
            return Err(RiskError::agreement("attachment", "must not be negative"));
        }
        if let Some(cap) = self.cap
            && cap < self.attachment
        {
            return Err(RiskError::agreement(
                "cap",
                format!("must not be below the attachment point {}", self.attachment),
            ));
        }
        Ok(())
    }

    /// What the layer pays for one claimant, exact (unrounded).
    ///
    /// ```
    /// use commissioning_risk::stoploss::Layer;
    /// use commissioning_model::Money;
    ///
    /// // 2014 transitional reinsurance: 80% of claims between $45,000 and $250,000.
    /// let layer = Layer::try_new("45000.00".parse()?, Some("250000.00".parse()?), "0.80".parse()?)?;
    /// assert_eq!(layer.payment("400000.00".parse()?)?, "164000.00".parse::<Money>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidInput`] for negative claims; the layer's own errors.
    pub fn payment(&self, claims: Money) -> Result<Money> {
        self.validate()?;
        if claims.is_negative() {
            return Err(RiskError::input("claims", "must not be negative"));
        }
        let top = self.cap.map_or(claims, |c| claims.min(c));
        let in_layer = top.checked_sub(self.attachment)?.max(Money::ZERO);
        Ok(self.coinsurance.of(in_layer)?)
    }
}

/// One member's claims for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MemberClaims {
    /// The member.
    pub member_id: String,
    /// Their claims.
    pub claims: Money,
}

impl MemberClaims {
    /// A member's claims.
    pub fn new(member_id: impl Into<String>, claims: Money) -> Self {
        Self {
            member_id: member_id.into(),
            claims,
        }
    }
}

/// An aggregate stop-loss: reimburses retained claims above `attachment_factor × expected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Aggregate {
    /// Expected claims for the year.
    pub expected_claims: Money,
    /// The attachment point as a multiple of expected claims (typically 1.25).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "commissioning_model::decimal::serde_decimal")]
    pub attachment_factor: Decimal,
}

impl Aggregate {
    /// An aggregate layer.
    pub fn new(expected_claims: Money, attachment_factor: Decimal) -> Self {
        Self {
            expected_claims,
            attachment_factor,
        }
    }
}

/// Specific stop-loss, an aggregate attachment, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StopLoss {
    /// The per-member layer (the specific deductible is its attachment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specific: Option<Layer>,
    /// The aggregate attachment on retained claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Aggregate>,
}

/// One member's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MemberRecovery {
    /// The member.
    pub member_id: String,
    /// Reimbursed by the specific layer, rounded to pence.
    pub reimbursement: Money,
    /// Retained: claims − reimbursement.
    pub retained: Money,
}

/// The result of applying stop-loss to a year's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StopLossResult {
    /// Per member, in input order.
    pub members: Vec<MemberRecovery>,
    /// The sum of specific reimbursements.
    pub total_specific: Money,
    /// Claims retained after specific reimbursement.
    pub total_retained: Money,
    /// The aggregate attachment point, if there is an aggregate layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_attachment: Option<Money>,
    /// Reimbursed by the aggregate layer.
    pub aggregate_reimbursement: Money,
    /// What the risk-bearer finally carries: retained − aggregate reimbursement.
    pub net_retained: Money,
}

impl StopLoss {
    /// Specific and aggregate protection; either may be left out.
    pub fn new(specific: Option<Layer>, aggregate: Option<Aggregate>) -> Self {
        Self {
            specific,
            aggregate,
        }
    }

    /// Applies the specific layer to each member, then the aggregate attachment to the total
    /// retained. Each reimbursement is rounded to pence once.
    ///
    /// ```
    /// use commissioning_risk::stoploss::{Layer, MemberClaims, StopLoss};
    /// use commissioning_model::{Money, Rounding, Share};
    ///
    /// let sl = StopLoss::new(Some(Layer::try_new("50000.00".parse()?, None, Share::ONE)?), None);
    /// let members = [MemberClaims::new("M1", "100000.00".parse()?), MemberClaims::new("M2", "47000.00".parse()?)];
    /// let r = sl.apply(&members, Rounding::HalfUp)?;
    /// assert_eq!(r.total_specific, "50000.00".parse::<Money>()?);
    /// assert_eq!(r.total_retained, "97000.00".parse::<Money>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidInput`] for negative claims, duplicate members, a negative expected
    /// amount or attachment factor; the layer's errors.
    pub fn apply(&self, members: &[MemberClaims], rounding: Rounding) -> Result<StopLossResult> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::with_capacity(members.len());
        let mut total_specific = Money::ZERO;
        let mut total_retained = Money::ZERO;
        for (i, m) in members.iter().enumerate() {
            if !seen.insert(m.member_id.as_str()) {
                return Err(RiskError::input(
                    format!("members[{i}].member_id"),
                    format!("duplicate member {:?}", m.member_id),
                ));
            }
            if m.claims.is_negative() {
                return Err(RiskError::input(
                    format!("members[{i}].claims"),
                    "must not be negative",
                ));
            }
            let reimbursement = match &self.specific {
                Some(layer) => layer.payment(m.claims)?.round(rounding),
                None => Money::ZERO,
            };
            let retained = m.claims.checked_sub(reimbursement)?;
            total_specific = total_specific.checked_add(reimbursement)?;
            total_retained = total_retained.checked_add(retained)?;
            out.push(MemberRecovery {
                member_id: m.member_id.clone(),
                reimbursement,
                retained,
            });
        }
        let (aggregate_attachment, aggregate_reimbursement) = match &self.aggregate {
            Some(a) => {
                let (point, paid) = aggregate_stop_loss(
                    a.expected_claims,
                    a.attachment_factor,
                    total_retained,
                    rounding,
                )?;
                (Some(point), paid)
            }
            None => (None, Money::ZERO),
        };
        Ok(StopLossResult {
            members: out,
            total_specific,
            total_retained,
            aggregate_attachment,
            aggregate_reimbursement,
            net_retained: total_retained.checked_sub(aggregate_reimbursement)?,
        })
    }
}

/// Aggregate stop-loss on its own: returns the attachment point (`factor × expected`) and the
/// reimbursement of retained claims above it, both rounded to pence.
///
/// ```
/// use commissioning_risk::stoploss::aggregate_stop_loss;
/// use commissioning_model::{Decimal, Money, Rounding};
///
/// let (point, paid) = aggregate_stop_loss("1000000.00".parse()?, Decimal::new(125, 2), "1400000.00".parse()?, Rounding::HalfUp)?;
/// assert_eq!((point, paid), ("1250000.00".parse::<Money>()?, "150000.00".parse::<Money>()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for negative amounts or factor; overflow errors.
pub fn aggregate_stop_loss(
    expected: Money,
    factor: Decimal,
    retained: Money,
    rounding: Rounding,
) -> Result<(Money, Money)> {
    if expected.is_negative() {
        return Err(RiskError::input("expected_claims", "must not be negative"));
    }
    if factor.is_sign_negative() && !factor.is_zero() {
        return Err(RiskError::input(
            "attachment_factor",
            "must not be negative",
        ));
    }
    if retained.is_negative() {
        return Err(RiskError::input("retained_claims", "must not be negative"));
    }
    let point = expected.checked_mul_decimal(factor)?;
    let paid = retained.checked_sub(point)?.max(Money::ZERO);
    Ok((point.round(rounding), paid.round(rounding)))
}
