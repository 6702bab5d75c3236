//! Tables in, tables out: the capabilities whose heart is a table, run on named columns of a
//! table that a front door holds (an Arrow table in the Python package), one row per unit or
//! point, many units or series at once.
//!
//! A front door implements [`Columns`] for its table — reading a named column as numbers,
//! text, money or dates, and naming the column and row of any value it cannot read — and
//! calls [`run`] with the capability's name and its options as JSON (the option names are the
//! Python package's keyword arguments). The result is a [`Table`]: typed columns, each with its
//! declared presentation [`Kind`], and for each row the input row it came from, so that the
//! front door can carry any input column along (an id, a facet, a name to label a chart with)
//! without this layer copying it.
//!
//! # Examples
//!
//! ```
//! use commissioning::document::table::{self, Columns, Kind, Values};
//! use commissioning::document::DocumentError;
//!
//! // A table held as plain vectors: observed and expected deaths for three trusts.
//! struct Trusts;
//! impl Columns for Trusts {
//!     fn rows(&self) -> usize { 3 }
//!     fn has(&self, column: &str) -> bool { ["observed", "expected"].contains(&column) }
//!     fn floats(&self, column: &str) -> Result<Vec<Option<f64>>, DocumentError> {
//!         Ok(match column {
//!             "observed" => vec![Some(30.0), Some(45.0), Some(12.0)],
//!             _ => vec![Some(28.0), Some(30.0), Some(14.0)],
//!         })
//!     }
//!     fn texts(&self, column: &str) -> Result<Vec<Option<String>>, DocumentError> {
//!         Err(DocumentError::input(column, "no text here"))
//!     }
//! }
//!
//! let options = r#"{"kind": "ratio", "observed": "observed", "expected": "expected"}"#;
//! let result = table::run("standardise", &Trusts, options)?;
//! let value = result.column("value").unwrap();
//! assert_eq!(value.kind, Kind::Ratio);
//! let Values::Float(v) = &value.values else { unreachable!() };
//! assert_eq!(v[1], Some(1.5)); // 45 observed against 30 expected
//! assert_eq!(result.rows, vec![0, 1, 2]); // one result row per input row
//! # Ok::<(), DocumentError>(())
//! ```

mod funnel;

pub(crate) use funnel::likely_proportions;
mod peers;
mod priority;
mod psa;
mod spc;
mod standardise;

use crate::model::{Money, NaiveDate};

use super::DocumentError;
use super::Warning;

/// How a value is presented: declared by each result column, read by every front door (a
/// table's alignment and places, CSV's text, Arrow's field metadata in Python).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// Pounds and pence.
    Money,
    /// A fraction of a whole, shown as a percentage.
    Share,
    /// A whole number of things.
    Count,
    /// A ratio or rate (a standardised ratio, a rate per 100,000, a z-score).
    Ratio,
    /// A calendar date.
    Date,
    /// An identifier (an ODS code, a unit's name): never summed or rounded.
    Id,
    /// Words.
    Text,
    /// Yes or no.
    Flag,
}

impl Kind {
    /// The kind's name, as Arrow field metadata carries it (`"money"`, `"share"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Money => "money",
            Self::Share => "share",
            Self::Count => "count",
            Self::Ratio => "ratio",
            Self::Date => "date",
            Self::Id => "id",
            Self::Text => "text",
            Self::Flag => "flag",
        }
    }
}

/// A column's values, one per result row; `None` where the value is undefined (an interval
/// suppressed, the first unit's incremental cost).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Values {
    /// Numbers, every one finite.
    Float(Vec<Option<f64>>),
    /// Numbers, every one present and finite (no `None` to carry).
    Numbers(Vec<f64>),
    /// Whole numbers, every one present.
    Counts(Vec<i64>),
    /// Whole numbers.
    Int(Vec<Option<i64>>),
    /// Yes or no.
    Bool(Vec<Option<bool>>),
    /// Text.
    Text(Vec<Option<String>>),
    /// Labels from a fixed set (a point's type, a rule's name).
    Label(Vec<Option<&'static str>>),
    /// Exact amounts of money, rounded to the penny.
    Money(Vec<Option<Money>>),
    /// Dates.
    Date(Vec<Option<NaiveDate>>),
}

/// One result column.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Column {
    /// Its name.
    pub name: String,
    /// How its values are presented.
    pub kind: Kind,
    /// Its values.
    pub values: Values,
}

impl Column {
    fn new(name: impl Into<String>, kind: Kind, values: Values) -> Self {
        Self {
            name: name.into(),
            kind,
            values,
        }
    }

    fn floats(name: impl Into<String>, kind: Kind, values: Vec<Option<f64>>) -> Self {
        Self::new(name, kind, Values::Float(values))
    }
}

