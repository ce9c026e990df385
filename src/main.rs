//! The congvan binary: the command line (clap), progress bars, the clock and the environment.
//! Everything else is the `congvan` library.

mod cli;

/// Counts what a template render allocates, so a string doubling in a loop stops with a clear
/// message instead of taking all memory (see `congvan::template::guard`).
#[global_allocator]
static ALLOCATOR: congvan::template::guard::Guarded<std::alloc::System> =
    congvan::template::guard::Guarded(std::alloc::System);

fn main() -> std::process::ExitCode {
    congvan::template::guard::spawn_watchdog();
    cli::main()
}
