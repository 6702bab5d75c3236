//! One function per subcommand: parse the document, call the library, return the result as JSON.

use chrono::NaiveDate;
use commissioning::model::activity::{ActivitySchedule, compare};
use commissioning::model::contract::Contract;
use commissioning::model::organisation::Organisations;
use commissioning::model::payment::{BillingPeriod, PaymentModel};
use commissioning::model::period::FyMonth;
use commissioning::model::{Decimal, ModelError, Money, Rounding, Share};
use commissioning::monitor::effectiveness::{Portfolio, Thresholds, effectiveness};
use commissioning::monitor::finance::{BudgetLine, PvmLine, budget_position, price_volume_mix};
use commissioning::monitor::kpi::{KpiSeries, assess};
use commissioning::monitor::spc::{Observation, SpcOptions, spc};
use commissioning::priority::ahp::{AhpMethod, RandomIndex, ahp, hierarchy};
use commissioning::priority::cea::{Strategy, calculate_icers, calculate_icers_with_nmb};
use commissioning::priority::concentration::{Spend, concentration};
use commissioning::priority::mcda::{Alternative, Criterion, score};
use commissioning::priority::select::{Problem, select};
use commissioning::priority::sensitivity::{ValuedOption, one_way, smaa};
use commissioning::priority::topsis::{CriterionType, Normalisation, topsis};
use commissioning::risk::agreement::Agreement;
use commissioning::risk::mssp::{MsspInput, settle_mssp};
use commissioning::risk::multiyear::{MultiYearAgreement, YearInput, settle_term};
use commissioning::risk::scenario::{Outturns, compare_designs};
use commissioning::risk::settle::{SettlementInput, settle};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::document::finite::to_json;
use crate::document::io::{DocumentError, parse, parse_tagged, read_tag};
use crate::document::limits;
use crate::document::output::Output;

/// `settle`: one period, a multi-year term, an MSSP year, or a scenario comparison, chosen by
/// the document's `"kind"`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SingleDoc {
    /// The agreement, written out; or else `preset`.
    #[serde(default)]
    agreement: Option<Agreement>,
    /// A published agreement by name, instead of writing it out.
    #[serde(default)]
    preset: Option<Preset>,
    input: SettlementInput,
}

/// Pooled-budget years settled in turn, underspend kept carried forward.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PooledTermDoc {
    years: Vec<commissioning::risk::pooled::PooledBudget>,
}

/// A published risk-sharing agreement by name (`commissioning_risk::presets`).
#[derive(Deserialize, JsonSchema)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
enum Preset {
    /// The ACA risk corridors (45 CFR 153.510).
    AcaRiskCorridor,
    /// The Medicare Part D risk corridors, for its years, optionally with the 90% government
    /// share beyond the second corridor.
    PartD {
        years: commissioning::risk::presets::PartDYears,
        #[serde(default)]
        higher_government_share: bool,
    },
    /// An MSSP track as an agreement, with its minimum savings and loss rates.
    Mssp {
        track: commissioning::risk::presets::MsspTrack,
        msr: commissioning::model::Rate,
        mlr: commissioning::model::Rate,
    },
}

