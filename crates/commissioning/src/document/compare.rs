//! The comparison subcommands: `funnel`, `standardise`, `peers` and `opportunity`.

use commissioning::compare::funnel::{FunnelInput, funnel};
use commissioning::compare::opportunity::{OpportunityInput, Polarity, opportunity};
use commissioning::compare::peers::{PeerInput, similar};
use commissioning::compare::rates::{
    DsrInput, ProportionInput, RateInput, RatioInput, crude_rate, directly_standardised_rate,
    proportion, standardised_ratio,
};
use commissioning::compare::significance::{SignificanceInput, significance};
use commissioning::compare::svg::{FunnelChart, render};
use serde_json::Value;

use crate::document::finite::to_json;
use crate::document::io::{DocumentError, parse, parse_tagged, read_tag};
use crate::document::slips::Warning;
use crate::document::table::likely_proportions;

/// The funnel methods: FunnelPlotR's (the default) and PHEindicatormethods'.
pub(crate) const FUNNEL_METHODS: [&str; 2] = ["funnelplotr", "phe"];

/// How to draw the funnel plot.
pub(crate) struct ChartOptions {
    pub(crate) title: Option<String>,
    pub(crate) polarity: Option<Polarity>,
}

/// `funnel`: a funnel plot by FunnelPlotR's method (with overdispersion), or significance
/// labels by PHEindicatormethods' method, chosen by the document's `"method"`. Returns the
/// result, for the FunnelPlotR method when `chart` asks for it the chart (no chart work is done
/// unasked), and a warning when events and people look read as ratios.
pub(crate) fn funnel_cmd(
    text: &str,
    chart: Option<&ChartOptions>,
) -> Result<(Value, Option<String>, Vec<Warning>), DocumentError> {
    let method = read_tag(text, "method", &FUNNEL_METHODS, Some("funnelplotr"))?;
    if method == "phe" {
        let d: SignificanceInput = parse_tagged(text, "method")?;
        let value = to_json(&significance(&d).map_err(DocumentError::rule)?)?;
        return Ok((value, None, Vec::new()));
    }
    let d: FunnelInput = parse_tagged(text, "method")?;
    // Whether the document says what its numbers are: the key's name, looked for in its text.
    let stated = text.contains("\"data_type\"");
    let warnings = likely_proportions(&d, stated, ["numerator", "denominator"]);
    let f = funnel(&d).map_err(DocumentError::rule)?;
    let svg = chart.map(|chart| {
        let mut options = FunnelChart::new(
            chart
                .title
                .clone()
                .unwrap_or_else(|| "Funnel plot".to_owned()),
        );
        options.polarity = chart.polarity;
        render(&f, &options)
    });
    Ok((to_json(&f)?, svg, warnings))
}

/// The statistics of `standardise`.
pub(crate) const STATISTICS: [&str; 4] = ["proportion", "rate", "ratio", "dsr"];

/// `standardise`: a proportion, a crude rate, an indirectly standardised ratio or a directly
/// standardised rate with its intervals, chosen by the document's `"kind"`.
pub(crate) fn standardise_cmd(text: &str) -> Result<Value, DocumentError> {
    let kind = read_tag(text, "kind", &STATISTICS, None)?;
    match kind.as_str() {
        "proportion" => {
            let d: ProportionInput = parse_tagged(text, "kind")?;
            to_json(&proportion(&d).map_err(DocumentError::rule)?)
        }
        "rate" => {
            let d: RateInput = parse_tagged(text, "kind")?;
            to_json(&crude_rate(&d).map_err(DocumentError::rule)?)
        }
        "ratio" => {
            let d: RatioInput = parse_tagged(text, "kind")?;
            to_json(&standardised_ratio(&d).map_err(DocumentError::rule)?)
        }
        _ => {
            let d: DsrInput = parse_tagged(text, "kind")?;
            to_json(&directly_standardised_rate(&d).map_err(DocumentError::rule)?)
        }
    }
}

/// `peers`: each unit's similar-k peers.
pub(crate) fn peers_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: PeerInput = parse(text)?;
    crate::document::limits::PEER_UNITS
        .check("units", crate::document::limits::n(d.units.len()))?;
    check_peer_output(&d)?;
    to_json(&similar(&d).map_err(DocumentError::rule)?)
}

/// Refuses peer groups whose output — each unit's `k` peers' ids and distances — would pass
/// the output limit, estimated before the search.
fn check_peer_output(d: &PeerInput) -> Result<(), DocumentError> {
    use crate::document::limits::{NUMBER_BYTES, OUTPUT_BYTES, n, text_bytes};
    let longest = d.units.iter().map(|u| u.id.len()).max().unwrap_or(0);
    let k = n(d.k.min(d.units.len()));
    let per_unit = k
        .saturating_mul(text_bytes(longest).saturating_add(NUMBER_BYTES))
        .saturating_add(text_bytes(longest))
        .saturating_add(n(d.variables.len()).saturating_mul(NUMBER_BYTES));
    OUTPUT_BYTES.check("units", n(d.units.len()).saturating_mul(per_unit))
}

/// `opportunity`: an area against the Best n of its peers.
pub(crate) fn opportunity_cmd(text: &str) -> Result<Value, DocumentError> {
    let d: OpportunityInput = parse(text)?;
    to_json(&opportunity(&d).map_err(DocumentError::rule)?)
}
