//! The points of an `spc` document, read by a parser of their common shape.
//!
//! A million points are a million small objects, `{"value": 87}` or `{"date": "2024-04-01",
//! "value": 87.5}`, and reading them through `serde` took longer than drawing the chart's
//! limits. [`split`] finds the array after the first `"values":` and reads it here; the rest
//! of the document, with a [`Marker`] in the array's place, is then read by `serde` as usual,
//! and the marker is accepted only as the value of the document's own `values`. So when both
//! readings succeed, the document is valid JSON whose `values` is exactly the array read here,
//! whatever way the array was found; when either fails, the caller reads the whole document
//! through `serde` alone, which names the fault exactly as before.
//!
//! This parser reads nothing but the common shape. Any other key, a repeated or missing key, a
//! key or date written with escapes, a date outside the strict `YYYY-MM-DD` layout, a number
//! outside JSON's grammar or beyond the range of `f64`, makes it decline. Numbers go through
//! the standard library's correctly rounded parsing (what `serde_json` gives with
//! `float_roundtrip`), or where they have at most 15 digits and no exponent through the one
//! division that rounds them the same way; dates follow the rule of
//! [`parse_date`](commissioning::model::period::parse_date), what the date's own `Deserialize`
//! calls. So the two readings give the same values; tests check the agreement on generated
//! documents.

use commissioning::model::NaiveDate;
use commissioning::monitor::spc::Observation;
use serde::{Deserialize, Deserializer};

/// What stands in the rest of the document for the array read here: a JSON string of one
/// NUL character, which no document's `values` can validly hold.
const MARK: &str = r#""\u0000""#;

/// The points of a document read here, and the rest of its text with [`MARK`] in their place.
pub(crate) struct Split {
    pub(crate) points: Vec<Observation>,
    pub(crate) rest: String,
}

/// Reads the array after the first `"values":` of `text`; `None` where there is none or it is
/// not of the common shape.
pub(crate) fn split(text: &str) -> Option<Split> {
    let bytes = text.as_bytes();
    let start = array_after_key(bytes)?;
    let mut at = Cursor { bytes, at: start };
    let points = at.array()?;
    let before = text.get(..start)?;
    let after = text.get(at.at..)?;
    let mut rest = String::with_capacity(
        before
            .len()
            .saturating_add(after.len())
            .saturating_add(MARK.len()),
    );
    rest.push_str(before);
    rest.push_str(MARK);
    rest.push_str(after);
    Some(Split { points, rest })
}

/// Where the array after the first `"values"`, a colon and any whitespace begins.
fn array_after_key(bytes: &[u8]) -> Option<usize> {
    const KEY: &[u8] = b"\"values\"";
    let key = bytes.windows(KEY.len()).position(|w| w == KEY)?;
    let mut at = Cursor {
        bytes,
        at: key.checked_add(KEY.len())?,
    };
    at.expect(b':')?;
    at.space();
    (at.peek() == Some(b'[')).then_some(at.at)
}

/// The document's `values` in the rest of the text: present only where [`MARK`] stands.
#[derive(Default)]
pub(crate) struct Marker(bool);

impl Marker {
    /// Whether the mark stood in the document's own `values`.
    pub(crate) fn found(&self) -> bool {
        self.0
    }
}

impl<'de> Deserialize<'de> for Marker {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        if text == "\u{0}" {
            Ok(Self(true))
        } else {
            Err(serde::de::Error::custom(
                "not the mark of points read apart",
            ))
        }
    }
}

/// The fewest bytes of points worth a second thread (about 70,000 points).
const PARALLEL_FROM: usize = 1 << 20;

/// The fewest bytes a point takes, `{"value":0}`, which bounds the points a text can hold.
const SHORTEST_POINT: usize = 11;

