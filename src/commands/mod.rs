//! Command logic behind the CLI subcommands, as library functions returning text.
//! Argument parsing (clap) lives in the binary; these never print.

// `diag::Error` is the crate's one rich error type (file, line, field, hint) by design.

pub mod calendar;
pub mod deadline;
