//! `standardise` on a table: many units at once, one result row each.
//!
//! - `proportion`, `rate`, and `ratio` with `observed` and `expected`: one unit per row.
//! - `ratio` with `population`, `ref_count` and `ref_population`, and `dsr` with `count` and
//!   `population`: one unit per value of the `by` columns, its strata the unit's rows. For the
//!   2013 European Standard Population an `age_band` column is matched by label against the
//!   standard's bands (a band missing, repeated or unknown is refused by name); without it the
//!   rows must be the 19 bands in the standard's order.

use serde_json::{Map, Value};

use super::funnel::split;
use super::{Column, Columns, Kind, Names, Table, finite, groups, present};
use crate::compare::Confidence;
use crate::compare::rates::{
    DsrInput, DsrStratum, ESP2013_BANDS, ProportionInput, RateInput, RatioInput, RatioStratum,
    Standard, crude_rate, directly_standardised_rate, esp2013_band, proportion, standardised_ratio,
};
use crate::document::DocumentError;

/// The column options; every other option (`multiplier`, `confidence`, `refvalue`, `standard`)
/// is as the `standardise` document names it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnNames {
    kind: String,
    #[serde(default)]
    by: Names,
    #[serde(default)]
    numerator: Option<String>,
    #[serde(default)]
    denominator: Option<String>,
    #[serde(default)]
    count: Option<String>,
    #[serde(default)]
    population: Option<String>,
    #[serde(default)]
    observed: Option<String>,
    #[serde(default)]
    expected: Option<String>,
    #[serde(default)]
    ref_count: Option<String>,
    #[serde(default)]
    ref_population: Option<String>,
    #[serde(default)]
    standard_population: Option<String>,
    #[serde(default)]
    age_band: Option<String>,
}

const COLUMN_OPTIONS: [&str; 12] = [
    "kind",
    "by",
    "numerator",
    "denominator",
    "count",
    "population",
    "observed",
    "expected",
    "ref_count",
    "ref_population",
    "standard_population",
    "age_band",
];

/// One unit's estimate, as columns take it.
struct Estimate {
    value: Option<f64>,
    intervals: Vec<(Confidence, Option<f64>, Option<f64>)>,
    extra: Vec<Option<f64>>,
}

pub(super) fn run(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let (names, rest) = split(options, &COLUMN_OPTIONS)?;
    let names: ColumnNames = super::options(&names)?;
    let need = |o: &Option<String>, option: &str| {
        o.clone().ok_or_else(|| {
            DocumentError::input(
                option,
                format!("kind {:?} reads this column: name it", names.kind),
            )
        })
    };
    let (units, extra_names, estimates) = match names.kind.as_str() {
        "proportion" => {
            let (n, d) = (
                need(&names.numerator, "numerator")?,
                need(&names.denominator, "denominator")?,
            );
            let fields = [
                ("numerator", Value::from(0)),
                ("denominator", Value::from(1)),
            ];
            per_row(
                table,
                [&n, &d],
                &rest,
                &fields,
                proportion_estimate,
                Vec::new(),
            )?
        }
        "rate" => {
            let (c, p) = (
                need(&names.count, "count")?,
                need(&names.population, "population")?,
            );
            let fields = [("count", Value::from(0)), ("population", Value::from(1))];
            per_row(table, [&c, &p], &rest, &fields, rate_estimate, Vec::new())?
        }
        "ratio" if names.expected.is_some() => {
            let (o, e) = (
                need(&names.observed, "observed")?,
                need(&names.expected, "expected")?,
            );
            let extra = vec!["observed", "expected"];
            per_row(table, [&o, &e], &rest, &[], ratio_estimate, extra)?
        }
        "ratio" => ratio_strata(table, &names, &rest)?,
        "dsr" => dsr(table, &names, &rest)?,
        other => {
            return Err(DocumentError::input(
                "kind",
                format!("{other:?} is not a statistic; expected proportion, rate, ratio or dsr"),
            ));
        }
    };
    let mut columns = vec![Column::floats(
        "value",
        Kind::Ratio,
        estimates.iter().map(|e| e.value).collect(),
    )];
    let levels: Vec<Confidence> = estimates
        .first()
        .map(|e| e.intervals.iter().map(|i| i.0).collect())
        .unwrap_or_default();
    for (j, level) in levels.iter().enumerate() {
        let label = level_label(*level);
        let pick = |lower: bool| -> Vec<Option<f64>> {
            estimates
                .iter()
                .map(|e| {
                    e.intervals
                        .get(j)
                        .and_then(|i| if lower { i.1 } else { i.2 })
                })
                .collect()
        };
        columns.push(Column::floats(
            format!("lower_{label}"),
            Kind::Ratio,
            pick(true),
        ));
        columns.push(Column::floats(
            format!("upper_{label}"),
            Kind::Ratio,
            pick(false),
        ));
    }
    for (j, name) in extra_names.iter().enumerate() {
        let values = estimates
            .iter()
            .map(|e| e.extra.get(j).copied().flatten())
            .collect();
        columns.push(Column::floats(*name, Kind::Ratio, values));
    }
    Ok(Table {
        rows: units,
        carried: names.by.list(),
        columns,
        metadata: Vec::new(),
        warnings: Vec::new(),
    })
}

