//! Contracts: parties, term, service lines, payment, quality requirements, incentives and
//! indexation, with validation that reports every problem at once.
//!
//! A [`Contract`] is a plain record: reading one from JSON checks each field's own format (ODS
//! codes, dates, money, shares) but not the rules that tie fields together, so that
//! [`Contract::validate`] can report every such problem in one pass, each with the path of the
//! offending value (`service_lines[2].id`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

use crate::allocation::allocate;
use crate::decimal::serde_decimal;
use crate::error::{ModelError, Result};
use crate::money::{Money, Rounding};
use crate::ods::OdsCode;
use crate::organisation::{Organisation, Organisations};
use crate::payment::PaymentModel;
use crate::period::{FinancialYear, serde_date};
use crate::rate::{Rate, Share};
use crate::service::{ActivityUnit, PointOfDelivery, ServiceArea};

/// The form of the NHS Standard Contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractForm {
    /// The full-length NHS Standard Contract.
    FullLength,
    /// The shorter-form NHS Standard Contract, for simpler services.
    ShorterForm,
}

/// The NHS Payment Scheme payment mechanism that governs the contract (separate from the
/// payment model that computes the money).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMechanism {
    /// Aligned payment and incentive: a fixed element plus a variable element.
    AlignedPaymentAndIncentive,
    /// Low-volume activity block payment, for low-value relationships.
    LowVolumeBlock,
    /// Activity-based payment at unit prices.
    ActivityBased,
    /// A locally agreed arrangement.
    Local,
}

/// A commissioner that is party to the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ContractCommissioner {
    /// Its ODS code.
    pub code: OdsCode,
    /// Whether it is the co-ordinating commissioner (exactly one must be).
    #[serde(default)]
    pub coordinating: bool,
}

impl ContractCommissioner {
    /// A commissioner party.
    pub fn new(code: OdsCode, coordinating: bool) -> Self {
        Self { code, coordinating }
    }
}

/// Who delivers the contract: one provider, or an alliance of several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ProviderParty {
    /// A single provider.
    Single {
        /// Its ODS code.
        code: OdsCode,
    },
    /// An alliance of providers who share the contract's risk and reward.
    Alliance {
        /// The alliance's name.
        name: String,
        /// The members' ODS codes (at least two).
        members: Vec<OdsCode>,
        /// The lead provider, if one is named; it must be a member.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lead: Option<OdsCode>,
    },
}

impl ProviderParty {
    /// A single provider.
    pub fn single(code: OdsCode) -> Self {
        Self::Single { code }
    }

    /// An alliance of providers, with its lead if one is named (checked by
    /// [`Contract::validate`]: at least two members, the lead among them).
    pub fn alliance(name: impl Into<String>, members: Vec<OdsCode>, lead: Option<OdsCode>) -> Self {
        Self::Alliance {
            name: name.into(),
            members,
            lead,
        }
    }

    /// The codes of every provider.
    pub fn codes(&self) -> Vec<&OdsCode> {
        match self {
            Self::Single { code } => vec![code],
            Self::Alliance { members, .. } => members.iter().collect(),
        }
    }
}

/// An optional extension of the term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Extension {
    /// The new end date if the extension is taken.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_date")]
    pub end: NaiveDate,
    /// Whether it has been exercised.
    #[serde(default)]
    pub exercised: bool,
}

impl Extension {
    /// An extension to `end`, not yet exercised.
    pub fn new(end: NaiveDate) -> Self {
        Self {
            end,
            exercised: false,
        }
    }

    /// The same extension, exercised.
    #[must_use]
    pub fn exercised(mut self) -> Self {
        self.exercised = true;
        self
    }
}

/// The contract's term: start, end and optional extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Term {
    /// The first day of service.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_date")]
    pub start: NaiveDate,
    /// The last day of the initial term.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_date")]
    pub end: NaiveDate,
    /// Optional extensions, each ending after the one before.
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

