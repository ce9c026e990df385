//! Inputs: the letter spec and every file it names (registry, catalogue, targets, values),
//! read from disk or the compiled-in sample, decoded to NFC text with located errors.

pub mod catalogue;
pub mod csv;
pub mod limits;
pub mod registry;
pub mod sample;
pub mod source;
pub mod spec;
pub mod tables;
pub mod targets;
pub mod values;
