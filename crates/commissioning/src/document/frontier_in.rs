//! The strategies of a `frontier` document, read apart from the rest (see
//! [`crate::document::array_in`]).
//!
//! A strategy is `{"id": "…", "cost": "…", "effect": n}`, the keys in any order, the id a
//! string without escapes and the cost a string read by [`Money::parse_field`] (what money's
//! own `Deserialize` calls for a string); anything else, a cost written as a number included,
//! makes the reader decline, and the document is read by `serde` alone.

use commissioning::model::Money;
use commissioning::priority::cea::Strategy;

use crate::document::array_in::{Cursor, Items};

/// The strategies of a `frontier` document.
pub(crate) const STRATEGIES: Items<Strategy> = Items {
    key: "\"strategies\"",
    // `{"id":"","cost":"0","effect":0}`
    shortest: 31,
    read: strategy,
};

/// `{"id": "…", "cost": "…", "effect": n}`, the keys in any order.
fn strategy(at: &mut Cursor<'_>) -> Option<Strategy> {
    let mut id = None;
    let mut cost = None;
    let mut effect = None;
    at.object(|at| {
        if at.key(b"\"id\"")? {
            id.is_none().then_some(())?;
            id = Some(at.plain_string()?);
        } else if at.key(b"\"cost\"")? {
            cost.is_none().then_some(())?;
            cost = Some(Money::parse_field("money", at.plain_string()?).ok()?);
        } else if at.key(b"\"effect\"")? {
            effect.is_none().then_some(())?;
            effect = Some(at.number()?);
        } else {
            return None;
        }
        Some(())
    })?;
    Some(Strategy::new(id?, cost?, effect?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use commissioning::priority::cea::Strategy;
    use proptest::prelude::{any, prop, prop_assert, prop_assert_eq, proptest};
    use proptest::strategy::Strategy as _;

    fn by_serde(array: &str) -> Option<Vec<Strategy>> {
        serde_json::from_str(array).ok()
    }

    fn here(array: &str) -> Option<Vec<Strategy>> {
        crate::document::array_in::split(&format!("{{\"strategies\":{array}}}"), &STRATEGIES)
            .map(|s| s.items)
    }

    /// Ids, costs as text (with their scale) and the exact bits of effects.
    fn exact(strategies: &[Strategy]) -> Vec<(String, String, u64)> {
        strategies
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.cost.amount().to_string(),
                    s.effect.to_bits(),
                )
            })
            .collect()
    }

    fn agrees(array: &str) {
        let read = here(array).unwrap_or_else(|| panic!("declined {array}"));
        let expected = by_serde(array).unwrap_or_else(|| panic!("serde refused {array}"));
        assert_eq!(exact(&read), exact(&expected), "{array}");
    }

    #[test]
    fn strategies_read_as_serde_reads_them() {
        agrees("[]");
        agrees(r#"[{"id": "a", "cost": "1234.50", "effect": 1.5}]"#);
        agrees(r#"[{"effect": -0.0, "cost": "£1,234", "id": "Fylde coast, phase 2"}]"#);
        agrees(
            r#"[{"id":"b","cost":"(12.5)","effect":1e-3} , {"id":"c","cost":"-0.00","effect":7}]"#,
        );
        agrees("[{\"id\": \"é–}\", \"cost\": \"0\", \"effect\": 12345678901234567}]");
    }

    #[test]
    fn anything_but_the_common_shape_is_declined() {
        for array in [
            r#"[{"id": "a", "cost": 12, "effect": 1}]"#,
            r#"[{"id": "a\"b", "cost": "1", "effect": 1}]"#,
            r#"[{"id": "a", "cost": "1", "effect": 1, "id": "b"}]"#,
            r#"[{"id": "a", "cost": "1"}]"#,
            r#"[{"id": "a", "cost": "1", "effect": 1, "note": ""}]"#,
            r#"[{"id": "a", "cost": "one", "effect": 1}]"#,
            r#"[{"id": 1, "cost": "1", "effect": 1}]"#,
            r#"[{"id": "a", "cost": "1", "effect": "1"}]"#,
        ] {
            assert!(here(array).is_none(), "{array}");
        }
        // Numbers as costs are serde's to accept or refuse.
        assert!(by_serde(r#"[{"id": "a", "cost": 12, "effect": 1}]"#).is_some());
    }

    #[test]
    fn a_long_list_with_braces_and_commas_in_ids_is_read_as_serde_reads_it() {
        let items: Vec<String> = (0..40_000)
            .map(|i| {
                format!(
                    r#"{{"id": "s{i} }}, {{", "cost": "{i}.{:02}", "effect": {}}}"#,
                    i % 100,
                    f64::from(i) / 7.0
                )
            })
            .collect();
        let array = format!("[{}]", items.join(",\n"));
        assert!(array.len() > crate::document::array_in::PARALLEL_FROM);
        agrees(&array);
    }

    proptest! {
        #[test]
        fn generated_strategies_read_as_serde_reads_them(
            strategies in prop::collection::vec(
                (
                    "[a-zA-Z0-9 ,:{}£é-]{0,12}",
                    (-10_000_000i64..10_000_000, 0u32..4),
                    any::<f64>().prop_filter("finite", |v| v.is_finite()),
                    0usize..6,
                ),
                0..30,
            )
        ) {
            let items: Vec<String> = strategies
                .iter()
                .map(|(id, (units, scale), effect, order)| {
                    let cost = commissioning::model::Decimal::new(*units, *scale);
                    let members = [
                        format!("\"id\": \"{id}\""),
                        format!("\"cost\":\"{cost}\""),
                        format!("\"effect\" :{effect:e}"),
                    ];
                    let [a, b, c] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]][*order];
                    format!("{{{}, {},{}}}", members[a], members[b], members[c])
                })
                .collect();
            let array = format!("[{}]", items.join(","));
            let read = here(&array);
            prop_assert!(read.is_some(), "declined {}", array);
            prop_assert_eq!(exact(&read.unwrap()), exact(&by_serde(&array).unwrap()));
        }
    }
}
