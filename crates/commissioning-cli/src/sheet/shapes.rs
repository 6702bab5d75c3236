//! Steps 2 and 4: a table's records read into rows, and the rows put in their place in the
//! document by the table's shape.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Origin;
use super::spec::{Cell, Shape, Spec};
use super::table::{Table, canonical, json_string, read_cell, write_cell};
use commissioning::document::DocumentError;

impl Spec {
    /// The header's columns: which spec column (or `None` for an unnamed one) each is.
    ///
    /// A table of plain records may have columns of its own beside the ones the subcommand
    /// reads (a trust's name, Excel's empty trailing columns): once every column it needs is
    /// there, the others are left out with a warning.
    fn columns_of(&self, table: &mut Table<'_>) -> Result<Vec<Option<usize>>, DocumentError> {
        let gathers = matches!(
            self.shape,
            Shape::Vector { .. } | Shape::Matrix | Shape::Judgements | Shape::Simulations
        );
        let mut seen = vec![false; self.columns.len()];
        let mut unknown = Vec::new();
        let mut out = Vec::with_capacity(table.headers.len());
        for (i, header) in table.headers.iter().enumerate() {
            let c = canonical(header);
            let found = self
                .columns
                .iter()
                .position(|col| col.name == c || col.aliases.iter().any(|a| *a == c));
            match found {
                Some(k) if seen.get(k) == Some(&true) => {
                    return Err(DocumentError::input(
                        format!("{}:1:{header}", table.file),
                        format!(
                            "is a second column for {}",
                            self.columns.get(k).map_or("", |c| c.name)
                        ),
                    ));
                }
                Some(k) => {
                    if let Some(s) = seen.get_mut(k) {
                        *s = true;
                    }
                    out.push(Some(k));
                }
                None if gathers && !header.is_empty() => out.push(None),
                None => {
                    unknown.push(i);
                    out.push(None);
                }
            }
        }
        let missing: Vec<usize> = (0..self.columns.len())
            .filter(|k| {
                self.columns.get(*k).is_some_and(|c| c.required) && seen.get(*k) == Some(&false)
            })
            .collect();
        // The one column left over is the one column missing: a series exported as
        // `Month,Admissions` has its values under the measure's name.
        if let ([i], [k]) = (unknown.as_slice(), missing.as_slice()) {
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(*k);
            }
            return Ok(out);
        }
        if matches!(self.shape, Shape::Rows { .. }) && missing.is_empty() {
            for i in &unknown {
                let header = table.headers.get(*i).cloned().unwrap_or_default();
                let (path, what) = if header.is_empty() {
                    (
                        format!("{}:1:column {}", table.file, i.saturating_add(1)),
                        "has no header".to_owned(),
                    )
                } else {
                    (
                        format!("{}:1:{header}", table.file),
                        format!("is not a column {} reads", self.command),
                    )
                };
                table.warnings.push(commissioning::document::Warning {
                    path,
                    message: format!("{what}; left out"),
                });
            }
            return Ok(out);
        }
        if let Some(i) = unknown.first() {
            let header = table.headers.get(*i).cloned().unwrap_or_default();
            let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
            return Err(DocumentError::input(
                format!(
                    "{}:1:{}",
                    table.file,
                    if header.is_empty() {
                        format!("column {}", i.saturating_add(1))
                    } else {
                        header
                    }
                ),
                format!(
                    "is not a column {} reads; its columns are {}",
                    self.command,
                    names.join(", ")
                ),
            ));
        }
        if let Some(missing) = missing.first().and_then(|k| self.columns.get(*k)) {
            return Err(DocumentError::input(
                format!("{}:1", table.file),
                format!(
                    "the header has no {} column (headers read: {})",
                    missing.name,
                    table.headers.join(", ")
                ),
            ));
        }
        if gathers && !out.iter().any(Option::is_none) {
            return Err(DocumentError::input(
                format!("{}:1", table.file),
                "expected a column per criterion after the id column",
            ));
        }
        Ok(out)
    }

    /// Step 2: each record as a row object (named columns) and its gathered cells.
    fn rows(
        &self,
        table: &mut Table<'_>,
        columns: &[Option<usize>],
    ) -> Result<Vec<Row>, DocumentError> {
        let gathered_cell = match self.shape {
            Shape::Vector { cell, .. } => cell,
            Shape::Judgements => Cell::NumberOrText,
            Shape::Simulations => Cell::Text,
            _ => Cell::Number,
        };
        let mut rows = Vec::new();
        let (file, headers) = (table.file.clone(), table.headers.clone());
        table.each_record(|line, record| {
            let mut row = Map::new();
            let mut vector = Vec::new();
            for ((text, header), which) in record.iter().map(str::trim).zip(&headers).zip(columns) {
                let at = || format!("{file}:{line}:{header}");
                match which.and_then(|k| self.columns.get(k)) {
                    Some(col) if col.cell == Cell::Label => {}
                    Some(col) => {
                        if text.is_empty() {
                            if col.required {
                                return Err(DocumentError::input(
                                    at(),
                                    "is empty; every row needs one",
                                ));
                            }
                            continue;
                        }
                        row.insert(col.name.to_owned(), read_cell(col.cell, text, &at)?);
                    }
                    None => vector.push(read_cell(gathered_cell, text, &at)?),
                }
            }
            rows.push((line, row, vector));
            Ok(())
        })?;
        Ok(rows)
    }

    /// Steps 2 and 4 for a table of plain records: each record written straight into the
    /// document's JSON text as it is read, with the line of each.
    fn records_text(
        &self,
        table: &mut Table<'_>,
        columns: &[Option<usize>],
    ) -> Result<(String, Vec<u64>), DocumentError> {
        let mut out = String::from("[");
        let mut lines = Vec::new();
        let (file, headers) = (table.file.clone(), table.headers.clone());
        let mut totals = Vec::new();
        table.each_record(|line, record| {
            if !lines.is_empty() {
                out.push(',');
            }
            out.push('{');
            let mut first = true;
            for ((text, header), which) in record.iter().map(str::trim).zip(&headers).zip(columns) {
                let Some(col) = which.and_then(|k| self.columns.get(k)) else {
                    continue;
                };
                let at = || format!("{file}:{line}:{header}");
                if col.cell == Cell::Label {
                    continue;
                }
                if text.is_empty() {
                    if col.required {
                        return Err(DocumentError::input(at(), "is empty; every row needs one"));
                    }
                    continue;
                }
                if col.name == "id" && is_total(text) {
                    totals.push(commissioning::document::Warning {
                        path: at(),
                        message: format!("{text:?} looks like a total row of the export, read as a unit like the others: leave it out of the table if it is one"),
                    });
                }
                if !first {
                    out.push(',');
                }
                first = false;
                json_string(&mut out, col.name);
                out.push(':');
                write_cell(&mut out, col.cell, text, &at)?;
            }
            out.push('}');
            lines.push(line);
            Ok(())
        })?;
        out.push(']');
        table.warnings.extend(totals);
        Ok((out, lines))
    }

    /// Step 4: puts the rows in their place in the document: a table of plain records as
    /// JSON text to be spliced in (returned with its field), the others as values.
    pub(super) fn fill(
        &self,
        doc: &mut Map<String, Value>,
        table: &mut Table<'_>,
    ) -> Result<(Origin, Option<Records>), DocumentError> {
        let columns = self.columns_of(table)?;
        let mut origin = Origin {
            file: table.file.clone(),
            rows: HashMap::new(),
            lists: Vec::new(),
            list_headers: Vec::new(),
            columns: Vec::new(),
        };
        for c in self.columns {
            let header = table
                .headers
                .iter()
                .zip(&columns)
                .find(|(_, k)| {
                    k.and_then(|k| self.columns.get(k))
                        .is_some_and(|col| col.name == c.name)
                })
                .map_or_else(|| c.name.to_owned(), |(h, _)| h.clone());
            origin.columns.push((format!(".{}", c.name), header));
        }
        let gathered: Vec<String> = columns
            .iter()
            .zip(&table.headers)
            .filter(|(k, _)| k.is_none())
            .map(|(_, h)| h.clone())
            .collect();
        let taken = |doc: &Map<String, Value>, field: &str| {
            if doc.contains_key(field) {
                Err(DocumentError::input(
                    field,
                    "is given both by the table and by the settings; give it once",
                ))
            } else {
                Ok(())
            }
        };
        match self.shape {
            Shape::Rows { field } => {
                taken(doc, field)?;
                let (text, lines) = self.records_text(table, &columns)?;
                origin.lists.push((field.to_owned(), lines));
                return Ok((origin, Some((field, text))));
            }
            Shape::Vector {
                field,
                vector,
                names,
                ..
            } => {
                taken(doc, field)?;
                for (j, h) in gathered.iter().enumerate() {
                    origin.columns.push((format!(".{vector}[{j}]"), h.clone()));
                }
                if let Some(names) = names
                    && !doc.contains_key(names)
                {
                    doc.insert(
                        names.to_owned(),
                        Value::Array(gathered.iter().cloned().map(Value::String).collect()),
                    );
                }
                let rows = self.rows(table, &columns)?;
                let mut list = Vec::with_capacity(rows.len());
                let mut lines = Vec::with_capacity(rows.len());
                for (line, mut row, values) in rows {
                    lines.push(line);
                    row.insert(vector.to_owned(), Value::Array(values));
                    list.push(Value::Object(row));
                }
                origin.lists.push((field.to_owned(), lines));
                doc.insert(field.to_owned(), Value::Array(list));
            }
            Shape::Matrix => {
                taken(doc, "matrix")?;
                taken(doc, "alternatives")?;
                for (j, h) in gathered.iter().enumerate() {
                    origin.columns.push((format!("[{j}]"), h.clone()));
                }
                let rows = self.rows(table, &columns)?;
                let mut matrix = Vec::with_capacity(rows.len());
                let mut ids = Vec::with_capacity(rows.len());
                let mut lines = Vec::with_capacity(rows.len());
                for (line, mut row, values) in rows {
                    lines.push(line);
                    ids.push(row.remove("id").unwrap_or(Value::Null));
                    matrix.push(Value::Array(values));
                }
                origin.lists.push(("matrix".to_owned(), lines.clone()));
                origin.lists.push(("alternatives".to_owned(), lines));
                doc.insert("matrix".into(), Value::Array(matrix));
                doc.insert("alternatives".into(), Value::Array(ids));
            }
            Shape::Judgements => {
                taken(doc, "matrix")?;
                for (j, h) in gathered.iter().enumerate() {
                    origin.columns.push((format!("[{j}]"), h.clone()));
                }
                let rows = self.rows(table, &columns)?;
                let mut lines = Vec::with_capacity(rows.len());
                let matrix = rows
                    .into_iter()
                    .map(|(line, _, values)| {
                        lines.push(line);
                        Value::Array(values)
                    })
                    .collect();
                origin.lists.push(("matrix".to_owned(), lines));
                doc.insert("matrix".into(), Value::Array(matrix));
                doc.entry("kind").or_insert_with(|| "matrix".into());
                doc.entry("criteria").or_insert_with(|| {
                    Value::Array(gathered.iter().cloned().map(Value::String).collect())
                });
            }
            Shape::Simulations => {
                let rows = self.rows(table, &columns)?;
                simulations(doc, rows, &gathered, &mut origin)?;
            }
            Shape::Monthly => {
                let rows = self.rows(table, &columns)?;
                monthly(doc, rows, &mut origin, &table.file)?;
            }
            Shape::Observations => {
                let rows = self.rows(table, &columns)?;
                observations(doc, rows, &mut origin, &table.file)?;
            }
            Shape::Activity => {
                let rows = self.rows(table, &columns)?;
                activity(doc, rows, &mut origin)?;
            }
        }
        Ok((origin, None))
    }
}

