//! Spreadsheet input and output: CSV tables give the same results as the JSON documents they
//! stand for, whatever spelling a spreadsheet uses, and a bad cell is named by line and column.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_commissioning"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn json_of(out: &Output, what: &str) -> Value {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim_end().to_owned()
}

/// A scratch file with `contents`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, contents: &[u8]) -> Self {
        let dir = std::env::temp_dir().join(format!("commissioning-sheet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Drops every `date` field, for a dated table compared with an undated document.
fn without_dates(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("date");
            m.values_mut().for_each(without_dates);
        }
        Value::Array(a) => a.iter_mut().for_each(without_dates),
        _ => {}
    }
}

#[test]
fn every_csv_example_gives_the_result_of_its_json_document() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "frontier",
            "frontier.json",
            &["csv/frontier.csv", "--set", "threshold=20000"],
        ),
        (
            "concentration",
            "concentration.json",
            &["csv/concentration.tsv", "--set", "target=80%"],
        ),
        (
            "score",
            "score.json",
            &[
                "csv/score.csv",
                "--settings",
                "docs/examples/csv/score-settings.json",
            ],
        ),
        (
            "topsis",
            "topsis.json",
            &[
                "csv/topsis.csv",
                "--weight",
                "cost=0.35",
                "--weight",
                "quality=0.25",
                "--weight",
                "access=0.25",
                "--weight",
                "capacity=0.15",
                "--lower-is-better",
                "cost",
            ],
        ),
        (
            "select",
            "select.json",
            &[
                "csv/select.csv",
                "--set",
                "budget=£500,000",
                "--set",
                "max_cost_per_benefit=30000.00",
            ],
        ),
        (
            "funnel",
            "funnel.json",
            &[
                "csv/funnel.csv",
                "--settings",
                "docs/examples/csv/funnel-settings.json",
            ],
        ),
        (
            "peers",
            "peers.json",
            &[
                "csv/peers.csv",
                "--settings",
                "docs/examples/csv/peers-settings.json",
            ],
        ),
        (
            "opportunity",
            "opportunity.json",
            &[
                "csv/opportunity.csv",
                "--settings",
                "docs/examples/csv/opportunity-settings.json",
            ],
        ),
        (
            "standardise",
            "standardise.json",
            &[
                "csv/standardise.csv",
                "--settings",
                "docs/examples/csv/standardise-settings.json",
            ],
        ),
        (
            "sensitivity",
            "sensitivity.json",
            &[
                "csv/sensitivity.csv",
                "--settings",
                "docs/examples/csv/sensitivity-settings.json",
            ],
        ),
        (
            "kpi",
            "kpi.json",
            &[
                "csv/kpi.csv",
                "--settings",
                "docs/examples/csv/kpi-settings.json",
            ],
        ),
        (
            "variance",
            "variance.json",
            &["csv/variance-budget.csv", "--set", "month=M6"],
        ),
        ("variance", "variance-pvm.json", &["csv/variance-pvm.csv"]),
        ("ahp", "ahp.json", &["csv/ahp.csv"]),
        (
            "psa",
            "psa-ceac.json",
            &[
                "csv/psa.csv",
                "--set",
                "kind=ceac",
                "--set",
                r#"wtp=["0.00", "8000.00", "16000.00", "20000.00", "24000.00", "30000.00"]"#,
            ],
        ),
        (
            "variance",
            "variance-activity.json",
            &[
                "csv/variance-activity.csv",
                "--set",
                "year=2025/26",
                "--set",
                "month=M3",
            ],
        ),
        (
            "spc",
            "spc.json",
            &[
                "csv/spc.csv",
                "--improvement",
                "decrease",
                "--target",
                "3",
                "--set",
                "options.screen_outliers=true",
            ],
        ),
    ];
    for (command, json, args) in cases {
        let want = json_of(&run(&[command, &format!("docs/examples/{json}")]), json);
        let table = format!("docs/examples/{}", args[0]);
        let mut full = vec![*command, table.as_str()];
        full.extend_from_slice(&args[1..]);
        let mut got = json_of(&run(&full), args[0]);
        if *command == "spc" {
            without_dates(&mut got);
        }
        if *command == "ahp" {
            // The table names its criteria; the JSON example does not.
            assert_eq!(
                got["criteria"],
                serde_json::json!(["quality", "access", "cost"])
            );
            got.as_object_mut().unwrap().remove("criteria");
        }
        assert_eq!(got, want, "{command} {}", args[0]);
    }
}

