//! TOPSIS: closeness to the ideal point.
//!
//! The decision matrix (alternatives × criteria) is normalised, multiplied by the weights, and
//! each alternative scored by its closeness `D⁻ / (D⁺ + D⁻)`, where `D⁺` and `D⁻` are the
//! Euclidean distances to the positive and negative ideal points.
//!
//! - **Vector** normalisation divides each column by its Euclidean norm; for a cost criterion
//!   the positive ideal is the column minimum and the negative ideal the maximum. This is the
//!   classic method (Hwang and Yoon 1981) and reproduces the pymcdm and R `MCDA` examples.
//! - **Min–max** normalisation maps a benefit column to `(x − min)/(max − min)` and a cost
//!   column to `(max − x)/(max − min)` (a constant column becomes all ones); the positive ideal
//!   is then each column's maximum and the negative ideal its minimum (pymcdm's `minmax`).
//!
//! The ranking lists alternatives (1-based) by closeness, highest first, ties to the lower
//! index.

use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, finite};
use crate::weights::normalise;

/// Whether more or less is better on a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CriterionType {
    /// More is better.
    Benefit,
    /// Less is better.
    Cost,
}

/// How the decision matrix is normalised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// Each column divided by its Euclidean norm.
    #[default]
    Vector,
    /// Each column mapped to 0..=1 between its minimum and maximum.
    MinMax,
}

/// The result of TOPSIS, with its working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TopsisResult {
    /// Closeness of each alternative, in input order.
    pub closeness: Vec<f64>,
    /// Distance to the positive ideal.
    pub d_plus: Vec<f64>,
    /// Distance to the negative ideal.
    pub d_minus: Vec<f64>,
    /// The positive ideal point (weighted, normalised).
    pub pis: Vec<f64>,
    /// The negative ideal point.
    pub nis: Vec<f64>,
    /// 1-based alternative numbers from best to worst.
    pub ranking: Vec<usize>,
}

/// Runs TOPSIS on a matrix given row by row.
///
/// ```
/// use commissioning_priority::topsis::{topsis, CriterionType, Normalisation};
/// let m = vec![vec![1.0, 3000.0], vec![2.0, 3750.0], vec![5.0, 4500.0]];
/// let r = topsis(&m, &[0.5, 0.5], &[CriterionType::Cost, CriterionType::Benefit], Normalisation::Vector)?;
/// assert_eq!(r.ranking, [1, 2, 3]);
/// assert!((r.closeness[0] - 0.7621405801238009).abs() < 1e-12);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for an empty or ragged matrix, non-finite values, weights
/// or types of the wrong length, or bad weights; [`PriorityError::Undefined`] when a column's
/// norm is zero under vector normalisation or an alternative's distances are both zero (all
/// alternatives identical).
pub fn topsis(
    matrix: &[Vec<f64>],
    weights: &[f64],
    types: &[CriterionType],
    normalisation: Normalisation,
) -> Result<TopsisResult> {
    let m = matrix.len();
    let n = matrix.first().map_or(0, Vec::len);
    if m == 0 || n == 0 {
        return Err(PriorityError::input(
            "matrix",
            "needs at least one alternative and one criterion",
        ));
    }
    let flat = flatten(matrix, n)?;
    topsis_flat(&flat, m, weights, types, normalisation)
}

fn flatten(matrix: &[Vec<f64>], n: usize) -> Result<Vec<f64>> {
    let mut flat = Vec::with_capacity(matrix.len().saturating_mul(n));
    for (i, row) in matrix.iter().enumerate() {
        if row.len() != n {
            return Err(PriorityError::input(
                format!("matrix[{i}]"),
                format!("has {} values, expected {n}", row.len()),
            ));
        }
        for (j, x) in row.iter().enumerate() {
            flat.push(finite(|| format!("matrix[{i}][{j}]"), *x)?);
        }
    }
    Ok(flat)
}

#[derive(Clone, Copy)]
struct Column {
    a: f64,
    b: f64,
    best: f64,
    worst: f64,
}

/// TOPSIS on a row-major matrix of `rows` alternatives: the allocation-light kernel behind
/// [`topsis`], for large inputs.
///
/// # Errors
///
/// As [`topsis`].
pub fn topsis_flat(
    values: &[f64],
    rows: usize,
    weights: &[f64],
    types: &[CriterionType],
    normalisation: Normalisation,
) -> Result<TopsisResult> {
    topsis_core(values, rows, weights, types, normalisation, true)
}