/// A result table.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Table {
    /// For each result row, the input row it came from (a unit's first row, a point's row).
    pub rows: Vec<usize>,
    /// The input columns to carry along in front of the result columns (an id, the facets),
    /// taken from the input at [`Table::rows`].
    pub carried: Vec<String>,
    /// The result columns.
    pub columns: Vec<Column>,
    /// Figures about the whole table (a funnel's target and overdispersion), as name and JSON
    /// text.
    pub metadata: Vec<(String, String)>,
    /// Values read as given that may not be what was meant.
    pub warnings: Vec<Warning>,
}

impl Table {
    /// The result column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A table as a front door holds it: its columns read by name.
///
/// Each method reads the whole column, refusing a value it cannot read with a
/// [`DocumentError::Input`] whose path names the column and row (`deaths[7]`); a null is
/// `None`, for the capability to accept or refuse.
pub trait Columns {
    /// The number of rows.
    fn rows(&self) -> usize;
    /// Whether the table has a column named `column`.
    fn has(&self, column: &str) -> bool;
    /// The column as numbers (any numeric type, or text of a number).
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] for a missing column or a value that is not a number.
    fn floats(&self, column: &str) -> Result<Vec<Option<f64>>, DocumentError>;
    /// The column as text (any type, written as text).
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] for a missing column.
    fn texts(&self, column: &str) -> Result<Vec<Option<String>>, DocumentError>;
    /// Each row's group by the values of the `by` columns: groups numbered from 0 in the
    /// order they first appear. By default from the columns' text ([`Columns::texts`]); a
    /// front door may do it on its own types without making text of every value.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] for a missing column or a null key, naming its row.
    fn group_keys(&self, by: &[String]) -> Result<Vec<usize>, DocumentError> {
        let mut keys: Vec<Vec<String>> = Vec::with_capacity(by.len());
        for column in by {
            keys.push(required(column, self.texts(column)?)?);
        }
        let mut index: std::collections::HashMap<Vec<&str>, usize> =
            std::collections::HashMap::new();
        Ok((0..self.rows())
            .map(|row| {
                let key: Vec<&str> = keys
                    .iter()
                    .map(|k| k.get(row).map_or("", String::as_str))
                    .collect();
                let next = index.len();
                *index.entry(key).or_insert(next)
            })
            .collect())
    }
    /// The column as numbers, every one present and finite. By default from
    /// [`Columns::floats`]; a front door may read its own numbers without the `Option` of each.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the row of a null, NaN or infinite value.
    fn finite(&self, column: &str) -> Result<Vec<f64>, DocumentError> {
        let values = required(column, self.floats(column)?)?;
        match values.iter().position(|x| !x.is_finite()) {
            Some(row) => Err(DocumentError::input(
                cell(column, row),
                "is not a finite number (NaN or infinite)",
            )),
            None => Ok(values),
        }
    }
    /// The column as exact amounts of money. By default read from its text
    /// ([`Columns::texts`]), in any spelling the document layer reads.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the row of a value that is not an exact amount.
    fn money(&self, column: &str) -> Result<Vec<Option<Money>>, DocumentError> {
        self.texts(column)?
            .into_iter()
            .enumerate()
            .map(|(row, text)| {
                text.map(|t| {
                    t.parse::<Money>()
                        .map_err(|e| DocumentError::input(cell(column, row), e))
                })
                .transpose()
            })
            .collect()
    }
    /// The column as dates. By default read from its text as `YYYY-MM-DD`.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the row of a value that is not a date.
    fn dates(&self, column: &str) -> Result<Vec<Option<NaiveDate>>, DocumentError> {
        self.texts(column)?
            .into_iter()
            .enumerate()
            .map(|(row, text)| {
                text.map(|t| {
                    NaiveDate::parse_from_str(t.get(..10).unwrap_or(&t), "%Y-%m-%d").map_err(|_| {
                        DocumentError::input(
                            cell(column, row),
                            format!("{t:?} is not a date (YYYY-MM-DD)"),
                        )
                    })
                })
                .transpose()
            })
            .collect()
    }
}

/// The path of a cell: `column[row]`, rows counted from 0 as a data frame counts them.
pub fn cell(column: &str, row: usize) -> String {
    format!("{column}[{row}]")
}

/// A table capability: its name and the function that runs it.
#[derive(Debug)]
#[non_exhaustive]
pub struct TableCapability {
    /// Its name, as Python's function names it.
    pub name: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    run: fn(&dyn Columns, &str) -> Result<Table, DocumentError>,
}

