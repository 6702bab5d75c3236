//! `frontier` and `topsis` on a table: one row per strategy or alternative.

use std::collections::HashMap;

use super::{Column, Columns, Kind, Table, Values, count, finite, pence, present};
use crate::document::DocumentError;
use crate::model::Share;
use crate::priority::cea::{Strategy, calculate_icers, calculate_icers_with_nmb};
use crate::priority::concentration::{Spend, concentration as pareto};
use crate::priority::mcda::{Alternative, Criterion, score as weighted_sum};
use crate::priority::topsis::{CriterionType, Normalisation, topsis_flat};
use crate::priority::value::Performance;

/// The frontier's options.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontierOptions {
    id: String,
    cost: String,
    effect: String,
    /// Willingness to pay per unit of effect: adds each strategy's net monetary benefit.
    #[serde(default)]
    threshold: Option<f64>,
}

/// The cost-effectiveness frontier, in the library's order (by cost, then effect), each row
/// carrying its input row.
pub(super) fn frontier(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let o: FrontierOptions = super::options(options)?;
    present(table, &[&o.id, &o.cost, &o.effect])?;
    let ids = super::required(&o.id, table.texts(&o.id)?)?;
    let costs = super::required(&o.cost, table.money(&o.cost)?)?;
    let effects = finite(table, &o.effect)?;
    let strategies: Vec<Strategy> = ids
        .iter()
        .zip(costs)
        .zip(&effects)
        .map(|((id, cost), effect)| Strategy::new(id.clone(), cost, *effect))
        .collect();
    let (rows, nmb) = match o.threshold {
        Some(t) => {
            let (rows, (nmb, _)) =
                calculate_icers_with_nmb(&strategies, t).map_err(DocumentError::rule)?;
            let by_id: HashMap<&str, f64> = nmb.iter().map(|n| (n.id, n.nmb)).collect();
            let values = rows.iter().map(|r| by_id.get(r.id).copied()).collect();
            (rows, Some(values))
        }
        None => (
            calculate_icers(&strategies).map_err(DocumentError::rule)?,
            None,
        ),
    };
    let at: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut columns = vec![
        Column::new(
            "cost",
            Kind::Money,
            Values::Money(rows.iter().map(|r| Some(pence(r.cost))).collect()),
        ),
        Column::floats(
            "effect",
            Kind::Ratio,
            rows.iter().map(|r| Some(r.effect)).collect(),
        ),
        Column::new(
            "inc_cost",
            Kind::Money,
            Values::Money(rows.iter().map(|r| r.inc_cost.map(pence)).collect()),
        ),
        Column::floats(
            "inc_effect",
            Kind::Ratio,
            rows.iter().map(|r| r.inc_effect).collect(),
        ),
        Column::floats("icer", Kind::Money, rows.iter().map(|r| r.icer).collect()),
        Column::new(
            "status",
            Kind::Text,
            Values::Text(rows.iter().map(|r| Some(status(r.status))).collect()),
        ),
        Column::new(
            "dominated_by",
            Kind::Text,
            Values::Text(
                rows.iter()
                    .map(|r| Some(r.dominated_by.iter().collect::<Vec<_>>().join(",")))
                    .collect(),
            ),
        ),
    ];
    if let Some(values) = nmb {
        columns.push(Column::floats("nmb", Kind::Money, values));
    }
    Ok(Table {
        rows: rows
            .iter()
            .map(|r| at.get(r.id).copied().unwrap_or(0))
            .collect(),
        carried: vec![o.id],
        columns,
        metadata: Vec::new(),
        warnings: Vec::new(),
    })
}

fn status(s: crate::priority::cea::Status) -> String {
    match serde_json::to_value(s) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// TOPSIS's options: the criteria columns with their weights and directions.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TopsisOptions {
    criteria: Vec<String>,
    weights: Vec<f64>,
    types: Vec<CriterionType>,
    #[serde(default)]
    normalisation: Normalisation,
}

/// TOPSIS: each alternative's closeness, distances and rank, in input order.
pub(super) fn topsis(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let o: TopsisOptions = super::options(options)?;
    let names: Vec<&str> = o.criteria.iter().map(String::as_str).collect();
    present(table, &names)?;
    let m = table.rows();
    let n = o.criteria.len();
    let columns: Vec<Vec<f64>> = names
        .iter()
        .map(|c| finite(table, c))
        .collect::<Result<_, _>>()?;
    let mut flat = Vec::with_capacity(m.saturating_mul(n));
    for row in 0..m {
        flat.extend(
            columns
                .iter()
                .map(|c| c.get(row).copied().unwrap_or(f64::NAN)),
        );
    }
    let r = topsis_flat(&flat, m, &o.weights, &o.types, o.normalisation)
        .map_err(DocumentError::rule)?;
    let mut rank = vec![None; m];
    for (place, alternative) in r.ranking.iter().enumerate() {
        if let Some(slot) = alternative.checked_sub(1).and_then(|a| rank.get_mut(a)) {
            *slot = count(place.saturating_add(1));
        }
    }
    Ok(Table {
        rows: (0..m).collect(),
        carried: Vec::new(),
        columns: vec![
            Column::floats(
                "closeness",
                Kind::Share,
                r.closeness.into_iter().map(Some).collect(),
            ),
            Column::floats(
                "d_plus",
                Kind::Ratio,
                r.d_plus.into_iter().map(Some).collect(),
            ),
            Column::floats(
                "d_minus",
                Kind::Ratio,
                r.d_minus.into_iter().map(Some).collect(),
            ),
            Column::new("rank", Kind::Count, Values::Int(rank)),
        ],
        metadata: vec![("criteria".to_owned(), n.to_string())],
        warnings: Vec::new(),
    })
}