impl Term {
    /// A term with no extensions.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Self {
        Self {
            start,
            end,
            extensions: Vec::new(),
        }
    }

    /// The same term with an extension.
    #[must_use]
    pub fn with_extension(mut self, extension: Extension) -> Self {
        self.extensions.push(extension);
        self
    }

    /// The last day of service: the latest exercised extension's end, or the initial end.
    pub fn effective_end(&self) -> NaiveDate {
        self.extensions
            .iter()
            .filter(|e| e.exercised)
            .map(|e| e.end)
            .fold(self.end, NaiveDate::max)
    }

    /// The last day the contract could run to if every extension were taken.
    pub fn longest_end(&self) -> NaiveDate {
        self.extensions
            .iter()
            .map(|e| e.end)
            .fold(self.end, NaiveDate::max)
    }

    /// Whether `date` falls within the term as extended so far.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.effective_end()
    }
}

/// A service line: one service at one point of delivery, with its payment model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceLine {
    /// An identifier, unique within the contract.
    pub id: String,
    /// The service area.
    pub service: ServiceArea,
    /// Where care is delivered.
    pub point_of_delivery: PointOfDelivery,
    /// The unit activity is counted in; when absent, the point of delivery's usual unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<ActivityUnit>,
    /// How the money for the line is computed.
    pub payment: PaymentModel,
}

impl ServiceLine {
    /// A line counted in the point of delivery's usual unit.
    pub fn new(
        id: impl Into<String>,
        service: ServiceArea,
        point_of_delivery: PointOfDelivery,
        payment: PaymentModel,
    ) -> Self {
        Self {
            id: id.into(),
            service,
            point_of_delivery,
            unit: None,
            payment,
        }
    }

    /// The unit the line's activity is counted in.
    pub fn unit(&self) -> ActivityUnit {
        self.unit.unwrap_or_else(|| self.point_of_delivery.unit())
    }
}

/// Which way a KPI improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values are better: the threshold is a minimum.
    HigherIsBetter,
    /// Lower values are better: the threshold is a maximum.
    LowerIsBetter,
}

/// What a KPI measures in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KpiUnit {
    /// A percentage, 0 to 100.
    Percent,
    /// A count of events.
    Count,
    /// A rate per population or per activity.
    Rate,
    /// A time in minutes.
    Minutes,
    /// A time in days.
    Days,
    /// A time in weeks.
    Weeks,
}

/// How often a KPI is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportingPeriod {
    /// Every month.
    Monthly,
    /// Every quarter.
    Quarterly,
    /// Once a year.
    Annual,
}

/// What follows a breach of a quality requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Consequence {
    /// No automatic consequence; the breach is reported.
    None,
    /// The provider must agree a remedial action plan.
    RemedialActionPlan,
    /// A fixed amount for each breach (e.g. per patient or per period).
    Sanction {
        /// The amount per breach.
        amount_per_breach: Money,
    },
    /// A share of the contract's monthly value withheld for the period breached.
    Withhold {
        /// The share withheld.
        share_of_monthly_value: Share,
    },
}

/// A quality requirement: a KPI with a threshold, direction, period and consequence.
///
/// ```
/// use commissioning_model::contract::{Consequence, Direction, KpiUnit, QualityRequirement, ReportingPeriod};
/// use rust_decimal::Decimal;
///
/// let kpi = QualityRequirement::new("brain-scan", "Brain scan within 1 hour", KpiUnit::Percent,
///     Direction::HigherIsBetter, Decimal::from(90), ReportingPeriod::Monthly, Consequence::RemedialActionPlan);
/// assert!(kpi.is_met(Decimal::new(915, 1)));
/// assert!(!kpi.is_met(Decimal::from(89)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct QualityRequirement {
    /// An identifier, unique within the contract.
    pub id: String,
    /// What is measured.
    pub name: String,
    /// Its unit.
    pub unit: KpiUnit,
    /// Which way is better.
    pub direction: Direction,
    /// The threshold: a minimum when higher is better, a maximum when lower is better.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal")]
    pub threshold: Decimal,
    /// How often it is assessed.
    pub period: ReportingPeriod,
    /// What follows a breach.
    pub consequence: Consequence,
}

