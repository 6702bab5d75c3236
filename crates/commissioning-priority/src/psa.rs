//! Decisions under uncertainty from a probabilistic sensitivity analysis (PSA), as dampack
//! 1.0.2 computes them: the summary and the frontier on the means (`calculate_icers_psa`),
//! cost-effectiveness acceptability curves and frontier (`ceac`), the expected value of perfect
//! information (`calc_evpi`) and expected loss curves (`calc_exp_loss`).
//!
//! A [`Psa`] holds `N` simulations of `K` strategies' costs and effects. At a willingness to pay
//! `λ`, each simulation's net monetary benefit is `NMB[s][k] = λ × effect[s][k] − cost[s][k]`.
//!
//! # Conventions
//!
//! - **Ties within a simulation** are split equally: when `m` strategies share the largest NMB
//!   of a simulation, each is credited `1/m`, so the acceptability curves sum to 1 whatever the
//!   order of the strategies. dampack breaks them at random (`max.col`, within 1e-5).
//! - **Ties between expected values** go to the earliest strategy in input order.
//! - **Loss is in money** (NMB units); EVPI = `E[max NMB] − max E[NMB]`, computed as the smallest
//!   mean per-simulation loss so that it keeps its precision; a population EVPI discounts years
//!   2 onwards.
//! - Means of money are exact decimals; means of effects and of the best NMB use compensated
//!   summation. Expected NMB is `λ × mean effect − mean cost` (linear in `λ`), and a strategy's
//!   expected loss is `E[max NMB] − E[NMB]`, floored at 0; one pass over the simulations per
//!   `λ`, with no allocation per simulation.
//!
//! # Examples
//!
//! ```
//! use commissioning_model::Money;
//! use commissioning_priority::psa::{ceac, evpi, Psa};
//!
//! let m = |s: &str| s.parse::<Money>().unwrap();
//! let psa = Psa::new(
//!     vec!["A".into(), "B".into()],
//!     vec![vec![m("1000.00"), m("3500.00")], vec![m("1000.00"), m("2000.00")],
//!          vec![m("1200.00"), m("4200.00")], vec![m("800.00"), m("1800.00")]],
//!     vec![vec![1.0, 1.125], vec![1.0, 1.125], vec![0.875, 1.0], vec![1.0, 0.9375]],
//! )?;
//! let c = ceac(&psa, &[m("8000.00")])?;
//! assert_eq!(c.points[0].proportion, [0.875, 0.125]); // one simulation tied: half each
//! let e = evpi(&psa, &[m("16000.00")], None)?;
//! assert_eq!(e.points[0].evpi, 250.0);
//! # Ok::<(), commissioning_priority::PriorityError>(())
//! ```

use commissioning_model::{Decimal, Money};
use serde::{Deserialize, Serialize};

use crate::cea::{Status, Strategy, calculate_icers, to_f64};
use crate::error::{PriorityError, Result, finite, unique_ids};

/// The simulations of a PSA: costs and effects of every strategy in every simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Psa {
    strategies: Vec<String>,
    /// Costs, row-major `N × K`, exact.
    cost: Vec<Money>,
    /// Costs as floats, row-major.
    cost_f: Vec<f64>,
    /// Effects, row-major.
    effect: Vec<f64>,
    n: usize,
    /// Each strategy's mean cost (the exact decimal mean, as a float).
    mean_cost: Vec<f64>,
    /// Each strategy's mean effect (compensated sum).
    mean_effect: Vec<f64>,
}