#[test]
fn a_spreadsheet_may_write_a_table_every_usual_way() {
    let plain = "Strategy,Cost,QALYs\nUC,5000,1\nB,10000,2\nA,12000,1.5\nC,25000,3\n";
    let want = json_of(
        &run(&[
            "frontier",
            Scratch::new("plain.csv", plain.as_bytes()).path(),
        ]),
        "plain",
    );
    let spellings: &[(&str, String)] = &[
        ("bom.csv", format!("\u{feff}{plain}")),
        ("crlf.csv", plain.replace('\n', "\r\n")),
        ("tabs.tsv", plain.replace(',', "\t")),
        ("tabs-named-csv.csv", plain.replace(',', "\t")),
        (
            "money.csv",
            "strategy,cost,effect\nUC,\"£5,000.00\",1\nB,£10000,2\nA,\"12,000\",1.5\nC,25000.00,3\n"
                .to_owned(),
        ),
        (
            "headers.csv",
            " Strategy , COSTS ,Qalys\n UC , 5000 , 1 \nB,10000,2\n\nA,12000,1.5\nC,25000,3\n"
                .to_owned(),
        ),
    ];
    for (name, text) in spellings {
        let file = Scratch::new(name, text.as_bytes());
        assert_eq!(
            json_of(&run(&["frontier", file.path()]), name),
            want,
            "{name}"
        );
    }
}

#[test]
fn uk_dates_percentages_and_the_one_remaining_column_are_read() {
    let iso = Scratch::new(
        "iso.csv",
        b"date,value\n2025-04-01,0.5\n2025-05-01,0.25\n2025-06-01,0.75\n",
    );
    let uk = Scratch::new(
        "uk.csv",
        b"Month,% seen within 2 weeks\n01/04/2025,50%\n1/5/2025,25%\n01/06/2025,75.0%\n",
    );
    let a = json_of(&run(&["spc", iso.path()]), "iso");
    let b = json_of(&run(&["spc", uk.path()]), "uk");
    assert_eq!(a, b);
    assert_eq!(b["points"][1]["date"], "2025-05-01");
    assert_eq!(b["points"][1]["value"], 0.25);
}

#[test]
fn a_bad_cell_is_named_by_file_line_and_column() {
    let mut text = String::from("date,value\n");
    for day in 1..=12 {
        text.push_str(&format!("2025-04-{day:02},{day}\n"));
    }
    text.push_str("2025-04-13,n/a\n");
    let file = Scratch::new("values.csv", text.as_bytes());
    let out = run(&["spc", file.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:14:value: expected a number, got \"n/a\"",
            file.path()
        )
    );

    let cases: &[(&str, &[u8], &str, &str)] = &[
        (
            "money.csv",
            b"id,cost,effect\nA,1000,1\nB,\"\xc2\xa31,23.00\",2\n",
            "frontier",
            ":3:cost: expected an amount of money such as 1234.56 or £1,234.56, got \"£1,23.00\"",
        ),
        (
            "date.csv",
            b"date,value\n31/02/2025,1\n",
            "spc",
            ":2:date: expected a date written DD/MM/YYYY or YYYY-MM-DD, got \"31/02/2025\"",
        ),
        (
            "ragged.csv",
            b"id,cost,effect\nA,1000,1\nB,2000\n",
            "frontier",
            ":3: has 2 cells where the header has 3",
        ),
        (
            "missing.csv",
            b"id,cost\nA,1000\n",
            "frontier",
            ":1: the header has no effect column (headers read: id, cost)",
        ),
        (
            "empty.csv",
            b"id,cost,effect\n",
            "frontier",
            ":2: the table has a header but no rows",
        ),
        (
            "blank.csv",
            b"id,cost,effect\nA,,1\n",
            "frontier",
            ":2:cost: is empty; every row needs one",
        ),
        (
            "duplicate.csv",
            b"id,cost,effect\nA,1000,1\nA,2000,2\n",
            "frontier",
            ":3:id: ",
        ),
    ];
    for (name, text, command, message) in cases {
        let file = Scratch::new(name, text);
        let out = run(&[command, file.path()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("error: {}{message}", file.path())),
            "{name}: {err}"
        );
    }
}