/// Concentration's options: the columns, and the classes' limits as shares.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConcentrationOptions {
    id: String,
    amount: String,
    #[serde(default)]
    target: Option<Share>,
    #[serde(default)]
    a_limit: Option<Share>,
    #[serde(default)]
    b_limit: Option<Share>,
}

/// A share of the whole, exactly.
fn share(text: &str) -> Share {
    text.parse().unwrap_or(Share::ONE)
}

/// Where the money goes: each line by amount, largest first, with its share, the cumulative
/// share and its class.
pub(super) fn concentration(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let o: ConcentrationOptions = super::options(options)?;
    present(table, &[&o.id, &o.amount])?;
    let ids = super::required(&o.id, table.texts(&o.id)?)?;
    let amounts = super::required(&o.amount, table.money(&o.amount)?)?;
    let spend: Vec<Spend> = ids
        .iter()
        .zip(amounts)
        .map(|(id, a)| Spend::new(id.clone(), a))
        .collect();
    let (a, b) = (
        o.a_limit.unwrap_or_else(|| share("0.8")),
        o.b_limit.unwrap_or_else(|| share("0.95")),
    );
    let result = pareto(&spend, o.target.unwrap_or_else(|| share("0.8")), a, b)
        .map_err(DocumentError::rule)?;
    let at: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let fraction = |d: crate::model::Decimal| f64::try_from(d).ok();
    Ok(Table {
        rows: result
            .rows
            .iter()
            .map(|r| at.get(r.id.as_str()).copied().unwrap_or(0))
            .collect(),
        carried: vec![o.id],
        columns: vec![
            Column::new(
                "amount",
                Kind::Money,
                Values::Money(result.rows.iter().map(|r| Some(pence(r.amount))).collect()),
            ),
            Column::floats(
                "share",
                Kind::Share,
                result.rows.iter().map(|r| fraction(r.share)).collect(),
            ),
            Column::floats(
                "cumulative",
                Kind::Share,
                result.rows.iter().map(|r| fraction(r.cumulative)).collect(),
            ),
            Column::new(
                "class",
                Kind::Text,
                Values::Text(
                    result
                        .rows
                        .iter()
                        .map(|r| Some(format!("{:?}", r.class)))
                        .collect(),
                ),
            ),
        ],
        metadata: vec![("total".to_owned(), format!("\"{}\"", pence(result.total)))],
        warnings: Vec::new(),
    })
}

/// The value model's options: the id column, and the criteria as the `score` document writes
/// them, each criterion's `id` naming its column.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreOptions {
    id: String,
    criteria: Vec<Criterion>,
}

/// A criterion's column as performances: numbers where every value reads as one, otherwise
/// categories.
fn performances(table: &dyn Columns, column: &str) -> Result<Vec<Performance>, DocumentError> {
    match finite(table, column) {
        Ok(numbers) => Ok(numbers.into_iter().map(Performance::Number).collect()),
        Err(_) => Ok(super::required(column, table.texts(column)?)?
            .into_iter()
            .map(Performance::Category)
            .collect()),
    }
}

/// The multi-criteria value model: each option's score, rank and value on every criterion,
/// in table order; the normalised weights in the metadata.
pub(super) fn score(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let o: ScoreOptions = super::options(options)?;
    let mut wanted: Vec<&str> = vec![&o.id];
    wanted.extend(o.criteria.iter().map(|c| c.id.as_str()));
    present(table, &wanted)?;
    let ids = super::required(&o.id, table.texts(&o.id)?)?;
    let columns: Vec<Vec<Performance>> = o
        .criteria
        .iter()
        .map(|c| performances(table, &c.id))
        .collect::<Result<_, _>>()?;
    let alternatives: Vec<Alternative> = ids
        .iter()
        .enumerate()
        .map(|(row, id)| {
            let performance = columns
                .iter()
                .map(|c| c.get(row).cloned().unwrap_or(Performance::Number(f64::NAN)))
                .collect();
            Alternative::new(id.clone(), performance)
        })
        .collect();
    let scores = weighted_sum(&o.criteria, &alternatives).map_err(DocumentError::rule)?;
    let mut out = vec![
        Column::floats(
            "score",
            Kind::Share,
            scores.options.iter().map(|s| Some(s.score)).collect(),
        ),
        Column::new(
            "rank",
            Kind::Count,
            Values::Int(scores.options.iter().map(|s| count(s.rank)).collect()),
        ),
    ];
    for (j, c) in o.criteria.iter().enumerate() {
        let values = scores
            .options
            .iter()
            .map(|s| s.values.get(j).copied())
            .collect();
        out.push(Column::floats(
            format!("value_{}", c.id),
            Kind::Share,
            values,
        ));
    }
    let weights = serde_json::to_string(&scores.weights)
        .map_err(|e| DocumentError::Io(format!("cannot write the weights: {e}")))?;
    Ok(Table {
        rows: (0..ids.len()).collect(),
        carried: vec![o.id],
        columns: out,
        metadata: vec![("weights".to_owned(), weights)],
        warnings: Vec::new(),
    })
}