impl QualityRequirement {
    /// A quality requirement from its parts.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        unit: KpiUnit,
        direction: Direction,
        threshold: Decimal,
        period: ReportingPeriod,
        consequence: Consequence,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            unit,
            direction,
            threshold,
            period,
            consequence,
        }
    }

    /// Whether a value meets the threshold (meeting it exactly counts as met).
    pub fn is_met(&self, value: Decimal) -> bool {
        match self.direction {
            Direction::HigherIsBetter => value >= self.threshold,
            Direction::LowerIsBetter => value <= self.threshold,
        }
    }
}

/// One indicator of a CQUIN scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CquinIndicator {
    /// An identifier, unique within the scheme (e.g. `"CCG1"`).
    pub id: String,
    /// What it rewards.
    pub name: String,
    /// Its weight; only ratios matter (equal weights split the value equally).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    #[serde(with = "serde_decimal", default = "one")]
    pub weight: Decimal,
}

fn one() -> Decimal {
    Decimal::ONE
}

impl CquinIndicator {
    /// An indicator with its weight (only ratios of weights matter).
    pub fn new(id: impl Into<String>, name: impl Into<String>, weight: Decimal) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            weight,
        }
    }
}

/// An incentive scheme attached to a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum IncentiveScheme {
    /// Commissioning for Quality and Innovation: a share of contract value earned by meeting
    /// indicators.
    Cquin {
        /// The share of the contract value at stake (1.25% in 2022/23).
        share_of_value: Share,
        /// The indicators, weighted.
        indicators: Vec<CquinIndicator>,
    },
}

impl IncentiveScheme {
    /// The value at stake for a contract value, exact (unrounded).
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the product does not fit.
    pub fn value(&self, contract_value: Money) -> Result<Money> {
        match self {
            Self::Cquin { share_of_value, .. } => share_of_value.of(contract_value),
        }
    }

    /// The value at stake on each indicator, in pence that sum exactly to the scheme's value
    /// rounded with `rounding`.
    ///
    /// ```
    /// use commissioning_model::contract::{CquinIndicator, IncentiveScheme};
    /// use commissioning_model::{Money, Rounding};
    ///
    /// let cquin: IncentiveScheme = serde_json::from_str(r#"{"kind": "cquin",
    ///     "share_of_value": "1.25%",
    ///     "indicators": [{"id": "A", "name": "a"}, {"id": "B", "name": "b"}, {"id": "C", "name": "c"}]}"#)?;
    /// let parts = cquin.indicator_values("80000000.00".parse()?, Rounding::HalfUp)?;
    /// assert_eq!(parts[0], "333333.34".parse::<Money>()?);
    /// assert_eq!(Money::checked_sum(parts)?, "1000000.00".parse::<Money>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`crate::allocate`] for the indicator weights.
    pub fn indicator_values(
        &self,
        contract_value: Money,
        rounding: Rounding,
    ) -> Result<Vec<Money>> {
        match self {
            Self::Cquin { indicators, .. } => {
                let weights: Vec<Decimal> = indicators.iter().map(|i| i.weight).collect();
                allocate(self.value(contract_value)?, &weights, rounding)
            }
        }
    }
}

/// How the cost uplift and efficiency factors combine into a net price change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NetMethod {
    /// `(1 + uplift) × (1 − efficiency) − 1`.
    Multiplicative,
    /// `uplift − efficiency`.
    Additive,
}

