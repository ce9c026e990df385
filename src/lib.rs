//! congvan drafts Vietnamese official letters (công văn, thông báo) from indicator data.
//!
//! The pipeline, one folder per stage (see `docs/architecture.md`):
//! [`input`] (spec, registry, catalogue, targets, values) → [`analysis`] (standings, lagging
//! lists; pure) and [`calendar`] (working days, deadlines) → [`template`] (Tera context and
//! render) → [`markdown`] (reader; its `::: chart` lines drawn by [`chart`] from the analysis)
//! → [`doc`] (the Document model, composed with the spec's
//! header) → [`write`] (.docx, .md, HTML preview) → [`output`] (the folder and its manifest).
//! [`pipeline`] sequences the stages; [`commands`] holds the report commands' logic.
//! The binary (`src/main.rs`, `src/cli/`) owns the command line, the clock and the environment.
//!
//! Glossary: công văn → a letter (`Heading::Letter`); trích yếu → subject; kính gửi →
//! addressees; nơi nhận → receivers; đơn vị chậm → lagging unit; hạn chót → deadline.

#![warn(missing_docs)]

pub mod analysis;
pub mod calendar;
pub mod chart;
pub mod commands;
pub mod diag;
pub mod doc;
pub mod input;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod template;
pub mod text;
pub mod vocab;
pub mod write;
