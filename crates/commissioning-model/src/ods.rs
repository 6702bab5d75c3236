//! ODS organisation codes, one validated newtype per kind.
//!
//! Organisation Data Service (ODS) codes are upper-case ASCII letters and digits and are never
//! reused. The format of each kind below follows the NHS Data Dictionary's organisation coding
//! frames; it is a sanity check that catches typing errors and codes of the wrong kind, not proof
//! of what an organisation is.
//!
//! | kind | format | examples |
//! |---|---|---|
//! | NHS trust (and care trust) | 3 characters: `R` or `T` then 2 letters or digits | RWY, RBL, RH5, TAK |
//! | NHS trust site | 5 characters: `R` or `T` then 4 letters or digits | RBL14, RH802 |
//! | GP practice | a letter then 5 digits | B12345 |
//! | integrated care board | 3 characters: `Q` then 2 letters or digits | QWO, QT1 |
//! | sub-ICB location (former CCG) | 2 digits and a letter, or 5 letters or digits starting with a letter | 02T, 11X, M1J4Y |
//! | NHS England region | `Y` then 2 digits | Y58, Y60 |
//! | independent-sector provider | `N` then 2 letters or digits, or `N` then 4 for a site | NT4, NVC01 |
//! | non-NHS organisation (voluntary, community, other) | 5 characters: `8` then 4 letters or digits | 8J123 |
//! | any ODS code | 3 to 10 letters or digits | |
//!
//! Each type has two constructors: [`NhsTrustCode::parse`] (and `FromStr` and serde) trims
//! surrounding white space and upper-cases ASCII letters first, as users type codes;
//! `try_new_strict` checks the text exactly as given. Only ASCII letters and digits count: a
//! full-width `Ｑ` is not a `Q`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::decimal::truncate;
use crate::error::{ModelError, Result};

fn is_upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn starts_then_alnum(s: &[u8], len: usize, first: &[u8]) -> bool {
    s.len() == len
        && s.first().is_some_and(|c| first.contains(c))
        && s.iter().skip(1).all(|&b| is_upper_alnum(b))
}

fn valid_trust(s: &[u8]) -> bool {
    starts_then_alnum(s, 3, b"RT")
}

fn valid_trust_site(s: &[u8]) -> bool {
    starts_then_alnum(s, 5, b"RT")
}

fn valid_gp_practice(s: &[u8]) -> bool {
    s.len() == 6
        && s.first().is_some_and(u8::is_ascii_uppercase)
        && s.iter().skip(1).all(u8::is_ascii_digit)
}

fn valid_icb(s: &[u8]) -> bool {
    starts_then_alnum(s, 3, b"Q")
}

fn valid_sub_icb(s: &[u8]) -> bool {
    match s {
        [a, b, c] => a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_uppercase(),
        [first, ..] if s.len() == 5 => {
            first.is_ascii_uppercase() && s.iter().all(|&b| is_upper_alnum(b))
        }
        _ => false,
    }
}

fn valid_region(s: &[u8]) -> bool {
    s.len() == 3 && s.first() == Some(&b'Y') && s.iter().skip(1).all(u8::is_ascii_digit)
}

fn valid_independent(s: &[u8]) -> bool {
    starts_then_alnum(s, 3, b"N") || starts_then_alnum(s, 5, b"N")
}

fn valid_non_nhs(s: &[u8]) -> bool {
    starts_then_alnum(s, 5, b"8")
}

fn valid_any(s: &[u8]) -> bool {
    (3..=10).contains(&s.len()) && s.iter().all(|&b| is_upper_alnum(b))
}

/// Trims surrounding white space and upper-cases ASCII letters.
fn normalise(input: &str) -> String {
    input.trim().to_ascii_uppercase()
}

