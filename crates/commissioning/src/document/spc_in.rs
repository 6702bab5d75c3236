//! The points of an `spc` document, read apart from the rest (see [`crate::document::array_in`]).
//!
//! A point is `{"value": n}` or `{"date": "YYYY-MM-DD", "value": n}`, the keys in either
//! order; anything else makes the reader decline, and the document is read by `serde` alone.
//! Dates follow the rule of [`parse_date`](commissioning::model::period::parse_date), what the
//! date's own `Deserialize` calls: four, two and two digits between dashes, a day of the
//! calendar.

use commissioning::model::NaiveDate;
use commissioning::monitor::spc::Observation;

use crate::document::array_in::{Cursor, Items};

/// The points of an `spc` document's `values`.
pub(crate) const POINTS: Items<Observation> = Items {
    key: "\"values\"",
    // `{"value":0}`
    shortest: 11,
    read: point,
};

/// `{"value": n}` or `{"date": "YYYY-MM-DD", "value": n}`, the keys in either order.
fn point(at: &mut Cursor<'_>) -> Option<Observation> {
    let mut value = None;
    let mut date = None;
    at.object(|at| {
        if at.key(b"\"value\"")? {
            value.is_none().then_some(())?;
            value = Some(at.number()?);
        } else if at.key(b"\"date\"")? {
            date.is_none().then_some(())?;
            date = Some(self::date(at)?);
        } else {
            return None;
        }
        Some(())
    })?;
    let value = value?;
    Some(match date {
        Some(date) => Observation::dated(date, value),
        None => Observation::new(value),
    })
}

