//! Typed results that are written straight to the output. Results that grow with the document (an SPC chart's points, a frontier's rows)
//! are typed, so that a million points are never held a second time as JSON values (about a
//! kilobyte each) nor as one string: they are checked for non-finite numbers, then serialised
//! through a buffer in the order their types declare.

use serde::Serialize;
use serde_json::Value;
use std::io::Write;

use crate::document::io::DocumentError;

/// A capability's result: written as JSON straight from its types (without an intermediate
/// value tree where results grow with the input), or given as a JSON value for a table.
pub struct Output<'a>(Box<dyn TypedResult + 'a>);

impl std::fmt::Debug for Output<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Output")
    }
}

impl<'a> Output<'a> {
    /// A result already made a JSON value (its numbers checked finite).
    pub(crate) fn value(value: Value) -> Self {
        Self(Box::new(Plain(value)))
    }

    /// A typed result.
    pub(crate) fn typed<T: Serialize + 'a>(result: T) -> Self {
        Self(Box::new(Typed(result)))
    }

    /// A result that writes its own JSON.
    pub(crate) fn of(result: impl TypedResult + 'a) -> Self {
        Self(Box::new(result))
    }

    /// Writes the result as pretty JSON and a newline.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the field of a number that is not finite (JSON would
    /// write it as `null`); [`DocumentError::Io`] when `out` refuses the text.
    pub fn write_json(&self, out: &mut dyn Write) -> Result<(), DocumentError> {
        self.0.write_json(out)
    }

    /// The result as a JSON value, for a table.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the field of a number that is not finite.
    pub fn to_value(&self) -> Result<Value, DocumentError> {
        self.0.to_value()
    }
}

/// A result that can write itself as JSON, or give its JSON value for a table.
pub(crate) trait TypedResult {
    /// Checks every number is finite, then writes pretty JSON and a newline.
    fn write_json(&self, out: &mut dyn Write) -> Result<(), DocumentError>;
    /// The result as a JSON value (checked the same way).
    fn to_value(&self) -> Result<Value, DocumentError>;
}

/// Writes a result through a 64 KiB buffer with `write`, then a newline.
pub(crate) fn write_buffered(
    out: &mut dyn Write,
    write: impl FnOnce(&mut std::io::BufWriter<&mut dyn Write>) -> std::io::Result<()>,
) -> Result<(), DocumentError> {
    let failed = |e: std::io::Error| DocumentError::Io(format!("cannot write the output: {e}"));
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    write(&mut buffered).map_err(failed)?;
    buffered.write_all(b"\n").map_err(failed)?;
    buffered.flush().map_err(failed)
}

/// Each value of an enum as the JSON text serde gives it, made the first time it is met.
pub(crate) struct Names<T>(Vec<(T, Vec<u8>)>);

impl<T> Default for Names<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: Serialize + Copy + PartialEq> Names<T> {
    pub(crate) fn of(&mut self, value: T) -> std::io::Result<&[u8]> {
        let at = match self.0.iter().position(|(v, _)| *v == value) {
            Some(at) => at,
            None => {
                let text = serde_json::to_vec(&value).map_err(std::io::Error::other)?;
                self.0.push((value, text));
                self.0.len().saturating_sub(1)
            }
        };
        Ok(self
            .0
            .get(at)
            .map(|(_, text)| text.as_slice())
            .unwrap_or_default())
    }
}

/// A result already a JSON value, written as `serde_json` writes it.
struct Plain(Value);

impl TypedResult for Plain {
    fn write_json(&self, out: &mut dyn Write) -> Result<(), DocumentError> {
        write_buffered(out, |buffered| {
            serde_json::to_writer_pretty(buffered, &self.0).map_err(std::io::Error::other)
        })
    }

    fn to_value(&self) -> Result<Value, DocumentError> {
        Ok(self.0.clone())
    }
}

struct Typed<T>(T);

impl<T: Serialize> TypedResult for Typed<T> {
    fn write_json(&self, out: &mut dyn Write) -> Result<(), DocumentError> {
        crate::document::finite::check_finite(&self.0)?;
        write_buffered(out, |buffered| {
            let mut json = serde_json::Serializer::with_formatter(buffered, Pretty::default());
            self.0.serialize(&mut json).map_err(std::io::Error::other)
        })
    }

    fn to_value(&self) -> Result<Value, DocumentError> {
        crate::document::finite::to_json(&self.0)
    }
}

/// `serde_json`'s pretty layout (two spaces a level, `": "` after a key), written with as
/// few writes as the layout allows: each line break with its indentation (and, before a key,
/// the comma and the key's opening quote) is one slice, and a key's closing quote is written
/// with the `": "` that follows it.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
    /// Whether a key is being written (its quotes are written by the key's neighbours).
    in_key: bool,
    /// For each depth: the line break and indentation of a first item, of a later item (with
    /// its comma), and of a first and a later key (with the key's opening quote).
    lines: Vec<[Vec<u8>; 4]>,
}

/// Which of a depth's line starts: `[first item, later item, first key, later key]`.
const FIRST: usize = 0;
const LATER: usize = 1;
const FIRST_KEY: usize = 2;
const LATER_KEY: usize = 3;

impl Pretty {
    fn line<W: ?Sized + Write>(&mut self, out: &mut W, which: usize) -> std::io::Result<()> {
        while self.lines.len() <= self.depth {
            let indent = "  ".repeat(self.lines.len());
            self.lines.push([
                format!("\n{indent}").into_bytes(),
                format!(",\n{indent}").into_bytes(),
                format!("\n{indent}\"").into_bytes(),
                format!(",\n{indent}\"").into_bytes(),
            ]);
        }
        match self.lines.get(self.depth).and_then(|l| l.get(which)) {
            Some(text) => out.write_all(text),
            None => Ok(()),
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
            self.line(out, FIRST)?;
        }
        out.write_all(bracket)
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
        self.line(out, if first { FIRST } else { LATER })
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
        self.in_key = true;
        self.line(out, if first { FIRST_KEY } else { LATER_KEY })
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.in_key = false;
        Ok(())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b"\": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_string<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        if self.in_key {
            Ok(())
        } else {
            out.write_all(b"\"")
        }
    }

    fn end_string<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        if self.in_key {
            Ok(())
        } else {
            out.write_all(b"\"")
        }
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
            serde_json::json!({"a \"quoted\"\n key": "value \\ \"x\"", "": "", "e": {}}),
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
        // Keys that are not text (map keys of numbers) are quoted as serde_json quotes them.
        let numbered: std::collections::BTreeMap<i32, Vec<u8>> =
            [(1, vec![]), (-20, vec![3, 4])].into_iter().collect();
        let mut ours = Vec::new();
        let mut json = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
        numbered.serialize(&mut json).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(&numbered).unwrap()
        );
    }
}
