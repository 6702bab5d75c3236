//! The hostile-input suite: documents generated from every documented example by mutating its
//! values, structure and bytes, and the reproducers of past aborts and runaways. Every run must
//! end with exit status 0 or 2, at most one line on standard error (none on success), no `null`
//! where the documented output has a number, and within its memory and time bounds (enforced:
//! a process over them is killed and fails the test).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The outcome of one bounded run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs the command on `doc` (standard input) under a virtual-memory cap of 8 × the document's
/// size + 100 MiB (plus the program's own mapping) and a wall-clock bound.
fn run(args: &[&str], doc: &[u8], envs: &[(&str, &str)], seconds: u64) -> Run {
    let cap_kib = (doc.len() as u64 * 8 + (100 << 20) + (60 << 20)) / 1024;
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {cap_kib} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_commissioning"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("the command starts");
    let mut stdin = child.stdin.take().unwrap();
    let bytes = doc.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    // Both outputs are drained while the command runs, so a large result cannot fill a pipe
    // and stall it.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = start + Duration::from_secs(seconds);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?}: still running after {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = child.wait().unwrap();
    let _ = writer.join();
    let text = |h: std::thread::JoinHandle<Vec<u8>>| {
        String::from_utf8_lossy(&h.join().unwrap_or_default()).into_owned()
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: text(stdout),
        stderr: text(stderr),
        elapsed: start.elapsed(),
    }
}

/// Keys whose `null` is documented for a subcommand (docs/compare.md, docs/json.md): a z-score
/// of minus infinity on the log scale, overdispersion that cannot be estimated, a suppressed
/// rate, an unbounded funnel line.
fn documented_nulls(command: &str) -> &'static [&'static str] {
    match command {
        "funnel" => &["z", "z_adjusted", "phi", "tau2", "upper_95", "upper_998"],
        "standardise" => &["value", "lower", "upper"],
        "sensitivity" => &["confidence_factor"],
        "psa" => &["sd_cost", "sd_effect"],
        _ => &[],
    }
}

/// The checks every run must pass.
fn check(what: &str, r: &Run, numeric: &BTreeSet<String>) {
    assert!(
        r.code == 0 || r.code == 2,
        "{what}: exit {} ({})",
        r.code,
        r.stderr
    );
    if r.code == 0 {
        assert!(
            r.stderr.is_empty(),
            "{what}: stderr on success: {}",
            r.stderr
        );
        if let Ok(v) = serde_json::from_str::<Value>(&r.stdout)
            && let Some(key) = null_number(&v, numeric)
        {
            panic!("{what}: null where a number belongs, at {key}");
        }
    } else {
        assert_eq!(
            r.stderr.trim_end().lines().count(),
            1,
            "{what}: one line: {}",
            r.stderr
        );
        assert!(r.stderr.starts_with("error: "), "{what}: {}", r.stderr);
    }
}

/// Keys that hold a number in every documented output and are never `null` in any.
fn numeric_keys(outputs: &[Value]) -> BTreeSet<String> {
    fn walk(v: &Value, numbers: &mut BTreeSet<String>, other: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match x {
                        Value::Number(_) => {
                            numbers.insert(k.clone());
                        }
                        Value::Object(_) | Value::Array(_) => {}
                        _ => {
                            other.insert(k.clone());
                        }
                    }
                    walk(x, numbers, other);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, numbers, other)),
            _ => {}
        }
    }
    let (mut numbers, mut other) = (BTreeSet::new(), BTreeSet::new());
    for o in outputs {
        walk(o, &mut numbers, &mut other);
    }
    numbers.difference(&other).cloned().collect()
}

fn null_number(v: &Value, numeric: &BTreeSet<String>) -> Option<String> {
    match v {
        Value::Object(m) => m.iter().find_map(|(k, x)| {
            if x.is_null() && numeric.contains(k) {
                Some(k.clone())
            } else {
                null_number(x, numeric)
            }
        }),
        Value::Array(a) => a.iter().find_map(|x| null_number(x, numeric)),
        _ => None,
    }
}

