//! Criterion weights: direct, swing, and rank-based surrogate weights.
//!
//! Every function returns weights that are finite, non-negative and sum to 1 (up to the last
//! unit of floating point). AHP weights are in [`crate::ahp`].

use crate::error::{PriorityError, Result, finite};

/// Normalises non-negative raw weights (direct ratings or swing weights, e.g. 100, 40, 60) to
/// sum to 1.
///
/// ```
/// use commissioning_priority::weights::normalise;
/// assert_eq!(normalise(&[100.0, 40.0, 60.0])?, [0.5, 0.2, 0.3]);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no weights, a negative or non-finite weight, or all
/// weights zero.
pub fn normalise(raw: &[f64]) -> Result<Vec<f64>> {
    if raw.is_empty() {
        return Err(PriorityError::input(
            "weights",
            "at least one weight is required",
        ));
    }
    for (i, w) in raw.iter().enumerate() {
        finite(|| format!("weights[{i}]"), *w)?;
        if *w < 0.0 {
            return Err(PriorityError::input(
                format!("weights[{i}]"),
                format!("must not be negative, got {w}"),
            ));
        }
    }
    let sum: f64 = raw.iter().sum();
    if sum <= 0.0 || !sum.is_finite() {
        return Err(PriorityError::input(
            "weights",
            "at least one weight must be above zero, and their sum finite",
        ));
    }
    Ok(raw.iter().map(|w| w / sum).collect())
}

/// Swing weights: the most important swing scores 100 and the others are rated against it;
/// the weights are the ratings normalised. The same arithmetic as [`normalise`], named for the
/// method (DCLG, *Multi-criteria analysis: a manual*, 2009).
///
/// # Errors
///
/// As [`normalise`].
pub fn swing(ratings: &[f64]) -> Result<Vec<f64>> {
    normalise(ratings)
}

/// Rank-based surrogate weighting methods for criteria ranked 1 (most important) to n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RankMethod {
    /// Rank order centroid: `wᵢ = (1/n) Σₖ₌ᵢⁿ 1/k` (Barron and Barrett 1996).
    Roc,
    /// Rank sum: `wᵢ = 2(n + 1 − i) / (n(n + 1))`.
    RankSum,
    /// Rank reciprocal: `wᵢ = (1/i) / Σₖ 1/k`.
    RankReciprocal,
}

/// Surrogate weights for `n` criteria in rank order (position 0 is rank 1).
///
/// ```
/// use commissioning_priority::weights::{from_ranks, RankMethod};
/// let w = from_ranks(RankMethod::Roc, 3)?;
/// assert!((w[0] - 0.6111111111111112).abs() < 1e-15);
/// assert_eq!(from_ranks(RankMethod::RankSum, 4)?, [0.4, 0.3, 0.2, 0.1]);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] when `n` is zero.
pub fn from_ranks(method: RankMethod, n: usize) -> Result<Vec<f64>> {
    if n == 0 {
        return Err(PriorityError::input(
            "n",
            "at least one criterion is required",
        ));
    }
    #[allow(clippy::cast_precision_loss)] // ranks are small integers
    let nf = n as f64;
    #[allow(clippy::cast_precision_loss)]
    let w: Vec<f64> = match method {
        RankMethod::Roc => (1..=n)
            .map(|i| (i..=n).map(|k| 1.0 / k as f64).sum::<f64>() / nf)
            .collect(),
        RankMethod::RankSum => (1..=n)
            .map(|i| 2.0 * (nf + 1.0 - i as f64) / (nf * (nf + 1.0)))
            .collect(),
        RankMethod::RankReciprocal => {
            let total: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
            (1..=n).map(|i| (1.0 / i as f64) / total).collect()
        }
    };
    Ok(w)
}

/// Surrogate weights for criteria given their ranks (1 = most important; ties share the mean
/// of the weights of the positions they occupy), in the criteria's own order.
///
/// ```
/// use commissioning_priority::weights::{from_rank_list, RankMethod};
/// // Criteria ranked 2nd, 1st, 3rd.
/// let w = from_rank_list(RankMethod::RankSum, &[2, 1, 3])?;
/// for (got, want) in w.iter().zip([1.0 / 3.0, 0.5, 1.0 / 6.0]) {
///     assert!((got - want).abs() < 1e-15);
/// }
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for no ranks or a rank outside 1..=n.
pub fn from_rank_list(method: RankMethod, ranks: &[usize]) -> Result<Vec<f64>> {
    let n = ranks.len();
    let by_position = from_ranks(method, n)?;
    for (i, r) in ranks.iter().enumerate() {
        if *r == 0 || *r > n {
            return Err(PriorityError::input(
                format!("ranks[{i}]"),
                format!("must be between 1 and {n}, got {r}"),
            ));
        }
    }
    // Tied criteria occupy consecutive positions starting at their rank and share them.
    let mut out = Vec::with_capacity(n);
    for r in ranks {
        let tied = ranks.iter().filter(|x| *x == r).count();
        let slice = by_position
            .get(r.saturating_sub(1)..r.saturating_sub(1).saturating_add(tied))
            .unwrap_or(&[]);
        #[allow(clippy::cast_precision_loss)]
        out.push(slice.iter().sum::<f64>() / tied.max(1) as f64);
    }
    // Competition ranks (1, 1, 3) cover every position once; dense ranks (1, 1, 2) do not,
    // so the result is normalised to sum to 1 either way.
    let total: f64 = out.iter().sum();
    Ok(out.into_iter().map(|w| w / total).collect())
}