/// `"YYYY-MM-DD"` by [`parse_date`](commissioning::model::period::parse_date)'s rule.
fn date(at: &mut Cursor<'_>) -> Option<NaiveDate> {
    let text = at.plain_string()?;
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text.as_bytes() else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| {
                n.wrapping_mul(10)
                    .wrapping_add(u32::from(d.wrapping_sub(b'0')))
            })
        })
    };
    let year = i32::try_from(number(&[y1, y2, y3, y4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[m1, m2])?, number(&[d1, d2])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The points of an array as `serde` reads them, or `None` where it refuses them.
    fn by_serde(array: &str) -> Option<Vec<Observation>> {
        serde_json::from_str(array).ok()
    }

    /// The points of an array as read here, or `None` where this parser declines.
    fn here(array: &str) -> Option<Vec<Observation>> {
        crate::document::array_in::split(&format!("{{\"values\":{array}}}"), &POINTS)
            .map(|s| s.items)
    }

    /// Dates and the exact bits of values, so that `-0` and `0` differ.
    fn bits(points: &[Observation]) -> Vec<(Option<NaiveDate>, u64)> {
        points.iter().map(|p| (p.date, p.value.to_bits())).collect()
    }

    fn agrees(array: &str) {
        let read = here(array).unwrap_or_else(|| panic!("declined {array}"));
        let expected = by_serde(array).unwrap_or_else(|| panic!("serde refused {array}"));
        assert_eq!(bits(&read), bits(&expected), "{array}");
    }

    #[test]
    fn dates_follow_parse_dates_rule() {
        for date in [
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-1-01",
            "2024-01-1x",
            "2024/01/01",
            "20240101",
            "2024-01-011",
        ] {
            let array = format!("[{{\"date\":\"{date}\",\"value\":1}}]");
            let rule = commissioning::model::period::parse_date("date", date).ok();
            assert_eq!(
                here(&array).map(|p| p.first().and_then(|o| o.date)),
                rule.map(Some),
                "{date}"
            );
            if rule.is_some() {
                agrees(&array);
            }
        }
    }

    #[test]
    fn anything_but_the_common_shape_is_declined() {
        for array in [
            r#"[{"value":1,"value":2}]"#,
            r#"[{"date":"2024-01-01","date":"2024-01-02","value":2}]"#,
            r#"[{"date":"2024-01-01"}]"#,
            r#"[{"value":1,"note":"x"}]"#,
            r#"[{"v\u0061lue":1}]"#,
            r#"[{"date":"\u0032024-01-01","value":1}]"#,
            r#"[{"date":null,"value":1}]"#,
            r#"[{"value":1},]"#,
            r#"[{"value":1} {"value":2}]"#,
            r#"[{"value":1}"#,
            r#"[{}]"#,
            r#"[1]"#,
            r#"{"value":1}"#,
        ] {
            assert!(here(array).is_none(), "{array}");
        }
        // What serde reads of these, it reads through its own path when this one declines.
        assert!(by_serde(r#"[{"v\u0061lue":1}]"#).is_some());
        assert!(by_serde(r#"[{"date":null,"value":1}]"#).is_some());
    }

    #[test]
    fn whitespace_and_key_order_are_free() {
        agrees("[]");
        agrees(" [ ] ");
        agrees("[\n {\n \"value\" : 1 } ,\r\n\t{ \"value\":2,\"date\" : \"2024-01-01\" }\n]");
        agrees(r#"[{"date":"2024-01-01","value":-3.5},{"value":4}]"#);
    }

    /// A long array of mixed points, long enough to be read in two halves.
    fn long_array(count: u32) -> Vec<String> {
        (0..count)
            .map(|i| match i % 3 {
                0 => format!("{{\"value\": {}}}", i % 97),
                1 => format!(
                    "{{\"date\":\"2024-0{}-1{}\",\"value\":{}.25}}",
                    (i % 9).saturating_add(1),
                    i % 10,
                    i
                ),
                _ => format!("{{ \"value\" : -{}e-3 ,\n \"date\": \"1999-12-31\" }}", i),
            })
            .collect()
    }

    #[test]
    fn a_long_array_is_read_in_halves_as_serde_reads_it() {
        let items = long_array(120_000);
        let array = format!("[{}]", items.join(",\n"));
        assert!(array.len() > crate::document::array_in::PARALLEL_FROM);
        agrees(&array);
    }

    #[test]
    fn a_fault_in_either_half_of_a_long_array_is_declined() {
        let items = long_array(120_000);
        for at in [0, 59_990, 60_000, 60_010, 119_999] {
            let mut faulty = items.clone();
            faulty[at] = r#"{"value": 1, "note": "}, {"}"#.to_owned();
            let array = format!("[{}]", faulty.join(","));
            assert!(here(&array).is_none(), "{at}");
        }
        let unclosed = format!("[{}", items.join(","));
        assert!(here(&unclosed).is_none());
    }

    /// A number as a document might write it: shortest, with an exponent, or to a fixed
    /// number of places.
    fn written(value: f64, style: u8) -> String {
        match style % 3 {
            0 => format!("{value}"),
            1 => format!("{value:e}"),
            _ => format!("{value:.4}"),
        }
    }

    fn space() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", " ", "\n  ", "\t", "\r\n"])
    }

    proptest! {
        #[test]
        fn generated_points_read_as_serde_reads_them(
            points in prop::collection::vec(
                (
                    prop_oneof![
                        any::<f64>().prop_filter("finite", |v| v.is_finite()),
                        (-1_000_000i64..1_000_000).prop_map(|n| n as f64 / 100.0),
                        (0u32..200).prop_map(f64::from),
                    ],
                    any::<u8>(),
                    prop::option::of(0i64..3_000_000),
                    any::<bool>(),
                    space(),
                ),
                0..40,
            )
        ) {
            let items: Vec<String> = points
                .iter()
                .map(|(value, style, day, date_first, ws)| {
                    let value = format!("\"value\"{ws}:{ws}{}", written(*value, *style));
                    match day.and_then(|d| {
                        NaiveDate::from_ymd_opt(1, 1, 1)?
                            .checked_add_signed(chrono::Duration::days(d))
                    }) {
                        None => format!("{{{ws}{value}{ws}}}"),
                        Some(date) => {
                            let date = format!("\"date\":{ws}\"{}\"", date.format("%Y-%m-%d"));
                            if *date_first {
                                format!("{{{date},{ws}{value}}}")
                            } else {
                                format!("{{{value}{ws},{date}{ws}}}")
                            }
                        }
                    }
                })
                .collect();
            let array = format!("[{}]", items.join(",\n"));
            let read = here(&array);
            prop_assert!(read.is_some(), "declined {}", array);
            let expected = by_serde(&array).unwrap();
            prop_assert_eq!(bits(&read.unwrap()), bits(&expected));
        }
    }
}
