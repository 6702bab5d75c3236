//! What is bought: service areas, programmes of care, treatment functions, points of delivery
//! and units of activity.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::decimal::truncate;
use crate::error::{ModelError, Result};

/// A treatment function code: three digits naming a clinical specialty (e.g. 307 diabetes,
/// 328 stroke medicine).
///
/// ```
/// use commissioning_model::service::TreatmentFunctionCode;
/// assert_eq!("307".parse::<TreatmentFunctionCode>()?.as_str(), "307");
/// assert!("30A".parse::<TreatmentFunctionCode>().is_err());
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct TreatmentFunctionCode(String);

impl TreatmentFunctionCode {
    /// Checks a code of exactly three ASCII digits.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidCode`] for anything else.
    pub fn try_new(input: &str) -> Result<Self> {
        if input.len() == 3 && input.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(input.to_owned()))
        } else {
            Err(ModelError::InvalidCode {
                kind: "treatment function code",
                input: truncate(input),
                expected: "3 digits, e.g. 307",
            })
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A programme budgeting category: two digits and a letter (e.g. 04A diabetes, 05B dementia,
/// 10B stroke), or two digits and `X` for "other" in a programme.
///
/// ```
/// use commissioning_model::service::ProgrammeCategory;
/// assert_eq!("10b".parse::<ProgrammeCategory>()?.as_str(), "10B");
/// assert!("4A".parse::<ProgrammeCategory>().is_err());
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ProgrammeCategory(String);

impl ProgrammeCategory {
    /// Checks two digits followed by a letter (upper-casing the letter).
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidCode`] for anything else.
    pub fn try_new(input: &str) -> Result<Self> {
        let code = input.to_ascii_uppercase();
        let b = code.as_bytes();
        match b {
            [a, c, l] if a.is_ascii_digit() && c.is_ascii_digit() && l.is_ascii_uppercase() => {
                Ok(Self(code))
            }
            _ => Err(ModelError::InvalidCode {
                kind: "programme budgeting category",
                input: truncate(input),
                expected: "2 digits and a letter, e.g. 04A",
            }),
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_code_impls {
    ($t:ty) => {
        impl FromStr for $t {
            type Err = ModelError;
            fn from_str(s: &str) -> Result<Self> {
                Self::try_new(s)
            }
        }
        impl TryFrom<String> for $t {
            type Error = ModelError;
            fn try_from(value: String) -> Result<Self> {
                Self::try_new(&value)
            }
        }
        impl From<$t> for String {
            fn from(value: $t) -> Self {
                value.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }
    };
}
string_code_impls!(TreatmentFunctionCode);
string_code_impls!(ProgrammeCategory);

/// An area of care that is commissioned, such as diabetes or stroke.
///
/// # Examples
///
/// ```
/// use commissioning_model::service::ServiceArea;
/// let stroke = ServiceArea::stroke();
/// assert_eq!(stroke.programme.as_str(), "10B");
/// assert_eq!(stroke.treatment_functions[0].as_str(), "328");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceArea {
    /// A short identifier, unique within a contract or plan (e.g. `"diabetes"`).
    pub id: String,
    /// A readable name.
    pub name: String,
    /// The programme budgeting category it belongs to.
    pub programme: ProgrammeCategory,
    /// The treatment functions that deliver it.
    #[serde(default)]
    pub treatment_functions: Vec<TreatmentFunctionCode>,
}

impl ServiceArea {
    /// A service area from its parts.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        programme: ProgrammeCategory,
        treatment_functions: Vec<TreatmentFunctionCode>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            programme,
            treatment_functions,
        }
    }

    fn preset(id: &str, name: &str, programme: &str, tfcs: &[&str]) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            programme: ProgrammeCategory(programme.to_owned()),
            treatment_functions: tfcs
                .iter()
                .map(|t| TreatmentFunctionCode((*t).to_owned()))
                .collect(),
        }
    }

    /// Diabetes care: programme category 04A, treatment function 307 (diabetes).
    pub fn diabetes() -> Self {
        Self::preset("diabetes", "Diabetes", "04A", &["307"])
    }

    /// Dementia care: programme category 05B (organic mental disorders), treatment function
    /// 727 (dementia assessment).
    pub fn dementia() -> Self {
        Self::preset("dementia", "Dementia", "05B", &["727"])
    }

    /// Stroke care: programme category 10B (cerebrovascular disease), treatment function 328
    /// (stroke medicine).
    pub fn stroke() -> Self {
        Self::preset("stroke", "Stroke", "10B", &["328"])
    }
}

