//! Arbitrary bytes as a contract. Reading, validating and valuing it must never panic.
#![no_main]

use commissioning::model::contract::Contract;
use commissioning::model::{Money, Rounding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(c) = serde_json::from_slice::<Contract>(data) else { return };
    let _ = c.validate();
    if let Ok(months) = c.monthly_instalments(Rounding::HalfUp) {
        let total = c.expected_annual_value().map(Money::round_pence);
        assert_eq!(Money::checked_sum(months).ok(), total.ok());
    }
});