/// A table of plain records as JSON text, with the document field it fills.
pub(super) type Records = (&'static str, String);

/// A budget line's month as read: its number, line, plan and actual (if given).
type Month = (u8, u64, Value, Option<Value>);

/// A record read: its line, its named cells and its gathered cells.
pub(super) type Row = (u64, Map<String, Value>, Vec<Value>);

/// Budget lines from one row per line and month (`M1`…`M12`), in month order.
fn monthly(
    doc: &mut Map<String, Value>,
    rows: Vec<Row>,
    origin: &mut Origin,
    file: &str,
) -> Result<(), DocumentError> {
    if doc.contains_key("lines") {
        return Err(DocumentError::input(
            "lines",
            "is given both by the table and by the settings; give it once",
        ));
    }
    let mut order: Vec<String> = Vec::new();
    let mut lines: HashMap<String, (u64, Vec<Month>)> = HashMap::new();
    for (line, mut row, _) in rows {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        let id = text(row.get("id"));
        let month_text = text(row.get("month"));
        let month = month_number(&month_text).ok_or_else(|| {
            DocumentError::input(
                format!("{file}:{line}:month"),
                format!("expected a financial-year month M1 to M12, got {month_text:?}"),
            )
        })?;
        let plan = row.remove("plan").unwrap_or(Value::Null);
        let actual = row.remove("actual");
        let entry = lines.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            (line, Vec::new())
        });
        if let Some((_, earlier, ..)) = entry.1.iter().find(|m| m.0 == month) {
            return Err(DocumentError::input(
                format!("{file}:{line}:month"),
                format!("M{month} of {id} is already on line {earlier}"),
            ));
        }
        entry.1.push((month, line, plan, actual));
    }
    let mut list = Vec::with_capacity(order.len());
    for (i, id) in order.iter().enumerate() {
        let Some((first, mut months)) = lines.remove(id) else {
            continue;
        };
        months.sort_by_key(|m| m.0);
        origin.rows.insert(format!("lines[{i}]"), first);
        let mut actuals_ended = None;
        for (k, (month, line, _, actual)) in (1..).zip(&months) {
            if u32::from(*month) != k {
                return Err(DocumentError::input(
                    format!("{file}:{line}:month"),
                    format!("{id} has no row for M{k}; give every month from M1 in turn"),
                ));
            }
            match (actual, actuals_ended) {
                (None, None) => actuals_ended = Some(k),
                (Some(_), Some(blank)) => {
                    return Err(DocumentError::input(
                        format!("{file}:{line}:actual"),
                        format!(
                            "{id} has an actual for M{k} but none for M{blank}; actuals run from M1 without a gap"
                        ),
                    ));
                }
                _ => {}
            }
            let k = k.saturating_sub(1);
            origin.rows.insert(format!("lines[{i}].plan[{k}]"), *line);
            origin.rows.insert(format!("lines[{i}].actual[{k}]"), *line);
        }
        let plan: Vec<Value> = months.iter().map(|m| m.2.clone()).collect();
        let actual: Vec<Value> = months.iter().filter_map(|m| m.3.clone()).collect();
        let mut line = Map::new();
        line.insert("id".into(), Value::String(id.clone()));
        line.insert("plan".into(), Value::Array(plan));
        line.insert("actual".into(), Value::Array(actual));
        list.push(Value::Object(line));
    }
    doc.insert("lines".into(), Value::Array(list));
    doc.entry("kind")
        .or_insert_with(|| Value::String("budget".into()));
    Ok(())
}

