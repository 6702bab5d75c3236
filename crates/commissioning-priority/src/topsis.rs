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
use crate::kernel::{by_width, greater, lesser};
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
    let stats = column_stats(values, n);
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
    let mut d_plus = vec![0.0; rows];
    let mut d_minus = vec![0.0; rows];
    let mut closeness = vec![0.0; rows];
    let mut out = Distances {
        d_plus: &mut d_plus,
        d_minus: &mut d_minus,
        closeness: &mut closeness,
    };
    if let Some(i) = distances(values, &cols, &mut out) {
        return Err(PriorityError::Undefined {
            what: format!("TOPSIS closeness of alternative {}", i.saturating_add(1)),
            reason:
                "it is at both the positive and the negative ideal (all alternatives are identical)"
                    .into(),
        });
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

/// Per column: the sum of squares, the least value and the greatest.
type Stats = (f64, f64, f64);

/// The statistics of each of the `n` columns of a row-major matrix, in one pass.
fn column_stats(values: &[f64], n: usize) -> Vec<Stats> {
    by_width!(n, stats_of_width(values), stats_any(values, n))
}

fn stats_any(values: &[f64], n: usize) -> Vec<Stats> {
    let mut stats = vec![(0.0f64, f64::INFINITY, f64::NEG_INFINITY); n];
    for row in values.chunks_exact(n) {
        for (st, &x) in stats.iter_mut().zip(row) {
            st.0 += x * x;
            st.1 = lesser(st.1, x);
            st.2 = greater(st.2, x);
        }
    }
    stats
}

fn stats_of_width<const N: usize>(values: &[f64]) -> Vec<Stats> {
    let mut squares = [0.0f64; N];
    let mut least = [f64::INFINITY; N];
    let mut greatest = [f64::NEG_INFINITY; N];
    for row in values.as_chunks::<N>().0 {
        for (((s, l), h), &x) in squares
            .iter_mut()
            .zip(&mut least)
            .zip(&mut greatest)
            .zip(row)
        {
            *s += x * x;
            *l = lesser(*l, x);
            *h = greater(*h, x);
        }
    }
    squares
        .into_iter()
        .zip(least)
        .zip(greatest)
        .map(|((s, l), h)| (s, l, h))
        .collect()
}

/// Where the distances and closeness of each row go.
struct Distances<'o> {
    d_plus: &'o mut [f64],
    d_minus: &'o mut [f64],
    closeness: &'o mut [f64],
}

/// Fills `out` for every row; the first row (0-based) at both ideals, if any.
fn distances(values: &[f64], cols: &[Column], out: &mut Distances<'_>) -> Option<usize> {
    by_width!(
        cols.len(),
        distances_of_width(values, cols, out),
        distances_any(values, cols, out)
    )
}

/// One row's distances to the ideal and anti-ideal points.
#[inline(always)]
fn row_distances<'c>(row: &[f64], cols: impl IntoIterator<Item = &'c Column>) -> (f64, f64) {
    let (mut dp, mut dm) = (0.0f64, 0.0f64);
    for (x, c) in row.iter().zip(cols) {
        let v = c.a * x + c.b;
        dp += (v - c.best) * (v - c.best);
        dm += (v - c.worst) * (v - c.worst);
    }
    (dp.sqrt(), dm.sqrt())
}

fn distances_any(values: &[f64], cols: &[Column], out: &mut Distances<'_>) -> Option<usize> {
    let mut first_undefined = None;
    for (i, (row, ((p, m), c))) in values
        .chunks_exact(cols.len())
        .zip(
            out.d_plus
                .iter_mut()
                .zip(out.d_minus.iter_mut())
                .zip(out.closeness.iter_mut()),
        )
        .enumerate()
    {
        let (dp, dm) = row_distances(row, cols);
        if dp + dm == 0.0 && first_undefined.is_none() {
            first_undefined = Some(i);
        }
        (*p, *m, *c) = (dp, dm, dm / (dp + dm));
    }
    first_undefined
}

fn distances_of_width<const N: usize>(
    values: &[f64],
    cols: &[Column],
    out: &mut Distances<'_>,
) -> Option<usize> {
    let Some(cols) = cols.first_chunk::<N>() else {
        return distances_any(values, cols, out);
    };
    let cols = *cols;
    let mut undefined = false;
    let mut finish = |(dp, dm): (f64, f64), p: &mut f64, m: &mut f64, c: &mut f64| {
        undefined |= dp + dm == 0.0;
        (*p, *m, *c) = (dp, dm, dm / (dp + dm));
    };
    // Two rows a step: each row's sums are taken in column order exactly as `row_distances`
    // takes them, and the two rows' chains, square roots and divisions share vector registers.
    let (pairs, last) = values.as_chunks::<N>().0.as_chunks::<2>();
    let (plus, plus_last) = out.d_plus.as_chunks_mut::<2>();
    let (minus, minus_last) = out.d_minus.as_chunks_mut::<2>();
    let (close, close_last) = out.closeness.as_chunks_mut::<2>();
    for ((([a, b], [pa, pb]), [ma, mb]), [ca, cb]) in pairs.iter().zip(plus).zip(minus).zip(close) {
        let (mut dpa, mut dma, mut dpb, mut dmb) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for ((x, y), c) in a.iter().zip(b).zip(&cols) {
            let (va, vb) = (c.a * x + c.b, c.a * y + c.b);
            dpa += (va - c.best) * (va - c.best);
            dpb += (vb - c.best) * (vb - c.best);
            dma += (va - c.worst) * (va - c.worst);
            dmb += (vb - c.worst) * (vb - c.worst);
        }
        finish((dpa.sqrt(), dma.sqrt()), pa, ma, ca);
        finish((dpb.sqrt(), dmb.sqrt()), pb, mb, cb);
    }
    for (((row, p), m), c) in last.iter().zip(plus_last).zip(minus_last).zip(close_last) {
        finish(row_distances(row, &cols), p, m, c);
    }
    if undefined {
        distances_any(values, &cols, out)
    } else {
        None
    }
}

commissioning_model::words_from_str!(
    CriterionType => "criterion type",
    Normalisation => "normalisation",
);
commissioning_model::words_display!(CriterionType, Normalisation);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fixed-width kernel gives the same bits as the general one.
    #[test]
    fn fixed_width_kernels_match_the_general_ones_bit_for_bit() {
        for n in 1..=18usize {
            let rows = 37;
            let values = crate::kernel::test_values(0x2545_f491_4f6c_dd1d ^ n as u64, rows * n);
            let stats = column_stats(&values, n);
            let any = stats_any(&values, n);
            assert_eq!(format!("{stats:?}"), format!("{any:?}"), "width {n}");
            let cols: Vec<Column> = (0..n)
                .map(|j| Column {
                    a: 0.01 * (j as f64 + 1.0),
                    b: 0.5 - j as f64 * 0.1,
                    best: 1.0,
                    worst: -1.0,
                })
                .collect();
            let run = |kernel: fn(&[f64], &[Column], &mut Distances<'_>) -> Option<usize>| {
                let mut v = [vec![0.0; rows], vec![0.0; rows], vec![0.0; rows]];
                let [p, m, c] = &mut v;
                let out = &mut Distances {
                    d_plus: p,
                    d_minus: m,
                    closeness: c,
                };
                kernel(&values, &cols, out);
                v
            };
            let (a, b) = (run(distances), run(distances_any));
            let bits =
                |v: &[Vec<f64>; 3]| v.iter().flatten().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "width {n}");
        }
    }
}
