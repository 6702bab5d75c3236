//! Criteria for a table with a column per criterion (`score`, `topsis`, `sensitivity`), from
//! flags or from the settings.

use serde_json::{Map, Value};

use super::Origin;
use super::spec::Shape;
use super::table::{canonical, number};
use commissioning::document::DocumentError;

/// Criteria given by flags, for a table with a column per criterion (`score`, `topsis`,
/// `sensitivity`).
#[derive(clap::Args, Default, Clone)]
pub(crate) struct CriteriaArgs {
    /// A criterion's weight, as `NAME=WEIGHT` (CSV input; every criterion weighs 1 unless
    /// given). May be repeated.
    #[arg(long = "weight", value_name = "NAME=WEIGHT")]
    pub weight: Vec<String>,
    /// A criterion where less is better, such as cost (CSV input). May be repeated.
    #[arg(long = "lower-is-better", value_name = "NAME")]
    pub lower_is_better: Vec<String>,
}

impl CriteriaArgs {
    /// Completes a table's criteria from the flags: weights by name (1 where not given), the
    /// direction of each, and for `score` a linear value function over the observed range when
    /// the settings give no criteria; criteria given in the settings put the columns in their
    /// order.
    pub(super) fn apply(
        &self,
        shape: &Shape,
        doc: &mut Map<String, Value>,
        origin: &mut Origin,
    ) -> Result<(), DocumentError> {
        let vector_at = |j: usize| match shape {
            Shape::Matrix => format!("[{j}]"),
            Shape::Vector { vector, .. } => format!(".{vector}[{j}]"),
            _ => String::new(),
        };
        let names: Vec<String> = (0..)
            .map_while(|j| {
                let at = vector_at(j);
                origin
                    .columns
                    .iter()
                    .find(|(p, _)| *p == at)
                    .map(|(_, h)| h.clone())
            })
            .collect();
        let position = |flag: &str, name: &str| {
            names
                .iter()
                .position(|n| canonical(n) == canonical(name))
                .ok_or_else(|| {
                    DocumentError::input(
                        flag,
                        format!(
                            "{name:?} is not a criterion column; the columns are {}",
                            names.join(", ")
                        ),
                    )
                })
        };
        let mut weights = vec![1.0; names.len()];
        for entry in &self.weight {
            let (name, w) = entry.split_once('=').ok_or_else(|| {
                DocumentError::input("--weight", format!("expected NAME=WEIGHT, got {entry:?}"))
            })?;
            let w = number(w.trim()).and_then(|n| n.as_f64()).ok_or_else(|| {
                DocumentError::input(
                    "--weight",
                    format!("expected a number for {name}, got {w:?}"),
                )
            })?;
            if let Some(slot) = weights.get_mut(position("--weight", name)?) {
                *slot = w;
            }
        }
        let mut lower = vec![false; names.len()];
        for name in &self.lower_is_better {
            if let Some(slot) = lower.get_mut(position("--lower-is-better", name)?) {
                *slot = true;
            }
        }
        let by_name = |values: Vec<Value>| Value::Array(values);
        match shape {
            Shape::Matrix => {
                if !doc.contains_key("weights") {
                    doc.insert(
                        "weights".into(),
                        by_name(weights.into_iter().map(Value::from).collect()),
                    );
                }
                if !doc.contains_key("criteria_types") {
                    let types = lower
                        .iter()
                        .map(|l| Value::from(if *l { "cost" } else { "benefit" }))
                        .collect();
                    doc.insert("criteria_types".into(), by_name(types));
                }
            }
            Shape::Vector {
                field: "options",
                vector: "performance",
                ..
            } => {
                if let Some(Value::Array(criteria)) = doc.get("criteria") {
                    let order = criteria
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let id = c.get("id").and_then(Value::as_str).ok_or_else(|| {
                                DocumentError::input(
                                    format!("criteria[{i}].id"),
                                    "expected the criterion's id",
                                )
                            })?;
                            names
                                .iter()
                                .position(|n| canonical(n) == canonical(id))
                                .ok_or_else(|| {
                                    DocumentError::input(
                                        format!("criteria[{i}].id"),
                                        format!(
                                            "the table has no column {id:?}; its columns are {}",
                                            names.join(", ")
                                        ),
                                    )
                                })
                        })
                        .collect::<Result<Vec<usize>, DocumentError>>()?;
                    if let Some(extra) = (0..names.len()).find(|j| !order.contains(j)) {
                        return Err(DocumentError::input(
                            format!(
                                "{}:1:{}",
                                origin.file,
                                names.get(extra).map_or("", String::as_str)
                            ),
                            "is not one of the criteria in the settings",
                        ));
                    }
                    permute(doc, &order);
                    origin
                        .columns
                        .retain(|(p, _)| !p.starts_with(".performance["));
                    for (j, k) in order.iter().enumerate() {
                        origin.columns.push((
                            format!(".performance[{j}]"),
                            names.get(*k).cloned().unwrap_or_default(),
                        ));
                    }
                } else {
                    let criteria = linear_criteria(doc, &names, &weights, &lower)
                        .map_err(|(i, name)| {
                            let at = origin.locate(&format!("options[{i}]")).unwrap_or_default();
                            DocumentError::input(
                                format!("{at}:{name}"),
                                "is not a number; a criterion with categories needs its value function in the settings (--settings)",
                            )
                        })?;
                    doc.insert("criteria".into(), Value::Array(criteria));
                }
            }
            Shape::Vector {
                field: "options", ..
            } if !doc.contains_key("weights") => {
                let total: f64 = weights.iter().sum();
                doc.insert(
                    "weights".into(),
                    by_name(weights.iter().map(|w| Value::from(w / total)).collect()),
                );
            }
            _ => {}
        }
        Ok(())
    }
}

/// Puts each option's performance in the criteria's order.
fn permute(doc: &mut Map<String, Value>, order: &[usize]) {
    if let Some(Value::Array(options)) = doc.get_mut("options") {
        for option in options {
            if let Some(Value::Array(p)) = option.get_mut("performance") {
                let reordered = order.iter().filter_map(|k| p.get(*k).cloned()).collect();
                *p = reordered;
            }
        }
    }
}

/// A criterion per column: linear value from the worst observed performance (0) to the best
/// (100), weighted by `weights`; the option and criterion of a cell that is not a number is the
/// error.
fn linear_criteria(
    doc: &Map<String, Value>,
    names: &[String],
    weights: &[f64],
    lower: &[bool],
) -> Result<Vec<Value>, (usize, String)> {
    let options = doc
        .get("options")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut out = Vec::with_capacity(names.len());
    for (j, name) in names.iter().enumerate() {
        let mut low = f64::INFINITY;
        let mut high = f64::NEG_INFINITY;
        for (i, o) in options.iter().enumerate() {
            let cell = o.get("performance").and_then(|p| p.get(j));
            let Some(x) = cell.and_then(Value::as_f64) else {
                return Err((i, name.clone()));
            };
            low = low.min(x);
            high = high.max(x);
        }
        let (worst, best) = if lower.get(j) == Some(&true) {
            (high, low)
        } else {
            (low, high)
        };
        out.push(serde_json::json!({
            "id": name,
            "weight": weights.get(j).copied().unwrap_or(1.0),
            "value_function": {"kind": "linear", "worst": worst, "best": best},
        }));
    }
    Ok(out)
}
