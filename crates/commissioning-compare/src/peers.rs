//! Peer groups by NHS RightCare's "similar 10" method: each unit's `k` nearest neighbours on
//! standardised descriptive variables.
//!
//! The steps of [`similar`], for each variable over all `N` units:
//!
//! 1. **Cap** each value at `m + 5 sd` (mean and population standard deviation, dividing by `N`).
//! 2. **Square-root** the capped values.
//! 3. **Standardise**: `z = (t − m′)/sd′` with the mean and population standard deviation of the
//!    square roots; a variable whose square roots are all equal gives `z = 0` throughout.
//!
//! Then the weighted squared Euclidean distance `d(a, b) = Σⱼ wⱼ (z_aj − z_bj)²` (no square
//! root), and the `k` other units with the smallest `d`, ties broken by ascending id (byte
//! order). The unit itself is always excluded; an identical other unit is a peer at distance 0.
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::peers::{similar, PeerInput, PeerUnit};
//!
//! let units = vec![
//!     PeerUnit::new("A", vec![1.0, 4.0]),
//!     PeerUnit::new("B", vec![4.0, 9.0]),
//!     PeerUnit::new("C", vec![1.0, 9.0]),
//!     PeerUnit::new("D", vec![16.0, 1.0]),
//! ];
//! let groups = similar(&PeerInput::new(vec!["deprivation".into(), "age_65_plus".into()], units, 2))?;
//! assert_eq!(groups.units[0].peers, ["C", "B"]);
//! # Ok::<(), commissioning_compare::CompareError>(())
//! ```

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

use crate::error::{CompareError, Result, check_count, unique_ids};

/// One area or provider with its descriptive variables.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PeerUnit {
    /// The unit's name or ODS code (unique).
    pub id: String,
    /// One value per variable, each at least 0, in the order of `variables`.
    pub values: Vec<f64>,
}

impl PeerUnit {
    /// A unit.
    pub fn new(id: impl Into<String>, values: Vec<f64>) -> Self {
        Self {
            id: id.into(),
            values,
        }
    }
}

fn ten() -> usize {
    10
}

/// The units, their variables and the method's options.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PeerInput {
    /// The variables' names.
    pub variables: Vec<String>,
    /// The units.
    pub units: Vec<PeerUnit>,
    /// One weight per variable, each at least 0 (default all 1).
    #[serde(default)]
    pub weights: Option<Vec<f64>>,
    /// How many peers each unit gets (default 10).
    #[serde(default = "ten")]
    pub k: usize,
}

impl PeerInput {
    /// Units on equally weighted variables, `k` peers each.
    pub fn new(variables: Vec<String>, units: Vec<PeerUnit>, k: usize) -> Self {
        Self {
            variables,
            units,
            weights: None,
            k,
        }
    }
}

/// One unit's peer group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PeerGroup {
    /// The unit's id.
    pub id: String,
    /// Its standardised values, one per variable.
    pub standardised: Vec<f64>,
    /// Its `k` peers, most similar first.
    pub peers: Vec<String>,
    /// Their weighted squared distances, ascending.
    pub distances: Vec<f64>,
}

/// Every unit's peer group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PeerGroups {
    /// The units, in input order.
    pub units: Vec<PeerGroup>,
}

impl PeerGroups {
    /// The peer group of the unit with this id.
    pub fn get(&self, id: &str) -> Option<&PeerGroup> {
        self.units.iter().find(|g| g.id == id)
    }
}

fn validate(input: &PeerInput) -> Result<Vec<f64>> {
    let v = input.variables.len();
    if v == 0 {
        return Err(CompareError::input(
            "variables",
            "at least one variable is required",
        ));
    }
    if input.k < 1 {
        return Err(CompareError::input("k", "must be at least 1"));
    }
    let weights = match &input.weights {
        None => vec![1.0; v],
        Some(w) => {
            if w.len() != v {
                return Err(CompareError::input(
                    "weights",
                    format!("expected {v} weights (one per variable), got {}", w.len()),
                ));
            }
            for (j, &x) in w.iter().enumerate() {
                check_count(|| format!("weights[{j}]"), x, false)?;
            }
            w.clone()
        }
    };
    unique_ids("units", &input.units.iter().map(|u| u.id.as_str()))?;
    for (i, u) in input.units.iter().enumerate() {
        if u.values.len() != v {
            return Err(CompareError::input(
                format!("units[{i}].values"),
                format!(
                    "expected {v} values (one per variable), got {}",
                    u.values.len()
                ),
            ));
        }
        for (j, &x) in u.values.iter().enumerate() {
            check_count(|| format!("units[{i}].values[{j}]"), x, false)?;
        }
    }
    if input.k >= input.units.len() {
        return Err(CompareError::range(
            "k",
            format!(
                "{} peers asked for, but there are only {} other units",
                input.k,
                input.units.len().saturating_sub(1)
            ),
        ));
    }
    Ok(weights)
}

