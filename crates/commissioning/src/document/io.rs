//! Reading input documents and reporting errors with the path of the offending value.

use serde::de::DeserializeOwned;
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor,
};
use std::fmt;
use std::io::Read as _;

/// Why a document was refused, or could not be read or written.
///
/// Every front door shows it the same way: the command as one line (`error: path: message`)
/// with exit status 2 for [`DocumentError::Input`] and 1 for [`DocumentError::Io`]; the Python
/// package as a `commissioning.Error` with the same path, kind and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// The input is malformed or breaks a rule.
    Input {
        /// The document path of the offending value (`agreement.gain.bands[1].rate`), or empty
        /// when the message itself starts with the field it names.
        path: String,
        /// What is wrong, in the document's terms.
        message: String,
        /// What kind of rejection it is.
        kind: ErrorKind,
    },
    /// Anything else: a file that cannot be read or written.
    Io(String),
}

/// What kind of rejection an input error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed, missing or inconsistent input.
    InvalidInput,
    /// A value outside the range a rule defines, or a result beyond the largest number.
    OutOfRange,
    /// A quantity the rule cannot define for this input (a division by zero, no variance).
    Undefined,
}

impl ErrorKind {
    /// The kind's name as the command's `--errors json` and Python's `Error.kind` give it:
    /// `invalid_input`, `out_of_range` or `undefined`.
    pub fn name(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::OutOfRange => "out_of_range",
            Self::Undefined => "undefined",
        }
    }
}

/// An error the command reports as an input error, with its kind.
pub trait Classified: fmt::Display {
    /// The kind of rejection; invalid input unless the error says otherwise.
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
}

impl Classified for String {}
impl Classified for &str {}
impl Classified for serde_json::Error {}

impl Classified for commissioning::model::ModelError {
    fn kind(&self) -> ErrorKind {
        use commissioning::model::ModelError as E;
        match self {
            E::Overflow { .. } | E::OutOfRange { .. } => ErrorKind::OutOfRange,
            E::DivisionByZero { .. } => ErrorKind::Undefined,
            _ => ErrorKind::InvalidInput,
        }
    }
}

impl Classified for commissioning::risk::RiskError {
    fn kind(&self) -> ErrorKind {
        use commissioning::risk::RiskError as E;
        match self {
            E::Model(m) => m.kind(),
            E::OutOfRange { .. } => ErrorKind::OutOfRange,
            _ => ErrorKind::InvalidInput,
        }
    }
}

impl Classified for commissioning::priority::PriorityError {
    fn kind(&self) -> ErrorKind {
        use commissioning::priority::PriorityError as E;
        match self {
            E::Model(m) => m.kind(),
            E::OutOfRange { .. } => ErrorKind::OutOfRange,
            E::Undefined { .. } => ErrorKind::Undefined,
            _ => ErrorKind::InvalidInput,
        }
    }
}

impl Classified for commissioning::monitor::MonitorError {
    fn kind(&self) -> ErrorKind {
        match self {
            commissioning::monitor::MonitorError::Model(m) => m.kind(),
            _ => ErrorKind::InvalidInput,
        }
    }
}

impl Classified for commissioning::compare::CompareError {
    fn kind(&self) -> ErrorKind {
        match self.kind() {
            "out_of_range" => ErrorKind::OutOfRange,
            "undefined" => ErrorKind::Undefined,
            _ => ErrorKind::InvalidInput,
        }
    }
}

impl DocumentError {
    /// An input error at `path`.
    pub fn input(path: impl Into<String>, message: impl fmt::Display) -> Self {
        Self::Input {
            path: path.into(),
            message: message.to_string(),
            kind: ErrorKind::InvalidInput,
        }
    }

    /// A library error: its message already names the field.
    #[allow(clippy::needless_pass_by_value)] // by value, to serve as `map_err(DocumentError::rule)`
    pub fn rule(e: impl Classified) -> Self {
        Self::Input {
            path: String::new(),
            message: e.to_string(),
            kind: e.kind(),
        }
    }

    /// The error as one line of JSON for a program: `{"error": {"kind", "path", "message"}}`,
    /// the path taken from the front of a library's message where it names the field.
    pub fn to_json_line(&self) -> String {
        let (kind, path, message) = self.parts();
        serde_json::json!({"error": {"kind": kind, "path": path, "message": message}}).to_string()
    }

