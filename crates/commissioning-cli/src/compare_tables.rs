//! Tables of the comparison results in the order a reader checks them, for `--format table`.

use serde_json::Value;
use std::fmt::Write as _;

use commissioning::document::escape_controls as safe;

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