/// A position in the text.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) {
        self.at = self.at.saturating_add(1);
    }

    /// Skips JSON's whitespace.
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.bump();
        }
    }

    /// Consumes `expected` after any whitespace.
    fn expect(&mut self, expected: u8) -> Option<()> {
        self.space();
        (self.peek() == Some(expected)).then(|| self.bump())
    }

    /// Whether only whitespace remains.
    fn finished(&mut self) -> bool {
        self.space();
        self.at == self.bytes.len()
    }

    /// Consumes `word` exactly, if it comes next.
    fn word(&mut self, word: &[u8]) -> bool {
        let end = self.at.saturating_add(word.len());
        if self.bytes.get(self.at..end) == Some(word) {
            self.at = end;
            return true;
        }
        false
    }

    /// `[`, points separated by commas, `]`: room is made at the start for as many points as
    /// the rest of the text could hold, so the list never moves as it grows. A long array is
    /// read in two halves on two threads.
    fn array(&mut self) -> Option<Vec<Observation>> {
        self.expect(b'[')?;
        let mut points = Vec::with_capacity(self.room());
        if self.expect(b']').is_some() {
            return Some(points);
        }
        match self.cut() {
            Some(comma) => self.in_halves(comma, &mut points)?,
            None => self.points(&mut points)?,
        }
        self.expect(b']')?;
        Some(points)
    }

    /// The most points the rest of the text could hold.
    fn room(&self) -> usize {
        self.bytes.len().saturating_sub(self.at) / SHORTEST_POINT
    }

    /// Points separated by commas, up to whatever follows the last.
    fn points(&mut self, points: &mut Vec<Observation>) -> Option<()> {
        loop {
            points.push(self.point()?);
            self.space();
            if self.peek() != Some(b',') {
                return Some(());
            }
            self.bump();
        }
    }

    /// Where a long run of points can be cut in two: the comma after the first `}` past the
    /// middle of the rest of the text. (If that brace does not end a point, the text is not of
    /// the common shape, and one half or the other fails to read.)
    fn cut(&self) -> Option<usize> {
        let rest = self.bytes.len().saturating_sub(self.at);
        if rest < PARALLEL_FROM {
            return None;
        }
        let middle = self.at.saturating_add(rest / 2);
        let brace = self
            .bytes
            .get(middle..)?
            .iter()
            .position(|&b| b == b'}')
            .and_then(|k| middle.checked_add(k))?;
        let mut after = Cursor {
            bytes: self.bytes,
            at: brace.checked_add(1)?,
        };
        after.space();
        (after.peek() == Some(b',')).then_some(after.at)
    }

    /// The points before `comma` read on this thread and those after it on another, this
    /// cursor left after the last; all on this thread where no other starts.
    fn in_halves(&mut self, comma: usize, points: &mut Vec<Observation>) -> Option<()> {
        let bytes = self.bytes;
        let start = self.at;
        std::thread::scope(|scope| {
            let helper = std::thread::Builder::new()
                .name("points".into())
                .spawn_scoped(scope, move || {
                    let mut after = Cursor {
                        bytes,
                        at: comma.saturating_add(1),
                    };
                    let mut theirs = Vec::with_capacity(after.room());
                    after.points(&mut theirs).map(|()| (theirs, after.at))
                });
            let Ok(helper) = helper else {
                return self.points(points);
            };
            let mut before = Cursor {
                bytes: bytes.get(..comma)?,
                at: start,
            };
            let mine = before.points(points).filter(|()| before.finished());
            let (theirs, end) = helper.join().ok()??;
            mine?;
            points.extend_from_slice(&theirs);
            self.at = end;
            Some(())
        })
    }

    /// `{"value": n}` or `{"date": "YYYY-MM-DD", "value": n}`, the keys in either order.
    fn point(&mut self) -> Option<Observation> {
        self.expect(b'{')?;
        let mut value = None;
        let mut date = None;
        loop {
            self.space();
            if self.word(b"\"value\"") {
                self.expect(b':')?;
                self.space();
                value.is_none().then_some(())?;
                value = Some(self.number()?);
            } else if self.word(b"\"date\"") {
                self.expect(b':')?;
                self.space();
                date.is_none().then_some(())?;
                date = Some(self.date()?);
            } else {
                return None;
            }
            self.space();
            match self.peek()? {
                b',' => self.bump(),
                b'}' => {
                    self.bump();
                    let value = value?;
                    return Some(match date {
                        Some(date) => Observation::dated(date, value),
                        None => Observation::new(value),
                    });
                }
                _ => return None,
            }
        }
    }

    /// A JSON number as the nearest `f64`; `None` outside JSON's grammar or `f64`'s range.
    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.bump();
        }
        // The digits before and after any decimal point, as one integer while it is exact;
        // JSON allows no leading zero.
        let leading_zero = self.peek() == Some(b'0');
        let (whole, mut significand) = self.digits(0);
        if whole == 0 || (leading_zero && whole > 1) {
            return None;
        }
        let mut significant = whole;
        let mut decimals = 0usize;
        if self.peek() == Some(b'.') {
            self.bump();
            (decimals, significand) = self.digits(significand);
            (decimals > 0).then_some(())?;
            significant = significant.saturating_add(decimals);
        }
        let mut exponent = false;
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            (self.digits(0).0 > 0).then_some(())?;
            exponent = true;
        }
        // Up to 15 digits make an integer below 2^53, exact in an f64, and a power of ten up
        // to 10^15 is exact too, so one division rounds correctly (Clinger's fast path).
        if !exponent && significant <= 15 {
            #[allow(clippy::cast_precision_loss)] // below 10^15, exact
            let mut magnitude = significand as f64;
            if decimals > 0 {
                magnitude /= POWERS_OF_TEN.get(decimals).copied()?;
            }
            return Some(if negative { -magnitude } else { magnitude });
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        let value: f64 = text.parse().ok()?;
        value.is_finite().then_some(value)
    }

    /// Consumes a run of digits: how many, and `before` with them appended (wrapping past
    /// 19 digits, where only the count is used).
    fn digits(&mut self, before: u64) -> (usize, u64) {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let count = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let value = rest.iter().take(count).fold(before, |n, &d| {
            n.wrapping_mul(10)
                .wrapping_add(u64::from(d.wrapping_sub(b'0')))
        });
        self.at = self.at.saturating_add(count);
        (count, value)
    }

    /// `"YYYY-MM-DD"` by [`parse_date`]'s rule: four, two and two digits between dashes, a
    /// day of the calendar. A date with escapes is not read here.
    fn date(&mut self) -> Option<NaiveDate> {
        let end = self.at.checked_add(12)?;
        let quoted: &[u8; 12] = self.bytes.get(self.at..end)?.try_into().ok()?;
        let [b'"', y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'"'] = *quoted else {
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
        let date = NaiveDate::from_ymd_opt(year, number(&[m1, m2])?, number(&[d1, d2])?)?;
        self.at = end;
        Some(date)
    }
}