impl Psa {
    /// A PSA from its strategies and its `N × K` cost and effect matrices (row = simulation).
    ///
    /// # Errors
    ///
    /// [`PriorityError::InvalidInput`] for no strategies, an empty or duplicate id, no
    /// simulations, a row whose length is not the number of strategies, cost and effect
    /// matrices with different numbers of rows, or a non-finite effect;
    /// [`PriorityError::Model`] if a strategy's total cost overflows.
    pub fn new(
        strategies: Vec<String>,
        cost: Vec<Vec<Money>>,
        effect: Vec<Vec<f64>>,
    ) -> Result<Self> {
        if strategies.is_empty() {
            return Err(PriorityError::input(
                "strategies",
                "at least one strategy is required",
            ));
        }
        unique_ids("strategies", &strategies.iter().map(String::as_str))?;
        if cost.is_empty() {
            return Err(PriorityError::input(
                "cost",
                "at least one simulation (row) is required",
            ));
        }
        if cost.len() != effect.len() {
            return Err(PriorityError::input(
                "effect",
                format!(
                    "{} rows, but cost has {}: one row per simulation in both",
                    effect.len(),
                    cost.len()
                ),
            ));
        }
        let k = strategies.len();
        let n = cost.len();
        let mut c = Vec::with_capacity(n.saturating_mul(k));
        let mut e = Vec::with_capacity(n.saturating_mul(k));
        for (s, (cr, er)) in cost.into_iter().zip(effect).enumerate() {
            if cr.len() != k {
                return Err(PriorityError::input(
                    format!("cost[{s}]"),
                    format!("expected {k} values (one per strategy), got {}", cr.len()),
                ));
            }
            if er.len() != k {
                return Err(PriorityError::input(
                    format!("effect[{s}]"),
                    format!("expected {k} values (one per strategy), got {}", er.len()),
                ));
            }
            for (j, v) in er.iter().enumerate() {
                finite(|| format!("effect[{s}][{j}]"), *v)?;
            }
            c.extend(cr);
            e.extend(er);
        }
        let cost_f = c.iter().map(|m| to_f64(*m)).collect();
        let mut psa = Self {
            strategies,
            cost: c,
            cost_f,
            effect: e,
            n,
            mean_cost: Vec::new(),
            mean_effect: Vec::new(),
        };
        let n_dec = Decimal::from(u64::try_from(n).unwrap_or(u64::MAX));
        for j in 0..k {
            let total = Money::checked_sum(psa.column(j).filter_map(|i| psa.cost.get(i).copied()))?;
            psa.mean_cost
                .push(to_f64(total.checked_div_decimal(n_dec)?));
            let mut es = Sum::default();
            psa.column(j)
                .filter_map(|i| psa.effect.get(i))
                .for_each(|x| es.add(*x));
            psa.mean_effect.push(es.value() / count(n));
        }
        Ok(psa)
    }

    /// The strategies' ids, in input order.
    pub fn strategies(&self) -> &[String] {
        &self.strategies
    }

    /// The number of simulations.
    pub fn simulations(&self) -> usize {
        self.n
    }

    fn k(&self) -> usize {
        self.strategies.len()
    }

    /// The net monetary benefits of simulation `s` at `lambda`, into `out`.
    fn nmb_row(&self, s: usize, lambda: f64, out: &mut Vec<f64>) {
        out.clear();
        let k = self.k();
        let start = s.saturating_mul(k);
        let costs = self
            .cost_f
            .get(start..start.saturating_add(k))
            .unwrap_or(&[]);
        let effects = self
            .effect
            .get(start..start.saturating_add(k))
            .unwrap_or(&[]);
        out.extend(effects.iter().zip(costs).map(|(e, c)| lambda * e - c));
    }

    fn column(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.n).map(move |s| s.saturating_mul(self.k()).saturating_add(k))
    }
}

/// Neumaier's compensated sum.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    sum: f64,
    carry: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.carry += (self.sum - t) + x;
        } else {
            self.carry += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn value(self) -> f64 {
        self.sum + self.carry
    }
}

#[allow(clippy::cast_precision_loss)]
fn count(n: usize) -> f64 {
    n as f64
}

