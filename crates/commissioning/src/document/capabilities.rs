//! A document run for a capability: the [`Document`] read for it, the [`Request`] of what to
//! give besides the result, the [`Outcome`], and the table of capabilities — each one's name,
//! what it does, and the function that runs its document. A new capability is one document
//! module and one row here.

use crate::compare::opportunity::Polarity;
use crate::document::commands as cmd;
use crate::document::compare;
use crate::document::io::DocumentError;
use crate::document::output::Output;
use crate::document::slips::{self, Warning};
use crate::document::table::Kind;

/// The function that runs a capability's document.
type Runner = for<'a> fn(&'a Document<'_>, &Request) -> Result<Outcome<'a>, DocumentError>;

/// One capability of the document layer.
#[derive(Debug)]
#[non_exhaustive]
pub struct Capability {
    /// Its name, as the command's subcommand and Python's `run` name it.
    pub name: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// Whether it draws a chart when asked.
    pub draws: bool,
    /// How the fields of its result are shown, by key, where the capability declares it
    /// (every front door reads this before anything else).
    pub presentation: &'static [(&'static str, Kind)],
    run: Runner,
}

impl Capability {
    const fn new(name: &'static str, summary: &'static str, run: Runner) -> Self {
        Self {
            name,
            summary,
            draws: false,
            presentation: &[],
            run,
        }
    }

    /// With the presentation of its result's fields declared.
    const fn presented(mut self, presentation: &'static [(&'static str, Kind)]) -> Self {
        self.presentation = presentation;
        self
    }

    /// How the capability declares its result's field `key` is shown, if it does.
    pub fn kind_of(&self, key: &str) -> Option<Kind> {
        self.presentation
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, kind)| *kind)
    }

    const fn drawn(name: &'static str, summary: &'static str, run: Runner) -> Self {
        Self {
            name,
            summary,
            draws: true,
            presentation: &[],
            run,
        }
    }

    /// The capability named `name`.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] at `NAME`, listing the names there are.
    pub fn named(name: &str) -> Result<&'static Self, DocumentError> {
        CAPABILITIES.iter().find(|c| c.name == name).ok_or_else(|| {
            let names: Vec<&str> = CAPABILITIES.iter().map(|c| c.name).collect();
            DocumentError::input(
                "NAME",
                format!(
                    "no capability named {name:?}; expected one of {}",
                    names.join(", ")
                ),
            )
        })
    }

    pub(super) fn runner(&self) -> Runner {
        self.run
    }
}

