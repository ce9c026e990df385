//! Integration tests: one binary, one module per feature.
mod analysis;
mod batch;
mod calendar;
mod check;
mod cli;
mod data_errors;
mod diff;
mod docx;
mod encodings;
mod errors;
mod golden;
mod harness;
mod hostile;
mod props;
mod reproducible;
mod special;
mod spine;