    /// The error's kind (`invalid_input`, `out_of_range`, `undefined`, or `io`), the path of
    /// the value it names (taken from the front of a library's message where the error has no
    /// path of its own; empty when it names none) and the message on one line.
    pub fn parts(&self) -> (&'static str, String, String) {
        let (kind, path, message) = match self {
            Self::Input {
                path,
                message,
                kind,
            } if path.is_empty() || path == "." => match leading_field(message) {
                Some((field, rest)) => (kind.name(), field.to_owned(), rest.to_owned()),
                None => (kind.name(), String::new(), message.clone()),
            },
            Self::Input {
                path,
                message,
                kind,
            } => (kind.name(), path.clone(), message.clone()),
            Self::Io(message) => ("io", String::new(), message.clone()),
        };
        (kind, path, one_line(&message))
    }

    /// A library error about a part of the document: the field it names (`outturn`) becomes
    /// the document's path (`input.outturn`) when `within` says which part it is in (`None`
    /// leaves the message as it is); an arithmetic overflow, which names no field, is put at
    /// `within("")`.
    #[allow(clippy::needless_pass_by_value)] // by value, like `rule`
    pub(crate) fn rule_in(
        within: impl Fn(&str) -> Option<&'static str>,
        e: impl Classified,
    ) -> Self {
        let kind = e.kind();
        let message = e.to_string();
        let field = leading_field(&message).map(|(f, _)| f);
        // An overflow names no field: it is put at the part of the document whose amounts
        // it came from (`within("")`).
        if field.is_none()
            && message.starts_with("arithmetic overflow")
            && let Some(part) = within("")
        {
            return Self::Input {
                path: part.to_owned(),
                message,
                kind,
            };
        }
        let prefix = field.and_then(|f| within(f.split(['.', '[']).next().unwrap_or(f)));
        let message = match prefix {
            Some(prefix) => format!("{prefix}.{message}"),
            None => message,
        };
        Self::Input {
            path: String::new(),
            message,
            kind,
        }
    }

    /// The error inside a part of the document: its path, or the field its message starts
    /// with, put under `part` (`values[3]` → `series[1].values[3]`).
    pub fn within(self, part: &str) -> Self {
        match self {
            Self::Input {
                path,
                message,
                kind,
            } if path.is_empty() || path == "." => {
                let message = match leading_field(&message) {
                    Some((field, rest)) => format!("{part}.{field}: {rest}"),
                    None => format!("{part}: {message}"),
                };
                Self::Input {
                    path: String::new(),
                    message,
                    kind,
                }
            }
            Self::Input {
                path,
                message,
                kind,
            } => Self::Input {
                path: format!("{part}.{path}"),
                message,
                kind,
            },
            other => other,
        }
    }

    /// The command's exit status for it: 2 for input, 1 for a file.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Input { .. } => 2,
            Self::Io(_) => 1,
        }
    }
}

/// `field: reason` split where a message starts with a field's path.
pub fn leading_field(message: &str) -> Option<(&str, &str)> {
    message.split_once(": ").filter(|(f, _)| {
        !f.is_empty()
            && f.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
    })
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input { path, message, .. } if path.is_empty() || path == "." => {
                write!(f, "{}", one_line(message))
            }
            Self::Input { path, message, .. } => {
                write!(f, "{}: {}", escape_controls(path), one_line(message))
            }
            Self::Io(message) => write!(f, "{}", one_line(message)),
        }
    }
}