/// Exact powers of ten as `f64`, 10^0 to 10^15.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

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
        split(&format!("{{\"values\":{array}}}")).map(|s| s.points)
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
    fn numbers_in_json_grammar_read_as_serde_reads_them() {
        for n in [
            "0",
            "-0",
            "-0.0",
            "0.0",
            "1.5",
            "-2.25",
            "87",
            "123456789012345",
            "1234567890123456",
            "12345678901234567890123",
            "0.1",
            "0.30000000000000004",
            "123456.789012345",
            "0.000000000000001",
            "0.0000000000000001",
            "1e5",
            "1E-5",
            "-1e+2",
            "1.5e3",
            "1.7976931348623157e308",
            "4.9e-324",
            "1e-400",
            "2.2250738585072011e-308",
            "9007199254740993",
        ] {
            agrees(&format!("[{{\"value\":{n}}}]"));
        }
    }

    #[test]
    fn numbers_outside_json_grammar_or_range_are_declined() {
        for n in [
            "01", "-01", "00", "1.", "-", ".5", "+1", "1e", "1e+", "1.e5", "1e309", "-1e309",
            "Infinity", "NaN", "1.5x", "0x10", "1_0", "\"1\"", "null", "true",
        ] {
            let array = format!("[{{\"value\":{n}}}]");
            assert!(here(&array).is_none(), "{array}");
        }
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

    #[test]
    fn the_rest_holds_the_mark_in_place_of_the_points() {
        let text = r#"{"title": "t", "values" : [{"value": 1}], "options": {}}"#;
        let s = split(text).unwrap();
        assert_eq!(
            s.rest,
            r#"{"title": "t", "values" : "\u0000", "options": {}}"#
        );
        assert_eq!(bits(&s.points), bits(&[Observation::new(1.0)]));
        let marked: std::collections::BTreeMap<String, Marker> =
            serde_json::from_str(r#"{"values": "\u0000"}"#).unwrap();
        assert!(marked["values"].found());
        assert!(serde_json::from_str::<Marker>(r#""values""#).is_err());
        assert!(serde_json::from_str::<Marker>("[]").is_err());
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
        assert!(array.len() > PARALLEL_FROM);
        let cursor = Cursor {
            bytes: array.as_bytes(),
            at: 1,
        };
        assert!(cursor.cut().is_some());
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
