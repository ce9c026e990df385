//! Integration tests: one binary, one module per feature.
mod analysis;
mod calendar;
mod data_errors;
mod docx;
mod encodings;
mod errors;
mod harness;
mod props;
mod reproducible;
mod special;
mod spine;