/// Mean and population standard deviation.
fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (mut n, mut sum) = (0.0, 0.0);
    for x in values.clone() {
        n += 1.0;
        sum += x;
    }
    let mean = sum / n;
    let ss: f64 = values.map(|x| (x - mean) * (x - mean)).sum();
    (mean, (ss / n).sqrt())
}

/// Standardises the units' values, variable by variable (steps 1 to 3), into a row-major
/// matrix.
pub fn standardise(units: &[PeerUnit], variables: usize) -> Vec<f64> {
    let n = units.len();
    let mut z = vec![0.0; n.saturating_mul(variables)];
    for j in 0..variables {
        let raw = units
            .iter()
            .map(move |u| u.values.get(j).copied().unwrap_or(0.0));
        let (m, sd) = mean_sd(raw.clone());
        let cap = m + 5.0 * sd;
        let roots: Vec<f64> = raw.map(|x| x.min(cap).sqrt()).collect();
        let first = roots.first().copied().unwrap_or(0.0);
        // Exact equality is the rule: a constant variable contributes nothing.
        #[allow(clippy::float_cmp)]
        let constant = roots.iter().all(|&t| t == first);
        if constant {
            continue; // all zero already
        }
        let (m2, sd2) = mean_sd(roots.iter().copied());
        for (row, t) in z.chunks_exact_mut(variables).zip(&roots) {
            if let Some(slot) = row.get_mut(j) {
                *slot = (t - m2) / sd2;
            }
        }
    }
    z
}

/// The `k` best candidates seen so far, sorted by (distance, id rank).
struct Best {
    k: usize,
    items: Vec<(f64, u32)>,
}

impl Best {
    fn new(k: usize) -> Self {
        Self {
            k,
            items: Vec::with_capacity(k.saturating_add(1)),
        }
    }

    fn offer(&mut self, d: f64, rank: u32) {
        let worse = |a: &(f64, u32), b: &(f64, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if self.items.len() == self.k {
            match self.items.last() {
                Some(last) if worse(&(d, rank), last) == Ordering::Less => {}
                _ => return,
            }
            self.items.pop();
        }
        let at = self
            .items
            .partition_point(|x| worse(x, &(d, rank)) == Ordering::Less);
        self.items.insert(at, (d, rank));
    }
}

/// Every unit's `k` most similar peers: see the module documentation for the steps.
///
/// The work is `N²/2` distances of `V` terms each: 7,000 units × 12 variables take well under
/// a second on one core.
///
/// # Errors
///
/// [`CompareError::InvalidInput`] for no variables, a duplicate id, a wrong number of values
/// or weights, a negative or non-finite value or weight, or `k` of 0;
/// [`CompareError::OutOfRange`] when `k` is not less than the number of units.
pub fn similar(input: &PeerInput) -> Result<PeerGroups> {
    let weights = validate(input)?;
    let v = input.variables.len();
    let n = input.units.len();
    let z = standardise(&input.units, v);
    // Rank of each id in byte order, for tie-breaks by integer comparison.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let id = |i: usize| input.units.get(i).map_or("", |u| u.id.as_str());
        id(a).cmp(id(b))
    });
    let mut rank = vec![0_u32; n];
    for (r, &i) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(i) {
            *slot = u32::try_from(r).unwrap_or(u32::MAX);
        }
    }
    let mut best: Vec<Best> = (0..n).map(|_| Best::new(input.k)).collect();
    let rows: Vec<&[f64]> = z.chunks_exact(v).collect();
    for a in 0..n {
        let (Some(za), Some(&ra)) = (rows.get(a), rank.get(a)) else {
            continue;
        };
        for b in a.saturating_add(1)..n {
            let (Some(zb), Some(&rb)) = (rows.get(b), rank.get(b)) else {
                continue;
            };
            let mut d = 0.0;
            for ((x, y), w) in za.iter().zip(zb.iter()).zip(&weights) {
                let diff = x - y;
                d += w * diff * diff;
            }
            if let Some(h) = best.get_mut(a) {
                h.offer(d, rb);
            }
            if let Some(h) = best.get_mut(b) {
                h.offer(d, ra);
            }
        }
    }
    let units = input
        .units
        .iter()
        .zip(best)
        .enumerate()
        .map(|(i, (u, b))| PeerGroup {
            id: u.id.clone(),
            standardised: rows.get(i).map(|r| r.to_vec()).unwrap_or_default(),
            peers: b
                .items
                .iter()
                .filter_map(|&(_, r)| {
                    order
                        .get(r as usize)
                        .and_then(|&j| input.units.get(j))
                        .map(|p| p.id.clone())
                })
                .collect(),
            distances: b.items.iter().map(|&(d, _)| d).collect(),
        })
        .collect();
    Ok(PeerGroups { units })
}
