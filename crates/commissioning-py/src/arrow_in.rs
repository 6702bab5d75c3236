//! An Arrow table read by the document layer: its columns by name as numbers, text, money or
//! dates, any value that cannot be read named by its column and row.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float16Type, Float32Type, Float64Type, Int8Type,
    Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use commissioning::document::DocumentError;
use commissioning::document::table::{Columns, cell};
use commissioning::model::{Decimal, Money, NaiveDate};

/// One Arrow record batch (the input's batches put together), read by column name.
pub(crate) struct ArrowColumns {
    batch: RecordBatch,
}

impl ArrowColumns {
    pub(crate) fn new(batch: RecordBatch) -> Self {
        Self { batch }
    }

    /// The column's numbers read as the document layer does by default.
    fn default_finite(&self, column: &str) -> Result<Vec<f64>, DocumentError> {
        Defaults(self).finite(column)
    }

    /// Groups by the columns' text, as the document layer does by default.
    fn default_group_keys(&self, by: &[String]) -> Result<Vec<usize>, DocumentError> {
        Defaults(self).group_keys(by)
    }

    /// The table as one batch.
    pub(crate) fn batch(&self) -> &RecordBatch {
        &self.batch
    }

    /// The column named `name`, refused by name when the table has none.
    pub(crate) fn column(&self, name: &str) -> Result<&ArrayRef, DocumentError> {
        self.batch.column_by_name(name).ok_or_else(|| {
            let names: Vec<&str> = self
                .batch
                .schema_ref()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect();
            DocumentError::input(
                name,
                format!("no such column; the table has {}", names.join(", ")),
            )
        })
    }
}

/// Each value's group, numbered from 0 in the order the values first appear.
fn dense<K: std::hash::Hash + Eq>(values: impl Iterator<Item = K>) -> Vec<usize> {
    let mut index: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    values
        .map(|v| {
            let next = index.len();
            *index.entry(v).or_insert(next)
        })
        .collect()
}

/// The column's values of a primitive type, as `f64`.
fn primitive<T: arrow_array::ArrowPrimitiveType>(
    array: &dyn Array,
    to: impl Fn(T::Native) -> f64,
) -> Vec<Option<f64>> {
    array
        .as_primitive::<T>()
        .iter()
        .map(|v| v.map(&to))
        .collect()
}

/// A wrong type, named with the type found and the types read.
fn wrong_type(column: &str, found: &DataType, wanted: &str) -> DocumentError {
    DocumentError::input(column, format!("is of type {found}; expected {wanted}"))
}

/// A table read with the document layer's default readings, which the table's own faster
/// readings fall back to.
struct Defaults<'a>(&'a ArrowColumns);

impl Columns for Defaults<'_> {
    fn rows(&self) -> usize {
        self.0.rows()
    }
    fn has(&self, column: &str) -> bool {
        self.0.has(column)
    }
    fn floats(&self, column: &str) -> Result<Vec<Option<f64>>, DocumentError> {
        self.0.floats(column)
    }
    fn texts(&self, column: &str) -> Result<Vec<Option<String>>, DocumentError> {
        self.0.texts(column)
    }
}

impl Columns for ArrowColumns {
    fn rows(&self) -> usize {
        self.batch.num_rows()
    }

    fn has(&self, column: &str) -> bool {
        self.batch.column_by_name(column).is_some()
    }

