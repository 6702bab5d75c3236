//! The result of `frontier`, written as JSON by hand.
//!
//! A million strategies make two million rows. Written through `serde_json`, each row costs
//! a dozen calls (a key, its quotes, the escaping of every string, each value), and the
//! writing took half the command's time; here each row is written with its keys, line breaks
//! and indentation as fixed text, an id checked once for characters that need escaping, money
//! through [`Money::plain_text`] and numbers through `serde_json`'s own float formatting. The
//! text is byte for byte what `serde_json`'s pretty printer writes for [`FrontierOut`]'s
//! `Serialize` implementation (tests compare the two), which remains the definition of the
//! layout and serves tables and CSV.

use std::io::Write;

use commissioning::model::Money;
use commissioning::model::money::PLAIN_TEXT_MAX;
use commissioning::priority::cea::{IcerRow, Nmb, Status};
use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{CompactFormatter, Formatter};

use crate::document::chunks::write_in_order;
use crate::document::io::DocumentError;
use crate::document::output::{Names, TypedResult};

/// The result of `frontier`, in the order it is written.
#[derive(Serialize)]
pub(crate) struct FrontierOut<'a> {
    pub(crate) rows: Vec<IcerRow<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) threshold: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) net_monetary_benefit: Option<Vec<Nmb<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) best: Option<Vec<&'a str>>,
}

impl TypedResult for FrontierOut<'_> {
    fn write_json(&self, out: &mut dyn Write) -> Result<(), DocumentError> {
        if !self.all_finite() {
            // The walk over the serialised result names the field.
            crate::document::finite::check_finite(self)?;
        }
        crate::document::output::write_buffered(out, |buffered| self.write(buffered))
    }

    fn to_value(&self) -> Result<Value, DocumentError> {
        crate::document::finite::to_json(self)
    }
}

impl FrontierOut<'_> {
    /// Whether every number of the result is finite, read straight from the rows: a pass
    /// over a million rows takes a millisecond or two, where the walk over the serialised
    /// result that names the offending field took about 70 ms. A test checks the two agree
    /// on every number the result holds.
    fn all_finite(&self) -> bool {
        let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
        self.rows
            .iter()
            .all(|r| r.effect.is_finite() && finite(r.inc_effect) && finite(r.icer))
            && finite(self.threshold)
            && self
                .net_monetary_benefit
                .as_deref()
                .is_none_or(|nmb| nmb.iter().all(|n| n.nmb.is_finite()))
    }

    /// Writes the pretty JSON, every number already checked finite.
    fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(b"{\n  \"rows\": [")?;
        write_in_order(out, &self.rows, |out, start, rows| {
            let mut statuses = Names::default();
            for (i, batch) in rows.chunks(32).enumerate() {
                warm(batch);
                for (j, row) in batch.iter().enumerate() {
                    let first = start == 0 && i == 0 && j == 0;
                    out.write_all(if first { b"\n" } else { b",\n" })?;
                    write_row(out, row, &mut statuses)?;
                }
            }
            Ok(())
        })?;
        out.write_all(if self.rows.is_empty() { b"]" } else { b"\n  ]" })?;
        if let Some(t) = self.threshold {
            out.write_all(b",\n  \"threshold\": ")?;
            number(out, t)?;
        }
        if let Some(nmb) = &self.net_monetary_benefit {
            out.write_all(b",\n  \"net_monetary_benefit\": [")?;
            write_in_order(out, nmb, |out, start, part| {
                for (i, n) in part.iter().enumerate() {
                    let first = start == 0 && i == 0;
                    out.write_all(if first { b"\n" } else { b",\n" })?;
                    out.write_all(b"    {\n      \"id\": ")?;
                    text(out, n.id)?;
                    out.write_all(b",\n      \"nmb\": ")?;
                    number(out, n.nmb)?;
                    out.write_all(b"\n    }")?;
                }
                Ok(())
            })?;
            out.write_all(if nmb.is_empty() { b"]" } else { b"\n  ]" })?;
        }
        if let Some(best) = &self.best {
            out.write_all(b",\n  \"best\": ")?;
            list(out, best, b"\n  ")?;
        }
        out.write_all(b"\n}")
    }
}

