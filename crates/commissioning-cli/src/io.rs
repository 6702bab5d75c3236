//! Reading input documents and reporting errors with the path of the offending value.

use serde::de::DeserializeOwned;
use std::fmt;
use std::io::Read as _;

/// Why the command failed, and with which exit status.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The input is malformed or breaks a rule: exit status 2.
    Input { path: String, message: String },
    /// Anything else (a file that cannot be read or written): exit status 1.
    Io(String),
}

impl CliError {
    pub(crate) fn input(path: impl Into<String>, message: impl fmt::Display) -> Self {
        Self::Input {
            path: path.into(),
            message: message.to_string(),
        }
    }

    /// A library error: its message already names the field.
    pub(crate) fn rule(message: impl fmt::Display) -> Self {
        Self::Input {
            path: String::new(),
            message: message.to_string(),
        }
    }

    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Input { .. } => 2,
            Self::Io(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input { path, message } if path.is_empty() || path == "." => {
                write!(f, "{}", one_line(message))
            }
            Self::Input { path, message } => write!(f, "{path}: {}", one_line(message)),
            Self::Io(message) => write!(f, "{}", one_line(message)),
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The most input read, to keep a runaway document from exhausting memory.
const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// Reads a whole document from a file, or from standard input for `-`.
pub(crate) fn read(source: &str) -> Result<String, CliError> {
    let mut text = String::new();
    let result = if source == "-" {
        std::io::stdin().take(MAX_INPUT).read_to_string(&mut text)
    } else {
        std::fs::File::open(source).and_then(|f| f.take(MAX_INPUT).read_to_string(&mut text))
    };
    result.map_err(|e| CliError::Io(format!("cannot read {source}: {e}")))?;
    Ok(text)
}

/// Parses a document, naming the path of the first offending value.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, CliError> {
    if text.trim().is_empty() {
        return Err(CliError::input(
            "input",
            "the document is empty; expected a JSON object",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() && path != "." && !path.contains('?') {
            return CliError::input(path, strip_position(&inner.to_string()));
        }
        if inner.is_eof() || inner.is_syntax() {
            // Not valid JSON: the line and column locate the problem better than a path.
            let what = if inner.is_eof() {
                "the document ends too early"
            } else {
                "the document is not valid JSON"
            };
            return CliError::input("input", format!("{what}: {inner}"));
        }
        let message = strip_position(&inner.to_string());
        CliError::input(
            if path == "." {
                "input".to_owned()
            } else {
                path
            },
            message,
        )
    })?;
    de.end().map_err(|e| {
        CliError::input(
            "input",
            format!(
                "unexpected text after the document: {}",
                strip_position(&e.to_string())
            ),
        )
    })?;
    Ok(value)
}

/// Reads a document whose top level is an object with a `"kind"` field, returning the kind and
/// the rest of the object, so that each kind can be read with full error paths.
pub(crate) fn parse_kind(
    text: &str,
    kinds: &[&str],
) -> Result<(String, serde_json::Value), CliError> {
    let mut value: serde_json::Value = parse(text)?;
    let Some(obj) = value.as_object_mut() else {
        return Err(CliError::input(
            "input",
            "expected a JSON object with a \"kind\" field",
        ));
    };
    let kind = match obj.remove("kind") {
        Some(serde_json::Value::String(k)) => k,
        Some(other) => {
            return Err(CliError::input(
                "kind",
                format!("expected a string, got {other}"),
            ));
        }
        None => {
            return Err(CliError::input(
                "kind",
                format!("missing; expected one of {}", kinds.join(", ")),
            ));
        }
    };
    if !kinds.contains(&kind.as_str()) {
        return Err(CliError::input(
            "kind",
            format!(
                "unknown kind {kind:?}; expected one of {}",
                kinds.join(", ")
            ),
        ));
    }
    Ok((kind, value))
}

/// Reads a typed value from a parsed document, naming the path of the first offending value.
pub(crate) fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, CliError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = strip_position(&e.into_inner().to_string());
        CliError::input(
            if path == "." {
                "input".to_owned()
            } else {
                path
            },
            message,
        )
    })
}

/// Drops `serde_json`'s " at line L column C" suffix, keeping the rule.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}
