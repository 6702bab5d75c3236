//! `spc` and `spc_summary` on a table: many series at once, one per value of the facet
//! columns, each with the Making Data Count rules.

use serde_json::Value;

use super::funnel::split;
use super::{Column, Columns, Kind, Names, Table, Values, count, finite, groups, present};
use crate::document::{DocumentError, Warning};
use crate::monitor::spc::{
    Assurance, Observation, PointType, Rule, Rules, SpcChart, SpcOptions, spc,
};

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
    position: Vec<i64>,
    value: Vec<f64>,
    segment: Vec<i64>,
    mean: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    point_type: Vec<Option<&'static str>>,
    rule: Vec<Option<&'static str>>,
    rules: Vec<Option<&'static str>>,
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
            // Every point lies in a segment; a point outside every segment (none does) would
            // show as NaN and be refused by the finite check of the result.
            let limits = chart.segments.get(p.segment).map(|s| &s.limits);
            let limit = |f: fn(&crate::monitor::spc::Limits) -> f64| limits.map_or(f64::NAN, f);
            self.position.push(whole(p.position));
            self.value.push(p.value);
            self.segment.push(whole(p.segment));
            self.mean.push(limit(|l| l.mean));
            self.lower.push(limit(|l| l.lower_process_limit));
            self.upper.push(limit(|l| l.upper_process_limit));
            self.point_type.push(Some(point_type(p.point_type)));
            self.rule.push(Some(rule(p.rule)));
            self.rules.push(Some(rules(p.rules)));
        }
    }

    fn columns(self) -> Vec<Column> {
        vec![
            Column::new("position", Kind::Count, Values::Counts(self.position)),
            Column::new("value", Kind::Ratio, Values::Numbers(self.value)),
            Column::new("segment", Kind::Count, Values::Counts(self.segment)),
            Column::new("mean", Kind::Ratio, Values::Numbers(self.mean)),
            Column::new(
                "lower_process_limit",
                Kind::Ratio,
                Values::Numbers(self.lower),
            ),
            Column::new(
                "upper_process_limit",
                Kind::Ratio,
                Values::Numbers(self.upper),
            ),
            Column::new("point_type", Kind::Text, Values::Label(self.point_type)),
            Column::new("rule", Kind::Text, Values::Label(self.rule)),
            Column::new("rules", Kind::Text, Values::Label(self.rules)),
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
        variation.push(Some(point_type(chart.variation)));
        assurance.push(chart.assurance.map(assurance_name));
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
            Column::new("variation", Kind::Text, Values::Label(variation)),
            Column::new("assurance", Kind::Text, Values::Label(assurance)),
            Column::floats("target", Kind::Ratio, target),
            Column::floats("mean", Kind::Ratio, mean),
            Column::floats("lower_process_limit", Kind::Ratio, lower),
            Column::floats("upper_process_limit", Kind::Ratio, upper),
        ],
        metadata: Vec::new(),
        warnings: charts.warnings,
    })
}

/// A position or segment number as a result value.
fn whole(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A point type's name, as its JSON gives it.
fn point_type(t: PointType) -> &'static str {
    match t {
        PointType::CommonCause => "common_cause",
        PointType::SpecialCauseImprovement => "special_cause_improvement",
        PointType::SpecialCauseConcern => "special_cause_concern",
        PointType::SpecialCauseNeutralHigh => "special_cause_neutral_high",
        PointType::SpecialCauseNeutralLow => "special_cause_neutral_low",
    }
}

/// A rule's name, as its JSON gives it.
fn rule(r: Rule) -> &'static str {
    match r {
        Rule::OutsideLimits => "outside_limits",
        Rule::Trend => "trend",
        Rule::TwoOfThree => "two_of_three",
        Rule::Shift => "shift",
        Rule::CommonCause => "common_cause",
    }
}

/// The rules that flagged a point, comma-separated in the library's order.
fn rules(set: Rules) -> &'static str {
    let has = |r| set.contains(r);
    match (
        has(Rule::OutsideLimits),
        has(Rule::Trend),
        has(Rule::TwoOfThree),
        has(Rule::Shift),
    ) {
        (false, false, false, false) => "",
        (true, false, false, false) => "outside_limits",
        (false, true, false, false) => "trend",
        (false, false, true, false) => "two_of_three",
        (false, false, false, true) => "shift",
        (true, true, false, false) => "outside_limits,trend",
        (true, false, true, false) => "outside_limits,two_of_three",
        (true, false, false, true) => "outside_limits,shift",
        (false, true, true, false) => "trend,two_of_three",
        (false, true, false, true) => "trend,shift",
        (false, false, true, true) => "two_of_three,shift",
        (true, true, true, false) => "outside_limits,trend,two_of_three",
        (true, true, false, true) => "outside_limits,trend,shift",
        (true, false, true, true) => "outside_limits,two_of_three,shift",
        (false, true, true, true) => "trend,two_of_three,shift",
        (true, true, true, true) => "outside_limits,trend,two_of_three,shift",
    }
}

/// An assurance icon's name, as its JSON gives it.
fn assurance_name(a: Assurance) -> &'static str {
    match a {
        Assurance::ConsistentlyPassing => "consistently_passing",
        Assurance::ConsistentlyFailing => "consistently_failing",
        Assurance::HitAndMiss => "hit_and_miss",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are the ones serde writes, so that a table and a document agree.
    #[test]
    fn names_are_serdes() {
        let json = |v: serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_default();
        for t in [
            PointType::CommonCause,
            PointType::SpecialCauseImprovement,
            PointType::SpecialCauseConcern,
            PointType::SpecialCauseNeutralHigh,
            PointType::SpecialCauseNeutralLow,
        ] {
            assert_eq!(
                point_type(t),
                json(serde_json::to_value(t).unwrap_or_default())
            );
        }
        let all = [
            Rule::OutsideLimits,
            Rule::Trend,
            Rule::TwoOfThree,
            Rule::Shift,
            Rule::CommonCause,
        ];
        for r in all {
            assert_eq!(rule(r), json(serde_json::to_value(r).unwrap_or_default()));
        }
        for mask in 0u8..16 {
            let set = all
                .iter()
                .take(4)
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .fold(Rules::default(), |s, (_, r)| s.with(*r));
            let names: Vec<String> = set.iter().map(|r| rule(r).to_owned()).collect();
            assert_eq!(rules(set), names.join(","));
        }
        for a in [
            Assurance::ConsistentlyPassing,
            Assurance::ConsistentlyFailing,
            Assurance::HitAndMiss,
        ] {
            assert_eq!(
                assurance_name(a),
                json(serde_json::to_value(a).unwrap_or_default())
            );
        }
    }
}
