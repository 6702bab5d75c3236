//! Spreadsheet input: a CSV (or tab-separated) export becomes the table at the heart of a
//! subcommand's document, and the settings that are not tabular come from a small JSON
//! document (`--settings`) or from flags (`--set field=value`).
//!
//! The reading runs in four steps, one function each:
//!
//! 1. [`read_table`]: the text is split into a header and records by the `csv` crate (a UTF-8
//!    byte-order mark dropped, comma or tab found from the header line, CRLF accepted);
//! 2. [`Spec::rows`]: each record's cells are read by their column's kind (numbers with
//!    thousands separators or `%`, money in every spreadsheet spelling, UK or ISO dates) into
//!    the document's rows, naming `file:line:column` for a bad cell;
//! 3. [`settings`]: the settings document and the `--set` flags are merged;
//! 4. the rows are put in their field and the whole document goes through the same typed
//!    reading as a JSON document, with [`Source::locate`] turning the path of any error inside
//!    the table back into the file's line and column.

use std::collections::HashMap;
use std::io::Read;

use commissioning::model::Money;
use commissioning::model::period::parse_spreadsheet_date;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::io::{CliError, read};

/// The spreadsheet options shared by every subcommand that reads a table.
#[derive(clap::Args, Default, Clone)]
pub(crate) struct SheetArgs {
    /// A JSON document with the settings that are not in the table (CSV input only).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<String>,
    /// Set one setting, as `field=value` or `part.field=value` (CSV input only); the value is
    /// read as JSON when it is valid JSON, otherwise as text. May be repeated.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// How to read the input: by default a path ending in .csv or .tsv is a table and anything
    /// else (including standard input) a JSON document.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
}

/// Criteria given by flags, for a table with a column per criterion (`score`, `topsis`,
/// `sensitivity`).
#[derive(clap::Args, Default, Clone)]
pub(crate) struct CriteriaArgs {
    /// A criterion's weight, as `NAME=WEIGHT` (CSV input; every criterion weighs 1 unless
    /// given). May be repeated.
    #[arg(long = "weight", value_name = "NAME=WEIGHT")]
    pub weight: Vec<String>,
    /// A criterion where less is better, such as cost (CSV input). May be repeated.
    #[arg(long = "lower-is-better", value_name = "NAME")]
    pub lower_is_better: Vec<String>,
}

/// How an input is read.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputFormat {
    /// A JSON document.
    Json,
    /// A table with a header row, separated by commas or tabs.
    Csv,
}

/// How one column's cells are read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Cell {
    /// Text, as written (trimmed).
    Text,
    /// A number: `1234.5`, `1,234.5`, `-3`, or a percentage `5%` (read as 0.05).
    Number,
    /// A number where one is written, otherwise a category name (MCDA performance).
    NumberOrText,
    /// An amount of money: `1234.56`, `£1234.56`, `1,234.56`, `£1,234.56`, `(£1,234.56)`.
    Money,
    /// An exact decimal kept as text for the library to read (`82.5`, `5%`).
    Decimal,
    /// A date: `DD/MM/YYYY` or `YYYY-MM-DD`.
    Date,
}

impl Cell {
    fn expected(self) -> &'static str {
        match self {
            Self::Text | Self::NumberOrText => "text",
            Self::Number => "a number",
            Self::Money => "an amount of money such as 1234.56 or £1,234.56",
            Self::Decimal => "an exact decimal such as 82.5 or 5%",
            Self::Date => "a date written DD/MM/YYYY or YYYY-MM-DD",
        }
    }
}

/// A column a table may have.
pub(crate) struct Column {
    /// The document's field name, which is also the header users write.
    pub name: &'static str,
    /// Other headers accepted for it (compared without case, spaces or hyphens).
    pub aliases: &'static [&'static str],
    /// How its cells are read.
    pub cell: Cell,
    /// Whether every table must have it.
    pub required: bool,
}

