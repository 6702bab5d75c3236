//! Ordinary slips that would otherwise give a wrong answer with exit status 0: a fraction
//! written as a percentage's number (`"1"` meant as 1%), a 0–100 quality score written as a
//! fraction (`"0.95"` meant as 95), and money finer than a penny where the rule is in pence.
//!
//! Each is decided per field, by how likely the value is to be meant as written:
//!
//! | Field | Written | Decision |
//! |---|---|---|
//! | a threshold or cap as a fraction of the target or a base (`{"kind": "of_target", "rate": …}`) | a bare number of 1 or more | rejected: it would be 100% or more of the target |
//! | a sharing rate (`bands[i].rate`) | bare `1` | warning: read as 100% |
//! | any share (a fraction between 0 and 1) | a bare number over 1 and up to 100 | rejected (as before), with `did you mean "5%"?` |
//! | a quality score (0–100) | over 0 and under 1 | rejected: under one point of a hundred |
//! | a quality score (0–100) | exactly 1 | warning: read as 1 point of 100 |
//! | a KPI threshold in `percent` | over 0 and at most 1 | warning: read as that many per cent |
//! | money in a settlement (target, outturn, bases, amounts, caps) | finer than a penny | warning: kept exactly, and only the final figures are rounded |
//!
//! A value written with `%` is never a slip: `"1%"` and `"100%"` say what they mean.
//! Warnings go to standard error as `warning: path: message` and do not change the result.

use serde_json::Value;

use crate::document::io::DocumentError;

/// A warning about a value that was read as written but may not be what was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The document path of the value.
    pub path: String,
    /// What was assumed, and how to write the other reading.
    pub message: String,
}

/// Checks `command`'s document for slips: an error for one that is rejected, otherwise the
/// warnings.
pub(crate) fn check(command: &str, text: &str) -> Result<Vec<Warning>, DocumentError> {
    if !matches!(command, "settle" | "kpi") {
        return Ok(Vec::new());
    }
    // A document that is not valid JSON is left to the typed reading to describe.
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return Ok(Vec::new());
    };
    let mut warnings = Vec::new();
    match command {
        "settle" => walk_settlement(&doc, &mut String::new(), &mut warnings)?,
        _ => kpi_thresholds(&doc, &mut warnings),
    }
    Ok(warnings)
}

/// A value's number and whether it was written as a percentage.
fn number(v: &Value) -> Option<(f64, bool)> {
    match v {
        Value::Number(n) => n.as_f64().map(|x| (x, false)),
        Value::String(s) => match s.trim().strip_suffix('%') {
            Some(p) => p.trim().parse().ok().map(|x| (x, true)),
            None => s.trim().parse().ok().map(|x| (x, false)),
        },
        _ => None,
    }
}

