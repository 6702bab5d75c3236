//! The comparison subcommands: `funnel`, `standardise`, `peers` and `opportunity`.

use commissioning::compare::funnel::{FunnelInput, funnel};
use commissioning::compare::opportunity::{OpportunityInput, Polarity, opportunity};
use commissioning::compare::peers::{PeerInput, similar};
use commissioning::compare::rates::{
    DsrInput, ProportionInput, RateInput, RatioInput, crude_rate, directly_standardised_rate,
    proportion, standardised_ratio,
};
use commissioning::compare::significance::{SignificanceInput, significance};
use commissioning::compare::svg::{FunnelChart, render};
use serde_json::Value;

use crate::commands::to_json;
use crate::io::{CliError, parse, parse_tagged, read_tag};

/// The funnel methods: FunnelPlotR's (the default) and PHEindicatormethods'.
pub(crate) const FUNNEL_METHODS: [&str; 2] = ["funnelplotr", "phe"];

/// How to draw the funnel plot.
pub(crate) struct ChartOptions {
    pub(crate) title: Option<String>,
    pub(crate) polarity: Option<Polarity>,
}

/// `funnel`: a funnel plot by FunnelPlotR's method (with overdispersion), or significance
/// labels by PHEindicatormethods' method, chosen by the document's `"method"`. Returns the
/// result and, for the FunnelPlotR method, the chart.
pub(crate) fn funnel_cmd(
    text: &str,
    chart: &ChartOptions,
) -> Result<(Value, Option<String>), CliError> {
    let method = read_tag(text, "method", &FUNNEL_METHODS, Some("funnelplotr"))?;
    if method == "phe" {
        let d: SignificanceInput = parse_tagged(text, "method")?;
        return Ok((to_json(&significance(&d).map_err(CliError::rule)?)?, None));
    }
    let d: FunnelInput = parse_tagged(text, "method")?;
    let f = funnel(&d).map_err(CliError::rule)?;
    let mut options = FunnelChart::new(
        chart
            .title
            .clone()
            .unwrap_or_else(|| "Funnel plot".to_owned()),
    );
    options.polarity = chart.polarity;
    let svg = render(&f, &options);
    Ok((to_json(&f)?, Some(svg)))
}

/// The statistics of `standardise`.
pub(crate) const STATISTICS: [&str; 4] = ["proportion", "rate", "ratio", "dsr"];

/// `standardise`: a proportion, a crude rate, an indirectly standardised ratio or a directly
/// standardised rate with its intervals, chosen by the document's `"kind"`.
pub(crate) fn standardise_cmd(text: &str) -> Result<Value, CliError> {
    let kind = read_tag(text, "kind", &STATISTICS, None)?;
    match kind.as_str() {
        "proportion" => {
            let d: ProportionInput = parse_tagged(text, "kind")?;
            to_json(&proportion(&d).map_err(CliError::rule)?)
        }
        "rate" => {
            let d: RateInput = parse_tagged(text, "kind")?;
            to_json(&crude_rate(&d).map_err(CliError::rule)?)
        }
        "ratio" => {
            let d: RatioInput = parse_tagged(text, "kind")?;
            to_json(&standardised_ratio(&d).map_err(CliError::rule)?)
        }
        _ => {
            let d: DsrInput = parse_tagged(text, "kind")?;
            to_json(&directly_standardised_rate(&d).map_err(CliError::rule)?)
        }
    }
}

/// `peers`: each unit's similar-k peers.
pub(crate) fn peers_cmd(text: &str) -> Result<Value, CliError> {
    let d: PeerInput = parse(text)?;
    crate::limits::PEER_UNITS.check("units", crate::limits::n(d.units.len()))?;
    to_json(&similar(&d).map_err(CliError::rule)?)
}

/// `opportunity`: an area against the Best n of its peers.
pub(crate) fn opportunity_cmd(text: &str) -> Result<Value, CliError> {
    let d: OpportunityInput = parse(text)?;
    to_json(&opportunity(&d).map_err(CliError::rule)?)
}