/// The R type-7 sample quantile of sorted values.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let h = count(sorted.len().saturating_sub(1)) * p;
    let j = h.floor();
    let i = j as usize;
    let a = sorted.get(i).copied().unwrap_or(f64::NAN);
    match sorted.get(i.saturating_add(1)) {
        Some(b) if h > j => a + (h - j) * (b - a),
        _ => a,
    }
}

/// One strategy's summary over the simulations.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StrategySummary {
    /// The strategy.
    pub id: String,
    /// Mean cost.
    pub mean_cost: f64,
    /// Mean effect.
    pub mean_effect: f64,
    /// Sample standard deviation of cost (divisor N − 1); `None` (JSON `null`) with one
    /// simulation.
    pub sd_cost: Option<f64>,
    /// Sample standard deviation of effect; `None` with one simulation.
    pub sd_effect: Option<f64>,
    /// The 2.5% quantile of cost (R type 7).
    pub cost_lower_95: f64,
    /// The 97.5% quantile of cost.
    pub cost_upper_95: f64,
    /// The 2.5% quantile of effect.
    pub effect_lower_95: f64,
    /// The 97.5% quantile of effect.
    pub effect_upper_95: f64,
}

/// A row of the frontier on the means.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PsaRow {
    /// The strategy.
    pub id: String,
    /// Its mean cost.
    pub cost: f64,
    /// Its mean effect.
    pub effect: f64,
    /// Cost over the previous frontier strategy.
    pub inc_cost: Option<f64>,
    /// Effect over the previous frontier strategy.
    pub inc_effect: Option<f64>,
    /// The ICER.
    pub icer: Option<f64>,
    /// Its status (ND, ED, D).
    pub status: Status,
}

/// The PSA summary and the frontier on the means (dampack `calculate_icers_psa`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PsaSummary {
    /// The number of simulations.
    pub n_sim: usize,
    /// One entry per strategy, in input order.
    pub summary: Vec<StrategySummary>,
    /// The frontier on the mean costs and effects, as `calculate_icers`.
    pub rows: Vec<PsaRow>,
}

fn sd(values: &[f64], mean: f64) -> Option<f64> {
    (values.len() > 1).then(|| {
        let mut ss = Sum::default();
        for v in values {
            ss.add((v - mean) * (v - mean));
        }
        (ss.value() / count(values.len().saturating_sub(1))).sqrt()
    })
}

/// Means, standard deviations and 95% intervals of every strategy, and the frontier on the means.
///
/// # Errors
///
/// [`PriorityError::Model`] if a sum of costs overflows.
pub fn summary(psa: &Psa) -> Result<PsaSummary> {
    let n = psa.n;
    let n_dec = Decimal::from(u64::try_from(n).unwrap_or(u64::MAX));
    let mut summary = Vec::with_capacity(psa.k());
    let mut strategies = Vec::with_capacity(psa.k());
    for (k, id) in psa.strategies.iter().enumerate() {
        let total = Money::checked_sum(psa.column(k).filter_map(|i| psa.cost.get(i).copied()))?;
        let mean = total.checked_div_decimal(n_dec)?;
        let mut costs: Vec<f64> = psa
            .column(k)
            .filter_map(|i| psa.cost_f.get(i).copied())
            .collect();
        let mut effects: Vec<f64> = psa
            .column(k)
            .filter_map(|i| psa.effect.get(i).copied())
            .collect();
        let mut es = Sum::default();
        effects.iter().for_each(|e| es.add(*e));
        let mean_effect = es.value() / count(n);
        let mean_cost = to_f64(mean);
        let (sd_cost, sd_effect) = (sd(&costs, mean_cost), sd(&effects, mean_effect));
        costs.sort_by(f64::total_cmp);
        effects.sort_by(f64::total_cmp);
        summary.push(StrategySummary {
            id: id.clone(),
            mean_cost,
            mean_effect,
            sd_cost,
            sd_effect,
            cost_lower_95: quantile7(&costs, 0.025),
            cost_upper_95: quantile7(&costs, 0.975),
            effect_lower_95: quantile7(&effects, 0.025),
            effect_upper_95: quantile7(&effects, 0.975),
        });
        strategies.push(Strategy::new(id.clone(), mean, mean_effect));
    }
    let rows = calculate_icers(&strategies)?
        .into_iter()
        .map(|r| PsaRow {
            id: r.id.to_owned(),
            cost: to_f64(r.cost),
            effect: r.effect,
            inc_cost: r.inc_cost.map(to_f64),
            inc_effect: r.inc_effect,
            icer: r.icer,
            status: r.status,
        })
        .collect();
    Ok(PsaSummary {
        n_sim: n,
        summary,
        rows,
    })
}

