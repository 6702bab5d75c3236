//! Every chart drawn from the documented examples: its structure (points, limits, icons,
//! labels) is present, and nothing meant to be seen falls outside the view box.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `command` on a documented example with `--svg` and returns the drawing.
fn draw(command: &str, example: &str, extra: &[&str]) -> String {
    let path = std::env::temp_dir().join(format!(
        "commissioning-chart-{}-{example}.svg",
        std::process::id()
    ));
    let out = Command::new(env!("CARGO_BIN_EXE_commissioning"))
        .args([command, &format!("docs/examples/{example}")])
        .args(["--svg", path.to_str().unwrap()])
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{example}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(path);
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{example}"
    );
    svg
}

/// A numeric attribute of an element's opening tag.
fn attr(tag: &str, name: &str) -> Option<f64> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = &tag[start..];
    rest[..rest.find('"')?].parse().ok()
}

/// The view box's width and height.
fn view_box(svg: &str) -> (f64, f64) {
    let tag = &svg[..svg.find('>').unwrap()];
    (attr(tag, "width").unwrap(), attr(tag, "height").unwrap())
}

/// The opening tags of every `element` in the top-level document (facets' own drawings are
/// checked against their own boxes, so the document must have none for this check).
fn tags<'a>(svg: &'a str, element: &str) -> Vec<&'a str> {
    svg.match_indices(&format!("<{element} "))
        .map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()])
        .collect()
}

/// Every point and every piece of text lies within the view box.
fn inside(svg: &str, what: &str) {
    let (w, h) = view_box(svg);
    for c in tags(svg, "circle") {
        let (x, y) = (attr(c, "cx").unwrap(), attr(c, "cy").unwrap());
        assert!(
            (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
            "{what}: a point at ({x}, {y}) outside {w} × {h}"
        );
    }
    for t in tags(svg, "text") {
        if let (Some(x), Some(y)) = (attr(t, "x"), attr(t, "y")) {
            assert!(
                (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
                "{what}: text at ({x}, {y}) outside {w} × {h}: {t}"
            );
        }
    }
}

#[test]
fn the_spc_chart_has_its_points_limits_labels_and_icons() {
    let svg = draw("spc", "spc-stroke.json", &[]);
    inside(&svg, "spc-stroke");
    assert_eq!(svg.matches("<circle class=\"point\"").count(), 30);
    for label in [
        ">Mean 75.443<",
        ">Upper limit 82.194<",
        ">Lower limit 68.692<",
        ">Target 80<",
    ] {
        assert!(svg.contains(label), "spc-stroke lacks {label}");
    }
    // Thirty months from April 2023: a tick every four months, labelled by month.
    for tick in [">Apr 2023<", ">Aug 2023<", ">Apr 2025<", ">Aug 2025<"] {
        assert!(svg.contains(tick), "spc-stroke lacks the tick {tick}");
    }
    // The variation icon (special cause improvement, high) and the assurance icon (hit and miss).
    assert_eq!(svg.matches("<g class=\"icon\">").count(), 2);
    assert!(svg.contains("Special cause variation: improvement"));
    assert!(svg.contains(">H<") && svg.contains(">?<"));
    // Improvement and concern points are coloured as NHSRplotthedots colours them.
    assert!(svg.contains("fill=\"#00b0f0\"") && svg.contains("fill=\"#e46c0a\""));
    for legend in [
        ">Common cause<",
        ">Improvement<",
        ">Concern<",
        ">Mean<",
        ">Process limits<",
        ">Target<",
    ] {
        assert!(svg.contains(legend), "spc-stroke's legend lacks {legend}");
    }
}

#[test]
fn facets_draw_each_series_in_its_own_box() {
    let svg = draw("spc", "spc-facets.json", &[]);
    assert_eq!(svg.matches("<svg").count(), 5, "the figure and four facets");
    for name in [">RWY<", ">RXG<", ">RA1<", ">RB2<"] {
        assert!(svg.contains(name), "facets lack {name}");
    }
    // Each facet clips to its own area.
    for i in 0..4 {
        assert!(svg.contains(&format!("clip-path=\"url(#facet-{i})\"")));
    }
    assert_eq!(svg.matches("<circle class=\"point\"").count(), 4 * 24);
}

#[test]
fn the_cost_effectiveness_plane_marks_every_strategy() {
    let svg = draw(
        "frontier",
        "frontier.json",
        &["--title", "Stroke follow-up"],
    );
    inside(&svg, "frontier");
    // UC, B, D and E are on the frontier; C is extendedly dominated; A dominated.
    assert_eq!(svg.matches("<circle class=\"frontier\"").count(), 4);
    assert_eq!(svg.matches("class=\"extendedly-dominated\"").count(), 1);
    assert_eq!(svg.matches("class=\"dominated\"").count(), 1);
    for icer in [
        ">£5,000 per QALY<",
        ">£12,500 per QALY<",
        ">£20,000 per QALY<",
    ] {
        assert!(svg.contains(icer), "the plane lacks the ICER {icer}");
    }
    assert!(svg.contains("Threshold £20,000 per QALY"));
    for id in [">UC<", ">A<", ">B<", ">C<", ">D<", ">E<"] {
        assert!(svg.contains(id), "the plane lacks {id}");
    }
}

#[test]
fn the_tornado_and_the_pareto_chart_have_a_bar_each() {
    let svg = draw("dsa", "dsa.json", &[]);
    inside(&svg, "tornado");
    assert_eq!(svg.matches("<rect class=\"bar\"").count(), 3);
    for p in [">response_rate<", ">qaly_gain<", ">drug_cost<"] {
        assert!(svg.contains(p), "the tornado lacks {p}");
    }
    let svg = draw("concentration", "concentration.json", &[]);
    inside(&svg, "pareto");
    assert_eq!(svg.matches("<rect class=\"bar\"").count(), 6);
    assert!(svg.contains(">A cut-off 80%<") && svg.contains(">B cut-off 95%<"));
    assert!(svg.contains(">100%<") && svg.contains(">acute stroke<"));
}

#[test]
fn the_funnel_and_acceptability_curves_stay_in_their_box() {
    let svg = draw("funnel", "funnel.json", &["--polarity", "lower-is-better"]);
    inside(&svg, "funnel");
    assert!(svg.matches("<circle").count() >= 12);
    let svg = draw("psa", "psa-ceac.json", &[]);
    inside(&svg, "ceac");
    assert_eq!(svg.matches("<circle class=\"frontier\"").count(), 6);
    let svg = draw("psa", "psa-evpi.json", &[]);
    inside(&svg, "evpi");
    assert_eq!(svg.matches("<circle class=\"evpi\"").count(), 6);
    assert!(svg.contains("EVPI for the population") && svg.contains(">£3m<"));
}
