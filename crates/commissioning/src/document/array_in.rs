//! The long array of a document, read apart from the rest by a parser of its items' common
//! shape.
//!
//! A million SPC points or strategies are a million small objects, and `serde` spent as long
//! scanning them as building them. [`split`] finds the array of a key (`"values":`,
//! `"strategies":`) in the document's outermost object, reads its items with a reader of their common shape
//! (on two threads, a half each, when the array is long), and returns them with the rest of
//! the document, in which a mark stands in the array's place. The caller reads that rest
//! through `serde` into its document type with a [`Marker`] as the array's field, which
//! accepts the mark and nothing else. So when both readings succeed, the document is valid
//! JSON whose array is exactly the one read here, however it was found; when either fails,
//! the caller reads the whole document through `serde` alone, which names the fault exactly
//! as before.
//!
//! The readers read nothing but the common shape and decline anything else: another key, a
//! repeated or missing key, a string with escapes or control characters, a number outside
//! JSON's grammar or beyond the range of `f64`. Numbers go through the standard library's
//! correctly rounded parsing (what `serde_json` gives with `float_roundtrip`), or, where they
//! have at most 15 digits and no exponent, through the one division that rounds them the same
//! way. Tests check the agreement with `serde` bit for bit.

use serde::{Deserialize, Deserializer};

/// What stands in the rest of the document for the array read here: a JSON string of one
/// NUL character, which no document's array can validly hold.
const MARK: &str = r#""\u0000""#;

/// The fewest bytes of items worth a second thread.
pub(crate) const PARALLEL_FROM: usize = 1 << 20;

/// The items of a document's array, and the rest of its text with the mark in their place.
pub(crate) struct Split<T> {
    pub(crate) items: Vec<T>,
    pub(crate) rest: String,
}

/// How to read one kind of item.
pub(crate) struct Items<T> {
    /// The key whose array holds them, in quotes: `"values"`.
    pub(crate) key: &'static str,
    /// The fewest bytes an item takes, which bounds the items a text can hold.
    pub(crate) shortest: usize,
    /// Reads one item, or `None` where it is not of the common shape.
    pub(crate) read: fn(&mut Cursor<'_>) -> Option<T>,
}

/// Reads the array of `items.key` in the outermost object of `text` with `items`; `None` where
/// there is none or it is not of the common shape.
pub(crate) fn split<T: Send>(text: &str, items: &Items<T>) -> Option<Split<T>> {
    let start = array_after_key(text, items.key)?;
    let mut at = Cursor { text, at: start };
    let read = at.array(items)?;
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
    Some(Split { items: read, rest })
}

/// Where the array of `key` in the document's outermost object begins, after its colon and
/// any whitespace: the text is walked from the start, strings and nested values passed over,
/// until the key is met at depth one (so a key of the same name in a nested object, or in a
/// string, is not taken). `None` where it is not met or its value is not an array.
fn array_after_key(text: &str, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => {
                let end = string_end(bytes, at)?;
                if depth == 1 && bytes.get(at..=end) == Some(key.as_bytes()) {
                    let mut after = Cursor {
                        text,
                        at: end.saturating_add(1),
                    };
                    if after.expect(b':').is_some() {
                        after.space();
                        return (after.peek() == Some(b'[')).then_some(after.at);
                    }
                }
                at = end;
            }
            b'{' | b'[' => depth = depth.saturating_add(1),
            b'}' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        at = at.saturating_add(1);
    }
    None
}

/// The position of the quote that closes the string opening at `start`, escapes passed over.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start.saturating_add(1);
    loop {
        match bytes.get(at)? {
            b'\\' => at = at.saturating_add(2),
            b'"' => return Some(at),
            _ => at = at.saturating_add(1),
        }
    }
}

/// A document's array in the rest of its text: present only where the mark stands.
#[derive(Default)]
pub(crate) struct Marker(bool);

