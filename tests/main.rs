//! Integration tests: one binary, one module per feature.
mod analysis;
mod calendar;
mod diff;
mod docx;
mod reproducible;
mod spine;
