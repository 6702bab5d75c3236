//! Draws a funnel plot of twenty trusts' mortality ratios (SHMI method) to an SVG file.
//!
//! `cargo run -p commissioning-compare --example funnel_chart funnel.svg`

#![allow(clippy::print_stdout)]

use commissioning_compare::funnel::{FunnelInput, FunnelUnit, funnel};
use commissioning_compare::opportunity::Polarity;
use commissioning_compare::svg::{FunnelChart, render};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "funnel.svg".to_owned());
    // Illustrative deaths and expected deaths for twenty trusts.
    let data = [
        ("T01", 1574.0, 1554.5782),
        ("T02", 405.0, 490.4787),
        ("T03", 1210.0, 1093.03),
        ("T04", 865.0, 902.7),
        ("T05", 2210.0, 2040.35),
        ("T06", 640.0, 655.12),
        ("T07", 1430.0, 1502.8),
        ("T08", 298.0, 341.77),
        ("T09", 1105.0, 1010.2),
        ("T10", 760.0, 801.44),
        ("T11", 1890.0, 1922.6),
        ("T12", 525.0, 470.31),
        ("T13", 980.0, 1021.9),
        ("T14", 1320.0, 1240.05),
        ("T15", 455.0, 448.9),
        ("T16", 1700.0, 1818.2),
        ("T17", 610.0, 566.4),
        ("T18", 1015.0, 1066.7),
        ("T19", 2480.0, 2301.9),
        ("T20", 350.0, 372.25),
    ];
    let units = data
        .iter()
        .map(|&(id, o, e)| FunnelUnit::new(id, o, e))
        .collect();
    let input = FunnelInput::ratios(units);
    let f = funnel(&input)?;
    let mut chart = FunnelChart::new("Hospital mortality by trust (SHMI method)");
    chart.polarity = Some(Polarity::LowerIsBetter);
    chart.x_title = "Expected deaths".into();
    chart.y_title = "Deaths ÷ expected".into();
    std::fs::write(&path, render(&f, &chart))?;
    let flagged: Vec<&str> = f
        .units
        .iter()
        .filter(|u| u.outlier_95)
        .map(|u| u.id)
        .collect();
    println!(
        "{path}: {} units, φ = {:.2}, outside the 95% limits: {flagged:?}",
        f.units.len(),
        f.phi.unwrap_or(f64::NAN)
    );
    Ok(())
}
