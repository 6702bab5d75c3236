//! The `commissioning` command as a library: [`run`] takes the arguments, standard input and
//! output streams, and returns the exit status, so that tests and fuzz targets drive whole
//! documents in-process. The binary is a thin `main` around it.
//!
//! Every subcommand reads one JSON document (a file path, or `-` for standard input) and writes
//! its result as JSON on standard output, or as aligned tables with `--format table`. Bad input
//! exits with status 2 and one line on standard error naming the path of the offending value;
//! other failures exit with status 1.

mod array_in;
mod calc;
mod chunks;
mod commands;
mod compare;
mod demo;
mod export;
mod finite;
mod frontier_in;
mod frontier_out;
mod html;
mod io;
mod limits;
mod output;
mod report;
mod sheet;
mod slips;
mod spc_in;
mod spc_out;
mod table;
mod tabular;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};

use crate::io::{CliError, read};
use crate::output::Output;
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
        after_help = "The document's \"method\" is \"funnelplotr\" (the default: FunnelPlotR's limits, z-scores and\noverdispersion) or \"phe\" (PHEindicatormethods' significance labels).\n\nExample:\n  commissioning funnel docs/examples/funnel.json --svg funnel.svg --polarity lower-is-better"
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
        after_help = "NAME is one of: settle, pay, score, topsis, ahp, frontier, select, sensitivity, concentration,\nvalidate, organisations, spc, kpi, variance, effectiveness, funnel, standardise, peers,\nopportunity, psa, dsa, budget, calc, report.\n\nExample:\n  commissioning schema settle > settle.schema.json"
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

/// Writes a typed result straight to the output as JSON (a table or CSV goes through its JSON
/// value).
fn emit_output(
    out: &mut dyn Write,
    command: &str,
    output: &Output<'_>,
    format: Format,
) -> Result<(), CliError> {
    match format {
        Format::Json => output.write_json(out),
        _ => emit(out, command, &output.to_value()?, format),
    }
}

/// Writes `command`'s result as JSON, a table or CSV.
fn emit(
    out: &mut dyn Write,
    command: &str,
    value: &serde_json::Value,
    format: Format,
) -> Result<(), CliError> {
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(value).map_err(|e| CliError::Io(e.to_string()))? + "\n"
        }
        Format::Table => table::render_for(command, &tabular::arrange(command, value)),
        Format::Csv => export::csv(&tabular::arrange(command, value))?,
    };
    out.write_all(text.as_bytes())
        .map_err(|e| CliError::Io(format!("cannot write the output: {e}")))
}

/// Writes a result as JSON or CSV, or as a table by `table` (a result with its own logical
/// order).
fn emit_with(
    out: &mut dyn Write,
    command: &str,
    value: &serde_json::Value,
    format: Format,
    table: fn(&serde_json::Value) -> String,
) -> Result<(), CliError> {
    match format {
        Format::Table => out
            .write_all(table(value).as_bytes())
            .map_err(|e| CliError::Io(format!("cannot write the output: {e}"))),
        _ => emit(out, command, value, format),
    }
}

/// A subcommand's input read as JSON, or as the table `spec` describes with its settings.
fn table(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
    spec: &'static sheet::Spec,
) -> Result<Source, CliError> {
    sheet::document(input, stdin, sheet, |_, _| Ok(spec), &[], None)
}

/// Writes a drawn chart to the file `--svg` names.
fn write_chart(path: Option<&str>, chart: Option<String>) -> Result<(), CliError> {
    if let (Some(path), Some(chart)) = (path, chart) {
        std::fs::write(path, chart)
            .map_err(|e| CliError::Io(format!("cannot write {path}: {e}")))?;
    }
    Ok(())
}

/// As [`table`], for a table with a column per criterion whose weights and directions may come
/// from flags.
fn criteria_table(
    input: &str,
    stdin: &mut dyn Read,
    sheet: &SheetArgs,
    spec: &'static sheet::Spec,
    criteria: &CriteriaArgs,
) -> Result<Source, CliError> {
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
) -> Result<&'static sheet::Spec, CliError> {
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
            return Err(CliError::input(
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
        _ => Err(CliError::input(
            "kind",
            "expected budget, price_volume_mix or activity",
        )),
    }
}