impl SingleDoc {
    /// The agreement written out, or the preset named.
    fn agreement(&self) -> Result<Agreement, DocumentError> {
        use commissioning::risk::presets::{aca_risk_corridor, mssp, part_d_risk_corridor};
        match (&self.agreement, &self.preset) {
            (Some(a), None) => Ok(a.clone()),
            (None, Some(Preset::AcaRiskCorridor)) => Ok(aca_risk_corridor()),
            (
                None,
                Some(Preset::PartD {
                    years,
                    higher_government_share,
                }),
            ) => part_d_risk_corridor(*years, *higher_government_share)
                .map_err(|e| DocumentError::rule(e).within("preset")),
            (None, Some(Preset::Mssp { track, msr, mlr })) => {
                mssp(*track, *msr, *mlr).map_err(|e| DocumentError::rule(e).within("preset"))
            }
            _ => Err(DocumentError::input(
                "agreement",
                "give the agreement written out, or a preset by name (\"preset\": {\"name\": \"aca_risk_corridor\"}), one of the two",
            )),
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MultiYearDoc {
    term: MultiYearAgreement,
    years: Vec<YearInput>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MsspDoc {
    input: MsspInput,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScenarioDoc {
    designs: Vec<Agreement>,
    base: SettlementInput,
    outturns: Outturns,
}

pub(crate) fn settle_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(
        text,
        "kind",
        &[
            "single",
            "multi_year",
            "mssp",
            "scenario",
            "pooled_budget",
            "pooled_term",
        ],
        None,
    )?;
    match kind.as_str() {
        "single" => {
            let d: SingleDoc = parse_tagged(text, "kind")?;
            to_json(
                &settle(&d.agreement()?, &d.input)
                    .map_err(|e| DocumentError::rule_in(settlement_part, e))?,
            )
        }
        "multi_year" => {
            let d: MultiYearDoc = parse_tagged(text, "kind")?;
            to_json(&settle_term(&d.term, &d.years).map_err(DocumentError::rule)?)
        }
        "pooled_budget" => {
            let d: commissioning::risk::pooled::PooledBudget = parse_tagged(text, "kind")?;
            to_json(&commissioning::risk::pooled::settle_pool(&d).map_err(DocumentError::rule)?)
        }
        "pooled_term" => {
            let d: PooledTermDoc = parse_tagged(text, "kind")?;
            to_json(
                &commissioning::risk::pooled::settle_pool_term(&d.years)
                    .map_err(DocumentError::rule)?,
            )
        }
        "mssp" => {
            let d: MsspDoc = parse_tagged(text, "kind")?;
            let settled =
                settle_mssp(&d.input).map_err(|e| DocumentError::rule_in(|_| Some("input"), e))?;
            let mut v = to_json(&settled)?;
            // The year's rates and loss limits, shown whether or not they bind, so that the
            // settlement can be checked against them.
            let msr = match d.input.msr {
                Some(r) => r,
                None => {
                    commissioning::risk::mssp::minimum_savings_rate(d.input.assigned_beneficiaries)
                        .map_err(|e| DocumentError::rule_in(|_| Some("input"), e))?
                }
            };
            let mlr = d.input.mlr.unwrap_or(msr);
            let agreement = commissioning::risk::presets::mssp(d.input.track, msr, mlr)
                .map_err(|e| DocumentError::rule_in(|_| Some("input"), e))?;
            let loss_limits = agreement.loss.as_ref().map(|l| &l.caps);
            if let Some(obj) = v.as_object_mut() {
                obj.insert(
                    "parameters".into(),
                    json!({
                        "minimum_savings_rate": to_json(&msr)?,
                        "minimum_loss_rate": to_json(&mlr)?,
                        "msr_from_size_table": d.input.msr.is_none(),
                        "loss_limits": to_json(&loss_limits)?,
                    }),
                );
            }
            Ok(v)
        }
        _ => {
            let d: ScenarioDoc = parse_tagged(text, "kind")?;
            let draws = match &d.outturns {
                Outturns::List { values } => limits::n(values.len()),
                Outturns::Simulated { count, .. } => u64::from(*count),
                _ => 0,
            };
            limits::SIMULATIONS.check(
                "outturns.count",
                draws.saturating_mul(limits::n(d.designs.len())),
            )?;
            if d.designs.is_empty() {
                return Err(DocumentError::input(
                    "designs",
                    "at least one agreement is required",
                ));
            }
            to_json(
                &compare_designs(&d.designs, &d.base, &d.outturns).map_err(DocumentError::rule)?,
            )
        }
    }
}

/// `pay`: the amount due under a payment model.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PayDoc {
    model: PaymentModel,
    period: BillingPeriod,
    #[serde(with = "commissioning::model::decimal::serde_decimal")]
    #[schemars(with = "String")]
    actual_activity: Decimal,
    #[serde(default)]
    rounding: Rounding,
}

/// A figure that may be legitimately unknown (a model with no planned activity has no expected
/// value), but never silently lost: an arithmetic overflow is an error.
fn known(r: Result<Money, ModelError>) -> Result<Option<Money>, DocumentError> {
    match r {
        Ok(m) => Ok(Some(m)),
        Err(e @ ModelError::Overflow { .. }) => Err(DocumentError::rule(e)),
        Err(_) => Ok(None),
    }
}

pub(crate) fn pay_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: PayDoc = parse(text)?;
    let due = d
        .model
        .amount_due(d.period, d.actual_activity, d.rounding)
        .map_err(|e| DocumentError::rule_in(|f| f.is_empty().then_some("model"), e))?;
    let expected = known(d.model.expected_annual_value())?.map(|m| m.round(d.rounding));
    let mut v = to_json(&due)?;
    if let (Some(obj), Some(e)) = (v.as_object_mut(), expected) {
        obj.insert("expected_annual_value".into(), to_json(&e)?);
    }
    Ok(v)
}

/// `score`: the multi-criteria value model.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ScoreDoc {
    criteria: Vec<Criterion>,
    options: Vec<Alternative>,
}

pub(crate) fn score_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: ScoreDoc = parse(text)?;
    let mut v = to_json(&score(&d.criteria, &d.options).map_err(DocumentError::rule)?)?;
    if let Some(obj) = v.as_object_mut() {
        let ids: Vec<&str> = d.criteria.iter().map(|c| c.id.as_str()).collect();
        obj.insert("criteria".into(), json!(ids));
    }
    Ok(v)
}

/// `topsis`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TopsisDoc {
    matrix: Vec<Vec<f64>>,
    weights: Vec<f64>,
    criteria_types: Vec<CriterionType>,
    #[serde(default)]
    normalisation: Normalisation,
    #[serde(default)]
    alternatives: Vec<String>,
}

pub(crate) fn topsis_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: TopsisDoc = parse(text)?;
    let r = topsis(&d.matrix, &d.weights, &d.criteria_types, d.normalisation)
        .map_err(DocumentError::rule)?;
    let mut v = to_json(&r)?;
    if !d.alternatives.is_empty() {
        if d.alternatives.len() != d.matrix.len() {
            return Err(DocumentError::input(
                "alternatives",
                format!(
                    "has {} names for {} rows",
                    d.alternatives.len(),
                    d.matrix.len()
                ),
            ));
        }
        let names: Vec<&String> = r
            .ranking
            .iter()
            .filter_map(|i| d.alternatives.get(i.saturating_sub(1)))
            .collect();
        if let Some(obj) = v.as_object_mut() {
            obj.insert("ranking_names".into(), json!(names));
        }
    }
    Ok(v)
}

/// An AHP judgement: a number (`3`, `0.2`) or, as a spreadsheet writes it, a fraction
/// (`"1/3"`), read exactly as the quotient of its two parts.
#[derive(Clone, Copy)]
struct Judgement(f64);