/// Paths to every leaf of a document.
fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(Value::String(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(json!(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, p| match p {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[usize::try_from(i.as_u64().unwrap()).unwrap()],
        _ => unreachable!(),
    })
}

/// The hostile values a leaf is replaced by.
fn replacements() -> Vec<Value> {
    vec![
        json!(0),
        json!(-1),
        json!(1e308),
        json!(-1e308),
        json!(5e-324),
        json!(4_294_967_295u64),
        json!(u64::MAX),
        json!(0.5),
        json!("NaN"),
        json!(""),
        json!("-0"),
        json!("1e999"),
        json!("£1,234.56"),
        json!("\u{1b}[31m\nforged"),
        json!(null),
        json!(true),
        json!([]),
        json!({}),
    ]
}

/// Structural mutations of a document: lists emptied or doubled, keys removed.
fn structural(doc: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Value::Object(m) = doc {
        for (k, v) in m {
            let mut removed = m.clone();
            removed.remove(k);
            out.push(Value::Object(removed));
            if let Value::Array(a) = v {
                let mut emptied = m.clone();
                emptied.insert(k.clone(), json!([]));
                out.push(Value::Object(emptied));
                let mut doubled = m.clone();
                let mut twice = a.clone();
                twice.extend(a.iter().cloned());
                doubled.insert(k.clone(), Value::Array(twice));
                out.push(Value::Object(doubled));
            }
        }
    }
    out
}

/// Byte-level mutations of a document's text.
fn textual(text: &str) -> Vec<Vec<u8>> {
    let b = text.as_bytes();
    let mut out = vec![
        b[..b.len() / 2].to_vec(),
        b[..b.len().saturating_sub(1)].to_vec(),
        [b, b].concat(),
        [&[0xEF, 0xBB, 0xBF][..], b].concat(),
        [&[0xFF, 0xFE][..], b].concat(),
        text.replace('"', "\u{201c}").into_bytes(),
        format!("{}{}", "[".repeat(5_000), text).into_bytes(),
    ];
    // A duplicate of the first key.
    if let Some(i) = text.find('"')
        && let Some(j) = text[i + 1..].find("\":")
    {
        let key = &text[i..i + 1 + j + 1];
        out.push(
            text.replacen('{', &format!("{{{key}: null, "), 1)
                .into_bytes(),
        );
    }
    // Latin-1 bytes in a string.
    out.push(
        text.replacen('"', "\"\u{e9}", 1)
            .into_bytes()
            .iter()
            .map(|&c| if c == 0xC3 { 0xE9 } else { c })
            .filter(|&c| c != 0xA9)
            .collect(),
    );
    out
}

/// Every documented example with its subcommand and output.
fn examples() -> Vec<(String, String, Value, Value)> {
    let dir = root().join("docs/examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let command = name
                .trim_end_matches(".json")
                .split('-')
                .next()
                .unwrap()
                .to_owned();
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap()).unwrap();
            let out: Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join("out").join(&name)).unwrap(),
            )
            .unwrap();
            (name, command, doc, out)
        })
        .collect()
}