fn check_wtp(wtp: &[Money]) -> Result<()> {
    if wtp.is_empty() {
        return Err(PriorityError::input(
            "wtp",
            "at least one willingness-to-pay value is required",
        ));
    }
    for (i, w) in wtp.iter().enumerate() {
        if w.is_negative() {
            return Err(PriorityError::input(
                format!("wtp[{i}]"),
                format!("must not be negative, got {w}"),
            ));
        }
        if i > 0 && wtp.get(i.saturating_sub(1)).is_some_and(|p| p >= w) {
            return Err(PriorityError::input(
                format!("wtp[{i}]"),
                "the values must be strictly increasing",
            ));
        }
    }
    Ok(())
}

/// Expected NMB per strategy and, per strategy, the credited wins, at one `λ`; also the mean
/// per-simulation loss of each strategy and the mean of the best NMB.
struct AtLambda {
    expected: Vec<f64>,
    wins: Vec<f64>,
    loss: Vec<f64>,
    best: f64,
}

/// [`AtLambda`] at each of several `λ`, in one pass over the simulations: each simulation's
/// costs and effects are read once and serve every `λ` while they are in cache. Each `λ`'s
/// sums run over the simulations in order, as one `λ` at a time would.
fn at_lambdas(psa: &Psa, lambdas: &[f64]) -> Vec<AtLambda> {
    let k = psa.k();
    let mut wins = vec![vec![0.0; k]; lambdas.len()];
    let mut best = vec![Sum::default(); lambdas.len()];
    let mut row = Vec::with_capacity(k);
    for s in 0..psa.n {
        for ((&lambda, wins), best) in lambdas.iter().zip(&mut wins).zip(&mut best) {
            psa.nmb_row(s, lambda, &mut row);
            credit_winners(&row, wins, best);
        }
    }
    let n = count(psa.n);
    lambdas
        .iter()
        .zip(wins)
        .zip(best)
        .map(|((&lambda, wins), best)| {
            // Expected NMB is linear in λ: λ × mean effect − mean cost, from means computed once.
            let expected: Vec<f64> = psa
                .mean_effect
                .iter()
                .zip(&psa.mean_cost)
                .map(|(e, c)| lambda * e - c)
                .collect();
            let best = best.value() / n;
            // The mean loss of k is E[max NMB] − E[NMB of k] (the same simulations, so the
            // identity is exact in exact arithmetic; 0 when k wins every simulation up to
            // rounding, floored at 0).
            let loss = expected.iter().map(|e| (best - e).max(0.0)).collect();
            AtLambda {
                expected,
                wins,
                loss,
                best,
            }
        })
        .collect()
}

/// Credits one simulation's winners (ties share the win equally) and adds its best NMB.
fn credit_winners(row: &[f64], wins: &mut [f64], best: &mut Sum) {
    // The largest NMB, how many share it and the first that has it, in passes without
    // data-dependent branches: which strategy wins a simulation is close to random, so a
    // branch on it would be mispredicted about twice a row. (The NMBs are finite: the inputs
    // are checked.)
    let max = row_max(row);
    // How many attain the maximum, and the sum of their positions: with one, that sum is its
    // position.
    let (tied, position_sum) =
        row.iter()
            .enumerate()
            .fold((0_usize, 0_usize), |(n, sum), (j, v)| {
                #[allow(clippy::float_cmp)] // exact ties are the rule
                let hit = usize::from(*v == max);
                (n.wrapping_add(hit), sum.wrapping_add(hit.wrapping_mul(j)))
            });
    if tied == 1 {
        if let Some(w) = wins.get_mut(position_sum) {
            *w += 1.0;
        }
    } else {
        let credit = 1.0 / count(tied);
        for (v, w) in row.iter().zip(wins.iter_mut()) {
            #[allow(clippy::float_cmp)]
            if *v == max {
                *w += credit;
            }
        }
    }
    best.add(max);
}

