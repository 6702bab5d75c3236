//! Published risk-sharing rules as ready-made agreements, keyed by scheme and year.
//!
//! Each preset is an ordinary [`Agreement`] value: inspect it, serialise it, or change any
//! field before settling.
//!
//! | preset | scheme and years | source |
//! |---|---|---|
//! | [`aca_risk_corridor`] | ACA temporary risk corridors, benefit years 2014–2016 | 45 CFR 153.510; ACA §1342 |
//! | [`part_d_risk_corridor`] | Medicare Part D risk corridors, 2006–2007 and 2008 onwards | 42 CFR 423.336; SSA §1860D-15(e) |
//! | [`mssp`] | Medicare Shared Savings Program BASIC levels A–E and ENHANCED, PY2024–PY2026 | 42 CFR 425.605, 425.610 |

use commissioning_model::{Decimal, Rate, Share};
use serde::{Deserialize, Serialize};

use crate::agreement::{
    Agreement, Band, Basis, GainGate, Limit, Mode, QualityGate, QualityLossRate, SideRule,
    Threshold,
};
use crate::error::{Result, RiskError};

fn pct(value: i64, scale: u32) -> Rate {
    Rate::from_fraction(Decimal::new(value, scale))
}

fn share(value: i64, scale: u32) -> Share {
    // Every preset rate lies in 0..=1 by construction.
    Share::try_new(Decimal::new(value, scale)).unwrap_or(Share::ZERO)
}

/// Two contiguous net-of-threshold bands: `first_rate` from `p1` to `p2` of target, and
/// `second_rate` beyond `p2`; the lower edge exclusive ("more than").
fn two_band_corridor(p1: Rate, p2: Rate, first_rate: Share, second_rate: Share) -> SideRule {
    SideRule::new(
        vec![
            Band::new(
                Threshold::of_target(p1),
                Some(Threshold::of_target(p2)),
                first_rate,
            )
            .exclusive(),
            Band::new(Threshold::of_target(p2), None, second_rate).exclusive(),
        ],
        Mode::NetOfThreshold,
    )
}

/// The ACA temporary risk corridors for benefit years 2014 to 2016.
///
/// Allowable costs above 103% of the target amount: HHS pays the plan 50% of the excess up to
/// 108% and 80% beyond (2.5% of target plus 80% above 108%). Below 97% the plan pays HHS in
/// mirror image. Payments to plans may be prorated when collections fall short
/// ([`crate::settle::SettlementInput::with_proration`]; 12.6% for 2014); charges are not.
///
/// Source: Patient Protection and Affordable Care Act §1342; 45 CFR 153.510.
pub fn aca_risk_corridor() -> Agreement {
    let side = two_band_corridor(pct(3, 2), pct(8, 2), share(5, 1), share(8, 1));
    Agreement::new(
        "ACA risk corridors 2014-2016",
        Basis::RiskCorridor,
        Some(side.clone()),
        Some(side),
    )
}

/// Parameter sets of the Medicare Part D risk corridors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartDYears {
    /// 2006 and 2007: thresholds 2.5% and 5%, first-band share 75% (90% for increases when
    /// the portfolio condition is met).
    Y2006To2007,
    /// 2008 onwards: thresholds 5% and 10%, first-band share 50%.
    Y2008Onwards,
}

/// The Medicare Part D risk corridors around the target amount.
///
/// Costs up to the first threshold either side give no adjustment (a cost exactly at it
/// gives none). Above it the government pays the first-band share of costs up to the second
/// threshold and 80% beyond; below it the plan repays in mirror image. With
/// `higher_government_share` (2006–2007 only, when the portfolio condition is met) the
/// first-band share for increases is 90%.
///
/// Below the second lower threshold the statute's text refers to the second threshold
/// *upper* limit; this preset follows the regulation's reading (the lower limit), which keeps
/// the rule symmetric and continuous.
///
/// Source: Social Security Act §1860D-15(e); 42 CFR 423.336.
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for `higher_government_share` outside 2006–2007.
pub fn part_d_risk_corridor(years: PartDYears, higher_government_share: bool) -> Result<Agreement> {
    let (p1, p2, s1) = match years {
        PartDYears::Y2006To2007 => (pct(25, 3), pct(5, 2), share(75, 2)),
        PartDYears::Y2008Onwards => (pct(5, 2), pct(10, 2), share(5, 1)),
    };
    let up = if higher_government_share {
        if years != PartDYears::Y2006To2007 {
            return Err(RiskError::input(
                "higher_government_share",
                "the 90% share applies only to 2006 and 2007",
            ));
        }
        share(9, 1)
    } else {
        s1
    };
    let name = match years {
        PartDYears::Y2006To2007 => "Medicare Part D risk corridors 2006-2007",
        PartDYears::Y2008Onwards => "Medicare Part D risk corridors 2008+",
    };
    Ok(Agreement::new(
        name,
        Basis::RiskCorridor,
        Some(two_band_corridor(p1, p2, s1, share(8, 1))),
        Some(two_band_corridor(p1, p2, up, share(8, 1))),
    ))
}