/// Every capability, in the order the command lists them.
pub const CAPABILITIES: [Capability; 23] = [
    Capability::new(
        "settle",
        "Settle a risk-sharing agreement: one period, a multi-year term, an MSSP year, a pooled budget or a scenario comparison.",
        |d, _| Ok(Outcome::value(cmd::settle_cmd(d.text)?)),
    ),
    Capability::new(
        "pay",
        "The amount due under a payment model for given activity.",
        |d, _| Ok(Outcome::value(cmd::pay_cmd(d.text)?)),
    ),
    Capability::new(
        "calc",
        "One rule on its own: the NHS marginal rate, CQUIN, stop-loss, allocation to the penny, instalments, weights, a value function, periods, ODS codes.",
        |d, _| Ok(Outcome::value(super::calc::calc_cmd(d.text)?)),
    ),
    Capability::new(
        "score",
        "Score options with a multi-criteria value model.",
        |d, _| Ok(Outcome::value(cmd::score_cmd(d.text)?)),
    ),
    Capability::new("topsis", "Rank alternatives by TOPSIS.", |d, _| {
        Ok(Outcome::value(cmd::topsis_cmd(d.text)?))
    }),
    Capability::new(
        "ahp",
        "Weights and consistency from an AHP comparison matrix or hierarchy.",
        |d, _| Ok(Outcome::value(cmd::ahp_cmd(d.text)?)),
    ),
    Capability::drawn(
        "frontier",
        "The cost-effectiveness frontier (as dampack's calculate_icers), and net monetary benefit at a threshold.",
        frontier,
    ),
    Capability::new(
        "select",
        "Choose investments and disinvestments within a budget, exactly.",
        |d, _| Ok(Outcome::value(cmd::select_cmd(d.text)?)),
    ),
    Capability::new(
        "sensitivity",
        "Sensitivity of a ranking to the weights: one-way or SMAA.",
        |d, _| Ok(Outcome::value(cmd::sensitivity_cmd(d.text)?)),
    ),
    Capability::drawn(
        "psa",
        "Decisions under uncertainty: PSA summary, acceptability curves, EVPI and expected loss.",
        |d, r| {
            let (value, chart) = cmd::psa_cmd(d.text, r.chart.is_some())?;
            Ok(Outcome::drawn(Output::value(value), chart))
        },
    ),
    Capability::drawn(
        "dsa",
        "Deterministic sensitivity of a decision: one-way with a tornado, or a two-way grid.",
        |d, r| {
            let title = title(r, "One-way sensitivity");
            let (value, chart) = cmd::dsa_cmd(d.text, title.as_deref())?;
            Ok(Outcome::drawn(Output::value(value), chart))
        },
    ),
    Capability::new(
        "budget",
        "The budget impact of a new technology over one to five years, with NICE's flags.",
        |d, _| Ok(Outcome::value(cmd::budget_cmd(d.text)?)),
    ),
    Capability::drawn(
        "concentration",
        "Where the money goes: concentration of spend by service.",
        |d, r| {
            let title = title(r, "Where the money goes");
            let (value, chart) = cmd::concentration_cmd(d.text, title.as_deref())?;
            Ok(Outcome::drawn(Output::value(value), chart))
        },
    ),
    Capability::new(
        "validate",
        "Validate a contract, reporting every problem found.",
        |d, r| {
            let (value, problem) = cmd::validate_cmd(d.text, r.organisations.as_deref())?;
            Ok(Outcome {
                problem,
                ..Outcome::value(value)
            })
        },
    ),
    Capability::drawn(
        "spc",
        "A statistical process control chart with the Making Data Count rules.",
        |d, r| {
            let (result, chart) = cmd::spc_cmd(d.text, r.chart.is_some())?;
            Ok(Outcome::drawn(result, chart))
        },
    ),
    Capability::new(
        "kpi",
        "Assess KPIs against their thresholds, with money consequences and RAG status.",
        |d, _| Ok(Outcome::value(cmd::kpi_cmd(d.text)?)),
    ),
    Capability::new(
        "variance",
        "Plan against actual: budget position, price-volume-mix, or activity.",
        |d, _| Ok(Outcome::value(cmd::variance_cmd(d.text)?)),
    ),
    Capability::new(
        "effectiveness",
        "Indicators of whether commissioning effort is worth what it secures.",
        |d, _| Ok(Outcome::value(cmd::effectiveness_cmd(d.text)?)),
    ),
    Capability::drawn(
        "funnel",
        "A funnel plot: which providers or places differ from the target, with overdispersion.",
        |d, r| {
            let options = r.chart.as_ref().map(|c| compare::ChartOptions {
                title: c.title.clone(),
                polarity: c.polarity,
            });
            let (value, chart, warnings) = compare::funnel_cmd(d.text, options.as_ref())?;
            Ok(Outcome {
                warnings,
                ..Outcome::drawn(Output::value(value), chart)
            })
        },
    ),
    Capability::new(
        "standardise",
        "A proportion, crude rate, standardised ratio or directly standardised rate with its intervals.",
        |d, _| Ok(Outcome::value(compare::standardise_cmd(d.text)?)),
    ),
    Capability::new(
        "peers",
        "Each area's most similar peers (NHS RightCare's similar 10 method).",
        |d, _| Ok(Outcome::value(compare::peers_cmd(d.text)?)),
    ),
    Capability::new(
        "waiting",
        "A waiting list as a queue: load, target mean wait and queue size, relief and target capacity, pressure, and the list that meets the RTT standard.",
        |d, _| Ok(Outcome::value(crate::document::demand::waiting_cmd(d.text)?)),
    )
    .presented(&crate::document::demand::PRESENTATION),
    Capability::new(
        "opportunity",
        "An area's opportunity against the Best 5 of its similar 10.",
        |d, _| Ok(Outcome::value(compare::opportunity_cmd(d.text)?)),
    ),
];

/// The chart's title when one is asked for: the request's, or the capability's own.
fn title(request: &Request, default: &str) -> Option<String> {
    request
        .chart
        .as_ref()
        .map(|c| c.title.clone().unwrap_or_else(|| default.to_owned()))
}