impl<'de> Deserialize<'de> for Judgement {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(x) => Ok(Self(x)),
            Raw::Text(t) => judgement(&t).map(Self).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "expected a judgement such as 3, 0.2 or \"1/3\", got {t:?}"
                ))
            }),
        }
    }
}

/// `"1/3"`, `"3"` or `"0.2"` as a number.
fn judgement(text: &str) -> Option<f64> {
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    match text.split_once('/') {
        Some((a, b)) => Some(number(a)? / number(b)?).filter(|x| x.is_finite()),
        None => number(text),
    }
}

impl JsonSchema for Judgement {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Judgement".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A pairwise judgement: a number (3, 0.2) or a fraction as text (\"1/3\")",
            "type": ["number", "string"],
            "pattern": "^\\s*[0-9.]+\\s*(/\\s*[0-9.]+\\s*)?$"
        })
    }
}

fn numbers(matrix: &[Vec<Judgement>]) -> Vec<Vec<f64>> {
    matrix
        .iter()
        .map(|row| row.iter().map(|j| j.0).collect())
        .collect()
}

/// `ahp`: one matrix or a two-level hierarchy.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AhpMatrixDoc {
    matrix: Vec<Vec<Judgement>>,
    /// The criteria's names, one per row, to label the weights.
    #[serde(default)]
    criteria: Vec<String>,
    #[serde(default)]
    method: AhpMethod,
    #[serde(default)]
    random_index: RandomIndex,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AhpHierarchyDoc {
    criteria_matrix: Vec<Vec<Judgement>>,
    alternative_matrices: Vec<Vec<Vec<Judgement>>>,
    #[serde(default)]
    method: AhpMethod,
    #[serde(default)]
    random_index: RandomIndex,
}

pub(crate) fn ahp_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(text, "kind", &["matrix", "hierarchy"], None)?;
    if kind == "matrix" {
        let d: AhpMatrixDoc = parse_tagged(text, "kind")?;
        if !d.criteria.is_empty() && d.criteria.len() != d.matrix.len() {
            return Err(DocumentError::input(
                "criteria",
                format!(
                    "has {} names for a matrix of {} rows",
                    d.criteria.len(),
                    d.matrix.len()
                ),
            ));
        }
        let mut v = to_json(
            &ahp(&numbers(&d.matrix), d.method, d.random_index).map_err(DocumentError::rule)?,
        )?;
        if let (Some(obj), false) = (v.as_object_mut(), d.criteria.is_empty()) {
            obj.insert("criteria".into(), json!(d.criteria));
        }
        Ok(v)
    } else {
        let d: AhpHierarchyDoc = parse_tagged(text, "kind")?;
        let alternatives: Vec<Vec<Vec<f64>>> =
            d.alternative_matrices.iter().map(|m| numbers(m)).collect();
        to_json(
            &hierarchy(
                &numbers(&d.criteria_matrix),
                &alternatives,
                d.method,
                d.random_index,
            )
            .map_err(DocumentError::rule)?,
        )
    }
}

/// `frontier`: the cost-effectiveness frontier, and net monetary benefit at a threshold.
///
/// Its strategies are `S`: strategies, or the mark of strategies read apart
/// ([`crate::document::array_in`]).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FrontierDoc", bound = "S: JsonSchema")]
pub(crate) struct FrontierDoc<S = Vec<Strategy>> {
    strategies: S,
    #[serde(default)]
    threshold: Option<f64>,
}

/// Reads a `frontier` document: its strategies by [`crate::document::frontier_in`] where they have the
/// common shape, the rest by `serde`; the whole by `serde` otherwise (which names any fault).
pub(crate) fn frontier_doc(text: &str) -> Result<FrontierDoc, DocumentError> {
    let quick = crate::document::array_in::split(text, &crate::document::frontier_in::STRATEGIES)
        .and_then(|split| {
            let d: FrontierDoc<crate::document::array_in::Marker> =
                crate::document::io::parse_borrowed(&split.rest)?;
            d.strategies.found().then_some(FrontierDoc {
                strategies: split.items,
                threshold: d.threshold,
            })
        });
    match quick {
        Some(d) => Ok(d),
        None => parse(text),
    }
}

/// `frontier`: the ICER table, and the cost-effectiveness plane as SVG when `svg` gives its
/// title. The table borrows the strategies' ids from the document until it is written.
pub(crate) fn frontier_cmd<'a>(
    d: &'a FrontierDoc,
    svg: Option<&str>,
) -> Result<(Output<'a>, Option<String>), DocumentError> {
    // The library calls it the willingness to pay; the document calls it the threshold.
    let named = |e| match e {
        commissioning::priority::PriorityError::InvalidInput { field, reason }
            if field == "willingness_to_pay" =>
        {
            DocumentError::input("threshold", reason)
        }
        other => DocumentError::rule(other),
    };
    let (rows, nmb) = match d.threshold {
        Some(t) => {
            let (rows, nmb) = calculate_icers_with_nmb(&d.strategies, t).map_err(named)?;
            (rows, Some(nmb))
        }
        None => (
            calculate_icers(&d.strategies).map_err(DocumentError::rule)?,
            None,
        ),
    };
    let drawing =
        svg.map(|title| commissioning::priority::chart::ce_plane_svg(&rows, d.threshold, title));
    let (net_monetary_benefit, best) = nmb.unzip();
    let out = crate::document::frontier_out::FrontierOut {
        rows,
        threshold: d.threshold,
        net_monetary_benefit,
        best,
    };
    Ok((Output::of(out), drawing))
}