/// Closeness only, without sorting a ranking: for large inputs where the caller ranks (or
/// only thresholds) the scores itself. The `ranking` field of the result is empty.
///
/// # Errors
///
/// As [`topsis`].
pub fn topsis_unranked(
    values: &[f64],
    rows: usize,
    weights: &[f64],
    types: &[CriterionType],
    normalisation: Normalisation,
) -> Result<TopsisResult> {
    topsis_core(values, rows, weights, types, normalisation, false)
}

fn topsis_core(
    values: &[f64],
    rows: usize,
    weights: &[f64],
    types: &[CriterionType],
    normalisation: Normalisation,
    rank: bool,
) -> Result<TopsisResult> {
    let n = weights.len();
    if n == 0 || rows == 0 || values.len() != rows.saturating_mul(n) {
        return Err(PriorityError::input(
            "matrix",
            "must have one value per weight in every row",
        ));
    }
    if types.len() != n {
        return Err(PriorityError::input(
            "criteria_types",
            format!("has {} entries for {n} criteria", types.len()),
        ));
    }
    // The weights are used as given, as the textbook method (Hwang and Yoon 1981) and pymcdm
    // do: scaling them scales every distance and the ideal points, never the closeness.
    normalise(weights)?;
    let w = weights.to_vec();
    let mut stats = vec![(0.0f64, f64::INFINITY, f64::NEG_INFINITY); n];
    for row in values.chunks_exact(n) {
        for (st, &x) in stats.iter_mut().zip(row) {
            st.0 += x * x;
            st.1 = st.1.min(x);
            st.2 = st.2.max(x);
        }
    }
    if let Some(j) = stats
        .iter()
        .position(|st| !st.0.is_finite() || !st.1.is_finite() || !st.2.is_finite())
    {
        return Err(PriorityError::input(
            "matrix",
            format!("column {j} holds a non-finite value or overflows"),
        ));
    }
    // Per column: the weighted value is a·x + b; p and q are the ideal and anti-ideal.
    let mut cols = Vec::with_capacity(n);
    for (j, ((&(s, l, h), &wj), &t)) in stats.iter().zip(&w).zip(types).enumerate() {
        let (a, b) = match normalisation {
            Normalisation::Vector => {
                let norm = s.sqrt();
                if norm == 0.0 {
                    return Err(PriorityError::Undefined {
                        what: format!("vector normalisation of criterion {j}"),
                        reason: "every value is zero".into(),
                    });
                }
                (wj / norm, 0.0)
            }
            Normalisation::MinMax => {
                let range = h - l;
                if range == 0.0 {
                    (0.0, wj)
                } else {
                    match t {
                        CriterionType::Benefit => (wj / range, -wj * l / range),
                        CriterionType::Cost => (-wj / range, wj * h / range),
                    }
                }
            }
        };
        let (vl, vh) = (a * l + b, a * h + b);
        let (best, worst) = match (normalisation, t) {
            (Normalisation::Vector, CriterionType::Cost) => (vl, vh),
            (Normalisation::Vector, CriterionType::Benefit) => (vh, vl),
            (Normalisation::MinMax, _) => (vl.max(vh), vl.min(vh)),
        };
        cols.push(Column { a, b, best, worst });
    }
    let pis = cols.iter().map(|c| c.best).collect();
    let nis = cols.iter().map(|c| c.worst).collect();
    let mut d_plus = Vec::with_capacity(rows);
    let mut d_minus = Vec::with_capacity(rows);
    let mut closeness = Vec::with_capacity(rows);
    for (i, row) in values.chunks_exact(n).enumerate() {
        let (mut dp, mut dm) = (0.0f64, 0.0f64);
        for (x, c) in row.iter().zip(&cols) {
            let v = c.a * x + c.b;
            dp += (v - c.best) * (v - c.best);
            dm += (v - c.worst) * (v - c.worst);
        }
        let (dp, dm) = (dp.sqrt(), dm.sqrt());
        if dp + dm == 0.0 {
            return Err(PriorityError::Undefined {
                what: format!("TOPSIS closeness of alternative {}", i.saturating_add(1)),
                reason: "it is at both the positive and the negative ideal (all alternatives are identical)".into(),
            });
        }
        d_plus.push(dp);
        d_minus.push(dm);
        closeness.push(dm / (dp + dm));
    }
    let ranking = if rank {
        let (_, order) = crate::mcda::competition_ranks(&closeness);
        order.into_iter().map(|i| i.saturating_add(1)).collect()
    } else {
        Vec::new()
    };
    Ok(TopsisResult {
        closeness,
        d_plus,
        d_minus,
        pis,
        nis,
        ranking,
    })
}

commissioning_model::words_from_str!(
    CriterionType => "criterion type",
    Normalisation => "normalisation",
);
commissioning_model::words_display!(CriterionType, Normalisation);
