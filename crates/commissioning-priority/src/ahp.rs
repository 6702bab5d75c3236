//! The Analytic Hierarchy Process: weights from a pairwise comparison matrix, with λmax, the
//! consistency index and the consistency ratio.
//!
//! A comparison matrix `A` is square, positive and reciprocal: `aᵢᵢ = 1` and `aⱼᵢ = 1/aᵢⱼ`
//! (checked to a relative tolerance of 1e-9, so decimal inputs such as 0.3333333333333333
//! pass). Three methods derive weights:
//!
//! - **Eigenvector**: the principal right eigenvector by power iteration, stopping when
//!   successive normalised vectors differ by less than 1e-15 in every entry (Saaty 1980).
//! - **Geometric mean** of each row, normalised (Crawford and Williams 1985).
//! - **Column average**: the mean of each row of the column-normalised matrix.
//!
//! `λmax` is the mean over rows of `(A w)ᵢ / wᵢ`; `CI = (λmax − n)/(n − 1)`; `CR = CI / RI(n)`
//! with `RI` from a [`RandomIndex`] table; for `n ≤ 2` the ratio is 0 by definition. A ratio
//! above 0.10 sets [`AhpResult::inconsistent`].

use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, finite};

/// How weights are derived from a comparison matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AhpMethod {
    /// The principal eigenvector (power iteration).
    #[default]
    Eigenvector,
    /// The normalised geometric mean of each row.
    GeometricMean,
    /// The average of the column-normalised matrix.
    ColumnAverage,
}

/// Published tables of the random consistency index `RI(n)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RandomIndex {
    #[serde(rename = "saaty_1980")]
    /// Saaty (1980), n = 1–15: 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51,
    /// 1.48, 1.56, 1.57, 1.59 (as in pyDecision).
    #[default]
    Saaty1980,
    #[serde(rename = "saaty_2005")]
    /// Saaty (2005), n = 3–15: 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56,
    /// 1.58, 1.59 (`AHPy`'s `saaty`).
    Saaty2005,
    #[serde(rename = "tummala_ling_1998")]
    /// Tummala and Ling (1998), n = 1–15 (as in pymcdm).
    TummalaLing1998,
    #[serde(rename = "donegan_dodd_1991")]
    /// Donegan and Dodd (1991), n = 3–20 and 25–100 in steps, interpolated linearly between
    /// tabulated sizes (`AHPy`'s default `dd`).
    DoneganDodd1991,
}

const SAATY_1980: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];
const SAATY_2005: [f64; 15] = [
    0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
];
const TUMMALA_LING: [f64; 15] = [
    0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356,
    1.5571, 1.5714, 1.5831,
];
const DONEGAN_DODD: [(usize, f64); 27] = [
    (3, 0.4914),
    (4, 0.8286),
    (5, 1.0591),
    (6, 1.1797),
    (7, 1.2519),
    (8, 1.3171),
    (9, 1.3733),
    (10, 1.4055),
    (11, 1.4213),
    (12, 1.4497),
    (13, 1.4643),
    (14, 1.4822),
    (15, 1.4969),
    (16, 1.5078),
    (17, 1.5153),
    (18, 1.5262),
    (19, 1.5313),
    (20, 1.5371),
    (25, 1.5619),
    (30, 1.5772),
    (40, 1.5976),
    (50, 1.6102),
    (60, 1.6178),
    (70, 1.6237),
    (80, 1.6277),
    (90, 1.6213),
    (100, 1.6339),
];

impl RandomIndex {
    /// `RI(n)`, or `None` where the table has no value for `n`.
    pub fn value(self, n: usize) -> Option<f64> {
        if n <= 2 {
            return Some(0.0);
        }
        match self {
            Self::Saaty1980 => SAATY_1980.get(n.checked_sub(1)?).copied(),
            Self::Saaty2005 => SAATY_2005.get(n.checked_sub(1)?).copied(),
            Self::TummalaLing1998 => TUMMALA_LING.get(n.checked_sub(1)?).copied(),
            Self::DoneganDodd1991 => {
                if let Some(&(_, v)) = DONEGAN_DODD.iter().find(|(k, _)| *k == n) {
                    return Some(v);
                }
                let upper = DONEGAN_DODD.iter().position(|(k, _)| *k > n)?;
                let (lo_n, lo) = *DONEGAN_DODD.get(upper.checked_sub(1)?)?;
                let (hi_n, hi) = *DONEGAN_DODD.get(upper)?;
                #[allow(clippy::cast_precision_loss)]
                let t = (n.saturating_sub(lo_n)) as f64 / (hi_n.saturating_sub(lo_n)) as f64;
                Some(lo + (hi - lo) * t)
            }
        }
    }
}