/// The message on one line, with any control character left escaped: text quoted from a
/// document (a key with a newline in it) can neither split the line nor drive the terminal.
fn one_line(s: &str) -> String {
    escape_controls(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Control characters as `\u{..}` escapes.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The largest document read by default: 256 MiB. `COMMISSIONING_MAX_INPUT` (bytes) changes it.
pub const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// The input limit in force.
pub fn max_input() -> u64 {
    std::env::var("COMMISSIONING_MAX_INPUT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(MAX_INPUT)
}

/// Reads a whole document from a file, or from standard input for `-`: refused at once when it
/// is larger than the input limit, and when it is not UTF-8 (naming the byte offset).
///
/// # Errors
///
/// [`DocumentError::Input`] for a document over the limit or not UTF-8;
/// [`DocumentError::Io`] when the file cannot be read.
pub fn read(source: &str, stdin: &mut dyn std::io::Read) -> Result<String, DocumentError> {
    let limit = max_input();
    let mut bytes = Vec::new();
    let result = if source == "-" {
        stdin.take(limit.saturating_add(1)).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(source).and_then(|f| {
            if let Ok(meta) = f.metadata()
                && meta.is_file()
            {
                if meta.len() > limit {
                    return Err(std::io::Error::other(TooLarge(meta.len())));
                }
                let len = usize::try_from(meta.len()).unwrap_or(0);
                if let Some(read) = read_in_halves(&f, len) {
                    bytes = read?;
                    return Ok(len);
                }
                // Room for the whole file and the read that finds its end, so that the buffer
                // is never regrown and copied (the size is within the input limit).
                bytes.reserve_exact(len.saturating_add(1));
            }
            f.take(limit.saturating_add(1)).read_to_end(&mut bytes)
        })
    };
    match result {
        Ok(_) => {}
        Err(e) if e.get_ref().is_some_and(|inner| inner.is::<TooLarge>()) => {
            return Err(too_large(source, limit));
        }
        Err(e) => return Err(DocumentError::Io(format!("cannot read {source}: {e}"))),
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(too_large(source, limit));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        DocumentError::input(
            "input",
            format!(
                "{source} is not UTF-8 text: invalid byte at offset {at}; save the file as UTF-8"
            ),
        )
    })?;
    remember(&text);
    Ok(text)
}

/// Files from this size are read in two halves at once ([`read_in_halves`]).
const HALVES_FROM: usize = 8 << 20;

/// A large regular file of `len` bytes (its size, already within the input limit) read on two
/// threads, each half into its own part of one buffer: copying from the page cache and first
/// touching each page of the buffer are then shared between two cores (for 53 MB, about half
/// of the reading). `None` for a small file, where no second thread can be started, or where
/// the file is not `len` bytes long by the end; the caller then reads it the plain way, which
/// enforces the limit on whatever the file holds.
#[cfg(unix)]
fn read_in_halves(file: &std::fs::File, len: usize) -> Option<std::io::Result<Vec<u8>>> {
    use std::os::unix::fs::FileExt;
    if len < HALVES_FROM {
        return None;
    }
    let mut bytes = vec![0u8; len];
    let middle = len / 2;
    let (first, second) = bytes.split_at_mut(middle);
    let second_at = u64::try_from(middle).ok()?;
    let outcome = std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .name("read".into())
            .spawn_scoped(scope, || file.read_exact_at(second, second_at))
            .ok()?;
        let mine = file.read_exact_at(first, 0);
        let theirs = other.join().ok()?;
        Some(mine.and(theirs))
    })?;
    match outcome {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return None,
        Err(e) => return Some(Err(e)),
    }
    // Nothing after the end the size gave.
    let mut after = [0u8; 1];
    match file.read_at(&mut after, u64::try_from(len).ok()?) {
        Ok(0) => Some(Ok(bytes)),
        _ => None,
    }
}

#[cfg(not(unix))]
fn read_in_halves(_: &std::fs::File, _: usize) -> Option<std::io::Result<Vec<u8>>> {
    None
}

/// Documents up to this size are kept for naming items by id in an error's path; a larger
/// one keeps index paths, so that an error costs no second copy of a large document.
const ID_PATHS_LIMIT: usize = 1 << 22;