/// Medicare Shared Savings Program tracks and levels (PY2024–PY2026 rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MsspTrack {
    /// BASIC level A (one-sided).
    BasicA,
    /// BASIC level B (one-sided).
    BasicB,
    /// BASIC level C (two-sided).
    BasicC,
    /// BASIC level D (two-sided).
    BasicD,
    /// BASIC level E (two-sided).
    BasicE,
    /// ENHANCED (two-sided).
    Enhanced,
}

/// A Medicare Shared Savings Program agreement for a track and level.
///
/// - Shared savings: first-dollar once savings ÷ benchmark reach the minimum savings rate
///   (`msr`, "at least"), at 40% (BASIC A–B), 50% (BASIC C–E) or 75% (ENHANCED) when the
///   quality standard is met, scaled by the quality score when only the alternative standard
///   is met, and nothing when quality fails; capped at 10% of the benchmark (20% for
///   ENHANCED).
/// - Shared losses (two-sided only): first-dollar once losses ÷ benchmark reach the minimum
///   loss rate (`mlr`), at 30% for BASIC C–E, limited to the lesser of 2%/4%/8% of the
///   participants' fee-for-service revenue (base `"revenue"`) and 1%/2%/4% of the benchmark;
///   for ENHANCED at `1 − 0.75 × quality score ÷ 100` clamped to 40%–75% (75% when quality
///   fails), limited to 15% of the benchmark.
///
/// Source: 42 CFR 425.605 (BASIC) and 425.610 (ENHANCED), as in force for PY2024–PY2026.
/// The one-sided minimum savings rate by size is [`crate::mssp::minimum_savings_rate`].
///
/// # Errors
///
/// [`RiskError::InvalidInput`] for a negative `msr` or `mlr`.
pub fn mssp(track: MsspTrack, msr: Rate, mlr: Rate) -> Result<Agreement> {
    for (field, r) in [("msr", msr), ("mlr", mlr)] {
        if r.fraction().is_sign_negative() && !r.fraction().is_zero() {
            return Err(RiskError::input(field, "must not be negative"));
        }
    }
    let (rate, cap) = match track {
        MsspTrack::BasicA | MsspTrack::BasicB => (share(4, 1), pct(10, 2)),
        MsspTrack::BasicC | MsspTrack::BasicD | MsspTrack::BasicE => (share(5, 1), pct(10, 2)),
        MsspTrack::Enhanced => (share(75, 2), pct(20, 2)),
    };
    let gain = SideRule::new(
        vec![Band::new(Threshold::of_target(msr), None, rate)],
        Mode::FirstDollar,
    )
    .with_cap(Limit::OfTarget { rate: cap });
    let loss_band = |rate| {
        SideRule::new(
            vec![Band::new(Threshold::of_target(mlr), None, rate)],
            Mode::FirstDollar,
        )
    };
    let revenue_and_benchmark = |rev: i64, bench: i64| {
        loss_band(share(3, 1))
            .with_cap(Limit::OfBase {
                base: "revenue".into(),
                rate: pct(rev, 2),
            })
            .with_cap(Limit::OfTarget {
                rate: pct(bench, 2),
            })
    };
    let (loss, loss_rate) = match track {
        MsspTrack::BasicA | MsspTrack::BasicB => (None, None),
        MsspTrack::BasicC => (Some(revenue_and_benchmark(2, 1)), None),
        MsspTrack::BasicD => (Some(revenue_and_benchmark(4, 2)), None),
        MsspTrack::BasicE => (Some(revenue_and_benchmark(8, 4)), None),
        MsspTrack::Enhanced => (
            Some(loss_band(share(75, 2)).with_cap(Limit::OfTarget { rate: pct(15, 2) })),
            Some(QualityLossRate::new(
                Decimal::ONE,
                Decimal::new(75, 2),
                share(4, 1),
                share(75, 2),
                share(75, 2),
            )),
        ),
    };
    let name = match track {
        MsspTrack::BasicA => "MSSP BASIC level A",
        MsspTrack::BasicB => "MSSP BASIC level B",
        MsspTrack::BasicC => "MSSP BASIC level C",
        MsspTrack::BasicD => "MSSP BASIC level D",
        MsspTrack::BasicE => "MSSP BASIC level E",
        MsspTrack::Enhanced => "MSSP ENHANCED",
    };
    let gate = QualityGate {
        gain: GainGate::ScaleByScore,
        loss_rate,
    };
    Ok(Agreement::new(name, Basis::SharedSavings, Some(gain), loss).with_quality(gate))
}
