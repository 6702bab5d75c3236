//! Enums whose JSON form is a word (`"full_length"`, `"net_of_threshold"`): read from that word
//! with [`FromStr`](std::str::FromStr), as people also write it (`Full length`,
//! `net-of-threshold`), and shown in plain words with [`Display`](std::fmt::Display)
//! (`full length`). The words are the serde names, so the three forms cannot drift apart.
//!
//! The workspace's crates implement both with [`words_from_str!`](crate::words_from_str) and
//! [`words_display!`](crate::words_display).
//!
//! # Examples
//!
//! ```
//! use commissioning_model::contract::{ContractForm, PaymentMechanism};
//!
//! assert_eq!("shorter_form".parse::<ContractForm>()?, ContractForm::ShorterForm);
//! assert_eq!("Shorter form".parse::<ContractForm>()?, ContractForm::ShorterForm);
//! assert_eq!(PaymentMechanism::LowVolumeBlock.to_string(), "low volume block");
//! let e = "medium".parse::<ContractForm>().unwrap_err().to_string();
//! assert!(e.ends_with("expected `full_length` or `shorter_form`"), "{e}");
//! # Ok::<(), commissioning_model::ModelError>(())
//! ```

use std::fmt;

use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::ser::{Impossible, Serialize, Serializer};

use crate::error::{ModelError, Result};

/// Reads a word as `T`: as written, or else in lower case with spaces and hyphens as
/// underscores. `what` names the kind of value in the error.
///
/// # Errors
///
/// [`ModelError::UnknownWord`] listing the words accepted.
pub fn parse_word<T: DeserializeOwned>(what: &str, input: &str) -> Result<T> {
    let attempt =
        |s: &str| T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(s));
    attempt(input.trim()).or_else(|first| {
        let normal: String = input
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        attempt(&normal).map_err(|_| ModelError::UnknownWord {
            what: what.to_owned(),
            input: input.chars().take(64).collect(),
            reason: first.to_string(),
        })
    })
}

/// The word a value is written as in JSON (`"full_length"`), or `None` for a value that is not
/// a plain word.
pub fn word<T: Serialize + ?Sized>(value: &T) -> Option<&'static str> {
    value.serialize(WordSerializer).ok()
}

/// A word in plain words: underscores as spaces (`full_length` → `full length`).
pub fn plain(word: &str) -> String {
    word.replace('_', " ")
}

/// Implements `FromStr` (by [`parse_word`]) for enums whose JSON form is a word:
/// `words_from_str!(ContractForm => "contract form", …)`.
#[macro_export]
macro_rules! words_from_str {
    ($($t:ty => $what:literal),* $(,)?) => {$(
        impl ::core::str::FromStr for $t {
            type Err = $crate::ModelError;

            /// Reads the JSON word (`"full_length"`) or its plain form (`Full length`).
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                $crate::words::parse_word($what, s)
            }
        }
    )*};
}

/// Implements `Display` in plain words (`full length`) for enums whose JSON form is a word.
#[macro_export]
macro_rules! words_display {
    ($($t:ty),* $(,)?) => {$(
        impl ::core::fmt::Display for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(&$crate::words::plain($crate::words::word(self).unwrap_or("")))
            }
        }
    )*};
}

/// The error of [`WordSerializer`] for a value that is not a plain word.
#[derive(Debug)]
struct NotAWord;

impl fmt::Display for NotAWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a plain word")
    }
}

impl std::error::Error for NotAWord {}

impl serde::ser::Error for NotAWord {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Self
    }
}

/// Serialises a unit variant to its name; anything else is [`NotAWord`].
struct WordSerializer;

macro_rules! not_a_word {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> std::result::Result<Self::Ok, Self::Error> {
            Err(NotAWord)
        }
    )*};
}

impl Serializer for WordSerializer {
    type Ok = &'static str;
    type Error = NotAWord;
    type SerializeSeq = Impossible<&'static str, NotAWord>;
    type SerializeTuple = Impossible<&'static str, NotAWord>;
    type SerializeTupleStruct = Impossible<&'static str, NotAWord>;
    type SerializeTupleVariant = Impossible<&'static str, NotAWord>;
    type SerializeMap = Impossible<&'static str, NotAWord>;
    type SerializeStruct = Impossible<&'static str, NotAWord>;
    type SerializeStructVariant = Impossible<&'static str, NotAWord>;

    not_a_word!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
    );

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> std::result::Result<Self::Ok, Self::Error> {
        Ok(variant)
    }

    fn serialize_some<T: Serialize + ?Sized>(
        self,
        _: &T,
    ) -> std::result::Result<Self::Ok, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> std::result::Result<Self::Ok, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> std::result::Result<Self::Ok, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_seq(
        self,
        _: Option<usize>,
    ) -> std::result::Result<Self::SerializeSeq, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_tuple(self, _: usize) -> std::result::Result<Self::SerializeTuple, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_map(
        self,
        _: Option<usize>,
    ) -> std::result::Result<Self::SerializeMap, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeStruct, Self::Error> {
        Err(NotAWord)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, Self::Error> {
        Err(NotAWord)
    }
}

#[cfg(test)]
mod tests {
    use crate::Rounding;
    use crate::contract::{ContractForm, Direction, KpiUnit, PaymentMechanism, ReportingPeriod};
    use crate::service::{ActivityUnit, PointOfDelivery};

    #[test]
    fn every_word_reads_back_from_its_json_form_and_its_plain_form() -> crate::Result<()> {
        for p in [
            PaymentMechanism::AlignedPaymentAndIncentive,
            PaymentMechanism::LowVolumeBlock,
            PaymentMechanism::ActivityBased,
            PaymentMechanism::Local,
        ] {
            let json = super::word(&p).unwrap_or_default();
            assert_eq!(json.parse::<PaymentMechanism>()?, p);
            assert_eq!(p.to_string().parse::<PaymentMechanism>()?, p);
        }
        assert_eq!(
            "Outpatient follow-up".parse::<PointOfDelivery>()?,
            PointOfDelivery::OutpatientFollowUp
        );
        assert_eq!("bed_day".parse::<ActivityUnit>()?, ActivityUnit::BedDay);
        assert_eq!(
            "HIGHER IS BETTER".parse::<Direction>()?,
            Direction::HigherIsBetter
        );
        assert_eq!("half_even".parse::<Rounding>()?, Rounding::HalfEven);
        assert_eq!(ReportingPeriod::Quarterly.to_string(), "quarterly");
        assert_eq!(KpiUnit::Percent.to_string(), "percent");
        assert_eq!(
            format!("[{:>12}]", ContractForm::FullLength),
            "[ full length]"
        );
        assert!("".parse::<ContractForm>().is_err());
        Ok(())
    }
}