thread_local! {
    /// The last document read, when small enough, for [`with_ids`].
    static LAST_DOCUMENT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps `text` (when small enough) so that an error's path can name the items along it by
/// their ids ([`with_ids`]).
pub fn remember(text: &str) {
    LAST_DOCUMENT.with(|last| {
        *last.borrow_mut() = (text.len() <= ID_PATHS_LIMIT).then(|| text.to_owned());
    });
}

/// Forgets the last document (at the start of a run).
pub fn forget() {
    LAST_DOCUMENT.with(|last| *last.borrow_mut() = None);
}

/// An error whose path passes through items that have an `id` in the document names them by
/// it: `options[2].cost` becomes `options[id=telecare].cost`.
pub fn with_ids(e: DocumentError) -> DocumentError {
    let DocumentError::Input {
        path,
        message,
        kind,
    } = e
    else {
        return e;
    };
    let doc = LAST_DOCUMENT.with(|last| {
        let field = if !path.is_empty() && path != "." {
            path.as_str()
        } else {
            leading_field(&message).map_or("", |(field, _)| field)
        };
        last.borrow()
            .as_deref()
            .and_then(|t| ids_on_path(t, &path_steps(field)?))
    });
    let Some(doc) = doc else {
        return DocumentError::Input {
            path,
            message,
            kind,
        };
    };
    if !path.is_empty() && path != "." {
        return DocumentError::Input {
            path: id_path(&doc, &path),
            message,
            kind,
        };
    }
    let message = match leading_field(&message) {
        Some((field, rest)) => format!("{}: {rest}", id_path(&doc, field)),
        None => message,
    };
    DocumentError::Input {
        path,
        message,
        kind,
    }
}

/// What [`id_path`] reads of a document for `steps`: the values along the path, and for each
/// list on it the `id` of every item (an object holding only its string `id`, or `null`), and
/// nothing else, so that naming an error's items by id costs no copy of the whole document.
fn ids_on_path(text: &str, steps: &[Step<'_>]) -> Option<serde_json::Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    Pruned {
        steps,
        with_id: false,
    }
    .deserialize(&mut de)
    .ok()
}

/// A value read for [`ids_on_path`]: the rest of the path to follow, and whether its own `id`
/// is wanted (an item of a list on the path).
struct Pruned<'s, 'a> {
    steps: &'s [Step<'a>],
    with_id: bool,
}

impl<'de> DeserializeSeed<'de> for Pruned<'_, '_> {
    type Value = serde_json::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Pruned<'_, '_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kept = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match self.steps.split_first() {
                Some((Step::Key(k), rest)) if key == *k => map.next_value_seed(Pruned {
                    steps: rest,
                    with_id: false,
                })?,
                _ if self.with_id && key == "id" => map.next_value_seed(Pruned {
                    steps: &[],
                    with_id: false,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            kept.insert(key, value);
        }
        Ok(serde_json::Value::Object(kept))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Some((Step::Index(wanted), rest)) = self.steps.split_first() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(serde_json::Value::Null);
        };
        let mut items = Vec::new();
        loop {
            let steps = if items.len() == *wanted { rest } else { &[] };
            let item = Pruned {
                steps,
                with_id: true,
            };
            match seq.next_element_seed(item)? {
                // An item at the path's end or off it is kept only for its id.
                Some(item)
                    if steps.is_empty()
                        && !item.as_object().is_some_and(|m| m.contains_key("id")) =>
                {
                    items.push(serde_json::Value::Null);
                }
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(serde_json::Value::Array(items))
    }
}

/// `path` with each index of an item that has an `id` replaced by the id.
fn id_path(doc: &serde_json::Value, path: &str) -> String {
    let Some(steps) = path_steps(path) else {
        return path.to_owned();
    };
    let mut out = String::with_capacity(path.len());
    let mut at = Some(doc);
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
                at = at.and_then(|v| v.get(k));
            }
            Step::Index(i) => {
                let list = at;
                at = at.and_then(|v| v.get(i));
                let id = at
                    .and_then(|v| v.get("id"))
                    .and_then(serde_json::Value::as_str)
                    .filter(|id| {
                        // An id shared by several items names none of them.
                        list.and_then(serde_json::Value::as_array)
                            .is_some_and(|items| {
                                items
                                    .iter()
                                    .filter(|x| {
                                        x.get("id").and_then(serde_json::Value::as_str) == Some(id)
                                    })
                                    .nth(1)
                                    .is_none()
                            })
                    });
                match id {
                    Some(id)
                        if !id.is_empty()
                            && id
                                .chars()
                                .all(|c| c.is_alphanumeric() || " _-.:/".contains(c)) =>
                    {
                        out.push_str(&format!("[id={id}]"));
                    }
                    Some(id) => out.push_str(&format!("[id={}]", serde_json::Value::from(id))),
                    None => out.push_str(&format!("[{i}]")),
                }
            }
        }
    }
    out
}

#[derive(Debug)]
struct TooLarge(u64);

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

fn too_large(source: &str, limit: u64) -> DocumentError {
    DocumentError::input(
        "input",
        format!(
            "{source} is larger than the input limit of {limit} bytes; set COMMISSIONING_MAX_INPUT to a larger number of bytes to raise it"
        ),
    )
}

