//! Sensitivity of rankings to the weights: one-way crossovers and SMAA.
//!
//! # One-way
//!
//! One criterion's weight `t` moves from 0 to 1 while the others keep their ratios and sum to
//! `1 − t`. Each option's score is then a straight line in `t`; the report gives every pair of
//! options whose lines cross in `[0, 1]` (sorted by `t`, then by the pair's positions) and the
//! intervals of `t` over which each option scores highest. Parallel lines never cross. A
//! crossover at exactly 0 or 1 is listed but does not split an interval; within an interval
//! the best option is judged at its midpoint, ties to the option listed first.
//!
//! # SMAA
//!
//! Stochastic multicriteria acceptability analysis with weights unknown: weight vectors are
//! drawn uniformly from the simplex (normalised exponential draws from a seeded `SplitMix64`
//! stream), each option ranked under each draw, and the report gives the rank acceptability
//! indices `b(i, r)` (the share of draws in which option `i` has rank `r`), each option's
//! central weight vector (the mean of the draws that rank it first) and its confidence factor
//! (whether it ranks first when the weights are its central weights: 1 or 0 here, as the
//! criteria values are exact).

use commissioning_model::rng::SplitMix64;
use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, finite, unique_ids};

/// An option with its values on each criterion (already on the value scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ValuedOption {
    /// An identifier, unique among the options.
    pub id: String,
    /// Its value on each criterion.
    pub values: Vec<f64>,
}

impl ValuedOption {
    /// An option with its values.
    pub fn new(id: impl Into<String>, values: Vec<f64>) -> Self {
        Self {
            id: id.into(),
            values,
        }
    }
}

/// Where two options' scores cross.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Crossover {
    /// The two options, in input order.
    pub ids: [String; 2],
    /// The weight of the varied criterion at which they score the same.
    pub weight: f64,
}

/// An interval of the varied weight over which one option scores highest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Interval {
    /// Its lower end.
    pub from: f64,
    /// Its upper end.
    pub to: f64,
    /// The option ranked first throughout.
    pub best: String,
}

/// The one-way sensitivity of a ranking to one criterion's weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OneWay {
    /// The criterion varied (0-based).
    pub criterion: usize,
    /// The pairs that cross.
    pub crossovers: Vec<Crossover>,
    /// Who ranks first where.
    pub rank1_intervals: Vec<Interval>,
}

fn check(weights: &[f64], options: &[ValuedOption]) -> Result<()> {
    if options.is_empty() {
        return Err(PriorityError::input(
            "options",
            "at least one option is required",
        ));
    }
    unique_ids("options", &options.iter().map(|o| o.id.as_str()))?;
    let w = crate::weights::normalise(weights)?;
    for (i, o) in options.iter().enumerate() {
        if o.values.len() != w.len() {
            return Err(PriorityError::input(
                format!("options[{i}].values"),
                format!("has {} values for {} criteria", o.values.len(), w.len()),
            ));
        }
        for (j, v) in o.values.iter().enumerate() {
            finite(|| format!("options[{i}].values[{j}]"), *v)?;
        }
    }
    Ok(())
}

/// Crossover weights within this relative distance of each other are taken as one weight (the
/// smallest of them) before they are ordered by the pair of options: the same crossing computed
/// from different pairs can differ in the last bits of a float.
pub const CROSSOVER_TIE: f64 = 1e-12;

