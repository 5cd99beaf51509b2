//! `smimetrust`: S/MIME trust stores for Exchange and PKI admins.
//!
//! Thin on purpose: parse the arguments, make one library call per subcommand, render the result,
//! map failures to exit codes (0 ok, 1 a difference or finding, 2 usage, input or I/O error).
#![forbid(unsafe_code)]
// The binary is where rendering to standard output and error happens.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

mod args;
mod args_exchange;
mod chain;
mod check;
mod error;
mod exchange;
mod exchange_script;
mod output;
mod render;
mod sst;
mod sst_diff;
mod verify;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        args::Command::Sst(cmd) => sst::run(cmd),
        args::Command::Check(cmd) => check::run(&cmd),
        args::Command::Chain(args::ChainCommand::Verify(cmd)) => chain::verify(&cmd),
        args::Command::Verify(cmd) => verify::run(&cmd),
        args::Command::Exchange(args::ExchangeCommand::Preflight(cmd)) => exchange::preflight(&cmd),
        args::Command::Exchange(args::ExchangeCommand::Script(cmd)) => exchange::script(&cmd),
        args::Command::Exchange(args::ExchangeCommand::BackupScript(cmd)) => {
            exchange::backup_script(&cmd)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = io::stderr().lock();
            let _ = writeln!(stderr, "smimetrust: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
