//! Typed results that are written straight to the output. Results that grow with the document (an SPC chart's points, a frontier's rows)
//! are typed, so that a million points are never held a second time as JSON values (about a
//! kilobyte each) nor as one string: they are checked for non-finite numbers, then serialised
//! through a buffer in the order their types declare.

use serde::Serialize;
use serde_json::Value;
use std::io::Write;

use crate::io::CliError;

/// A typed result, written without an intermediate value.
pub(crate) struct Output<'a>(Box<dyn TypedResult + 'a>);

impl<'a> Output<'a> {
    /// A typed result.
    pub(crate) fn typed<T: Serialize + 'a>(result: T) -> Self {
        Self(Box::new(Typed(result)))
    }

    /// Writes the result as JSON.
    pub(crate) fn write_json(&self, out: &mut dyn Write) -> Result<(), CliError> {
        self.0.write_json(out)
    }

    /// The result as a JSON value, for a table.
    pub(crate) fn to_value(&self) -> Result<Value, CliError> {
        self.0.to_value()
    }
}

/// A result that can write itself as JSON, or give its JSON value for a table.
pub(crate) trait TypedResult {
    /// Checks every number is finite, then writes pretty JSON and a newline.
    fn write_json(&self, out: &mut dyn Write) -> Result<(), CliError>;
    /// The result as a JSON value (checked the same way).
    fn to_value(&self) -> Result<Value, CliError>;
}

struct Typed<T>(T);

impl<T: Serialize> TypedResult for Typed<T> {
    fn write_json(&self, out: &mut dyn Write) -> Result<(), CliError> {
        crate::commands::check_finite(&self.0)?;
        let failed =
            |e: &dyn std::fmt::Display| CliError::Io(format!("cannot write the output: {e}"));
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut buffered, &self.0).map_err(|e| failed(&e))?;
        buffered.write_all(b"\n").map_err(|e| failed(&e))?;
        buffered.flush().map_err(|e| failed(&e))
    }

    fn to_value(&self) -> Result<Value, CliError> {
        crate::commands::to_json(&self.0)
    }
}