/// The node limit of the exact selection when the document gives none.
const DEFAULT_MAX_NODES: u64 = 50_000_000;

pub(crate) fn select_cmd(text: &str) -> Result<Value, DocumentError> {
    let mut p: Problem = parse(text)?;
    let n = limits::n(p.candidates.len());
    limits::CANDIDATES.check("candidates", n)?;
    // Each node of the search costs a pass over the candidates, so the node limit is bounded by
    // the work limit: a document's own max_nodes beyond it is refused at once.
    let per_node = n.saturating_add(1);
    let work = limits::SEARCH_WORK.value();
    match p.max_nodes {
        Some(m) => limits::SEARCH_WORK.check("max_nodes", m.saturating_mul(per_node))?,
        None => {
            p.max_nodes = Some(
                DEFAULT_MAX_NODES
                    .min(work.checked_div(per_node).unwrap_or(1))
                    .max(1),
            );
        }
    }
    to_json(&select(&p).map_err(DocumentError::rule)?)
}

/// `sensitivity`: one-way weight sensitivity or SMAA.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct OneWayDoc {
    weights: Vec<f64>,
    /// The criterion whose weight varies: its position, or its name when `criteria` names them.
    varied_criterion: CriterionRef,
    /// The criteria's names, in the order of each option's values.
    #[serde(default)]
    criteria: Vec<String>,
    options: Vec<ValuedOption>,
}

/// A criterion by position (`1`) or by name (`"access"`).
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum CriterionRef {
    Position(usize),
    Name(String),
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SmaaDoc {
    options: Vec<ValuedOption>,
    samples: u32,
    seed: u64,
    /// The criteria's names, in the order of each option's values (checked against them).
    #[serde(default)]
    criteria: Vec<String>,
}

/// Checks that `names`, when given, name each of the options' values once.
fn check_names(names: &[String], options: &[ValuedOption]) -> Result<(), DocumentError> {
    if names.is_empty() {
        return Ok(());
    }
    if let Some((i, o)) = options
        .iter()
        .enumerate()
        .find(|(_, o)| o.values.len() != names.len())
    {
        return Err(DocumentError::input(
            format!("options[{i}].values"),
            format!(
                "has {} values for {} named criteria",
                o.values.len(),
                names.len()
            ),
        ));
    }
    if let Some((i, dup)) =
        commissioning::model::ids::first_duplicate(&names.iter().map(String::as_str))
    {
        return Err(DocumentError::input(
            format!("criteria[{i}]"),
            format!("names {dup:?} a second time"),
        ));
    }
    Ok(())
}

pub(crate) fn sensitivity_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(text, "kind", &["one_way", "smaa"], None)?;
    if kind == "one_way" {
        let d: OneWayDoc = parse_tagged(text, "kind")?;
        check_names(&d.criteria, &d.options)?;
        let varied = match &d.varied_criterion {
            CriterionRef::Position(i) => *i,
            CriterionRef::Name(name) => {
                d.criteria.iter().position(|c| c == name).ok_or_else(|| {
                    DocumentError::input(
                        "varied_criterion",
                        format!(
                            "{name:?} is not one of the criteria ({})",
                            d.criteria.join(", ")
                        ),
                    )
                })?
            }
        };
        let n = limits::n(d.options.len());
        limits::OUTPUT_ROWS.check("options", n.saturating_mul(n.saturating_sub(1)) / 2)?;
        let mut v =
            to_json(&one_way(&d.weights, varied, &d.options).map_err(DocumentError::rule)?)?;
        if let (Some(obj), Some(name)) = (v.as_object_mut(), d.criteria.get(varied)) {
            obj.insert("criterion_name".into(), json!(name));
        }
        Ok(v)
    } else {
        let d: SmaaDoc = parse_tagged(text, "kind")?;
        check_names(&d.criteria, &d.options)?;
        let criteria = d.options.iter().map(|o| o.values.len()).max().unwrap_or(0);
        limits::SMAA_WORK.check(
            "samples",
            u64::from(d.samples)
                .saturating_mul(limits::n(d.options.len()))
                .saturating_mul(limits::n(criteria)),
        )?;
        to_json(&smaa(&d.options, d.samples, d.seed).map_err(DocumentError::rule)?)
    }
}

/// The analyses of `psa`.
pub(crate) const PSA_KINDS: [&str; 4] = ["summary", "ceac", "evpi", "expected_loss"];

