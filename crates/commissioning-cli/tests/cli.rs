//! Drives the built `commissioning` binary: documented examples, malformed documents, the demo.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_commissioning"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// The subcommand a documented example belongs to: its file name up to the first '-'.
fn command_of(name: &str) -> &str {
    name.split('-').next().unwrap_or(name)
}

#[test]
fn every_documented_example_gives_its_documented_output() {
    let dir = root().join("docs/examples");
    let mut checked = 0;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for name in names {
        let stem = name.trim_end_matches(".json");
        let out = run(&[command_of(stem), &format!("docs/examples/{name}")]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = std::fs::read_to_string(dir.join("out").join(&name))
            .unwrap_or_else(|e| panic!("docs/examples/out/{name}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            want,
            "{name}: the output changed; if intended, regenerate docs/examples/out/{name}"
        );
        let table = run(&[
            "--format",
            "table",
            command_of(stem),
            &format!("docs/examples/{name}"),
        ]);
        assert!(
            table.status.success() && !table.stdout.is_empty(),
            "{name} as a table"
        );
        let want = std::fs::read_to_string(dir.join("out").join(format!("{stem}.txt")))
            .unwrap_or_else(|e| panic!("docs/examples/out/{stem}.txt: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&table.stdout),
            want,
            "{name} as a table: the output changed; if intended, review and regenerate docs/examples/out/{stem}.txt"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} examples found");
}

#[test]
fn malformed_documents_exit_2_naming_the_path() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let file = dir.join(case["file"].as_str().unwrap());
        let out = bin()
            .arg(case["command"].as_str().unwrap())
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code().unwrap();
        assert_eq!(
            i64::from(code),
            case["exit"].as_i64().unwrap(),
            "{}: {stderr}",
            case["file"]
        );
        assert!(
            stderr.contains(case["message"].as_str().unwrap()),
            "{}: {stderr}",
            case["file"]
        );
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{}: one line only: {stderr}",
            case["file"]
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn standard_input_works_and_deep_nesting_is_refused() {
    use std::io::Write as _;
    let mut child = bin()
        .args(["frontier", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("[".repeat(100_000).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let mut child = bin()
        .args(["frontier", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"strategies": [{"id": "a", "cost": "1.00", "effect": 1}]}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"status\": \"ND\""));
}

#[test]
fn the_demo_runs_and_is_deterministic() {
    let a = run(&["demo"]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let text = String::from_utf8_lossy(&a.stdout);
    for part in [
        "ILLUSTRATIVE",
        "Contracts, validated",
        "risk-share settlement",
        "10,000 simulated years",
        "frontier",
        "Exact optimum",
        "TIME TO CUT A DEAL",
    ] {
        assert!(text.contains(part), "the demo lacks {part:?}");
    }
    assert_eq!(run(&["demo"]).stdout, a.stdout);
    let json = run(&["demo", "--format", "json"]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for key in [
        "organisations",
        "contracts",
        "activity",
        "settlement",
        "scenarios",
        "scores",
        "frontier",
        "selection",
        "monitoring",
    ] {
        assert!(v.get(key).is_some(), "the JSON demo lacks {key}");
    }
    assert_eq!(v["settlement"]["transfer"], "201600.00");
}

#[test]
fn spc_writes_an_svg_chart() {
    let path = std::env::temp_dir().join(format!("commissioning-spc-{}.svg", std::process::id()));
    let out = run(&[
        "spc",
        "docs/examples/spc.json",
        "--svg",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<circle class=\"point\"").count(), 18);
    let _ = std::fs::remove_file(path);
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for cmd in [
        "settle",
        "pay",
        "score",
        "topsis",
        "ahp",
        "frontier",
        "select",
        "sensitivity",
        "concentration",
        "validate",
        "spc",
        "kpi",
        "variance",
        "effectiveness",
        "demo",
    ] {
        let out = run(&[cmd, "--help"]);
        assert!(out.status.success(), "{cmd} --help");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Example"),
            "{cmd} --help has no example"
        );
    }
    let out = run(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_input_has_a_json_schema() {
    for name in [
        "settle",
        "pay",
        "score",
        "topsis",
        "ahp",
        "frontier",
        "select",
        "sensitivity",
        "concentration",
        "validate",
        "organisations",
        "spc",
        "kpi",
        "variance",
        "effectiveness",
    ] {
        let out = run(&["schema", name]);
        assert!(out.status.success(), "schema {name}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.get("$schema").is_some(), "schema {name} has no $schema");
        assert!(
            v.get("properties").is_some() || v.get("oneOf").is_some() || v.get("items").is_some(),
            "schema {name} is empty"
        );
    }
    let out = run(&["schema", "nothing"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_long_document_is_handled() {
    use std::io::Write as _;
    let mut doc = String::from("{\"strategies\": [");
    for i in 0..100_000 {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!(
            "{{\"id\": \"S{i}\", \"cost\": \"{}.{:02}\", \"effect\": {}}}",
            i * 37 % 100_000,
            i % 100,
            (i * 7919 % 10_000) as f64 / 100.0
        ));
    }
    doc.push_str("]}");
    let mut child = bin()
        .args(["frontier", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(doc.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 100_000);
}

#[test]
fn errors_can_be_read_by_a_program() {
    let error = |args: &[&str]| -> (i32, serde_json::Value) {
        let out = run(args);
        let text = String::from_utf8_lossy(&out.stderr);
        assert_eq!(text.lines().count(), 1, "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).expect("one line of JSON");
        (out.status.code().unwrap_or(-1), v["error"].clone())
    };
    // A rule broken inside a document: the kind, the document's path and the reason apart.
    let (code, e) = error(&[
        "--errors",
        "json",
        "funnel",
        "docs/examples/opportunity.json",
    ]);
    assert_eq!(code, 2);
    assert_eq!(e["kind"], "invalid_input", "{e}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    // A rule that cannot be computed is `undefined`, with the path split from the message.
    let dir = std::env::temp_dir().join(format!("commissioning-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let one = dir.join("one.json");
    std::fs::write(
        &one,
        r#"{"units":[{"id":"a","numerator":1,"denominator":10}]}"#,
    )
    .unwrap();
    let (code, e) = error(&["funnel", one.to_str().unwrap(), "--errors", "json"]);
    assert_eq!(code, 2);
    assert_eq!(e["kind"], "undefined");
    assert_eq!(e["path"], "units");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("overdispersion needs")
    );
    // A file that cannot be read is `io`, exit 1.
    let (code, e) = error(&["--errors", "json", "frontier", "no/such/file.json"]);
    assert_eq!(code, 1);
    assert_eq!(e["kind"], "io");
    // The text form is unchanged.
    let out = run(&["funnel", one.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: units: overdispersion needs at least 2 units after trimming, got 1; set overdispersion to false"
    );
    // Items the document names by id are named by it in the path; a shared id keeps the index.
    let named = dir.join("named.json");
    std::fs::write(
        &named,
        r#"{"strategies": [{"id": "usual care", "cost": "0", "effect": 0}, {"id": "telecare", "cost": "1e3", "effect": 1}]}"#,
    )
    .unwrap();
    let (code, e) = error(&["--errors", "json", "frontier", named.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(e["path"], "strategies[id=telecare].cost", "{e}");
    std::fs::write(
        &named,
        r#"{"strategies": [{"id": "a", "cost": "0", "effect": 0}, {"id": "a", "cost": "1", "effect": 1}]}"#,
    )
    .unwrap();
    let (_, e) = error(&["--errors", "json", "frontier", named.to_str().unwrap()]);
    assert_eq!(e["path"], "strategies[1].id", "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn acceptability_curves_are_drawn_on_request() {
    let svg = std::env::temp_dir().join(format!("commissioning-ceac-{}.svg", std::process::id()));
    let path = svg.to_str().unwrap();
    let out = run(&["psa", "docs/examples/psa-ceac.json", "--svg", path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let drawing = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(
        drawing.matches("<polyline").count(),
        2,
        "one curve per strategy"
    );
    assert_eq!(drawing.matches("<circle class=\"frontier\"").count(), 6);
    let _ = std::fs::remove_file(&svg);
    // Only the acceptability curves are drawn.
    let out = run(&["psa", "docs/examples/psa.json", "--svg", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: kind: --svg draws"));
}
