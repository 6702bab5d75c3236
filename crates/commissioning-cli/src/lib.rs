//! The `commissioning` command as a library: [`run`] takes the arguments, standard input and
//! output streams, and returns the exit status, so that tests and fuzz targets drive whole
//! documents in-process. The binary is a thin `main` around it.
//!
//! Every subcommand reads one JSON document (a file path, or `-` for standard input) and writes
//! its result as JSON on standard output, or as aligned tables with `--format table`. Bad input
//! exits with status 2 and one line on standard error naming the path of the offending value;
//! other failures exit with status 1.

mod compare_tables;
mod demo;
mod export;
mod html;
mod report;
mod sheet;
mod table;
mod tabular;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};

use commissioning::document::{self, Document, DocumentError, Request, Warning, read};

use crate::sheet::{CriteriaArgs, SheetArgs, Source, specs};

/// The command line.
#[derive(Parser)]
#[command(
    name = "commissioning",
    version,
    about = "Settle risk-sharing contracts, score priorities and monitor services, exactly, from JSON.",
    after_help = "Every subcommand reads a JSON document from a file or '-' (standard input).\nExamples of every document are in docs/json.md and docs/examples/.\n\nStart with:\n  commissioning demo"
)]
struct Cli {
    /// Output format: JSON (the default for every subcommand but `demo`) or aligned tables.
    #[arg(long, global = true, value_enum)]
    format: Option<Format>,
    /// How errors are written to standard error: one line of text (the default), or one line
    /// of JSON for a program: `{"error": {"kind", "path", "message"}}`.
    #[arg(long, global = true, value_enum, default_value = "text")]
    errors: ErrorFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Pretty-printed JSON.
    Json,
    /// Aligned tables, with money as £ and fractions as percentages.
    Table,
    /// The result's main table as CSV (money as exact decimals), for a workbook.
    Csv,
}

/// How errors are written.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ErrorFormat {
    /// `error: path: message`.
    Text,
    /// `{"error": {"kind": "invalid_input" | "out_of_range" | "undefined" | "io", "path": …, "message": …}}`.
    Json,
}

/// Which direction of an indicator is better.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PolarityArg {
    /// Lower values are better (mortality, admissions, spend).
    LowerIsBetter,
    /// Higher values are better (coverage, uptake).
    HigherIsBetter,
}