/// An activity plan and actuals from one row per line, point of delivery and month: the
/// planned quantity (and value) into `plan`, the actual (where given) into `actual`, both for
/// the settings' `year`; a row without a unit takes its point of delivery's.
fn activity(
    doc: &mut Map<String, Value>,
    rows: Vec<Row>,
    origin: &mut Origin,
) -> Result<(), DocumentError> {
    for field in ["plan", "actual"] {
        if doc.contains_key(field) {
            return Err(DocumentError::input(
                field,
                "is given both by the table and by the settings; give it once",
            ));
        }
    }
    let year = doc.remove("year").ok_or_else(|| {
        DocumentError::input(
            "settings",
            "an activity table needs its financial year: give it with --set year=2025/26",
        )
    })?;
    let mut plan = Vec::with_capacity(rows.len());
    let mut actual = Vec::with_capacity(rows.len());
    for (line, row, _) in rows {
        let mut entry = Map::new();
        for key in ["line", "point_of_delivery", "month"] {
            if let Some(v) = row.get(key) {
                entry.insert(key.into(), v.clone());
            }
        }
        let unit = row.get("unit").cloned().or_else(|| {
            let pod = row.get("point_of_delivery")?.clone();
            let pod: commissioning::model::service::PointOfDelivery =
                serde_json::from_value(pod).ok()?;
            serde_json::to_value(pod.unit()).ok()
        });
        if let Some(unit) = unit {
            entry.insert("unit".into(), unit);
        }
        let with = |quantity: &Value, value: Option<&Value>| {
            let mut e = entry.clone();
            e.insert("quantity".into(), quantity.clone());
            if let Some(v) = value {
                e.insert("value".into(), v.clone());
            }
            Value::Object(e)
        };
        if let Some(q) = row.get("plan") {
            origin
                .rows
                .insert(format!("plan.entries[{}]", plan.len()), line);
            plan.push(with(q, row.get("plan_value")));
        }
        if let Some(q) = row.get("actual") {
            origin
                .rows
                .insert(format!("actual.entries[{}]", actual.len()), line);
            actual.push(with(q, row.get("actual_value")));
        }
    }
    origin
        .columns
        .push((".quantity".into(), "plan or actual".into()));
    doc.insert(
        "plan".into(),
        serde_json::json!({"year": year, "entries": plan}),
    );
    doc.insert(
        "actual".into(),
        serde_json::json!({"year": year, "entries": actual}),
    );
    Ok(())
}