/// Every table capability.
pub const TABLES: [TableCapability; 12] = [
    TableCapability {
        name: "funnel",
        summary: "A funnel plot of many units: each unit's ratio, limits, z-scores and whether it is an outlier.",
        run: funnel::run,
    },
    TableCapability {
        name: "spc",
        summary: "SPC charts of many series at once (by facet): each point's limits and special-cause flags.",
        run: spc::points,
    },
    TableCapability {
        name: "spc_summary",
        summary: "SPC charts of many series at once: one row per series with its variation, assurance and latest point.",
        run: spc::summary,
    },
    TableCapability {
        name: "standardise",
        summary: "Proportions, rates, standardised ratios or directly standardised rates of many units, one row each.",
        run: standardise::run,
    },
    TableCapability {
        name: "frontier",
        summary: "The cost-effectiveness frontier: each strategy's incremental cost, effect, ICER and status.",
        run: priority::frontier,
    },
    TableCapability {
        name: "topsis",
        summary: "TOPSIS closeness and rank of each alternative, its criteria as columns.",
        run: priority::topsis,
    },
    TableCapability {
        name: "score",
        summary: "The multi-criteria value model: each option's score, rank and value on every criterion.",
        run: priority::score,
    },
    TableCapability {
        name: "peers",
        summary: "Each area's most similar peers (NHS RightCare's similar 10): one row per area and peer, nearest first.",
        run: peers::run,
    },
    TableCapability {
        name: "concentration",
        summary: "Where the money goes: each line's share of the spend, the cumulative share and its class.",
        run: priority::concentration,
    },
    TableCapability {
        name: "ceac",
        summary: "Cost-effectiveness acceptability curves from a table of simulations: one row per value and strategy.",
        run: psa::acceptability,
    },
    TableCapability {
        name: "evpi",
        summary: "The expected value of perfect information from a table of simulations: one row per value.",
        run: psa::information,
    },
    TableCapability {
        name: "expected_loss",
        summary: "The expected loss of each strategy from a table of simulations: one row per value and strategy.",
        run: psa::loss,
    },
];

/// Runs the table capability `name` on `table` with `options` (a JSON object).
///
/// # Errors
///
/// [`DocumentError::Input`] at `NAME` for no such capability; at an option's name for a bad
/// option; at `column[row]` for a value that cannot be read or breaks a rule.
pub fn run(name: &str, table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let capability = TABLES.iter().find(|t| t.name == name).ok_or_else(|| {
        let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        DocumentError::input(
            "NAME",
            format!(
                "no table capability named {name:?}; expected one of {}",
                names.join(", ")
            ),
        )
    })?;
    let result = (capability.run)(table, options)?;
    check_finite(&result)?;
    Ok(result)
}

/// Refuses a result holding a number that is not finite (which no front door may pass on as
/// a null), naming the result column and row.
fn check_finite(result: &Table) -> Result<(), DocumentError> {
    for column in &result.columns {
        let bad = match &column.values {
            Values::Float(values) => values
                .iter()
                .position(|v| v.is_some_and(|x| !x.is_finite())),
            Values::Numbers(values) => values.iter().position(|x| !x.is_finite()),
            _ => None,
        };
        if let Some(row) = bad {
            return Err(DocumentError::input(
                format!("result.{}", cell(&column.name, row)),
                "the computation gave a number that is not finite (NaN or infinite): check the magnitudes of the inputs behind it",
            ));
        }
    }
    Ok(())
}

/// A column's values required present: a null is refused, naming its row.
fn required<T>(column: &str, values: Vec<Option<T>>) -> Result<Vec<T>, DocumentError> {
    values
        .into_iter()
        .enumerate()
        .map(|(row, v)| v.ok_or_else(|| DocumentError::input(cell(column, row), "is empty (null)")))
        .collect()
}

/// A numeric column, every value present and finite.
fn finite(table: &dyn Columns, column: &str) -> Result<Vec<f64>, DocumentError> {
    table.finite(column)
}

/// Rows grouped by the values of the `by` columns, in the order each group first appears:
/// each group's rows in table order. No `by` columns: one group of every row.
fn groups(table: &dyn Columns, by: &[String]) -> Result<Vec<Vec<usize>>, DocumentError> {
    if by.is_empty() {
        return Ok(vec![(0..table.rows()).collect()]);
    }
    let keys = table.group_keys(by)?;
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (row, key) in keys.into_iter().enumerate() {
        if key >= out.len() {
            out.resize_with(key.saturating_add(1), Vec::new);
        }
        if let Some(group) = out.get_mut(key) {
            group.push(row);
        }
    }
    Ok(out)
}

/// The options of a table capability, read as JSON, naming a bad option by its name.
fn options<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    super::parse(text)
}

/// Refuses a missing column before any work, naming it and the columns there are not.
fn present(table: &dyn Columns, columns: &[&str]) -> Result<(), DocumentError> {
    match columns.iter().find(|c| !table.has(c)) {
        Some(missing) => Err(DocumentError::input(
            *missing,
            "no such column in the table",
        )),
        None => Ok(()),
    }
}

/// One name or several, as an option gives them (`by="icb"` or `by=["icb", "year"]`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(untagged)]
enum Names {
    /// No names.
    #[default]
    None,
    /// One name.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

impl Names {
    fn list(&self) -> Vec<String> {
        match self {
            Self::None => Vec::new(),
            Self::One(n) => vec![n.clone()],
            Self::Many(n) => n.clone(),
        }
    }
}

/// A money amount rounded to the penny, half up: the one rounding step of a money column.
fn pence(m: Money) -> Money {
    m.round_pence()
}

/// A count of things as a result value.
fn count(n: usize) -> Option<i64> {
    i64::try_from(n).ok()
}
