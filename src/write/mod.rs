//! Writers: turn a [`crate::doc::Document`] into output bytes.

pub mod docx;