/// A column of a simulation table: `cost_A`, `A cost`, `effect_usual care` and the like, as
/// (is it a cost, the strategy).
fn simulation_column(header: &str) -> Option<(bool, String)> {
    let h = header.trim();
    let lower = h.to_ascii_lowercase();
    for (word, is_cost) in [
        ("cost", true),
        ("costs", true),
        ("effect", false),
        ("effects", false),
        ("qalys", false),
        ("qaly", false),
    ] {
        for sep in ["_", " ", "-", ".", ":"] {
            if let Some(rest) = lower.strip_prefix(&format!("{word}{sep}"))
                && !rest.trim().is_empty()
            {
                let start = h.len().saturating_sub(rest.len());
                return Some((is_cost, h.get(start..).unwrap_or(rest).trim().to_owned()));
            }
            if let Some(rest) = lower.strip_suffix(&format!("{sep}{word}"))
                && !rest.trim().is_empty()
            {
                return Some((
                    is_cost,
                    h.get(..rest.len()).unwrap_or(rest).trim().to_owned(),
                ));
            }
        }
    }
    None
}

/// A PSA from one row per simulation with a cost and an effect column per strategy (as
/// dampack's `make_psa_obj` takes them): `cost`, `effect` and, unless the settings name them,
/// `strategies` in the order of their cost columns.
fn simulations(
    doc: &mut Map<String, Value>,
    rows: Vec<Row>,
    gathered: &[String],
    origin: &mut Origin,
) -> Result<(), DocumentError> {
    for field in ["cost", "effect"] {
        if doc.contains_key(field) {
            return Err(DocumentError::input(
                field,
                "is given both by the table and by the settings; give it once",
            ));
        }
    }
    let file = origin.file.clone();
    let mut columns = Vec::with_capacity(gathered.len());
    for h in gathered {
        columns.push(simulation_column(h).ok_or_else(|| {
            DocumentError::input(
                format!("{file}:1:{h}"),
                "expected a cost or effect column per strategy, such as cost_A and effect_A",
            )
        })?);
    }
    let mut strategies: Vec<String> = Vec::new();
    for (is_cost, s) in &columns {
        if *is_cost && !strategies.contains(s) {
            strategies.push(s.clone());
        }
    }
    let position = |is_cost: bool, s: &str| {
        columns
            .iter()
            .position(|(c, name)| *c == is_cost && name == s)
    };
    let mut order = Vec::with_capacity(strategies.len());
    for s in &strategies {
        match (position(true, s), position(false, s)) {
            (Some(c), Some(e)) => order.push((c, e)),
            _ => {
                return Err(DocumentError::input(
                    format!("{file}:1"),
                    format!("strategy {s:?} needs both a cost and an effect column"),
                ));
            }
        }
    }
    if let Some((_, s)) = columns.iter().find(|(_, s)| !strategies.contains(s)) {
        return Err(DocumentError::input(
            format!("{file}:1"),
            format!("strategy {s:?} has an effect column but no cost column"),
        ));
    }
    let mut costs = Vec::with_capacity(rows.len());
    let mut effects = Vec::with_capacity(rows.len());
    let mut lines = Vec::with_capacity(rows.len());
    for (line, _, cells) in rows {
        let cell = |j: usize| cells.get(j).and_then(Value::as_str).unwrap_or("");
        let header = |j: usize| gathered.get(j).map_or("", String::as_str);
        let mut c = Vec::with_capacity(order.len());
        let mut e = Vec::with_capacity(order.len());
        for &(cj, ej) in &order {
            let at_cost = || format!("{file}:{line}:{}", header(cj));
            let at_effect = || format!("{file}:{line}:{}", header(ej));
            c.push(read_cell(Cell::Money, cell(cj), &at_cost)?);
            e.push(read_cell(Cell::Number, cell(ej), &at_effect)?);
        }
        costs.push(Value::Array(c));
        effects.push(Value::Array(e));
        lines.push(line);
    }
    let headers = |is_cost: bool| -> Vec<String> {
        order
            .iter()
            .map(|&(c, e)| {
                gathered
                    .get(if is_cost { c } else { e })
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    };
    origin.list_headers.push(("cost".into(), headers(true)));
    origin.list_headers.push(("effect".into(), headers(false)));
    origin.lists.push(("cost".into(), lines.clone()));
    origin.lists.push(("effect".into(), lines));
    doc.entry("strategies")
        .or_insert_with(|| Value::Array(strategies.into_iter().map(Value::String).collect()));
    doc.insert("cost".into(), Value::Array(costs));
    doc.insert("effect".into(), Value::Array(effects));
    Ok(())
}

/// `M7`, `m7` or `7` as month 7 of the financial year.
fn month_number(text: &str) -> Option<u8> {
    let digits = text.strip_prefix(['M', 'm']).unwrap_or(text);
    digits.parse::<u8>().ok().filter(|m| (1..=12).contains(m))
}

/// KPI observations added to the settings' series by requirement id.
fn observations(
    doc: &mut Map<String, Value>,
    rows: Vec<Row>,
    origin: &mut Origin,
    file: &str,
) -> Result<(), DocumentError> {
    let Some(Value::Array(series)) = doc.get_mut("series") else {
        return Err(DocumentError::input(
            "--settings",
            "a KPI table needs the series (contract, provider and requirement) in the settings; the table adds their observations",
        ));
    };
    let index: HashMap<String, usize> = series
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            let id = s.get("requirement")?.get("id")?.as_str()?;
            Some((id.to_owned(), k))
        })
        .collect();
    for (line, mut row, _) in rows {
        let requirement = row
            .remove("requirement")
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let k = *index.get(&requirement).ok_or_else(|| {
            DocumentError::input(
                format!("{file}:{line}:requirement"),
                format!("no series in the settings has requirement {requirement:?}"),
            )
        })?;
        let Some(Value::Object(s)) = series.get_mut(k) else {
            continue;
        };
        let list = s
            .entry("observations")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else {
            return Err(DocumentError::input(
                format!("series[{k}].observations"),
                "expected a list",
            ));
        };
        origin
            .rows
            .insert(format!("series[{k}].observations[{}]", list.len()), line);
        list.push(Value::Object(row));
    }
    Ok(())
}

/// Whether an id names a total of the export rather than a unit (`Total`, `All`, `Grand
/// total`, `England`).
fn is_total(id: &str) -> bool {
    let id = id.trim().to_ascii_lowercase();
    matches!(
        id.as_str(),
        "total" | "totals" | "all" | "grand total" | "overall" | "sum"
    ) || id.starts_with("total ")
}