/// Parses a document, naming the path of the first offending value.
///
/// A document is read first without keeping the path of each value; only a document that
/// fails is read again with its path kept, to name the offending value. The two readings
/// apply the same rules, so a document fails both or neither.
///
/// # Errors
///
/// [`DocumentError::Input`] naming the path of the first value that does not fit `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    if let Some(value) = parse_quickly(text, |de| T::deserialize(de)) {
        return Ok(value);
    }
    parse_with(text, |de| serde_path_to_error::deserialize(de))
}

/// The document as `T`, which may borrow from its text, or `None` on any error (for a
/// quick first reading that falls back to [`parse`]).
pub(crate) fn parse_borrowed<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// The document read by `read` with nothing following it, or `None` on any error.
fn parse_quickly<T>(
    text: &str,
    read: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    ) -> Result<T, serde_json::Error>,
) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = read(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Parses a document with `read`, naming the path of the first offending value, and checks
/// that nothing follows it.
fn parse_with<T>(
    text: &str,
    read: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    ) -> Result<T, serde_path_to_error::Error<serde_json::Error>>,
) -> Result<T, DocumentError> {
    if text.trim().is_empty() {
        return Err(DocumentError::input(
            "input",
            "the document is empty; expected a JSON object",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = read(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() && path != "." && !path.contains('?') {
            return DocumentError::input(path, strip_position(&inner.to_string()));
        }
        if inner.is_eof() || inner.is_syntax() {
            // Not valid JSON: the line and column locate the problem better than a path.
            let what = if inner.is_eof() {
                "the document ends too early"
            } else {
                "the document is not valid JSON"
            };
            return DocumentError::input("input", format!("{what}: {inner}"));
        }
        let message = strip_position(&inner.to_string());
        let path = if path == "." {
            "input".to_owned()
        } else {
            within_tagged(text, &path, &message).unwrap_or(path)
        };
        DocumentError::input(path, message)
    })?;
    de.end().map_err(|e| {
        DocumentError::input(
            "input",
            format!(
                "unexpected text after the document: {}",
                strip_position(&e.to_string())
            ),
        )
    })?;
    Ok(value)
}

/// Drops `serde_json`'s " at line L column C" suffix, keeping the rule.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// Reads a document whose top level is an object tagged by `tag` (`"kind"`, `"method"`):
/// returns the tag's value, or `default` when the document has none. A second tag is an
/// error, as a duplicate of any other field is.
pub(crate) fn read_tag(
    text: &str,
    tag: &'static str,
    kinds: &[&str],
    default: Option<&'static str>,
) -> Result<String, DocumentError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let found = TagSeed { tag }.deserialize(&mut de).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            // The full reading reports the syntax error with its path.
            return match parse::<IgnoredAny>(text) {
                Err(full) => full,
                Ok(_) => DocumentError::input("input", strip_position(&e.to_string())),
            };
        }
        DocumentError::input(
            if e.to_string().contains("duplicate") {
                tag
            } else {
                "input"
            },
            strip_position(&e.to_string()),
        )
    })?;
    let kind = match (found, default) {
        (Some(k), _) => k,
        (None, Some(d)) => d.to_owned(),
        (None, None) => {
            return Err(DocumentError::input(
                tag,
                format!("missing; expected one of {}", kinds.join(", ")),
            ));
        }
    };
    if !kinds.contains(&kind.as_str()) {
        return Err(DocumentError::input(
            tag,
            format!(
                "unknown {tag} {kind:?}; expected one of {}",
                kinds.join(", ")
            ),
        ));
    }
    Ok(kind)
}

/// The path of the offending value inside a `"kind"`-tagged object, whose fields are read from
/// a buffered copy and so do not extend the path: when the error is at such an object and
/// exactly one of its values appears in the message (`got 1.2`, `"abc"`), that value's path;
/// `None` otherwise (the object's own path stands).
fn within_tagged(text: &str, path: &str, message: &str) -> Option<String> {
    let node = node_at(text, &path_steps(path)?)?;
    let object = node.as_object()?;
    if !object.contains_key("kind") {
        return None;
    }
    let mut found = Vec::new();
    leaves_named_in(&node, &mut String::new(), message, &mut found);
    match found.as_slice() {
        [only] => Some(format!("{path}{only}")),
        _ => None,
    }
}

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The value at `steps` in the document, or `None` where there is none: only that value is
/// built, everything around it passed over, so that naming an error in a large document costs
/// no copy of the whole (a `Value` of a document takes about thirty times its size). Where a
/// key is repeated, the last one's value stands, as in a `Value`.
fn node_at(text: &str, steps: &[Step<'_>]) -> Option<serde_json::Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    At(steps).deserialize(&mut de).ok()?
}

/// The rest of a path to follow from a value.
struct At<'s, 'a>(&'s [Step<'a>]);

