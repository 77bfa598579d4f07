//! Statistical disclosure control (Geheimhaltung), applied in the server before any value leaves
//! it. Primary suppression hides a value whose underlying count is below the indicator's minimum;
//! secondary suppression hides further values until no hidden count can be narrowed down from
//! what is published.
//!
//! The published table implies one equation per area and lower level: the area's count is the
//! sum of its descendants' counts at that level — its Viertel, and also its Quartiere when the
//! Quartier level hangs below it directly or through a level without values. Secondary
//! suppression works in two passes:
//! 1. a quick rule: no equation may keep exactly one hidden member (it could be solved for it);
//! 2. an audit, as statistical offices audit their tables (τ-ARGUS): for every primarily hidden
//!    count, two linear programs find the smallest and largest value consistent with everything
//!    published (counts are never negative). Where that range is narrower than the protection
//!    interval (the minimum count), one more member of its equations is hidden, and both passes
//!    run again.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::{BTreeMap, HashMap};

/// A value as the viewer may see it: after disclosure control, per area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VisibleValue {
    pub area_id: i32,
    pub cell: super::Cell,
    /// Only for values shown; a suppressed value never carries its counts.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

/// One value of one indicator at one date, with what disclosure control needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct SdcCell {
    pub area: i64,
    /// The level of the area: a sum holds over the descendants of one level.
    pub level: i64,
    /// Every ancestor of the area in the area tree, nearest first — also those without a cell
    /// here, so that a Bezirk is seen as the sum of its Quartiere across a skipped level.
    pub ancestors: Vec<i64>,
    /// Whether the cell has a value at all (no data is never suppressed: there is nothing to hide).
    pub has_value: bool,
    /// The counts behind the value: for a count indicator the value itself, for a share or rate
    /// its numerator and denominator. Empty when they are unknown.
    pub counts: [Option<f64>; 3],
}

impl SdcCell {
    /// The smallest known count behind the value, used to pick the cheapest member to hide.
    fn smallest_count(&self) -> f64 {
        self.counts
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    /// The count dimensions that are below the minimum (what primary suppression protects).
    fn small_dimensions(&self, min_count: f64) -> impl Iterator<Item = usize> + '_ {
        (0..3).filter(move |&k| {
            self.counts[k].is_some_and(|n| n.is_finite() && n < min_count) && self.has_value
        })
    }
}

/// Why a value is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    /// Its own count is below the minimum.
    Primary,
    /// It would otherwise reveal a primarily suppressed value.
    Secondary,
}

/// "total = sum of parts", as indices into the cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equation {
    pub total: usize,
    pub parts: Vec<usize>,
}

impl Equation {
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// The equations a reader of the table can set up: a cell equals the sum of the cells of one
/// lower level whose nearest ancestor in the table it is — its Viertel, and its Quartiere when
/// they hang below it directly or through a level without values. Sums across more levels
/// (a Bezirk as the sum of the Quartiere of its Viertel) follow from these, and the audit's
/// linear programs see them. Cells without a value take part as unknowns.
pub fn equations(cells: &[SdcCell]) -> Vec<Equation> {
    let index_of: HashMap<i64, usize> =
        cells.iter().enumerate().map(|(i, c)| (c.area, i)).collect();
    // (total, level of the parts) → parts; ordered so the same table gives the same equations.
    let mut by_total: BTreeMap<(usize, i64), Vec<usize>> = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        if let Some(&t) = c.ancestors.iter().find_map(|a| index_of.get(a)) {
            if t != i {
                by_total.entry((t, c.level)).or_default().push(i);
            }
        }
    }
    by_total
        .into_iter()
        .map(|((total, _), parts)| Equation { total, parts })
        .collect()
}

/// Decides which cells to suppress. `min_count` is the indicator's minimum count (a count below
/// it is hidden; a minimum of 0 turns disclosure control off). Returns one entry per cell.
/// Deterministic: the same table always hides the same cells.
pub fn suppress(cells: &[SdcCell], min_count: f64) -> Vec<Option<Suppression>> {
    let mut out: Vec<Option<Suppression>> = cells
        .iter()
        .map(|c| {
            c.small_dimensions(min_count)
                .next()
                .map(|_| Suppression::Primary)
        })
        .collect();
    if out.iter().all(Option::is_none) {
        return out;
    }
    let eqs = equations(cells);
    close_single_hidden(cells, &eqs, &mut out);
    // Hiding more only widens every range, so one pass over the primary cells suffices: a cell
    // protected once stays protected while later cells take partners.
    for i in 0..cells.len() {
        if out[i] != Some(Suppression::Primary) {
            continue;
        }
        for k in cells[i].small_dimensions(min_count).collect::<Vec<_>>() {
            // Each turn hides one more cell, so this ends.
            while exposed(cells, &eqs, &out, k, i, min_count) {
                let Some(p) = cheapest_partner(cells, &eqs, &out, i) else {
                    break;
                };
                out[p] = Some(Suppression::Secondary);
            }
        }
    }
    out
}