/// `psa`: decisions under uncertainty from simulated costs and effects: the summary and the
/// frontier on the means, acceptability curves, EVPI or expected loss, by the document's
/// `"kind"`.
/// `psa`, with the acceptability curves drawn as SVG when `svg` is asked for (kind `ceac`).
pub(crate) fn psa_cmd(text: &str, svg: bool) -> Result<(Value, Option<String>), DocumentError> {
    use commissioning::priority::chart::{ceac_svg, evpi_svg};
    use commissioning::priority::psa::{PsaInput, ceac, evpi};
    let kind = read_tag(text, "kind", &PSA_KINDS, None)?;
    if !svg {
        return Ok((psa_result(text, &kind)?, None));
    }
    if kind != "ceac" && kind != "evpi" {
        return Err(DocumentError::input(
            "kind",
            format!(
                "--svg draws acceptability curves (kind \"ceac\") or the EVPI curve (kind \"evpi\"), got {kind:?}"
            ),
        ));
    }
    let d: PsaInput = parse_tagged(text, "kind")?;
    check_psa_work(&d)?;
    let psa = d.psa().map_err(DocumentError::rule)?;
    let wtp = d.wtp().map_err(DocumentError::rule)?;
    if kind == "evpi" {
        let population = d.population().map_err(DocumentError::rule)?;
        let result = evpi(&psa, wtp, population.as_ref()).map_err(DocumentError::rule)?;
        let drawing = evpi_svg(&result, "Expected value of perfect information");
        return Ok((to_json(&result)?, Some(drawing)));
    }
    let curves = ceac(&psa, wtp).map_err(DocumentError::rule)?;
    let drawing = ceac_svg(
        &curves,
        psa.strategies(),
        "Cost-effectiveness acceptability curves",
    );
    Ok((to_json(&curves)?, Some(drawing)))
}

/// Refuses a PSA whose work (simulations × strategies × willingness-to-pay values) is beyond the
/// limit, before it starts.
fn check_psa_work(d: &commissioning::priority::psa::PsaInput) -> Result<(), DocumentError> {
    let sims = limits::n(d.cost.len()).saturating_mul(limits::n(d.strategies.len()));
    let points = limits::n(d.wtp.as_ref().map_or(1, Vec::len));
    limits::SMAA_WORK.check("cost", sims.saturating_mul(points))?;
    // Each willingness-to-pay value repeats the strategies' names (the optimal ones and the
    // frontier's) and three numbers per strategy.
    let per_point = d
        .strategies
        .iter()
        .map(|s| {
            limits::text_bytes(s.len())
                .saturating_mul(2)
                .saturating_add(3 * limits::NUMBER_BYTES)
        })
        .fold(limits::NUMBER_BYTES, u64::saturating_add);
    limits::OUTPUT_BYTES.check("wtp", points.saturating_mul(per_point))
}

fn psa_result(text: &str, kind: &str) -> Result<Value, DocumentError> {
    use commissioning::priority::psa::{PsaInput, ceac, evpi, expected_loss, summary};
    let d: PsaInput = parse_tagged(text, "kind")?;
    check_psa_work(&d)?;
    let psa = d.psa().map_err(DocumentError::rule)?;
    match kind {
        "summary" => to_json(&summary(&psa).map_err(DocumentError::rule)?),
        "ceac" => to_json(
            &ceac(&psa, d.wtp().map_err(DocumentError::rule)?).map_err(DocumentError::rule)?,
        ),
        "evpi" => {
            let population = d.population().map_err(DocumentError::rule)?;
            to_json(
                &evpi(
                    &psa,
                    d.wtp().map_err(DocumentError::rule)?,
                    population.as_ref(),
                )
                .map_err(DocumentError::rule)?,
            )
        }
        _ => to_json(
            &expected_loss(&psa, d.wtp().map_err(DocumentError::rule)?)
                .map_err(DocumentError::rule)?,
        ),
    }
}

/// `dsa`: one-way (with a tornado) or two-way deterministic sensitivity of a decision, by the
/// document's `"kind"`.
/// `dsa`, with the tornado (kind `one_way`) as SVG when `svg` gives its title.
pub(crate) fn dsa_cmd(
    text: &str,
    svg: Option<&str>,
) -> Result<(Value, Option<String>), DocumentError> {
    use commissioning::priority::dsa::{OneWayInput, TwoWayInput, owsa, twsa};
    let kind = read_tag(text, "kind", &["one_way", "two_way"], None)?;
    if kind == "one_way" {
        let d: OneWayInput = parse_tagged(text, "kind")?;
        let result = owsa(&d).map_err(DocumentError::rule)?;
        let drawing = svg.map(|title| commissioning::priority::chart::tornado_svg(&result, title));
        Ok((to_json(&result)?, drawing))
    } else {
        if svg.is_some() {
            return Err(DocumentError::input(
                "--svg",
                "the tornado is drawn for kind one_way; a two-way grid has no chart",
            ));
        }
        let d: TwoWayInput = parse_tagged(text, "kind")?;
        // Each grid point repeats the optimal strategy's name and an outcome per strategy.
        let longest = d.strategies.iter().map(String::len).max().unwrap_or(0);
        let per_point = limits::text_bytes(longest).saturating_add(
            limits::n(d.strategies.len().saturating_add(2)).saturating_mul(limits::NUMBER_BYTES),
        );
        limits::OUTPUT_BYTES.check("grid", limits::n(d.grid.len()).saturating_mul(per_point))?;
        Ok((to_json(&twsa(&d).map_err(DocumentError::rule)?)?, None))
    }
}

/// `budget`: the budget impact of a new technology over one to five years, with NICE's flags.
pub(crate) fn budget_cmd(text: &str) -> Result<Value, DocumentError> {
    use commissioning::priority::budget::{BudgetImpactInput, budget_impact};
    let d: BudgetImpactInput = parse(text)?;
    to_json(&budget_impact(&d).map_err(DocumentError::rule)?)
}

/// `concentration`: where the money goes.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ConcentrationDoc {
    spend: Vec<Spend>,
    #[serde(default = "eighty")]
    target: Share,
    #[serde(default = "eighty")]
    a_limit: Share,
    #[serde(default = "ninety_five")]
    b_limit: Share,
}

fn eighty() -> Share {
    Share::try_new(Decimal::new(8, 1)).unwrap_or(Share::ONE)
}

