//! Step 1 and the cells of step 2: the text split into a header and records, and each cell
//! read by its column's kind.

use commissioning::model::Money;
use commissioning::model::period::parse_spreadsheet_date;
use serde_json::{Number, Value};

use super::spec::Cell;
use commissioning::document::DocumentError;

/// A table's header, and a reader of its records.
pub(crate) struct Table<'a> {
    /// The file's name as given, for messages.
    pub file: String,
    /// The header's cells, as written.
    pub headers: Vec<String>,
    /// Values read as given that may not be what was meant (an ignored column, a total row).
    pub warnings: Vec<commissioning::document::Warning>,
    /// Whether numbers are written with a decimal comma (a `;`-separated export).
    decimal_comma: bool,
    reader: csv::Reader<&'a [u8]>,
}

/// Step 1: finds the separator and reads the header; the records are read one at a time by
/// [`Table::each_record`].
pub(super) fn read_table<'a>(file: &str, text: &'a str) -> Result<Table<'a>, DocumentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let (tabs, commas) = (first.matches('\t').count(), first.matches(',').count());
    let semicolons = first.matches(';').count();
    // Excel writes `;` where the decimal separator is a comma: its numbers have decimal commas.
    let delimiter = if file.to_ascii_lowercase().ends_with(".tsv") || tabs > commas.max(semicolons)
    {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad_record(file, &e))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(DocumentError::input(
            format!("{file}:1"),
            "expected a header row naming the columns",
        ));
    }
    Ok(Table {
        file: file.to_owned(),
        headers,
        warnings: Vec::new(),
        decimal_comma: delimiter == b';',
        reader,
    })
}

/// A record the CSV reader refuses, at its line.
fn bad_record(file: &str, e: &csv::Error) -> DocumentError {
    let line = e.position().map_or(0, csv::Position::line);
    let what = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} cells where the header has {expected_len}"),
        _ => e.to_string(),
    };
    DocumentError::input(format!("{file}:{line}"), what)
}

impl Table<'_> {
    /// Calls `f` with each record that is not blank and the line it starts on, one record at a
    /// time (nothing but the current record is held), and returns how many there were. The
    /// table is refused once its cells pass the limit, and when it has no rows.
    pub(super) fn each_record(
        &mut self,
        mut f: impl FnMut(u64, &csv::StringRecord) -> Result<(), DocumentError>,
    ) -> Result<usize, DocumentError> {
        let width = commissioning::document::limits::n(self.headers.len());
        // Read once: the environment is not looked up again for every record.
        let most_cells = commissioning::document::limits::TABLE_CELLS.value();
        let mut record = csv::StringRecord::new();
        let mut count = 0usize;
        while self
            .reader
            .read_record(&mut record)
            .map_err(|e| bad_record(&self.file, &e))?
        {
            // Cells are trimmed as they are read (`str::trim`, what the reader's own trimming
            // does, without copying the record).
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            // Each cell becomes a value of the document: the table is refused before it
            // grows beyond the limit, not after.
            count = count.saturating_add(1);
            let cells = commissioning::document::limits::n(count).saturating_mul(width);
            if cells > most_cells {
                commissioning::document::limits::TABLE_CELLS.check(&self.file, cells)?;
            }
            let line = record.position().map_or(0, csv::Position::line);
            if self.decimal_comma && record.iter().any(|c| decimal_comma(c).is_some()) {
                let converted: csv::StringRecord = record
                    .iter()
                    .map(|c| decimal_comma(c).unwrap_or_else(|| c.to_owned()))
                    .collect();
                f(line, &converted)?;
                continue;
            }
            f(line, &record)?;
        }
        if count == 0 {
            return Err(DocumentError::input(
                format!("{}:2", self.file),
                "the table has a header but no rows",
            ));
        }
        Ok(count)
    }
}

