//! Integration tests: one binary, one module per feature.
mod calendar;
mod docx;
mod encodings;
mod errors;
mod harness;
mod props;
mod special;