fn ninety_five() -> Share {
    Share::try_new(Decimal::new(95, 2)).unwrap_or(Share::ONE)
}

/// `concentration`, with the Pareto chart as SVG when `svg` gives its title.
pub(crate) fn concentration_cmd(
    text: &str,
    svg: Option<&str>,
) -> Result<(Value, Option<String>), DocumentError> {
    let d: ConcentrationDoc = parse(text)?;
    let c = concentration(&d.spend, d.target, d.a_limit, d.b_limit).map_err(DocumentError::rule)?;
    let drawing = svg
        .map(|title| commissioning::priority::chart::pareto_svg(&c, d.a_limit, d.b_limit, title));
    Ok((to_json(&c)?, drawing))
}

/// `validate`: a contract, optionally against a register of organisations. Returns the report
/// and whether it is valid.
pub(crate) fn validate_cmd(
    text: &str,
    register: Option<&str>,
) -> Result<(Value, Option<String>), DocumentError> {
    let contract: Contract = parse(text)?;
    let issues = match register {
        Some(r) => {
            let orgs: Organisations = parse(r)?;
            contract.validate_with(&orgs)
        }
        None => contract.validate(),
    };
    let first = issues.first().map(ToString::to_string);
    let value = json!({
        "contract": contract.id,
        "valid": issues.is_empty(),
        "issues": to_json(&issues)?,
        "expected_annual_value": known(contract.expected_annual_value())?.map(Money::round_pence),
    });
    Ok((value, first))
}

/// `spc`: a Making Data Count chart, or several series drawn as facets of one figure.
///
/// Its points are `V`: observations, or the mark of points read apart ([`crate::document::array_in`]).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SpcDoc", bound = "V: JsonSchema + Default + Serialize")]
struct SpcDoc<V = Vec<Observation>> {
    #[serde(default)]
    title: Option<String>,
    /// A line under the title (the measure's definition, its source).
    #[serde(default)]
    subtitle: Option<String>,
    /// The vertical axis's title (the measure and its unit).
    #[serde(default)]
    y_title: Option<String>,
    /// The horizontal axis's title (`Date` for dated points, `Point` otherwise, by default).
    #[serde(default)]
    x_title: Option<String>,
    #[serde(default)]
    values: V,
    #[serde(default)]
    options: SpcOptions,
    /// Several series, each with its own title, values and options, drawn as facets.
    #[serde(default)]
    series: Vec<SpcSeries>,
    /// Facets per row of the figure (2 by default).
    #[serde(default)]
    columns: Option<usize>,
}

/// One series of a faceted chart.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SpcSeries {
    title: String,
    values: Vec<Observation>,
    #[serde(default)]
    options: SpcOptions,
}

/// The charts of a faceted document, by title.
#[derive(Serialize)]
struct SpcFacet<'a> {
    title: &'a str,
    chart: commissioning::monitor::spc::SpcChart,
}

/// A faceted document's result.
#[derive(Serialize)]
struct SpcFacets<'a> {
    series: Vec<SpcFacet<'a>>,
}

/// An `spc` document: its points read by [`crate::document::spc_in`] where they have the common shape,
/// the rest by `serde`; the whole by `serde` otherwise (which names any fault).
fn read_spc(text: &str) -> Result<SpcDoc, DocumentError> {
    let quick = crate::document::array_in::split(text, &crate::document::spc_in::POINTS).and_then(
        |split| {
            let d: SpcDoc<crate::document::array_in::Marker> =
                crate::document::io::parse_borrowed(&split.rest)?;
            d.values.found().then_some(SpcDoc {
                title: d.title,
                subtitle: d.subtitle,
                y_title: d.y_title,
                x_title: d.x_title,
                values: split.items,
                options: d.options,
                series: d.series,
                columns: d.columns,
            })
        },
    );
    match quick {
        Some(d) => Ok(d),
        None => parse(text),
    }
}

/// `spc`: the chart's points and limits, and the SVG drawing when `svg` asks for it.
pub(crate) fn spc_cmd(
    text: &str,
    svg: bool,
) -> Result<(Output<'static>, Option<String>), DocumentError> {
    use commissioning::monitor::svg::{ChartText, draw, facets};
    let d = read_spc(text)?;
    let title = d.title.as_deref().unwrap_or("SPC chart");
    if !d.series.is_empty() {
        if !d.values.is_empty() {
            return Err(DocumentError::input(
                "series",
                "give either values (one chart) or series (facets), not both",
            ));
        }
        let mut charts = Vec::with_capacity(d.series.len());
        for (i, s) in d.series.iter().enumerate() {
            let chart = spc(&s.values, &s.options)
                .map_err(|e| DocumentError::rule(e).within(&format!("series[{i}]")))?;
            charts.push(chart);
        }
        let drawing = svg.then(|| {
            let named: Vec<(&str, &commissioning::monitor::spc::SpcChart)> = d
                .series
                .iter()
                .zip(&charts)
                .map(|(s, c)| (s.title.as_str(), c))
                .collect();
            facets(&named, title, d.columns.unwrap_or(2), 560, 340)
        });
        let out: Vec<SpcFacet<'_>> = d
            .series
            .iter()
            .zip(charts)
            .map(|(s, chart)| SpcFacet {
                title: &s.title,
                chart,
            })
            .collect();
        // Checked for non-finite numbers as typed values, before they become JSON.
        return Ok((Output::typed(to_json(&SpcFacets { series: out })?), drawing));
    }
    let chart = spc(&d.values, &d.options).map_err(DocumentError::rule)?;
    let drawing = svg.then(|| {
        let text = ChartText {
            subtitle: d.subtitle.as_deref().unwrap_or(""),
            y_title: d.y_title.as_deref().unwrap_or("Value"),
            x_title: d.x_title.as_deref().unwrap_or(""),
            ..ChartText::titled(title)
        };
        draw(&chart, &text, "spc")
    });
    Ok((Output::of(crate::document::spc_out::SpcOut(chart)), drawing))
}