/// Whether count `k` of cell `i` can be narrowed to less than `min_count` from what is shown.
fn exposed(
    cells: &[SdcCell],
    eqs: &[Equation],
    out: &[Option<Suppression>],
    k: usize,
    i: usize,
    min_count: f64,
) -> bool {
    let hidden: Vec<bool> = out.iter().map(Option::is_some).collect();
    feasible_range(cells, eqs, &hidden, k, i).is_some_and(|(lo, hi)| hi - lo < min_count - 1e-6)
}

/// The quick rule: an equation with exactly one hidden member gives it away, so its cheapest
/// shown member goes too (the total, when every part is hidden). Repeated until no equation
/// has a single hidden member, because hiding a cell can leave another equation with one.
fn close_single_hidden(cells: &[SdcCell], eqs: &[Equation], out: &mut [Option<Suppression>]) {
    loop {
        let mut changed = false;
        for eq in eqs {
            let unknown = |i: usize| out[i].is_some() || !cells[i].has_value;
            if eq.members().filter(|&i| unknown(i)).count() != 1
                || eq.members().all(|i| out[i].is_none())
            {
                continue;
            }
            let partner = eq
                .parts
                .iter()
                .copied()
                .filter(|&i| !unknown(i))
                .min_by(|&a, &b| cheaper(cells, a, b))
                .unwrap_or(eq.total);
            if unknown(partner) {
                continue;
            }
            out[partner] = Some(Suppression::Secondary);
            changed = true;
        }
        if !changed {
            return;
        }
    }
}

fn cheaper(cells: &[SdcCell], a: usize, b: usize) -> std::cmp::Ordering {
    cells[a]
        .smallest_count()
        .total_cmp(&cells[b].smallest_count())
        .then(cells[a].area.cmp(&cells[b].area))
}

/// The cheapest shown cell in any equation of cell `i`.
fn cheapest_partner(
    cells: &[SdcCell],
    eqs: &[Equation],
    out: &[Option<Suppression>],
    i: usize,
) -> Option<usize> {
    eqs.iter()
        .filter(|eq| eq.members().any(|m| m == i))
        .flat_map(Equation::members)
        .filter(|&m| out[m].is_none() && cells[m].has_value)
        .min_by(|&a, &b| cheaper(cells, a, b))
}

/// The smallest and largest value of count `k` of cell `target` consistent with every equation
/// and the published counts, with hidden (and unknown) counts free but never negative. `None`
/// where the published counts contradict the equations (the table does not add up: then no
/// exact reasoning is possible, and the quick rule alone applies). An unbounded side is
/// `f64::INFINITY`.
pub fn feasible_range(
    cells: &[SdcCell],
    eqs: &[Equation],
    hidden: &[bool],
    k: usize,
    target: usize,
) -> Option<(f64, f64)> {
    let lo = solve(
        cells,
        eqs,
        hidden,
        k,
        target,
        OptimizationDirection::Minimize,
    )?;
    let hi = solve(
        cells,
        eqs,
        hidden,
        k,
        target,
        OptimizationDirection::Maximize,
    )?;
    Some((lo, hi))
}