/// Reads the first byte of every id of a batch of rows together. The rows are in frontier
/// order and borrow their ids from the strategies, which lie in the document's order: reading
/// each id only as its row is written would wait on memory once or twice a row, while these
/// reads overlap their waits, and the writing then finds the ids in the cache.
fn warm(batch: &[IcerRow<'_>]) {
    let mut touched = 0u8;
    for row in batch {
        for id in std::iter::once(row.id).chain(row.dominated_by.iter()) {
            touched ^= id.as_bytes().first().copied().unwrap_or(0);
        }
    }
    std::hint::black_box(touched);
}

/// One row, at the indentation of a list item inside `"rows"`.
fn write_row(
    out: &mut impl Write,
    row: &IcerRow<'_>,
    statuses: &mut Names<Status>,
) -> std::io::Result<()> {
    out.write_all(b"    {\n      \"id\": ")?;
    text(out, row.id)?;
    out.write_all(b",\n      \"cost\": ")?;
    money(out, Some(row.cost))?;
    out.write_all(b",\n      \"effect\": ")?;
    number(out, row.effect)?;
    out.write_all(b",\n      \"inc_cost\": ")?;
    money(out, row.inc_cost)?;
    out.write_all(b",\n      \"inc_effect\": ")?;
    optional_number(out, row.inc_effect)?;
    out.write_all(b",\n      \"icer\": ")?;
    optional_number(out, row.icer)?;
    out.write_all(b",\n      \"status\": ")?;
    out.write_all(statuses.of(row.status)?)?;
    if !row.dominated_by.is_empty() {
        out.write_all(b",\n      \"dominated_by\": ")?;
        let ids: Vec<&str> = row.dominated_by.iter().collect();
        list(out, &ids, b"\n      ")?;
    }
    out.write_all(b"\n    }")
}

/// A list of ids whose closing bracket sits at `indent` (a line break and spaces).
fn list(out: &mut impl Write, ids: &[&str], indent: &[u8]) -> std::io::Result<()> {
    if ids.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    for (i, id) in ids.iter().enumerate() {
        out.write_all(if i == 0 { b"" } else { b"," })?;
        out.write_all(indent)?;
        out.write_all(b"  ")?;
        text(out, id)?;
    }
    out.write_all(indent)?;
    out.write_all(b"]")
}

/// A string in quotes: as it is when nothing in it needs escaping, else escaped by
/// `serde_json`.
fn text(out: &mut impl Write, s: &str) -> std::io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        serde_json::to_writer(out, s).map_err(std::io::Error::other)
    }
}

/// Money as its serialised text in quotes, or `null`.
fn money(out: &mut impl Write, m: Option<Money>) -> std::io::Result<()> {
    match m {
        Some(m) => {
            let mut buf = [0u8; PLAIN_TEXT_MAX];
            out.write_all(b"\"")?;
            out.write_all(m.plain_text(&mut buf).as_bytes())?;
            out.write_all(b"\"")
        }
        None => out.write_all(b"null"),
    }
}

/// A finite number as `serde_json` writes it.
fn number(out: &mut impl Write, x: f64) -> std::io::Result<()> {
    CompactFormatter.write_f64(out, x)
}

