//! The result of `spc`, written as JSON by hand.
//!
//! A million points make a million JSON objects of five to seven fields, about 150 bytes
//! each. Written through `serde_json`, each costs a call per key, per value and per piece of
//! layout, and the writing took over half the command's time; here each point is written with
//! its keys, line breaks and indentation as fixed text, its rule and type as the text serde
//! gives them (made once per value), its number through `serde_json`'s own float formatting
//! and its date as four, two and two digits. The rest of the chart (segments, icons, target,
//! warnings: a few values whatever the length) goes through `serde_json`. The text is byte
//! for byte what `serde_json`'s pretty printer writes for [`SpcChart`] (tests compare the
//! two), whose `Serialize` implementation remains the definition of the layout and serves
//! tables and CSV.

use std::io::Write;

use chrono::Datelike;
use commissioning::model::NaiveDate;
use commissioning::monitor::spc::{Assurance, Point, PointType, Segment, SpcChart};
use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{CompactFormatter, Formatter};

use crate::document::chunks::write_in_order;
use crate::document::io::DocumentError;
use crate::document::output::{Names, TypedResult};

/// The result of `spc` for one series.
pub(crate) struct SpcOut(pub(crate) SpcChart);

/// Every field of the chart after its points, in the order `SpcChart` declares them.
#[derive(Serialize)]
struct Rest<'a> {
    segments: &'a [Segment],
    variation: PointType,
    #[serde(skip_serializing_if = "Option::is_none")]
    assurance: Option<Assurance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<f64>,
    warnings: &'a [String],
}

impl SpcOut {
    fn rest(&self) -> Rest<'_> {
        let c = &self.0;
        Rest {
            segments: &c.segments,
            variation: c.variation,
            assurance: c.assurance,
            target: c.target,
            warnings: &c.warnings,
        }
    }

    /// Writes the pretty JSON, every number already checked finite.
    fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(b"{\n  \"points\": [")?;
        write_in_order(out, &self.0.points, |out, start, points| {
            let mut rules = Names::default();
            let mut types = Names::default();
            for (i, point) in points.iter().enumerate() {
                out.write_all(if start == 0 && i == 0 { b"\n" } else { b",\n" })?;
                write_point(out, point, &mut rules, &mut types)?;
            }
            Ok(())
        })?;
        out.write_all(if self.0.points.is_empty() {
            b"]"
        } else {
            b"\n  ]"
        })?;
        // The rest opens a map at the same depth as the chart's own, so its text after the
        // opening brace continues the chart's after a comma.
        let rest = serde_json::to_vec_pretty(&self.rest()).map_err(std::io::Error::other)?;
        out.write_all(b",")?;
        out.write_all(rest.get(1..).unwrap_or_default())
    }
}

impl TypedResult for SpcOut {
    fn write_json(&self, out: &mut dyn Write) -> Result<(), DocumentError> {
        // The points' values are read directly (a pass over a million takes a millisecond);
        // the walk that names the offending field runs only when one is not finite. The rest
        // is small and walked as it is.
        if !self.0.points.iter().all(|p| p.value.is_finite()) {
            crate::document::finite::check_finite(&self.0)?;
        }
        crate::document::finite::check_finite(&self.rest())?;
        crate::document::output::write_buffered(out, |buffered| self.write(buffered))
    }

    fn to_value(&self) -> Result<Value, DocumentError> {
        crate::document::finite::to_json(&self.0)
    }
}

/// One point, at the indentation of a list item inside `"points"`.
fn write_point(
    out: &mut impl Write,
    p: &Point,
    rules: &mut Names<commissioning::monitor::spc::Rule>,
    types: &mut Names<PointType>,
) -> std::io::Result<()> {
    out.write_all(b"    {\n      \"position\": ")?;
    CompactFormatter.write_u64(out, u64::try_from(p.position).unwrap_or(u64::MAX))?;
    if let Some(date) = p.date {
        out.write_all(b",\n      \"date\": ")?;
        write_date(out, date)?;
    }
    out.write_all(b",\n      \"value\": ")?;
    CompactFormatter.write_f64(out, p.value)?;
    out.write_all(b",\n      \"segment\": ")?;
    CompactFormatter.write_u64(out, u64::try_from(p.segment).unwrap_or(u64::MAX))?;
    out.write_all(b",\n      \"rule\": ")?;
    out.write_all(rules.of(p.rule)?)?;
    if !p.rules.is_empty() {
        out.write_all(b",\n      \"rules\": [")?;
        for (i, rule) in p.rules.iter().enumerate() {
            out.write_all(if i == 0 {
                b"\n        "
            } else {
                b",\n        "
            })?;
            out.write_all(rules.of(rule)?)?;
        }
        out.write_all(b"\n      ]")?;
    }
    out.write_all(b",\n      \"point_type\": ")?;
    out.write_all(types.of(p.point_type)?)?;
    out.write_all(b"\n    }")
}