/// Weights and consistency from one comparison matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AhpResult {
    /// The weights, summing to 1.
    pub weights: Vec<f64>,
    /// The principal eigenvalue estimate.
    pub lambda_max: f64,
    /// The consistency index.
    pub ci: f64,
    /// The consistency ratio (0 for n ≤ 2).
    pub cr: f64,
    /// The random index used.
    pub ri: f64,
    /// Whether the consistency ratio is above 0.10, Saaty's usual limit.
    pub inconsistent: bool,
}

/// Checks that a matrix is square, positive, finite and reciprocal, naming the offending cell.
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for an empty or ragged matrix, a non-positive or non-finite
/// entry, a diagonal other than 1, or a pair that is not reciprocal.
pub fn check_matrix(matrix: &[Vec<f64>]) -> Result<()> {
    let n = matrix.len();
    if n == 0 {
        return Err(PriorityError::input("matrix", "must have at least one row"));
    }
    for (i, row) in matrix.iter().enumerate() {
        if row.len() != n {
            return Err(PriorityError::input(
                format!("matrix[{i}]"),
                format!("has {} entries; a {n} × {n} matrix needs {n}", row.len()),
            ));
        }
        for (j, &a) in row.iter().enumerate() {
            finite(|| format!("matrix[{i}][{j}]"), a)?;
            if a <= 0.0 {
                return Err(PriorityError::input(
                    format!("matrix[{i}][{j}]"),
                    format!("must be positive, got {a}"),
                ));
            }
        }
    }
    for i in 0..n {
        for j in 0..n {
            let a = cell(matrix, i, j);
            let b = cell(matrix, j, i);
            if i == j {
                if (a - 1.0).abs() > 1e-9 {
                    return Err(PriorityError::input(
                        format!("matrix[{i}][{i}]"),
                        format!("a diagonal entry must be 1, got {a}"),
                    ));
                }
            } else if (a * b - 1.0).abs() > 1e-9 {
                return Err(PriorityError::input(
                    format!("matrix[{j}][{i}]"),
                    format!(
                        "must be the reciprocal of matrix[{i}][{j}] = {a} (1/{a} = {}), got {b}",
                        1.0 / a
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn cell(m: &[Vec<f64>], i: usize, j: usize) -> f64 {
    m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(f64::NAN)
}

/// Derives weights and consistency from a comparison matrix.
///
/// ```
/// use commissioning_priority::ahp::{ahp, AhpMethod, RandomIndex};
/// let m = vec![vec![1.0, 3.0, 5.0], vec![1.0 / 3.0, 1.0, 3.0], vec![0.2, 1.0 / 3.0, 1.0]];
/// let r = ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty1980)?;
/// assert!((r.weights[0] - 0.6369855717447571).abs() < 1e-12);
/// assert!((r.cr - 0.033199215998422425).abs() < 1e-12);
/// assert!(!r.inconsistent);
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// As [`check_matrix`]; [`PriorityError::OutOfRange`] when the random-index table has no
/// value for the matrix size; [`PriorityError::Undefined`] if power iteration does not
/// converge in 10,000 steps.
pub fn ahp(matrix: &[Vec<f64>], method: AhpMethod, table: RandomIndex) -> Result<AhpResult> {
    check_matrix(matrix)?;
    let n = matrix.len();
    let ri = table.value(n).ok_or_else(|| PriorityError::OutOfRange {
        field: "matrix".into(),
        value: format!("{n} × {n}"),
        range: format!("the {table:?} random-index table"),
    })?;
    let weights = match method {
        AhpMethod::Eigenvector => eigenvector(matrix)?,
        AhpMethod::GeometricMean => {
            #[allow(clippy::cast_precision_loss)]
            let g: Vec<f64> = matrix
                .iter()
                .map(|row| row.iter().map(|a| a.ln()).sum::<f64>() / n as f64)
                .map(f64::exp)
                .collect();
            let s: f64 = g.iter().sum();
            g.into_iter().map(|x| x / s).collect()
        }
        AhpMethod::ColumnAverage => {
            let col_sums: Vec<f64> = (0..n)
                .map(|j| {
                    matrix
                        .iter()
                        .map(|r| r.get(j).copied().unwrap_or(0.0))
                        .sum()
                })
                .collect();
            #[allow(clippy::cast_precision_loss)]
            let w = matrix
                .iter()
                .map(|r| r.iter().zip(&col_sums).map(|(a, s)| a / s).sum::<f64>() / n as f64)
                .collect();
            w
        }
    };
    #[allow(clippy::cast_precision_loss)]
    let nf = n as f64;
    let lambda_max = matrix
        .iter()
        .zip(&weights)
        .map(|(row, wi)| row.iter().zip(&weights).map(|(a, w)| a * w).sum::<f64>() / wi)
        .sum::<f64>()
        / nf;
    let (ci, cr) = if n <= 2 {
        ((lambda_max - nf) / (nf - 1.0).max(1.0), 0.0)
    } else {
        let ci = (lambda_max - nf) / (nf - 1.0);
        (ci, ci / ri)
    };
    Ok(AhpResult {
        weights,
        lambda_max,
        ci,
        cr,
        ri,
        inconsistent: cr > 0.10,
    })
}

fn eigenvector(matrix: &[Vec<f64>]) -> Result<Vec<f64>> {
    let n = matrix.len();
    #[allow(clippy::cast_precision_loss)]
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..10_000 {
        let next: Vec<f64> = matrix
            .iter()
            .map(|row| row.iter().zip(&w).map(|(a, x)| a * x).sum())
            .collect();
        let s: f64 = next.iter().sum();
        let next: Vec<f64> = next.into_iter().map(|x| x / s).collect();
        let diff = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if diff < 1e-15 {
            return Ok(w);
        }
    }
    Err(PriorityError::Undefined {
        what: "the principal eigenvector".into(),
        reason: "power iteration did not converge in 10,000 steps".into(),
    })
}

/// A two-level hierarchy's global priorities: criteria weights from the criteria matrix and,
/// for each criterion, local weights of the alternatives from that criterion's matrix; the
/// global priority of an alternative is `Σ criterion weight × local weight`, at full
/// precision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Hierarchy {
    /// The criteria's result.
    pub criteria: AhpResult,
    /// Each criterion's result for the alternatives, in criteria order.
    pub local: Vec<AhpResult>,
    /// Each alternative's global priority, in alternative order.
    pub global: Vec<f64>,
}

/// Synthesises a two-level hierarchy.
///
/// # Errors
///
/// As [`ahp`] for each matrix (naming which); [`PriorityError::InvalidInput`] when the number
/// of alternative matrices differs from the number of criteria, or their sizes differ.
pub fn hierarchy(
    criteria_matrix: &[Vec<f64>],
    alternative_matrices: &[Vec<Vec<f64>>],
    method: AhpMethod,
    table: RandomIndex,
) -> Result<Hierarchy> {
    let criteria = ahp(criteria_matrix, method, table).map_err(|e| prefix(e, "criteria_matrix"))?;
    if alternative_matrices.len() != criteria.weights.len() {
        return Err(PriorityError::input(
            "alternative_matrices",
            format!(
                "one matrix per criterion is needed: {} criteria, {} matrices",
                criteria.weights.len(),
                alternative_matrices.len()
            ),
        ));
    }
    let m = alternative_matrices.first().map_or(0, Vec::len);
    let mut local = Vec::with_capacity(alternative_matrices.len());
    for (k, mat) in alternative_matrices.iter().enumerate() {
        if mat.len() != m {
            return Err(PriorityError::input(
                format!("alternative_matrices[{k}]"),
                format!("must be {m} × {m} like the first"),
            ));
        }
        local.push(
            ahp(mat, method, table)
                .map_err(|e| prefix(e, &format!("alternative_matrices[{k}]")))?,
        );
    }
    let global = (0..m)
        .map(|a| {
            criteria
                .weights
                .iter()
                .zip(&local)
                .map(|(cw, l)| cw * l.weights.get(a).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    Ok(Hierarchy {
        criteria,
        local,
        global,
    })
}

fn prefix(e: PriorityError, at: &str) -> PriorityError {
    match e {
        PriorityError::InvalidInput { field, reason } => {
            PriorityError::input(field.replacen("matrix", at, 1), reason)
        }
        other => other,
    }
}

commissioning_model::words_from_str!(
    AhpMethod => "AHP method",
    RandomIndex => "random index",
);
commissioning_model::words_display!(AhpMethod, RandomIndex);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_must_be_square_positive_and_reciprocal() {
        let err = |m: Vec<Vec<f64>>| {
            check_matrix(&m)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err(vec![vec![1.0, 2.0], vec![0.5]]).starts_with("matrix[1]"));
        assert!(err(vec![vec![1.0, -2.0], vec![-0.5, 1.0]]).starts_with("matrix[0][1]"));
        assert!(err(vec![vec![1.0, 2.0], vec![2.0, 1.0]]).starts_with("matrix[1][0]"));
        assert!(err(vec![vec![2.0]]).starts_with("matrix[0][0]"));
        assert!(err(vec![vec![1.0, f64::NAN], vec![1.0, 1.0]]).contains("finite"));
        assert!(err(vec![]).contains("at least one row"));
    }

    #[test]
    fn donegan_dodd_interpolates_between_sizes() {
        let v = RandomIndex::DoneganDodd1991.value(22).unwrap_or_default();
        assert!((v - (1.5371 + (1.5619 - 1.5371) * 0.4)).abs() < 1e-12);
        assert_eq!(RandomIndex::Saaty2005.value(16), None);
    }
}