/// One-way sensitivity to criterion `varied`'s weight.
///
/// ```
/// use commissioning_priority::sensitivity::{one_way, ValuedOption};
/// let options = vec![
///     ValuedOption::new("X", vec![60.0, 75.0, 60.0]),
///     ValuedOption::new("Y", vec![80.0, 25.0, 20.0]),
///     ValuedOption::new("Z", vec![30.0, 100.0, 80.0]),
/// ];
/// let s = one_way(&[0.5, 0.2, 0.3], 0, &options)?;
/// let best: Vec<&str> = s.rank1_intervals.iter().map(|i| i.best.as_str()).collect();
/// assert_eq!(best, ["Z", "X", "Y"]);
/// assert!((s.rank1_intervals[2].from - 0.6875).abs() < 1e-12);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for bad weights or values, duplicate ids, or a varied index
/// out of range; [`PriorityError::Undefined`] when the varied criterion carries all the weight
/// (the others' ratios are then undefined).
pub fn one_way(weights: &[f64], varied: usize, options: &[ValuedOption]) -> Result<OneWay> {
    check(weights, options)?;
    let w = crate::weights::normalise(weights)?;
    let wj = *w.get(varied).ok_or_else(|| {
        PriorityError::input("varied_criterion", format!("must be below {}", w.len()))
    })?;
    let rest = 1.0 - wj;
    if rest <= 0.0 {
        return Err(PriorityError::Undefined {
            what: "one-way sensitivity".into(),
            reason: "the varied criterion carries all the weight".into(),
        });
    }
    // score_i(t) = t·v_ij + (1 − t)·r_i with r_i = Σ_{k≠j} w_k v_ik / (1 − w_j).
    let lines: Vec<(f64, f64)> = options
        .iter()
        .map(|o| {
            let r: f64 = o
                .values
                .iter()
                .zip(&w)
                .enumerate()
                .filter(|(k, _)| *k != varied)
                .map(|(_, (v, wk))| v * wk)
                .sum::<f64>()
                / rest;
            let vj = o.values.get(varied).copied().unwrap_or(0.0);
            (r, vj - r) // intercept, slope
        })
        .collect();
    let mut crossovers = Vec::new();
    for a in 0..options.len() {
        for b in a.saturating_add(1)..options.len() {
            let (Some(&(ia, sa)), Some(&(ib, sb))) = (lines.get(a), lines.get(b)) else {
                continue;
            };
            if sa == sb {
                continue;
            }
            let t = (ib - ia) / (sa - sb);
            if (0.0..=1.0).contains(&t) {
                let id = |k: usize| options.get(k).map(|o| o.id.clone()).unwrap_or_default();
                crossovers.push((
                    t,
                    a,
                    b,
                    Crossover {
                        ids: [id(a), id(b)],
                        weight: t,
                    },
                ));
            }
        }
    }
    // Crossovers that are the same weight computed by different routes can differ by an ulp or
    // two: weights within CROSSOVER_TIE of each other are one weight (the smallest of them),
    // and ties are then ordered by the pair's positions.
    crossovers.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut anchor = f64::NAN;
    for c in &mut crossovers {
        if (c.0 - anchor).abs() <= CROSSOVER_TIE * anchor.abs().max(1.0) {
            c.0 = anchor;
            c.3.weight = anchor;
        } else {
            anchor = c.0;
        }
    }
    crossovers.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut cuts: Vec<f64> = crossovers
        .iter()
        .map(|c| c.0)
        .filter(|t| *t > 0.0 && *t < 1.0)
        .collect();
    cuts.dedup();
    let mut edges = vec![0.0];
    edges.extend(cuts);
    edges.push(1.0);
    let mut intervals: Vec<Interval> = Vec::new();
    for pair in edges.windows(2) {
        let [lo, hi] = pair else { continue };
        let mid = (lo + hi) / 2.0;
        let mut best = 0usize;
        let mut best_score = f64::NEG_INFINITY;
        for (i, (ic, sl)) in lines.iter().enumerate() {
            let s = ic + sl * mid;
            if s > best_score {
                best_score = s;
                best = i;
            }
        }
        let id = options.get(best).map(|o| o.id.clone()).unwrap_or_default();
        match intervals.last_mut() {
            Some(last) if last.best == id => last.to = *hi,
            _ => intervals.push(Interval {
                from: *lo,
                to: *hi,
                best: id,
            }),
        }
    }
    Ok(OneWay {
        criterion: varied,
        crossovers: crossovers.into_iter().map(|c| c.3).collect(),
        rank1_intervals: intervals,
    })
}

/// SMAA results for one option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Acceptability {
    /// The option.
    pub id: String,
    /// `rank_acceptability[r]`: the share of draws in which it ranks `r + 1`.
    pub rank_acceptability: Vec<f64>,
    /// The mean weights of the draws that rank it first; absent if none do.
    pub central_weights: Option<Vec<f64>>,
    /// Whether it ranks first under its central weights (1) or not (0); absent if it never
    /// ranks first.
    pub confidence_factor: Option<f64>,
}