/// A date in quotes as `YYYY-MM-DD`: the digits written directly for the years 0 to 9999,
/// otherwise through `serde_json` (as the chart's own serialisation writes it).
fn write_date(out: &mut impl Write, date: NaiveDate) -> std::io::Result<()> {
    match u32::try_from(date.year()) {
        Ok(year) if year <= 9999 => {
            let mut text = *b"\"0000-00-00\"";
            for (slot, (value, width)) in [
                (1usize, (year, 4u32)),
                (6, (date.month(), 2)),
                (9, (date.day(), 2)),
            ] {
                let mut rest = value;
                for k in (0..width).rev() {
                    let at = slot.saturating_add(usize::try_from(k).unwrap_or(0));
                    if let Some(b) = text.get_mut(at) {
                        *b = b'0'.saturating_add(u8::try_from(rest % 10).unwrap_or(0));
                    }
                    rest /= 10;
                }
            }
            out.write_all(&text)
        }
        _ => {
            #[derive(Serialize)]
            struct Dated(
                #[serde(with = "commissioning::model::period::serde_date_opt")] Option<NaiveDate>,
            );
            serde_json::to_writer(out, &Dated(Some(date))).map_err(std::io::Error::other)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use commissioning::monitor::spc::{Observation, SpcOptions, spc};

    fn by_hand(out: &SpcOut) -> String {
        let mut text = Vec::new();
        out.write(&mut text).unwrap();
        String::from_utf8(text).unwrap()
    }

    fn chart(values: &[f64], options: &SpcOptions) -> SpcChart {
        let obs: Vec<Observation> = values.iter().map(|v| Observation::new(*v)).collect();
        spc(&obs, options).unwrap()
    }

    /// Options with a direction and a target, read as a document would give them.
    fn targeted() -> SpcOptions {
        serde_json::from_str(r#"{"improvement": "increase", "target": 3.0}"#).unwrap()
    }

    #[test]
    fn the_text_is_serde_jsons_pretty_text() {
        // Common cause, then a shift ending in a point outside the limits (two rules on one
        // point), then a trend.
        let mut values = vec![10.0, 12.0, 9.0, 11.0, 10.0, 13.0, 9.0, 12.0, 10.5, 11.25];
        values.extend([10.0, 12.0, 9.0, 11.0, 10.0, 13.0, 9.0, 12.0]);
        values.extend([14.0, 14.5, 14.0, 14.5, 14.0, 14.5, 40.0, 11.0]);
        values.extend((0..8).map(|i| 5.0 + f64::from(i)));
        for options in [SpcOptions::default(), targeted()] {
            let mut c = chart(&values, &options);
            assert!(c.points.iter().any(|p| p.rules.iter().count() == 2));
            assert!(c.points.iter().any(|p| p.rules.is_empty()));
            assert_eq!(c.assurance.is_some(), c.target.is_some());
            let expected = serde_json::to_string_pretty(&c).unwrap();
            assert_eq!(by_hand(&SpcOut(c.clone())), expected);
            // Dated, at the edges of four-digit years and beyond them.
            let dates = [
                (2024, 2, 29),
                (0, 1, 1),
                (999, 12, 31),
                (9999, 12, 31),
                (10_000, 1, 1),
                (-1, 6, 15),
            ];
            for (p, (y, m, d)) in c.points.iter_mut().zip(dates.iter().cycle()) {
                p.date = NaiveDate::from_ymd_opt(*y, *m, *d);
            }
            let expected = serde_json::to_string_pretty(&c).unwrap();
            assert_eq!(by_hand(&SpcOut(c)), expected);
        }
    }

    /// Enough points to be formatted on two threads, dated and with special causes.
    #[test]
    fn a_long_chart_formatted_on_two_threads_is_serde_jsons_text() {
        let values: Vec<f64> = (0..50_000u32)
            .map(|i| f64::from(i.wrapping_mul(7919) % 101) + if i % 5000 < 9 { 300.0 } else { 0.0 })
            .collect();
        let mut c = chart(&values, &targeted());
        for (p, day) in c.points.iter_mut().zip(0i64..) {
            p.date = NaiveDate::from_ymd_opt(1900, 1, 1)
                .and_then(|d| d.checked_add_signed(chrono::Duration::days(day)));
        }
        assert!(c.points.iter().any(|p| !p.rules.is_empty()));
        let expected = serde_json::to_string_pretty(&c).unwrap();
        assert_eq!(by_hand(&SpcOut(c)), expected);
    }

    #[test]
    fn a_number_that_is_not_finite_is_refused_by_name() {
        let mut c = chart(&[1.0, 2.0, 3.0, 2.0], &SpcOptions::default());
        c.points[2].value = f64::NAN;
        let err = SpcOut(c.clone()).write_json(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("result.points[2].value"), "{err}");
        c.points[2].value = 3.0;
        c.segments[0].limits.mean = f64::INFINITY;
        let err = SpcOut(c).write_json(&mut Vec::new()).unwrap_err();
        assert!(
            err.to_string().contains("result.segments[0].limits.mean"),
            "{err}"
        );
    }
}
