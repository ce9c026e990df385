//! congvan drafts Vietnamese official letters (công văn, thông báo) from indicator data.
//!
//! The pipeline, one module per stage:
//! inputs (spec, data, registry, targets, holidays) → analysis (lagging units, groups, deadlines)
//! → template context → Tera render → Markdown parse → [`doc::Document`] → writers (.md, .docx).

pub mod diag;
pub mod doc;
pub mod write;