/// SMAA-2 with weights drawn uniformly from the simplex.
///
/// ```
/// use commissioning_priority::sensitivity::{smaa, ValuedOption};
/// let options = vec![ValuedOption::new("A", vec![1.0, 0.0]), ValuedOption::new("B", vec![0.0, 1.0])];
/// let r = smaa(&options, 10_000, 42)?;
/// // By symmetry each option ranks first about half the time.
/// assert!((r[0].rank_acceptability[0] - 0.5).abs() < 0.02);
/// assert_eq!(r, smaa(&options, 10_000, 42)?); // the same seed, the same result
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no options, ragged or non-finite values, duplicate ids,
/// or zero samples.
pub fn smaa(options: &[ValuedOption], samples: u32, seed: u64) -> Result<Vec<Acceptability>> {
    let n = options.first().map_or(0, |o| o.values.len());
    if n == 0 {
        return Err(PriorityError::input(
            "options",
            "at least one option with at least one criterion is required",
        ));
    }
    check(&vec![1.0; n], options)?;
    if samples == 0 {
        return Err(PriorityError::input("samples", "must be at least 1"));
    }
    let m = options.len();
    let values: Vec<f64> = options
        .iter()
        .flat_map(|o| o.values.iter().copied())
        .collect();
    let mut rng = SplitMix64::new(seed);
    let mut counts = vec![0u32; m.saturating_mul(m)];
    let mut central = vec![0.0f64; m.saturating_mul(n)];
    let mut firsts = vec![0u32; m];
    let mut w = vec![0.0f64; n];
    let mut scores = vec![0.0f64; m];
    let mut order: Vec<usize> = (0..m).collect();
    for _ in 0..samples {
        let mut total = 0.0;
        for x in &mut w {
            // 1 − u is in (0, 1], so the logarithm is finite.
            *x = -(1.0 - rng.unit()).ln();
            total += *x;
        }
        for x in &mut w {
            *x /= total;
        }
        for (s, row) in scores.iter_mut().zip(values.chunks_exact(n)) {
            *s = row.iter().zip(&w).map(|(v, wj)| v * wj).sum();
        }
        for (k, o) in order.iter_mut().enumerate() {
            *o = k;
        }
        order.sort_by(|&a, &b| {
            scores
                .get(b)
                .copied()
                .unwrap_or(0.0)
                .total_cmp(&scores.get(a).copied().unwrap_or(0.0))
                .then(a.cmp(&b))
        });
        for (r, &i) in order.iter().enumerate() {
            if let Some(c) = counts.get_mut(i.saturating_mul(m).saturating_add(r)) {
                *c = c.saturating_add(1);
            }
        }
        if let Some(&top) = order.first() {
            if let Some(f) = firsts.get_mut(top) {
                *f = f.saturating_add(1);
            }
            for (c, x) in central
                .iter_mut()
                .skip(top.saturating_mul(n))
                .take(n)
                .zip(&w)
            {
                *c += x;
            }
        }
    }
    let total = f64::from(samples);
    let mut out = Vec::with_capacity(m);
    for (i, o) in options.iter().enumerate() {
        let rank_acceptability = counts
            .iter()
            .skip(i.saturating_mul(m))
            .take(m)
            .map(|&c| f64::from(c) / total)
            .collect();
        let f = firsts.get(i).copied().unwrap_or(0);
        let (central_weights, confidence_factor) = if f == 0 {
            (None, None)
        } else {
            let cw: Vec<f64> = central
                .iter()
                .skip(i.saturating_mul(n))
                .take(n)
                .map(|c| c / f64::from(f))
                .collect();
            let my: f64 = o.values.iter().zip(&cw).map(|(v, x)| v * x).sum();
            let first = options
                .iter()
                .all(|p| p.values.iter().zip(&cw).map(|(v, x)| v * x).sum::<f64>() <= my);
            (Some(cw), Some(if first { 1.0 } else { 0.0 }))
        };
        out.push(Acceptability {
            id: o.id.clone(),
            rank_acceptability,
            central_weights,
            confidence_factor,
        });
    }
    Ok(out)
}