fn optional_number(out: &mut impl Write, x: Option<f64>) -> std::io::Result<()> {
    match x {
        Some(x) => number(out, x),
        None => out.write_all(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commissioning::priority::cea::{Strategy, calculate_icers, calculate_icers_with_nmb};

    /// What `serde_json`'s pretty printer writes for the result.
    fn by_serde(out: &FrontierOut<'_>) -> String {
        serde_json::to_string_pretty(out).unwrap()
    }

    /// The result of `frontier` for the strategies at a threshold.
    fn at_threshold(strategies: &[Strategy], threshold: f64) -> FrontierOut<'_> {
        let (rows, (nmb, best)) = calculate_icers_with_nmb(strategies, threshold).unwrap();
        FrontierOut {
            rows,
            threshold: Some(threshold),
            net_monetary_benefit: Some(nmb),
            best: Some(best),
        }
    }

    fn by_hand(out: &FrontierOut<'_>) -> String {
        let mut text = Vec::new();
        out.write(&mut text).unwrap();
        String::from_utf8(text).unwrap()
    }

    #[test]
    fn the_text_is_serde_jsons_pretty_text() {
        // Ids that need escaping or are not ASCII, on rows of every status: the frontier
        // (ND), one strongly dominated (D, one dominator) and one extendedly (ED, two).
        let strategies: Vec<Strategy> = [
            ("UC", 5_000, 1.0),
            ("a \"quoted\" id", 12_000, 1.5),
            ("back\\slash", 10_000, 2.0),
            ("tab\there", 25_000, 3.0),
            ("línea", 35_000, 4.0),
            ("\u{1}", 55_000, 5.0),
            ("F", 60_000, 4.5),
        ]
        .into_iter()
        .map(|(id, pounds, effect)| Strategy::new(id, Money::from_pounds(pounds), effect))
        .collect();
        for threshold in [None, Some(20_000.0), Some(0.0)] {
            let (rows, nmb) = match threshold {
                Some(t) => {
                    let (rows, nmb) = calculate_icers_with_nmb(&strategies, t).unwrap();
                    (rows, Some(nmb))
                }
                None => (calculate_icers(&strategies).unwrap(), None),
            };
            for (status, dominators) in [
                (Status::NonDominated, 0),
                (Status::Dominated, 1),
                (Status::ExtendedlyDominated, 2),
            ] {
                assert!(
                    rows.iter()
                        .any(|r| r.status == status && r.dominated_by.len() == dominators)
                );
            }
            let (net_monetary_benefit, best) = nmb.unzip();
            let out = FrontierOut {
                rows,
                threshold,
                net_monetary_benefit,
                best,
            };
            assert_eq!(by_hand(&out), by_serde(&out));
        }
        let empty = FrontierOut {
            rows: Vec::new(),
            threshold: Some(1.5),
            net_monetary_benefit: Some(Vec::new()),
            best: Some(Vec::new()),
        };
        assert_eq!(by_hand(&empty), by_serde(&empty));
    }

    /// Tens of thousands of strategies, enough for the rows and the net monetary benefit to be
    /// formatted on two threads, give serde's text too.
    #[test]
    fn a_large_result_formatted_on_two_threads_is_serde_jsons_text() {
        let strategies: Vec<Strategy> = (0..40_000u32)
            .map(|i| {
                let cost = Money::from_pence(i64::from(i.wrapping_mul(7919) % 1_000_000));
                let effect = f64::from(i.wrapping_mul(104_729) % 10_007) / 1000.0;
                Strategy::new(format!("s{i}"), cost, effect)
            })
            .collect();
        let out = at_threshold(&strategies, 20_000.0);
        assert_eq!(by_hand(&out), by_serde(&out));
    }

    /// The direct check finds every number the serialised walk finds: each number of a
    /// result, made NaN or infinite in turn, fails both.
    #[test]
    fn the_direct_check_agrees_with_the_walk() {
        let strategies: Vec<Strategy> =
            [("UC", 5_000, 1.0), ("A", 12_000, 1.5), ("B", 10_000, 2.0)]
                .into_iter()
                .map(|(id, pounds, effect)| Strategy::new(id, Money::from_pounds(pounds), effect))
                .collect();
        let clean = at_threshold(&strategies, 20_000.0);
        assert!(clean.all_finite());
        assert!(crate::document::finite::check_finite(&clean).is_ok());
        let spoilt = |change: &dyn Fn(&mut FrontierOut<'_>, f64)| {
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let mut out = FrontierOut {
                    rows: clean.rows.clone(),
                    threshold: clean.threshold,
                    net_monetary_benefit: clean.net_monetary_benefit.clone(),
                    best: clean.best.clone(),
                };
                change(&mut out, bad);
                assert!(!out.all_finite(), "{bad}");
                assert!(
                    crate::document::finite::check_finite(&out).is_err(),
                    "{bad}"
                );
            }
        };
        spoilt(&|o, bad| o.rows[1].effect = bad);
        spoilt(&|o, bad| o.rows[1].inc_effect = Some(bad));
        spoilt(&|o, bad| o.rows[1].icer = Some(bad));
        spoilt(&|o, bad| o.threshold = Some(bad));
        spoilt(&|o, bad| o.net_monetary_benefit.as_mut().unwrap()[2].nmb = bad);
    }
}
