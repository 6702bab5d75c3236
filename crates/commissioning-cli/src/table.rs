//! `--format table`: any result as aligned, human-readable text.
//!
//! Objects print as `key: value` lines, lists of objects as aligned tables, nested objects as
//! indented sections. Amounts of money (decimal strings under money keys such as `cost`,
//! `transfer` or `value`) print as `£1,234.56`; fractions under keys such as `rate`, `share` or
//! `variance_fraction` print as percentages with their sign (`+12.5%`).

use commissioning::model::{Money, Rate};
use serde_json::{Map, Value};
use std::fmt::Write as _;

const MONEY_KEYS: [&str; 64] = [
    "annual",
    "reserves",
    "unpaid",
    "overspend",
    "underspend",
    "underspends",
    "used",
    "shares",
    "residual",
    "totals",
    "unallocated",
    "returned",
    "pot",
    "unearned",
    "element",
    "adjustments",
    "threshold_applied",
    "deduction",
    "earned",
    "reimbursement",
    "retained",
    "attachment",
    "indicator_values",
    "from",
    "to",
    "portion",
    "before",
    "after",
    "cost",
    "amount",
    "transfer",
    "price",
    "payment",
    "fixed",
    "variable",
    "budget",
    "value",
    "target",
    "outturn",
    "spend",
    "total",
    "gross_share",
    "paid",
    "due",
    "carried_in",
    "carried_out",
    "forfeited",
    "cumulative",
    "consequence",
    "consequences",
    "inc_cost",
    "planned",
    "actual",
    "variance",
    "volume",
    "mix",
    "budget_left",
    "month_plan",
    "month_actual",
    "ytd_plan",
    "ytd_actual",
    "annual_plan",
    "forecast",
    "recurrent_change",
];

const QUANTITY_CONTEXTS: [&str; 4] = ["in_month", "year_to_date", "forecast", "effects"];

fn is_money_key(key: &str, context: &[String]) -> bool {
    if is_fraction_for(key, context) {
        return false;
    }
    // A KPI's value is a measurement against its threshold (a percentage, minutes), not money.
    if key == "value" && context.iter().any(|c| c == "assessments") {
        return false;
    }
    if context
        .iter()
        .any(|c| QUANTITY_CONTEXTS.contains(&c.as_str()))
        && matches!(key, "planned" | "actual" | "variance")
    {
        return false;
    }
    MONEY_KEYS
        .iter()
        .any(|k| key == *k || key.ends_with(&format!("_{k}")) || key.starts_with(&format!("{k}_")))
        && !key.contains("fraction")
        && !key.ends_with("activity")
}

/// Keys that are shares of a whole under one command (the first element of the context),
/// though the same words are amounts elsewhere.
const FRACTIONS_BY_COMMAND: [(&str, &[&str]); 1] = [(
    "concentration",
    &["cumulative", "target", "a_limit", "b_limit"],
)];

fn is_fraction_for(key: &str, context: &[String]) -> bool {
    context.first().is_some_and(|command| {
        FRACTIONS_BY_COMMAND
            .iter()
            .any(|(c, keys)| c == command && keys.contains(&key))
    })
}

fn is_fraction_key(key: &str, context: &[String]) -> bool {
    if is_fraction_for(key, context) {
        return true;
    }
    // A forecast run rate is the year's amount at the run rate, not a rate.
    key != "gross_share"
        && !key.starts_with("forecast")
        && (key.ends_with("fraction")
            || key.ends_with("rate")
            || key.ends_with("share")
            || key.starts_with("share_"))
}

/// Keys of amounts in pounds that the libraries compute in binary floating point (net
/// monetary benefit, ICERs, willingness-to-pay thresholds): shown as money to the penny.
const FLOAT_MONEY_KEYS: [&str; 13] = [
    "nmb",
    "cost",
    "icer",
    "threshold",
    "wtp",
    "lambda",
    "cost_per_qaly",
    "evpi",
    "population_evpi",
    "expected_loss",
    "mean_cost",
    "inc_cost",
    "max_cost_per_benefit",
];

