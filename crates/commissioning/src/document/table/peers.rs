//! `peers` on a table: one row per area, its variables as columns; the result one row per area
//! and peer, nearest first.

use serde_json::Value;

use super::funnel::split;
use super::{Column, Columns, Kind, Table, Values, count, finite, present};
use crate::compare::peers::{PeerInput, PeerUnit, similar};
use crate::document::DocumentError;
use crate::document::limits;

/// The column options; `weights` and `k` are as the `peers` document names them.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnNames {
    id: String,
    variables: Vec<String>,
}

pub(super) fn run(table: &dyn Columns, options: &str) -> Result<Table, DocumentError> {
    let (names, rest) = split(options, &["id", "variables"])?;
    let names: ColumnNames = super::options(&names)?;
    let mut wanted: Vec<&str> = vec![&names.id];
    wanted.extend(names.variables.iter().map(String::as_str));
    present(table, &wanted)?;
    limits::PEER_UNITS.check(&names.id, limits::n(table.rows()))?;
    let mut doc = rest;
    doc.insert("units".to_owned(), Value::Array(Vec::new()));
    doc.insert(
        "variables".to_owned(),
        Value::Array(names.variables.iter().cloned().map(Value::String).collect()),
    );
    let mut input: PeerInput = super::options(&Value::Object(doc).to_string())?;
    limits::OUTPUT_ROWS.check(
        "k",
        limits::n(table.rows()).saturating_mul(limits::n(input.k)),
    )?;
    let ids = super::required(&names.id, table.texts(&names.id)?)?;
    let columns: Vec<Vec<f64>> = names
        .variables
        .iter()
        .map(|v| finite(table, v))
        .collect::<Result<_, _>>()?;
    input.units = ids
        .iter()
        .enumerate()
        .map(|(row, id)| {
            let values = columns
                .iter()
                .map(|c| c.get(row).copied().unwrap_or(f64::NAN))
                .collect();
            PeerUnit::new(id.clone(), values)
        })
        .collect();
    let groups = similar(&input).map_err(DocumentError::rule)?;
    let mut rows = Vec::new();
    let (mut peer, mut rank, mut distance) = (Vec::new(), Vec::new(), Vec::new());
    for (unit, group) in groups.units.iter().enumerate() {
        for (i, (p, d)) in group.peers.iter().zip(&group.distances).enumerate() {
            rows.push(unit);
            peer.push(Some(p.clone()));
            rank.push(count(i.saturating_add(1)));
            distance.push(Some(*d));
        }
    }
    Ok(Table {
        rows,
        carried: vec![names.id],
        columns: vec![
            Column::new("peer", Kind::Id, Values::Text(peer)),
            Column::new("rank", Kind::Count, Values::Int(rank)),
            Column::floats("distance", Kind::Ratio, distance),
        ],
        metadata: Vec::new(),
        warnings: Vec::new(),
    })
}