#[derive(Subcommand)]
enum Command {
    /// Settle a risk-sharing agreement: one period, a multi-year term, an MSSP year, or a scenario comparison.
    #[command(
        after_help = "Example:\n  commissioning settle docs/examples/settle.json\n  commissioning settle --format table docs/examples/settle-scenario.json"
    )]
    Settle {
        /// The document (a path, or - for standard input).
        input: String,
        /// Change one value of the document, as `part.field=value`
        /// (`--set input.outturn=£57,000,000.00`). May be repeated.
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
    },
    /// The amount due under a payment model for given activity.
    #[command(after_help = "Example:\n  commissioning pay docs/examples/pay.json")]
    Pay {
        /// The document (a path, or - for standard input).
        input: String,
    },
    /// Score options with a multi-criteria value model.
    #[command(after_help = "Example:\n  commissioning score docs/examples/score.json")]
    Score {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
        #[command(flatten)]
        criteria: CriteriaArgs,
    },
    /// Rank alternatives by TOPSIS.
    #[command(after_help = "Example:\n  commissioning topsis docs/examples/topsis.json")]
    Topsis {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
        #[command(flatten)]
        criteria: CriteriaArgs,
    },
    /// Weights and consistency from an AHP comparison matrix or hierarchy.
    #[command(after_help = "Example:\n  commissioning ahp docs/examples/ahp.json")]
    Ahp {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// The cost-effectiveness frontier (as dampack's `calculate_icers`), and net monetary benefit at a threshold.
    #[command(after_help = "Example:\n  commissioning frontier docs/examples/frontier.json")]
    Frontier {
        /// The document (a path, or - for standard input).
        input: String,
        /// Also draw the chart as SVG to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<String>,
        /// The chart's title.
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Choose investments and disinvestments within a budget, exactly.
    #[command(after_help = "Example:\n  commissioning select docs/examples/select.json")]
    Select {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Sensitivity of a ranking to the weights: one-way or SMAA.
    #[command(after_help = "Example:\n  commissioning sensitivity docs/examples/sensitivity.json")]
    Sensitivity {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
        #[command(flatten)]
        criteria: CriteriaArgs,
    },
    /// Decisions under uncertainty: PSA summary, acceptability curves, EVPI and expected loss.
    #[command(
        after_help = "The document's \"kind\" is summary, ceac, evpi or expected_loss.\n\nExample:\n  commissioning psa docs/examples/psa-ceac.json"
    )]
    Psa {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
        /// Also draw the acceptability curves (kind `ceac`) or the EVPI curve (kind `evpi`) as
        /// SVG to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<String>,
    },
    /// Deterministic sensitivity of a decision: one-way with a tornado, or a two-way grid.
    #[command(
        after_help = "The document's \"kind\" is one_way or two_way.\n\nExample:\n  commissioning dsa docs/examples/dsa.json"
    )]
    Dsa {
        /// The document (a path, or - for standard input).
        input: String,
        /// Also draw the chart as SVG to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<String>,
        /// The chart's title.
        #[arg(long)]
        title: Option<String>,
    },
    /// The budget impact of a new technology over one to five years, with NICE's flags.
    #[command(after_help = "Example:\n  commissioning budget docs/examples/budget.json")]
    Budget {
        /// The document (a path, or - for standard input).
        input: String,
    },
    /// A waiting list as a queue: load, target mean wait and queue size, relief and target
    /// capacity, pressure, and the list that meets the referral-to-treatment standard.
    #[command(
        after_help = "The document's \"kind\" is load, target_mean_wait, target_queue_size, relief_capacity,\ntarget_capacity, pressure or rtt. Numbers may be lists, computed element by element.\n\nExample:\n  commissioning waiting docs/examples/waiting.json"
    )]
    Waiting {
        /// The document (a path, or - for standard input).
        input: String,
    },
    /// Where the money goes: concentration of spend by service.
    #[command(
        after_help = "Example:\n  commissioning concentration docs/examples/concentration.json"
    )]
    Concentration {
        /// The document (a path, or - for standard input).
        input: String,
        /// Also draw the chart as SVG to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<String>,
        /// The chart's title.
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Validate a contract, reporting every problem found.
    #[command(
        after_help = "Exit status 0 when valid, 2 when not (the report is still written).\n\nExample:\n  commissioning validate docs/examples/validate.json"
    )]
    Validate {
        /// The contract (a path, or - for standard input).
        input: String,
        /// A register of organisations to check the parties against.
        #[arg(long)]
        organisations: Option<String>,
    },
    /// A statistical process control chart with the Making Data Count rules.
    #[command(after_help = "Example:\n  commissioning spc docs/examples/spc.json --svg chart.svg")]
    Spc {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
        /// Which direction is an improvement (CSV input): increase or decrease.
        #[arg(long, value_name = "DIRECTION")]
        improvement: Option<String>,
        /// The target line (CSV input).
        #[arg(long, value_name = "VALUE")]
        target: Option<String>,
        /// The chart's title (CSV input).
        #[arg(long)]
        title: Option<String>,
        /// Also write the chart as SVG to this file.
        #[arg(long)]
        svg: Option<String>,
    },
    /// Assess KPIs against their thresholds, with money consequences and RAG status.
    #[command(after_help = "Example:\n  commissioning kpi docs/examples/kpi.json")]
    Kpi {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Plan against actual: budget position, price–volume–mix, or activity.
    #[command(after_help = "Example:\n  commissioning variance docs/examples/variance.json")]
    Variance {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Indicators of whether commissioning effort is worth what it secures.
    #[command(
        after_help = "Example:\n  commissioning effectiveness docs/examples/effectiveness.json"
    )]
    Effectiveness {
        /// The document (a path, or - for standard input).
        input: String,
    },
    /// A funnel plot: which providers or places differ from the target, with overdispersion.
    #[command(
        after_help = "The document's \"method\" is \"funnelplotr\" (the default: FunnelPlotR's limits, z-scores and\noverdispersion) or \"phe\" (PHEindicatormethods' significance labels).\n\nIts \"data_type\" says what the numbers are: \"SR\" (the default), standardised ratios of observed to\nexpected counts, or \"PR\", proportions of events in people (deaths in admissions): give\n--set data_type=PR for those. Numbers that look like events and people read as ratios are warned on.\n\nExample:\n  commissioning funnel docs/examples/funnel.json --svg funnel.svg --polarity lower-is-better"
    )]
    Funnel {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
        /// Also write the funnel plot as SVG to this file (FunnelPlotR method).
        #[arg(long)]
        svg: Option<String>,
        /// The chart's title.
        #[arg(long)]
        title: Option<String>,
        /// Which direction is better, to colour outliers as better or worse.
        #[arg(long, value_enum)]
        polarity: Option<PolarityArg>,
    },
    /// A proportion, crude rate, standardised ratio or directly standardised rate with its intervals.
    #[command(
        after_help = "The document's \"kind\" is proportion, rate, ratio or dsr.\n\nExample:\n  commissioning standardise docs/examples/standardise.json"
    )]
    Standardise {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Each area's most similar peers (NHS RightCare's similar 10 method).
    #[command(after_help = "Example:\n  commissioning peers docs/examples/peers.json")]
    Peers {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// An area's opportunity against the Best 5 of its similar 10.
    #[command(after_help = "Example:\n  commissioning opportunity docs/examples/opportunity.json")]
    Opportunity {
        /// The document (a path, or - for standard input).
        input: String,
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// The JSON Schema of a subcommand's input document.
    #[command(
        after_help = "NAME is one of: settle, pay, score, topsis, ahp, frontier, select, sensitivity, concentration,\nvalidate, organisations, spc, kpi, variance, effectiveness, funnel, standardise, peers,\nopportunity, psa, dsa, budget, waiting, calc, report.\n\nExample:\n  commissioning schema settle > settle.schema.json"
    )]
    Schema {
        /// Which input.
        name: String,
    },
    /// One rule on its own: the NHS marginal rate, CQUIN, stop-loss, allocation to the penny,
    /// instalments, surrogate weights, a value function, financial periods, ODS codes.
    #[command(
        after_help = "The document's \"kind\" is marginal_rate, cquin, stop_loss, allocate, instalments, weights,\nvalue, period or ods.\n\nExample:\n  commissioning calc docs/examples/calc-marginal_rate.json"
    )]
    Calc {
        /// The document (a path, or - for standard input).
        input: String,
        /// Change one value of the document, as `part.field=value`. May be repeated.
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
    },
    /// The meeting pack: one self-contained HTML page of the analyses a document names.
    #[command(
        after_help = "The document names a title and its sections, each a subcommand's document inline or as a file:\n  {\"title\": \"…\", \"sections\": [{\"kind\": \"settle\", \"file\": \"settle.json\"}, …]}\n\nExample:\n  commissioning report docs/examples/report.json --html pack.html"
    )]
    Report {
        /// The document (a path, or - for standard input).
        input: String,
        /// Write the page to this file (standard output by default).
        #[arg(long, value_name = "FILE")]
        html: Option<String>,
    },
    /// Run the end-to-end commissioning review of a built-in, illustrative health economy.
    #[command(
        after_help = "Example:\n  commissioning demo\n  commissioning demo --format json\n  commissioning demo --html review.html"
    )]
    Demo {
        /// Also write the review as a self-contained HTML page, with its charts, to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<String>,
    },
}