impl<'de> DeserializeSeed<'de> for At<'_, '_> {
    type Value = Option<serde_json::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.0.split_first() {
            None => serde::Deserialize::deserialize(d).map(Some),
            Some((step, rest)) => d.deserialize_any(Walk { step, rest }),
        }
    }
}

/// One step of a path into a value (a scalar has no step to take: nothing is there).
struct Walk<'s, 'a> {
    step: &'s Step<'a>,
    rest: &'s [Step<'a>],
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = Option<serde_json::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            match self.step {
                Step::Key(k) if key == *k => found = map.next_value_seed(At(self.rest))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        let mut index = 0usize;
        loop {
            match self.step {
                Step::Index(i) if index == *i => match seq.next_element_seed(At(self.rest))? {
                    Some(node) => found = node,
                    None => break,
                },
                _ => {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                }
            }
            index = index.saturating_add(1);
        }
        Ok(found)
    }
}

/// `a.b[2].c` as steps; `None` for a path with an unknown step (`?`).
fn path_steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key == "?" {
            return None;
        }
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        for index in rest.split('[').filter(|x| !x.is_empty()) {
            steps.push(Step::Index(index.trim_end_matches(']').parse().ok()?));
        }
    }
    Some(steps)
}

/// The relative paths of the leaves (other than `kind`) whose text the message quotes.
fn leaves_named_in(v: &serde_json::Value, at: &mut String, message: &str, found: &mut Vec<String>) {
    use serde_json::Value;
    let len = at.len();
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k != "kind" {
                    at.push('.');
                    at.push_str(k);
                    leaves_named_in(x, at, message, found);
                    at.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                at.push_str(&format!("[{i}]"));
                leaves_named_in(x, at, message, found);
                at.truncate(len);
            }
        }
        Value::String(s) => {
            if message.contains(&format!("{s:?}"))
                || message.contains(&format!("`{s}`"))
                || message.contains(&format!("got {s}"))
            {
                found.push(at.clone());
            }
        }
        Value::Number(n) => {
            let n = n.to_string();
            if message.contains(&format!("got {n}")) || message.contains(&format!("`{n}`")) {
                found.push(at.clone());
            }
        }
        Value::Bool(b) => {
            if message.contains(&format!("boolean `{b}`")) {
                found.push(at.clone());
            }
        }
        Value::Null => {
            if message.contains("invalid type: null") {
                found.push(at.clone());
            }
        }
    }
}

pub(crate) fn parse_tagged<T: DeserializeOwned>(
    text: &str,
    tag: &'static str,
) -> Result<T, DocumentError> {
    if let Some(value) = parse_quickly(text, |de| T::deserialize(SkipTag { inner: de, tag })) {
        return Ok(value);
    }
    parse_with(text, |de| {
        serde_path_to_error::deserialize(SkipTag { inner: de, tag })
    })
}