/// The largest of finite values (minus infinity for none), with four running maxima so that
/// the comparisons do not wait on one another.
fn row_max(row: &[f64]) -> f64 {
    let larger = |m: f64, v: f64| if v > m { v } else { m };
    let mut lanes = [f64::NEG_INFINITY; 4];
    let mut quads = row.chunks_exact(4);
    for q in &mut quads {
        for (m, v) in lanes.iter_mut().zip(q) {
            *m = larger(*m, *v);
        }
    }
    let [a, b, c, d] = lanes;
    quads
        .remainder()
        .iter()
        .fold(larger(larger(a, b), larger(c, d)), |m, v| larger(m, *v))
}

/// The index of the first largest (or, with `lowest`, smallest) value.
fn first_extreme(values: &[f64], lowest: bool) -> usize {
    let mut at = 0;
    for (i, v) in values.iter().enumerate() {
        let current = values.get(at).copied().unwrap_or(f64::NAN);
        if (lowest && *v < current) || (!lowest && *v > current) {
            at = i;
        }
    }
    at
}

/// The acceptability curves at one willingness to pay.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CeacPoint {
    /// The willingness to pay, as given.
    pub wtp: Money,
    /// Simulations won by each strategy (tied simulations shared equally).
    pub wins: Vec<f64>,
    /// `wins / N`: the acceptability of each strategy.
    pub proportion: Vec<f64>,
    /// Each strategy's expected NMB.
    pub expected_nmb: Vec<f64>,
    /// Every strategy whose expected NMB is the largest, in input order.
    pub optimal_ids: Vec<String>,
    /// The acceptability frontier: the strategy with the largest expected NMB (earliest on ties).
    pub frontier: String,
    /// The frontier strategy's acceptability.
    pub frontier_proportion: f64,
}

/// A run of willingness-to-pay values with one frontier strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontierRegion {
    /// The strategy.
    pub strategy: String,
    /// The first value of the run.
    pub wtp_first: Money,
    /// The last value of the run (inclusive).
    pub wtp_last: Money,
}

/// Acceptability curves and frontier.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Ceac {
    /// The number of simulations.
    pub n_sim: usize,
    /// One point per willingness to pay, in the order given.
    pub points: Vec<CeacPoint>,
    /// Consecutive values with the same frontier strategy.
    pub frontier_regions: Vec<FrontierRegion>,
}