    #[allow(clippy::cast_precision_loss)] // counts beyond 2^53 are not counts of people
    fn floats(&self, column: &str) -> Result<Vec<Option<f64>>, DocumentError> {
        let array = self.column(column)?;
        let a = array.as_ref();
        Ok(match array.data_type() {
            DataType::Float64 => primitive::<Float64Type>(a, |v| v),
            DataType::Float32 => primitive::<Float32Type>(a, f64::from),
            DataType::Float16 => primitive::<Float16Type>(a, f64::from),
            DataType::Int64 => primitive::<Int64Type>(a, |v| v as f64),
            DataType::Int32 => primitive::<Int32Type>(a, f64::from),
            DataType::Int16 => primitive::<Int16Type>(a, f64::from),
            DataType::Int8 => primitive::<Int8Type>(a, f64::from),
            DataType::UInt64 => primitive::<UInt64Type>(a, |v| v as f64),
            DataType::UInt32 => primitive::<UInt32Type>(a, f64::from),
            DataType::UInt16 => primitive::<UInt16Type>(a, f64::from),
            DataType::UInt8 => primitive::<UInt8Type>(a, f64::from),
            DataType::Decimal128(_, scale) => {
                let scale = u32::try_from(*scale).unwrap_or(0);
                a.as_primitive::<Decimal128Type>()
                    .iter()
                    .map(|v| {
                        v.and_then(|v| Decimal::try_from_i128_with_scale(v, scale).ok())
                            .and_then(|d| f64::try_from(d).ok())
                    })
                    .collect()
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                return self
                    .texts(column)?
                    .into_iter()
                    .enumerate()
                    .map(|(row, t)| {
                        t.map(|t| {
                            let plain = t.trim().replace(',', "");
                            plain.parse::<f64>().map_err(|_| {
                                DocumentError::input(
                                    cell(column, row),
                                    format!("{t:?} is not a number"),
                                )
                            })
                        })
                        .transpose()
                    })
                    .collect();
            }
            other => return Err(wrong_type(column, other, "numbers")),
        })
    }

    fn finite(&self, column: &str) -> Result<Vec<f64>, DocumentError> {
        let array = self.column(column)?;
        if array.data_type() != &DataType::Float64 || array.null_count() > 0 {
            return self.default_finite(column);
        }
        // A column of doubles without nulls, the usual case: its values as they are.
        let values = array.as_primitive::<Float64Type>().values();
        match values.iter().position(|x| !x.is_finite()) {
            Some(row) => Err(DocumentError::input(
                cell(column, row),
                "is not a finite number (NaN or infinite)",
            )),
            None => Ok(values.to_vec()),
        }
    }