impl Command {
    /// The subcommand's name, as typed.
    fn name(&self) -> &'static str {
        match self {
            Self::Settle { .. } => "settle",
            Self::Pay { .. } => "pay",
            Self::Score { .. } => "score",
            Self::Topsis { .. } => "topsis",
            Self::Ahp { .. } => "ahp",
            Self::Frontier { .. } => "frontier",
            Self::Select { .. } => "select",
            Self::Sensitivity { .. } => "sensitivity",
            Self::Psa { .. } => "psa",
            Self::Dsa { .. } => "dsa",
            Self::Budget { .. } => "budget",
            Self::Waiting { .. } => "waiting",
            Self::Concentration { .. } => "concentration",
            Self::Validate { .. } => "validate",
            Self::Spc { .. } => "spc",
            Self::Kpi { .. } => "kpi",
            Self::Variance { .. } => "variance",
            Self::Effectiveness { .. } => "effectiveness",
            Self::Funnel { .. } => "funnel",
            Self::Standardise { .. } => "standardise",
            Self::Peers { .. } => "peers",
            Self::Opportunity { .. } => "opportunity",
            Self::Schema { .. } => "schema",
            Self::Report { .. } => "report",
            Self::Calc { .. } => "calc",
            Self::Demo { .. } => "demo",
        }
    }
}

