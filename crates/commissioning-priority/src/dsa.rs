//! Deterministic sensitivity analysis of a cost-effectiveness decision, as dampack 1.0.2's
//! `owsa` and `twsa` on a model given as data: for each parameter value (or pair of values) the
//! model's costs and effects per strategy, the outcome (net monetary or net health benefit), the
//! optimal strategy, the ranges where it stays optimal, and a tornado of the best outcome.
//!
//! Outcomes: `nmb = λ × effect − cost` (the default) or `nhb = effect − cost / λ` (undefined at
//! `λ = 0`). The optimal strategy has the highest outcome, ties to the earliest in input order.
//! Tornado bars: the best outcome at a parameter's lowest and highest values, `abs_diff` their
//! distance, `rel_diff` it over `|outcome_low|` (`None` when that is 0); sorted by `abs_diff`,
//! largest first, equal bars in input order; none dropped.
//!
//! # Examples
//!
//! ```
//! use commissioning_priority::dsa::{owsa, OneWayInput};
//!
//! let doc = r#"{"strategies": ["usual", "new"], "wtp": "20000.00",
//!   "parameters": [{"name": "response_rate", "values": [0.25, 0.75],
//!     "cost": [["1000.00", "3000.00"], ["1000.00", "3000.00"]],
//!     "effect": [[1.0, 1.0], [1.0, 1.125]]}]}"#;
//! let input: OneWayInput = serde_json::from_str(doc).unwrap();
//! let r = owsa(&input)?;
//! assert_eq!(r.parameters[0].optimal, ["usual", "new"]);
//! assert_eq!(r.tornado[0].abs_diff, 500.0);
//! # Ok::<(), commissioning_priority::PriorityError>(())
//! ```

use commissioning_model::Money;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use crate::cea::to_f64;
use crate::error::{PriorityError, Result, finite, unique_ids};

/// The outcome compared between strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Net monetary benefit, `λ × effect − cost`.
    #[default]
    Nmb,
    /// Net health benefit, `effect − cost / λ`.
    Nhb,
}

/// One parameter of a one-way analysis: its values, and the model's costs and effects at each.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Parameter {
    /// The parameter's name (unique).
    pub name: String,
    /// Its values, strictly increasing, at least two.
    pub values: Vec<f64>,
    /// Costs per strategy at each value (one row per value).
    pub cost: Vec<Vec<Money>>,
    /// Effects per strategy at each value.
    pub effect: Vec<Vec<f64>>,
}

/// A one-way deterministic sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OneWayInput {
    /// The strategies.
    pub strategies: Vec<String>,
    /// The willingness to pay `λ`.
    pub wtp: Money,
    /// The outcome compared (default `nmb`).
    #[serde(default)]
    pub outcome: Outcome,
    /// The parameters varied one at a time.
    pub parameters: Vec<Parameter>,
}

/// A run of values with the same optimal strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptimalRange {
    /// The strategy.
    pub strategy: String,
    /// The first value of the run.
    pub from: f64,
    /// The last value of the run (inclusive).
    pub to: f64,
}

/// One parameter's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ParameterResult {
    /// The parameter.
    pub name: String,
    /// The outcome of each strategy at each value.
    pub outcome: Vec<Vec<f64>>,
    /// The optimal strategy at each value.
    pub optimal: Vec<String>,
    /// Maximal runs of values with the same optimal strategy.
    pub optimal_ranges: Vec<OptimalRange>,
}

/// One tornado bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TornadoBar {
    /// The parameter.
    pub parameter: String,
    /// Its lowest value.
    pub low_value: f64,
    /// Its highest value.
    pub high_value: f64,
    /// The optimal strategy at the lowest value.
    pub optimal_low: String,
    /// The optimal strategy at the highest value.
    pub optimal_high: String,
    /// The best outcome at the lowest value.
    pub outcome_low: f64,
    /// The best outcome at the highest value.
    pub outcome_high: f64,
    /// `|outcome_high − outcome_low|`.
    pub abs_diff: f64,
    /// `abs_diff / |outcome_low|`; `None` (JSON `null`) when `outcome_low` is 0.
    pub rel_diff: Option<f64>,
}

/// A one-way analysis: every parameter, and the tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OneWay {
    /// The parameters, in input order.
    pub parameters: Vec<ParameterResult>,
    /// The tornado bars, widest first.
    pub tornado: Vec<TornadoBar>,
}

