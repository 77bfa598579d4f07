//! Coverage for planners: how many public offers for a target group lie in or serve each area,
//! per 1,000 residents of the matching age there. Written as indicator values, so the indicator
//! maps show where offers are missing next to the statistics.

use super::search::OfferDoc;
use std::collections::{BTreeMap, HashMap};

/// One area's coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub area_id: i32,
    pub offers: u64,
    pub residents: f64,
    /// Offers per 1,000 residents.
    pub rate: f64,
}

/// Counts the offers for `group` (and, if given, of one of `categories`) per area and divides
/// by the residents of that area. Areas without residents (or without a population value) get
/// no rate: a division by zero is no statement about coverage.
pub fn per_thousand(
    offers: &[OfferDoc],
    group: &str,
    categories: &[String],
    residents: &HashMap<i32, f64>,
) -> Vec<Coverage> {
    let mut counts: BTreeMap<i32, u64> = residents.keys().map(|a| (*a, 0)).collect();
    for o in offers {
        let for_group = o.target_groups.iter().any(|g| g == group || g == "alle");
        let in_category =
            categories.is_empty() || o.categories.iter().any(|c| categories.contains(c));
        if for_group && in_category {
            for a in &o.area_ids {
                if let Some(n) = counts.get_mut(a) {
                    *n += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .filter_map(|(area_id, offers)| {
            let residents = *residents.get(&area_id)?;
            (residents > 0.0).then(|| Coverage {
                area_id,
                offers,
                residents,
                rate: offers as f64 / residents * 1_000.0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, groups: &[&str], cats: &[&str], areas: &[i32]) -> OfferDoc {
        OfferDoc {
            id,
            tenant_id: 1,
            title: format!("Angebot {id}"),
            description: String::new(),
            actor: String::new(),
            categories: cats.iter().map(|s| (*s).to_owned()).collect(),
            target_groups: groups.iter().map(|s| (*s).to_owned()).collect(),
            tags: Vec::new(),
            languages: Vec::new(),
            cost: "kostenlos".into(),
            weekdays: Vec::new(),
            area_ids: areas.to_vec(),
            location: None,
        }
    }

    #[test]
    fn counts_offers_for_the_group_per_thousand_residents() {
        let offers = [
            doc(1, &["kinder"], &["betreuung"], &[10, 1]),
            doc(2, &["kinder", "eltern"], &["beratung"], &[10, 1]),
            doc(3, &["senioren"], &["betreuung"], &[10, 1]),
            doc(4, &["alle"], &["betreuung"], &[11, 1]),
        ];
        let residents = HashMap::from([(10, 500.0), (11, 2_000.0), (12, 0.0)]);
        let all = per_thousand(&offers, "kinder", &[], &residents);
        assert_eq!(
            all,
            vec![
                Coverage {
                    area_id: 10,
                    offers: 2,
                    residents: 500.0,
                    rate: 4.0
                },
                Coverage {
                    area_id: 11,
                    offers: 1,
                    residents: 2_000.0,
                    rate: 0.5
                },
            ],
            "area 12 has no residents of that age: no rate"
        );
        let care = per_thousand(&offers, "kinder", &["betreuung".into()], &residents);
        assert_eq!(care[0].offers, 1);
    }
}