#[test]
fn settings_by_flag_go_with_a_table_and_are_named_when_wrong() {
    // --set changes a JSON document too; a settings document goes with a table only.
    let set = json_of(
        &run(&[
            "frontier",
            "docs/examples/frontier.json",
            "--set",
            "threshold=30000",
        ]),
        "--set on JSON",
    );
    assert_eq!(set["threshold"], 30000.0);
    let out = run(&[
        "frontier",
        "docs/examples/frontier.json",
        "--settings",
        "docs/examples/csv/score-settings.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: --settings: a settings document goes with a table"),
        "{}",
        stderr(&out)
    );
    let settled = json_of(
        &run(&[
            "settle",
            "docs/examples/settle.json",
            "--set",
            "input.outturn=£57,500,000.00",
        ]),
        "settle --set",
    );
    assert_eq!(settled["outturn"], "57500000.00");
    assert_eq!(settled["transfer"], "760000.00"); // 50% of (£2.5m − 1% of £60m) × quality 80%

    let out = run(&["variance", "docs/examples/csv/variance-budget.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: settings: missing field `month`"),
        "{}",
        stderr(&out)
    );

    let out = run(&[
        "score",
        "docs/examples/csv/score.csv",
        "--weight",
        "speed=2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --weight: \"speed\" is not a criterion column; the columns are health_gain, inequalities, cost_k"
    );

    let dup = Scratch::new("dup-settings.json", br#"{"month": "M6", "month": "M7"}"#);
    let out = run(&[
        "variance",
        "docs/examples/csv/variance-budget.csv",
        "--settings",
        dup.path(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("duplicate field `month`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn score_from_a_table_and_flags_alone_is_the_linear_model_over_the_observed_range() {
    let out = run(&[
        "score",
        "docs/examples/csv/score.csv",
        "--weight",
        "health_gain=100",
        "--weight",
        "inequalities=40",
        "--weight",
        "cost_k=60",
        "--lower-is-better",
        "cost_k",
    ]);
    let v = json_of(&out, "score by flags");
    // Health gain 3..8, inequalities 1..4, cost 100..400 (lower is better), weights 0.5/0.2/0.3.
    // X: 0.5·60 + 0.2·66.67 + 0.3·66.67 = 63.33; Y: 0.5·100 = 50; Z: 0.2·100 + 0.3·100 = 50.
    let scores: Vec<f64> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["score"].as_f64().unwrap())
        .collect();
    assert!((scores[0] - 190.0 / 3.0).abs() < 1e-9, "{scores:?}");
    assert!((scores[1] - 50.0).abs() < 1e-9, "{scores:?}");
    assert!((scores[2] - 50.0).abs() < 1e-9, "{scores:?}");
}

/// A JSON scalar as `--format csv` writes it.
fn as_cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn csv_output_reads_back_equal_to_the_json_result() {
    let cases = [
        ("settle", "settle.json", "split"),
        ("spc", "spc-stroke.json", "points"),
        ("frontier", "frontier.json", "rows"),
        ("concentration", "concentration.json", "rows"),
        ("variance", "variance.json", "lines"),
        ("variance", "variance-pvm.json", "lines"),
        ("kpi", "kpi.json", "assessments"),
        ("funnel", "funnel.json", "units"),
        ("peers", "peers.json", "units"),
        ("budget", "budget.json", "years"),
        ("dsa", "dsa.json", "tornado"),
        ("psa", "psa-ceac.json", "points"),
        ("settle", "settle-multi-year.json", "years"),
    ];
    for (command, doc, list) in cases {
        let path = format!("docs/examples/{doc}");
        let json = json_of(&run(&[command, &path]), doc);
        let out = run(&["--format", "csv", command, &path]);
        assert!(out.status.success(), "{doc}: {}", stderr(&out));
        let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let mut want: Vec<Value> = json[list].as_array().unwrap().clone();
        if list == "lines" {
            want.push(json["total"].clone());
        }
        assert_eq!(records.len(), want.len(), "{doc}: one CSV row per record");
        let mut compared = 0;
        for (record, row) in records.iter().zip(&want) {
            for (header, cell) in headers.iter().zip(record) {
                let (key, index) = match header.split_once('.') {
                    Some((k, i)) => (k, i.parse::<usize>().ok()),
                    None => (header.as_str(), None),
                };
                let value = match (row.get(key), index) {
                    (Some(Value::Array(a)), Some(i)) => {
                        a.get(i - 1).cloned().unwrap_or(Value::Null)
                    }
                    (Some(Value::Object(_)), None) => continue,
                    (Some(v), None) => v.clone(),
                    (Some(Value::Object(m)), Some(_)) => {
                        m[header.split_once('.').unwrap().1].clone()
                    }
                    _ => continue, // a column the table adds beside the record (limits, NMB)
                };
                assert_eq!(cell, as_cell(&value), "{doc}: {header}");
                compared += 1;
            }
        }
        assert!(
            compared >= want.len() * 2,
            "{doc}: only {compared} cells compared"
        );
    }
}

/// Runs `command` on `doc` given on standard input.
fn run_stdin(command: &str, doc: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_commissioning"))
        .args([command, "-"])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_two_slips_that_gave_wrong_settlements_are_caught() {
    let settle = std::fs::read_to_string(root().join("docs/examples/settle.json")).unwrap();
    let edit = |from: &str, to: &str| {
        assert!(settle.contains(from), "{from}");
        settle.replacen(from, to, 1)
    };

    // "1" where a fraction of the target is expected: rejected, with both spellings offered.
    let out = run_stdin(
        "settle",
        &edit(r#""rate": "1%"}, "to""#, r#""rate": "1"}, "to""#),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        r#"error: agreement.gain.bands[0].from.rate: "1" would be 100% of the whole; a fraction is expected, so write "1%" for 1 per cent (or "100%" if 100% is meant)"#
    );
    // Written as a percentage, the same value is not a slip.
    let out = run_stdin(
        "settle",
        &edit(r#""rate": "5%"}, "rate""#, r#""rate": "100%"}, "rate""#),
    );
    assert!(!stderr(&out).contains("would be"), "{}", stderr(&out));

    // A quality score written as a fraction: rejected.
    let out = run_stdin("settle", &edit(r#""score": "80""#, r#""score": "0.95""#));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: input.quality.score: \"0.95\" is under one point on the 0–100 quality scale; write 95 for 95 points"
    );

    // A share over 1: rejected, with the percentage it was probably meant as.
    let out = run_stdin("settle", &edit(r#""rate": "0.5""#, r#""rate": "50""#));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).ends_with(r#"(did you mean "50%"?)"#),
        "{}",
        stderr(&out)
    );

    // Warnings: the result is still written, and the warning names the field.
    let out = run_stdin(
        "settle",
        &edit(r#""rate": "0.25""#, r#""rate": "1""#).replace("60000000.00", "60000000.005"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(r#"warning: agreement.gain.bands[1].rate: "1" read as 100% of the variance in the band; write "1%" if one per cent was meant"#),
        "{err}"
    );
    assert!(
        err.contains("warning: input.target: £60,000,000.005 is not a whole number of pence"),
        "{err}"
    );

    let kpi = std::fs::read_to_string(root().join("docs/examples/kpi.json"))
        .unwrap()
        .replacen(r#""threshold": "85""#, r#""threshold": "0.85""#, 1);
    let out = run_stdin("kpi", &kpi);
    assert!(out.status.success());
    assert_eq!(
        stderr(&out),
        r#"warning: series[1].requirement.threshold: "0.85" read as 0.85% (the unit is percent); write 85 for 85%"#
    );
}

#[test]
fn a_table_beyond_the_cell_limit_is_refused_before_it_is_built() {
    let mut text = String::from("id,cost,effect\n");
    for i in 0..1000 {
        text.push_str(&format!("s{i},{i},{i}\n"));
    }
    let file = Scratch::new("limit.csv", text.as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_commissioning"))
        .args(["frontier", file.path()])
        .env("COMMISSIONING_MAX_TABLE_CELLS", "2000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("table cells (rows × columns) is more than the limit of 2000")
            && err.contains("COMMISSIONING_MAX_TABLE_CELLS"),
        "{err}"
    );
    // Within the limit, the same table is read.
    let out = run(&["frontier", file.path()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn ahp_judgements_may_be_written_as_fractions() {
    let decimals = json_of(&run(&["ahp", "docs/examples/ahp.json"]), "decimals");
    let doc = r#"{"kind": "matrix", "matrix": [[1, 3, 5], ["1/3", 1, 3], ["1/5", "1 / 3", "1"]]}"#;
    let fractions = json_of(&run_stdin("ahp", doc), "fractions");
    assert_eq!(fractions["weights"], decimals["weights"]);
    let out = run_stdin(
        "ahp",
        r#"{"kind": "matrix", "matrix": [[1, "3/0"], ["x", 1]]}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "error: matrix[0][1]: expected a judgement such as 3, 0.2 or \"1/3\", got \"3/0\""
        ),
        "{}",
        stderr(&out)
    );
}

/// An export as Excel writes it: a name column beside the ones read, empty trailing columns,
/// `;` as the separator with decimal commas, and a total row. The table is read, the extra
/// columns left out with a warning, the total row warned on.
#[test]
fn real_exports_are_read_with_warnings_not_refused() {
    let comma = Scratch::new(
        "trusts.csv",
        "\u{feff}id,Trust name,numerator,denominator,,\nRWY,Calderdale,30,28.5,,\nRXF,Mid Yorkshire,45,30,,\nRR8,Leeds,12,14,,\nTotal,,87,72.5,,\n"
            .as_bytes(),
    );
    let out = run(&["funnel", comma.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Trust name: is not a column funnel reads; left out"),
        "{err}"
    );
    assert!(err.contains("column 5: has no header; left out"), "{err}");
    assert!(err.contains("\"Total\" looks like a total row"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["units"].as_array().map(Vec::len), Some(4));

    let semicolon = Scratch::new(
        "trusts-eu.csv",
        b"id;numerator;denominator\nRWY;30;28,5\nRXF;45;30\nRR8;12;14,25\n",
    );
    let out = run(&["funnel", semicolon.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["units"][0]["denominator"], 28.5);
    assert_eq!(v["units"][2]["denominator"], 14.25);
}

/// `standardise` matches a table's age bands by label against the 2013 European Standard
/// Population: rows in any order give the same rate; a band that is not the standard's is
/// refused at its cell (before, rows were matched by position and any label was accepted).
#[test]
fn age_bands_are_matched_by_label() {
    let text = std::fs::read_to_string(root().join("docs/examples/csv/standardise.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    let settings = root().join("docs/examples/csv/standardise-settings.json");
    let settings = settings.to_str().unwrap();
    let value = |csv: String, name: &str| {
        let file = Scratch::new(name, csv.as_bytes());
        let out = run(&["standardise", file.path(), "--settings", settings]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["value"].as_f64().unwrap()
    };
    let forward = value(format!("{header}\n{}\n", lines.join("\n")), "bands.csv");
    let reversed: Vec<&str> = lines.iter().rev().copied().collect();
    let backward = value(
        format!("{header}\n{}\n", reversed.join("\n")),
        "bands-reversed.csv",
    );
    assert!((forward - 572.059_114_822_616_5).abs() < 1e-9, "{forward}");
    assert!(
        (forward - backward).abs() <= 1e-12 * forward,
        "{forward} against {backward}"
    );

    let banana = format!("{header}\n{}\n", lines.join("\n")).replacen("0-4,", "banana,", 1);
    let file = Scratch::new("banana.csv", banana.as_bytes());
    let out = run(&["standardise", file.path(), "--settings", settings]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(":2:Age band: \"banana\" is not a band"),
        "{}",
        stderr(&out)
    );
}

/// Deaths and admissions read as standardised ratios (the default) are warned on, naming the
/// data type that reads them as proportions; stated, they are not.
#[test]
fn events_and_people_read_as_ratios_are_warned_on() {
    let file = Scratch::new(
        "deaths.csv",
        b"id,numerator,denominator\nRWY,12,110\nRXF,9,95\nRR8,15,130\n",
    );
    let out = run(&["funnel", file.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("give data_type=\"PR\""),
        "{}",
        stderr(&out)
    );
    let out = run(&["funnel", file.path(), "--set", "data_type=PR"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let help = run(&["funnel", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("data_type=PR"));
}
