//! The additive multi-criteria value model: criteria with weights and value functions,
//! options with raw performance, and the weighted sum with each criterion's contribution.
//!
//! `score(option) = Σⱼ wⱼ × vⱼ(xⱼ)` with the weights normalised to sum to 1. Options are ranked
//! by score, highest first, with competition ranking for ties (1, 1, 3); tied options keep
//! their input order in the ranking list.

use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, finite, unique_ids};
use crate::value::{OutOfRange, Performance, ValueFunction};
use crate::weights::normalise;

/// A criterion of the value model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Criterion {
    /// An identifier, unique among the criteria.
    pub id: String,
    /// Its raw weight (a swing weight, a direct rating); weights are normalised together.
    pub weight: f64,
    /// How raw performance becomes value.
    pub value_function: ValueFunction,
    /// What happens to raw values outside the function's domain.
    #[serde(default)]
    pub out_of_range: OutOfRange,
}

impl Criterion {
    /// A criterion that rejects out-of-range values.
    pub fn new(id: impl Into<String>, weight: f64, value_function: ValueFunction) -> Self {
        Self {
            id: id.into(),
            weight,
            value_function,
            out_of_range: OutOfRange::Error,
        }
    }
}

/// An option (an investment, a service model) with its raw performance on each criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Alternative {
    /// An identifier, unique among the options.
    pub id: String,
    /// Raw performance, one per criterion in criteria order.
    pub performance: Vec<Performance>,
}

impl Alternative {
    /// An option with numeric performance.
    pub fn new(id: impl Into<String>, performance: Vec<Performance>) -> Self {
        Self {
            id: id.into(),
            performance,
        }
    }
}

/// One option's score with its working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OptionScore {
    /// The option.
    pub id: String,
    /// Its value on each criterion.
    pub values: Vec<f64>,
    /// Each criterion's contribution: weight × value.
    pub contributions: Vec<f64>,
    /// The overall score: the sum of the contributions.
    pub score: f64,
    /// Its competition rank (1 is best; ties share a rank).
    pub rank: usize,
}

/// The scored model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Scores {
    /// The normalised weights, in criteria order.
    pub weights: Vec<f64>,
    /// Each option, in input order.
    pub options: Vec<OptionScore>,
    /// Option ids from best to worst (ties in input order).
    pub ranking: Vec<String>,
}

/// Competition ranks (1, 1, 3) of scores, higher is better, and the order of indices from best
/// to worst with ties in input order.
pub(crate) fn competition_ranks(scores: &[f64]) -> (Vec<usize>, Vec<usize>) {
    // Sort (descending score key, index) pairs: the keys are unique, so an unstable sort is
    // deterministic, and integer keys compare fast.
    let mut keyed: Vec<(u64, usize)> = scores
        .iter()
        .enumerate()
        .map(|(i, &x)| (!ordered_bits(x), i))
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let mut ranks = vec![0usize; scores.len()];
    let mut prev: Option<f64> = None;
    let mut rank = 0usize;
    for (pos, &i) in order.iter().enumerate() {
        let s = scores.get(i).copied().unwrap_or(f64::NAN);
        if prev != Some(s) {
            rank = pos.saturating_add(1);
            prev = Some(s);
        }
        if let Some(r) = ranks.get_mut(i) {
            *r = rank;
        }
    }
    (ranks, order)
}

/// A `u64` whose unsigned order is the total order of `f64` (as `f64::total_cmp`).
pub(crate) fn ordered_bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// Scores every option.
///
/// ```
/// use commissioning_priority::mcda::{score, Alternative, Criterion};
/// use commissioning_priority::value::{Performance, ValueFunction};
///
/// let criteria = vec![
///     Criterion::new("health_gain", 100.0, ValueFunction::Linear { worst: 0.0, best: 10.0 }),
///     Criterion::new("cost_k", 60.0, ValueFunction::Linear { worst: 500.0, best: 0.0 }),
/// ];
/// let options = vec![
///     Alternative::new("X", vec![Performance::Number(6.0), Performance::Number(200.0)]),
///     Alternative::new("Y", vec![Performance::Number(8.0), Performance::Number(400.0)]),
/// ];
/// let s = score(&criteria, &options)?;
/// assert_eq!(s.weights, [0.625, 0.375]);
/// assert_eq!(s.options[0].contributions, [37.5, 22.5]); // X: 0.625 × 60 and 0.375 × 60
/// assert_eq!(s.ranking, ["X", "Y"]);                    // 60 against 57.5
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no criteria or options, duplicate ids, a bad weight or
/// value function, or an option whose performance list does not match the criteria;
/// [`PriorityError::OutOfRange`] for a raw value outside a function's domain in `error` mode.
pub fn score(criteria: &[Criterion], options: &[Alternative]) -> Result<Scores> {
    if criteria.is_empty() {
        return Err(PriorityError::input(
            "criteria",
            "at least one criterion is required",
        ));
    }
    if options.is_empty() {
        return Err(PriorityError::input(
            "options",
            "at least one option is required",
        ));
    }
    unique_ids("criteria", &criteria.iter().map(|c| c.id.as_str()))?;
    unique_ids("options", &options.iter().map(|o| o.id.as_str()))?;
    let raw: Vec<f64> = criteria.iter().map(|c| c.weight).collect();
    let weights = normalise(&raw).map_err(|e| match e {
        PriorityError::InvalidInput { field, reason } => PriorityError::input(
            field
                .replace("weights[", "criteria[")
                .replace(']', "].weight"),
            reason,
        ),
        other => other,
    })?;
    for (j, c) in criteria.iter().enumerate() {
        c.value_function
            .check(&format!("criteria[{j}].value_function"))?;
    }
    let mut scored = Vec::with_capacity(options.len());
    for (i, o) in options.iter().enumerate() {
        if o.performance.len() != criteria.len() {
            return Err(PriorityError::input(
                format!("options[{i}].performance"),
                format!(
                    "has {} values for {} criteria",
                    o.performance.len(),
                    criteria.len()
                ),
            ));
        }
        let mut values = Vec::with_capacity(criteria.len());
        for (j, (c, p)) in criteria.iter().zip(&o.performance).enumerate() {
            values.push(c.value_function.value(
                p,
                c.out_of_range,
                &format!("options[{i}].performance[{j}]"),
            )?);
        }
        let contributions: Vec<f64> = values.iter().zip(&weights).map(|(v, w)| v * w).collect();
        let total = finite(|| format!("options[{i}] score"), contributions.iter().sum())?;
        scored.push(OptionScore {
            id: o.id.clone(),
            values,
            contributions,
            score: total,
            rank: 0,
        });
    }
    let totals: Vec<f64> = scored.iter().map(|s| s.score).collect();
    let (ranks, order) = competition_ranks(&totals);
    for (s, r) in scored.iter_mut().zip(ranks) {
        s.rank = r;
    }
    let ranking = order
        .iter()
        .filter_map(|&i| scored.get(i).map(|s| s.id.clone()))
        .collect();
    Ok(Scores {
        weights,
        options: scored,
        ranking,
    })
}

