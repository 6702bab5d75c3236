//! `report`: the meeting pack. One document names the analyses to include, each a
//! subcommand's document (inline, or a JSON file beside the report's document); the result is
//! one self-contained HTML page with a contents list, each analysis's chart inline where it
//! draws one, its results as readable tables, and a settlement's explanation in words.
//!
//! The steps, one function each: [`report_cmd`] reads the report's document, [`section`] runs
//! one analysis through the same function as its subcommand, and [`crate::html::page`] writes
//! the page.

use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use std::collections::HashMap;
use std::rc::Rc;

use commissioning::document::{Capability, Document, DocumentError, Request, limits, parse, read};

use crate::html::{self, Section};
use crate::tabular::arrange;

/// The analyses a report may include: the subcommands that read one document.
pub(crate) const KINDS: [&str; 20] = [
    "settle",
    "pay",
    "score",
    "topsis",
    "ahp",
    "frontier",
    "select",
    "sensitivity",
    "psa",
    "dsa",
    "budget",
    "concentration",
    "spc",
    "kpi",
    "variance",
    "effectiveness",
    "funnel",
    "standardise",
    "peers",
    "opportunity",
];

/// A report: its title and the analyses in the order they are shown.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportDoc {
    /// The page's title.
    title: String,
    /// A line under the title (the meeting, the date).
    #[serde(default)]
    subtitle: String,
    /// The analyses.
    sections: Vec<ReportSection>,
}

/// One analysis: a subcommand and its document.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReportSection {
    /// The subcommand (`settle`, `frontier`, `spc`, …).
    kind: String,
    /// The section's heading (the subcommand's purpose by default).
    #[serde(default)]
    title: Option<String>,
    /// A paragraph shown before the results (what to take from them).
    #[serde(default)]
    note: Option<String>,
    /// The subcommand's document, inline.
    #[serde(default)]
    document: Option<Value>,
    /// Or a path to it, relative to the report's document.
    #[serde(default)]
    file: Option<String>,
}

/// Reads the report's document (`base` is the folder its files are relative to) and writes
/// the page.
pub(crate) fn report_cmd(
    text: &str,
    base: &Path,
    stdin: &mut dyn std::io::Read,
) -> Result<String, DocumentError> {
    let d: ReportDoc = parse(text)?;
    if d.sections.is_empty() {
        return Err(DocumentError::input(
            "sections",
            "a report needs at least one section",
        ));
    }
    let documents = documents(&d.sections, base, stdin)?;
    let mut sections = Vec::with_capacity(d.sections.len());
    for (i, (s, document)) in d.sections.iter().zip(documents).enumerate() {
        let at = format!("sections[{i}]");
        let within = if s.file.is_some() {
            format!("{at}.file")
        } else {
            format!("{at}.document")
        };
        let title = s
            .title
            .clone()
            .unwrap_or_else(|| default_title(&s.kind).to_owned());
        let mut body = String::new();
        if let Some(note) = &s.note {
            body.push_str(&format!("<p>{}</p>", html::escape(note)));
        }
        body.push_str(&section(&s.kind, &document, &title).map_err(|e| match e {
            DocumentError::Input { .. } if s.kind_is_known() => e.within(&within),
            other => other.within(&format!("{at}.kind")),
        })?);
        sections.push(Section {
            id: format!("s{}", i.saturating_add(1)),
            title,
            body,
        });
    }
    Ok(html::page(&d.title, &d.subtitle, &sections))
}