/// A subcommand's document ready to run: where it came from, what to ask besides the result,
/// and the file its chart goes to.
struct Job {
    source: Source,
    request: Request,
    svg: Option<String>,
}

impl Job {
    /// A document that asks for nothing but its result.
    fn plain(source: Source) -> Self {
        Self {
            source,
            request: Request::new(),
            svg: None,
        }
    }

    /// With the direction that is better, to colour a funnel plot's outliers.
    fn with_polarity(mut self, polarity: Option<PolarityArg>) -> Self {
        self.request = self
            .request
            .with_polarity(polarity.map(PolarityArg::polarity));
        self
    }

    /// With a register of organisations to check a contract's parties against.
    fn with_organisations(mut self, register: Option<String>) -> Self {
        self.request = self.request.with_organisations(register);
        self
    }

    /// A document whose chart goes to `svg` (drawn only when a file is named), under `title`.
    fn charted(source: Source, svg: Option<String>, title: Option<String>) -> Self {
        let request = if svg.is_some() {
            Request::new().with_chart(title)
        } else {
            Request::new()
        };
        Self {
            source,
            request,
            svg,
        }
    }
}

/// A subcommand's input read as JSON, or as the table `spec` describes with its settings.
fn table(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
    spec: &'static sheet::Spec,
) -> Result<Source, DocumentError> {
    sheet::document(input, stdin, sheet, |_, _| Ok(spec), &[], None)
}

/// As [`table`], for a table with a column per criterion whose weights and directions may come
/// from flags.
fn criteria_table(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
    spec: &'static sheet::Spec,
    criteria: &CriteriaArgs,
) -> Result<Source, DocumentError> {
    sheet::document(input, stdin, sheet, |_, _| Ok(spec), &[], Some(criteria))
}

/// A flag's value as JSON where it is valid JSON (`3`), otherwise as text (`£1,000`).
fn flag_value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

/// Which table `variance` reads: by the settings' `kind`, or else by the header (a `month`
/// column is a monthly budget, a `planned_price` column price–volume–mix, a
/// `point_of_delivery` column activity).
fn variance_spec(
    doc: &mut serde_json::Map<String, serde_json::Value>,
    headers: &[String],
) -> Result<&'static sheet::Spec, DocumentError> {
    let has = |name: &str| {
        headers
            .iter()
            .any(|h| h.trim().to_ascii_lowercase().replace([' ', '-'], "_") == name)
    };
    let kind = match doc.get("kind").and_then(serde_json::Value::as_str) {
        Some(k) => k.to_owned(),
        None if has("point_of_delivery") || has("pod") => "activity".to_owned(),
        None if has("month") => "budget".to_owned(),
        None if has("planned_price") || has("plan_price") => "price_volume_mix".to_owned(),
        None => {
            return Err(DocumentError::input(
                "kind",
                "give the kind (--set kind=budget, price_volume_mix or activity), or a month, planned_price or point_of_delivery column",
            ));
        }
    };
    doc.insert("kind".into(), serde_json::Value::String(kind.clone()));
    match kind.as_str() {
        "budget" => Ok(&specs::BUDGET),
        "price_volume_mix" => Ok(&specs::PVM),
        "activity" => Ok(&specs::ACTIVITY),
        _ => Err(DocumentError::input(
            "kind",
            "expected budget, price_volume_mix or activity",
        )),
    }
}

