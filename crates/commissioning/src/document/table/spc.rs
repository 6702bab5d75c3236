//! `spc` and `spc_summary` on a table: many series at once, one per value of the facet
//! columns, each with the Making Data Count rules.

use serde_json::Value;

use super::funnel::split;
use super::{Column, Columns, Kind, Names, Table, Values, count, finite, groups, present};
use crate::document::{DocumentError, Warning};
use crate::monitor::spc::{Observation, SpcChart, SpcOptions, spc};

/// The column options; every other option is an SPC option, as the `spc` document's
/// `options` names it (`improvement`, `target`, `rebase`, …).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnNames {
    value: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    facet: Names,
}

/// Each series: its rows and its chart.
struct Charts {
    names: ColumnNames,
    series: Vec<(Vec<usize>, SpcChart)>,
    warnings: Vec<Warning>,
}

fn charts(table: &dyn Columns, options: &str) -> Result<Charts, DocumentError> {
    let (names, rest) = split(options, &["value", "date", "facet"])?;
    let names: ColumnNames = super::options(&names)?;
    let facets = names.facet.list();
    let mut wanted: Vec<&str> = vec![&names.value];
    wanted.extend(names.date.as_deref());
    wanted.extend(facets.iter().map(String::as_str));
    present(table, &wanted)?;
    let options: SpcOptions = super::options(&Value::Object(rest).to_string())?;
    let values = finite(table, &names.value)?;
    let dates = match &names.date {
        Some(column) => Some(super::required(column, table.dates(column)?)?),
        None => None,
    };
    let mut series = Vec::new();
    let mut warnings = Vec::new();
    for rows in groups(table, &facets)? {
        let observations: Vec<Observation> = rows
            .iter()
            .map(|&r| {
                let value = values.get(r).copied().unwrap_or(f64::NAN);
                match dates.as_ref().and_then(|d| d.get(r)) {
                    Some(date) => Observation::dated(*date, value),
                    None => Observation::new(value),
                }
            })
            .collect();
        let first = rows.first().copied().unwrap_or(0);
        let chart = spc(&observations, &options).map_err(|e| {
            DocumentError::rule(e).within(&format!("series starting at row {first}"))
        })?;
        warnings.extend(chart.warnings.iter().map(|w| Warning {
            path: format!("series starting at row {first}"),
            message: w.clone(),
        }));
        series.push((rows, chart));
    }
    Ok(Charts {
        names,
        series,
        warnings,
    })
}

/// Every point of every series, in the series' order, with its segment's limits.
pub(super) fn points(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let charts = charts(table, options)?;
    let n = charts.series.iter().map(|(rows, _)| rows.len()).sum();
    let mut rows = Vec::with_capacity(n);
    let mut out = PointColumns::with_capacity(n);
    for (series_rows, chart) in &charts.series {
        rows.extend_from_slice(series_rows);
        out.push(chart);
    }
    let mut carried = charts.names.facet.list();
    carried.extend(charts.names.date.clone());
    Ok(Table {
        rows,
        carried,
        columns: out.columns(),
        metadata: Vec::new(),
        warnings: charts.warnings,
    })
}

/// The columns of the points, filled series by series.
#[derive(Default)]
struct PointColumns {
    position: Vec<Option<i64>>,
    value: Vec<Option<f64>>,
    segment: Vec<Option<i64>>,
    mean: Vec<Option<f64>>,
    lower: Vec<Option<f64>>,
    upper: Vec<Option<f64>>,
    point_type: Vec<Option<String>>,
    rule: Vec<Option<String>>,
    rules: Vec<Option<String>>,
}

impl PointColumns {
    fn with_capacity(n: usize) -> Self {
        Self {
            position: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            segment: Vec::with_capacity(n),
            mean: Vec::with_capacity(n),
            lower: Vec::with_capacity(n),
            upper: Vec::with_capacity(n),
            point_type: Vec::with_capacity(n),
            rule: Vec::with_capacity(n),
            rules: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, chart: &SpcChart) {
        for p in &chart.points {
            let limits = chart.segments.get(p.segment).map(|s| &s.limits);
            self.position.push(count(p.position));
            self.value.push(Some(p.value));
            self.segment.push(count(p.segment));
            self.mean.push(limits.map(|l| l.mean));
            self.lower.push(limits.map(|l| l.lower_process_limit));
            self.upper.push(limits.map(|l| l.upper_process_limit));
            self.point_type.push(Some(snake(&p.point_type)));
            self.rule.push(Some(snake(&p.rule)));
            let rules: Vec<String> = p.rules.iter().map(|r| snake(&r)).collect();
            self.rules.push(Some(rules.join(",")));
        }
    }

    fn columns(self) -> Vec<Column> {
        vec![
            Column::new("position", Kind::Count, Values::Int(self.position)),
            Column::floats("value", Kind::Ratio, self.value),
            Column::new("segment", Kind::Count, Values::Int(self.segment)),
            Column::floats("mean", Kind::Ratio, self.mean),
            Column::floats("lower_process_limit", Kind::Ratio, self.lower),
            Column::floats("upper_process_limit", Kind::Ratio, self.upper),
            Column::new("point_type", Kind::Text, Values::Text(self.point_type)),
            Column::new("rule", Kind::Text, Values::Text(self.rule)),
            Column::new("rules", Kind::Text, Values::Text(self.rules)),
        ]
    }
}

/// One row per series: its points, the variation and assurance icons, the last segment's
/// limits and the latest point.
pub(super) fn summary(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let charts = charts(table, options)?;
    let mut rows = Vec::with_capacity(charts.series.len());
    let (mut points, mut variation, mut assurance, mut target) = (vec![], vec![], vec![], vec![]);
    let (mut mean, mut lower, mut upper, mut latest) = (vec![], vec![], vec![], vec![]);
    for (series_rows, chart) in &charts.series {
        // The series' latest row: its date (when dated) and facets are carried from it.
        rows.push(series_rows.last().copied().unwrap_or(0));
        points.push(count(chart.points.len()));
        variation.push(Some(snake(&chart.variation)));
        assurance.push(chart.assurance.as_ref().map(snake));
        target.push(chart.target);
        let limits = chart.segments.last().map(|s| &s.limits);
        mean.push(limits.map(|l| l.mean));
        lower.push(limits.map(|l| l.lower_process_limit));
        upper.push(limits.map(|l| l.upper_process_limit));
        latest.push(chart.points.last().map(|p| p.value));
    }
    let mut carried = charts.names.facet.list();
    carried.extend(charts.names.date.clone());
    Ok(Table {
        rows,
        carried,
        columns: vec![
            Column::new("points", Kind::Count, Values::Int(points)),
            Column::floats("latest", Kind::Ratio, latest),
            Column::new("variation", Kind::Text, Values::Text(variation)),
            Column::new("assurance", Kind::Text, Values::Text(assurance)),
            Column::floats("target", Kind::Ratio, target),
            Column::floats("mean", Kind::Ratio, mean),
            Column::floats("lower_process_limit", Kind::Ratio, lower),
            Column::floats("upper_process_limit", Kind::Ratio, upper),
        ],
        metadata: Vec::new(),
        warnings: charts.warnings,
    })
}

/// A unit enum's name as its JSON gives it (`special_cause_concern`).
fn snake<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}
