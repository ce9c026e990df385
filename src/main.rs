//! The congvan binary: the command line (clap), progress bars, the clock and the environment.
//! Everything else is the `congvan` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