/// Every section's document, before any section runs: each file read once however many
/// sections name it, and the documents together bounded (a file counted each time it is
/// named), so that a pack's work is known to be within its limit before it starts.
fn documents(
    sections: &[ReportSection],
    base: &Path,
    stdin: &mut dyn std::io::Read,
) -> Result<Vec<Rc<str>>, DocumentError> {
    let mut files: HashMap<std::path::PathBuf, Rc<str>> = HashMap::new();
    let mut total: u64 = 0;
    let mut out = Vec::with_capacity(sections.len());
    for (i, s) in sections.iter().enumerate() {
        let at = format!("sections[{i}]");
        let document: Rc<str> = match (&s.document, &s.file) {
            (Some(v), None) => serde_json::to_string(v)
                .map_err(|e| DocumentError::Io(format!("cannot build the document: {e}")))?
                .into(),
            (None, Some(f)) => {
                let path = base.join(f);
                if let Some(text) = files.get(&path) {
                    text.clone()
                } else {
                    let text: Rc<str> = read(&path.to_string_lossy(), stdin)
                        .map_err(|e| at_file(e, &at))?
                        .into();
                    files.insert(path, text.clone());
                    text
                }
            }
            _ => {
                return Err(DocumentError::input(
                    at,
                    "give the analysis's document inline (\"document\") or as a file (\"file\"), one of the two",
                ));
            }
        };
        total = total.saturating_add(limits::n(document.len()));
        limits::REPORT_BYTES.check(&at, total)?;
        out.push(document);
    }
    Ok(out)
}

/// A file's refusal (too large, not UTF-8) named at the section's `file`.
fn at_file(e: DocumentError, at: &str) -> DocumentError {
    match e {
        DocumentError::Input { message, kind, .. } => DocumentError::Input {
            path: format!("{at}.file"),
            message,
            kind,
        },
        other => other,
    }
}

impl ReportSection {
    fn kind_is_known(&self) -> bool {
        KINDS.contains(&self.kind.as_str())
    }
}

/// A section's heading when the document gives none.
fn default_title(kind: &str) -> &'static str {
    match kind {
        "settle" => "Risk-share settlement",
        "frontier" => "Cost-effectiveness",
        "spc" => "Statistical process control",
        "select" => "Choices within the budget",
        "kpi" => "Key performance indicators",
        "funnel" => "How providers compare",
        "concentration" => "Where the money goes",
        "dsa" => "Sensitivity of the decision",
        "psa" => "Decisions under uncertainty",
        "score" | "topsis" | "ahp" => "Priorities",
        "variance" => "Plan against actual",
        "budget" => "Budget impact",
        "peers" => "Similar areas",
        "opportunity" => "Opportunity against peers",
        "standardise" => "Standardised rates",
        "effectiveness" => "Is commissioning worth it?",
        _ => "Analysis",
    }
}

/// Whether a section of `kind` draws its chart: every capability that draws one, but for the
/// decisions under uncertainty only the acceptability curves (`psa` kind `ceac`) and the
/// tornado (`dsa` kind `one_way`).
fn draws(kind: &str, text: &str) -> bool {
    #[derive(Deserialize)]
    struct Tag {
        #[serde(default)]
        kind: Option<String>,
    }
    let tag = || {
        serde_json::from_str::<Tag>(text)
            .ok()
            .and_then(|t| t.kind)
            .unwrap_or_default()
    };
    match kind {
        "psa" => tag() == "ceac",
        "dsa" => tag() == "one_way",
        _ => Capability::named(kind).is_ok_and(|c| c.draws),
    }
}

/// One analysis, run by the document layer as its subcommand runs it: its chart (where it
/// draws one), a settlement's explanation, and its results as tables.
fn section(kind: &str, text: &str, title: &str) -> Result<String, DocumentError> {
    if !KINDS.contains(&kind) {
        return Err(DocumentError::input(
            "",
            format!(
                "{kind:?} is not an analysis a report includes; expected one of {}",
                KINDS.join(", ")
            ),
        ));
    }
    let mut request = Request::new();
    if draws(kind, text) {
        request = request.with_chart(Some(title.to_owned()));
    }
    let document = Document::new(kind, text)?;
    let outcome = document.run(&request)?;
    let (value, chart) = (outcome.result.to_value()?, outcome.chart);
    let mut body = String::new();
    if let Some(svg) = chart {
        body.push_str(&html::chart(&svg));
    }
    let mut value = arrange(kind, &value);
    if let Some(lines) = value
        .as_object_mut()
        .and_then(|m| m.remove("explanation"))
        .and_then(|v| v.as_array().cloned())
    {
        body.push_str("<ul class=\"explain\">");
        for l in lines.iter().filter_map(Value::as_str) {
            body.push_str(&format!("<li>{}</li>", html::escape(l.trim())));
        }
        body.push_str("</ul>");
    }
    body.push_str(&html::tables(kind, &value));
    Ok(body)
}