/// The funnel document's table: FunnelPlotR's columns, or PHEindicatormethods'.
fn funnel_source(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
) -> Result<Source, DocumentError> {
    sheet::document(
        input,
        stdin,
        sheet,
        |doc, _| {
            Ok(
                match doc.get("method").and_then(serde_json::Value::as_str) {
                    Some("phe") => &specs::FUNNEL_PHE,
                    _ => &specs::FUNNEL,
                },
            )
        },
        &[],
        None,
    )
}

/// The standardise document's table: strata, for kind `dsr`.
fn standardise_source(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
) -> Result<Source, DocumentError> {
    sheet::document(
        input,
        stdin,
        sheet,
        |doc, _| match doc.entry("kind").or_insert_with(|| "dsr".into()).as_str() {
            Some("dsr") => Ok(&specs::STRATA),
            _ => Err(DocumentError::input(
                "kind",
                "a table of strata is read for kind dsr; the other kinds are a few numbers, written as a JSON document",
            )),
        },
        &[],
        None,
    )
}

/// The SPC document, with the flags that set its options from a table.
fn spc_source(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
    flags: [Option<String>; 3],
) -> Result<Source, DocumentError> {
    let [improvement, target, title] = flags;
    let mut extra = Vec::new();
    if let Some(i) = improvement {
        extra.push((
            "options.improvement",
            serde_json::Value::String(i),
            "--improvement",
        ));
    }
    if let Some(t) = target {
        extra.push(("options.target", flag_value(&t), "--target"));
    }
    if let Some(t) = title {
        extra.push(("title", serde_json::Value::String(t), "--title"));
    }
    sheet::document(input, stdin, sheet, |_, _| Ok(&specs::SPC), &extra, None)
}

/// The subcommand's document read from its file or table, with its request.
fn prepare(command: Command, stdin: &mut dyn Read) -> Result<Job, DocumentError> {
    use Command as C;
    Ok(match command {
        C::Settle { input, set } | C::Calc { input, set } => {
            Job::plain(sheet::with_sets(read(&input, stdin)?, &set, &[])?)
        }
        C::Pay { input }
        | C::Budget { input }
        | C::Effectiveness { input }
        | C::Waiting { input } => Job::plain(Source::json(read(&input, stdin)?)),
        C::Score {
            input,
            sheet,
            criteria,
        } => Job::plain(criteria_table(
            &input,
            stdin,
            &sheet,
            &specs::SCORE,
            &criteria,
        )?),
        C::Topsis {
            input,
            sheet,
            criteria,
        } => Job::plain(criteria_table(
            &input,
            stdin,
            &sheet,
            &specs::TOPSIS,
            &criteria,
        )?),
        C::Sensitivity {
            input,
            sheet,
            criteria,
        } => Job::plain(criteria_table(
            &input,
            stdin,
            &sheet,
            &specs::SENSITIVITY,
            &criteria,
        )?),
        C::Ahp { input, sheet } => Job::plain(table(&input, stdin, &sheet, &specs::AHP)?),
        C::Select { input, sheet } => Job::plain(table(&input, stdin, &sheet, &specs::SELECT)?),
        C::Kpi { input, sheet } => Job::plain(table(&input, stdin, &sheet, &specs::KPI)?),
        C::Peers { input, sheet } => Job::plain(table(&input, stdin, &sheet, &specs::PEERS)?),
        C::Opportunity { input, sheet } => {
            Job::plain(table(&input, stdin, &sheet, &specs::OPPORTUNITY)?)
        }
        C::Variance { input, sheet } => Job::plain(sheet::document(
            &input,
            stdin,
            &sheet,
            variance_spec,
            &[],
            None,
        )?),
        C::Standardise { input, sheet } => Job::plain(standardise_source(&input, stdin, &sheet)?),
        C::Frontier {
            input,
            sheet,
            svg,
            title,
        } => Job::charted(table(&input, stdin, &sheet, &specs::FRONTIER)?, svg, title),
        C::Concentration {
            input,
            sheet,
            svg,
            title,
        } => Job::charted(
            table(&input, stdin, &sheet, &specs::CONCENTRATION)?,
            svg,
            title,
        ),
        C::Psa { input, sheet, svg } => {
            Job::charted(table(&input, stdin, &sheet, &specs::PSA)?, svg, None)
        }
        C::Dsa { input, svg, title } => {
            Job::charted(Source::json(read(&input, stdin)?), svg, title)
        }
        C::Spc {
            input,
            sheet,
            improvement,
            target,
            title,
            svg,
        } => Job::charted(
            spc_source(&input, stdin, &sheet, [improvement, target, title])?,
            svg,
            None,
        ),
        C::Funnel {
            input,
            sheet,
            svg,
            title,
            polarity,
        } => {
            Job::charted(funnel_source(&input, stdin, &sheet)?, svg, title).with_polarity(polarity)
        }
        C::Validate {
            input,
            organisations,
        } => {
            let register = organisations
                .as_deref()
                .map(|o| read(o, stdin))
                .transpose()?;
            Job::plain(Source::json(read(&input, stdin)?)).with_organisations(register)
        }
        C::Schema { .. } | C::Report { .. } | C::Demo { .. } => {
            return Err(DocumentError::input("", "not a document's subcommand"));
        }
    })
}