fn lambda_of(wtp: Money, outcome: Outcome) -> Result<f64> {
    if wtp.is_negative() {
        return Err(PriorityError::input(
            "wtp",
            format!("must not be negative, got {wtp}"),
        ));
    }
    let l = to_f64(wtp);
    if outcome == Outcome::Nhb && wtp.is_zero() {
        return Err(PriorityError::Undefined {
            what: "the net health benefit".into(),
            reason: "it divides cost by the willingness to pay, which is 0".into(),
        });
    }
    Ok(l)
}

fn outcomes(
    field: &str,
    cost: &[Money],
    effect: &[f64],
    k: usize,
    lambda: f64,
    outcome: Outcome,
) -> Result<Vec<f64>> {
    if cost.len() != k {
        return Err(PriorityError::input(
            format!("{field}.cost"),
            format!("expected {k} costs (one per strategy), got {}", cost.len()),
        ));
    }
    if effect.len() != k {
        return Err(PriorityError::input(
            format!("{field}.effect"),
            format!(
                "expected {k} effects (one per strategy), got {}",
                effect.len()
            ),
        ));
    }
    cost.iter()
        .zip(effect)
        .enumerate()
        .map(|(j, (c, e))| {
            finite(|| format!("{field}.effect[{j}]"), *e)?;
            Ok(match outcome {
                Outcome::Nmb => lambda * e - to_f64(*c),
                Outcome::Nhb => e - to_f64(*c) / lambda,
            })
        })
        .collect()
}

/// The first strategy with the highest outcome.
fn best(values: &[f64]) -> usize {
    let mut at = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(at).is_some_and(|b| v > b) {
            at = i;
        }
    }
    at
}

fn check_strategies(strategies: &[String]) -> Result<()> {
    if strategies.is_empty() {
        return Err(PriorityError::input(
            "strategies",
            "at least one strategy is required",
        ));
    }
    unique_ids("strategies", &strategies.iter().map(String::as_str))
}

/// A one-way deterministic sensitivity analysis (dampack `owsa` and `owsa_tornado`).
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for an empty or duplicate strategy id, a negative `λ`, no
/// parameters, an empty or duplicate parameter name, fewer than two values, values not strictly
/// increasing, or rows that do not match; [`PriorityError::Undefined`] for the net health
/// benefit at `λ = 0`.
pub fn owsa(input: &OneWayInput) -> Result<OneWay> {
    check_strategies(&input.strategies)?;
    let lambda = lambda_of(input.wtp, input.outcome)?;
    if input.parameters.is_empty() {
        return Err(PriorityError::input(
            "parameters",
            "at least one parameter is required",
        ));
    }
    unique_ids(
        "parameters",
        &input.parameters.iter().map(|p| p.name.as_str()),
    )?;
    let k = input.strategies.len();
    let name = |i: usize| input.strategies.get(i).cloned().unwrap_or_default();
    let mut parameters = Vec::with_capacity(input.parameters.len());
    let mut tornado = Vec::with_capacity(input.parameters.len());
    for (p, param) in input.parameters.iter().enumerate() {
        let field = format!("parameters[{p}]");
        if param.values.len() < 2 {
            return Err(PriorityError::input(
                format!("{field}.values"),
                "at least two values are required",
            ));
        }
        for (i, v) in param.values.iter().enumerate() {
            finite(|| format!("{field}.values[{i}]"), *v)?;
            if i > 0
                && param
                    .values
                    .get(i.saturating_sub(1))
                    .is_some_and(|prev| prev >= v)
            {
                return Err(PriorityError::input(
                    format!("{field}.values[{i}]"),
                    "the values must be strictly increasing",
                ));
            }
        }
        let n = param.values.len();
        if param.cost.len() != n || param.effect.len() != n {
            return Err(PriorityError::input(
                format!("{field}.cost"),
                format!(
                    "expected {n} rows of costs and of effects (one per value), got {} and {}",
                    param.cost.len(),
                    param.effect.len()
                ),
            ));
        }
        let mut outcome = Vec::with_capacity(n);
        for (i, (c, e)) in param.cost.iter().zip(&param.effect).enumerate() {
            outcome.push(outcomes(
                &format!("{field}[{i}]"),
                c,
                e,
                k,
                lambda,
                input.outcome,
            )?);
        }
        let optimal_idx: Vec<usize> = outcome.iter().map(|o| best(o)).collect();
        let mut ranges: Vec<OptimalRange> = Vec::new();
        for (v, &o) in param.values.iter().zip(&optimal_idx) {
            match ranges.last_mut() {
                Some(r) if r.strategy == name(o) => r.to = *v,
                _ => ranges.push(OptimalRange {
                    strategy: name(o),
                    from: *v,
                    to: *v,
                }),
            }
        }
        let (lo, hi) = (0, n.saturating_sub(1));
        let best_at = |i: usize| -> (usize, f64) {
            let o = optimal_idx.get(i).copied().unwrap_or(0);
            (
                o,
                outcome
                    .get(i)
                    .and_then(|r| r.get(o))
                    .copied()
                    .unwrap_or(f64::NAN),
            )
        };
        let ((olo, vlo), (ohi, vhi)) = (best_at(lo), best_at(hi));
        let abs_diff = (vhi - vlo).abs();
        tornado.push(TornadoBar {
            parameter: param.name.clone(),
            low_value: param.values.first().copied().unwrap_or(f64::NAN),
            high_value: param.values.last().copied().unwrap_or(f64::NAN),
            optimal_low: name(olo),
            optimal_high: name(ohi),
            outcome_low: vlo,
            outcome_high: vhi,
            abs_diff,
            rel_diff: (vlo != 0.0).then(|| abs_diff / vlo.abs()),
        });
        parameters.push(ParameterResult {
            name: param.name.clone(),
            optimal: optimal_idx.iter().map(|&o| name(o)).collect(),
            outcome,
            optimal_ranges: ranges,
        });
    }
    // A stable sort keeps equal bars in input order.
    tornado.sort_by(|a, b| b.abs_diff.total_cmp(&a.abs_diff));
    Ok(OneWay {
        parameters,
        tornado,
    })
}