impl Marker {
    /// Whether the mark stood in the document's own array.
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
            Err(serde::de::Error::custom("not the mark of items read apart"))
        }
    }
}

/// An empty list with room for `count` items, or `None` where the system refuses the memory
/// (the document is then read by `serde`, which grows its list as it reads). The room is at
/// most the text's length over an item's shortest length: about one and a half times the
/// text's size for the items read here.
fn reserved<T>(count: usize) -> Option<Vec<T>> {
    let mut list = Vec::new();
    list.try_reserve_exact(count).ok()?;
    Some(list)
}

/// A position in the text.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn bump(&mut self) {
        self.at = self.at.saturating_add(1);
    }

    /// Skips JSON's whitespace.
    pub(crate) fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.bump();
        }
    }

    /// Consumes `expected` after any whitespace.
    pub(crate) fn expect(&mut self, expected: u8) -> Option<()> {
        self.space();
        (self.peek() == Some(expected)).then(|| self.bump())
    }

    /// Whether only whitespace remains.
    fn finished(&mut self) -> bool {
        self.space();
        self.at == self.text.len()
    }

    /// Consumes `word` exactly, if it comes next.
    pub(crate) fn word(&mut self, word: &[u8]) -> bool {
        let end = self.at.saturating_add(word.len());
        if self.bytes().get(self.at..end) == Some(word) {
            self.at = end;
            return true;
        }
        false
    }

    /// The members of an object after `{`, each read by `member` once its key and colon are
    /// consumed, up to and including `}`; `member` returns `None` for a key it does not take
    /// (or takes a second time).
    pub(crate) fn object(&mut self, mut member: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        loop {
            self.space();
            member(self)?;
            self.space();
            match self.peek()? {
                b',' => self.bump(),
                b'}' => {
                    self.bump();
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The value after `"key":` when `key` comes next, with the colon and whitespace
    /// consumed; `false` where another key comes.
    pub(crate) fn key(&mut self, key: &[u8]) -> Option<bool> {
        if !self.word(key) {
            return Some(false);
        }
        self.expect(b':')?;
        self.space();
        Some(true)
    }

    /// `[`, items separated by commas, `]`: room is made at the start for as many items as
    /// the rest of the text could hold, so the list never moves as it grows. A long array is
    /// read in two halves on two threads, and read again whole if that fails (the cut may
    /// have fallen inside a string).
    fn array<T: Send>(&mut self, items: &Items<T>) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let mut read = reserved(self.room(items.shortest))?;
        if self.expect(b']').is_some() {
            return Some(read);
        }
        let start = self.at;
        let halves = self
            .cut()
            .and_then(|comma| self.in_halves(comma, items, &mut read));
        if halves.is_none() {
            read.clear();
            self.at = start;
            self.items(items.read, &mut read)?;
        }
        self.expect(b']')?;
        Some(read)
    }

    /// The most items of `shortest` bytes the rest of the text could hold.
    fn room(&self, shortest: usize) -> usize {
        self.text
            .len()
            .saturating_sub(self.at)
            .checked_div(shortest)
            .unwrap_or(0)
    }

    /// Items separated by commas, up to whatever follows the last.
    fn items<T>(
        &mut self,
        item: fn(&mut Cursor<'_>) -> Option<T>,
        read: &mut Vec<T>,
    ) -> Option<()> {
        loop {
            self.space();
            read.push(item(self)?);
            self.space();
            if self.peek() != Some(b',') {
                return Some(());
            }
            self.bump();
        }
    }

    /// Where a long run of items can be cut in two: the comma after the first `}` past the
    /// middle of the rest of the text. (If that brace does not end an item, the first half
    /// cannot end at it, and fails to read.)
    fn cut(&self) -> Option<usize> {
        let rest = self.text.len().saturating_sub(self.at);
        if rest < PARALLEL_FROM {
            return None;
        }
        let middle = self.at.saturating_add(rest / 2);
        let brace = self
            .bytes()
            .get(middle..)?
            .iter()
            .position(|&b| b == b'}')
            .and_then(|k| middle.checked_add(k))?;
        let mut after = Cursor {
            text: self.text,
            at: brace.checked_add(1)?,
        };
        after.space();
        (after.peek() == Some(b',')).then_some(after.at)
    }

    /// The items before `comma` read on this thread and those after it on another, this
    /// cursor left after the last; all on this thread where no other starts.
    fn in_halves<T: Send>(
        &mut self,
        comma: usize,
        items: &Items<T>,
        read: &mut Vec<T>,
    ) -> Option<()> {
        let text = self.text;
        let start = self.at;
        let item = items.read;
        let shortest = items.shortest;
        std::thread::scope(|scope| {
            let helper = std::thread::Builder::new()
                .name("items".into())
                .spawn_scoped(scope, move || {
                    let mut after = Cursor {
                        text,
                        at: comma.saturating_add(1),
                    };
                    let mut theirs = reserved(after.room(shortest))?;
                    after.items(item, &mut theirs).map(|()| (theirs, after.at))
                });
            let Ok(helper) = helper else {
                return self.items(item, read);
            };
            let mut before = Cursor {
                text: text.get(..comma)?,
                at: start,
            };
            let mine = before.items(item, read).filter(|()| before.finished());
            let (theirs, end) = helper.join().ok()??;
            mine?;
            read.extend(theirs);
            self.at = end;
            Some(())
        })
    }

    /// A string without escapes or control characters, as written between its quotes.
    pub(crate) fn plain_string(&mut self) -> Option<&'a str> {
        (self.peek() == Some(b'"')).then_some(())?;
        let start = self.at.saturating_add(1);
        let length = self
            .bytes()
            .get(start..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        let end = start.checked_add(length)?;
        (self.bytes().get(end) == Some(&b'"')).then_some(())?;
        self.at = end.saturating_add(1);
        self.text.get(start..end)
    }

    /// A JSON number as the nearest `f64`; `None` outside JSON's grammar or `f64`'s range.
    pub(crate) fn number(&mut self) -> Option<f64> {
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
        let value: f64 = self.text.get(start..self.at)?.parse().ok()?;
        value.is_finite().then_some(value)
    }

    /// Consumes a run of digits: how many, and `before` with them appended (wrapping past
    /// 19 digits, where only the count is used).
    fn digits(&mut self, before: u64) -> (usize, u64) {
        let rest = self.bytes().get(self.at..).unwrap_or_default();
        let count = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let value = rest.iter().take(count).fold(before, |n, &d| {
            n.wrapping_mul(10)
                .wrapping_add(u64::from(d.wrapping_sub(b'0')))
        });
        self.at = self.at.saturating_add(count);
        (count, value)
    }
}

/// Exact powers of ten as `f64`, 10^0 to 10^15.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Bare numbers, for the tests of the number grammar.
    const NUMBERS: Items<f64> = Items {
        key: "\"n\"",
        shortest: 1,
        read: number,
    };

    fn number(at: &mut Cursor<'_>) -> Option<f64> {
        at.number()
    }

    fn here(array: &str) -> Option<Vec<f64>> {
        split(&format!("{{\"n\":{array}}}"), &NUMBERS).map(|s| s.items)
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
            let array = format!("[{n}, {n}]");
            let read = here(&array).unwrap_or_else(|| panic!("declined {n}"));
            let expected: Vec<f64> = serde_json::from_str(&array).unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&read), bits(&expected), "{n}");
        }
    }

    #[test]
    fn numbers_outside_json_grammar_or_range_are_declined() {
        for n in [
            "01", "-01", "00", "1.", "-", ".5", "+1", "1e", "1e+", "1.e5", "1e309", "-1e309",
            "Infinity", "NaN", "1.5x", "0x10", "1_0", "\"1\"", "null", "true",
        ] {
            assert!(here(&format!("[{n}]")).is_none(), "{n}");
        }
    }

    #[test]
    fn plain_strings_are_read_and_others_declined() {
        let read = |s: &str| {
            let mut c = Cursor { text: s, at: 0 };
            c.plain_string().map(|t| (t.to_owned(), c.at))
        };
        assert_eq!(read(r#""abc" "#), Some(("abc".to_owned(), 5)));
        assert_eq!(read(r#""" "#), Some((String::new(), 2)));
        assert_eq!(read("\"£é–\""), Some(("£é–".to_owned(), 9)));
        for declined in [
            r#""a\"b""#,
            r#""a\\""#,
            "\"a\tb\"",
            "\"a\u{1}\"",
            "\"abc",
            "abc\"",
        ] {
            assert_eq!(read(declined), None, "{declined}");
        }
    }

    /// `{"s": "…"}` objects, the string read whole.
    const OBJECTS: Items<String> = Items {
        key: "\"n\"",
        shortest: 1,
        read: object,
    };

    fn object(at: &mut Cursor<'_>) -> Option<String> {
        let mut s = None;
        at.object(|at| {
            at.key(b"\"s\"")?.then_some(())?;
            s = Some(at.plain_string()?.to_owned());
            Some(())
        })?;
        s
    }

    #[test]
    fn a_long_array_cut_inside_a_string_is_read_whole() {
        // Strings holding `}, ` put a false cut wherever the middle falls just before one.
        let mut cut_inside = 0;
        for count in 60_000..60_040 {
            let items: Vec<String> = (0..count)
                .map(|i| format!("{{\"s\": \"{i} }}, {{\"}}"))
                .collect();
            let text = format!("{{\"n\": [{}]}}", items.join(","));
            let array_start = text.find('[').unwrap();
            let cursor = Cursor {
                text: &text,
                at: array_start + 1,
            };
            let comma = cursor.cut().unwrap();
            // A real cut is followed by the next item's opening brace.
            if !text[comma + 1..].starts_with("{\"s\"") {
                cut_inside += 1;
            }
            let read = split(&text, &OBJECTS).unwrap().items;
            let expected: Vec<String> = (0..count).map(|i| format!("{i} }}, {{")).collect();
            assert_eq!(read, expected, "{count}");
        }
        assert!(cut_inside > 0);
    }

    #[test]
    fn the_rest_holds_the_mark_in_place_of_the_array() {
        let text = r#"{"title": "t", "n" : [1, 2], "options": {}}"#;
        let s = split(text, &NUMBERS).unwrap();
        assert_eq!(s.rest, r#"{"title": "t", "n" : "\u0000", "options": {}}"#);
        assert_eq!(s.items, [1.0, 2.0]);
        let marked: std::collections::BTreeMap<String, Marker> =
            serde_json::from_str(r#"{"n": "\u0000"}"#).unwrap();
        assert!(marked["n"].found());
        assert!(serde_json::from_str::<Marker>(r#""n""#).is_err());
        assert!(serde_json::from_str::<Marker>("[]").is_err());
        assert!(split(r#"{"n": null}"#, &NUMBERS).is_none());
        // The outermost key only, past strings (with escapes) and nested objects of that name.
        let nested = r#"{"t": "\"n\": [9]", "s": [{"n": [8]}, {"n": 7}], "n": [1]}"#;
        let s = split(nested, &NUMBERS).unwrap();
        assert_eq!(s.items, [1.0]);
        assert_eq!(
            s.rest,
            r#"{"t": "\"n\": [9]", "s": [{"n": [8]}, {"n": 7}], "n": "\u0000"}"#
        );
        assert!(split(r#"{"s": {"n": [1]}}"#, &NUMBERS).is_none());
        assert!(split(r#"{"n" [1]}"#, &NUMBERS).is_none());
        assert!(split(r#"{"t": "unclosed, "n": [1]"#, &NUMBERS).is_none());
        assert!(split(r#"{"m": [1]}"#, &NUMBERS).is_none());
    }
}
