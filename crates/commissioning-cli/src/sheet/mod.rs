//! Spreadsheet input: a CSV (or tab-separated) export becomes the table at the heart of a
//! subcommand's document, and the settings that are not tabular come from a small JSON
//! document (`--settings`) or from flags (`--set field=value`).
//!
//! The reading runs in four steps, one function each:
//!
//! 1. `read_table`: the text is split into a header and records by the `csv` crate (a UTF-8
//!    byte-order mark dropped, comma or tab found from the header line, CRLF accepted);
//! 2. `Spec::rows`: each record's cells are read by their column's kind (numbers with
//!    thousands separators or `%`, money in every spreadsheet spelling, UK or ISO dates) into
//!    the document's rows, naming `file:line:column` for a bad cell;
//! 3. `settings`: the settings document and the `--set` flags are merged;
//! 4. the rows are put in their field and the whole document goes through the same typed
//!    reading as a JSON document, with [`Source::locate`] turning the path of any error inside
//!    the table back into the file's line and column.

mod criteria;
mod shapes;
mod spec;
mod table;

use std::collections::HashMap;
use std::io::Read;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use commissioning::document::{DocumentError, read};
use table::read_table;

pub(crate) use criteria::CriteriaArgs;
pub(crate) use spec::{Spec, specs};

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

/// How an input is read.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InputFormat {
    /// A JSON document.
    Json,
    /// A table with a header row, separated by commas or tabs.
    Csv,
}