/// Keys whose values are codes (`special_cause_concern`), shown in words.
const CODE_KEYS: [&str; 16] = [
    "mechanism",
    "rule",
    "rules",
    "point_type",
    "variation",
    "assurance",
    "side",
    "role",
    "kind",
    "rag",
    "action",
    "flag",
    "trim_kind",
    "polarity",
    "direction",
    "significance",
];

/// An amount in pounds computed in floating point, to the penny (`£12,500.00`).
fn float_money(x: f64) -> String {
    format!("{x:.2}")
        .parse::<Money>()
        .map_or_else(|_| format_float(x), |m| m.to_string())
}

/// `v` as the capability named first in `context` declares its field `key` is shown, if it
/// declares it.
fn declared(key: &str, v: &Value, context: &[String]) -> Option<String> {
    use commissioning::document::{Capability, Kind};
    let kind = Capability::named(context.first()?).ok()?.kind_of(key)?;
    let x = v.as_f64();
    Some(match (kind, x) {
        (Kind::Money, Some(x)) => float_money(x),
        (Kind::Share, Some(x)) => format!("{}%", format_float(x * 100.0)),
        (Kind::Count, Some(x)) => format!("{x:.0}"),
        (Kind::Ratio, Some(x)) => format_float(x),
        _ => return None,
    })
}

fn scalar(key: &str, v: &Value, context: &[String]) -> String {
    if let Some(shown) = declared(key, v, context) {
        return shown;
    }
    match v {
        Value::Null => "—".to_owned(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if FLOAT_MONEY_KEYS.contains(&key) && !is_fraction_for(key, context) => {
                float_money(x)
            }
            Some(x) if n.is_f64() => format_float(x),
            _ => n.to_string(),
        },
        Value::String(s)
            if CODE_KEYS.contains(&key)
                && s.contains('_')
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
        {
            s.replace('_', " ")
        }
        Value::String(s) => {
            if is_fraction_key(key, context)
                && let Ok(r) = s.parse::<Rate>()
            {
                let shown = r.to_string();
                return if r.fraction().is_sign_positive()
                    && !r.fraction().is_zero()
                    && key.contains("variance")
                {
                    format!("+{shown}")
                } else {
                    shown
                };
            }
            if is_money_key(key, context)
                && let Ok(m) = s.parse::<Money>()
            {
                return m.round_pence().to_string();
            }
            s.clone()
        }
        Value::Array(a) => a
            .iter()
            .map(|x| scalar(key, x, context))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(m) if is_simple(v) => match (m.len(), m.get("kind")) {
            (1, Some(kind)) => scalar("kind", kind, context),
            _ => m
                .iter()
                .map(|(k, x)| format!("{k} {}", scalar(k, x, context)))
                .collect::<Vec<_>>()
                .join(", "),
        },
        Value::Object(_) => "…".to_owned(),
    }
}

/// A value formatted for a reader as the tables format it (money as £ and pence, fractions as
/// percentages, codes in words), for `key` in `context` (the command, then the enclosing
/// fields).
pub(crate) fn cell(key: &str, v: &Value, context: &[String]) -> String {
    scalar(key, v, context)
}

/// Whether a formatted cell reads as a number (aligned right).
pub(crate) fn is_numeric(s: &str) -> bool {
    s.starts_with('£') || s.starts_with("-£") || s.ends_with('%') || s.parse::<f64>().is_ok()
}

fn format_float(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e9 || x.abs() < 1e-4) {
        format!("{x:.6e}")
    } else {
        let s = format!("{x:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_owned()
    }
}

/// An object whose values are all scalars prints inline.
fn is_simple(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.values().all(|x| !x.is_object() && !x.is_array()))
}

fn is_flat(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().all(|x| {
            (!x.is_object() || is_simple(x))
                && !x.as_array().is_some_and(|a| a.iter().any(Value::is_object))
                && !is_text_list(x)
        }),
        _ => true,
    }
}

/// A list of strings long enough to read better one per line.
fn is_text_list(v: &Value) -> bool {
    v.as_array().is_some_and(|a| {
        a.len() > 1
            && a.iter().all(Value::is_string)
            && a.iter()
                .map(|x| x.as_str().map_or(0, str::len))
                .sum::<usize>()
                > 80
    })
}