/// The indexation applied to prices for one financial year.
///
/// ```
/// use commissioning_model::contract::{Indexation, NetMethod};
/// use commissioning_model::Rate;
///
/// let ix = Indexation::new("2025/26".parse()?, "illustrative", "4%".parse()?, "2%".parse()?,
///     NetMethod::Multiplicative);
/// assert_eq!(ix.net_change()?, "0.0192".parse::<Rate>()?); // 1.04 × 0.98 − 1
/// let mut additive = ix.clone();
/// additive.method = NetMethod::Additive;
/// assert_eq!(additive.net_change()?, "0.02".parse::<Rate>()?);
/// # Ok::<(), commissioning_model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Indexation {
    /// The year the factors apply to.
    pub year: FinancialYear,
    /// The publication and version the factors come from (e.g. a payment scheme edition).
    pub version: String,
    /// The cost uplift factor.
    pub cost_uplift: Rate,
    /// The efficiency factor.
    pub efficiency: Rate,
    /// How they combine.
    pub method: NetMethod,
}

impl Indexation {
    /// Indexation for a year from its factors.
    pub fn new(
        year: FinancialYear,
        version: impl Into<String>,
        cost_uplift: Rate,
        efficiency: Rate,
        method: NetMethod,
    ) -> Self {
        Self {
            year,
            version: version.into(),
            cost_uplift,
            efficiency,
            method,
        }
    }

    /// The net change in price.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] for absurdly large factors.
    pub fn net_change(&self) -> Result<Rate> {
        let u = self.cost_uplift.fraction();
        let e = self.efficiency.fraction();
        let net = match self.method {
            NetMethod::Multiplicative => Decimal::ONE
                .checked_add(u)
                .and_then(|a| Decimal::ONE.checked_sub(e).and_then(|b| a.checked_mul(b)))
                .and_then(|p| p.checked_sub(Decimal::ONE)),
            NetMethod::Additive => u.checked_sub(e),
        };
        net.map(|n| Rate::from_fraction(n.normalize()))
            .ok_or_else(|| ModelError::overflow("net indexation"))
    }

    /// A price after indexation, unrounded: `price × (1 + net change)`.
    ///
    /// # Errors
    ///
    /// [`ModelError::Overflow`] when the result does not fit.
    pub fn apply(&self, price: Money) -> Result<Money> {
        let factor = Decimal::ONE
            .checked_add(self.net_change()?.fraction())
            .ok_or_else(|| ModelError::overflow("indexation factor"))?;
        price.checked_mul_decimal(factor)
    }
}

/// An NHS Standard Contract between commissioners and a provider or alliance.
///
/// # Examples
///
/// ```
/// use commissioning_model::contract::Contract;
/// use commissioning_model::{Money, Rounding};
///
/// let contract: Contract = serde_json::from_str(r#"{
///   "id": "C-001", "title": "Community diabetes service",
///   "form": "shorter_form",
///   "commissioners": [{"code": "QWO", "coordinating": true}],
///   "provider": {"kind": "single", "code": "RWY"},
///   "term": {"start": "2025-04-01", "end": "2028-03-31"},
///   "payment_mechanism": "local",
///   "service_lines": [{
///     "id": "diab-community",
///     "service": {"id": "diabetes", "name": "Diabetes", "programme": "04A", "treatment_functions": ["307"]},
///     "point_of_delivery": "community",
///     "payment": {"kind": "block", "annual_value": "1000000.00"}
///   }]
/// }"#)?;
/// assert!(contract.validate().is_empty());
/// let months = contract.monthly_instalments(Rounding::HalfUp)?;
/// assert_eq!(months[0], "83333.34".parse::<Money>()?);
/// assert_eq!(months[11], "83333.33".parse::<Money>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Contract {
    /// The contract's identifier.
    pub id: String,
    /// A readable title.
    #[serde(default)]
    pub title: String,
    /// Full-length or shorter-form.
    pub form: ContractForm,
    /// The commissioners, exactly one of them co-ordinating.
    pub commissioners: Vec<ContractCommissioner>,
    /// The provider or alliance.
    pub provider: ProviderParty,
    /// The term.
    pub term: Term,
    /// The NHS Payment Scheme mechanism.
    pub payment_mechanism: PaymentMechanism,
    /// The services bought.
    pub service_lines: Vec<ServiceLine>,
    /// The quality requirements.
    #[serde(default)]
    pub quality_requirements: Vec<QualityRequirement>,
    /// An incentive scheme, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentive: Option<IncentiveScheme>,
    /// Price indexation by year.
    #[serde(default)]
    pub indexation: Vec<Indexation>,
}

