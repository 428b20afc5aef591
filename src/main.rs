//! The `unspun` command line. Parsing and dispatch only; the work is in the
//! library (`unspun::Checker`) and the subcommand modules under `src/cli/`.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