impl PolarityArg {
    fn polarity(self) -> commissioning::compare::opportunity::Polarity {
        use commissioning::compare::opportunity::Polarity;
        match self {
            Self::LowerIsBetter => Polarity::LowerIsBetter,
            Self::HigherIsBetter => Polarity::HigherIsBetter,
        }
    }
}

/// Runs the job's document through the document layer and writes its chart, then its result
/// as JSON, a table or CSV. Returns `validate`'s first problem, if any.
fn execute(
    name: &'static str,
    job: &Job,
    format: Format,
    out: &mut dyn Write,
    warnings: &mut Vec<Warning>,
) -> Result<Option<String>, DocumentError> {
    warnings.extend(job.source.warnings.iter().cloned());
    job.source.run(|text| {
        let document = Document::new(name, text)?;
        let outcome = document.run(&job.request)?;
        warnings.extend(outcome.warnings.iter().cloned());
        if let Some(path) = &job.svg {
            let chart = outcome.chart.as_ref().ok_or_else(|| match name {
                "funnel" => DocumentError::input("--svg", "the phe method labels units but draws no chart; use the funnelplotr method for a plot"),
                _ => DocumentError::input("--svg", format!("{name} draws no chart for this document")),
            })?;
            std::fs::write(path, chart)
                .map_err(|e| DocumentError::Io(format!("cannot write {path}: {e}")))?;
        }
        write_result(out, name, &outcome.result, format)?;
        Ok(outcome.problem)
    })
}

/// Writes a result as JSON (straight from its types), a table or CSV.
fn write_result(
    out: &mut dyn Write,
    name: &str,
    result: &document::Output<'_>,
    format: Format,
) -> Result<(), DocumentError> {
    if format == Format::Json {
        return result.write_json(out);
    }
    let value = result.to_value()?;
    let text = match (format, name) {
        (Format::Table, "funnel") => compare_tables::funnel(&value),
        (Format::Table, "standardise") => compare_tables::standardise(&value),
        (Format::Table, "peers") => compare_tables::peers(&value),
        (Format::Table, "opportunity") => compare_tables::opportunity(&value),
        (Format::Table, _) => table::render_for(name, &tabular::arrange(name, &value)),
        _ => export::csv(&tabular::arrange(name, &value))?,
    };
    write_text(out, &text)
}

/// Writes text to the output.
fn write_text(out: &mut dyn Write, text: &str) -> Result<(), DocumentError> {
    out.write_all(text.as_bytes())
        .map_err(|e| DocumentError::Io(format!("cannot write the output: {e}")))
}

/// `schema NAME`: the JSON Schema of a document (the report's from here, the rest from the
/// document layer).
fn schema(name: &str) -> Result<serde_json::Value, DocumentError> {
    if name == "report" {
        return document::schema_of::<report::ReportDoc>();
    }
    document::schema(name)
}

