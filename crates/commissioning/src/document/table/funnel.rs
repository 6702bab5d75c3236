//! `funnel` on a table: one row per unit, FunnelPlotR's options as keyword options.

use serde_json::{Map, Value};

use super::{Column, Columns, Kind, Table, Values, finite, present};
use crate::compare::funnel::{DataType, FunnelInput, FunnelUnit, funnel};
use crate::document::{DocumentError, Warning};

/// The column options; every other option is FunnelPlotR's, as the `funnel` document names it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnNames {
    numerator: String,
    denominator: String,
    #[serde(default)]
    id: Option<String>,
}

/// The overall ratio below which (or above whose inverse) observed-to-expected data are likely
/// events and people: a standardised ratio averages about 1.
const LIKELY_PROPORTION: f64 = 0.2;

pub(super) fn run(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let (names, rest) = split(options, &["numerator", "denominator", "id"])?;
    let names: ColumnNames = super::options(&names)?;
    present(table, &[&names.numerator, &names.denominator])?;
    let stated = rest.contains_key("data_type");
    let mut doc = rest;
    doc.insert("units".into(), Value::Array(Vec::new()));
    let mut input: FunnelInput = super::options(&Value::Object(doc).to_string())?;
    let numerators = finite(table, &names.numerator)?;
    let denominators = finite(table, &names.denominator)?;
    let ids: Vec<String> = match &names.id {
        Some(column) => super::required(column, table.texts(column)?)?,
        None => (0..table.rows()).map(|r| r.to_string()).collect(),
    };
    input.units = ids
        .into_iter()
        .zip(numerators.iter().zip(&denominators))
        .map(|(id, (n, d))| FunnelUnit::new(id, *n, *d))
        .collect();
    let warnings = likely_proportions(&input, stated, [&names.numerator, &names.denominator]);
    let result = funnel(&input).map_err(|e| located(e, &names))?;
    let mut columns = vec![
        Column::floats(
            "numerator",
            Kind::Ratio,
            numerators.into_iter().map(Some).collect(),
        ),
        Column::floats(
            "denominator",
            Kind::Ratio,
            result.units.iter().map(|u| Some(u.denominator)).collect(),
        ),
        Column::floats(
            "ratio",
            Kind::Ratio,
            result.units.iter().map(|u| Some(u.ratio)).collect(),
        ),
        Column::floats("z", Kind::Ratio, result.units.iter().map(|u| u.z).collect()),
        Column::floats(
            "z_adjusted",
            Kind::Ratio,
            result.units.iter().map(|u| u.z_adjusted).collect(),
        ),
    ];
    let limits: Vec<_> = result
        .units
        .iter()
        .map(|u| match (&u.limits_adjusted, result.adjusted_in_use) {
            (Some(l), true) => *l,
            _ => u.limits_unadjusted,
        })
        .collect();
    for (name, pick) in LIMIT_COLUMNS {
        columns.push(Column::floats(
            name,
            Kind::Ratio,
            limits.iter().map(|l| Some(pick(l))).collect(),
        ));
    }
    columns.extend([
        Column::new(
            "trimmed",
            Kind::Flag,
            Values::Bool(result.units.iter().map(|u| Some(u.trimmed)).collect()),
        ),
        Column::new(
            "outlier_95",
            Kind::Flag,
            Values::Bool(result.units.iter().map(|u| Some(u.outlier_95)).collect()),
        ),
        Column::new(
            "outlier_998",
            Kind::Flag,
            Values::Bool(result.units.iter().map(|u| Some(u.outlier_998)).collect()),
        ),
    ]);
    let metadata = vec![
        ("target".to_owned(), number(Some(result.target))),
        ("phi".to_owned(), number(result.phi)),
        ("tau2".to_owned(), number(result.tau2)),
        (
            "adjusted_in_use".to_owned(),
            result.adjusted_in_use.to_string(),
        ),
        ("n_retained".to_owned(), result.n_retained.to_string()),
        ("outliers_95".to_owned(), result.outliers_95.to_string()),
        ("outliers_998".to_owned(), result.outliers_998.to_string()),
    ];
    Ok(Table {
        rows: (0..table.rows()).collect(),
        carried: names.id.into_iter().collect(),
        columns,
        metadata,
        warnings,
    })
}

type LimitPick = fn(&crate::compare::funnel::Limits) -> f64;

/// The limits in use, as columns.
const LIMIT_COLUMNS: [(&str, LimitPick); 4] = [
    ("lower_998", |l| l.lower_998),
    ("lower_95", |l| l.lower_95),
    ("upper_95", |l| l.upper_95),
    ("upper_998", |l| l.upper_998),
];

/// A number as JSON text (`null` when undefined).
fn number(x: Option<f64>) -> String {
    x.filter(|x| x.is_finite())
        .map_or_else(|| "null".to_owned(), |x| Value::from(x).to_string())
}

/// Data read as standardised ratios (by default, not stated) whose overall ratio is far from 1
/// are likely events and people: warned on, with the option that reads them as proportions.
/// `names` are the numerator's and denominator's names as the user gave them.
pub(crate) fn likely_proportions(
    input: &FunnelInput,
    stated: bool,
    names: [&str; 2],
) -> Vec<Warning> {
    if stated || input.data_type != DataType::Ratio {
        return Vec::new();
    }
    let (o, e) = input
        .units
        .iter()
        .fold((0.0, 0.0), |(o, e), u| (o + u.numerator, e + u.denominator));
    let overall = o / e;
    if !overall.is_finite() || (LIKELY_PROPORTION..=1.0 / LIKELY_PROPORTION).contains(&overall) {
        return Vec::new();
    }
    let [numerator, denominator] = names;
    vec![Warning {
        path: "data_type".to_owned(),
        message: format!(
            "read as standardised ratios (observed {numerator} / expected {denominator}, the default), but the overall ratio is {overall:.3}, far from 1: if these are events and people, give data_type=\"PR\" (proportions)"
        ),
    }]
}

/// A library error about `units[i].numerator` put at the column and row.
fn located(e: crate::compare::CompareError, names: &ColumnNames) -> DocumentError {
    let error = DocumentError::rule(e);
    let DocumentError::Input {
        path,
        message,
        kind,
    } = error
    else {
        return error;
    };
    let Some((field, rest)) = crate::document::leading_field(&message) else {
        return DocumentError::Input {
            path,
            message,
            kind,
        };
    };
    let cell = field
        .strip_prefix("units[")
        .and_then(|f| f.split_once(']'))
        .and_then(|(row, after)| {
            let column = match after.trim_start_matches('.') {
                "numerator" => &names.numerator,
                "denominator" => &names.denominator,
                _ => names.id.as_ref()?,
            };
            Some(format!("{column}[{row}]"))
        });
    match cell {
        Some(cell) => DocumentError::Input {
            path: cell,
            message: rest.to_owned(),
            kind,
        },
        None => DocumentError::Input {
            path,
            message,
            kind,
        },
    }
}

/// The options split into the column names (as a JSON object's text) and the rest.
pub(super) fn split(
    options: &str,
    columns: &[&str],
) -> Result<(String, Map<String, Value>), DocumentError> {
    let mut all: Map<String, Value> = super::options(options)?;
    let mut names = Map::new();
    for column in columns {
        if let Some(v) = all.remove(*column) {
            names.insert((*column).to_owned(), v);
        }
    }
    Ok((Value::Object(names).to_string(), all))
}