/// Weighted sums of a values matrix (options × criteria) with weights that already sum to 1,
/// written into `out`: the streaming kernel behind [`score`], for large batches.
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] when the matrix length is not `out.len() × weights.len()`.
pub fn weighted_sums(values: &[f64], weights: &[f64], out: &mut [f64]) -> Result<()> {
    if weights.is_empty() || values.len() != out.len().saturating_mul(weights.len()) {
        return Err(PriorityError::input(
            "values",
            "must hold one row of one value per weight for each output",
        ));
    }
    crate::kernel::weighted_sums(values, weights, out, |s| s);
    Ok(())
}

/// The least and the greatest value of each criterion of a values matrix (options × criteria,
/// row by row), in one pass: the observed ranges for [`linear_scores`].
///
/// ```
/// use commissioning_priority::mcda::column_extremes;
/// let e = column_extremes(&[6.0, 200.0, 8.0, 400.0, 7.0, 300.0], 2)?;
/// assert_eq!(e, [(6.0, 8.0), (200.0, 400.0)]);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] when there are no criteria, the length is not a whole
/// number of rows, or a value is not finite (named by its row and column).
pub fn column_extremes(values: &[f64], criteria: usize) -> Result<Vec<(f64, f64)>> {
    if criteria == 0 || values.is_empty() || !values.len().is_multiple_of(criteria) {
        return Err(PriorityError::input(
            "values",
            "must hold whole rows of one value per criterion",
        ));
    }
    let (extremes, finite) = crate::kernel::column_extremes(values, criteria);
    if !finite && let Some(k) = values.iter().position(|x| !x.is_finite()) {
        return Err(PriorityError::input(
            format!(
                "values[{}][{}]",
                k.checked_div(criteria).unwrap_or(0),
                k.checked_rem(criteria).unwrap_or(0)
            ),
            "is not a finite number",
        ));
    }
    Ok(extremes)
}

/// Scores a values matrix (options × criteria, row by row) with a linear value function per
/// criterion, from `worst` (value 0) to `best` (value 100), and weights that sum to 1: the
/// same scores as [`score`] with [`ValueFunction::Linear`] criteria, out-of-range raw values
/// extrapolated. Because each value function is affine, the normalisation folds into the
/// weights and the whole matrix is scored in one streaming pass.
///
/// ```
/// use commissioning_priority::mcda::linear_scores;
/// let s = linear_scores(&[6.0, 200.0, 8.0, 400.0], 2, &[(0.0, 10.0), (500.0, 0.0)], &[0.625, 0.375])?;
/// assert!((s[0] - 60.0).abs() < 1e-12 && (s[1] - 57.5).abs() < 1e-12);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] when the shapes disagree, a range has `worst == best`, or a
/// value is not finite.
pub fn linear_scores(
    values: &[f64],
    rows: usize,
    ranges: &[(f64, f64)],
    weights: &[f64],
) -> Result<Vec<f64>> {
    let n = weights.len();
    if n == 0 || ranges.len() != n || values.len() != rows.saturating_mul(n) {
        return Err(PriorityError::input(
            "values",
            "must hold one row of one value per weight and range for each option",
        ));
    }
    let mut scale = Vec::with_capacity(n);
    let mut offset = 0.0;
    for (j, (&(worst, best), &w)) in ranges.iter().zip(weights).enumerate() {
        finite(|| format!("ranges[{j}]"), worst)?;
        finite(|| format!("ranges[{j}]"), best)?;
        finite(|| format!("weights[{j}]"), w)?;
        if worst == best {
            return Err(PriorityError::input(
                format!("ranges[{j}]"),
                "worst and best must differ",
            ));
        }
        // w × 100 × (x − worst) / (best − worst) = (100w / (best − worst)) x − 100w·worst / (best − worst)
        let a = 100.0 * w / (best - worst);
        scale.push(a);
        offset -= a * worst;
    }
    let mut out = vec![0.0; rows];
    crate::kernel::weighted_sums(values, &scale, &mut out, |s| offset + s);
    if let Some(i) = out.iter().position(|x| !x.is_finite()) {
        return Err(PriorityError::input(
            format!("values[{i}]"),
            "a score is not finite",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranking_shares_ranks() {
        let (ranks, order) = competition_ranks(&[5.0, 7.0, 5.0, 1.0]);
        assert_eq!(ranks, [2, 1, 2, 4]);
        assert_eq!(order, [1, 0, 2, 3]);
    }
}