/// Finds the tag of an object, skipping every other value without building it.
struct TagSeed {
    tag: &'static str,
}

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TagSeed {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object with a {:?} field", self.tag)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: Option<String> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.tag {
                if found.is_some() {
                    return Err(de::Error::custom(format_args!(
                        "duplicate field `{}`",
                        self.tag
                    )));
                }
                found = Some(map.next_value::<String>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// A deserializer that presents an object without its tag field.
struct SkipTag<D> {
    inner: D,
    tag: &'static str,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for SkipTag<D> {
    type Error = D::Error;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(FilterVisitor {
            visitor,
            tag: self.tag,
        })
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct FilterVisitor<V> {
    visitor: V,
    tag: &'static str,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for FilterVisitor<V> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(FilterMap { map, tag: self.tag })
    }
}

struct FilterMap<A> {
    map: A,
    tag: &'static str,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FilterMap<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key::<String>()? else {
                return Ok(None);
            };
            if key == self.tag {
                self.map.next_value::<IgnoredAny>()?;
                continue;
            }
            let de: de::value::StringDeserializer<A::Error> = key.into_deserializer();
            return seed.deserialize(de).map(Some);
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_named_from_the_path_alone_as_from_the_whole_document() {
        let text = r#"{"options": [{"id": "a", "cost": {"x": [1, 2]}}, {"id": "b b", "cost": 3},
            {"id": "a"}, {"name": "no id"}, 7, [1], {"id": 5}, {"id": "q\"uote", "v": [{"id": "in"}]}],
            "series": [[{"id": "deep"}, {"id": "deeper"}]], "one": {"id": "top", "list": []}}"#;
        let whole: serde_json::Value = serde_json::from_str(text).unwrap();
        for path in [
            "options[0].cost",
            "options[1].cost",
            "options[2]",
            "options[3].name",
            "options[4]",
            "options[5][0]",
            "options[6].id",
            "options[7].v[0].id",
            "options[9]",
            "series[0][1].x",
            "one.list[0]",
            "one",
            "options",
            "missing[0].x",
            "options[1].cost.deeper[3]",
        ] {
            let pruned = ids_on_path(text, &path_steps(path).unwrap()).unwrap();
            assert_eq!(id_path(&pruned, path), id_path(&whole, path), "{path}");
        }
        assert_eq!(id_path(&whole, "options[1].cost"), "options[id=b b].cost");
        assert_eq!(id_path(&whole, "options[0].cost"), "options[0].cost");
    }

    #[test]
    fn the_value_at_a_path_is_the_values_own() {
        let text = r#"{"a": {"b": [1, {"kind": "x", "c": [true, null]}, "s"], "b": 2},
            "a": {"b": [{"late": 1}, {"kind": "y", "c": []}]}, "z": [[0, [5, 6]]]}"#;
        let whole: serde_json::Value = serde_json::from_str(text).unwrap();
        for path in [
            "a",
            "a.b",
            "a.b[0]",
            "a.b[1]",
            "a.b[1].c",
            "a.b[2]",
            "z[0][1]",
            "z[0][1][1]",
            "a.b[1].kind",
            "a.b[9]",
            "a.x",
            "z.k",
            "a.b[1].c[0].d",
            "z[0][0][0]",
        ] {
            let steps = path_steps(path).unwrap();
            let mut node = Some(&whole);
            for step in &steps {
                node = node.and_then(|n| match step {
                    Step::Key(k) => n.get(k),
                    Step::Index(i) => n.get(i),
                });
            }
            assert_eq!(node_at(text, &steps).as_ref(), node, "{path}");
        }
    }

    /// A file in the system's temporary directory, removed when dropped.
    struct TempFile(std::path::PathBuf);

    impl TempFile {
        fn with(name: &str, bytes: &[u8]) -> Self {
            let path = std::env::temp_dir().join(format!("{}-{name}", std::process::id()));
            std::fs::write(&path, bytes).unwrap();
            Self(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Text long enough to be read in halves, different at every offset that matters.
    fn long_text() -> Vec<u8> {
        (0..HALVES_FROM + 12_345)
            .map(|i| b"{}[],:0123456789abcdef\n"[i % 23])
            .collect()
    }

    #[test]
    fn a_large_file_read_in_halves_is_the_file() {
        let text = long_text();
        let file = TempFile::with("halves.json", &text);
        let f = std::fs::File::open(&file.0).unwrap();
        assert!(read_in_halves(&f, text.len()).unwrap().unwrap() == text);
        let read = read(file.0.to_str().unwrap(), &mut std::io::empty()).unwrap();
        assert!(read.as_bytes() == text.as_slice());
    }

    #[test]
    fn a_small_file_or_a_wrong_length_is_read_the_plain_way() {
        let text = long_text();
        let file = TempFile::with("lengths.json", &text);
        let f = std::fs::File::open(&file.0).unwrap();
        assert!(read_in_halves(&f, 100).is_none());
        // Longer than the file, or shorter (more after the given end).
        assert!(read_in_halves(&f, text.len() + 1).is_none());
        assert!(read_in_halves(&f, text.len() - 1).is_none());
    }

    #[test]
    fn a_bad_byte_in_the_second_half_is_named_by_its_offset() {
        let mut text = long_text();
        let at = text.len() - 1000;
        text[at] = 0xff;
        let file = TempFile::with("bad-byte.json", &text);
        let err = read(file.0.to_str().unwrap(), &mut std::io::empty()).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("invalid byte at offset {at}")),
            "{err}"
        );
    }
}