/// How a value was written, for messages.
fn written(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

const MONEY_FIELDS: [&str; 5] = ["target", "outturn", "amount", "cap", "revenue"];

fn walk_settlement(
    v: &Value,
    path: &mut String,
    warnings: &mut Vec<Warning>,
) -> Result<(), DocumentError> {
    match v {
        Value::Object(m) => {
            let kind = m.get("kind").and_then(Value::as_str);
            for (key, x) in m {
                let at = child(path, key);
                match (key.as_str(), kind) {
                    ("rate", Some("of_target" | "of_base")) => fraction_of_whole(x, &at)?,
                    ("rate", _) if path.contains("bands[") => sharing_rate(x, &at, warnings),
                    ("score", _) if path.ends_with("quality") => quality_score(x, &at, warnings)?,
                    (k, _) if MONEY_FIELDS.contains(&k) || path.ends_with("bases") => {
                        sub_penny(x, &at, warnings);
                    }
                    _ => {}
                }
                let mut inner = at;
                walk_settlement(x, &mut inner, warnings)?;
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut inner = format!("{path}[{i}]");
                walk_settlement(x, &mut inner, warnings)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A threshold or cap as a fraction of the target or a base: a bare 1 or more is a slip.
fn fraction_of_whole(v: &Value, at: &str) -> Result<(), DocumentError> {
    match number(v) {
        Some((x, false)) if x >= 1.0 => Err(DocumentError::input(
            at,
            format!(
                "{} would be {}% of the whole; a fraction is expected, so write \"{}%\" for {} per cent (or \"{}%\" if {}% is meant)",
                written(v),
                trim(x * 100.0),
                trim(x),
                trim(x),
                trim(x * 100.0),
                trim(x * 100.0)
            ),
        )),
        _ => Ok(()),
    }
}

/// A band's sharing rate: a bare 1 is read as 100%, with a warning.
fn sharing_rate(v: &Value, at: &str, warnings: &mut Vec<Warning>) {
    if let Some((x, false)) = number(v)
        && is_one(x)
    {
        warnings.push(Warning {
            path: at.to_owned(),
            message: format!(
                "{} read as 100% of the variance in the band; write \"1%\" if one per cent was meant",
                written(v)
            ),
        });
    }
}

/// A quality score on the 0–100 scale: under one point is a slip, exactly one a warning.
fn quality_score(v: &Value, at: &str, warnings: &mut Vec<Warning>) -> Result<(), DocumentError> {
    match number(v) {
        Some((x, false)) if x > 0.0 && x < 1.0 => Err(DocumentError::input(
            at,
            format!(
                "{} is under one point on the 0–100 quality scale; write {} for {} points",
                written(v),
                trim(x * 100.0),
                trim(x * 100.0)
            ),
        )),
        Some((x, false)) if is_one(x) => {
            warnings.push(Warning {
                path: at.to_owned(),
                message: "1 read as 1 point out of 100; write 100 for full marks".to_owned(),
            });
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Money finer than a penny in a settlement.
fn sub_penny(v: &Value, at: &str, warnings: &mut Vec<Warning>) {
    let Value::String(s) = v else {
        return;
    };
    let Ok(m) = commissioning::model::Money::parse_field(at, s) else {
        return;
    };
    if m.amount().normalize().scale() > 2 {
        warnings.push(Warning {
            path: at.to_owned(),
            message: format!(
                "{m} is not a whole number of pence; it is kept exactly and only the final figures are rounded to the penny"
            ),
        });
    }
}

/// KPI thresholds in per cent written as fractions.
fn kpi_thresholds(doc: &Value, warnings: &mut Vec<Warning>) {
    let Some(series) = doc.get("series").and_then(Value::as_array) else {
        return;
    };
    for (i, s) in series.iter().enumerate() {
        let Some(req) = s.get("requirement") else {
            continue;
        };
        if req.get("unit").and_then(Value::as_str) != Some("percent") {
            continue;
        }
        if let Some(t) = req.get("threshold")
            && let Some((x, false)) = number(t)
            && x > 0.0
            && x <= 1.0
        {
            warnings.push(Warning {
                path: format!("series[{i}].requirement.threshold"),
                message: format!(
                    "{} read as {}% (the unit is percent); write {} for {}%",
                    written(t),
                    trim(x),
                    trim(x * 100.0),
                    trim(x * 100.0)
                ),
            });
        }
    }
}

/// Whether a number read from decimal text is exactly one.
fn is_one(x: f64) -> bool {
    (x - 1.0).abs() < f64::EPSILON
}

/// A number as people write it (`5`, `0.5`, `99.5`).
fn trim(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A share's range error with the percentage it was probably meant as: `got 5` → `did you
/// mean "5%"?`.
pub(crate) fn hint(e: DocumentError) -> DocumentError {
    match e {
        DocumentError::Input {
            path,
            message,
            kind,
        } if message.contains("must be between 0 and 1, got ") => {
            let got = message
                .rsplit("got ")
                .next()
                .and_then(|g| g.trim().parse::<f64>().ok());
            let message = match got {
                Some(x) if x > 1.0 && x <= 100.0 => {
                    format!("{message} (did you mean \"{}%\"?)", trim(x))
                }
                _ => message,
            };
            DocumentError::Input {
                path,
                message,
                kind,
            }
        }
        other => other,
    }
}
