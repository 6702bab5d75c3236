//! The `commissioning` Python package's native module, `commissioning._native`: the document
//! layer of the `commissioning` crates reached from Python.
//!
//! Three doors, each a thin conversion around the document layer:
//!
//! - `table(name, data, options)`: a capability whose heart is a table, on any object that
//!   exports an Arrow stream (pyarrow, Polars, `DuckDB`, arro3; pandas through pyarrow), with its
//!   options as JSON; the result is a `pyarrow.Table` whose fields carry their presentation.
//! - `run(name, document, chart, title)`: any capability on its JSON document, exactly as the
//!   command reads it; the result's JSON, the chart's SVG when asked, and the warnings.
//! - `schema(name)`: the JSON Schema of a capability's document.
//!
//! Every refusal is a `commissioning.Error` (a `ValueError`) with the document layer's `path`,
//! `kind` and message; the work runs with the interpreter released, and a panic — which would
//! be a defect — is caught and raised as an `Error` of kind `internal`, never as `PyO3`'s
//! `PanicException`. The module starts no threads or processes of its own.

mod arrow_in;
mod arrow_out;

use std::panic::{AssertUnwindSafe, catch_unwind};

use arrow_array::RecordBatch;
use commissioning::document::{self, Document, DocumentError, Request, Warning};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

create_exception!(
    commissioning,
    Error,
    PyValueError,
    "A document or table the commissioning libraries refused: `.path` names the offending value (a document path such as `agreement.gain.bands[1].rate`, or a table's `column[row]`), `.kind` says what kind of refusal it is (`invalid_input`, `out_of_range`, `undefined`, `io` or `internal`), and `.message` says what is wrong."
);

/// A refusal as a `commissioning.Error` with its path, kind and message.
fn to_py(py: Python<'_>, e: &DocumentError) -> PyErr {
    let (kind, path, message) = e.parts();
    raise(py, kind, &path, &message)
}

/// A `commissioning.Error` with these parts.
fn raise(py: Python<'_>, kind: &str, path: &str, message: &str) -> PyErr {
    let text = if path.is_empty() {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    };
    let err = Error::new_err(text);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice; if it did, the
    // exception still carries its message.
    let _ = value.setattr("path", path);
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("message", message);
    err
}

/// Runs `work` with the interpreter released, a panic caught as an `internal` error.
fn guarded<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, DocumentError> + Send,
) -> PyResult<T> {
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(work)));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(to_py(py, &e)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(raise(
                py,
                "internal",
                "",
                &format!("an internal error (a defect in commissioning; please report it): {what}"),
            ))
        }
    }
}

/// Pairs of text: warnings as `(path, message)`, table capabilities as `(name, summary)`.
type Pairs = Vec<(String, String)>;

/// What `run` gives back: the result's JSON, the chart, `validate`'s first problem, warnings.
type RunResult = (String, Option<String>, Option<String>, Pairs);

/// Warnings as `(path, message)` pairs.
fn pairs(warnings: Vec<Warning>) -> Pairs {
    warnings.into_iter().map(|w| (w.path, w.message)).collect()
}

/// The table capability `name` on `data` with `options` (a JSON object's text): the result
/// as a `pyarrow.Table`, and the warnings as `(path, message)` pairs.
#[pyfunction]
fn table<'py>(
    py: Python<'py>,
    name: &str,
    data: PyTable,
    options: &str,
) -> PyResult<(Bound<'py, PyAny>, Pairs)> {
    let (batches, schema) = data.into_inner();
    let (batch, warnings) = guarded(py, move || {
        let input = match <[RecordBatch; 1]>::try_from(batches) {
            Ok([one]) => one,
            Err(batches) => arrow_select::concat::concat_batches(&schema, &batches)
                .map_err(|e| DocumentError::input("data", format!("cannot read the table: {e}")))?,
        };
        let columns = arrow_in::ArrowColumns::new(input);
        let mut result = document::table::run(name, &columns, options)?;
        let warnings = std::mem::take(&mut result.warnings);
        let batch: RecordBatch = arrow_out::to_batch(result, columns.batch())?;
        Ok((batch, warnings))
    })?;
    let schema = batch.schema();
    let out = PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)?;
    Ok((out, pairs(warnings)))
}

/// The capability `name` on its JSON document: the result's JSON text, the chart's SVG (when
/// `chart` asks and the capability draws one), `validate`'s first problem, and the warnings.
#[pyfunction]
#[pyo3(signature = (name, document, chart = false, title = None))]
fn run(
    py: Python<'_>,
    name: &str,
    document: &str,
    chart: bool,
    title: Option<String>,
) -> PyResult<RunResult> {
    guarded(py, || {
        document::forget();
        document::remember(document);
        let outcome = (|| {
            let doc = Document::new(name, document)?;
            let request = if chart {
                Request::new().with_chart(title)
            } else {
                Request::new()
            };
            let outcome = doc.run(&request)?;
            let mut json = Vec::new();
            outcome.result.write_json(&mut json)?;
            let json = String::from_utf8(json)
                .map_err(|e| DocumentError::Io(format!("the result is not UTF-8: {e}")))?;
            Ok((
                json,
                outcome.chart,
                outcome.problem,
                pairs(outcome.warnings),
            ))
        })()
        .map_err(document::explain);
        document::forget();
        outcome
    })
}

/// The JSON Schema of capability `name`'s document, as JSON text.
#[pyfunction]
fn schema(py: Python<'_>, name: &str) -> PyResult<String> {
    guarded(py, || Ok(document::schema(name)?.to_string()))
}

/// Every capability of `run` and of `table`: `(name, summary, draws a chart)`.
#[pyfunction]
fn capabilities() -> (Vec<(String, String, bool)>, Pairs) {
    let documents = document::CAPABILITIES
        .iter()
        .map(|c| (c.name.to_owned(), c.summary.to_owned(), c.draws))
        .collect();
    let tables = document::table::TABLES
        .iter()
        .map(|t| (t.name.to_owned(), t.summary.to_owned()))
        .collect();
    (documents, tables)
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Error", m.py().get_type::<Error>())?;
    m.add_function(wrap_pyfunction!(table, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(capabilities, m)?)?;
    Ok(())
}
