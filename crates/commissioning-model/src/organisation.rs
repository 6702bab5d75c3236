//! Commissioners, providers and a register of organisations keyed by ODS code.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::{ModelError, Result};
use crate::ods::{
    GpPracticeCode, IcbCode, IndependentSectorCode, NhsTrustCode, NonNhsCode, OdsCode, RegionCode,
    SubIcbLocationCode,
};

/// An organisation that buys care.
///
/// Serialised with a `"kind"` tag: `{"kind": "icb", "code": "QWO", "name": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Commissioner {
    /// An integrated care board.
    Icb {
        /// Its ODS code, e.g. QWO.
        code: IcbCode,
        /// Its name.
        name: String,
    },
    /// A sub-ICB location (a place within an ICB; the former CCG).
    SubIcbLocation {
        /// Its ODS code, e.g. 02T or M1J4Y.
        code: SubIcbLocationCode,
        /// Its name.
        name: String,
        /// The ICB it belongs to, where known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        icb: Option<IcbCode>,
    },
    /// NHS England, for directly commissioned (e.g. specialised) services.
    NhsEngland {
        /// The ODS code of NHS England or of the commissioning hub.
        code: OdsCode,
        /// Its name.
        name: String,
        /// The region, where the service is commissioned regionally.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<RegionCode>,
    },
    /// A local authority (public health and social care).
    LocalAuthority {
        /// Its ODS code.
        code: OdsCode,
        /// Its name.
        name: String,
    },
    /// A clinical commissioning group (2013–2022), for historical data.
    Ccg {
        /// Its ODS code (the same as its successor sub-ICB location).
        code: SubIcbLocationCode,
        /// Its name.
        name: String,
    },
    /// A primary care trust (to 2013), for historical data.
    Pct {
        /// Its ODS code.
        code: OdsCode,
        /// Its name.
        name: String,
    },
}

impl Commissioner {
    /// The ODS code.
    pub fn code(&self) -> &str {
        match self {
            Self::Icb { code, .. } => code.as_str(),
            Self::SubIcbLocation { code, .. } | Self::Ccg { code, .. } => code.as_str(),
            Self::NhsEngland { code, .. }
            | Self::LocalAuthority { code, .. }
            | Self::Pct { code, .. } => code.as_str(),
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        match self {
            Self::Icb { name, .. }
            | Self::SubIcbLocation { name, .. }
            | Self::NhsEngland { name, .. }
            | Self::LocalAuthority { name, .. }
            | Self::Ccg { name, .. }
            | Self::Pct { name, .. } => name,
        }
    }
}

/// An organisation that delivers care.
///
/// Serialised with a `"kind"` tag: `{"kind": "foundation_trust", "code": "RWY", "name": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Provider {
    /// An NHS trust.
    NhsTrust {
        /// Its ODS code.
        code: NhsTrustCode,
        /// Its name.
        name: String,
    },
    /// An NHS foundation trust.
    FoundationTrust {
        /// Its ODS code.
        code: NhsTrustCode,
        /// Its name.
        name: String,
    },
    /// A GP practice.
    GpPractice {
        /// Its ODS code.
        code: GpPracticeCode,
        /// Its name.
        name: String,
    },
    /// An independent-sector provider.
    IndependentSector {
        /// Its ODS code.
        code: IndependentSectorCode,
        /// Its name.
        name: String,
    },
    /// A voluntary or community sector organisation.
    VoluntarySector {
        /// Its ODS code.
        code: NonNhsCode,
        /// Its name.
        name: String,
    },
    /// A local authority providing services.
    LocalAuthority {
        /// Its ODS code.
        code: OdsCode,
        /// Its name.
        name: String,
    },
    /// Any other provider, such as a GP federation registered with a generic code.
    Other {
        /// Its ODS code.
        code: OdsCode,
        /// Its name.
        name: String,
    },
}

impl Provider {
    /// The ODS code.
    pub fn code(&self) -> &str {
        match self {
            Self::NhsTrust { code, .. } | Self::FoundationTrust { code, .. } => code.as_str(),
            Self::GpPractice { code, .. } => code.as_str(),
            Self::IndependentSector { code, .. } => code.as_str(),
            Self::VoluntarySector { code, .. } => code.as_str(),
            Self::LocalAuthority { code, .. } | Self::Other { code, .. } => code.as_str(),
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        match self {
            Self::NhsTrust { name, .. }
            | Self::FoundationTrust { name, .. }
            | Self::GpPractice { name, .. }
            | Self::IndependentSector { name, .. }
            | Self::VoluntarySector { name, .. }
            | Self::LocalAuthority { name, .. }
            | Self::Other { name, .. } => name,
        }
    }
}

/// A commissioner or a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Organisation {
    /// An organisation that buys care.
    Commissioner(Commissioner),
    /// An organisation that delivers care.
    Provider(Provider),
}

