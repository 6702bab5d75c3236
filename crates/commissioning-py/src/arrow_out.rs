//! A result table as Arrow: the carried input columns taken at the result's rows (keeping
//! their types), then each result column with its declared presentation in the field's
//! metadata (`commissioning.kind`), money as `decimal128(38, 2)`.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::Decimal128Builder;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use commissioning::document::DocumentError;
use commissioning::document::table::{Column, Table, Values};
use commissioning::model::{Money, NaiveDate};

/// The metadata key of a field's presentation.
pub(crate) const KIND_KEY: &str = "commissioning.kind";

/// Money's places in Arrow: pence.
const MONEY_SCALE: i8 = 2;

/// `result` as one record batch, `input` giving the carried columns.
pub(crate) fn to_batch(result: Table, input: &RecordBatch) -> Result<RecordBatch, DocumentError> {
    let indices = UInt64Array::from_iter_values(result.rows.iter().map(|&r| r as u64));
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for name in &result.carried {
        let (i, field) = input
            .schema_ref()
            .column_with_name(name)
            .ok_or_else(|| DocumentError::input(name, "no such column in the table"))?;
        let column = input.column(i);
        let taken = arrow_select::take::take(column.as_ref(), &indices, None)
            .map_err(|e| DocumentError::input(name, format!("cannot carry the column: {e}")))?;
        fields.push(field.as_ref().clone());
        arrays.push(taken);
    }
    for column in result.columns {
        if result.carried.contains(&column.name) {
            continue;
        }
        let (field, array) = arrow_column(column)?;
        fields.push(field);
        arrays.push(array);
    }
    let metadata: HashMap<String, String> = result
        .metadata
        .into_iter()
        .map(|(k, v)| (format!("commissioning.{k}"), v))
        .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    RecordBatch::try_new(schema, arrays)
        .map_err(|e| DocumentError::Io(format!("cannot build the result table: {e}")))
}

/// One result column as an Arrow field and array.
fn arrow_column(column: Column) -> Result<(Field, ArrayRef), DocumentError> {
    let name = column.name;
    let (data_type, array): (DataType, ArrayRef) = match column.values {
        Values::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v))),
        Values::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v))),
        Values::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v))),
        Values::Text(v) => (DataType::Utf8, Arc::new(StringArray::from(v))),
        Values::Numbers(v) => (DataType::Float64, Arc::new(Float64Array::from(v))),
        Values::Counts(v) => (DataType::Int64, Arc::new(Int64Array::from(v))),
        Values::Label(v) => (DataType::Utf8, Arc::new(StringArray::from(v))),
        Values::Date(v) => (
            DataType::Date32,
            Arc::new(Date32Array::from(
                v.into_iter().map(|d| d.map(days)).collect::<Vec<_>>(),
            )),
        ),
        Values::Money(v) => {
            let array = money(&name, &v)?;
            (array.data_type().clone(), Arc::new(array))
        }
        _ => {
            return Err(DocumentError::Io(format!(
                "{name}: a column of an unknown type"
            )));
        }
    };
    let field = Field::new(name, data_type, true).with_metadata(HashMap::from([(
        KIND_KEY.to_owned(),
        column.kind.name().to_owned(),
    )]));
    Ok((field, array))
}

/// Days since 1970-01-01, Arrow's epoch.
fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from(d.signed_duration_since(epoch).num_days()).unwrap_or(i32::MAX)
}

/// Amounts in pence as `decimal128(38, 2)`; the document layer has rounded them.
fn money(
    name: &str,
    values: &[Option<Money>],
) -> Result<arrow_array::Decimal128Array, DocumentError> {
    let mut builder = Decimal128Builder::with_capacity(values.len());
    for (row, value) in values.iter().enumerate() {
        match value {
            Some(m) => {
                let pence = m.to_pence().ok_or_else(|| {
                    DocumentError::input(format!("{name}[{row}]"), "is not a whole number of pence")
                })?;
                builder.append_value(pence);
            }
            None => builder.append_null(),
        }
    }
    builder
        .finish()
        .with_precision_and_scale(38, MONEY_SCALE)
        .map_err(|e| DocumentError::Io(format!("{name}: {e}")))
}
