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

pub use capabilities::{CAPABILITIES, Capability};
pub use io::{
    Classified, DocumentError, ErrorKind, MAX_INPUT, escape_controls, forget, leading_field,
    max_input, parse, read, remember, with_ids,
};
pub use limits::{LIMITS, Limit};
pub use output::Output;
pub use slips::Warning;

use crate::compare::opportunity::Polarity;

/// What a front door asks of a run besides the result: a chart, and for `validate` a register
/// of organisations.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Request {
    /// Draw the capability's chart, with these settings; `None` draws nothing.
    pub chart: Option<ChartRequest>,
    /// A register of organisations (JSON text) to check a contract's parties against.
    pub organisations: Option<String>,
}

impl Request {
    /// The result alone: no chart, no register.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also draw the chart, with `title` or the capability's own title.
    #[must_use]
    pub fn with_chart(mut self, title: Option<String>) -> Self {
        self.chart = Some(ChartRequest {
            title,
            polarity: self.chart.and_then(|c| c.polarity),
        });
        self
    }

    /// Which direction is better, to colour a funnel plot's outliers as better or worse.
    #[must_use]
    pub fn with_polarity(mut self, polarity: Option<Polarity>) -> Self {
        if let Some(chart) = self.chart.as_mut() {
            chart.polarity = polarity;
        }
        self
    }

    /// Check a contract's parties against this register of organisations (JSON text).
    #[must_use]
    pub fn with_organisations(mut self, register: Option<String>) -> Self {
        self.organisations = register;
        self
    }
}

/// How to draw a chart.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ChartRequest {
    /// The chart's title; the capability's own title when `None`.
    pub title: Option<String>,
    /// Which direction is better (funnel plots).
    pub polarity: Option<Polarity>,
}

/// What a run gives back.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome<'a> {
    /// The typed result.
    pub result: Output<'a>,
    /// The chart as SVG, when one was asked for and the capability draws one.
    pub chart: Option<String>,
    /// Values read as written that may not be what was meant.
    pub warnings: Vec<Warning>,
    /// For `validate`: the first problem, when the contract is invalid (the result is still
    /// the full report).
    pub problem: Option<String>,
}

impl<'a> Outcome<'a> {
    fn of(result: Output<'a>) -> Self {
        Self {
            result,
            chart: None,
            warnings: Vec::new(),
            problem: None,
        }
    }

    fn value(value: serde_json::Value) -> Self {
        Self::of(Output::value(value))
    }

    fn drawn(result: Output<'a>, chart: Option<String>) -> Self {
        Self {
            chart,
            ..Self::of(result)
        }
    }
}

/// A document read for a capability: its text, and the parts that the result refers to rather
/// than copies.
pub struct Document<'t> {
    capability: &'static Capability,
    text: &'t str,
    frontier: Option<commands::FrontierDoc>,
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("capability", &self.capability.name)
            .field("bytes", &self.text.len())
            .finish_non_exhaustive()
    }
}

impl<'t> Document<'t> {
    /// The document `text` for the capability `name` (`"funnel"`, `"settle"`, … — see
    /// [`CAPABILITIES`]).
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] at `NAME` when no capability has that name; for a document
    /// read whole here (the frontier's strategies), any fault in it.
    pub fn new(name: &str, text: &'t str) -> Result<Self, DocumentError> {
        let capability = Capability::named(name)?;
        let frontier = match capability.name {
            "frontier" => Some(commands::frontier_doc(text)?),
            _ => None,
        };
        Ok(Self {
            capability,
            text,
            frontier,
        })
    }

    /// The capability the document is for.
    pub fn capability(&self) -> &'static Capability {
        self.capability
    }

    /// Runs the capability on the document.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the path of the offending value when the document is
    /// malformed, breaks a rule, or asks for more work or output than a [`Limit`] allows.
    pub fn run(&self, request: &Request) -> Result<Outcome<'_>, DocumentError> {
        let warnings = slips::check(self.capability.name, self.text)?;
        let mut outcome = self.capability.runner()(self, request)?;
        outcome.warnings = warnings;
        Ok(outcome)
    }
}

/// The JSON Schema of the input document of capability `name` (or `organisations`, the
/// register `validate` reads), with the first paragraph of each description.
///
/// # Errors
///
/// [`DocumentError::Input`] at `NAME` when there is no such document.
pub fn schema(name: &str) -> Result<serde_json::Value, DocumentError> {
    commands::schema_cmd(name)
}

/// The error as the user should see it: a share written as a percentage's number gets the
/// percentage it probably meant, and a path through items with ids names them by id
/// (`options[id=telecare].cost`), from the document last [`remember`]ed.
pub fn explain(e: DocumentError) -> DocumentError {
    with_ids(slips::hint(e))
}
