//! Whole documents of every subcommand through the command's library, `commissioning_cli::run`:
//! the first byte picks the subcommand (and, for a few, the table format), the rest is the
//! document. Whatever the bytes, the command must end with exit status 0 or 2, write one
//! `error:` line on failure (after any `warning:` lines), and never panic or run without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

const COMMANDS: [&str; 20] = [
    "settle", "pay", "score", "topsis", "ahp", "frontier", "select", "sensitivity",
    "concentration", "validate", "spc", "kpi", "variance", "effectiveness", "funnel",
    "standardise", "peers", "opportunity", "settle", "calc",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else { return };
    let command = COMMANDS[usize::from(pick) % COMMANDS.len()];
    let mut args = vec!["commissioning"];
    if pick >= 128 {
        args.extend(["--format", "table"]);
    }
    args.extend([command, "-"]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = commissioning_cli::run(args, &mut &doc[..], &mut out, &mut err);
    assert!(code == 0 || code == 2, "exit {code}: {}", String::from_utf8_lossy(&err));
    let text = String::from_utf8_lossy(&err);
    // Warnings about slips may come first; a failure ends with exactly one error line.
    assert!(text.lines().all(|l| l.starts_with("warning: ") || l.starts_with("error: ")), "{text}");
    let errors = text.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, usize::from(code == 2), "{text}");
});
