//! The document layer: for every capability, the input document (serde, with its JSON Schema),
//! the call into the libraries, and the result — one place that the command, the Python
//! package and the meeting pack all use, so that each reads the same documents, refuses the
//! same mistakes with the same paths, and writes the same results.
//!
//! A front door names a capability and hands over the document's text; the layer parses it,
//! checks it, runs the library and returns an [`Outcome`]: the typed result (written as JSON
//! without an intermediate value tree where results grow with the input), the chart when one
//! was asked for, warnings about likely slips, and — for `validate` — the first problem found.
//!
//! # Examples
//!
//! ```
//! use commissioning::document::{Document, Request};
//!
//! let text = r#"{"strategies": [{"id": "usual care", "cost": "5000", "effect": 1.0},
//!                               {"id": "new pathway", "cost": "10000", "effect": 1.5}]}"#;
//! let document = Document::new("frontier", text)?;
//! let outcome = document.run(&Request::new())?;
//! let result = outcome.result.to_value()?;
//! assert_eq!(result["rows"][1]["icer"], 10_000.0);
//! assert!(outcome.chart.is_none()); // no chart was asked for, so none was drawn
//!
//! // A refusal names the path of the offending value.
//! let bad = Document::new("frontier", r#"{"strategies": [{"id": "a", "cost": "x", "effect": 1}]}"#)
//!     .and_then(|d| d.run(&Request::new()).map(|_| ()))
//!     .unwrap_err();
//! assert_eq!(bad.parts().1, "strategies[0].cost");
//! # Ok::<(), commissioning::document::DocumentError>(())
//! ```

mod array_in;
mod calc;
mod capabilities;
mod chunks;
mod commands;
mod compare;
mod demand;
mod finite;
mod frontier_in;
mod frontier_out;
mod io;
pub mod limits;
mod output;
mod slips;
mod spc_in;
mod spc_out;
pub mod table;

pub use capabilities::{CAPABILITIES, Capability, ChartRequest, Document, Outcome, Request};
pub use io::{
    Classified, DocumentError, ErrorKind, MAX_INPUT, escape_controls, forget, leading_field,
    max_input, parse, read, remember, with_ids,
};
pub use limits::{LIMITS, Limit};
pub use output::Output;
pub use slips::Warning;
pub use table::Kind;

/// The JSON Schema of the input document of capability `name` (or `organisations`, the
/// register `validate` reads), with the first paragraph of each description.
///
/// # Errors
///
/// [`DocumentError::Input`] at `NAME` when there is no such document.
pub fn schema(name: &str) -> Result<serde_json::Value, DocumentError> {
    commands::schema_cmd(name)
}

/// The JSON Schema of a front door's own document `T` (the meeting pack's), as [`schema`]
/// gives the capabilities': with the first paragraph of each description.
///
/// # Errors
///
/// [`DocumentError::Io`] if the schema cannot be written as JSON.
pub fn schema_of<T: schemars::JsonSchema>() -> Result<serde_json::Value, DocumentError> {
    commands::schema_value(&schemars::schema_for!(T))
}

/// The error as the user should see it: a share written as a percentage's number gets the
/// percentage it probably meant, and a path through items with ids names them by id
/// (`options[id=telecare].cost`), from the document last [`remember`]ed.
pub fn explain(e: DocumentError) -> DocumentError {
    with_ids(slips::hint(e))
}