fn solve(
    cells: &[SdcCell],
    eqs: &[Equation],
    hidden: &[bool],
    k: usize,
    target: usize,
    direction: OptimizationDirection,
) -> Option<f64> {
    let known = |i: usize| {
        (!hidden[i] && cells[i].has_value)
            .then_some(cells[i].counts[k])
            .flatten()
    };
    // Only the equations linked to the target through unknown cells bear on it; the others
    // constrain unknowns of their own. This keeps each program small on a city-sized table.
    let mut by_cell: HashMap<usize, Vec<usize>> = HashMap::new();
    for (e, eq) in eqs.iter().enumerate() {
        for m in eq.members().filter(|&m| known(m).is_none()) {
            by_cell.entry(m).or_default().push(e);
        }
    }
    let mut linked = vec![false; eqs.len()];
    let mut reached = std::collections::HashSet::from([target]);
    let mut stack = vec![target];
    while let Some(c) = stack.pop() {
        for &e in by_cell.get(&c).into_iter().flatten() {
            if !linked[e] {
                linked[e] = true;
                for m in eqs[e].members().filter(|&m| known(m).is_none()) {
                    if reached.insert(m) {
                        stack.push(m);
                    }
                }
            }
        }
    }
    let mut problem = Problem::new(direction);
    let mut vars = HashMap::new();
    let target_var = problem.add_var(1.0, (0.0, f64::INFINITY));
    vars.insert(target, target_var);
    for (_, eq) in eqs.iter().enumerate().filter(|(e, _)| linked[*e]) {
        let mut terms = Vec::new();
        let mut rhs = 0.0;
        for (i, sign) in std::iter::once((eq.total, -1.0)).chain(eq.parts.iter().map(|&p| (p, 1.0)))
        {
            match known(i) {
                Some(n) => rhs -= sign * n,
                None => {
                    let v = *vars
                        .entry(i)
                        .or_insert_with(|| problem.add_var(0.0, (0.0, f64::INFINITY)));
                    terms.push((v, sign));
                }
            }
        }
        problem.add_constraint(terms, ComparisonOp::Eq, rhs);
    }
    match problem.solve() {
        Ok(outcome) => outcome.into_solution().ok().map(|s| s.objective()),
        Err(microlp::Error::Unbounded) => Some(match direction {
            OptimizationDirection::Maximize => f64::INFINITY,
            OptimizationDirection::Minimize => 0.0,
        }),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(area: i64, ancestors: &[i64], count: f64) -> SdcCell {
        SdcCell {
            area,
            level: ancestors.len() as i64,
            ancestors: ancestors.to_vec(),
            has_value: true,
            counts: [Some(count), None, None],
        }
    }

    /// Every primarily hidden count can move at least `min` given the published table.
    fn assert_protected(cells: &[SdcCell], s: &[Option<Suppression>], min: f64) {
        let eqs = equations(cells);
        let hidden: Vec<bool> = s.iter().map(Option::is_some).collect();
        for (i, c) in cells.iter().enumerate() {
            if s[i] == Some(Suppression::Primary) {
                let (lo, hi) = feasible_range(cells, &eqs, &hidden, 0, i).expect("feasible");
                assert!(hi - lo >= min, "cell {} lies in [{lo}, {hi}]", c.area);
            }
        }
    }

    #[test]
    fn small_counts_are_hidden_and_large_ones_shown() {
        let cells = [cell(1, &[], 2.0), cell(2, &[], 3.0), cell(3, &[], 0.0)];
        let s = suppress(&cells, 3.0);
        assert_eq!(
            s,
            vec![Some(Suppression::Primary), None, Some(Suppression::Primary)]
        );
        assert_eq!(suppress(&cells, 0.0), vec![None, None, None]);
    }

    #[test]
    fn no_data_is_never_suppressed() {
        let mut c = cell(1, &[], 1.0);
        c.has_value = false;
        assert_eq!(suppress(&[c], 3.0), vec![None]);
    }

    #[test]
    fn a_lone_hidden_child_takes_its_smallest_sibling_with_it() {
        // Parent 10 = 2 + 40 + 7 + 51: with only child 1 hidden, 100 - 40 - 7 - 51 = 2.
        let cells = [
            cell(10, &[], 100.0),
            cell(1, &[10], 2.0),
            cell(2, &[10], 40.0),
            cell(3, &[10], 7.0),
            cell(4, &[10], 51.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert_eq!(s[3], Some(Suppression::Secondary), "smallest sibling");
        assert_eq!((s[0], s[2], s[4]), (None, None, None));
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn two_child_levels_of_one_parent_are_two_equations() {
        // The probe's table: Bezirk 1 = 49 with Viertel 11 = 2, 12 = 40, 13 = 7 and, as a second
        // level below the Bezirk, Quartiere 21 = 1, 22 = 48. Taken as one equation, the two
        // primary hides looked safe; they are two: 49 − 40 − 7 and 49 − 48.
        let mut cells = vec![
            cell(1, &[], 49.0),
            cell(11, &[1], 2.0),
            cell(12, &[1], 40.0),
            cell(13, &[1], 7.0),
        ];
        for (area, n) in [(21, 1.0), (22, 48.0)] {
            let mut q = cell(area, &[1], n);
            q.level = 2;
            cells.push(q);
        }
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert_eq!(s[4], Some(Suppression::Primary));
        assert!(s[3].is_some(), "the Viertel's partner: {s:?}");
        assert!(
            s[5].is_some() || s[0].is_some(),
            "the Quartier's partner: {s:?}"
        );
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn a_bezirk_is_the_sum_of_its_quartiere_across_a_skipped_level() {
        // Quartiere 111, 112 lie in Viertel 11, which has no value; the Bezirk still equals the
        // sum of all its Quartiere.
        let cells = [
            cell(1, &[], 30.0),
            cell(111, &[11, 1], 2.0),
            cell(112, &[11, 1], 28.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert!(s[0].is_some() || s[2].is_some(), "{s:?}");
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn two_hidden_children_or_a_hidden_parent_need_no_partner_when_far_apart() {
        // 2 and 1 hidden: the reader knows their sum, 3, so each lies in [0, 3]: protected.
        let cells = [
            cell(10, &[], 100.0),
            cell(1, &[10], 2.0),
            cell(2, &[10], 1.0),
            cell(3, &[10], 97.0),
        ];
        assert_eq!(suppress(&cells, 3.0)[3], None);
        // Parent hidden, one child hidden, the other shown: nothing to subtract from.
        let cells = [cell(10, &[], 2.0), cell(1, &[10], 1.0), cell(2, &[10], 5.0)];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[2], None);
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn two_small_hidden_children_whose_sum_is_narrow_take_a_third() {
        // 1 + 1 hidden with the rest shown: their sum is 2, so each lies in [0, 2], narrower than 3.
        let cells = [
            cell(10, &[], 100.0),
            cell(1, &[10], 1.0),
            cell(2, &[10], 1.0),
            cell(3, &[10], 50.0),
            cell(4, &[10], 48.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[4], Some(Suppression::Secondary), "{s:?}");
        assert_eq!(s[3], None);
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn an_only_child_hides_its_parent() {
        let cells = [cell(10, &[], 50.0), cell(1, &[10], 2.0)];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[0], Some(Suppression::Secondary));
        // A sibling without data is unknown to the reader: 50 = 2 + ? reveals nothing.
        let mut sibling = cell(2, &[10], 9.0);
        sibling.has_value = false;
        let cells = [cell(10, &[], 50.0), cell(1, &[10], 2.0), sibling];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[0], None);
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn a_hidden_parent_is_not_the_sum_of_shown_children() {
        // S2 is hidden only as S1's partner; its blocks B1 + B2 would give it back (498), and
        // with it S1 = 500 − 498. One block must go too.
        let cells = [
            cell(100, &[], 500.0),
            cell(10, &[100], 2.0),
            cell(20, &[100], 498.0),
            cell(21, &[20, 100], 200.0),
            cell(22, &[20, 100], 298.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert_eq!(s[2], Some(Suppression::Secondary));
        assert!(s[3].is_some() || s[4].is_some(), "{s:?}");
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn generated_three_level_tables_hold_against_the_audit() {
        // A deterministic pseudo-random table: 4 Bezirke, 3 Viertel each, 3 Quartiere per
        // Viertel, many small counts.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % 12
        };
        let mut cells = Vec::new();
        for b in 0..4i64 {
            let bid = 1000 + b;
            let mut bsum = 0.0;
            let bi = cells.len();
            cells.push(cell(bid, &[], 0.0));
            for v in 0..3i64 {
                let vid = bid * 10 + v;
                let vi = cells.len();
                cells.push(cell(vid, &[bid], 0.0));
                let mut vsum = 0.0;
                for q in 0..3i64 {
                    let n = next() as f64;
                    vsum += n;
                    cells.push(cell(vid * 10 + q, &[vid, bid], n));
                }
                cells[vi].counts[0] = Some(vsum);
                bsum += vsum;
            }
            cells[bi].counts[0] = Some(bsum);
        }
        let s = suppress(&cells, 3.0);
        assert!(s.contains(&Some(Suppression::Primary)));
        assert_protected(&cells, &s, 3.0);
    }

    #[test]
    fn shares_use_numerator_and_denominator() {
        let c = SdcCell {
            area: 1,
            level: 0,
            ancestors: vec![],
            has_value: true,
            counts: [Some(5.0), Some(2.0), None],
        };
        assert_eq!(suppress(&[c], 3.0), vec![Some(Suppression::Primary)]);
    }
}
