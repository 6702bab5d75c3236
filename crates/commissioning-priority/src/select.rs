//! Budget-constrained selection of investments and disinvestments (programme budgeting and
//! marginal analysis).
//!
//! Choose the set of options that maximises total benefit (e.g. QALYs) with total cost within
//! the budget. A negative cost frees budget (a disinvestment), a negative benefit loses health.
//! Options in the same mutually exclusive group (variants of one service) are chosen at most
//! one at a time. An optional eligibility rule excludes investments whose cost per unit of
//! benefit exceeds a threshold.
//!
//! # The answers
//!
//! - **Exact**: the optimum, found by depth-first branch and bound over the groups with an
//!   upper bound from the linear relaxation; costs (pence) and benefits (decimals) are summed
//!   exactly as integers. Among equally good sets the tie-break is: higher benefit, then lower
//!   cost, then the lexicographically smaller sorted list of ids.
//! - **Greedy**: the league-table answer: every eligible investment with positive cost and
//!   benefit ranked by cost per unit of benefit (ties by id) and funded in order, skipping any
//!   that no longer fit or whose group is already funded, plus every option that costs nothing
//!   or frees money while adding benefit. Disinvestments are not considered, so with a negative
//!   budget (a savings target) the league table may not meet it.
//! - **Bound**: the divisible (linear programming) optimum, in which options may be part
//!   funded and groups are ignored; no selection can exceed it.
//!
//! The report says what was chosen, its cost and benefit, the budget left, and why each other
//! option was left out.

use commissioning_model::{Decimal, Money};
use serde::{Deserialize, Serialize};

use crate::error::{PriorityError, Result, finite, unique_ids};

/// An investment or disinvestment option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Candidate {
    /// An identifier, unique among the options.
    pub id: String,
    /// Its cost; negative when it frees money.
    pub cost: Money,
    /// Its benefit; negative when it loses health.
    pub benefit: f64,
    /// A mutually exclusive group: at most one option of a group is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Candidate {
    /// An option outside any group.
    pub fn new(id: impl Into<String>, cost: Money, benefit: f64) -> Self {
        Self {
            id: id.into(),
            cost,
            benefit,
            group: None,
        }
    }

    /// The same option in a mutually exclusive group.
    #[must_use]
    pub fn in_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }
}

/// A selection problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Problem {
    /// The budget.
    pub budget: Money,
    /// The options.
    pub candidates: Vec<Candidate>,
    /// Investments (positive cost and benefit) costing more than this per unit of benefit are
    /// ineligible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cost_per_benefit: Option<Money>,
    /// The most search nodes the exact method may visit before giving up (default 50,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_nodes: Option<u64>,
}

impl Problem {
    /// A problem with a budget and options.
    pub fn new(budget: Money, candidates: Vec<Candidate>) -> Self {
        Self {
            budget,
            candidates,
            max_cost_per_benefit: None,
            max_nodes: None,
        }
    }
}

/// Why an option was not chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Reason {
    /// Its cost per unit of benefit is above the eligibility threshold.
    AboveThreshold {
        /// Its cost per unit of benefit, rounded to pence.
        cost_per_benefit: Money,
    },
    /// It costs money (or nothing) and brings no benefit.
    NoBenefit,
    /// Another option of its group was chosen.
    GroupTaken {
        /// The option chosen in its place.
        by: String,
    },
    /// Its cost is more than the budget left after the chosen set.
    DoesNotFit {
        /// The budget left.
        budget_left: Money,
    },
    /// A disinvestment not made: the health it would lose outweighs what the money it frees
    /// could buy.
    KeptService,
    /// Funding it would mean giving up options worth more.
    BetterUseOfBudget,
}

/// An option left out, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LeftOut {
    /// The option.
    pub id: String,
    /// Why.
    pub reason: Reason,
}

/// A chosen set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Chosen {
    /// The ids chosen, sorted.
    pub ids: Vec<String>,
    /// Their total cost.
    pub cost: Money,
    /// Their total benefit.
    pub benefit: f64,
}

