//! Results arranged for people and workbooks: the same figures as the JSON result, with what a
//! reader would otherwise look up elsewhere put beside them. Used by `--format table` and
//! `--format csv`; the JSON result itself is left as the types write it.
//!
//! - `spc`: each point carries every rule that flagged it, and its segment's mean and process
//!   limits in their own columns;
//! - `frontier`: each strategy carries its net monetary benefit at the threshold;
//! - `score`: the options by rank with each criterion's contribution in a column of its own,
//!   the criterion values (0–100) in a table beside them, and the weights by criterion;
//! - `ahp`: the weights as a table by criterion, where the document names the criteria;
//! - `topsis`: one row per alternative (closeness, distances and rank) instead of parallel
//!   lists.

use serde_json::{Map, Value, json};

/// The result of `command` arranged for a table or a workbook.
pub(crate) fn arrange(command: &str, v: &Value) -> Value {
    let mut v = v.clone();
    match command {
        "spc" => spc(&mut v),
        "frontier" => frontier(&mut v),
        "score" => score(&mut v),
        "topsis" => return topsis(&v).unwrap_or(v),
        "ahp" => ahp(&mut v),
        _ => {}
    }
    v
}

/// Each point with its segment's mean and limits.
fn spc(v: &mut Value) {
    let limits: Vec<Value> = v
        .get("segments")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .map(|seg| seg.get("limits").cloned().unwrap_or(Value::Null))
                .collect()
        })
        .unwrap_or_default();
    let Some(points) = v.get_mut("points").and_then(Value::as_array_mut) else {
        return;
    };
    for p in points {
        // Every rule that flagged the point, beside the label (none for common cause).
        if let Some(obj) = p.as_object_mut()
            && !obj.contains_key("rules")
        {
            obj.insert("rules".into(), Value::Array(Vec::new()));
        }
        let segment = p
            .get("segment")
            .and_then(Value::as_u64)
            .and_then(|s| usize::try_from(s).ok());
        let Some(l) = segment.and_then(|s| limits.get(s)) else {
            continue;
        };
        let Some(obj) = p.as_object_mut() else {
            continue;
        };
        for (key, column) in [
            ("mean", "mean"),
            ("lower_process_limit", "lower_limit"),
            ("upper_process_limit", "upper_limit"),
        ] {
            if let Some(x) = l.get(key) {
                obj.insert(column.into(), x.clone());
            }
        }
    }
}

/// Each strategy's net monetary benefit beside its ICER.
fn frontier(v: &mut Value) {
    let nmb: Map<String, Value> = v
        .get("net_monetary_benefit")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .filter_map(|r| Some((r.get("id")?.as_str()?.to_owned(), r.get("nmb")?.clone())))
                .collect()
        })
        .unwrap_or_default();
    if nmb.is_empty() {
        return;
    }
    if let Some(rows) = v.get_mut("rows").and_then(Value::as_array_mut) {
        for r in rows {
            let id = r.get("id").and_then(Value::as_str).map(str::to_owned);
            if let (Some(obj), Some(x)) = (r.as_object_mut(), id.and_then(|id| nmb.get(&id))) {
                obj.insert("nmb".into(), x.clone());
            }
        }
    }
    if let Some(obj) = v.as_object_mut() {
        obj.remove("net_monetary_benefit");
    }
}

/// A list as an object keyed by `names` (the same length), or the list as it is.
fn labelled(list: &Value, names: &[String]) -> Value {
    match list.as_array() {
        Some(a) if a.len() == names.len() => {
            Value::Object(names.iter().cloned().zip(a.iter().cloned()).collect())
        }
        _ => list.clone(),
    }
}

/// Contributions, values and weights by criterion: the options with their score, rank and
/// contribution by criterion, and the criterion values in a table of their own.
fn score(v: &mut Value) {
    let names: Vec<String> = v
        .get("criteria")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        return;
    }
    let by_criterion = |o: &Value, key: &str| -> Vec<(String, Value)> {
        match labelled(o.get(key).unwrap_or(&Value::Null), &names) {
            Value::Object(m) => m.into_iter().collect(),
            _ => Vec::new(),
        }
    };
    let options = v
        .get("options")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut ranked = Vec::with_capacity(options.len());
    let mut values = Vec::with_capacity(options.len());
    for o in &options {
        let mut row = Map::new();
        let mut vals = Map::new();
        for key in ["id", "rank", "score"] {
            if let Some(x) = o.get(key) {
                row.insert(key.into(), x.clone());
            }
        }
        if let Some(id) = o.get("id") {
            vals.insert("id".into(), id.clone());
        }
        row.extend(by_criterion(o, "contributions"));
        vals.extend(by_criterion(o, "values"));
        ranked.push(Value::Object(row));
        values.push(Value::Object(vals));
    }
    let weights = v.get("weights").map(|w| labelled(w, &names));
    *v = json!({
        "ranking": v.get("ranking"),
        "weights": weights,
        "options": ranked,
        "values": values,
    });
}

/// The weights as a table of criteria, where the document names them.
fn ahp(v: &mut Value) {
    let Some(obj) = v.as_object_mut() else {
        return;
    };
    let (Some(Value::Array(names)), Some(Value::Array(weights))) =
        (obj.get("criteria"), obj.get("weights"))
    else {
        return;
    };
    if names.len() != weights.len() {
        return;
    }
    let rows: Vec<Value> = names
        .iter()
        .zip(weights)
        .map(|(n, w)| json!({"criterion": n, "weight": w}))
        .collect();
    obj.insert("weights".into(), Value::Array(rows));
    obj.remove("criteria");
}

/// One row per alternative, in the document's order.
fn topsis(v: &Value) -> Option<Value> {
    let list = |key: &str| v.get(key).and_then(Value::as_array);
    let closeness = list("closeness")?;
    let (d_plus, d_minus) = (list("d_plus")?, list("d_minus")?);
    let ranking = list("ranking")?;
    let names = list("ranking_names");
    let mut rank = vec![Value::Null; closeness.len()];
    for (place, alt) in (1u64..).zip(ranking) {
        if let Some(slot) = alt
            .as_u64()
            .and_then(|a| usize::try_from(a).ok())
            .and_then(|a| a.checked_sub(1))
            .and_then(|a| rank.get_mut(a))
        {
            *slot = json!(place);
        }
    }
    let mut name_of = vec![Value::Null; closeness.len()];
    if let Some(names) = names {
        for (alt, name) in ranking.iter().zip(names) {
            if let Some(slot) = alt
                .as_u64()
                .and_then(|a| usize::try_from(a).ok())
                .and_then(|a| a.checked_sub(1))
                .and_then(|a| name_of.get_mut(a))
            {
                *slot = name.clone();
            }
        }
    }
    let rows: Vec<Value> = (0..closeness.len())
        .map(|i| {
            let mut row = Map::new();
            let id = match name_of.get(i) {
                Some(Value::String(s)) => json!(s),
                _ => json!(i.saturating_add(1)),
            };
            row.insert("alternative".into(), id);
            row.insert("rank".into(), rank.get(i).cloned().unwrap_or(Value::Null));
            row.insert(
                "closeness".into(),
                closeness.get(i).cloned().unwrap_or(Value::Null),
            );
            row.insert(
                "d_plus".into(),
                d_plus.get(i).cloned().unwrap_or(Value::Null),
            );
            row.insert(
                "d_minus".into(),
                d_minus.get(i).cloned().unwrap_or(Value::Null),
            );
            Value::Object(row)
        })
        .collect();
    Some(json!({ "alternatives": rows, "pis": v.get("pis"), "nis": v.get("nis") }))
}