/// `report`: the meeting pack, to a file or the output.
fn report(
    input: &str,
    html: Option<String>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
) -> Result<(), DocumentError> {
    let text = read(input, stdin)?;
    let base = if input == "-" {
        std::path::PathBuf::from(".")
    } else {
        std::path::Path::new(input)
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default()
    };
    let page = report::report_cmd(&text, &base, stdin)?;
    match html {
        Some(path) => std::fs::write(&path, page)
            .map_err(|e| DocumentError::Io(format!("cannot write {path}: {e}"))),
        None => write_text(out, &page),
    }
}

/// `demo`: the review as text or JSON, and as a page when asked.
fn demo(
    html: Option<String>,
    format: Option<Format>,
    out: &mut dyn Write,
) -> Result<(), DocumentError> {
    let report = demo::run()?;
    if let Some(path) = html {
        std::fs::write(&path, demo::html(&report))
            .map_err(|e| DocumentError::Io(format!("cannot write {path}: {e}")))?;
    }
    match format {
        Some(Format::Json) => write_text(
            out,
            &(serde_json::to_string_pretty(&report.json)
                .map_err(|e| DocumentError::Io(e.to_string()))?
                + "\n"),
        ),
        _ => write_text(out, &report.text),
    }
}

fn dispatch(
    cli: Cli,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    warnings: &mut Vec<Warning>,
) -> Result<(), DocumentError> {
    let format = cli.format.unwrap_or(Format::Json);
    let name = cli.command.name();
    match cli.command {
        Command::Schema { name: which } => {
            let value = schema(&which)?;
            let text = match format {
                Format::Json => {
                    serde_json::to_string_pretty(&value)
                        .map_err(|e| DocumentError::Io(e.to_string()))?
                        + "\n"
                }
                Format::Table => table::render_for(name, &tabular::arrange(name, &value)),
                Format::Csv => export::csv(&tabular::arrange(name, &value))?,
            };
            write_text(out, &text)
        }
        Command::Report { input, html } => report(&input, html, stdin, out),
        Command::Demo { html } => demo(html, cli.format, out),
        command => {
            let job = prepare(command, stdin)?;
            match execute(name, &job, format, out, warnings)? {
                None => Ok(()),
                Some(issue) => Err(DocumentError::rule(format!(
                    "the contract is invalid; first problem: {issue}"
                ))),
            }
        }
    }
}

/// Runs the command with `args` (the program name first), reading `-` documents from `stdin`
/// and writing results to `stdout` and the one-line error to `stderr`; returns the exit status:
/// 0 on success, 2 for input that is malformed or breaks a rule (the line names the field), 1
/// when a file cannot be read or written.
///
/// # Examples
///
/// ```
/// let doc = br#"{"strategies": [{"id": "a", "cost": "0", "effect": 0}, {"id": "b", "cost": "100", "effect": 1}]}"#;
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let code = commissioning_cli::run(["commissioning", "frontier", "-"], &mut &doc[..], &mut out, &mut err);
/// assert_eq!(code, 0);
/// assert!(String::from_utf8(out).unwrap().contains("\"icer\": 100"));
///
/// let mut bad = &br#"{"strategies": [], "strategies": []}"#[..];
/// let code = commissioning_cli::run(["commissioning", "frontier", "-"], &mut bad, &mut Vec::new(), &mut err);
/// assert_eq!(code, 2);
/// ```
pub fn run<I, T>(
    args: I,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                stderr.write_all(text.as_bytes())
            } else {
                stdout.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let errors = cli.errors;
    document::forget();
    let mut warnings = Vec::new();
    let result = dispatch(cli, stdin, stdout, &mut warnings);
    for w in &warnings {
        let _ = match errors {
            ErrorFormat::Text => writeln!(stderr, "warning: {}: {}", w.path, w.message),
            ErrorFormat::Json => writeln!(
                stderr,
                "{}",
                serde_json::json!({"warning": {"path": w.path, "message": w.message}})
            ),
        };
    }
    match result.map_err(document::explain) {
        Ok(()) => 0,
        Err(e) => {
            let _ = match errors {
                ErrorFormat::Text => writeln!(stderr, "error: {e}"),
                ErrorFormat::Json => writeln!(stderr, "{}", e.to_json_line()),
            };
            e.exit_code()
        }
    }
}
