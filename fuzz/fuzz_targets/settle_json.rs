//! Arbitrary bytes as a `settle` document: an agreement and an input. Nothing may panic, and a
//! settlement that succeeds must split exactly.
#![no_main]

use commissioning::risk::agreement::Agreement;
use commissioning::risk::settle::{Role, SettlementInput, settle};
use commissioning::model::Money;
use libfuzzer_sys::fuzz_target;

#[derive(serde::Deserialize)]
struct Doc {
    agreement: Agreement,
    input: SettlementInput,
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Doc>(data) else { return };
    if let Ok(s) = settle(&doc.agreement, &doc.input) {
        if !s.split.is_empty() {
            let providers = Money::checked_sum(s.split.iter().filter(|p| p.role == Role::Provider).map(|p| p.amount));
            assert_eq!(providers.ok(), Some(s.transfer), "the providers' parts must sum to the transfer");
        }
    }
});
