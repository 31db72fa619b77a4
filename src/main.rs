//! The `gardkg` binary: parse flags, call the library, map errors to exit codes.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", gardkg::source::sanitize(&format!("{err:#}")));
            ExitCode::FAILURE
        }
    }
}