/// The result of a selection, with its comparators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Selection {
    /// The exact optimum.
    pub exact: Chosen,
    /// The budget left after the optimum.
    pub budget_left: Money,
    /// The league-table answer.
    pub greedy: Chosen,
    /// The divisible upper bound on benefit.
    pub divisible_bound: f64,
    /// The eligible options, sorted by id.
    pub eligible: Vec<String>,
    /// Every option not chosen, in input order, with the reason.
    pub left_out: Vec<LeftOut>,
    /// Search nodes the exact method visited.
    pub nodes: u64,
}

/// An option in exact integer units: pence and benefit scaled to a common number of places.
#[derive(Debug, Clone, Copy)]
struct Item {
    index: usize,
    cost: i128,
    benefit: i128,
}

fn benefit_decimal(b: f64, i: usize) -> Result<Decimal> {
    finite(|| format!("candidates[{i}].benefit"), b)?;
    format!("{b}").parse::<Decimal>().map_err(|_| {
        PriorityError::input(
            format!("candidates[{i}].benefit"),
            "is too large or precise to sum exactly",
        )
    })
}

/// Solves a selection problem.
///
/// ```
/// use commissioning_priority::select::{select, Candidate, Problem};
/// use commissioning_model::Money;
///
/// let k = |id: &str, cost: i64, qalys: f64| Candidate::new(id, Money::from_pounds(cost), qalys);
/// let p = Problem::new(Money::from_pounds(500_000), vec![
///     k("I1", 200_000, 12.0), k("I2", 150_000, 10.0), k("I3", 250_000, 14.0),
///     k("I4", 100_000, 4.0), k("I5", 180_000, 9.5)]);
/// let s = select(&p)?;
/// assert_eq!(s.exact.ids, ["I2", "I3", "I4"]);
/// assert_eq!(s.exact.benefit, 28.0);
/// assert_eq!(s.greedy.ids, ["I1", "I2", "I4"]); // the league table funds 26 QALYs
/// # Ok::<(), commissioning_priority::PriorityError>(())
/// ```
///
/// # Errors
///
/// [`PriorityError::InvalidInput`] for duplicate or empty ids, non-finite benefits, a negative
/// threshold, values too large to sum exactly, or a budget (a savings target, when negative)
/// that no choice of options can meet; [`PriorityError::Undefined`] when the exact
/// search exceeds its node limit.
pub fn select(problem: &Problem) -> Result<Selection> {
    let cands = &problem.candidates;
    unique_ids("candidates", &cands.iter().map(|c| c.id.as_str()))?;
    if let Some(t) = problem.max_cost_per_benefit
        && t.is_negative()
    {
        return Err(PriorityError::input(
            "max_cost_per_benefit",
            "must not be negative",
        ));
    }
    let benefits: Vec<Decimal> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| benefit_decimal(c.benefit, i))
        .collect::<Result<_>>()?;
    let scale = benefits
        .iter()
        .map(|b| b.normalize().scale())
        .max()
        .unwrap_or(0);
    let to_units = |d: Decimal, i: usize| -> Result<i128> {
        let d = d.normalize();
        10i128
            .checked_pow(scale.saturating_sub(d.scale()))
            .and_then(|f| d.mantissa().checked_mul(f))
            .ok_or_else(|| {
                PriorityError::input(
                    format!("candidates[{i}].benefit"),
                    "benefits span too many decimal places to sum exactly",
                )
            })
    };
    let pence = |m: Money, field: String| -> Result<i128> {
        m.round_pence()
            .to_pence()
            .ok_or_else(|| PriorityError::input(field, "is too large"))
    };
    if !problem.budget.is_whole_pence() {
        return Err(PriorityError::input(
            "budget",
            "must be a whole number of pence",
        ));
    }
    let budget = pence(problem.budget, "budget".into())?;

    // Classify.
    let mut left_out: Vec<(usize, Reason)> = Vec::new();
    let mut eligible: Vec<String> = Vec::new();
    let mut items = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if !c.cost.is_whole_pence() {
            return Err(PriorityError::input(
                format!("candidates[{i}].cost"),
                "must be a whole number of pence",
            ));
        }
        let cost = pence(c.cost, format!("candidates[{i}].cost"))?;
        let benefit = to_units(benefits.get(i).copied().unwrap_or_default(), i)?;
        if let Some(t) = problem.max_cost_per_benefit
            && cost > 0
            && benefit > 0
        {
            let cpb = c
                .cost
                .checked_div_decimal(benefits.get(i).copied().unwrap_or(Decimal::ONE))?;
            if cpb > t {
                left_out.push((
                    i,
                    Reason::AboveThreshold {
                        cost_per_benefit: cpb.round_pence(),
                    },
                ));
                continue;
            }
        }
        eligible.push(c.id.clone());
        if benefit <= 0 && cost >= 0 {
            left_out.push((i, Reason::NoBenefit));
            continue;
        }
        items.push(Item {
            index: i,
            cost,
            benefit,
        });
    }

    // Every partial sum of benefits and costs must be exact: refuse inputs whose magnitudes
    // could overflow 128 bits when added up.
    let fits = |f: fn(&Item) -> i128| {
        items
            .iter()
            .try_fold(0i128, |acc, it| acc.checked_add(f(it).saturating_abs()))
            .is_some()
    };
    if !fits(|it| it.benefit) || !fits(|it| it.cost) {
        return Err(PriorityError::input(
            "candidates",
            "benefits or costs too large to add up exactly",
        ));
    }

    // Groups: options sharing a group id form one decision; others are singletons.
    let mut group_of: Vec<Option<usize>> = vec![None; cands.len()];
    let mut groups: Vec<Vec<Item>> = Vec::new();
    let mut named: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for it in &items {
        let g = match cands.get(it.index).and_then(|c| c.group.as_deref()) {
            Some(name) => *named.entry(name).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len().saturating_sub(1)
            }),
            None => {
                groups.push(Vec::new());
                groups.len().saturating_sub(1)
            }
        };
        if let Some(slot) = groups.get_mut(g) {
            slot.push(*it);
        }
        if let Some(s) = group_of.get_mut(it.index) {
            *s = Some(g);
        }
    }

    let mut search = Search::new(
        cands,
        &groups,
        budget,
        problem.max_nodes.unwrap_or(50_000_000),
    );
    search.run()?;
    // A negative budget is a savings target; when even the best mix of disinvestments cannot
    // meet it, no selection is feasible.
    let best = search.best.clone().ok_or_else(|| {
        PriorityError::input(
            "budget",
            format!(
                "no choice of options fits a budget of {}: the disinvestments cannot free enough",
                problem.budget
            ),
        )
    })?;
    let chosen_set: std::collections::BTreeSet<usize> = best.iter().copied().collect();
    let exact = chosen(cands, &best, scale, &benefits)?;
    let budget_left = problem.budget.checked_sub(exact.cost)?;

    // Why the rest were left out.
    for it in &items {
        if chosen_set.contains(&it.index) {
            continue;
        }
        let g = group_of.get(it.index).copied().flatten();
        let taken = g
            .and_then(|g| groups.get(g))
            .and_then(|members| members.iter().find(|m| chosen_set.contains(&m.index)));
        let reason = if let Some(other) = taken {
            Reason::GroupTaken {
                by: cands
                    .get(other.index)
                    .map(|c| c.id.clone())
                    .unwrap_or_default(),
            }
        } else if it.cost < 0 && it.benefit < 0 {
            Reason::KeptService
        } else if cands.get(it.index).is_some_and(|c| c.cost > budget_left) {
            Reason::DoesNotFit { budget_left }
        } else {
            Reason::BetterUseOfBudget
        };
        left_out.push((it.index, reason));
    }
    left_out.sort_by_key(|(i, _)| *i);
    let left_out = left_out
        .into_iter()
        .filter_map(|(i, reason)| {
            cands.get(i).map(|c| LeftOut {
                id: c.id.clone(),
                reason,
            })
        })
        .collect();

    let greedy_set = greedy(cands, &items, budget);
    let greedy = chosen(cands, &greedy_set, scale, &benefits)?;
    let divisible_bound = divisible(&search, budget, scale);
    eligible.sort();
    Ok(Selection {
        exact,
        budget_left,
        greedy,
        divisible_bound,
        eligible,
        left_out,
        nodes: search.nodes,
    })
}