/// `kpi`: KPI assessment.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct KpiDoc {
    series: Vec<KpiSeries>,
    #[serde(default = "twenty")]
    amber_limit: Share,
}

fn twenty() -> Share {
    Share::try_new(Decimal::new(2, 1)).unwrap_or(Share::ZERO)
}

pub(crate) fn kpi_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: KpiDoc = parse(text)?;
    to_json(&assess(&d.series, d.amber_limit).map_err(DocumentError::rule)?)
}

/// `variance`: budget position, price–volume–mix, or activity against plan.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BudgetDoc {
    lines: Vec<BudgetLine>,
    month: FyMonth,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PvmDoc {
    lines: Vec<PvmLine>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ActivityDoc {
    plan: ActivitySchedule,
    actual: ActivitySchedule,
    month: FyMonth,
}

pub(crate) fn variance_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(
        text,
        "kind",
        &["budget", "price_volume_mix", "activity"],
        None,
    )?;
    match kind.as_str() {
        "budget" => {
            let d: BudgetDoc = parse_tagged(text, "kind")?;
            let (rows, total) = budget_position(&d.lines, d.month).map_err(DocumentError::rule)?;
            Ok(json!({ "lines": to_json(&rows)?, "total": to_json(&total)? }))
        }
        "price_volume_mix" => {
            let d: PvmDoc = parse_tagged(text, "kind")?;
            let (rows, total) = price_volume_mix(&d.lines).map_err(DocumentError::rule)?;
            Ok(json!({ "lines": to_json(&rows)?, "total": to_json(&total)? }))
        }
        _ => {
            let d: ActivityDoc = parse_tagged(text, "kind")?;
            to_json(
                &compare(&d.plan, &d.actual, d.month, Rounding::HalfUp)
                    .map_err(DocumentError::rule)?,
            )
        }
    }
}

/// `effectiveness`: indicators of commissioning itself.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EffectivenessDoc {
    portfolio: Portfolio,
    #[serde(with = "commissioning::model::period::serde_date")]
    #[schemars(with = "String")]
    as_of: NaiveDate,
    #[serde(default)]
    thresholds: Option<Thresholds>,
}

/// Which part of an effectiveness document a library field is in.
fn portfolio_part(field: &str) -> Option<&'static str> {
    match field {
        "max_engagement_days" | "max_effort_share" => Some("thresholds"),
        _ => Some("portfolio"),
    }
}

/// Which part of a single settlement document a library field is in: the facts of the year
/// (`input`) or the terms (`agreement`).
fn settlement_part(field: &str) -> Option<&'static str> {
    match field {
        "" | "target" | "outturn" | "quality" | "bases" | "proration" => Some("input"),
        _ => Some("agreement"),
    }
}

pub(crate) fn effectiveness_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: EffectivenessDoc = parse(text)?;
    to_json(
        &effectiveness(&d.portfolio, d.as_of, &d.thresholds.unwrap_or_default())
            .map_err(|e| DocumentError::rule_in(portfolio_part, e))?,
    )
}

/// Schemas of the documents with several kinds: the `"kind"` field selects the form.
#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum SettleSchema {
    Single(SingleDoc),
    MultiYear(MultiYearDoc),
    Mssp(MsspDoc),
    Scenario(ScenarioDoc),
    PooledBudget(commissioning::risk::pooled::PooledBudget),
    PooledTerm(PooledTermDoc),
}

#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum AhpSchema {
    Matrix(AhpMatrixDoc),
    Hierarchy(AhpHierarchyDoc),
}

#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum SensitivitySchema {
    OneWay(OneWayDoc),
    Smaa(SmaaDoc),
}

#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum VarianceSchema {
    Budget(BudgetDoc),
    PriceVolumeMix(PvmDoc),
    Activity(ActivityDoc),
}

#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum DsaSchema {
    OneWay(commissioning::priority::dsa::OneWayInput),
    TwoWay(commissioning::priority::dsa::TwoWayInput),
}

#[derive(JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
#[allow(dead_code)]
enum FunnelSchema {
    Funnelplotr(commissioning::compare::funnel::FunnelInput),
    Phe(commissioning::compare::significance::SignificanceInput),
}

#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
enum StandardiseSchema {
    Proportion(commissioning::compare::rates::ProportionInput),
    Rate(commissioning::compare::rates::RateInput),
    Ratio(commissioning::compare::rates::RatioInput),
    Dsr(commissioning::compare::rates::DsrInput),
}

/// The names `schema` accepts.
pub(crate) const SCHEMAS: [&str; 24] = [
    "calc",
    "settle",
    "pay",
    "score",
    "topsis",
    "ahp",
    "frontier",
    "select",
    "sensitivity",
    "concentration",
    "validate",
    "organisations",
    "spc",
    "kpi",
    "variance",
    "effectiveness",
    "funnel",
    "standardise",
    "peers",
    "opportunity",
    "psa",
    "dsa",
    "budget",
    "waiting",
];

