//! CSV tables of every subcommand that reads one, through `commissioning_cli::run`: the first
//! byte picks the subcommand and the output format, the rest is the table, read from standard
//! input with `--input-format csv`. Whatever the bytes, the command must end with exit status 0
//! or 2, write one `error:` line on failure, and never panic or run without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COMMANDS: [&str; 15] = [
    "spc", "score", "topsis", "sensitivity", "frontier", "select", "concentration", "variance",
    "kpi", "funnel", "peers", "opportunity", "standardise", "ahp", "psa",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, table)) = data.split_first() else { return };
    let command = COMMANDS[usize::from(pick) % COMMANDS.len()];
    let mut args = vec!["commissioning"];
    match pick / 64 {
        1 => args.extend(["--format", "table"]),
        2 => args.extend(["--format", "csv"]),
        _ => {}
    }
    args.extend([command, "-", "--input-format", "csv"]);
    if pick % 2 == 1 {
        args.extend(["--set", "threshold=20000"]);
        if matches!(command, "score" | "topsis" | "sensitivity") {
            args.extend(["--weight", "a=2", "--lower-is-better", "b"]);
        }
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = commissioning_cli::run(args, &mut &table[..], &mut out, &mut err);
    let text = String::from_utf8_lossy(&err);
    assert!(code == 0 || code == 2, "exit {code}: {text}");
    assert!(text.lines().all(|l| l.starts_with("warning: ") || l.starts_with("error: ")), "{text}");
    let errors = text.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, usize::from(code == 2), "{text}");
});