const fn col(name: &'static str, aliases: &'static [&'static str], cell: Cell) -> Column {
    Column {
        name,
        aliases,
        cell,
        required: true,
    }
}

const fn optional(name: &'static str, aliases: &'static [&'static str], cell: Cell) -> Column {
    Column {
        name,
        aliases,
        cell,
        required: false,
    }
}

/// Headers accepted for an identifier column.
const ID: &[&str] = &[
    "name",
    "code",
    "option",
    "alternative",
    "strategy",
    "intervention",
    "candidate",
    "scheme",
    "service",
    "line",
    "item",
    "unit",
    "provider",
    "trust",
    "practice",
    "area",
    "place",
    "ods_code",
    "org_code",
];

/// Where a table's rows go in the document.
pub(crate) enum Shape {
    /// One object per row in `field`.
    Rows {
        /// The document's field.
        field: &'static str,
    },
    /// One object per row in `field`, and the columns not named in the spec gathered, in
    /// header order, into each row's `vector`; their headers are written to `names` in the
    /// settings when the settings do not give them.
    Vector {
        /// The document's field.
        field: &'static str,
        /// The row's list of values.
        vector: &'static str,
        /// Where the column names go (`variables` for peers), if anywhere.
        names: Option<&'static str>,
        /// How the gathered cells are read.
        cell: Cell,
    },
    /// TOPSIS: `matrix` of the columns not named, `alternatives` from the id column.
    Matrix,
    /// Monthly budget lines: one row per line and month, grouped into `lines` with `plan` and
    /// `actual` lists in month order.
    Monthly,
    /// KPI observations: one row per requirement and period, added to the settings' `series`
    /// whose requirement has that id.
    Observations,
}

/// What a subcommand's table looks like.
pub(crate) struct Spec {
    /// The subcommand, for messages.
    pub command: &'static str,
    /// The columns it names.
    pub columns: &'static [Column],
    /// Where the rows go.
    pub shape: Shape,
}

/// The tables each subcommand reads, by subcommand (and by `kind` where one subcommand reads
/// several shapes).
pub(crate) mod specs {
    use super::{Cell, ID, Shape, Spec, col, optional};

    /// `spc`: a date (optional) and a value per row.
    pub(crate) const SPC: Spec = Spec {
        command: "spc",
        columns: &[
            optional("date", &["period", "month", "week", "day"], Cell::Date),
            col("value", &["y", "count", "rate", "measure"], Cell::Number),
        ],
        shape: Shape::Rows { field: "values" },
    };

    /// `frontier`: a strategy's cost and effect per row.
    pub(crate) const FRONTIER: Spec = Spec {
        command: "frontier",
        columns: &[
            col("id", ID, Cell::Text),
            col("cost", &["costs"], Cell::Money),
            col(
                "effect",
                &["effects", "qalys", "qaly", "outcome", "benefit"],
                Cell::Number,
            ),
        ],
        shape: Shape::Rows {
            field: "strategies",
        },
    };

    /// `concentration`: spend per service.
    pub(crate) const CONCENTRATION: Spec = Spec {
        command: "concentration",
        columns: &[
            col("id", ID, Cell::Text),
            col("amount", &["spend", "cost", "value", "expenditure"], Cell::Money),
        ],
        shape: Shape::Rows { field: "spend" },
    };

    /// `select`: candidate investments and disinvestments.
    pub(crate) const SELECT: Spec = Spec {
        command: "select",
        columns: &[
            col("id", ID, Cell::Text),
            col("cost", &["costs"], Cell::Money),
            col("benefit", &["effect", "qalys", "value"], Cell::Number),
            optional("group", &["groups"], Cell::Text),
        ],
        shape: Shape::Rows {
            field: "candidates",
        },
    };

    /// `score`: an option per row, a criterion per other column.
    pub(crate) const SCORE: Spec = Spec {
        command: "score",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Vector {
            field: "options",
            vector: "performance",
            names: None,
            cell: Cell::NumberOrText,
        },
    };

    /// `sensitivity`: an option per row, a criterion's value per other column.
    pub(crate) const SENSITIVITY: Spec = Spec {
        command: "sensitivity",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Vector {
            field: "options",
            vector: "values",
            names: None,
            cell: Cell::Number,
        },
    };

    /// `topsis`: an alternative per row, a criterion per other column.
    pub(crate) const TOPSIS: Spec = Spec {
        command: "topsis",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Matrix,
    };

    /// `funnel` (FunnelPlotR's method): a unit's numerator and denominator per row; for a
    /// standardised ratio, observed and expected.
    pub(crate) const FUNNEL: Spec = Spec {
        command: "funnel",
        columns: &[
            col("id", ID, Cell::Text),
            col(
                "numerator",
                &["observed", "events", "deaths", "count", "o"],
                Cell::Number,
            ),
            col(
                "denominator",
                &["expected", "population", "e", "n"],
                Cell::Number,
            ),
        ],
        shape: Shape::Rows { field: "units" },
    };

    /// `funnel` (method `phe`): numerator and denominator, or observed and expected.
    pub(crate) const FUNNEL_PHE: Spec = Spec {
        command: "funnel",
        columns: &[
            col("id", ID, Cell::Text),
            optional("numerator", &["events", "deaths", "count"], Cell::Number),
            optional("denominator", &["population"], Cell::Number),
            optional("observed", &[], Cell::Number),
            optional("expected", &[], Cell::Number),
        ],
        shape: Shape::Rows { field: "units" },
    };

    /// `peers`: an area per row, a variable per other column.
    pub(crate) const PEERS: Spec = Spec {
        command: "peers",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Vector {
            field: "units",
            vector: "values",
            names: Some("variables"),
            cell: Cell::Number,
        },
    };

    /// `opportunity`: the peers' values and distances.
    pub(crate) const OPPORTUNITY: Spec = Spec {
        command: "opportunity",
        columns: &[
            col("id", ID, Cell::Text),
            col("value", &["rate"], Cell::Number),
            optional("distance", &[], Cell::Number),
        ],
        shape: Shape::Rows { field: "peers" },
    };

    /// `standardise` (kind `dsr`): counts and populations by stratum.
    pub(crate) const STRATA: Spec = Spec {
        command: "standardise",
        columns: &[
            optional("stratum", &["age", "age_band", "band"], Cell::Text),
            col("count", &["events", "deaths", "numerator"], Cell::Number),
            col("population", &["denominator", "pop"], Cell::Number),
            optional("standard_population", &["standard", "esp"], Cell::Number),
        ],
        shape: Shape::Rows { field: "strata" },
    };

    /// `variance` (kind `price_volume_mix`).
    pub(crate) const PVM: Spec = Spec {
        command: "variance",
        columns: &[
            col("id", ID, Cell::Text),
            col("planned_volume", &["plan_volume"], Cell::Decimal),
            col("planned_price", &["plan_price"], Cell::Money),
            col("actual_volume", &[], Cell::Decimal),
            col("actual_price", &[], Cell::Money),
        ],
        shape: Shape::Rows { field: "lines" },
    };

    /// `variance` (kind `budget`): one row per line and month.
    pub(crate) const BUDGET: Spec = Spec {
        command: "variance",
        columns: &[
            col("id", ID, Cell::Text),
            col("month", &["period"], Cell::Text),
            col("plan", &["budget", "planned"], Cell::Money),
            optional("actual", &["actuals", "outturn"], Cell::Money),
        ],
        shape: Shape::Monthly,
    };

    /// `kpi`: one row per requirement and period.
    pub(crate) const KPI: Spec = Spec {
        command: "kpi",
        columns: &[
            col("requirement", &["kpi", "indicator", "id"], Cell::Text),
            col("period", &["month", "date"], Cell::Text),
            col("value", &["performance", "actual"], Cell::Decimal),
        ],
        shape: Shape::Observations,
    };
}

/// A document ready for the typed reading, and where its table came from.
pub(crate) struct Source {
    /// The document as JSON text.
    pub text: String,
    origin: Option<Origin>,
}

/// Where each row of the document came from in a table, to put errors back at the cell.
struct Origin {
    file: String,
    /// The document path of each row (`values[3]`) and the line it came from.
    rows: HashMap<String, u64>,
    /// The path within a row (`.value`, `.performance[2]`, `[2]`) and the header written.
    columns: Vec<(String, String)>,
}

impl Source {
    /// A JSON document as it is.
    pub(crate) fn json(text: String) -> Self {
        Self { text, origin: None }
    }

    /// An error with a path inside the table put at the file's line and column
    /// (`values[13].value` → `values.csv:15:value`); other errors as they are.
    pub(crate) fn locate(&self, e: CliError) -> CliError {
        let Some(origin) = &self.origin else {
            return e;
        };
        match e {
            CliError::Input {
                path,
                message,
                kind,
            } if path == "input" && message.starts_with("missing field") => CliError::Input {
                path: "settings".into(),
                message: format!(
                    "{message}: the table does not give it, so give it with --set FIELD=VALUE or in --settings FILE"
                ),
                kind,
            },
            CliError::Input {
                path,
                message,
                kind,
            } if !path.is_empty() && path != "." => CliError::Input {
                path: origin.locate(&path).unwrap_or(path),
                message,
                kind,
            },
            CliError::Input {
                path,
                message,
                kind,
            } => {
                let message = match crate::io::leading_field(&message)
                    .and_then(|(field, rest)| Some((origin.locate(field)?, rest)))
                {
                    Some((at, rest)) => format!("{at}: {rest}"),
                    None => message,
                };
                CliError::Input {
                    path,
                    message,
                    kind,
                }
            }
            other => other,
        }
    }
}

impl Origin {
    fn locate(&self, path: &str) -> Option<String> {
        let (row, line) = path
            .match_indices(']')
            .filter_map(|(i, _)| {
                let prefix = path.get(..=i)?;
                self.rows.get(prefix).map(|line| (prefix, *line))
            })
            .last()?;
        let rest = path.get(row.len()..).unwrap_or("");
        let column = self
            .columns
            .iter()
            .filter(|(at, _)| {
                rest.strip_prefix(at.as_str())
                    .is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
            })
            .max_by_key(|(at, _)| at.len());
        Some(match column {
            Some((at, header)) => format!(
                "{}:{line}:{header}{}",
                self.file,
                rest.get(at.len()..).unwrap_or("")
            ),
            None => format!("{}:{line}{rest}", self.file),
        })
    }
}

/// Whether `input` is to be read as a table.
fn is_table(input: &str, format: Option<InputFormat>) -> bool {
    match format {
        Some(f) => f == InputFormat::Csv,
        None => {
            let lower = input.to_ascii_lowercase();
            lower.ends_with(".csv") || lower.ends_with(".tsv")
        }
    }
}

/// Reads the subcommand's input: a JSON document as it is, or a table with its settings as the
/// document `spec` describes. `extra` are settings from the subcommand's own flags, applied
/// after `--settings` and before `--set`.
pub(crate) fn document(
    input: &str,
    stdin: &mut dyn Read,
    args: &SheetArgs,
    spec: impl FnOnce(&mut Map<String, Value>, &[String]) -> Result<&'static Spec, CliError>,
    extra: &[(&str, Value, &str)],
    criteria: Option<&CriteriaArgs>,
) -> Result<Source, CliError> {
    if !is_table(input, args.input_format) {
        let flag = if args.settings.is_some() {
            Some("--settings")
        } else if !args.set.is_empty() {
            Some("--set")
        } else {
            extra.first().map(|e| e.2)
        };
        if let Some(flag) = flag {
            return Err(CliError::input(
                flag,
                "settings by flag go with a table (a .csv or .tsv file, or --input-format csv); write them in the JSON document instead",
            ));
        }
        return Ok(Source::json(read(input, stdin)?));
    }
    let text = read(input, stdin)?;
    let file = if input == "-" { "input" } else { input };
    let table = read_table(file, &text)?;
    let mut doc = settings(args, stdin)?;
    for (field, value, flag) in extra {
        set_path(&mut doc, field, value.clone(), flag)?;
    }
    for entry in &args.set {
        let (field, value) = entry.split_once('=').ok_or_else(|| {
            CliError::input("--set", format!("expected FIELD=VALUE, got {entry:?}"))
        })?;
        let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
        set_path(&mut doc, field, value, "--set")?;
    }
    let spec = spec(&mut doc, &table.headers)?;
    let mut origin = spec.fill(&mut doc, &table)?;
    if let Some(criteria) = criteria {
        criteria.apply(&spec.shape, &mut doc, &mut origin)?;
    }
    let text = serde_json::to_string(&Value::Object(doc))
        .map_err(|e| CliError::Io(format!("cannot build the document: {e}")))?;
    Ok(Source {
        text,
        origin: Some(origin),
    })
}

/// Reads a table's settings: the `--settings` document, or an empty one.
fn settings(args: &SheetArgs, stdin: &mut dyn Read) -> Result<Map<String, Value>, CliError> {
    let Some(path) = &args.settings else {
        return Ok(Map::new());
    };
    let text = read(path, stdin)?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let value = <StrictValue as de::Deserialize>::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| CliError::input("--settings", format!("{path}: {e}")))?;
    match value.0 {
        Value::Object(m) => Ok(m),
        _ => Err(CliError::input(
            "--settings",
            format!("{path}: expected a JSON object of settings"),
        )),
    }
}

/// Sets `field` (dotted for a nested part: `options.target`) in the settings.
fn set_path(
    doc: &mut Map<String, Value>,
    field: &str,
    value: Value,
    flag: &str,
) -> Result<(), CliError> {
    let mut parts = field.split('.').peekable();
    let mut at = doc;
    while let Some(part) = parts.next() {
        if part.is_empty() {
            return Err(CliError::input(
                flag,
                format!("{field:?} is not a field name (use part.field for a nested setting)"),
            ));
        }
        if parts.peek().is_none() {
            at.insert(part.to_owned(), value);
            return Ok(());
        }
        let next = at
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        at = next.as_object_mut().ok_or_else(|| {
            CliError::input(
                flag,
                format!("{part} is not an object, so {field} cannot be set inside it"),
            )
        })?;
    }
    Ok(())
}

/// A table's header and records, with the line each record starts on.
pub(crate) struct Table {
    file: String,
    /// The header's cells, as written.
    pub headers: Vec<String>,
    records: Vec<(u64, csv::StringRecord)>,
}

/// Step 1: splits the text into its header and records.
fn read_table(file: &str, text: &str) -> Result<Table, CliError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let tabs = first.matches('\t').count();
    let delimiter = if file.to_ascii_lowercase().ends_with(".tsv") || tabs > first.matches(',').count()
    {
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
    for record in reader.records() {
        let record = record.map_err(|e| bad(&e))?;
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
fn canonical(header: &str) -> String {
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
fn read_cell(cell: Cell, text: &str, at: &dyn Fn() -> String) -> Result<Value, CliError> {
    let bad = || {
        CliError::input(
            at(),
            format!("expected {}, got {text:?}", cell.expected()),
        )
    };
    match cell {
        Cell::Text | Cell::Decimal => Ok(Value::String(text.to_owned())),
        Cell::Date => parse_spreadsheet_date("date", text)
            .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| bad()),
        Cell::Money => Money::parse_field("amount", text)
            .map(|m| Value::String(m.amount().to_string()))
            .map_err(|_| bad()),
        Cell::Number => number(text).map(Value::Number).ok_or_else(bad),
        Cell::NumberOrText => Ok(number(text).map_or_else(|| Value::String(text.into()), Value::Number)),
    }
}

/// A number as spreadsheets write it: `1234.5`, `1,234.5`, `-3`, `1e-3`, or `5%` (0.05, the
/// decimal point moved exactly before the one rounding to binary).
fn number(text: &str) -> Option<Number> {
    let (body, percent) = match text.strip_suffix('%') {
        Some(b) => (b.trim_end(), true),
        None => (text, false),
    };
    let plain: String = if body.contains(',') {
        let digits = body.strip_prefix('-').unwrap_or(body);
        let int = digits.split('.').next().unwrap_or("");
        let grouped = int.split(',').enumerate().all(|(i, g)| {
            (if i == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 })
                && g.bytes().all(|b| b.is_ascii_digit())
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

impl Spec {
    /// The header's columns: which spec column (or `None` for an unnamed one) each is.
    fn columns_of(&self, table: &Table) -> Result<Vec<Option<usize>>, CliError> {
        let gathers = matches!(self.shape, Shape::Vector { .. } | Shape::Matrix);
        let mut seen = vec![false; self.columns.len()];
        let mut out = Vec::with_capacity(table.headers.len());
        for (i, header) in table.headers.iter().enumerate() {
            let c = canonical(header);
            let found = self.columns.iter().position(|col| {
                col.name == c || col.aliases.iter().any(|a| *a == c)
            });
            match found {
                Some(k) if seen.get(k) == Some(&true) => {
                    return Err(CliError::input(
                        format!("{}:1:{header}", table.file),
                        format!("is a second column for {}", self.columns.get(k).map_or("", |c| c.name)),
                    ));
                }
                Some(k) => {
                    if let Some(s) = seen.get_mut(k) {
                        *s = true;
                    }
                    out.push(Some(k));
                }
                None if gathers && !header.is_empty() => out.push(None),
                None => {
                    let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
                    return Err(CliError::input(
                        format!("{}:1:{}", table.file, if header.is_empty() { format!("column {}", i + 1) } else { header.clone() }),
                        format!(
                            "is not a column {} reads; its columns are {}",
                            self.command,
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        if let Some(missing) = self
            .columns
            .iter()
            .zip(&seen)
            .find(|(c, s)| c.required && !**s)
        {
            return Err(CliError::input(
                format!("{}:1", table.file),
                format!(
                    "the header has no {} column (headers read: {})",
                    missing.0.name,
                    table.headers.join(", ")
                ),
            ));
        }
        if gathers && !out.iter().any(Option::is_none) {
            return Err(CliError::input(
                format!("{}:1", table.file),
                "expected a column per criterion after the id column",
            ));
        }
        Ok(out)
    }

    /// Step 2: each record as a row object (named columns) and its gathered cells.
    fn rows(&self, table: &Table) -> Result<Vec<(u64, Map<String, Value>, Vec<Value>)>, CliError> {
        let columns = self.columns_of(table)?;
        let gathered_cell = match self.shape {
            Shape::Vector { cell, .. } => cell,
            _ => Cell::Number,
        };
        let mut rows = Vec::with_capacity(table.records.len());
        for (line, record) in &table.records {
            let mut row = Map::new();
            let mut vector = Vec::new();
            for ((text, header), which) in record.iter().zip(&table.headers).zip(&columns) {
                let at = || format!("{}:{line}:{header}", table.file);
                match which.and_then(|k| self.columns.get(k)) {
                    Some(col) => {
                        if text.is_empty() {
                            if col.required {
                                return Err(CliError::input(at(), "is empty; every row needs one"));
                            }
                            continue;
                        }
                        row.insert(col.name.to_owned(), read_cell(col.cell, text, &at)?);
                    }
                    None => vector.push(read_cell(gathered_cell, text, &at)?),
                }
            }
            rows.push((*line, row, vector));
        }
        Ok(rows)
    }

    /// Step 4: puts the rows in their place in the document.
    fn fill(&self, doc: &mut Map<String, Value>, table: &Table) -> Result<Origin, CliError> {
        let rows = self.rows(table)?;
        let mut origin = Origin {
            file: table.file.clone(),
            rows: HashMap::with_capacity(rows.len()),
            columns: Vec::new(),
        };
        let header_of = |name: &str| {
            let columns = self.columns_of(table).unwrap_or_default();
            table
                .headers
                .iter()
                .zip(&columns)
                .find(|(_, k)| k.and_then(|k| self.columns.get(k)).is_some_and(|c| c.name == name))
                .map_or_else(|| name.to_owned(), |(h, _)| h.clone())
        };
        for c in self.columns {
            origin.columns.push((format!(".{}", c.name), header_of(c.name)));
        }
        let gathered: Vec<String> = self
            .columns_of(table)?
            .iter()
            .zip(&table.headers)
            .filter(|(k, _)| k.is_none())
            .map(|(_, h)| h.clone())
            .collect();
        let taken = |doc: &Map<String, Value>, field: &str| {
            if doc.contains_key(field) {
                Err(CliError::input(
                    field,
                    "is given both by the table and by the settings; give it once",
                ))
            } else {
                Ok(())
            }
        };
        match self.shape {
            Shape::Rows { field } => {
                taken(doc, field)?;
                let mut list = Vec::with_capacity(rows.len());
                for (i, (line, row, _)) in rows.into_iter().enumerate() {
                    origin.rows.insert(format!("{field}[{i}]"), line);
                    list.push(Value::Object(row));
                }
                doc.insert(field.to_owned(), Value::Array(list));
            }
            Shape::Vector {
                field,
                vector,
                names,
                ..
            } => {
                taken(doc, field)?;
                for (j, h) in gathered.iter().enumerate() {
                    origin.columns.push((format!(".{vector}[{j}]"), h.clone()));
                }
                if let Some(names) = names {
                    if !doc.contains_key(names) {
                        doc.insert(
                            names.to_owned(),
                            Value::Array(gathered.iter().cloned().map(Value::String).collect()),
                        );
                    }
                }
                let mut list = Vec::with_capacity(rows.len());
                for (i, (line, mut row, values)) in rows.into_iter().enumerate() {
                    origin.rows.insert(format!("{field}[{i}]"), line);
                    row.insert(vector.to_owned(), Value::Array(values));
                    list.push(Value::Object(row));
                }
                doc.insert(field.to_owned(), Value::Array(list));
            }
            Shape::Matrix => {
                taken(doc, "matrix")?;
                taken(doc, "alternatives")?;
                for (j, h) in gathered.iter().enumerate() {
                    origin.columns.push((format!("[{j}]"), h.clone()));
                }
                let mut matrix = Vec::with_capacity(rows.len());
                let mut ids = Vec::with_capacity(rows.len());
                for (i, (line, mut row, values)) in rows.into_iter().enumerate() {
                    origin.rows.insert(format!("matrix[{i}]"), line);
                    origin.rows.insert(format!("alternatives[{i}]"), line);
                    ids.push(row.remove("id").unwrap_or(Value::Null));
                    matrix.push(Value::Array(values));
                }
                doc.insert("matrix".into(), Value::Array(matrix));
                doc.insert("alternatives".into(), Value::Array(ids));
            }
            Shape::Monthly => monthly(doc, rows, &mut origin, &table.file)?,
            Shape::Observations => observations(doc, rows, &mut origin, &table.file)?,
        }
        Ok(origin)
    }
}

/// Budget lines from one row per line and month (`M1`…`M12`), in month order.
fn monthly(
    doc: &mut Map<String, Value>,
    rows: Vec<(u64, Map<String, Value>, Vec<Value>)>,
    origin: &mut Origin,
    file: &str,
) -> Result<(), CliError> {
    if doc.contains_key("lines") {
        return Err(CliError::input(
            "lines",
            "is given both by the table and by the settings; give it once",
        ));
    }
    let mut order: Vec<String> = Vec::new();
    let mut lines: HashMap<String, (u64, Vec<(u8, u64, Value, Option<Value>)>)> = HashMap::new();
    for (line, mut row, _) in rows {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        let id = text(row.get("id"));
        let month_text = text(row.get("month"));
        let month = month_number(&month_text).ok_or_else(|| {
            CliError::input(
                format!("{file}:{line}:month"),
                format!("expected a financial-year month M1 to M12, got {month_text:?}"),
            )
        })?;
        let plan = row.remove("plan").unwrap_or(Value::Null);
        let actual = row.remove("actual");
        let entry = lines.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            (line, Vec::new())
        });
        if let Some((_, earlier, ..)) = entry.1.iter().find(|m| m.0 == month) {
            return Err(CliError::input(
                format!("{file}:{line}:month"),
                format!("M{month} of {id} is already on line {earlier}"),
            ));
        }
        entry.1.push((month, line, plan, actual));
    }
    let mut list = Vec::with_capacity(order.len());
    for (i, id) in order.iter().enumerate() {
        let Some((first, mut months)) = lines.remove(id) else {
            continue;
        };
        months.sort_by_key(|m| m.0);
        origin.rows.insert(format!("lines[{i}]"), first);
        for (k, (month, line, ..)) in months.iter().enumerate() {
            if usize::from(*month) != k + 1 {
                return Err(CliError::input(
                    format!("{file}:{line}:month"),
                    format!("{id} has no row for M{}; give every month from M1 in turn", k + 1),
                ));
            }
            origin.rows.insert(format!("lines[{i}].plan[{k}]"), *line);
            origin.rows.insert(format!("lines[{i}].actual[{k}]"), *line);
        }
        let plan: Vec<Value> = months.iter().map(|m| m.2.clone()).collect();
        let actual: Vec<Value> = months.iter().filter_map(|m| m.3.clone()).collect();
        let mut line = Map::new();
        line.insert("id".into(), Value::String(id.clone()));
        line.insert("plan".into(), Value::Array(plan));
        line.insert("actual".into(), Value::Array(actual));
        list.push(Value::Object(line));
    }
    doc.insert("lines".into(), Value::Array(list));
    doc.entry("kind").or_insert_with(|| Value::String("budget".into()));
    Ok(())
}

/// `M7`, `m7` or `7` as month 7 of the financial year.
fn month_number(text: &str) -> Option<u8> {
    let digits = text.strip_prefix(['M', 'm']).unwrap_or(text);
    digits.parse::<u8>().ok().filter(|m| (1..=12).contains(m))
}

/// KPI observations added to the settings' series by requirement id.
fn observations(
    doc: &mut Map<String, Value>,
    rows: Vec<(u64, Map<String, Value>, Vec<Value>)>,
    origin: &mut Origin,
    file: &str,
) -> Result<(), CliError> {
    let Some(Value::Array(series)) = doc.get_mut("series") else {
        return Err(CliError::input(
            "--settings",
            "a KPI table needs the series (contract, provider and requirement) in the settings; the table adds their observations",
        ));
    };
    let index: HashMap<String, usize> = series
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            let id = s.get("requirement")?.get("id")?.as_str()?;
            Some((id.to_owned(), k))
        })
        .collect();
    for (line, mut row, _) in rows {
        let requirement = row
            .remove("requirement")
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let k = *index.get(&requirement).ok_or_else(|| {
            CliError::input(
                format!("{file}:{line}:requirement"),
                format!("no series in the settings has requirement {requirement:?}"),
            )
        })?;
        let Some(Value::Object(s)) = series.get_mut(k) else {
            continue;
        };
        let list = s
            .entry("observations")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else {
            return Err(CliError::input(
                format!("series[{k}].observations"),
                "expected a list",
            ));
        };
        origin
            .rows
            .insert(format!("series[{k}].observations[{}]", list.len()), line);
        list.push(Value::Object(row));
    }
    Ok(())
}

impl CriteriaArgs {
    /// Completes a table's criteria from the flags: weights by name (1 where not given), the
    /// direction of each, and for `score` a linear value function over the observed range when
    /// the settings give no criteria; criteria given in the settings put the columns in their
    /// order.
    fn apply(
        &self,
        shape: &Shape,
        doc: &mut Map<String, Value>,
        origin: &mut Origin,
    ) -> Result<(), CliError> {
        let vector_at = |j: usize| match shape {
            Shape::Matrix => format!("[{j}]"),
            Shape::Vector { vector, .. } => format!(".{vector}[{j}]"),
            _ => String::new(),
        };
        let names: Vec<String> = (0..)
            .map_while(|j| {
                let at = vector_at(j);
                origin
                    .columns
                    .iter()
                    .find(|(p, _)| *p == at)
                    .map(|(_, h)| h.clone())
            })
            .collect();
        let position = |flag: &str, name: &str| {
            names
                .iter()
                .position(|n| canonical(n) == canonical(name))
                .ok_or_else(|| {
                    CliError::input(
                        flag,
                        format!(
                            "{name:?} is not a criterion column; the columns are {}",
                            names.join(", ")
                        ),
                    )
                })
        };
        let mut weights = vec![1.0; names.len()];
        for entry in &self.weight {
            let (name, w) = entry.split_once('=').ok_or_else(|| {
                CliError::input("--weight", format!("expected NAME=WEIGHT, got {entry:?}"))
            })?;
            let w = number(w.trim())
                .and_then(|n| n.as_f64())
                .ok_or_else(|| {
                    CliError::input("--weight", format!("expected a number for {name}, got {w:?}"))
                })?;
            if let Some(slot) = weights.get_mut(position("--weight", name)?) {
                *slot = w;
            }
        }
        let mut lower = vec![false; names.len()];
        for name in &self.lower_is_better {
            if let Some(slot) = lower.get_mut(position("--lower-is-better", name)?) {
                *slot = true;
            }
        }
        let by_name = |values: Vec<Value>| Value::Array(values);
        match shape {
            Shape::Matrix => {
                if !doc.contains_key("weights") {
                    doc.insert("weights".into(), by_name(weights.into_iter().map(Value::from).collect()));
                }
                if !doc.contains_key("criteria_types") {
                    let types = lower
                        .iter()
                        .map(|l| Value::from(if *l { "cost" } else { "benefit" }))
                        .collect();
                    doc.insert("criteria_types".into(), by_name(types));
                }
            }
            Shape::Vector { field: "options", vector: "performance", .. } => {
                if let Some(Value::Array(criteria)) = doc.get("criteria") {
                    let order = criteria
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let id = c.get("id").and_then(Value::as_str).ok_or_else(|| {
                                CliError::input(format!("criteria[{i}].id"), "expected the criterion's id")
                            })?;
                            names
                                .iter()
                                .position(|n| canonical(n) == canonical(id))
                                .ok_or_else(|| {
                                    CliError::input(
                                        format!("criteria[{i}].id"),
                                        format!("the table has no column {id:?}; its columns are {}", names.join(", ")),
                                    )
                                })
                        })
                        .collect::<Result<Vec<usize>, CliError>>()?;
                    if let Some(extra) = (0..names.len()).find(|j| !order.contains(j)) {
                        return Err(CliError::input(
                            format!("{}:1:{}", origin.file, names.get(extra).map_or("", String::as_str)),
                            "is not one of the criteria in the settings",
                        ));
                    }
                    permute(doc, &order);
                    origin.columns.retain(|(p, _)| !p.starts_with(".performance["));
                    for (j, k) in order.iter().enumerate() {
                        origin.columns.push((
                            format!(".performance[{j}]"),
                            names.get(*k).cloned().unwrap_or_default(),
                        ));
                    }
                } else {
                    let criteria = linear_criteria(doc, &names, &weights, &lower)
                        .map_err(|(i, name)| {
                            let at = origin.locate(&format!("options[{i}]")).unwrap_or_default();
                            CliError::input(
                                format!("{at}:{name}"),
                                "is not a number; a criterion with categories needs its value function in the settings (--settings)",
                            )
                        })?;
                    doc.insert("criteria".into(), Value::Array(criteria));
                }
            }
            Shape::Vector { field: "options", .. } => {
                if !doc.contains_key("weights") {
                    let total: f64 = weights.iter().sum();
                    doc.insert(
                        "weights".into(),
                        by_name(weights.iter().map(|w| Value::from(w / total)).collect()),
                    );
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Puts each option's performance in the criteria's order.
fn permute(doc: &mut Map<String, Value>, order: &[usize]) {
    if let Some(Value::Array(options)) = doc.get_mut("options") {
        for option in options {
            if let Some(Value::Array(p)) = option.get_mut("performance") {
                let reordered = order.iter().filter_map(|k| p.get(*k).cloned()).collect();
                *p = reordered;
            }
        }
    }
}

/// A criterion per column: linear value from the worst observed performance (0) to the best
/// (100), weighted by `weights`; the option and criterion of a cell that is not a number is the
/// error.
fn linear_criteria(
    doc: &Map<String, Value>,
    names: &[String],
    weights: &[f64],
    lower: &[bool],
) -> Result<Vec<Value>, (usize, String)> {
    let options = doc.get("options").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    let mut out = Vec::with_capacity(names.len());
    for (j, name) in names.iter().enumerate() {
        let mut low = f64::INFINITY;
        let mut high = f64::NEG_INFINITY;
        for (i, o) in options.iter().enumerate() {
            let cell = o.get("performance").and_then(|p| p.get(j));
            let Some(x) = cell.and_then(Value::as_f64) else {
                return Err((i, name.clone()));
            };
            low = low.min(x);
            high = high.max(x);
        }
        let (worst, best) = if lower.get(j) == Some(&true) { (high, low) } else { (low, high) };
        out.push(serde_json::json!({
            "id": name,
            "weight": weights.get(j).copied().unwrap_or(1.0),
            "value_function": {"kind": "linear", "worst": worst, "best": best},
        }));
    }
    Ok(out)
}

/// A JSON value read with duplicate keys refused, for the settings document.
struct StrictValue(Value);

impl<'de> de::Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StrictValue(v) = map.next_value()?;
            if out.insert(key.clone(), v).is_some() {
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
        }
        Ok(Value::Object(out))
    }
}