/// One problem found by [`Contract::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidationIssue {
    /// The path of the offending value, e.g. `service_lines[1].id`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

struct Issues(Vec<ValidationIssue>);

impl Issues {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(ValidationIssue {
            path: path.into(),
            message: message.into(),
        });
    }

    fn unique_ids<'a>(&mut self, list: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.push(format!("{list}[{i}].id"), "must not be empty");
            } else if !seen.insert(id) {
                self.push(format!("{list}[{i}].id"), format!("duplicate id {id:?}"));
            }
        }
    }
}

impl Contract {
    /// A contract from its parties, term, payment mechanism and service lines, with no
    /// quality requirements, incentive or indexation (add them with the `with_` methods).
    /// Nothing is checked on construction, as on reading JSON: [`Contract::validate`] reports
    /// every problem, the same way for a contract built either way.
    ///
    /// # Examples
    ///
    /// ```
    /// use commissioning_model::contract::{
    ///     Consequence, Contract, ContractCommissioner, ContractForm, Direction, KpiUnit,
    ///     PaymentMechanism, ProviderParty, QualityRequirement, ReportingPeriod, ServiceLine, Term,
    /// };
    /// use commissioning_model::ods::OdsCode;
    /// use commissioning_model::payment::PaymentModel;
    /// use commissioning_model::service::{PointOfDelivery, ServiceArea};
    /// use commissioning_model::{Decimal, Money, NaiveDate, Rounding};
    ///
    /// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let line = ServiceLine::new(
    ///     "diabetes-community",
    ///     ServiceArea::diabetes(),
    ///     PointOfDelivery::Community,
    ///     PaymentModel::Block { annual_value: Money::from_pounds(1_000_000) },
    /// );
    /// let contract = Contract::new(
    ///     "C-1",
    ///     ContractForm::ShorterForm,
    ///     vec![ContractCommissioner::new("QZZ".parse::<OdsCode>()?, true)],
    ///     ProviderParty::single("RZY".parse::<OdsCode>()?),
    ///     Term::new(date(2025, 4, 1), date(2026, 3, 31)),
    ///     PaymentMechanism::AlignedPaymentAndIncentive,
    ///     vec![line],
    /// )
    /// .titled("Community diabetes service")
    /// .with_quality_requirement(QualityRequirement::new(
    ///     "care-processes",
    ///     "Eight care processes completed",
    ///     KpiUnit::Percent,
    ///     Direction::HigherIsBetter,
    ///     Decimal::from(75),
    ///     ReportingPeriod::Quarterly,
    ///     Consequence::RemedialActionPlan,
    /// ));
    /// assert!(contract.validate().is_empty());
    /// assert_eq!(contract.monthly_instalments(Rounding::HalfUp)?[0], "83333.34".parse::<Money>()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        id: impl Into<String>,
        form: ContractForm,
        commissioners: Vec<ContractCommissioner>,
        provider: ProviderParty,
        term: Term,
        payment_mechanism: PaymentMechanism,
        service_lines: Vec<ServiceLine>,
    ) -> Self {
        Self {
            id: id.into(),
            title: String::new(),
            form,
            commissioners,
            provider,
            term,
            payment_mechanism,
            service_lines,
            quality_requirements: Vec::new(),
            incentive: None,
            indexation: Vec::new(),
        }
    }

    /// The same contract with a readable title.
    #[must_use]
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The same contract with one more quality requirement.
    #[must_use]
    pub fn with_quality_requirement(mut self, requirement: QualityRequirement) -> Self {
        self.quality_requirements.push(requirement);
        self
    }

    /// The same contract with an incentive scheme.
    #[must_use]
    pub fn with_incentive(mut self, incentive: IncentiveScheme) -> Self {
        self.incentive = Some(incentive);
        self
    }

    /// The same contract with the indexation of one more year.
    #[must_use]
    pub fn with_indexation(mut self, indexation: Indexation) -> Self {
        self.indexation.push(indexation);
        self
    }

    /// Checks the rules that tie the contract's fields together and returns every problem
    /// found, in document order (empty when the contract is valid):
    ///
    /// - the id is not empty; at least one commissioner, no commissioner listed twice, and
    ///   exactly one co-ordinating commissioner;
    /// - an alliance has at least two members, none listed twice, and its lead is a member;
    ///   no provider is also a commissioner;
    /// - the term ends after it starts, and each extension ends after the term or extension
    ///   before it;
    /// - at least one service line; line ids are unique and not empty; each payment model
    ///   passes [`PaymentModel::check`]; a low-volume block contract pays only by block;
    /// - quality requirement ids are unique; a percentage threshold lies in 0..=100;
    /// - a CQUIN scheme has indicators with unique ids and usable weights;
    /// - indexation names each year once.
    pub fn validate(&self) -> Vec<ValidationIssue> {
        let mut issues = Issues(Vec::new());
        if self.id.trim().is_empty() {
            issues.push("id", "must not be empty");
        }
        self.validate_parties(&mut issues);
        self.validate_term(&mut issues);
        self.validate_lines(&mut issues);
        self.validate_quality(&mut issues);
        self.validate_incentive(&mut issues);
        let mut years = BTreeSet::new();
        for (i, ix) in self.indexation.iter().enumerate() {
            if !years.insert(ix.year) {
                issues.push(
                    format!("indexation[{i}].year"),
                    format!("{} appears more than once", ix.year),
                );
            }
        }
        issues.0
    }

    /// As [`Contract::validate`], as a `Result`.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidContract`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let issues = self.validate();
        if issues.is_empty() {
            Ok(())
        } else {
            Err(ModelError::InvalidContract { issues })
        }
    }

    fn validate_parties(&self, issues: &mut Issues) {
        if self.commissioners.is_empty() {
            issues.push("commissioners", "at least one commissioner is required");
        }
        let mut seen = BTreeSet::new();
        for (i, c) in self.commissioners.iter().enumerate() {
            if !seen.insert(c.code.as_str()) {
                issues.push(
                    format!("commissioners[{i}].code"),
                    format!("{} is listed more than once", c.code),
                );
            }
        }
        let coordinating = self.commissioners.iter().filter(|c| c.coordinating).count();
        if !self.commissioners.is_empty() && coordinating != 1 {
            issues.push(
                "commissioners",
                format!("exactly one commissioner must be co-ordinating, found {coordinating}"),
            );
        }
        if let ProviderParty::Alliance {
            name,
            members,
            lead,
        } = &self.provider
        {
            if name.trim().is_empty() {
                issues.push("provider.name", "must not be empty");
            }
            if members.len() < 2 {
                issues.push(
                    "provider.members",
                    format!(
                        "an alliance needs at least two members, found {}",
                        members.len()
                    ),
                );
            }
            let mut seen = BTreeSet::new();
            for (i, m) in members.iter().enumerate() {
                if !seen.insert(m.as_str()) {
                    issues.push(
                        format!("provider.members[{i}]"),
                        format!("{m} is listed more than once"),
                    );
                }
            }
            if let Some(lead) = lead
                && !members.contains(lead)
            {
                issues.push(
                    "provider.lead",
                    format!("{lead} is not a member of the alliance"),
                );
            }
        }
        for code in self.provider.codes() {
            if self.commissioners.iter().any(|c| &c.code == code) {
                issues.push(
                    "provider",
                    format!("{code} is both a commissioner and a provider"),
                );
            }
        }
    }

    fn validate_term(&self, issues: &mut Issues) {
        if self.term.end <= self.term.start {
            issues.push(
                "term.end",
                format!(
                    "must be after the start {}, got {}",
                    self.term.start, self.term.end
                ),
            );
        }
        let mut previous = self.term.end;
        for (i, e) in self.term.extensions.iter().enumerate() {
            if e.end <= previous {
                issues.push(
                    format!("term.extensions[{i}].end"),
                    format!("must be after {previous}, got {}", e.end),
                );
            }
            previous = previous.max(e.end);
        }
    }

    fn validate_lines(&self, issues: &mut Issues) {
        if self.service_lines.is_empty() {
            issues.push("service_lines", "at least one service line is required");
        }
        issues.unique_ids(
            "service_lines",
            self.service_lines.iter().map(|l| l.id.as_str()),
        );
        for (i, line) in self.service_lines.iter().enumerate() {
            if let Err(e) = line.payment.check() {
                issues.push(format!("service_lines[{i}].payment"), e.to_string());
            }
            if self.payment_mechanism == PaymentMechanism::LowVolumeBlock
                && !matches!(line.payment, PaymentModel::Block { .. })
            {
                issues.push(
                    format!("service_lines[{i}].payment"),
                    "a low-volume block contract is paid by block: use a block payment model",
                );
            }
        }
    }

    fn validate_quality(&self, issues: &mut Issues) {
        issues.unique_ids(
            "quality_requirements",
            self.quality_requirements.iter().map(|q| q.id.as_str()),
        );
        for (i, q) in self.quality_requirements.iter().enumerate() {
            if q.unit == KpiUnit::Percent
                && (q.threshold < Decimal::ZERO || q.threshold > Decimal::ONE_HUNDRED)
            {
                issues.push(
                    format!("quality_requirements[{i}].threshold"),
                    format!(
                        "a percentage must be between 0 and 100, got {}",
                        q.threshold
                    ),
                );
            }
            if let Consequence::Sanction { amount_per_breach } = q.consequence
                && amount_per_breach.is_negative()
            {
                issues.push(
                    format!("quality_requirements[{i}].consequence.amount_per_breach"),
                    format!("must be zero or more, got {amount_per_breach}"),
                );
            }
        }
    }

    fn validate_incentive(&self, issues: &mut Issues) {
        let Some(IncentiveScheme::Cquin { indicators, .. }) = &self.incentive else {
            return;
        };
        if indicators.is_empty() {
            issues.push(
                "incentive.indicators",
                "a CQUIN scheme needs at least one indicator",
            );
            return;
        }
        issues.unique_ids(
            "incentive.indicators",
            indicators.iter().map(|i| i.id.as_str()),
        );
        for (i, ind) in indicators.iter().enumerate() {
            if ind.weight.is_sign_negative() && !ind.weight.is_zero() {
                issues.push(
                    format!("incentive.indicators[{i}].weight"),
                    "must not be negative",
                );
            }
        }
        if indicators.iter().all(|i| i.weight.is_zero()) {
            issues.push(
                "incentive.indicators",
                "at least one indicator must have a weight above zero",
            );
        }
    }

    /// As [`Contract::validate`], and also checks every party against a register: each
    /// commissioner code must name a commissioner in `register` and each provider code a
    /// provider.
    ///
    /// ```
    /// use commissioning_model::organisation::{Commissioner, Organisations};
    /// # let contract: commissioning_model::Contract = serde_json::from_str(r#"{"id": "C", "form": "shorter_form",
    /// #   "commissioners": [{"code": "QWO", "coordinating": true}], "provider": {"kind": "single", "code": "RWY"},
    /// #   "term": {"start": "2025-04-01", "end": "2026-03-31"}, "payment_mechanism": "local",
    /// #   "service_lines": [{"id": "l", "service": {"id": "d", "name": "D", "programme": "04A"},
    /// #   "point_of_delivery": "community", "payment": {"kind": "block", "annual_value": "1.00"}}]}"#)?;
    /// let mut register = Organisations::new();
    /// register.insert(Commissioner::Icb { code: "QWO".parse()?, name: "West Yorkshire ICB".into() }.into())?;
    /// let issues = contract.validate_with(&register);
    /// assert_eq!(issues[0].to_string(), "provider.code: RWY is not in the register of organisations");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_with(&self, register: &Organisations) -> Vec<ValidationIssue> {
        let mut issues = Issues(self.validate());
        for (i, c) in self.commissioners.iter().enumerate() {
            let path = format!("commissioners[{i}].code");
            match register.get(c.code.as_str()) {
                None => issues.push(
                    path,
                    format!("{} is not in the register of organisations", c.code),
                ),
                Some(Organisation::Provider(_)) => {
                    issues.push(
                        path,
                        format!("{} is registered as a provider, not a commissioner", c.code),
                    );
                }
                Some(Organisation::Commissioner(_)) => {}
            }
        }
        let paths: Vec<String> = match &self.provider {
            ProviderParty::Single { .. } => vec!["provider.code".to_owned()],
            ProviderParty::Alliance { members, .. } => (0..members.len())
                .map(|i| format!("provider.members[{i}]"))
                .collect(),
        };
        for (path, code) in paths.into_iter().zip(self.provider.codes()) {
            match register.get(code.as_str()) {
                None => issues.push(
                    path,
                    format!("{code} is not in the register of organisations"),
                ),
                Some(Organisation::Commissioner(_)) => {
                    issues.push(
                        path,
                        format!("{code} is registered as a commissioner, not a provider"),
                    );
                }
                Some(Organisation::Provider(_)) => {}
            }
        }
        issues.0
    }

    /// The co-ordinating commissioner, if exactly one is marked.
    pub fn coordinating_commissioner(&self) -> Option<&ContractCommissioner> {
        let mut it = self.commissioners.iter().filter(|c| c.coordinating);
        match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }

    /// The service line with this id.
    pub fn line(&self, id: &str) -> Option<&ServiceLine> {
        self.service_lines.iter().find(|l| l.id == id)
    }

    /// The expected annual value: the sum of the lines' expected values, unrounded.
    ///
    /// # Errors
    ///
    /// As [`PaymentModel::expected_annual_value`] for any line, or
    /// [`ModelError::Overflow`] for the sum.
    pub fn expected_annual_value(&self) -> Result<Money> {
        let values = self
            .service_lines
            .iter()
            .map(|l| l.payment.expected_annual_value())
            .collect::<Result<Vec<_>>>()?;
        Money::checked_sum(values)
    }

    /// Twelve monthly instalments (M1 to M12) of the expected annual value, summing exactly to
    /// it rounded to pence.
    ///
    /// # Errors
    ///
    /// As [`Contract::expected_annual_value`].
    pub fn monthly_instalments(&self, rounding: Rounding) -> Result<Vec<Money>> {
        crate::allocation::instalments(self.expected_annual_value()?, 12, rounding)
    }

    /// The indexation for a year, if the contract states one.
    pub fn indexation_for(&self, year: FinancialYear) -> Option<&Indexation> {
        self.indexation.iter().find(|i| i.year == year)
    }
}

crate::words_from_str!(
    ContractForm => "contract form",
    PaymentMechanism => "payment mechanism",
    Direction => "direction",
    KpiUnit => "KPI unit",
    ReportingPeriod => "reporting period",
    NetMethod => "net method",
);
crate::words_display!(
    ContractForm,
    PaymentMechanism,
    Direction,
    KpiUnit,
    ReportingPeriod,
    NetMethod
);