#[test]
fn mutated_documents_exit_0_or_2_with_one_line_and_no_silent_null() {
    let examples = examples();
    assert!(examples.len() >= 20);
    let numeric = numeric_keys(&examples.iter().map(|e| e.3.clone()).collect::<Vec<_>>());
    let allowed = |command: &str| -> BTreeSet<String> {
        let exempt = documented_nulls(command);
        numeric
            .iter()
            .filter(|k| !exempt.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    let mut runs = 0;
    for (name, command, doc, _) in &examples {
        let mut paths = Vec::new();
        leaves(doc, &mut Vec::new(), &mut paths);
        // At most 24 leaves of each example, spread over the document.
        let step = (paths.len() / 24).max(1);
        for (n, path) in paths.iter().step_by(step).enumerate() {
            for (r, value) in replacements().into_iter().enumerate() {
                // Each leaf gets a third of the replacements, in rotation, to keep the suite short.
                if (n + r) % 3 != 0 {
                    continue;
                }
                let mut mutated = doc.clone();
                *at(&mut mutated, path) = value.clone();
                let text = serde_json::to_vec(&mutated).unwrap();
                let result = run(&[command.as_str(), "-"], &text, &[], 30);
                check(
                    &format!("{name} with {path:?} = {value}"),
                    &result,
                    &allowed(command),
                );
                runs += 1;
            }
        }
        for (i, mutated) in structural(doc).into_iter().enumerate() {
            let text = serde_json::to_vec(&mutated).unwrap();
            let result = run(&[command.as_str(), "-"], &text, &[], 30);
            check(
                &format!("{name} structural mutation {i}"),
                &result,
                &allowed(command),
            );
            runs += 1;
        }
        let text = serde_json::to_string_pretty(doc).unwrap();
        for (i, bytes) in textual(&text).into_iter().enumerate() {
            let result = run(&[command.as_str(), "-"], &bytes, &[], 30);
            check(
                &format!("{name} textual mutation {i}"),
                &result,
                &allowed(command),
            );
            runs += 1;
        }
        for format in ["table", "json"] {
            let result = run(
                &["--format", format, command.as_str(), "-"],
                text.as_bytes(),
                &[],
                30,
            );
            assert_eq!(result.code, 0, "{name} as {format}: {}", result.stderr);
        }
    }
    assert!(runs > 1_000, "only {runs} runs");
}

fn object(pairs: &[(&str, Value)]) -> Vec<u8> {
    let m: Map<String, Value> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    serde_json::to_vec(&Value::Object(m)).unwrap()
}

/// The reproducers of past aborts and runaways: each is refused at once (exit 2, naming the
/// field and the limit) or completes, within a memory cap and a generous time bound.
/// Runs `command` on the documented example `example` with each `(object, key, value)` set
/// (the object by JSON pointer) and checks that it is refused with an error starting `error:
/// {message}`.
fn refused(command: &str, example: &str, edits: &[(&str, &str, Value)], message: &str) {
    let text =
        std::fs::read_to_string(root().join(format!("docs/examples/{example}.json"))).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    for (object, key, value) in edits {
        doc.pointer_mut(object).unwrap()[*key] = value.clone();
    }
    let r = run(&[command, "-"], &serde_json::to_vec(&doc).unwrap(), &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(&format!("error: {message}")),
        "{edits:?}: {}",
        r.stderr
    );
}

#[test]
fn past_aborts_and_runaways_are_bounded() {
    let scenario: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/examples/settle-scenario.json")).unwrap(),
    )
    .unwrap();
    let mut huge_count = scenario;
    huge_count["outturns"]["count"] = json!(4_294_967_295u64);
    let r = run(
        &["settle", "-"],
        &serde_json::to_vec(&huge_count).unwrap(),
        &[],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("outturns.count") && r.stderr.contains("COMMISSIONING_MAX_SIMULATIONS"),
        "{}",
        r.stderr
    );
    assert!(r.elapsed < Duration::from_secs(5));

    let candidates = |n: usize| -> Value {
        Value::Array(
            (0..n)
                .map(|i| json!({"id": format!("c{i}"), "cost": format!("{}.00", 1000 + i * 7 % 991), "benefit": 1 + i * 13 % 97}))
                .collect(),
        )
    };
    let many = object(&[
        ("budget", json!("5000000.00")),
        ("candidates", candidates(30_000)),
    ]);
    let r = run(&["select", "-"], &many, &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("candidates") && r.stderr.contains("COMMISSIONING_MAX_CANDIDATES"),
        "{}",
        r.stderr
    );
    // Raised, the search is iterative: no stack overflow, and the work limit ends it.
    let r = run(
        &["select", "-"],
        &many,
        &[("COMMISSIONING_MAX_CANDIDATES", "30000")],
        60,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("limit of") && r.stderr.contains("nodes"),
        "{}",
        r.stderr
    );

    let eight_hundred = object(&[
        ("budget", json!("50000.00")),
        ("candidates", candidates(800)),
    ]);
    let r = run(&["select", "-"], &eight_hundred, &[], 60);
    assert!(r.code == 0 || r.stderr.contains("nodes"), "{}", r.stderr);

    let max_nodes = object(&[
        ("budget", json!("50000.00")),
        ("candidates", candidates(40)),
        ("max_nodes", json!(u64::MAX)),
    ]);
    let r = run(&["select", "-"], &max_nodes, &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: max_nodes:")
            && r.stderr.contains("COMMISSIONING_MAX_SEARCH_WORK"),
        "{}",
        r.stderr
    );

    let options = |n: usize, c: usize| -> Value {
        Value::Array((0..n).map(|i| json!({"id": format!("o{i}"), "values": (0..c).map(|j| (i * (j + 37)) % 100).collect::<Vec<_>>()})).collect())
    };
    let one_way = object(&[
        ("kind", json!("one_way")),
        ("weights", json!([0.3, 0.3, 0.4])),
        ("varied_criterion", json!(1)),
        ("options", options(5_000, 3)),
    ]);
    let r = run(&["sensitivity", "-"], &one_way, &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: options:")
            && r.stderr.contains("COMMISSIONING_MAX_OUTPUT_ROWS"),
        "{}",
        r.stderr
    );

    let smaa = object(&[
        ("kind", json!("smaa")),
        ("options", options(1_000, 100)),
        ("samples", json!(10_000_000)),
        ("seed", json!(1)),
    ]);
    let r = run(&["sensitivity", "-"], &smaa, &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: samples:") && r.stderr.contains("COMMISSIONING_MAX_SMAA_WORK"),
        "{}",
        r.stderr
    );
}

#[test]
fn strict_reading_of_keys_bytes_and_size() {
    let numeric = BTreeSet::new();
    // A duplicated kind: refused, not the last one winning.
    let r = run(
        &["settle", "-"],
        br#"{"kind":"mssp","kind":"single","agreement":{},"input":{}}"#,
        &[],
        10,
    );
    check("duplicate kind", &r, &numeric);
    assert!(
        r.stderr.starts_with("error: kind: duplicate field"),
        "{}",
        r.stderr
    );
    // A duplicated field inside a kind-tagged document.
    let settle = std::fs::read_to_string(root().join("docs/examples/settle.json")).unwrap();
    let twice = settle.replacen("\"input\": {", "\"input\": {\"target\": \"1.00\", ", 1);
    let r = run(&["settle", "-"], twice.as_bytes(), &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("duplicate field `target`"),
        "{}",
        r.stderr
    );
    // UTF-16 and Latin-1 are not UTF-8: exit 2 with the byte offset.
    let utf16: Vec<u8> = "{\"strategies\": []}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let r = run(
        &["frontier", "-"],
        &[&[0xFF, 0xFE][..], &utf16].concat(),
        &[],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("not UTF-8") && r.stderr.contains("offset 0"),
        "{}",
        r.stderr
    );
    let r = run(
        &["frontier", "-"],
        b"{\"strategies\": [{\"id\": \"caf\xe9\"}]}",
        &[],
        10,
    );
    assert!(r.stderr.contains("offset 27"), "{}", r.stderr);
    // Over the input limit: refused naming the limit.
    let r = run(
        &["frontier", "-"],
        settle.as_bytes(),
        &[("COMMISSIONING_MAX_INPUT", "100")],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("input limit of 100 bytes")
            && r.stderr.contains("COMMISSIONING_MAX_INPUT"),
        "{}",
        r.stderr
    );
    // Non-finite results are errors naming the field, never null.
    let r = run(&["frontier", "-"], br#"{"strategies":[{"id":"a","cost":"0","effect":0},{"id":"b","cost":"1","effect":1e308}],"threshold":1e308}"#, &[], 10);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: result.net_monetary_benefit[1].nmb:"),
        "{}",
        r.stderr
    );
    let r = run(
        &["spc", "-"],
        br#"{"values":[{"value":1e308},{"value":-1e308},{"value":1e308},{"value":-1e308}]}"#,
        &[],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not finite"), "{}", r.stderr);
    // An MSSP year with no beneficiaries is refused, not settled at £0.
    let mssp = std::fs::read_to_string(root().join("docs/examples/settle-mssp.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&mssp).unwrap();
    doc["input"]["assigned_beneficiaries"] = json!(0);
    let r = run(
        &["settle", "-"],
        &serde_json::to_vec(&doc).unwrap(),
        &[],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("assigned_beneficiaries: must be at least 1"),
        "{}",
        r.stderr
    );
    // MSSP errors name the year's own fields, under `input`, not the settlement's derived
    // target, outturn or revenue base.
    let big = "79228162514264337593543950";
    for (field, value, message) in [
        (
            "expenditure_per_capita",
            json!("-5"),
            "input.expenditure_per_capita: must not be negative",
        ),
        (
            "benchmark_per_capita",
            json!("0"),
            "input.benchmark_per_capita: must be above zero",
        ),
        (
            "ffs_revenue",
            json!("-1"),
            "input.ffs_revenue: must not be negative",
        ),
        (
            "benchmark_per_capita",
            json!(big),
            "input.benchmark_per_capita: ",
        ),
    ] {
        refused(
            "settle",
            "settle-mssp",
            &[("/input", field, value)],
            message,
        );
    }
    // A single settlement's errors say whether the field is in the input or the agreement.
    refused(
        "settle",
        "settle",
        &[("/input", "outturn", json!("-1"))],
        "input.outturn: must not be negative",
    );
    // A budget reviewed above the total budget is refused, not reported as a share of 500%.
    refused(
        "effectiveness",
        "effectiveness",
        &[("/portfolio", "budget_reviewed", json!("1900000000.00"))],
        "portfolio.budget_reviewed: is part of the total budget",
    );
    // Inside a `kind`-tagged object (read from a buffered copy) the path still reaches the value.
    for (field, value) in [
        ("variable_rate", json!("1.2")),
        ("fixed", json!("abc")),
        ("fixed", json!(true)),
        ("fixed", json!(1.5)),
        ("variation", json!("sideways")),
    ] {
        refused(
            "pay",
            "pay",
            &[("/model", field, value)],
            &format!("model.{field}: "),
        );
    }
    // An overflow names the part of the document whose amounts overflowed.
    refused(
        "pay",
        "pay",
        &[
            ("/model", "unit_price", json!(big)),
            ("", "actual_activity", json!("100000")),
        ],
        "model: arithmetic overflow",
    );
    let kpi = std::fs::read_to_string(root().join("docs/examples/kpi.json")).unwrap();
    let r = run(
        &["kpi", "-"],
        kpi.replace(
            "\"share_of_monthly_value\": \"0.01\"",
            "\"share_of_monthly_value\": \"7\"",
        )
        .as_bytes(),
        &[],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: series[1].requirement.consequence.share_of_monthly_value: "),
        "{}",
        r.stderr
    );
    // A negative threshold is named as the document names it.
    let r = run(
        &["frontier", "-"],
        br#"{"strategies":[{"id":"a","cost":"0","effect":0}],"threshold":-5}"#,
        &[],
        10,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: threshold: must not be negative"),
        "{}",
        r.stderr
    );
    // A key with a newline (a fuzzing find) is named on one line, escaped.
    let r = run(
        &["settle", "-"],
        b"{\"kind\": \"mssp\", \"input\": {\"assigned_b\\neficiaries\": 1}}",
        &[],
        10,
    );
    check("a key with a newline", &r, &numeric);
    assert!(
        r.stderr.contains("assigned_b\\u{a}eficiaries"),
        "{}",
        r.stderr
    );
    // Control characters in ids do not reach the terminal.
    let r = run(
        &["--format", "table", "frontier", "-"],
        "{\"strategies\":[{\"id\":\"a\\u001b[31m\\nb\",\"cost\":\"0\",\"effect\":0}]}".as_bytes(),
        &[],
        10,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !r.stdout.contains('\u{1b}') && r.stdout.contains("\\u{1b}"),
        "{}",
        r.stdout
    );
}

/// Large documents run within 8 × their size + 160 MiB of virtual memory (the run's cap): SPC
/// holds a point, and the frontier a strategy, in tens of bytes rather than a kilobyte.
#[test]
fn large_documents_run_in_lean_memory() {
    let points: Vec<String> = (0..1_000_000_u64)
        .map(|i| format!("{{\"value\":{}}}", 50 + (i * 7_919) % 101))
        .collect();
    let spc = format!("{{\"values\":[{}]}}", points.join(","));
    let r = run(&["spc", "-"], spc.as_bytes(), &[], 120);
    assert_eq!(r.code, 0, "spc of 1,000,000 points: {}", r.stderr);
    assert!(
        r.stdout.contains("\"points\""),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );

    let strategies: Vec<String> = (0..300_000_u64)
        .map(|i| {
            format!(
                "{{\"id\":\"s{i}\",\"cost\":\"{}.{:02}\",\"effect\":{}}}",
                1_000 + (i * 104_729) % 9_000_000,
                i % 100,
                (i * 7_907 % 20_000) as f64 / 1_000.0
            )
        })
        .collect();
    let frontier = format!(
        "{{\"threshold\":20000,\"strategies\":[{}]}}",
        strategies.join(",")
    );
    let r = run(&["frontier", "-"], frontier.as_bytes(), &[], 120);
    assert_eq!(r.code, 0, "frontier of 300,000 strategies: {}", r.stderr);
    assert!(r.stdout.contains("\"best\""));
}

/// Ids that a spreadsheet would run as formulas come out of `--format csv` as text, in every
/// subcommand that writes ids (OWASP's CSV injection guidance).
#[test]
fn csv_output_never_holds_a_live_formula() {
    let formula = "=HYPERLINK(\"http://example.invalid\",\"x\")";
    let units: Vec<Value> = [formula, "+1+1", "@SUM(A1)", "-2+3", "RWY"]
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"id": id, "numerator": 20 + i, "denominator": 22.5}))
        .collect();
    let doc = serde_json::to_vec(&json!({"units": units})).unwrap();
    let r = run(&["--format", "csv", "funnel", "-"], &doc, &[], 20);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in r.stdout.lines().skip(1) {
        let first = line.trim_start_matches('"');
        assert!(
            !first.starts_with(['=', '+', '@']) && !first.starts_with("-2"),
            "a live formula in {line:?}"
        );
    }
    assert!(r.stdout.contains("'=HYPERLINK"), "{}", r.stdout);
    assert!(
        r.stdout.contains(",RWY,") || r.stdout.starts_with("RWY") || r.stdout.contains("\nRWY,"),
        "{}",
        r.stdout
    );
}

