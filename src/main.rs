//! The congvan binary: everything is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    congvan::cli::main()
}
