//! Step 1 and the cells of step 2: the text split into a header and records, and each cell
//! read by its column's kind.

use commissioning::model::Money;
use commissioning::model::period::parse_spreadsheet_date;
use serde_json::{Number, Value};

use super::spec::Cell;
use crate::io::CliError;

/// A table's header and records, with the line each record starts on.
pub(crate) struct Table {
    /// The file's name as given, for messages.
    pub file: String,
    /// The header's cells, as written.
    pub headers: Vec<String>,
    /// The records that are not blank, with the line each starts on.
    pub records: Vec<(u64, csv::StringRecord)>,
}

/// Step 1: splits the text into its header and records.
pub(super) fn read_table(file: &str, text: &str) -> Result<Table, CliError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let tabs = first.matches('\t').count();
    let delimiter =
        if file.to_ascii_lowercase().ends_with(".tsv") || tabs > first.matches(',').count() {
            b'\t'
        } else {
            b','
        };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let bad = |e: &csv::Error| {
        let line = e.position().map_or(0, csv::Position::line);
        let what = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("has {len} cells where the header has {expected_len}"),
            _ => e.to_string(),
        };
        CliError::input(format!("{file}:{line}"), what)
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(&e))?
        .iter()
        .map(str::to_owned)
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(CliError::input(
            format!("{file}:1"),
            "expected a header row naming the columns",
        ));
    }
    let mut records = Vec::new();
    let width = crate::limits::n(headers.len());
    for record in reader.records() {
        let record = record.map_err(|e| bad(&e))?;
        // Each cell becomes a value of the document: the table is refused before it grows
        // beyond the limit, not after.
        crate::limits::TABLE_CELLS.check(
            file,
            crate::limits::n(records.len())
                .saturating_add(1)
                .saturating_mul(width),
        )?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map_or(0, csv::Position::line);
        records.push((line, record));
    }
    if records.is_empty() {
        return Err(CliError::input(
            format!("{file}:2"),
            "the table has a header but no rows",
        ));
    }
    Ok(Table {
        file: file.to_owned(),
        headers,
        records,
    })
}

/// A header as compared: lower case, with spaces and hyphens as underscores.
pub(super) fn canonical(header: &str) -> String {
    header
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Step 2, one cell: its text read as `cell` kind, or the error at `file:line:header`.
pub(super) fn read_cell(
    cell: Cell,
    text: &str,
    at: &dyn Fn() -> String,
) -> Result<Value, CliError> {
    let bad = || CliError::input(at(), format!("expected {}, got {text:?}", cell.expected()));
    match cell {
        Cell::Text | Cell::Decimal | Cell::Label => Ok(Value::String(text.to_owned())),
        Cell::Date => parse_spreadsheet_date("date", text)
            .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| bad()),
        Cell::Money => Money::parse_field("amount", text)
            .map(|m| Value::String(m.amount().to_string()))
            .map_err(|_| bad()),
        Cell::Number => number(text).map(Value::Number).ok_or_else(bad),
        Cell::NumberOrText => {
            Ok(number(text).map_or_else(|| Value::String(text.into()), Value::Number))
        }
    }
}

/// A number as spreadsheets write it: `1234.5`, `1,234.5`, `-3`, `1e-3`, or `5%` (0.05, the
/// decimal point moved exactly before the one rounding to binary).
pub(super) fn number(text: &str) -> Option<Number> {
    let (body, percent) = match text.strip_suffix('%') {
        Some(b) => (b.trim_end(), true),
        None => (text, false),
    };
    let plain: String = if body.contains(',') {
        let digits = body.strip_prefix('-').unwrap_or(body);
        let int = digits.split('.').next().unwrap_or("");
        let grouped = int.split(',').enumerate().all(|(i, g)| {
            (if i == 0 {
                (1..=3).contains(&g.len())
            } else {
                g.len() == 3
            }) && g.bytes().all(|b| b.is_ascii_digit())
        });
        if !grouped {
            return None;
        }
        body.replace(',', "")
    } else {
        body.to_owned()
    };
    if plain.is_empty()
        || !plain
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    let x: f64 = if percent {
        let d = commissioning::model::decimal::parse_decimal("value", &plain).ok()?;
        let fraction = d.checked_div(commissioning::model::Decimal::ONE_HUNDRED)?;
        fraction.to_string().parse().ok()?
    } else {
        plain.parse().ok()?
    };
    Number::from_f64(x)
}