/// A confidence level as a column suffix: 0.95 → `95`, 0.998 → `99_8`.
fn level_label(level: Confidence) -> String {
    let percent = level
        .level()
        .checked_mul(crate::model::Decimal::ONE_HUNDRED)
        .unwrap_or_default()
        .normalize();
    percent.to_string().replace('.', "_")
}

type Rows = (Vec<usize>, Vec<&'static str>, Vec<Estimate>);

/// One unit per row, from two columns: `compute` takes the statistic's input (read once from
/// the options, with `fields` standing in for the numbers) and the row's two numbers.
fn per_row<T: serde::de::DeserializeOwned>(
    table: &dyn Columns,
    columns: [&str; 2],
    rest: &Map<String, Value>,
    fields: &[(&str, Value)],
    compute: fn(&T, f64, f64) -> Result<Estimate, DocumentError>,
    extra: Vec<&'static str>,
) -> Result<Rows, DocumentError> {
    let [first, second] = columns;
    present(table, &[first, second])?;
    let base: T = template(fields, rest)?;
    let a = finite(table, first)?;
    let b = finite(table, second)?;
    let mut out = Vec::with_capacity(a.len());
    for (row, (x, y)) in a.iter().zip(&b).enumerate() {
        out.push(compute(&base, *x, *y).map_err(|e| e.within(&format!("row {row}")))?);
    }
    Ok(((0..a.len()).collect(), extra, out))
}

/// The input of a statistic: its own fields, then the shared options.
fn template<T: serde::de::DeserializeOwned>(
    fields: &[(&str, Value)],
    rest: &Map<String, Value>,
) -> Result<T, DocumentError> {
    let mut doc = rest.clone();
    for (k, v) in fields {
        doc.insert((*k).to_owned(), v.clone());
    }
    super::options(&Value::Object(doc).to_string())
}

fn intervals_of(
    intervals: &[crate::compare::intervals::Interval],
) -> Vec<(Confidence, Option<f64>, Option<f64>)> {
    intervals
        .iter()
        .map(|i| (i.confidence, Some(i.lower), Some(i.upper)))
        .collect()
}

fn proportion_estimate(base: &ProportionInput, n: f64, d: f64) -> Result<Estimate, DocumentError> {
    let mut input = base.clone();
    input.numerator = n;
    input.denominator = d;
    let e = proportion(&input).map_err(DocumentError::rule)?;
    Ok(Estimate {
        value: Some(e.value),
        intervals: intervals_of(&e.intervals),
        extra: Vec::new(),
    })
}

fn rate_estimate(base: &RateInput, c: f64, p: f64) -> Result<Estimate, DocumentError> {
    let mut input = base.clone();
    input.count = c;
    input.population = p;
    let e = crude_rate(&input).map_err(DocumentError::rule)?;
    Ok(Estimate {
        value: Some(e.value),
        intervals: intervals_of(&e.intervals),
        extra: Vec::new(),
    })
}

fn ratio_estimate(base: &RatioInput, o: f64, x: f64) -> Result<Estimate, DocumentError> {
    let mut input = base.clone();
    input.observed = Some(o);
    input.expected = Some(x);
    let e = standardised_ratio(&input).map_err(DocumentError::rule)?;
    Ok(Estimate {
        value: Some(e.value),
        intervals: intervals_of(&e.intervals),
        extra: vec![Some(e.observed), Some(e.expected)],
    })
}

/// Indirectly standardised ratios of many units, each from its strata's reference rates.
fn ratio_strata(
    table: &dyn Columns,
    names: &ColumnNames,
    rest: &Map<String, Value>,
) -> Result<Rows, DocumentError> {
    let column = |o: &Option<String>, option: &str| {
        o.clone().ok_or_else(|| {
            DocumentError::input(option, "a ratio reads observed and expected, or observed, population, ref_count and ref_population by stratum: name the columns")
        })
    };
    let cols = [
        column(&names.observed, "observed")?,
        column(&names.population, "population")?,
        column(&names.ref_count, "ref_count")?,
        column(&names.ref_population, "ref_population")?,
    ];
    let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    present(table, &refs)?;
    let values: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| finite(table, c))
        .collect::<Result<_, _>>()?;
    let base: RatioInput = template(&[("strata", Value::Array(Vec::new()))], rest)?;
    let mut units = Vec::new();
    let mut out = Vec::new();
    for rows in groups(table, &names.by.list())? {
        let at = |k: usize, r: usize| {
            values
                .get(k)
                .and_then(|v| v.get(r))
                .copied()
                .unwrap_or(f64::NAN)
        };
        let strata = rows
            .iter()
            .map(|&r| RatioStratum::new(at(0, r), at(1, r), at(2, r), at(3, r)))
            .collect();
        let mut input = base.clone();
        input.strata = Some(strata);
        let first = rows.first().copied().unwrap_or(0);
        let e = standardised_ratio(&input)
            .map_err(|e| DocumentError::rule(e).within(&format!("unit starting at row {first}")))?;
        units.push(first);
        out.push(Estimate {
            value: Some(e.value),
            intervals: intervals_of(&e.intervals),
            extra: vec![Some(e.observed), Some(e.expected)],
        });
    }
    Ok((units, vec!["observed", "expected"], out))
}