fn table(rows: &[Value], key: &str, context: &[String], out: &mut String, indent: usize) {
    let mut columns: Vec<String> = Vec::new();
    for r in rows {
        if let Some(m) = r.as_object() {
            for k in m.keys() {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    let mut ctx = context.to_vec();
    ctx.push(key.to_owned());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.get(c).map_or_else(String::new, |v| scalar(c, v, &ctx)))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|row| row.get(i).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
                .max(c.chars().count())
        })
        .collect();
    let pad = " ".repeat(indent);
    let line = |cols: &[String], out: &mut String| {
        let parts: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|(s, w)| {
                let fill = w.saturating_sub(s.chars().count());
                if s.starts_with('£')
                    || s.starts_with("-£")
                    || s.ends_with('%')
                    || s.parse::<f64>().is_ok()
                {
                    format!("{}{s}", " ".repeat(fill))
                } else {
                    format!("{s}{}", " ".repeat(fill))
                }
            })
            .collect();
        let _ = writeln!(out, "{pad}{}", parts.join("  ").trim_end());
    };
    line(&columns, out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&rule, out);
    for row in &cells {
        line(row, out);
    }
}

fn object(m: &Map<String, Value>, context: &[String], out: &mut String, indent: usize) {
    let pad = " ".repeat(indent);
    let inline = |v: &Value| (!v.is_object() || is_simple(v)) && !is_table(v) && !is_text_list(v);
    let width = m
        .iter()
        .filter(|(_, v)| inline(v))
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in m {
        if !inline(v) {
            continue;
        }
        let _ = writeln!(out, "{pad}{k:<width$}  {}", scalar(k, v, context));
    }
    for (k, v) in m {
        let mut ctx = context.to_vec();
        match v {
            Value::Array(lines) if is_text_list(v) => {
                let _ = writeln!(out, "\n{pad}{k}:");
                for l in lines {
                    let _ = writeln!(out, "{pad}  {}", l.as_str().unwrap_or_default());
                }
            }
            Value::Object(inner) if !is_simple(v) => {
                let _ = writeln!(out, "\n{pad}{k}:");
                ctx.push(k.clone());
                object(inner, &ctx, out, indent.saturating_add(2));
            }
            Value::Array(rows) if is_table(v) => {
                let _ = writeln!(out, "\n{pad}{k}:");
                if rows.iter().all(is_flat) {
                    table(rows, k, context, out, indent.saturating_add(2));
                } else {
                    ctx.push(k.clone());
                    for (i, r) in rows.iter().enumerate() {
                        let _ = writeln!(out, "{pad}  [{}]", i.saturating_add(1));
                        if let Some(inner) = r.as_object() {
                            object(inner, &ctx, out, indent.saturating_add(4));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_table(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_object))
}

/// A copy of a value with every control character in its strings and keys escaped, so that
/// text from a document (an id with an escape sequence or a newline) cannot drive the terminal
/// or forge a row.
fn sanitise(v: &Value) -> Value {
    let safe = commissioning::document::escape_controls;
    match v {
        Value::String(s) => Value::String(safe(s)),
        Value::Array(a) => Value::Array(a.iter().map(sanitise).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (safe(k), sanitise(x))).collect()),
        other => other.clone(),
    }
}

/// Renders a command's result as text: the command's name roots the context, for the words
/// whose meaning depends on it.
pub(crate) fn render_for(command: &str, v: &Value) -> String {
    let root = [command.to_owned()];
    let root: &[String] = if command.is_empty() { &[] } else { &root };
    let v = &sanitise(v);
    let mut out = String::new();
    match v {
        Value::Object(m) => object(m, root, &mut out, 0),
        Value::Array(rows) if is_table(v) => {
            if rows.iter().all(is_flat) {
                table(rows, "", root, &mut out, 0);
            } else {
                for (i, r) in rows.iter().enumerate() {
                    let _ = writeln!(out, "[{}]", i.saturating_add(1));
                    if let Some(m) = r.as_object() {
                        object(m, root, &mut out, 2);
                    }
                    out.push('\n');
                }
            }
        }
        other => {
            let _ = writeln!(out, "{}", scalar("", other, root));
        }
    }
    out
}
