//! Command logic behind the CLI subcommands, as library functions returning text.
//! Argument parsing (clap) lives in the binary; these never print.

pub mod calendar;
pub mod check;
pub mod deadline;
pub mod diff;
pub mod indicators;
pub mod init;
pub mod lagging;
pub mod textconv;
pub mod vocabulary;