/// Tables in the order a reader checks them, for `--format table`.
pub(crate) mod tables {
    use serde_json::Value;
    use std::fmt::Write as _;

    use crate::io::escape_controls as safe;

    fn num(v: &Value, decimals: usize) -> String {
        match v.as_f64() {
            Some(x) => format!("{x:.decimals$}"),
            None => "—".to_owned(),
        }
    }

    fn text(v: &Value) -> String {
        match v {
            Value::String(s) => safe(s),
            Value::Bool(true) => "yes".to_owned(),
            Value::Bool(false) => "no".to_owned(),
            Value::Null => "—".to_owned(),
            other => safe(&other.to_string()),
        }
    }

    fn is_number(cell: &str) -> bool {
        cell.is_empty() || cell == "—" || cell.parse::<f64>().is_ok()
    }

    /// Aligned columns: numbers right-aligned, text left-aligned.
    fn grid(headers: &[&str], rows: &[Vec<String>]) -> String {
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let numeric: Vec<bool> = (0..headers.len())
            .map(|j| rows.iter().all(|r| r.get(j).is_none_or(|c| is_number(c))))
            .collect();
        let mut out = String::new();
        let line = |cells: Vec<String>, out: &mut String| {
            let parts: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    if numeric.get(i).copied().unwrap_or(false) {
                        format!("{c:>w$}")
                    } else {
                        format!("{c:<w$}")
                    }
                })
                .collect();
            let _ = writeln!(out, "  {}", parts.join("  ").trim_end());
        };
        line(headers.iter().map(|h| (*h).to_owned()).collect(), &mut out);
        line(widths.iter().map(|w| "-".repeat(*w)).collect(), &mut out);
        for row in rows {
            line(row.clone(), &mut out);
        }
        out
    }

    fn units(v: &Value) -> &[Value] {
        v.get("units")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// A funnel plot (either method) as a summary and one row per unit.
    pub(crate) fn funnel(v: &Value) -> String {
        let mut out = String::new();
        if v.get("phi").is_some() {
            let in_use = v["adjusted_in_use"].as_bool().unwrap_or(false);
            let _ = writeln!(out, "Funnel plot (FunnelPlotR method)");
            let _ = writeln!(
                out,
                "  target {}; {} of {} units in the overdispersion estimate ({})",
                num(&v["target"], 4),
                text(&v["n_retained"]),
                units(v).len(),
                text(&v["trim_kind"])
            );
            let _ = writeln!(
                out,
                "  phi {}, tau² {}; limits {}",
                num(&v["phi"], 4),
                num(&v["tau2"], 6),
                if in_use {
                    "adjusted for overdispersion"
                } else {
                    "not adjusted"
                }
            );
            let _ = writeln!(
                out,
                "  outside 95%: {}; outside 99.8%: {}\n",
                text(&v["outliers_95"]),
                text(&v["outliers_998"])
            );
            let key = if in_use {
                "limits_adjusted"
            } else {
                "limits_unadjusted"
            };
            let rows: Vec<Vec<String>> = units(v)
                .iter()
                .map(|u| {
                    let l = &u[key];
                    let flag = if u["outlier_998"].as_bool() == Some(true) {
                        "outside 99.8%"
                    } else if u["outlier_95"].as_bool() == Some(true) {
                        "outside 95%"
                    } else {
                        ""
                    };
                    vec![
                        text(&u["id"]),
                        num(&u["denominator"], 2),
                        num(&u["ratio"], 4),
                        num(&l["lower_998"], 4),
                        num(&l["lower_95"], 4),
                        num(&l["upper_95"], 4),
                        num(&l["upper_998"], 4),
                        num(&u["z"], 3),
                        num(&u["z_adjusted"], 3),
                        if u["trimmed"].as_bool() == Some(true) {
                            "yes".into()
                        } else {
                            String::new()
                        },
                        flag.to_owned(),
                    ]
                })
                .collect();
            out.push_str(&grid(
                &[
                    "unit",
                    "denominator",
                    "ratio",
                    "lower 99.8%",
                    "lower 95%",
                    "upper 95%",
                    "upper 99.8%",
                    "z",
                    "z adjusted",
                    "trimmed",
                    "flag",
                ],
                &rows,
            ));
        } else {
            let _ = writeln!(out, "Funnel significance (PHEindicatormethods method)");
            if let Some(avg) = v.get("average") {
                let _ = writeln!(out, "  average {}", num(avg, 4));
            }
            out.push('\n');
            let rows: Vec<Vec<String>> = units(v)
                .iter()
                .map(|u| {
                    vec![
                        text(&u["id"]),
                        num(&u["value"], 4),
                        num(&u["lower_998"], 4),
                        num(&u["lower_95"], 4),
                        num(&u["upper_95"], 4),
                        num(&u["upper_998"], 4),
                        text(&u["significance"]),
                    ]
                })
                .collect();
            out.push_str(&grid(
                &[
                    "unit",
                    "value",
                    "lower 99.8%",
                    "lower 95%",
                    "upper 95%",
                    "upper 99.8%",
                    "significance",
                ],
                &rows,
            ));
        }
        out
    }

    /// A standardised statistic: the value, then one row per level.
    pub(crate) fn standardise(v: &Value) -> String {
        let mut out = String::new();
        for (key, label) in [
            ("observed", "observed"),
            ("expected", "expected"),
            ("total_count", "events"),
            ("total_population", "population"),
            ("method", "interval method"),
            ("suppressed", "suppressed (fewer than 10 events)"),
        ] {
            if let Some(x) = v.get(key) {
                let shown = match x.as_f64() {
                    Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
                    Some(_) => num(x, 4),
                    None => text(x),
                };
                let _ = writeln!(out, "  {label}: {shown}");
            }
        }
        let _ = writeln!(out, "  value: {}\n", num(&v["value"], 4));
        let rows: Vec<Vec<String>> = v["intervals"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|i| {
                vec![
                    text(&i["confidence"]),
                    num(&i["lower"], 4),
                    num(&i["upper"], 4),
                ]
            })
            .collect();
        out.push_str(&grid(&["confidence", "lower", "upper"], &rows));
        out
    }

    /// Peer groups: one row per unit, its peers in order of similarity.
    pub(crate) fn peers(v: &Value) -> String {
        let rows: Vec<Vec<String>> = units(v)
            .iter()
            .map(|u| {
                let peers: Vec<String> = u["peers"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .zip(u["distances"].as_array().map_or(&[][..], Vec::as_slice))
                    .map(|(p, d)| format!("{} ({})", text(p), num(d, 2)))
                    .collect();
                vec![text(&u["id"]), peers.join(", ")]
            })
            .collect();
        let mut out = String::from("Most similar peers (weighted squared distance)\n\n");
        out.push_str(&grid(&["unit", "peers"], &rows));
        out
    }

    /// An opportunity: the benchmark, the gap and its interval.
    pub(crate) fn opportunity(v: &Value) -> String {
        let ids: Vec<String> = v["best_ids"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(text)
            .collect();
        let mut out = String::new();
        let _ = writeln!(out, "  best peers:        {}", ids.join(", "));
        let _ = writeln!(out, "  benchmark (mean):  {}", num(&v["best_mean"], 4));
        let _ = writeln!(out, "  gap:               {}", num(&v["gap"], 4));
        let _ = writeln!(out, "  actual:            {}", num(&v["actual"], 2));
        let _ = writeln!(
            out,
            "  at the benchmark:  {}",
            num(&v["expected_at_best"], 2)
        );
        let _ = writeln!(out, "  opportunity:       {}", num(&v["opportunity"], 2));
        if let Some(i) = v.get("interval") {
            let _ = writeln!(
                out,
                "  {} interval of the value {} to {}: opportunity {} to {}; {}",
                text(&i["confidence"]),
                num(&i["value_lower"], 4),
                num(&i["value_upper"], 4),
                num(&i["opportunity_lower"], 2),
                num(&i["opportunity_upper"], 2),
                if i["significant"].as_bool() == Some(true) {
                    "worse than the benchmark beyond chance"
                } else {
                    "not distinguishable from the benchmark by chance alone"
                }
            );
        }
        out
    }
}