/// One point of a two-way grid: the pair of values and the model's results there.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GridPoint {
    /// The two parameters' values.
    pub values: Vec<f64>,
    /// Cost per strategy.
    pub cost: Vec<Money>,
    /// Effect per strategy.
    pub effect: Vec<f64>,
}

/// A two-way deterministic sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TwoWayInput {
    /// The strategies.
    pub strategies: Vec<String>,
    /// The willingness to pay `λ`.
    pub wtp: Money,
    /// The outcome compared (default `nmb`).
    #[serde(default)]
    pub outcome: Outcome,
    /// The two parameters' names.
    pub parameters: Vec<String>,
    /// The grid.
    pub grid: Vec<GridPoint>,
}

/// One point's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GridResult {
    /// The pair of values.
    pub values: Vec<f64>,
    /// The outcome of each strategy.
    pub outcome: Vec<f64>,
    /// The optimal strategy.
    pub optimal: String,
}

/// A two-way analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TwoWay {
    /// The grid, in input order.
    pub grid: Vec<GridResult>,
}

/// The optimal strategy at every point of a two-way grid (dampack `twsa`).
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for parameters that are not two distinct non-empty names, an
/// empty grid, a point without two values, a repeated pair, lists whose length is not the
/// number of strategies, or the strategy and `λ` errors of [`owsa`];
/// [`PriorityError::Undefined`] for the net health benefit at `λ = 0`.
pub fn twsa(input: &TwoWayInput) -> Result<TwoWay> {
    check_strategies(&input.strategies)?;
    let lambda = lambda_of(input.wtp, input.outcome)?;
    if input.parameters.len() != 2 {
        return Err(PriorityError::input(
            "parameters",
            format!(
                "expected the names of two parameters, got {}",
                input.parameters.len()
            ),
        ));
    }
    unique_ids("parameters", &input.parameters.iter().map(String::as_str))?;
    if input.grid.is_empty() {
        return Err(PriorityError::input(
            "grid",
            "at least one point is required",
        ));
    }
    let k = input.strategies.len();
    let mut seen = HashSet::with_capacity(input.grid.len());
    let mut grid = Vec::with_capacity(input.grid.len());
    for (i, p) in input.grid.iter().enumerate() {
        let field = format!("grid[{i}]");
        let [a, b] = p.values.as_slice() else {
            return Err(PriorityError::input(
                format!("{field}.values"),
                format!("expected two values, got {}", p.values.len()),
            ));
        };
        finite(|| format!("{field}.values[0]"), *a)?;
        finite(|| format!("{field}.values[1]"), *b)?;
        if !seen.insert((a.to_bits(), b.to_bits())) {
            return Err(PriorityError::input(
                format!("{field}.values"),
                format!("the pair ({a}, {b}) is repeated"),
            ));
        }
        let outcome = outcomes(&field, &p.cost, &p.effect, k, lambda, input.outcome)?;
        let o = best(&outcome);
        grid.push(GridResult {
            values: p.values.clone(),
            optimal: input.strategies.get(o).cloned().unwrap_or_default(),
            outcome,
        });
    }
    Ok(TwoWay { grid })
}

commissioning_model::words_from_str!(
    Outcome => "outcome",
);
commissioning_model::words_display!(Outcome);
