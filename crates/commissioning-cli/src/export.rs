//! `--format csv`: a result's main table as CSV, to go straight back into a workbook.
//!
//! The table is the result itself when it is a list of records, or else its main list (the
//! settlement's split between the parties, the SPC points, the frontier's strategies, the
//! ranked options, the budget lines with their total, …), as [`tabular::arrange`] lays it out.
//! A result with no list is written as `field,value` rows. Nested fields become columns named
//! with dots (`interval.lower`); lists of numbers become one column each (`values.1`,
//! `values.2`, or by criterion where the result names them). Money is written as exact decimal
//! text (`1234.56`) and fractions as decimals (`0.125`), so that a workbook reads numbers.
//!
//! [`tabular::arrange`]: crate::tabular::arrange

use serde_json::{Map, Value};

use commissioning::document::DocumentError;

/// The lists taken as a result's main table, in order of preference.
const MAIN_LISTS: [&str; 18] = [
    "split",
    "points",
    "rows",
    "options",
    "alternatives",
    "lines",
    "assessments",
    "units",
    "years",
    "tornado",
    "grid",
    "intervals",
    "programmes",
    "crossovers",
    "issues",
    "summary",
    "steps",
    "left_out",
];

fn is_records(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_object))
}

/// The records of a result's main table.
fn records(v: &Value) -> Vec<Value> {
    if is_records(v) {
        return v.as_array().cloned().unwrap_or_default();
    }
    let Some(obj) = v.as_object() else {
        return vec![single("value", v)];
    };
    let chosen = MAIN_LISTS
        .iter()
        .filter_map(|k| obj.get(*k))
        .find(|x| is_records(x))
        .or_else(|| {
            obj.values()
                .filter(|x| is_records(x))
                .max_by_key(|x| x.as_array().map_or(0, Vec::len))
        });
    match chosen {
        Some(list) => {
            let mut rows = list.as_array().cloned().unwrap_or_default();
            // A list of lines with a total: the total as the last line.
            if let Some(total) = obj.get("total").filter(|t| t.is_object())
                && obj.get("lines").is_some_and(|l| std::ptr::eq(l, list))
            {
                rows.push(total.clone());
            }
            rows
        }
        None => {
            let mut flat = Map::new();
            flatten("", v, &mut flat);
            flat.into_iter().map(|(k, x)| single(&k, &x)).collect()
        }
    }
}

/// A `field,value` record.
fn single(field: &str, v: &Value) -> Value {
    let mut m = Map::new();
    m.insert("field".into(), Value::String(field.to_owned()));
    m.insert("value".into(), v.clone());
    Value::Object(m)
}

/// Nested objects as dotted columns; lists of scalars as one column each.
fn flatten(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    let name = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                flatten(&name(k), x, out);
            }
        }
        Value::Array(a)
            if a.iter().all(|x| !x.is_object() && !x.is_array()) && !prefix.is_empty() =>
        {
            for (i, x) in (1..).zip(a) {
                out.insert(format!("{prefix}.{i}"), x.clone());
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

/// A cell's text: strings as they are (neutralised where a spreadsheet would run them as a
/// formula), numbers in their shortest exact form, nothing for null.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => inert(s),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Text that a spreadsheet would take for a formula — starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (OWASP's CSV injection guidance) — with a `'` in front, so that it
/// shows as the text it is. A number written as text (`-12.50`, `+4.2%`) is left alone: it
/// is a value, not a formula.
fn inert(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = s
        .trim_end_matches('%')
        .trim_start_matches(['+', '-'])
        .trim_start_matches('£')
        .replace(',', "")
        .parse::<f64>()
        .is_ok_and(f64::is_finite);
    if risky && !number {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The result of `command` (already arranged) as CSV text.
pub(crate) fn csv(v: &Value) -> Result<String, DocumentError> {
    let rows: Vec<Map<String, Value>> = records(v)
        .iter()
        .map(|r| {
            let mut flat = Map::new();
            match r {
                Value::Object(m) => {
                    for (k, x) in m {
                        flatten(k, x, &mut flat);
                    }
                }
                other => flatten("value", other, &mut flat),
            }
            flat
        })
        .collect();
    let mut columns: Vec<&String> = Vec::new();
    for r in &rows {
        for k in r.keys() {
            if !columns.contains(&k) {
                columns.push(k);
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| DocumentError::Io(format!("cannot write the CSV: {e}"));
    w.write_record(columns.iter().map(|c| inert(c)))
        .map_err(fail)?;
    for r in &rows {
        w.write_record(
            columns
                .iter()
                .map(|c| r.get(*c).map(cell).unwrap_or_default()),
        )
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| DocumentError::Io(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| DocumentError::Io(format!("cannot write the CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_shown_as_text_and_numbers_are_left_alone() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+SUM(A1)",
            "-cmd|' /C calc'!A0",
            "@SUM(1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(inert(formula), format!("'{formula}"));
        }
        for plain in ["RWY", "-12.50", "+4.2%", "-£1,234.56", "12", "", "a=b"] {
            assert_eq!(inert(plain), plain);
        }
    }
}