/// Cost-effectiveness acceptability curves and the acceptability frontier (dampack `ceac`;
/// Barton et al. 2008), with ties within a simulation shared equally.
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for an empty list of willingness-to-pay values, a negative
/// value, or values not strictly increasing.
pub fn ceac(psa: &Psa, wtp: &[Money]) -> Result<Ceac> {
    check_wtp(wtp)?;
    let n = count(psa.n);
    let mut points = Vec::with_capacity(wtp.len());
    let mut regions: Vec<FrontierRegion> = Vec::new();
    let lambdas: Vec<f64> = wtp.iter().map(|w| to_f64(*w)).collect();
    for (w, at) in wtp.iter().zip(at_lambdas(psa, &lambdas)) {
        let best = at
            .expected
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        #[allow(clippy::float_cmp)]
        let optimal_ids = psa
            .strategies
            .iter()
            .zip(&at.expected)
            .filter(|(_, e)| **e == best)
            .map(|(id, _)| id.clone())
            .collect();
        let f = first_extreme(&at.expected, false);
        let frontier = psa.strategies.get(f).cloned().unwrap_or_default();
        let proportion: Vec<f64> = at.wins.iter().map(|x| x / n).collect();
        match regions.last_mut() {
            Some(r) if r.strategy == frontier => r.wtp_last = *w,
            _ => regions.push(FrontierRegion {
                strategy: frontier.clone(),
                wtp_first: *w,
                wtp_last: *w,
            }),
        }
        points.push(CeacPoint {
            wtp: *w,
            frontier_proportion: proportion.get(f).copied().unwrap_or(0.0),
            wins: at.wins,
            proportion,
            expected_nmb: at.expected,
            optimal_ids,
            frontier,
        });
    }
    Ok(Ceac {
        n_sim: psa.n,
        points,
        frontier_regions: regions,
    })
}

/// A population over the decision's time horizon, for a population EVPI.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// People affected in each year, year 1 first.
    pub by_year: Vec<f64>,
    /// The annual discount rate (years 2 onwards).
    pub discount_rate: Decimal,
}

impl Population {
    /// `Σ Nₜ / (1 + r)^(t − 1)`.
    pub fn effective(&self) -> f64 {
        let r = 1.0 + to_f64(Money::new(self.discount_rate));
        let mut factor = 1.0;
        let mut total = 0.0;
        for n in &self.by_year {
            total += n / factor;
            factor *= r;
        }
        total
    }
}

/// The EVPI at one willingness to pay.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EvpiPoint {
    /// The willingness to pay, as given.
    pub wtp: Money,
    /// The mean over simulations of the best NMB.
    pub ev_perfect_information: f64,
    /// The largest expected NMB.
    pub ev_current_information: f64,
    /// Their difference, per person, in money.
    pub evpi: f64,
    /// The EVPI times the effective (discounted) population, when a population is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population_evpi: Option<f64>,
}

/// The expected value of perfect information.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Evpi {
    /// The effective population, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_population: Option<f64>,
    /// One point per willingness to pay, in the order given.
    pub points: Vec<EvpiPoint>,
}

/// The expected value of perfect information, per person and for a discounted population
/// (dampack `calc_evpi`).
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for fewer than two strategies, bad willingness-to-pay values
/// (as [`ceac`]), an empty population, a negative or non-finite population or a negative
/// discount rate.
pub fn evpi(psa: &Psa, wtp: &[Money], population: Option<&Population>) -> Result<Evpi> {
    if psa.k() < 2 {
        return Err(PriorityError::input(
            "strategies",
            "the EVPI needs at least two strategies",
        ));
    }
    check_wtp(wtp)?;
    let effective = match population {
        None => None,
        Some(p) => {
            if p.by_year.is_empty() {
                return Err(PriorityError::input(
                    "population_by_year",
                    "at least one year is required",
                ));
            }
            for (i, n) in p.by_year.iter().enumerate() {
                finite(|| format!("population_by_year[{i}]"), *n)?;
                if *n < 0.0 {
                    return Err(PriorityError::input(
                        format!("population_by_year[{i}]"),
                        format!("must not be negative, got {n}"),
                    ));
                }
            }
            if p.discount_rate.is_sign_negative() && !p.discount_rate.is_zero() {
                return Err(PriorityError::input(
                    "discount_rate",
                    format!("must not be negative, got {}", p.discount_rate),
                ));
            }
            Some(p.effective())
        }
    };
    let lambdas: Vec<f64> = wtp.iter().map(|w| to_f64(*w)).collect();
    let points = wtp
        .iter()
        .zip(at_lambdas(psa, &lambdas))
        .map(|(w, at)| {
            let f = first_extreme(&at.expected, false);
            let evpi = at
                .loss
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min)
                .max(0.0);
            EvpiPoint {
                wtp: *w,
                ev_perfect_information: at.best,
                ev_current_information: at.expected.get(f).copied().unwrap_or(f64::NAN),
                evpi,
                population_evpi: effective.map(|e| evpi * e),
            }
        })
        .collect();
    Ok(Evpi {
        effective_population: effective,
        points,
    })
}

