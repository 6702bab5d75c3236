//! The `commissioning` command: the commissioning libraries from JSON, and a built-in demo.
//!
//! Every subcommand reads one JSON document (a file path, or `-` for standard input) and writes
//! its result as JSON on standard output, or as aligned tables with `--format table`. Bad input
//! exits with status 2 and one line on standard error naming the path of the offending value;
//! other failures exit with status 1. The logic is the library's [`commissioning_cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = commissioning_cli::run(
        std::env::args_os(),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
