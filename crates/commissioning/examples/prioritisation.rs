//! A priorities panel's exercise: score options against criteria, check their cost per QALY on
//! the frontier, and choose the best set within a budget.
//!
//! ```text
//! cargo run --example prioritisation
//! ```

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss
)]

use commissioning::model::Money;
use commissioning::priority::cea::{Strategy, calculate_icers};
use commissioning::priority::mcda::{Alternative, Criterion, score};
use commissioning::priority::select::{Candidate, Problem, select};
use commissioning::priority::value::{Performance, ValueFunction};

fn main() {
    // (id, annual cost in £, QALYs a year, reach into deprived areas 0–10)
    let options = [
        ("diabetes prevention", 420_000, 38.0, 9.0),
        ("structured education", 180_000, 16.0, 6.0),
        ("foot protection", 260_000, 14.0, 5.0),
        ("dementia advisers", 310_000, 12.0, 8.0),
        ("stroke early discharge", 650_000, 30.0, 5.0),
        ("telecare", 380_000, 9.0, 2.0),
    ];
    let criteria = vec![
        Criterion::new(
            "health gain",
            100.0,
            ValueFunction::Linear {
                worst: 0.0,
                best: 40.0,
            },
        ),
        Criterion::new(
            "reach",
            40.0,
            ValueFunction::Linear {
                worst: 0.0,
                best: 10.0,
            },
        ),
        Criterion::new(
            "cost (£k)",
            60.0,
            ValueFunction::Linear {
                worst: 700.0,
                best: 0.0,
            },
        ),
    ];
    let alternatives: Vec<Alternative> = options
        .iter()
        .map(|(id, cost, q, reach)| {
            Alternative::new(
                *id,
                vec![
                    Performance::Number(*q),
                    Performance::Number(*reach),
                    Performance::Number(*cost as f64 / 1000.0),
                ],
            )
        })
        .collect();
    let scores = score(&criteria, &alternatives).expect("valid criteria");
    println!("ranking by the panel's criteria:");
    for id in &scores.ranking {
        let s = scores.options.iter().find(|o| &o.id == id).unwrap();
        println!("  {} {:<24} score {:.1}", s.rank, s.id, s.score);
    }

    let strategies: Vec<Strategy> = options
        .iter()
        .map(|(id, cost, q, _)| Strategy::new(*id, Money::from_pounds(*cost), *q))
        .collect();
    println!("\nagainst doing nothing, cost per QALY:");
    for (id, cost, q, _) in &options {
        println!("  {:<24} £{:.0}", id, *cost as f64 / q);
    }
    let frontier = calculate_icers(&strategies).expect("valid strategies");
    println!("\ntreated as alternatives for one budget line, the frontier is:");
    for row in &frontier {
        println!(
            "  {:<24} {:?} {}",
            row.id,
            row.status,
            row.icer
                .map_or_else(String::new, |i| format!("ICER £{i:.0}"))
        );
    }

    let candidates = options
        .iter()
        .map(|(id, cost, q, _)| Candidate::new(*id, Money::from_pounds(*cost), *q))
        .collect();
    let chosen =
        select(&Problem::new(Money::from_pounds(1_200_000), candidates)).expect("a valid problem");
    println!(
        "\nwithin £1.2m the exact choice is {} ({} QALYs for {});",
        chosen.exact.ids.join(", "),
        chosen.exact.benefit,
        chosen.exact.cost
    );
    println!(
        "the league table would fund {} ({} QALYs)",
        chosen.greedy.ids.join(", "),
        chosen.greedy.benefit
    );
}
