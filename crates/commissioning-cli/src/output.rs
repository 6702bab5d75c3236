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
        let mut json = serde_json::Serializer::with_formatter(&mut buffered, Pretty::default());
        self.0.serialize(&mut json).map_err(|e| failed(&e))?;
        buffered.write_all(b"\n").map_err(|e| failed(&e))?;
        buffered.flush().map_err(|e| failed(&e))
    }

    fn to_value(&self) -> Result<Value, CliError> {
        crate::commands::to_json(&self.0)
    }
}

/// `serde_json`'s pretty layout (two spaces a level, `": "` after a key), with each line break
/// and its indentation written as one slice rather than a write per level.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A line break followed by the indentation of up to 32 levels.
const BREAK: &[u8; 65] = b"\n                                                                ";

impl Pretty {
    fn line<W: ?Sized + Write>(&self, out: &mut W) -> std::io::Result<()> {
        let spaces = self.depth.saturating_mul(2);
        match BREAK.get(..spaces.saturating_add(1)) {
            Some(text) => out.write_all(text),
            None => {
                out.write_all(b"\n")?;
                for _ in 0..self.depth {
                    out.write_all(b"  ")?;
                }
                Ok(())
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_add(1);
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.line(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.line(out)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout is `serde_json`'s pretty layout, byte for byte, at every depth.
    #[test]
    fn the_layout_is_serde_jsons_pretty_layout() {
        let mut deep = serde_json::json!([1, {"a": [], "b": {}}]);
        for k in 0..40 {
            deep = serde_json::json!({"k": k, "v": [deep, "x", null, {"e": []}]});
        }
        for value in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"rows": [{"id": "a", "cost": "1.00"}, {"id": "b"}], "t": 2.5}),
            deep,
        ] {
            let mut ours = Vec::new();
            let mut json = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
            value.serialize(&mut json).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }
}