/// Results that repeat a name on every row are refused by their estimated output, before the
/// work, where they used to abort: a 5 MiB strategy name at 500 willingness-to-pay values, and
/// 101 areas with 200 KB ids each listing 100 peers.
#[test]
fn output_that_multiplies_the_input_is_refused_before_the_work() {
    let name = "s".repeat(5 << 20);
    let wtp: Vec<String> = (0..500).map(|i| format!("{}.00", i * 100)).collect();
    let psa = json!({
        "kind": "ceac",
        "strategies": [name, "b"],
        "cost": [["1.00", "2.00"], ["1.00", "2.00"]],
        "effect": [[1.0, 1.1], [1.0, 1.2]],
        "wtp": wtp,
    });
    let doc = serde_json::to_vec(&psa).unwrap();
    let r = run(&["psa", "-"], &doc, &[], 60);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("COMMISSIONING_MAX_OUTPUT_BYTES"),
        "{}",
        r.stderr
    );

    let units: Vec<Value> = (0..101)
        .map(|i| json!({"id": format!("{}{i}", "x".repeat(200 * 1024)), "values": [i, 101 - i]}))
        .collect();
    let peers = json!({"variables": ["a", "b"], "units": units, "k": 100});
    let doc = serde_json::to_vec(&peers).unwrap();
    let r = run(&["peers", "-"], &doc, &[], 60);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("COMMISSIONING_MAX_OUTPUT_BYTES"),
        "{}",
        r.stderr
    );
}