/// Directly standardised rates of many units, each from its strata.
fn dsr(
    table: &dyn Columns,
    names: &ColumnNames,
    rest: &Map<String, Value>,
) -> Result<Rows, DocumentError> {
    let count = names.count.clone().ok_or_else(|| {
        DocumentError::input(
            "count",
            "a dsr reads count and population by stratum: name the columns",
        )
    })?;
    let population = names.population.clone().ok_or_else(|| {
        DocumentError::input(
            "population",
            "a dsr reads count and population by stratum: name the columns",
        )
    })?;
    present(table, &[&count, &population])?;
    let counts = finite(table, &count)?;
    let populations = finite(table, &population)?;
    let weights = match &names.standard_population {
        Some(c) => Some(finite(table, c)?),
        None => None,
    };
    let bands = match &names.age_band {
        Some(c) => Some(super::required(c, table.texts(c)?)?),
        None => None,
    };
    let base: DsrInput = template(&[("strata", Value::Array(Vec::new()))], rest)?;
    let mut units = Vec::new();
    let mut out = Vec::new();
    for rows in groups(table, &names.by.list())? {
        let first = rows.first().copied().unwrap_or(0);
        let ordered = match (&bands, base.standard) {
            (Some(bands), Standard::Esp2013) => by_band(
                &rows,
                bands,
                names.age_band.as_deref().unwrap_or("age_band"),
            )?,
            _ => rows.clone(),
        };
        let strata = ordered
            .iter()
            .map(|&r| {
                let c = counts.get(r).copied().unwrap_or(f64::NAN);
                let p = populations.get(r).copied().unwrap_or(f64::NAN);
                match weights.as_ref().and_then(|w| w.get(r)) {
                    Some(w) => DsrStratum::with_standard(c, p, *w),
                    None => DsrStratum::new(c, p),
                }
            })
            .collect();
        let mut input = base.clone();
        input.strata = strata;
        let e = directly_standardised_rate(&input)
            .map_err(|e| DocumentError::rule(e).within(&format!("unit starting at row {first}")))?;
        units.push(first);
        out.push(Estimate {
            value: e.value,
            intervals: e
                .intervals
                .iter()
                .map(|i| (i.confidence, i.lower, i.upper))
                .collect(),
            extra: vec![Some(e.total_count), Some(e.total_population)],
        });
    }
    Ok((units, vec!["total_count", "total_population"], out))
}

/// A unit's rows in the order of the 2013 European Standard Population's bands, matched by
/// label (`0-4`, `5-9`, …, `90+`; an en dash, spaces or a trailing `years` are accepted).
fn by_band(rows: &[usize], bands: &[String], column: &str) -> Result<Vec<usize>, DocumentError> {
    let mut ordered: Vec<Option<usize>> = vec![None; ESP2013_BANDS.len()];
    for &r in rows {
        let label = bands.get(r).map(String::as_str).unwrap_or_default();
        let at = esp2013_band(label).ok_or_else(|| {
            DocumentError::input(
                super::cell(column, r),
                format!(
                    "{label:?} is not a band of the 2013 European Standard Population; expected one of {}",
                    ESP2013_BANDS.join(", ")
                ),
            )
        })?;
        match ordered.get_mut(at) {
            Some(slot @ None) => *slot = Some(r),
            _ => {
                return Err(DocumentError::input(
                    super::cell(column, r),
                    format!("the band {label:?} appears twice for this unit"),
                ));
            }
        }
    }
    ordered
        .iter()
        .zip(ESP2013_BANDS)
        .map(|(slot, band)| {
            slot.ok_or_else(|| {
                DocumentError::input(
                    column,
                    format!(
                        "the unit starting at row {} has no row for the band {band:?}",
                        rows.first().copied().unwrap_or(0)
                    ),
                )
            })
        })
        .collect()
}
