//! The guard that no number leaves as `null` by accident: `serde_json` writes NaN and the
//! infinities as `null`, so every result is first walked by a serializer that produces
//! nothing and stops at the first non-finite number, naming its path.

use serde::ser::{self, Serialize};
use std::fmt;

use serde_json::Value;

use crate::document::io::DocumentError;

/// A non-finite number at a path of the result.
#[derive(Debug)]
pub(crate) struct NonFinite(pub(crate) String);

impl fmt::Display for NonFinite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NonFinite {}

impl ser::Error for NonFinite {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// Checks that every number in `value` is finite; returns the path of the first that is not.
pub(crate) fn check<T: Serialize + ?Sized>(value: &T) -> Result<(), String> {
    let mut c = Checker { path: Vec::new() };
    value.serialize(&mut c).map_err(|e| e.0)
}

/// The path walked so far, kept as parts and written out only for an error.
struct Checker {
    path: Vec<Segment>,
}

/// One step of a path: a field or variant name, a position in a list, or a map's key.
enum Segment {
    Name(&'static str),
    Index(usize),
    Key(String),
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(n) => write!(f, ".{n}"),
            Self::Index(i) => write!(f, "[{i}]"),
            Self::Key(k) => write!(f, ".{k}"),
        }
    }
}

impl Checker {
    fn float(&self, v: f64) -> Result<(), NonFinite> {
        if v.is_finite() {
            Ok(())
        } else {
            let path = if self.path.is_empty() {
                "result".to_owned()
            } else {
                self.path.iter().map(ToString::to_string).collect()
            };
            Err(NonFinite(path))
        }
    }
}

type R = Result<(), NonFinite>;

impl<'a> ser::Serializer for &'a mut Checker {
    type Ok = ();
    type Error = NonFinite;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = &'a mut Checker;
    type SerializeStructVariant = &'a mut Checker;

    fn serialize_bool(self, _: bool) -> R {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> R {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> R {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> R {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> R {
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> R {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> R {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> R {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> R {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> R {
        Ok(())
    }
    fn serialize_u128(self, _: u128) -> R {
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R {
        self.float(v)
    }
    fn serialize_char(self, _: char) -> R {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> R {
        Ok(())
    }
    /// Text is never a number: nothing is formatted (the default would write it to a string).
    fn collect_str<T: ?Sized + std::fmt::Display>(self, _: &T) -> R {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Ok(())
    }
    fn serialize_none(self) -> R {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> R {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R {
        self.path.push(Segment::Name(variant));
        v.serialize(&mut *self)?;
        self.path.pop();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, NonFinite> {
        Ok(Seq { c: self, i: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, NonFinite> {
        Ok(Seq { c: self, i: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a>, NonFinite> {
        Ok(Seq { c: self, i: 0 })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, NonFinite> {
        Ok(Seq { c: self, i: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, NonFinite> {
        Ok(Map { c: self, key: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<&'a mut Checker, NonFinite> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<&'a mut Checker, NonFinite> {
        Ok(self)
    }
}

pub(crate) struct Seq<'a> {
    c: &'a mut Checker,
    i: usize,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.c.path.push(Segment::Index(self.i));
        v.serialize(&mut *self.c)?;
        self.c.path.pop();
        self.i = self.i.saturating_add(1);
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.element(v)
    }
    fn end(self) -> R {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.element(v)
    }
    fn end(self) -> R {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.element(v)
    }
    fn end(self) -> R {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.element(v)
    }
    fn end(self) -> R {
        Ok(())
    }
}

pub(crate) struct Map<'a> {
    c: &'a mut Checker,
    key: Option<String>,
}

/// Captures a map key as text for the path.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = NonFinite;
    type SerializeSeq = ser::Impossible<String, NonFinite>;
    type SerializeTuple = ser::Impossible<String, NonFinite>;
    type SerializeTupleStruct = ser::Impossible<String, NonFinite>;
    type SerializeTupleVariant = ser::Impossible<String, NonFinite>;
    type SerializeMap = ser::Impossible<String, NonFinite>;
    type SerializeStruct = ser::Impossible<String, NonFinite>;
    type SerializeStructVariant = ser::Impossible<String, NonFinite>;
    fn serialize_bool(self, v: bool) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<String, NonFinite> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, NonFinite> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, NonFinite> {
        Ok("?".into())
    }
    fn serialize_none(self) -> Result<String, NonFinite> {
        Ok("?".into())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<String, NonFinite> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, NonFinite> {
        Ok("?".into())
    }
    fn serialize_unit_struct(self, n: &'static str) -> Result<String, NonFinite> {
        Ok(n.into())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<String, NonFinite> {
        Ok(v.into())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, NonFinite> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
        _: &T,
    ) -> Result<String, NonFinite> {
        Ok(v.into())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NonFinite> {
        Err(NonFinite("key".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NonFinite> {
        Err(NonFinite("key".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NonFinite> {
        Err(NonFinite("key".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NonFinite> {
        Err(NonFinite("key".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NonFinite> {
        Err(NonFinite("key".into()))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NonFinite> {
        Err(NonFinite("key".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NonFinite> {
        Err(NonFinite("key".into()))
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> R {
        self.key = Some(k.serialize(KeyText).unwrap_or_else(|_| "?".into()));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.c
            .path
            .push(Segment::Key(self.key.take().unwrap_or_default()));
        v.serialize(&mut *self.c)?;
        self.c.path.pop();
        Ok(())
    }
    fn end(self) -> R {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Checker {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        self.path.push(Segment::Name(key));
        v.serialize(&mut **self)?;
        self.path.pop();
        Ok(())
    }
    fn end(self) -> R {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Checker {
    type Ok = ();
    type Error = NonFinite;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
        self.path.push(Segment::Name(key));
        v.serialize(&mut **self)?;
        self.path.pop();
        Ok(())
    }
    fn end(self) -> R {
        Ok(())
    }
}

/// Refuses a result in which any number is not finite (which JSON would write as `null`),
/// naming the result's field.
pub(crate) fn check_finite<T: Serialize + ?Sized>(value: &T) -> Result<(), DocumentError> {
    crate::document::finite::check(value).map_err(|path| {
        DocumentError::input(
            format!("result{path}"),
            "the computation gave a number that is not finite (NaN or infinite): check the magnitudes of the inputs behind it",
        )
    })
}

/// A result as JSON, refused when any number in it is not finite (which JSON would write as
/// `null`), naming the result's field.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Value, DocumentError> {
    check_finite(value)?;
    serde_json::to_value(value)
        .map_err(|e| DocumentError::Io(format!("cannot write the result: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_path_of_a_non_finite_number_is_named() {
        #[derive(serde::Serialize)]
        struct Row {
            id: &'static str,
            icer: Option<f64>,
        }
        let ok = vec![
            Row {
                id: "a",
                icer: None,
            },
            Row {
                id: "b",
                icer: Some(1.5),
            },
        ];
        assert_eq!(super::check(&ok), Ok(()));
        let bad = vec![
            Row {
                id: "a",
                icer: Some(2.0),
            },
            Row {
                id: "b",
                icer: Some(f64::NAN),
            },
        ];
        assert_eq!(super::check(&bad), Err("[1].icer".to_owned()));
    }
}
