//! Statistical disclosure control (Geheimhaltung), applied in the server before any value leaves
//! it. Primary suppression hides a value whose underlying count is below the indicator's minimum;
//! secondary suppression hides one more sibling where a single hidden value could be recovered
//! as the parent's total minus its published siblings.

use std::collections::HashMap;

/// One value of one indicator at one date, with what disclosure control needs to know.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SdcCell {
    pub area: i64,
    /// The area this one lies in (its parent at the level above), if any.
    pub parent: Option<i64>,
    /// Whether the cell has a value at all (no data is never suppressed: there is nothing to hide).
    pub has_value: bool,
    /// The counts behind the value: for a count indicator the value itself, for a share or rate
    /// its numerator and denominator. Empty when they are unknown.
    pub counts: [Option<f64>; 3],
}

impl SdcCell {
    /// The smallest known count behind the value, used to pick the cheapest sibling to hide.
    fn smallest_count(&self) -> f64 {
        self.counts
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }
}

/// Why a value is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    /// Its own count is below the minimum.
    Primary,
    /// It would otherwise reveal a primarily suppressed sibling.
    Secondary,
}

/// Decides which cells to suppress. `min_count` is the indicator's minimum count (a count below
/// it is hidden; a minimum of 0 turns disclosure control off). Returns one entry per cell.
///
/// Secondary suppression treats each parent with its children as an equation, parent = sum of
/// children (over the members that have a value): when exactly one member is hidden — a child,
/// or the parent itself — it could be solved for, so the child with the smallest count among the
/// shown ones is hidden too (the parent, when no child is left). Repeated until no equation has
/// a single hidden member, because hiding a cell can leave another equation (its own children's,
/// or its parent's) with one. `parent` must name the nearest ancestor that has a cell here.
pub fn suppress(cells: &[SdcCell], min_count: f64) -> Vec<Option<Suppression>> {
    let mut out: Vec<Option<Suppression>> = cells
        .iter()
        .map(|c| {
            let small = c
                .counts
                .iter()
                .flatten()
                .any(|n| n.is_finite() && *n < min_count);
            (c.has_value && small).then_some(Suppression::Primary)
        })
        .collect();
    if out.iter().all(Option::is_none) {
        return out;
    }
    let index_of: HashMap<i64, usize> =
        cells.iter().enumerate().map(|(i, c)| (c.area, i)).collect();
    let mut groups: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, c) in cells.iter().enumerate() {
        if let Some(p) = c.parent {
            groups.entry(p).or_default().push(i);
        }
    }
    // Top-down (a group is only decided once its parent's fate is known) and deterministic (the
    // same data always hides the same cells).
    let depth = |mut area: i64| {
        let mut d = 0usize;
        while let Some(p) = index_of.get(&area).and_then(|&i| cells[i].parent) {
            d += 1;
            if d > cells.len() {
                break; // a cycle in bad data must not hang the server
            }
            area = p;
        }
        d
    };
    let mut parents: Vec<(usize, i64)> = groups.keys().map(|&p| (depth(p), p)).collect();
    parents.sort_unstable();
    let parents: Vec<i64> = parents.into_iter().map(|(_, p)| p).collect();
    loop {
        let mut changed = false;
        for parent in &parents {
            // The equation "parent = sum of its children", over the members with a value. With
            // exactly one hidden member it can be solved for that member, so a second one goes.
            let Some(&pi) = index_of.get(parent).filter(|&&i| cells[i].has_value) else {
                continue;
            };
            let members: Vec<usize> = groups[parent]
                .iter()
                .copied()
                .filter(|&i| cells[i].has_value)
                .collect();
            if members.is_empty() {
                continue;
            }
            let hidden = usize::from(out[pi].is_some())
                + members.iter().filter(|&&i| out[i].is_some()).count();
            if hidden != 1 {
                continue;
            }
            let partner = members
                .iter()
                .copied()
                .filter(|&i| out[i].is_none())
                .min_by(|&a, &b| {
                    cells[a]
                        .smallest_count()
                        .total_cmp(&cells[b].smallest_count())
                        .then(cells[a].area.cmp(&cells[b].area))
                });
            match partner {
                Some(i) => out[i] = Some(Suppression::Secondary),
                // Every child is hidden but the lone one is a child: only the parent is left.
                None => out[pi] = Some(Suppression::Secondary),
            }
            changed = true;
        }
        if !changed {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(area: i64, parent: Option<i64>, count: f64) -> SdcCell {
        SdcCell {
            area,
            parent,
            has_value: true,
            counts: [Some(count), None, None],
        }
    }

    #[test]
    fn small_counts_are_hidden_and_large_ones_shown() {
        let cells = [cell(1, None, 2.0), cell(2, None, 3.0), cell(3, None, 0.0)];
        let s = suppress(&cells, 3.0);
        assert_eq!(
            s,
            vec![Some(Suppression::Primary), None, Some(Suppression::Primary)]
        );
        assert_eq!(suppress(&cells, 0.0), vec![None, None, None]);
    }

    #[test]
    fn no_data_is_never_suppressed() {
        let mut c = cell(1, None, 1.0);
        c.has_value = false;
        assert_eq!(suppress(&[c], 3.0), vec![None]);
    }

    #[test]
    fn a_lone_hidden_child_takes_its_smallest_sibling_with_it() {
        // Parent 10 = 2 + 40 + 7 + 51: with only child 1 hidden, 100 - 40 - 7 - 51 = 2.
        let cells = [
            cell(10, None, 100.0),
            cell(1, Some(10), 2.0),
            cell(2, Some(10), 40.0),
            cell(3, Some(10), 7.0),
            cell(4, Some(10), 51.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert_eq!(s[3], Some(Suppression::Secondary), "smallest sibling");
        assert_eq!(s[2], None);
        assert_eq!(s[4], None);
        assert_eq!(s[0], None);
    }

    #[test]
    fn two_hidden_children_or_a_hidden_parent_need_no_partner() {
        let cells = [
            cell(10, None, 100.0),
            cell(1, Some(10), 2.0),
            cell(2, Some(10), 1.0),
            cell(3, Some(10), 97.0),
        ];
        assert_eq!(suppress(&cells, 3.0)[3], None);
        let cells = [
            cell(10, None, 2.0),
            cell(1, Some(10), 1.0),
            cell(2, Some(10), 1.0),
        ];
        let s = suppress(&cells, 3.0);
        assert!(s.iter().all(Option::is_some));
        // Parent hidden, one child hidden, the other child shown: nothing to subtract from.
        let cells = [
            cell(10, None, 2.0),
            cell(1, Some(10), 1.0),
            cell(2, Some(10), 5.0),
        ];
        assert_eq!(suppress(&cells, 3.0)[2], None);
    }

    #[test]
    fn an_only_child_hides_its_parent() {
        let mut sibling = cell(2, Some(10), 9.0);
        sibling.has_value = false;
        let cells = [cell(10, None, 2.0 + 0.5), cell(1, Some(10), 2.0), sibling];
        // Parent 2.5 is below 3 itself; use a large parent to see the rule.
        let cells2 = [cell(10, None, 50.0), cells[1], cells[2]];
        let s = suppress(&cells2, 3.0);
        assert_eq!(s[0], Some(Suppression::Secondary));
        assert_eq!(s[2], None);
        assert_eq!(suppress(&cells, 3.0)[0], Some(Suppression::Primary));
    }

    #[test]
    fn secondary_suppression_cascades_down_a_level() {
        // Bezirk 100 with Stadtteile 10 (hidden primarily) and 20; 20 is hidden secondarily,
        // and then its children 21/22 form a group under a hidden parent (no partner needed),
        // while the children of 10 (11 small, 12 large) need 12 hidden only if 10 is shown.
        let cells = [
            cell(100, None, 500.0),
            cell(10, Some(100), 2.0),
            cell(20, Some(100), 498.0),
            cell(11, Some(20), 1.0),
            cell(12, Some(20), 497.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert_eq!(s[2], Some(Suppression::Secondary));
        assert_eq!(s[3], Some(Suppression::Primary));
        // 12's parent (20) is hidden: 12 may be shown.
        assert_eq!(s[4], None);
    }

    #[test]
    fn a_hidden_parent_is_not_the_sum_of_shown_children() {
        // S2 is hidden only as S1's partner; its blocks B1 + B2 would give it back (498), and
        // with it S1 = 500 − 498. One block must go too.
        let cells = [
            cell(100, None, 500.0),
            cell(10, Some(100), 2.0),
            cell(20, Some(100), 498.0),
            cell(21, Some(20), 200.0),
            cell(22, Some(20), 298.0),
        ];
        let s = suppress(&cells, 3.0);
        assert_eq!(s[1], Some(Suppression::Primary));
        assert_eq!(s[2], Some(Suppression::Secondary));
        assert_eq!(s[3], Some(Suppression::Secondary), "the smaller block");
        assert_eq!(s[4], None);
        assert_eq!(s[0], None);
        // Every equation now has none or at least two hidden members.
        for parent in [100, 20] {
            let pi = cells.iter().position(|c| c.area == parent).expect("parent");
            let hidden = usize::from(s[pi].is_some())
                + cells
                    .iter()
                    .zip(&s)
                    .filter(|(c, h)| c.parent == Some(parent) && h.is_some())
                    .count();
            assert_ne!(hidden, 1, "group {parent}");
        }
    }

    #[test]
    fn shares_use_numerator_and_denominator() {
        let c = SdcCell {
            area: 1,
            parent: None,
            has_value: true,
            counts: [Some(5.0), Some(2.0), None],
        };
        assert_eq!(suppress(&[c], 3.0), vec![Some(Suppression::Primary)]);
    }
}