fn dispatch(
    cli: Cli,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    warnings: &mut Vec<slips::Warning>,
) -> Result<(), CliError> {
    let format = cli.format.unwrap_or(Format::Json);
    let name = cli.command.name();
    let value = match cli.command {
        Command::Settle { input, set } => {
            let src = sheet::with_sets(read(&input, stdin)?, &set, &[])?;
            warnings.extend(slips::check(name, &src.text)?);
            src.run(commands::settle_cmd)?
        }
        Command::Pay { input } => commands::pay_cmd(&read(&input, stdin)?)?,
        Command::Calc { input, set } => {
            let src = sheet::with_sets(read(&input, stdin)?, &set, &[])?;
            src.run(calc::calc_cmd)?
        }
        Command::Score {
            input,
            sheet,
            criteria,
        } => {
            let src = criteria_table(&input, stdin, &sheet, &specs::SCORE, &criteria)?;
            src.run(commands::score_cmd)?
        }
        Command::Topsis {
            input,
            sheet,
            criteria,
        } => {
            let src = criteria_table(&input, stdin, &sheet, &specs::TOPSIS, &criteria)?;
            src.run(commands::topsis_cmd)?
        }
        Command::Ahp { input, sheet } => {
            let src = table(&input, stdin, &sheet, &specs::AHP)?;
            src.run(commands::ahp_cmd)?
        }
        Command::Frontier {
            input,
            sheet,
            svg,
            title,
        } => {
            let src = table(&input, stdin, &sheet, &specs::FRONTIER)?;
            let doc = src.run(commands::frontier_doc)?;
            let heading = svg
                .as_ref()
                .map(|_| title.as_deref().unwrap_or("The cost-effectiveness plane"));
            let (output, chart) =
                commands::frontier_cmd(&doc, heading).map_err(|e| src.locate(e))?;
            write_chart(svg.as_deref(), chart)?;
            return emit_output(out, name, &output, format);
        }
        Command::Select { input, sheet } => {
            let src = table(&input, stdin, &sheet, &specs::SELECT)?;
            src.run(commands::select_cmd)?
        }
        Command::Sensitivity {
            input,
            sheet,
            criteria,
        } => {
            let src = criteria_table(&input, stdin, &sheet, &specs::SENSITIVITY, &criteria)?;
            src.run(commands::sensitivity_cmd)?
        }
        Command::Dsa { input, svg, title } => {
            let heading = svg
                .as_ref()
                .map(|_| title.as_deref().unwrap_or("One-way sensitivity"));
            let (value, chart) = commands::dsa_cmd(&read(&input, stdin)?, heading)?;
            write_chart(svg.as_deref(), chart)?;
            value
        }
        Command::Budget { input } => commands::budget_cmd(&read(&input, stdin)?)?,
        Command::Psa { input, sheet, svg } => {
            let src = table(&input, stdin, &sheet, &specs::PSA)?;
            let (value, chart) = src.run(|t| commands::psa_cmd(t, svg.is_some()))?;
            if let (Some(path), Some(chart)) = (svg, chart) {
                std::fs::write(&path, chart)
                    .map_err(|e| CliError::Io(format!("cannot write {path}: {e}")))?;
            }
            value
        }
        Command::Concentration {
            input,
            sheet,
            svg,
            title,
        } => {
            let src = table(&input, stdin, &sheet, &specs::CONCENTRATION)?;
            let heading = svg
                .as_ref()
                .map(|_| title.as_deref().unwrap_or("Where the money goes"));
            let (value, chart) = src.run(|t| commands::concentration_cmd(t, heading))?;
            write_chart(svg.as_deref(), chart)?;
            return emit(out, name, &value, format);
        }
        Command::Validate {
            input,
            organisations,
        } => {
            let register = organisations
                .as_deref()
                .map(|o| read(o, stdin))
                .transpose()?;
            let (value, first) =
                commands::validate_cmd(&read(&input, stdin)?, register.as_deref())?;
            emit(out, name, &value, format)?;
            return match first {
                None => Ok(()),
                Some(issue) => Err(CliError::rule(format!(
                    "the contract is invalid; first problem: {issue}"
                ))),
            };
        }
        Command::Spc {
            input,
            svg,
            sheet,
            improvement,
            target,
            title,
        } => {
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
            let src = sheet::document(&input, stdin, &sheet, |_, _| Ok(&specs::SPC), &extra, None)?;
            let (output, chart) = src.run(|t| commands::spc_cmd(t, svg.is_some()))?;
            if let (Some(path), Some(chart)) = (svg, chart) {
                std::fs::write(&path, chart)
                    .map_err(|e| CliError::Io(format!("cannot write {path}: {e}")))?;
            }
            return emit_output(out, name, &output, format);
        }
        Command::Funnel {
            input,
            sheet,
            svg,
            title,
            polarity,
        } => {
            let options = compare::ChartOptions {
                title,
                polarity: polarity.map(|p| match p {
                    PolarityArg::LowerIsBetter => {
                        commissioning::compare::opportunity::Polarity::LowerIsBetter
                    }
                    PolarityArg::HigherIsBetter => {
                        commissioning::compare::opportunity::Polarity::HigherIsBetter
                    }
                }),
            };
            let src = sheet::document(
                &input,
                stdin,
                &sheet,
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
            )?;
            let (value, chart) = src.run(|t| compare::funnel_cmd(t, &options))?;
            if let Some(path) = svg {
                let chart = chart.ok_or_else(|| {
                    CliError::input("--svg", "the phe method labels units but draws no chart; use the funnelplotr method for a plot")
                })?;
                std::fs::write(&path, chart)
                    .map_err(|e| CliError::Io(format!("cannot write {path}: {e}")))?;
            }
            return emit_with(out, name, &value, format, compare::tables::funnel);
        }
        Command::Standardise { input, sheet } => {
            let src = sheet::document(
                &input,
                stdin,
                &sheet,
                |doc, _| match doc.entry("kind").or_insert_with(|| "dsr".into()).as_str() {
                    Some("dsr") => Ok(&specs::STRATA),
                    _ => Err(CliError::input(
                        "kind",
                        "a table of strata is read for kind dsr; the other kinds are a few numbers, written as a JSON document",
                    )),
                },
                &[],
                None,
            )?;
            let value = src.run(compare::standardise_cmd)?;
            return emit_with(out, name, &value, format, compare::tables::standardise);
        }
        Command::Peers { input, sheet } => {
            let src = table(&input, stdin, &sheet, &specs::PEERS)?;
            let value = src.run(compare::peers_cmd)?;
            return emit_with(out, name, &value, format, compare::tables::peers);
        }
        Command::Opportunity { input, sheet } => {
            let src = table(&input, stdin, &sheet, &specs::OPPORTUNITY)?;
            let value = src.run(compare::opportunity_cmd)?;
            return emit_with(out, name, &value, format, compare::tables::opportunity);
        }
        Command::Kpi { input, sheet } => {
            let src = table(&input, stdin, &sheet, &specs::KPI)?;
            warnings.extend(slips::check(name, &src.text)?);
            src.run(commands::kpi_cmd)?
        }
        Command::Variance { input, sheet } => {
            let src = sheet::document(&input, stdin, &sheet, variance_spec, &[], None)?;
            src.run(commands::variance_cmd)?
        }
        Command::Effectiveness { input } => commands::effectiveness_cmd(&read(&input, stdin)?)?,
        Command::Schema { name } => commands::schema_cmd(&name)?,
        Command::Report { input, html } => {
            let text = read(&input, stdin)?;
            let base = if input == "-" {
                std::path::PathBuf::from(".")
            } else {
                std::path::Path::new(&input)
                    .parent()
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_default()
            };
            let page = report::report_cmd(&text, &base, stdin)?;
            return match html {
                Some(path) => std::fs::write(&path, page)
                    .map_err(|e| CliError::Io(format!("cannot write {path}: {e}"))),
                None => out
                    .write_all(page.as_bytes())
                    .map_err(|e| CliError::Io(format!("cannot write the output: {e}"))),
            };
        }
        Command::Demo { html } => {
            let report = demo::run()?;
            if let Some(path) = html {
                std::fs::write(&path, demo::html(&report))
                    .map_err(|e| CliError::Io(format!("cannot write {path}: {e}")))?;
            }
            return match cli.format {
                Some(Format::Json) => emit(out, name, &report.json, Format::Json),
                _ => out
                    .write_all(report.text.as_bytes())
                    .map_err(|e| CliError::Io(format!("cannot write the output: {e}"))),
            };
        }
    };
    emit(out, name, &value, format)
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
    io::forget();
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
    match result.map_err(|e| io::with_ids(slips::hint(e))) {
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