/// `frontier`: the document's strategies were read when it was opened; the rows refer to them.
fn frontier<'a>(d: &'a Document<'_>, r: &Request) -> Result<Outcome<'a>, DocumentError> {
    let doc = d
        .frontier
        .as_ref()
        .ok_or_else(|| DocumentError::input("strategies", "the document was not read"))?;
    let title = title(r, "The cost-effectiveness plane");
    let (result, chart) = cmd::frontier_cmd(doc, title.as_deref())?;
    Ok(Outcome::drawn(result, chart))
}

/// What a front door asks of a run besides the result: a chart, and for `validate` a register
/// of organisations.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Request {
    /// Draw the capability's chart, with these settings; `None` draws nothing.
    pub chart: Option<ChartRequest>,
    /// A register of organisations (JSON text) to check a contract's parties against.
    pub organisations: Option<String>,
}

impl Request {
    /// The result alone: no chart, no register.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also draw the chart, with `title` or the capability's own title.
    #[must_use]
    pub fn with_chart(mut self, title: Option<String>) -> Self {
        self.chart = Some(ChartRequest {
            title,
            polarity: self.chart.and_then(|c| c.polarity),
        });
        self
    }

    /// Which direction is better, to colour a funnel plot's outliers as better or worse.
    #[must_use]
    pub fn with_polarity(mut self, polarity: Option<Polarity>) -> Self {
        if let Some(chart) = self.chart.as_mut() {
            chart.polarity = polarity;
        }
        self
    }

    /// Check a contract's parties against this register of organisations (JSON text).
    #[must_use]
    pub fn with_organisations(mut self, register: Option<String>) -> Self {
        self.organisations = register;
        self
    }
}

/// How to draw a chart.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ChartRequest {
    /// The chart's title; the capability's own title when `None`.
    pub title: Option<String>,
    /// Which direction is better (funnel plots).
    pub polarity: Option<Polarity>,
}

/// What a run gives back.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome<'a> {
    /// The typed result.
    pub result: Output<'a>,
    /// The chart as SVG, when one was asked for and the capability draws one.
    pub chart: Option<String>,
    /// Values read as written that may not be what was meant.
    pub warnings: Vec<Warning>,
    /// For `validate`: the first problem, when the contract is invalid (the result is still
    /// the full report).
    pub problem: Option<String>,
}

impl<'a> Outcome<'a> {
    fn of(result: Output<'a>) -> Self {
        Self {
            result,
            chart: None,
            warnings: Vec::new(),
            problem: None,
        }
    }

    fn value(value: serde_json::Value) -> Self {
        Self::of(Output::value(value))
    }

    fn drawn(result: Output<'a>, chart: Option<String>) -> Self {
        Self {
            chart,
            ..Self::of(result)
        }
    }
}

/// A document read for a capability: its text, and the parts that the result refers to rather
/// than copies.
pub struct Document<'t> {
    capability: &'static Capability,
    text: &'t str,
    frontier: Option<cmd::FrontierDoc>,
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("capability", &self.capability.name)
            .field("bytes", &self.text.len())
            .finish_non_exhaustive()
    }
}

impl<'t> Document<'t> {
    /// The document `text` for the capability `name` (`"funnel"`, `"settle"`, … — see
    /// [`CAPABILITIES`]).
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] at `NAME` when no capability has that name; for a document
    /// read whole here (the frontier's strategies), any fault in it.
    pub fn new(name: &str, text: &'t str) -> Result<Self, DocumentError> {
        let capability = Capability::named(name)?;
        let frontier = match capability.name {
            "frontier" => Some(cmd::frontier_doc(text)?),
            _ => None,
        };
        Ok(Self {
            capability,
            text,
            frontier,
        })
    }

    /// The capability the document is for.
    pub fn capability(&self) -> &'static Capability {
        self.capability
    }

    /// Runs the capability on the document.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Input`] naming the path of the offending value when the document is
    /// malformed, breaks a rule, or asks for more work or output than a [`Limit`](crate::document::Limit) allows.
    pub fn run(&self, request: &Request) -> Result<Outcome<'_>, DocumentError> {
        let mut warnings = slips::check(self.capability.name, self.text)?;
        let mut outcome = self.capability.runner()(self, request)?;
        warnings.append(&mut outcome.warnings);
        outcome.warnings = warnings;
        Ok(outcome)
    }
}