macro_rules! ods_code {
    (
        $(#[$doc:meta])*
        $name:ident, $kind:literal, $expected:literal, $check:ident, $example:literal
    ) => {
        $(#[$doc])*
        ///
        /// # Examples
        ///
        /// ```
        #[doc = concat!("use commissioning_model::ods::", stringify!($name), ";")]
        #[doc = concat!("let code: ", stringify!($name), " = \" ", $example, " \".to_lowercase().parse()?;")]
        #[doc = concat!("assert_eq!(code.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert!(", stringify!($name), "::try_new_strict(\"", $example, " \").is_err());")]
        /// # Ok::<(), commissioning_model::ModelError>(())
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The kind of organisation, as named in errors.
            pub const KIND: &'static str = $kind;
            /// The expected format, as named in errors.
            pub const FORMAT: &'static str = $expected;

            /// Trims and upper-cases `input`, then checks the format.
            ///
            /// # Errors
            ///
            /// [`ModelError::InvalidOdsCode`] naming the kind and the expected format.
            pub fn parse(input: &str) -> Result<Self> {
                let code = normalise(input);
                if $check(code.as_bytes()) {
                    Ok(Self(code))
                } else {
                    Err(Self::error(input))
                }
            }

            /// Checks `input` exactly as given: no trimming, no change of case.
            ///
            /// # Errors
            ///
            /// [`ModelError::InvalidOdsCode`] naming the kind and the expected format.
            pub fn try_new_strict(input: &str) -> Result<Self> {
                if $check(input.as_bytes()) {
                    Ok(Self(input.to_owned()))
                } else {
                    Err(Self::error(input))
                }
            }

            /// Whether `input` is a valid code of this kind as given (no normalisation).
            pub fn is_valid(input: &str) -> bool {
                $check(input.as_bytes())
            }

            /// The code.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The code as a generic [`OdsCode`].
            pub fn to_ods(&self) -> OdsCode {
                OdsCode(self.0.clone())
            }

            fn error(input: &str) -> ModelError {
                ModelError::InvalidOdsCode {
                    kind: $kind,
                    input: truncate(input),
                    expected: $expected,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = ModelError;
            fn from_str(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ModelError;
            fn try_from(value: String) -> Result<Self> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

ods_code!(
    /// The code of an NHS trust or foundation trust (or a care trust).
    NhsTrustCode, "NHS trust", "3 characters: 'R' or 'T' followed by 2 letters or digits, e.g. RWY", valid_trust, "RWY"
);
ods_code!(
    /// The code of an NHS trust site.
    TrustSiteCode, "NHS trust site", "5 characters: 'R' or 'T' followed by 4 letters or digits, e.g. RBL14", valid_trust_site, "RBL14"
);
ods_code!(
    /// The code of a GP practice.
    GpPracticeCode, "GP practice", "a letter followed by 5 digits, e.g. B12345", valid_gp_practice, "B12345"
);
ods_code!(
    /// The code of an integrated care board.
    IcbCode, "integrated care board", "3 characters: 'Q' followed by 2 letters or digits, e.g. QWO", valid_icb, "QWO"
);
ods_code!(
    /// The code of a sub-ICB location (a former clinical commissioning group).
    SubIcbLocationCode, "sub-ICB location", "2 digits and a letter (e.g. 02T), or 5 letters or digits starting with a letter (e.g. M1J4Y)", valid_sub_icb, "M1J4Y"
);
ods_code!(
    /// The code of an NHS England region.
    RegionCode, "NHS England region", "'Y' followed by 2 digits, e.g. Y60", valid_region, "Y60"
);
ods_code!(
    /// The code of an independent-sector healthcare provider or one of its sites.
    IndependentSectorCode, "independent-sector provider", "'N' followed by 2 letters or digits (or 4 for a site), e.g. NT4", valid_independent, "NT4"
);
ods_code!(
    /// The code of a non-NHS organisation, such as a voluntary or community sector provider.
    NonNhsCode, "non-NHS organisation", "5 characters: '8' followed by 4 letters or digits, e.g. 8J123", valid_non_nhs, "8J123"
);
ods_code!(
    /// Any ODS code, checked only for its alphabet and length: for local authorities,
    /// NHS England itself, historical organisations and kinds without a newtype here.
    OdsCode, "ODS", "3 to 10 letters or digits", valid_any, "X24"
);

/// The kinds of ODS code with a format check, for checking a code whose kind is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OdsKind {
    /// [`NhsTrustCode`].
    Trust,
    /// [`TrustSiteCode`].
    TrustSite,
    /// [`GpPracticeCode`].
    GpPractice,
    /// [`IcbCode`].
    Icb,
    /// [`SubIcbLocationCode`].
    SubIcbLocation,
    /// [`RegionCode`].
    Region,
    /// [`IndependentSectorCode`].
    IndependentSector,
    /// [`NonNhsCode`].
    NonNhs,
    /// [`OdsCode`].
    Any,
}

impl OdsKind {
    /// Checks `input` as a code of this kind, trimming and upper-casing first when `normalise`
    /// is set, and returns the code as a generic [`OdsCode`].
    ///
    /// ```
    /// use commissioning_model::ods::OdsKind;
    /// assert_eq!(OdsKind::Trust.check(" rwy ", true)?.as_str(), "RWY");
    /// assert!(OdsKind::Trust.check("rwy", false).is_err());
    /// assert!(OdsKind::Icb.check("Y58", true).is_err());
    /// # Ok::<(), commissioning_model::ModelError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidOdsCode`] naming the kind and its format.
    pub fn check(self, input: &str, normalise: bool) -> Result<OdsCode> {
        macro_rules! go {
            ($t:ty) => {
                if normalise {
                    <$t>::parse(input).map(|c| c.to_ods())
                } else {
                    <$t>::try_new_strict(input).map(|c| c.to_ods())
                }
            };
        }
        match self {
            Self::Trust => go!(NhsTrustCode),
            Self::TrustSite => go!(TrustSiteCode),
            Self::GpPractice => go!(GpPracticeCode),
            Self::Icb => go!(IcbCode),
            Self::SubIcbLocation => go!(SubIcbLocationCode),
            Self::Region => go!(RegionCode),
            Self::IndependentSector => go!(IndependentSectorCode),
            Self::NonNhs => go!(NonNhsCode),
            Self::Any => go!(OdsCode),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_do_not_cross() {
        assert!(NhsTrustCode::parse("QWO").is_err());
        assert!(IcbCode::parse("Y58").is_err());
        assert!(RegionCode::parse("YA1").is_err());
        assert!(TrustSiteCode::parse("QWO01").is_err());
        assert!(GpPracticeCode::parse("BB2345").is_err());
        assert!(SubIcbLocationCode::parse("0A2").is_err());
        assert!(SubIcbLocationCode::parse("02TT").is_err());
        assert!(IcbCode::parse("Ｑ WO").is_err());
    }

    #[test]
    fn errors_name_kind_and_format() {
        let msg = NhsTrustCode::parse("RW")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.contains("NHS trust") && msg.contains("'R' or 'T'"),
            "{msg}"
        );
    }

    #[test]
    fn serde_normalises() -> std::result::Result<(), serde_json::Error> {
        let c: IcbCode = serde_json::from_str("\" qwo \"")?;
        assert_eq!(c.as_str(), "QWO");
        assert_eq!(serde_json::to_string(&c)?, "\"QWO\"");
        assert!(serde_json::from_str::<IcbCode>("\"RWY\"").is_err());
        Ok(())
    }
}