/// `schema NAME`: the JSON Schema of a subcommand's input document.
pub(crate) fn schema_cmd(name: &str) -> Result<Value, DocumentError> {
    let schema = match name {
        "settle" => schemars::schema_for!(SettleSchema),
        "pay" => schemars::schema_for!(PayDoc),
        "score" => schemars::schema_for!(ScoreDoc),
        "topsis" => schemars::schema_for!(TopsisDoc),
        "ahp" => schemars::schema_for!(AhpSchema),
        "frontier" => schemars::schema_for!(FrontierDoc),
        "select" => schemars::schema_for!(Problem),
        "sensitivity" => schemars::schema_for!(SensitivitySchema),
        "concentration" => schemars::schema_for!(ConcentrationDoc),
        "validate" => schemars::schema_for!(Contract),
        "organisations" => schemars::schema_for!(Organisations),
        "spc" => schemars::schema_for!(SpcDoc),
        "kpi" => schemars::schema_for!(KpiDoc),
        "variance" => schemars::schema_for!(VarianceSchema),
        "effectiveness" => schemars::schema_for!(EffectivenessDoc),
        "funnel" => schemars::schema_for!(FunnelSchema),
        "standardise" => schemars::schema_for!(StandardiseSchema),
        "peers" => schemars::schema_for!(commissioning::compare::peers::PeerInput),
        "psa" => schemars::schema_for!(commissioning::priority::psa::PsaInput),
        "dsa" => schemars::schema_for!(DsaSchema),
        "budget" => schemars::schema_for!(commissioning::priority::budget::BudgetImpactInput),
        "opportunity" => {
            schemars::schema_for!(commissioning::compare::opportunity::OpportunityInput)
        }
        "calc" => schemars::schema_for!(crate::document::calc::CalcSchema),
        "waiting" => crate::document::demand::waiting_schema(),
        other => {
            return Err(DocumentError::input(
                "NAME",
                format!(
                    "no schema named {other:?}; expected one of {}",
                    SCHEMAS.join(", ")
                ),
            ));
        }
    };
    schema_value(&schema)
}

/// A JSON Schema as a value, with only the first paragraph of each description.
pub(crate) fn schema_value(schema: &schemars::Schema) -> Result<Value, DocumentError> {
    let mut value = to_json(schema)?;
    first_paragraphs(&mut value);
    Ok(value)
}

/// Keeps only the first paragraph of every description: the rest of the API documentation
/// (examples, error lists) belongs in rustdoc, not in a schema.
fn first_paragraphs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "description"
                    && let Value::String(text) = v
                {
                    let first = text
                        .split("\n\n")
                        .next()
                        .unwrap_or_default()
                        .replace('\n', " ");
                    *text = first;
                } else {
                    first_paragraphs(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(first_paragraphs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The points and titles of an `spc` document as `read_spc` reads it, or its error.
    fn read_both(text: &str) -> (Result<String, String>, Result<String, String>) {
        let show = |d: SpcDoc| {
            let values: Vec<(Option<String>, u64)> = d
                .values
                .iter()
                .map(|o| (o.date.map(|d| d.to_string()), o.value.to_bits()))
                .collect();
            let series: Vec<(String, usize)> = d
                .series
                .iter()
                .map(|s| (s.title.clone(), s.values.len()))
                .collect();
            format!("{:?} {values:?} {series:?} {:?}", d.title, d.columns)
        };
        (
            read_spc(text).map(show).map_err(|e| e.to_string()),
            parse::<SpcDoc>(text).map(show).map_err(|e| e.to_string()),
        )
    }

    #[test]
    fn an_spc_document_reads_the_same_by_either_way() {
        for text in [
            r#"{"values": [{"value": 1}, {"value": 2.5}]}"#,
            // The key's text inside a string before the real key.
            r#"{"title": "\"values\": [{\"value\": 9}]", "values": [{"value": 1}], "columns": 3}"#,
            // A series' points first: the mark stands in a series, which refuses it.
            r#"{"series": [{"title": "a", "values": [{"value": 1}, {"value": 2}]}]}"#,
            // Points of another shape, read by serde alone.
            r#"{"values": [{"value": 1, "date": null}, {"v\u0061lue": 2}]}"#,
        ] {
            let (quick, whole) = read_both(text);
            assert!(whole.is_ok(), "{text}: {whole:?}");
            assert_eq!(quick, whole, "{text}");
        }
    }

    #[test]
    fn a_faulty_spc_document_is_refused_as_serde_refuses_it() {
        for text in [
            r#"{"values": [{"value": 1}], "values": []}"#,
            r#"{"values": [{"value": 1}], "values": [{"value": 1}]}"#,
            r#"{"values": [{"value": 1}], "extra": true}"#,
            r#"{"values": [{"value": 1}], "options": {"improvement": "sideways"}}"#,
            r#"{"values": null}"#,
            r#"{"values": [{"value": 1}, {"value": "x"}]}"#,
            r#"{"values": [{"value": 1}]} trailing"#,
            r#"{"values": [{"value": 1e999}]}"#,
            r#"{"values": "\u0000"}"#,
            r#"{"values": [{"value": 1}]"#,
        ] {
            let (quick, whole) = read_both(text);
            assert!(whole.is_err(), "{text}");
            assert_eq!(quick, whole, "{text}");
        }
    }
}