/// The divisible bound in benefit units, as `f64`.
fn divisible(search: &Search<'_>, budget: i128, scale: u32) -> f64 {
    let unit = 10f64.powi(i32::try_from(scale).unwrap_or(0));
    // Recompute the last item's fractional share exactly for the report.
    let mut room = budget;
    let mut total: i128 = 0;
    for (freed, gained) in &search.pre {
        room = room.saturating_add(*freed);
        total = total.saturating_add(*gained);
    }
    if room < 0 {
        return f64::NEG_INFINITY;
    }
    #[allow(clippy::cast_precision_loss)]
    let mut fraction = 0.0f64;
    for &(_, c, b) in &search.relaxed {
        if c <= room {
            room = room.saturating_sub(c);
            total = total.saturating_add(b);
        } else {
            #[allow(clippy::cast_precision_loss)]
            {
                fraction = b as f64 * (room as f64 / c as f64);
            }
            break;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let whole = total as f64;
    (whole + fraction) / unit
}

fn chosen(cands: &[Candidate], set: &[usize], _scale: u32, benefits: &[Decimal]) -> Result<Chosen> {
    let mut ids: Vec<String> = set
        .iter()
        .filter_map(|&i| cands.get(i).map(|c| c.id.clone()))
        .collect();
    ids.sort();
    let cost = Money::checked_sum(set.iter().filter_map(|&i| cands.get(i).map(|c| c.cost)))?;
    let benefit: Decimal = set
        .iter()
        .filter_map(|&i| benefits.get(i).copied())
        .try_fold(Decimal::ZERO, |a, b| a.checked_add(b))
        .unwrap_or_default();
    let benefit = benefit.to_string().parse::<f64>().unwrap_or(f64::NAN);
    Ok(Chosen { ids, cost, benefit })
}

fn greedy(cands: &[Candidate], items: &[Item], budget: i128) -> Vec<usize> {
    let group = |i: usize| cands.get(i).and_then(|c| c.group.as_deref());
    let id = |i: usize| cands.get(i).map(|c| c.id.as_str());
    let mut taken: Vec<usize> = Vec::new();
    let mut groups_taken = std::collections::BTreeSet::new();
    let mut room = budget;
    // Options that cost nothing or free money while adding benefit come first, best first.
    let mut free: Vec<&Item> = items
        .iter()
        .filter(|it| it.cost <= 0 && it.benefit >= 0)
        .collect();
    free.sort_by(|a, b| {
        b.benefit
            .cmp(&a.benefit)
            .then(a.cost.cmp(&b.cost))
            .then_with(|| id(a.index).cmp(&id(b.index)))
    });
    // Then the league table: cost per unit of benefit, ascending, compared exactly.
    let mut league: Vec<&Item> = items
        .iter()
        .filter(|it| it.cost > 0 && it.benefit > 0)
        .collect();
    league.sort_by(|a, b| {
        let ord = match (a.cost.checked_mul(b.benefit), b.cost.checked_mul(a.benefit)) {
            (Some(l), Some(r)) => l.cmp(&r),
            _ => {
                #[allow(clippy::cast_precision_loss)]
                let (x, y) = (
                    a.cost as f64 / a.benefit as f64,
                    b.cost as f64 / b.benefit as f64,
                );
                x.total_cmp(&y)
            }
        };
        ord.then_with(|| id(a.index).cmp(&id(b.index)))
    });
    for it in free.into_iter().chain(league) {
        let g = group(it.index);
        if g.is_some_and(|g| groups_taken.contains(g)) || it.cost > room {
            continue;
        }
        room = room.saturating_sub(it.cost);
        taken.push(it.index);
        if let Some(g) = g {
            groups_taken.insert(g);
        }
    }
    taken.sort_unstable();
    taken
}

/// Depth-first branch and bound over groups.
struct Search<'a> {
    cands: &'a [Candidate],
    groups: &'a [Vec<Item>],
    /// Items for the bound, transformed to positive cost and benefit and sorted by benefit
    /// per unit cost, with the group each belongs to.
    relaxed: Vec<(usize, i128, i128)>,
    /// For each group, Σ|cost| and Σ|benefit| of its disinvestments (pre-taken in the bound)
    /// and Σ benefit and Σ|cost| of its free wins.
    pre: Vec<(i128, i128)>,
    budget: i128,
    best: Option<Vec<usize>>,
    best_benefit: i128,
    best_cost: i128,
    best_ids: Vec<String>,
    nodes: u64,
    max_nodes: u64,
    path: Vec<usize>,
}

impl<'a> Search<'a> {
    fn new(cands: &'a [Candidate], groups: &'a [Vec<Item>], budget: i128, max_nodes: u64) -> Self {
        let mut relaxed = Vec::new();
        let mut pre = vec![(0i128, 0i128); groups.len()];
        for (g, members) in groups.iter().enumerate() {
            for it in members {
                if it.cost < 0 && it.benefit < 0 {
                    // Pre-take: frees |cost| and loses |benefit|; un-taking it is an item.
                    if let Some(p) = pre.get_mut(g) {
                        p.0 = p.0.saturating_add(it.cost.saturating_neg());
                        p.1 = p.1.saturating_sub(it.benefit.saturating_neg());
                    }
                    relaxed.push((g, it.cost.saturating_neg(), it.benefit.saturating_neg()));
                } else if it.cost <= 0 {
                    if let Some(p) = pre.get_mut(g) {
                        p.0 = p.0.saturating_add(it.cost.saturating_neg());
                        p.1 = p.1.saturating_add(it.benefit);
                    }
                } else {
                    relaxed.push((g, it.cost, it.benefit));
                }
            }
        }
        #[allow(clippy::cast_precision_loss)]
        relaxed.sort_by(|a, b| (b.2 as f64 / b.1 as f64).total_cmp(&(a.2 as f64 / a.1 as f64)));
        Self {
            cands,
            groups,
            relaxed,
            pre,
            budget,
            best: None,
            best_benefit: i128::MIN,
            best_cost: i128::MAX,
            best_ids: Vec::new(),
            nodes: 0,
            max_nodes,
            path: Vec::new(),
        }
    }

    /// Upper bound on the benefit reachable from group `from` on, given benefit so far and
    /// budget left, by the linear relaxation (groups ignored, items divisible), in exact integer
    /// units: the whole part, and the part-funded last item's share rounded up. `None` when no
    /// completion can be within budget.
    fn bound_from(&self, from: usize, benefit: i128, room: i128) -> Option<(i128, i128)> {
        let mut room = room;
        let mut total = benefit;
        for (freed, gained) in self.pre.iter().skip(from) {
            room = room.saturating_add(*freed);
            total = total.saturating_add(*gained);
        }
        if room < 0 {
            return None;
        }
        for &(g, c, b) in &self.relaxed {
            if g < from {
                continue;
            }
            if c <= room {
                room = room.saturating_sub(c);
                total = total.saturating_add(b);
            } else {
                // ⌈b × room / c⌉, exactly where the product fits, else an upper bound in f64.
                let part = b
                    .checked_mul(room)
                    .and_then(|p| p.saturating_add(c.saturating_sub(1)).checked_div(c))
                    .unwrap_or_else(|| {
                        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
                        let approx = (b as f64 * (room as f64 / c as f64)).ceil() as i128;
                        approx.saturating_add(1)
                    });
                return Some((total, part));
            }
        }
        Some((total, 0))
    }

    /// The depth-first search, iterative so that thousands of groups cannot exhaust the
    /// stack: each frame is one group with its options in the order they are tried (by benefit,
    /// highest first, then "none of this group"), exactly as a recursive search would.
    fn run(&mut self) -> Result<()> {
        let mut stack: Vec<Frame> = Vec::new();
        if let Some(f) = self.enter(0, 0, self.budget, 0)? {
            stack.push(f);
        }
        while let Some(top) = stack.last_mut() {
            if top.pushed {
                self.path.pop();
                top.pushed = false;
            }
            let child = if let Some(it) = top.opts.get(top.next).copied() {
                top.next = top.next.saturating_add(1);
                self.path.push(it.index);
                top.pushed = true;
                (
                    top.g.saturating_add(1),
                    top.benefit.saturating_add(it.benefit),
                    top.room.saturating_sub(it.cost),
                    top.cost.saturating_add(it.cost),
                )
            } else if top.next == top.opts.len() {
                top.next = top.next.saturating_add(1);
                (top.g.saturating_add(1), top.benefit, top.room, top.cost)
            } else {
                stack.pop();
                continue;
            };
            if let Some(f) = self.enter(child.0, child.1, child.2, child.3)? {
                stack.push(f);
            }
        }
        Ok(())
    }

    fn better(&self, benefit: i128, cost: i128, ids: &[String]) -> bool {
        benefit > self.best_benefit
            || (benefit == self.best_benefit
                && (cost < self.best_cost
                    || (cost == self.best_cost && ids < self.best_ids.as_slice())))
    }

    /// Visits the node for group `g`: counts it against the limit, records a complete
    /// selection at the leaves, prunes by the bound, and otherwise returns the frame of the
    /// group's options to try.
    fn enter(&mut self, g: usize, benefit: i128, room: i128, cost: i128) -> Result<Option<Frame>> {
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes > self.max_nodes {
            return Err(PriorityError::Undefined {
                what: "the exact selection".into(),
                reason: format!(
                    "the search passed its limit of {} nodes; raise max_nodes or reduce the options",
                    self.max_nodes
                ),
            });
        }
        if g == self.groups.len() {
            if room < 0 {
                return Ok(None);
            }
            let mut ids: Vec<String> = self
                .path
                .iter()
                .filter_map(|&i| self.cands.get(i).map(|c| c.id.clone()))
                .collect();
            ids.sort();
            if self.better(benefit, cost, &ids) {
                self.best_benefit = benefit;
                self.best_cost = cost;
                self.best_ids = ids;
                self.best = Some(self.path.clone());
            }
            return Ok(None);
        }
        match self.bound_from(g, benefit, room) {
            None => return Ok(None),
            Some((whole, part))
                if self.best.is_some() && whole.saturating_add(part) < self.best_benefit =>
            {
                return Ok(None);
            }
            Some(_) => {}
        }
        let mut opts: Vec<Item> = self.groups.get(g).cloned().unwrap_or_default();
        opts.sort_by(|a, b| b.benefit.cmp(&a.benefit).then(a.cost.cmp(&b.cost)));
        Ok(Some(Frame {
            g,
            benefit,
            room,
            cost,
            opts,
            next: 0,
            pushed: false,
        }))
    }
}

/// One group of the search in progress: where it stands and which option comes next.
#[derive(Debug)]
struct Frame {
    g: usize,
    benefit: i128,
    room: i128,
    cost: i128,
    opts: Vec<Item>,
    /// The next option to try; `opts.len()` is "none of this group", beyond it the frame is done.
    next: usize,
    /// Whether an option of this group is on the path (to take off when its subtree is done).
    pushed: bool,
}