impl Organisation {
    /// The ODS code.
    pub fn code(&self) -> &str {
        match self {
            Self::Commissioner(c) => c.code(),
            Self::Provider(p) => p.code(),
        }
    }

    /// The name.
    pub fn name(&self) -> &str {
        match self {
            Self::Commissioner(c) => c.name(),
            Self::Provider(p) => p.name(),
        }
    }
}

impl From<Commissioner> for Organisation {
    fn from(value: Commissioner) -> Self {
        Self::Commissioner(value)
    }
}

impl From<Provider> for Organisation {
    fn from(value: Provider) -> Self {
        Self::Provider(value)
    }
}

/// A register of organisations in which every ODS code appears once.
///
/// Serialised as a JSON list; reading a list with a repeated code is an error.
///
/// # Examples
///
/// ```
/// use commissioning_model::organisation::{Commissioner, Organisations, Provider};
///
/// let mut orgs = Organisations::new();
/// orgs.insert(Commissioner::Icb { code: "QWO".parse()?, name: "West Yorkshire ICB".into() }.into())?;
/// orgs.insert(Provider::FoundationTrust { code: "RWY".parse()?, name: "Calderdale and Huddersfield NHS FT".into() }.into())?;
/// assert_eq!(orgs.get("rwy").map(|o| o.name()), Some("Calderdale and Huddersfield NHS FT"));
/// assert!(orgs.insert(Commissioner::Icb { code: "QWO".parse()?, name: "again".into() }.into()).is_err());
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<Organisation>", into = "Vec<Organisation>")]
pub struct Organisations {
    items: Vec<Organisation>,
    index: BTreeMap<String, usize>,
}

impl Organisations {
    /// An empty register.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an organisation.
    ///
    /// # Errors
    ///
    /// [`ModelError::Duplicate`] when its code is already registered.
    pub fn insert(&mut self, org: Organisation) -> Result<()> {
        let code = org.code().to_owned();
        if self.index.contains_key(&code) {
            return Err(ModelError::Duplicate {
                field: format!("organisations[{}]", self.items.len()),
                what: "organisation code",
                id: code,
            });
        }
        self.index.insert(code, self.items.len());
        self.items.push(org);
        Ok(())
    }

    /// The organisation with this code (trimmed and upper-cased first).
    pub fn get(&self, code: &str) -> Option<&Organisation> {
        let key = code.trim().to_ascii_uppercase();
        self.index.get(&key).and_then(|&i| self.items.get(i))
    }

    /// The commissioner with this code, if it is one.
    pub fn commissioner(&self, code: &str) -> Option<&Commissioner> {
        match self.get(code) {
            Some(Organisation::Commissioner(c)) => Some(c),
            _ => None,
        }
    }

    /// The provider with this code, if it is one.
    pub fn provider(&self, code: &str) -> Option<&Provider> {
        match self.get(code) {
            Some(Organisation::Provider(p)) => Some(p),
            _ => None,
        }
    }

    /// All organisations in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &Organisation> {
        self.items.iter()
    }

    /// How many organisations are registered.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the register is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl TryFrom<Vec<Organisation>> for Organisations {
    type Error = ModelError;
    fn try_from(items: Vec<Organisation>) -> Result<Self> {
        let mut orgs = Self::new();
        for org in items {
            orgs.insert(org)?;
        }
        Ok(orgs)
    }
}

impl From<Organisations> for Vec<Organisation> {
    fn from(value: Organisations) -> Self {
        value.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rejects_duplicates_and_unknown_fields() {
        let dup = r#"[{"role":"commissioner","kind":"icb","code":"QWO","name":"A"},
                      {"role":"provider","kind":"other","code":"qwo","name":"B"}]"#;
        let err = serde_json::from_str::<Organisations>(dup)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("duplicate organisation code \"QWO\"")),
            "{err:?}"
        );
        let unknown =
            r#"[{"role":"commissioner","kind":"icb","code":"QWO","name":"A","colour":"red"}]"#;
        let err = serde_json::from_str::<Organisations>(unknown)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("colour")),
            "{err:?}"
        );
    }

    #[test]
    fn json_round_trip() -> std::result::Result<(), serde_json::Error> {
        let text = r#"[{"role":"commissioner","kind":"sub_icb_location","code":"02T","name":"Calderdale","icb":"QWO"},{"role":"provider","kind":"voluntary_sector","code":"8J123","name":"Carers"}]"#;
        let orgs: Organisations = serde_json::from_str(text)?;
        assert_eq!(orgs.len(), 2);
        assert!(orgs.provider("8j123").is_some());
        assert!(orgs.commissioner("8J123").is_none());
        assert_eq!(serde_json::to_string(&orgs)?, text);
        Ok(())
    }
}