/// A document ready for the typed reading, and where its table came from.
pub(crate) struct Source {
    /// The document as JSON text.
    pub text: String,
    origin: Option<Origin>,
    /// The settings given by flags as decimal numbers with a fraction (`30000.00`), by path:
    /// read as numbers, and as exact text where the field is money.
    fractional: Vec<String>,
    /// The document without a table of plain records, which is kept as JSON text.
    doc: Map<String, Value>,
    /// What reading the table noticed that may not be what was meant.
    pub warnings: Vec<commissioning::document::Warning>,
    table: Option<(&'static str, String)>,
}

/// The document as JSON text, with a table of plain records spliced in as its first field.
fn render(
    doc: &Map<String, Value>,
    table: Option<&(&'static str, String)>,
) -> Result<String, DocumentError> {
    let rest = serde_json::to_string(doc)
        .map_err(|e| DocumentError::Io(format!("cannot build the document: {e}")))?;
    let Some((field, rows)) = table else {
        return Ok(rest);
    };
    let mut text = String::with_capacity(
        rest.len()
            .saturating_add(rows.len())
            .saturating_add(field.len())
            .saturating_add(8),
    );
    text.push_str("{\"");
    text.push_str(field);
    text.push_str("\":");
    text.push_str(rows);
    match rest.strip_prefix('{') {
        Some("}") | None => text.push('}'),
        Some(after) => {
            text.push(',');
            text.push_str(after);
        }
    }
    Ok(text)
}

/// Where each row of the document came from in a table, to put errors back at the cell.
struct Origin {
    /// The table's file name.
    file: String,
    /// The document path of each row nested below a list (`lines[0].plan[3]`) and the line it
    /// came from.
    rows: HashMap<String, u64>,
    /// Each list the table filled (`values`) and the line of each of its items.
    lists: Vec<(String, Vec<u64>)>,
    /// Lists of lists whose positions are columns of their own (`cost[i][j]`), with the header
    /// of each position.
    list_headers: Vec<(String, Vec<String>)>,
    /// The path within a row (`.value`, `.performance[2]`, `[2]`) and the header written.
    columns: Vec<(String, String)>,
}

impl Source {
    /// A JSON document as it is.
    pub(crate) fn json(text: String) -> Self {
        Self {
            text,
            origin: None,
            fractional: Vec::new(),
            doc: Map::new(),
            warnings: Vec::new(),
            table: None,
        }
    }

    /// Runs a subcommand on the document, with any error inside the table put at its cell
    /// ([`Source::locate`]). A setting given by flag as a decimal with a fraction is first
    /// read as a number; where the field is money, which refuses binary fractions, it is read
    /// again as the exact text the user wrote.
    pub(crate) fn run<T>(
        &self,
        mut command: impl FnMut(&str) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        let mut text = std::borrow::Cow::Borrowed(self.text.as_str());
        // A copy of the settings is made only to read a value again as text.
        let mut doc: Option<Map<String, Value>> = None;
        let mut tried = Vec::new();
        loop {
            match command(&text) {
                Err(DocumentError::Input {
                    path,
                    message,
                    kind,
                }) if message.contains("not as JSON fractions")
                    && self.fractional.contains(&path)
                    && !tried.contains(&path) =>
                {
                    let doc = doc.get_or_insert_with(|| self.doc.clone());
                    let as_text = lookup(doc, &path).map(|v| Value::String(v.to_string()));
                    match as_text {
                        Some(v) => {
                            set_path(doc, &path, v, "--set")?;
                            text = std::borrow::Cow::Owned(render(doc, self.table.as_ref())?);
                            tried.push(path);
                        }
                        None => {
                            return Err(self.locate(DocumentError::Input {
                                path,
                                message,
                                kind,
                            }));
                        }
                    }
                }
                other => return other.map_err(|e| self.locate(e)),
            }
        }
    }

    /// An error with a path inside the table put at the file's line and column
    /// (`values[13].value` → `values.csv:15:value`); other errors as they are.
    pub(crate) fn locate(&self, e: DocumentError) -> DocumentError {
        let Some(origin) = &self.origin else {
            return e;
        };
        match e {
            DocumentError::Input {
                path,
                message,
                kind,
            } if path == "input" && message.starts_with("missing field") => DocumentError::Input {
                path: "settings".into(),
                message: format!(
                    "{message}: the table does not give it, so give it with --set FIELD=VALUE or in --settings FILE"
                ),
                kind,
            },
            DocumentError::Input {
                path,
                message,
                kind,
            } if !path.is_empty() && path != "." => DocumentError::Input {
                path: origin.locate(&path).unwrap_or(path),
                message,
                kind,
            },
            DocumentError::Input {
                path,
                message,
                kind,
            } => {
                let message = match commissioning::document::leading_field(&message)
                    .and_then(|(field, rest)| Some((origin.locate(field)?, rest)))
                {
                    Some((at, rest)) => format!("{at}: {rest}"),
                    None => message,
                };
                DocumentError::Input {
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
    /// The row of the table a path is in, and the line it came from.
    fn row<'p>(&self, path: &'p str) -> Option<(&'p str, u64)> {
        let nested = path.rmatch_indices(']').find_map(|(i, _)| {
            let prefix = path.get(..=i)?;
            self.rows.get(prefix).map(|line| (prefix, *line))
        });
        nested.or_else(|| {
            self.lists.iter().find_map(|(field, lines)| {
                let rest = path.strip_prefix(field.as_str())?.strip_prefix('[')?;
                let (index, _) = rest.split_once(']')?;
                let line = *lines.get(index.parse::<usize>().ok()?)?;
                path.get(..field.len().checked_add(index.len())?.checked_add(2)?)
                    .map(|prefix| (prefix, line))
            })
        })
    }

    fn locate(&self, path: &str) -> Option<String> {
        let (row, line) = self.row(path)?;
        let rest = path.get(row.len()..).unwrap_or("");
        if let Some((_, headers)) = self.list_headers.iter().find(|(field, _)| {
            row.strip_prefix(field.as_str())
                .is_some_and(|r| r.starts_with('['))
        }) && let Some((j, after)) = rest.strip_prefix('[').and_then(|r| r.split_once(']'))
            && let Some(header) = j.parse::<usize>().ok().and_then(|j| headers.get(j))
        {
            return Some(format!("{}:{line}:{header}{after}", self.file));
        }
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
    spec: impl FnOnce(&mut Map<String, Value>, &[String]) -> Result<&'static Spec, DocumentError>,
    extra: &[(&str, Value, &str)],
    criteria: Option<&CriteriaArgs>,
) -> Result<Source, DocumentError> {
    if !is_table(input, args.input_format) {
        if args.settings.is_some() {
            return Err(DocumentError::input(
                "--settings",
                "a settings document goes with a table (a .csv or .tsv file, or --input-format csv); write the settings in the JSON document, or change one with --set",
            ));
        }
        return with_sets(read(input, stdin)?, &args.set, extra);
    }
    let text = read(input, stdin)?;
    let file = if input == "-" { "input" } else { input };
    let mut table = read_table(file, &text)?;
    let mut doc = settings(args, stdin)?;
    let fractional = apply_sets(&mut doc, &args.set, extra)?;
    let spec = spec(&mut doc, &table.headers)?;
    let (mut origin, records) = spec.fill(&mut doc, &mut table)?;
    if let Some(criteria) = criteria {
        criteria.apply(&spec.shape, &mut doc, &mut origin)?;
    }
    let warnings = std::mem::take(&mut table.warnings);
    drop(table);
    drop(text);
    Ok(Source {
        text: render(&doc, records.as_ref())?,
        origin: Some(origin),
        fractional,
        doc,
        warnings,
        table: records,
    })
}

/// Applies the subcommand's own flags (`extra`) and then `--set` to a document, returning the
/// paths of the values written as decimals with a fraction (see [`Source::run`]).
fn apply_sets(
    doc: &mut Map<String, Value>,
    sets: &[String],
    extra: &[(&str, Value, &str)],
) -> Result<Vec<String>, DocumentError> {
    let mut fractional = Vec::new();
    for (field, value, flag) in extra {
        if value.is_f64() {
            fractional.push((*field).to_owned());
        }
        set_path(doc, field, value.clone(), flag)?;
    }
    for entry in sets {
        let (field, value) = entry.split_once('=').ok_or_else(|| {
            DocumentError::input("--set", format!("expected FIELD=VALUE, got {entry:?}"))
        })?;
        let value: Value =
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
        if value.is_f64() {
            fractional.push(field.to_owned());
        }
        set_path(doc, field, value, "--set")?;
    }
    Ok(fractional)
}

/// A JSON document with settings changed by flags (`--set input.outturn=£57,000,000`): read
/// with duplicate fields refused, changed, and written again for the typed reading. Without
/// flags the document is left as it is.
pub(crate) fn with_sets(
    text: String,
    sets: &[String],
    extra: &[(&str, Value, &str)],
) -> Result<Source, DocumentError> {
    if sets.is_empty() && extra.is_empty() {
        return Ok(Source::json(text));
    }
    let mut de = serde_json::Deserializer::from_str(&text);
    let value = <StrictValue as de::Deserialize>::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| DocumentError::input("input", e))?;
    let Value::Object(mut doc) = value.0 else {
        return Err(DocumentError::input("input", "expected a JSON object"));
    };
    let fractional = apply_sets(&mut doc, sets, extra)?;
    Ok(Source {
        text: render(&doc, None)?,
        origin: None,
        fractional,
        doc,
        warnings: Vec::new(),
        table: None,
    })
}

/// Reads a table's settings: the `--settings` document, or an empty one.
fn settings(args: &SheetArgs, stdin: &mut dyn Read) -> Result<Map<String, Value>, DocumentError> {
    let Some(path) = &args.settings else {
        return Ok(Map::new());
    };
    let text = read(path, stdin)?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let value = <StrictValue as de::Deserialize>::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| DocumentError::input("--settings", format!("{path}: {e}")))?;
    match value.0 {
        Value::Object(m) => Ok(m),
        _ => Err(DocumentError::input(
            "--settings",
            format!("{path}: expected a JSON object of settings"),
        )),
    }
}

/// The value at a dotted path (`options.target`).
fn lookup<'a>(doc: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut at = doc.get(parts.next()?)?;
    for part in parts {
        at = at.get(part)?;
    }
    Some(at)
}

/// Sets `field` (dotted for a nested part: `options.target`) in the settings.
fn set_path(
    doc: &mut Map<String, Value>,
    field: &str,
    value: Value,
    flag: &str,
) -> Result<(), DocumentError> {
    let mut parts = field.split('.').peekable();
    let mut at = doc;
    while let Some(part) = parts.next() {
        if part.is_empty() {
            return Err(DocumentError::input(
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
            DocumentError::input(
                flag,
                format!("{part} is not an object, so {field} cannot be set inside it"),
            )
        })?;
    }
    Ok(())
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
