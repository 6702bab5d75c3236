//! Reads a contract (the illustrative alliance contract by default, or a JSON file named on the
//! command line), validates it, and prints its expected value, monthly instalments and CQUIN.
//!
//! ```text
//! cargo run -p commissioning-model --example contract_review [contract.json]
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use commissioning_model::contract::Contract;
use commissioning_model::period::FyMonth;
use commissioning_model::{Money, Rounding};
use std::process::ExitCode;

const SAMPLE: &str = include_str!("../tests/data/alliance_contract.json");

fn main() -> ExitCode {
    let text = match std::env::args().nth(1) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::from(1);
            }
        },
        None => SAMPLE.to_owned(),
    };
    let contract: Contract = match serde_json::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("invalid contract: {e}");
            return ExitCode::from(2);
        }
    };
    match review(&contract) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn review(contract: &Contract) -> Result<(), commissioning_model::ModelError> {
    println!("Contract {}: {}", contract.id, contract.title);
    contract.check()?;
    println!("  valid: every rule checked, no problems found");
    println!("  term: {} to {}", contract.term.start, contract.term.end);
    println!();
    println!("  {:<24} {:>18}", "service line", "expected a year");
    for line in &contract.service_lines {
        let value = line.payment.expected_annual_value()?.round_pence();
        println!("  {:<24} {:>18}", line.id, value.to_string());
    }
    let annual = contract.expected_annual_value()?.round_pence();
    println!("  {:<24} {:>18}", "total", annual.to_string());
    println!();
    println!("  monthly instalments (sum exactly to the total):");
    let months = contract.monthly_instalments(Rounding::HalfUp)?;
    for (m, amount) in FyMonth::all().zip(&months) {
        println!("    {:<4} {:>16}", m.to_string(), amount.to_string());
    }
    println!(
        "    {:<4} {:>16}",
        "sum",
        Money::checked_sum(months)?.to_string()
    );
    if let Some(cquin) = &contract.incentive {
        println!();
        println!("  CQUIN at stake: {}", cquin.value(annual)?.round_pence());
        for part in cquin.indicator_values(annual, Rounding::HalfUp)? {
            println!("    {part:>16}");
        }
    }
    Ok(())
}