/// Expected loss at one willingness to pay.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LossPoint {
    /// The willingness to pay, as given.
    pub wtp: Money,
    /// Each strategy's expected loss, in money.
    pub expected_loss: Vec<f64>,
    /// The strategy with the lowest expected loss (earliest on ties): the acceptability frontier.
    pub frontier: String,
    /// Its expected loss: the EVPI.
    pub frontier_loss: f64,
}

/// Expected loss curves.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExpectedLoss {
    /// One point per willingness to pay, in the order given.
    pub points: Vec<LossPoint>,
}

/// Expected loss curves (Alarid-Escudero et al. 2019; dampack `calc_exp_loss`): the mean over
/// simulations of the NMB forgone by choosing each strategy.
///
/// # Errors
///
/// As [`ceac`] for the willingness-to-pay values.
pub fn expected_loss(psa: &Psa, wtp: &[Money]) -> Result<ExpectedLoss> {
    check_wtp(wtp)?;
    let lambdas: Vec<f64> = wtp.iter().map(|w| to_f64(*w)).collect();
    let points = wtp
        .iter()
        .zip(at_lambdas(psa, &lambdas))
        .map(|(w, at)| {
            let f = first_extreme(&at.expected, false);
            LossPoint {
                wtp: *w,
                frontier: psa.strategies.get(f).cloned().unwrap_or_default(),
                frontier_loss: at.loss.get(f).copied().unwrap_or(f64::NAN),
                expected_loss: at.loss,
            }
        })
        .collect();
    Ok(ExpectedLoss { points })
}

/// A PSA as a document: strategies, costs and effects, and, for the curves, the
/// willingness-to-pay values and an optional population.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PsaInput {
    /// The strategies' ids.
    pub strategies: Vec<String>,
    /// Costs, one row per simulation, one decimal string per strategy.
    pub cost: Vec<Vec<Money>>,
    /// Effects, one row per simulation.
    pub effect: Vec<Vec<f64>>,
    /// Willingness-to-pay values, strictly increasing (for the curves and the EVPI).
    #[serde(default)]
    pub wtp: Option<Vec<Money>>,
    /// People affected in each year, year 1 first (for a population EVPI).
    #[serde(default)]
    pub population_by_year: Option<Vec<f64>>,
    /// The annual discount rate of the population EVPI (default 0).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub discount_rate: Option<Decimal>,
}

impl PsaInput {
    /// The validated PSA.
    ///
    /// # Errors
    ///
    /// As [`Psa::new`].
    pub fn psa(&self) -> Result<Psa> {
        Psa::new(
            self.strategies.clone(),
            self.cost.clone(),
            self.effect.clone(),
        )
    }

    /// The willingness-to-pay values.
    ///
    /// # Errors
    ///
    /// [`PriorityError::InvalidInput`] when there are none.
    pub fn wtp(&self) -> Result<&[Money]> {
        self.wtp.as_deref().ok_or_else(|| {
            PriorityError::input("wtp", "missing; the curves need willingness-to-pay values")
        })
    }

    /// The population, if given.
    ///
    /// # Errors
    ///
    /// [`PriorityError::InvalidInput`] for a discount rate without a population.
    pub fn population(&self) -> Result<Option<Population>> {
        match (&self.population_by_year, self.discount_rate) {
            (None, Some(_)) => Err(PriorityError::input(
                "discount_rate",
                "given without population_by_year",
            )),
            (None, None) => Ok(None),
            (Some(p), r) => Ok(Some(Population {
                by_year: p.clone(),
                discount_rate: r.unwrap_or_default(),
            })),
        }
    }
}