    fn texts(&self, column: &str) -> Result<Vec<Option<String>>, DocumentError> {
        let array = self.column(column)?;
        let text = match array.data_type() {
            DataType::Utf8 => array.clone(),
            _ => arrow_cast::cast(array, &DataType::Utf8).map_err(|e| {
                DocumentError::input(column, format!("cannot be read as text: {e}"))
            })?,
        };
        Ok(text
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_owned))
            .collect())
    }

    fn group_keys(&self, by: &[String]) -> Result<Vec<usize>, DocumentError> {
        let [one] = by else {
            return self.default_group_keys(by);
        };
        let array = self.column(one)?;
        if let Some(row) = (0..array.len()).find(|&r| array.is_null(r)) {
            return Err(DocumentError::input(cell(one, row), "is empty (null)"));
        }
        // One key column of whole numbers or text, the usual case: grouped on its own values.
        match array.data_type() {
            DataType::Int64 => Ok(dense(
                array.as_primitive::<Int64Type>().values().iter().copied(),
            )),
            DataType::Int32 => Ok(dense(
                array.as_primitive::<Int32Type>().values().iter().copied(),
            )),
            DataType::Utf8 => Ok(dense(
                array
                    .as_string::<i32>()
                    .iter()
                    .map(Option::unwrap_or_default),
            )),
            DataType::LargeUtf8 => Ok(dense(
                array
                    .as_string::<i64>()
                    .iter()
                    .map(Option::unwrap_or_default),
            )),
            DataType::Utf8View => Ok(dense(
                array.as_string_view().iter().map(Option::unwrap_or_default),
            )),
            _ => self.default_group_keys(by),
        }
    }

    fn money(&self, column: &str) -> Result<Vec<Option<Money>>, DocumentError> {
        let array = self.column(column)?;
        match array.data_type() {
            DataType::Decimal128(_, scale) => {
                let scale = u32::try_from(*scale).map_err(|_| {
                    DocumentError::input(column, "a decimal with a negative scale is not money")
                })?;
                array
                    .as_primitive::<Decimal128Type>()
                    .iter()
                    .enumerate()
                    .map(|(row, v)| {
                        v.map(|v| {
                            Decimal::try_from_i128_with_scale(v, scale)
                                .map(Money::new)
                                .map_err(|e| DocumentError::input(cell(column, row), e))
                        })
                        .transpose()
                    })
                    .collect()
            }
            DataType::Float64 | DataType::Float32 | DataType::Float16 => self
                .floats(column)?
                .into_iter()
                .enumerate()
                .map(|(row, v)| v.map(|x| whole_pounds(column, row, x)).transpose())
                .collect(),
            DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => self
                .texts(column)?
                .into_iter()
                .enumerate()
                .map(|(row, t)| {
                    t.map(|t| {
                        t.parse::<Money>()
                            .map_err(|e| DocumentError::input(cell(column, row), e))
                    })
                    .transpose()
                })
                .collect(),
            other => Err(wrong_type(
                column,
                other,
                "money (decimals, whole numbers or text)",
            )),
        }
    }

    fn dates(&self, column: &str) -> Result<Vec<Option<NaiveDate>>, DocumentError> {
        let array = self.column(column)?;
        let day = from_epoch;
        match array.data_type() {
            DataType::Date32 => Ok(array
                .as_primitive::<Date32Type>()
                .iter()
                .map(|v| v.and_then(|d| day(i64::from(d))))
                .collect()),
            DataType::Date64 => Ok(array
                .as_primitive::<Date64Type>()
                .iter()
                .map(|v| v.and_then(|ms| day(ms.div_euclid(86_400_000))))
                .collect()),
            DataType::Timestamp(_, _) => {
                let as_dates = arrow_cast::cast(array, &DataType::Date32).map_err(|e| {
                    DocumentError::input(column, format!("cannot be read as dates: {e}"))
                })?;
                Ok(as_dates
                    .as_primitive::<Date32Type>()
                    .iter()
                    .map(|v| v.and_then(|d| day(i64::from(d))))
                    .collect())
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                self.texts(column)?
                    .into_iter()
                    .enumerate()
                    .map(|(row, t)| {
                        t.map(|t| {
                            NaiveDate::parse_from_str(t.get(..10).unwrap_or(&t), "%Y-%m-%d")
                                .map_err(|_| {
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
            other => Err(wrong_type(column, other, "dates")),
        }
    }
}

/// Days from the first day of the common era to 1970-01-01, Arrow's epoch.
const EPOCH_FROM_CE: i64 = 719_163;

/// The date `days` after 1970-01-01.
fn from_epoch(days: i64) -> Option<NaiveDate> {
    let from_ce = i32::try_from(days.checked_add(EPOCH_FROM_CE)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(from_ce)
}

/// A binary number as money: accepted when it is a whole number of pence as written (the
/// shortest decimal that reads back as the same binary number), refused otherwise, as JSON
/// documents refuse binary fractions for money.
fn whole_pounds(column: &str, row: usize, x: f64) -> Result<Money, DocumentError> {
    let refuse = |why: &str| {
        DocumentError::input(
            cell(column, row),
            format!(
                "{x} {why}: money is exact, so give it as decimals (pyarrow decimal128(18, 2)), text or whole numbers"
            ),
        )
    };
    if !x.is_finite() {
        return Err(refuse("is not a finite number"));
    }
    let d: Decimal = x
        .to_string()
        .parse()
        .map_err(|_| refuse("is out of range"))?;
    if d.scale() > 2 {
        return Err(refuse("has more places than pence"));
    }
    Ok(Money::new(d))
}