/// A meeting pack reads each file once and bounds its documents together before any section
/// runs: a 1.7 KB pack naming a 3 MB funnel document 40 times is refused at once, naming the
/// limit; a section naming `/dev/zero` is refused at its `file`.
#[test]
fn a_pack_is_bounded_before_its_sections_run() {
    let dir = std::env::temp_dir().join(format!("commissioning-pack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let units: Vec<Value> = (0..60_000)
        .map(|i| json!({"id": format!("U{i:06}"), "numerator": 20 + i % 17, "denominator": 22.5}))
        .collect();
    let funnel = dir.join("funnel.json");
    std::fs::write(
        &funnel,
        serde_json::to_vec(&json!({"units": units})).unwrap(),
    )
    .unwrap();
    let sections: Vec<Value> = (0..40)
        .map(|_| json!({"kind": "funnel", "file": funnel.to_str().unwrap()}))
        .collect();
    let pack = serde_json::to_vec(&json!({"title": "Pack", "sections": sections})).unwrap();
    let r = run(&["report", "-"], &pack, &[], 30);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("COMMISSIONING_MAX_REPORT_BYTES"),
        "{}",
        r.stderr
    );
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);

    let zero = json!({"title": "Pack", "sections": [{"kind": "funnel", "file": "/dev/zero"}]});
    let r = run(
        &["report", "-"],
        &serde_json::to_vec(&zero).unwrap(),
        &[("COMMISSIONING_MAX_INPUT", "1000000")],
        30,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: sections[0].file: "),
        "{}",
        r.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
