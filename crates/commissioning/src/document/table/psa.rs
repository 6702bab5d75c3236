//! Decisions under uncertainty from a table of simulations in long form — one row per
//! simulation and strategy, as a model's PSA output is usually kept: `ceac`, `evpi` and
//! `expected_loss`, one row per willingness-to-pay value (and strategy).

use std::collections::HashMap;

use serde_json::Value;

use super::funnel::split;
use super::{Column, Columns, Kind, Table, Values, finite, present};
use crate::document::DocumentError;
use crate::document::limits;
use crate::model::Money;
use crate::priority::psa::{PsaInput, ceac, evpi, expected_loss};

/// The column options; `wtp`, `population_by_year` and `discount_rate` are as the `psa`
/// document names them.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnNames {
    strategy: String,
    cost: String,
    effect: String,
    #[serde(default)]
    simulation: Option<String>,
}

/// The table as a PSA: strategies in order of first appearance, simulations by the
/// `simulation` column (or each strategy's rows in table order).
fn psa_input(table: &dyn Columns, options: &str) -> Result<PsaInput, DocumentError> {
    let (names, rest) = split(options, &["strategy", "cost", "effect", "simulation"])?;
    let names: ColumnNames = super::options(&names)?;
    present(table, &[&names.strategy, &names.cost, &names.effect])?;
    let mut doc = rest;
    for key in ["strategies", "cost", "effect"] {
        doc.insert(key.to_owned(), Value::Array(Vec::new()));
    }
    let mut input: PsaInput = super::options(&Value::Object(doc).to_string())?;
    let strategies = super::required(&names.strategy, table.texts(&names.strategy)?)?;
    let costs = super::required(&names.cost, table.money(&names.cost)?)?;
    let effects = finite(table, &names.effect)?;
    let sims: Vec<String> = match &names.simulation {
        Some(c) => super::required(c, table.texts(c)?)?,
        None => {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            strategies
                .iter()
                .map(|s| {
                    let n = seen.entry(s.as_str()).or_insert(0);
                    *n = n.saturating_add(1);
                    n.to_string()
                })
                .collect()
        }
    };
    let mut strategy_at: HashMap<&str, usize> = HashMap::new();
    let mut sim_at: HashMap<&str, usize> = HashMap::new();
    for (s, k) in strategies.iter().zip(&sims) {
        let next = strategy_at.len();
        strategy_at.entry(s.as_str()).or_insert(next);
        let next = sim_at.len();
        sim_at.entry(k.as_str()).or_insert(next);
    }
    let (n_strategies, n_sims) = (strategy_at.len(), sim_at.len());
    let cells = limits::n(n_strategies).saturating_mul(limits::n(n_sims));
    limits::TABLE_CELLS.check(&names.strategy, cells)?;
    let mut cost: Vec<Vec<Option<Money>>> = vec![vec![None; n_strategies]; n_sims];
    let mut effect: Vec<Vec<f64>> = vec![vec![f64::NAN; n_strategies]; n_sims];
    for (row, ((s, k), (c, e))) in strategies
        .iter()
        .zip(&sims)
        .zip(costs.iter().zip(&effects))
        .enumerate()
    {
        let (j, i) = (
            strategy_at.get(s.as_str()).copied().unwrap_or(0),
            sim_at.get(k.as_str()).copied().unwrap_or(0),
        );
        let slot = cost.get_mut(i).and_then(|r| r.get_mut(j));
        match slot {
            Some(slot @ None) => *slot = Some(*c),
            _ => {
                return Err(DocumentError::input(
                    super::cell(&names.strategy, row),
                    format!("strategy {s:?} appears twice in simulation {k:?}"),
                ));
            }
        }
        if let Some(x) = effect.get_mut(i).and_then(|r| r.get_mut(j)) {
            *x = *e;
        }
    }
    let mut ids: Vec<(&str, usize)> = strategy_at.into_iter().collect();
    ids.sort_by_key(|(_, j)| *j);
    input.strategies = ids.iter().map(|(s, _)| (*s).to_owned()).collect();
    input.cost = cost
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            row.into_iter()
                .enumerate()
                .map(|(j, c)| {
                    c.ok_or_else(|| {
                        DocumentError::input(
                            names.strategy.as_str(),
                            format!(
                                "simulation {} has no row for strategy {:?}",
                                i.saturating_add(1),
                                input.strategies.get(j).map_or("", String::as_str)
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    input.effect = effect;
    Ok(input)
}

/// Checks the work of the curves (simulations × strategies × values) against its limit.
fn check_work(input: &PsaInput) -> Result<(), DocumentError> {
    let sims = limits::n(input.cost.len()).saturating_mul(limits::n(input.strategies.len()));
    let points = limits::n(input.wtp.as_ref().map_or(1, Vec::len));
    limits::SMAA_WORK.check("wtp", sims.saturating_mul(points))?;
    limits::OUTPUT_ROWS.check(
        "wtp",
        points.saturating_mul(limits::n(input.strategies.len())),
    )
}

/// Acceptability curves: one row per value and strategy.
pub(super) fn acceptability(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let input = psa_input(table, options)?;
    check_work(&input)?;
    let psa = input.psa().map_err(DocumentError::rule)?;
    let curves =
        ceac(&psa, input.wtp().map_err(DocumentError::rule)?).map_err(DocumentError::rule)?;
    let mut out = Long::default();
    for p in &curves.points {
        for (j, id) in input.strategies.iter().enumerate() {
            out.wtp.push(Some(p.wtp));
            out.strategy.push(Some(id.clone()));
            out.numbers[0].push(p.proportion.get(j).copied());
            out.numbers[1].push(p.expected_nmb.get(j).copied());
            out.optimal.push(Some(p.optimal_ids.contains(id)));
            out.frontier.push(Some(&p.frontier == id));
        }
    }
    Ok(out.table(
        [("proportion", Kind::Share), ("expected_nmb", Kind::Money)],
        true,
    ))
}

/// Expected loss: one row per value and strategy.
pub(super) fn loss(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let input = psa_input(table, options)?;
    check_work(&input)?;
    let psa = input.psa().map_err(DocumentError::rule)?;
    let result = expected_loss(&psa, input.wtp().map_err(DocumentError::rule)?)
        .map_err(DocumentError::rule)?;
    let mut out = Long::default();
    for p in &result.points {
        for (j, id) in input.strategies.iter().enumerate() {
            out.wtp.push(Some(p.wtp));
            out.strategy.push(Some(id.clone()));
            out.numbers[0].push(p.expected_loss.get(j).copied());
            out.numbers[1].push(Some(p.frontier_loss));
            out.frontier.push(Some(&p.frontier == id));
        }
    }
    Ok(out.table(
        [
            ("expected_loss", Kind::Money),
            ("frontier_loss", Kind::Money),
        ],
        false,
    ))
}

/// The expected value of perfect information: one row per value.
pub(super) fn information(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let input = psa_input(table, options)?;
    check_work(&input)?;
    let psa = input.psa().map_err(DocumentError::rule)?;
    let population = input.population().map_err(DocumentError::rule)?;
    let wtp = input.wtp().map_err(DocumentError::rule)?;
    let result = evpi(&psa, wtp, population.as_ref()).map_err(DocumentError::rule)?;
    let points = &result.points;
    let floats =
        |f: fn(&crate::priority::psa::EvpiPoint) -> Option<f64>| points.iter().map(f).collect();
    Ok(Table {
        rows: vec![0; points.len()],
        carried: Vec::new(),
        columns: vec![
            Column::new(
                "wtp",
                Kind::Money,
                Values::Money(points.iter().map(|p| Some(p.wtp)).collect()),
            ),
            Column::floats(
                "ev_perfect_information",
                Kind::Money,
                floats(|p| Some(p.ev_perfect_information)),
            ),
            Column::floats(
                "ev_current_information",
                Kind::Money,
                floats(|p| Some(p.ev_current_information)),
            ),
            Column::floats("evpi", Kind::Money, floats(|p| Some(p.evpi))),
            Column::floats(
                "population_evpi",
                Kind::Money,
                floats(|p| p.population_evpi),
            ),
        ],
        metadata: Vec::new(),
        warnings: Vec::new(),
    })
}

/// Columns of a result with one row per value and strategy.
#[derive(Default)]
struct Long {
    wtp: Vec<Option<Money>>,
    strategy: Vec<Option<String>>,
    numbers: [Vec<Option<f64>>; 2],
    optimal: Vec<Option<bool>>,
    frontier: Vec<Option<bool>>,
}

impl Long {
    /// The table, with the `optimal` flag where the result has one.
    fn table(self, numbers: [(&str, Kind); 2], optimal: bool) -> Table {
        let n = self.wtp.len();
        let [a, b] = self.numbers;
        let mut columns = vec![
            Column::new("wtp", Kind::Money, Values::Money(self.wtp)),
            Column::new("strategy", Kind::Id, Values::Text(self.strategy)),
            Column::floats(numbers[0].0, numbers[0].1, a),
            Column::floats(numbers[1].0, numbers[1].1, b),
        ];
        if optimal {
            columns.push(Column::new(
                "optimal",
                Kind::Flag,
                Values::Bool(self.optimal),
            ));
        }
        columns.push(Column::new(
            "frontier",
            Kind::Flag,
            Values::Bool(self.frontier),
        ));
        Table {
            rows: vec![0; n],
            carried: Vec::new(),
            columns,
            metadata: Vec::new(),
            warnings: Vec::new(),
        }
    }
}