/// The unit in which activity is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActivityUnit {
    /// A hospital spell, admission to discharge.
    Spell,
    /// An attendance (outpatient or A&E).
    Attendance,
    /// A day in a bed (critical care, rehabilitation).
    BedDay,
    /// A contact with a community or mental-health professional.
    Contact,
    /// An episode of care.
    Episode,
    /// A person on a caseload or registered list.
    Patient,
}

impl fmt::Display for ActivityUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Spell => "spells",
            Self::Attendance => "attendances",
            Self::BedDay => "bed days",
            Self::Contact => "contacts",
            Self::Episode => "episodes",
            Self::Patient => "patients",
        })
    }
}

/// Where and how care is delivered, which fixes its usual unit of activity.
///
/// ```
/// use commissioning_model::service::{ActivityUnit, PointOfDelivery};
/// assert_eq!(PointOfDelivery::NonElective.unit(), ActivityUnit::Spell);
/// assert_eq!(PointOfDelivery::CriticalCare.unit(), ActivityUnit::BedDay);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PointOfDelivery {
    /// Planned inpatient admission.
    Elective,
    /// Planned admission discharged the same day.
    DayCase,
    /// Emergency or other unplanned admission.
    NonElective,
    /// First outpatient attendance.
    OutpatientFirst,
    /// Follow-up outpatient attendance.
    OutpatientFollowUp,
    /// Outpatient attendance with a procedure.
    OutpatientProcedure,
    /// Accident and emergency attendance.
    AccidentAndEmergency,
    /// Adult or paediatric critical care.
    CriticalCare,
    /// Community services.
    Community,
    /// Anything else; counted in episodes unless a line says otherwise.
    Other,
}

impl PointOfDelivery {
    /// The usual unit of activity.
    pub const fn unit(self) -> ActivityUnit {
        match self {
            Self::Elective | Self::DayCase | Self::NonElective => ActivityUnit::Spell,
            Self::OutpatientFirst
            | Self::OutpatientFollowUp
            | Self::OutpatientProcedure
            | Self::AccidentAndEmergency => ActivityUnit::Attendance,
            Self::CriticalCare => ActivityUnit::BedDay,
            Self::Community => ActivityUnit::Contact,
            Self::Other => ActivityUnit::Episode,
        }
    }
}

impl fmt::Display for PointOfDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Elective => "elective",
            Self::DayCase => "day case",
            Self::NonElective => "non-elective",
            Self::OutpatientFirst => "outpatient first",
            Self::OutpatientFollowUp => "outpatient follow-up",
            Self::OutpatientProcedure => "outpatient procedure",
            Self::AccidentAndEmergency => "A&E",
            Self::CriticalCare => "critical care",
            Self::Community => "community",
            Self::Other => "other",
        })
    }
}

/// Checks that two quantities are in the same unit before they are compared.
///
/// # Errors
///
/// [`ModelError::UnitMismatch`] naming `field` and both units.
pub fn same_unit(field: &str, left: ActivityUnit, right: ActivityUnit) -> Result<()> {
    if left == right {
        Ok(())
    } else {
        Err(ModelError::UnitMismatch {
            field: field.to_owned(),
            left: left.to_string(),
            right: right.to_string(),
        })
    }
}

crate::words_from_str!(
    ActivityUnit => "activity unit",
    PointOfDelivery => "point of delivery",
);