/// A number written with a decimal comma (`57,2`, `£1.234,56`, `12,5%`) in decimal-point
/// notation (`57.2`, `£1234.56`, `12.5%`); `None` for any other cell, which is read as it is.
fn decimal_comma(cell: &str) -> Option<String> {
    let t = cell.trim();
    let body = t
        .trim_start_matches(['-', '+'])
        .trim_start_matches('£')
        .trim_start();
    let body = body.strip_suffix('%').unwrap_or(body);
    let (whole, fraction) = body.rsplit_once(',')?;
    let whole_ok = !whole.is_empty()
        && whole
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ' ' || c == '\u{a0}');
    if !whole_ok || fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // `.` and spaces group thousands in this notation.
    let plain: String = t
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    Some(plain)
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
) -> Result<Value, DocumentError> {
    let bad = || DocumentError::input(at(), format!("expected {}, got {text:?}", cell.expected()));
    match cell {
        Cell::Text | Cell::Decimal | Cell::Label => Ok(Value::String(text.to_owned())),
        Cell::Code => Ok(Value::String(code(text))),
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

/// Step 2, one cell written straight into the document's JSON text (for tables whose rows are
/// plain records), or the error at `file:line:header`.
pub(super) fn write_cell(
    out: &mut String,
    cell: Cell,
    text: &str,
    at: &dyn Fn() -> String,
) -> Result<(), DocumentError> {
    use std::fmt::Write as _;
    let bad = || DocumentError::input(at(), format!("expected {}, got {text:?}", cell.expected()));
    match cell {
        Cell::Text | Cell::Decimal | Cell::Label => json_string(out, text),
        Cell::Code => json_string(out, &code(text)),
        Cell::Date => {
            let d = parse_spreadsheet_date("date", text).map_err(|_| bad())?;
            let _ = write!(out, "\"{}\"", d.format("%Y-%m-%d"));
        }
        Cell::Money => {
            let m = Money::parse_field("amount", text).map_err(|_| bad())?;
            let _ = write!(out, "\"{}\"", m.amount());
        }
        Cell::Number => {
            let n = number(text).ok_or_else(bad)?;
            let _ = write!(out, "{n}");
        }
        Cell::NumberOrText => match number(text) {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => json_string(out, text),
        },
    }
    Ok(())
}

/// A code word as the document spells it: lower case, spaces and hyphens as underscores
/// (`Day case` → `day_case`, `Follow-up` → `follow_up`).
fn code(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// `text` as a JSON string.
pub(super) fn json_string(out: &mut String, text: &str) {
    use std::fmt::Write as _;
    out.push('"');
    let mut rest = text;
    // The characters to escape are ASCII, so each is found by its byte and the text between
    // them copied whole.
    while let Some(at) = rest
        .bytes()
        .position(|b| b == b'"' || b == b'\\' || b < 0x20)
    {
        let (plain, tail) = rest.split_at_checked(at).unwrap_or((rest, ""));
        out.push_str(plain);
        let mut chars = tail.chars();
        match chars.next() {
            Some('"') => out.push_str("\\\""),
            Some('\\') => out.push_str("\\\\"),
            Some(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out.push('"');
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_commas_are_read_as_decimal_points() {
        assert_eq!(decimal_comma("57,2").as_deref(), Some("57.2"));
        assert_eq!(decimal_comma("£1.234,56").as_deref(), Some("£1234.56"));
        assert_eq!(decimal_comma("-12,5%").as_deref(), Some("-12.5%"));
        assert_eq!(decimal_comma("1 234,5").as_deref(), Some("1234.5"));
        for other in ["57", "57.2", "Leeds, St James", "RWY", ",5", "5,"] {
            assert_eq!(decimal_comma(other), None, "{other}");
        }
    }

    #[test]
    fn a_cell_is_written_as_a_json_string_that_reads_back_as_itself() {
        for text in [
            "",
            "plain",
            "say \"hello\"",
            "C:\\path\\",
            "tab\there, line\nthere\r, bell\u{7}",
            "£1,234 – café ✓",
            "\"",
            "\\",
            "\u{0}\u{1f}",
            "ends with a quote\"",
        ] {
            let mut out = String::from("[");
            json_string(&mut out, text);
            out.push(']');
            let back: Vec<String> = serde_json::from_str(&out).unwrap();
            assert_eq!(back, [text], "{out}");
        }
    }
}
