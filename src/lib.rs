//! congvan drafts Vietnamese official letters (công văn, thông báo) from indicator data.
//!
//! The pipeline, one module per stage:
//! inputs ([`spec`], data, registry, targets, holidays) → analysis (lagging units, groups,
//! deadlines) → [`template`] context → Tera render → [`markdown`] parse → [`doc::Document`]
//! → writers ([`write`]: .md, .docx).
//!
//! Glossary: công văn → a letter (`Heading::Letter`); trích yếu → subject; kính gửi →
//! addressees; nơi nhận → receivers; đơn vị chậm → lagging unit; hạn chót → deadline.

pub mod analysis;
pub mod batch;
pub mod calendar;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod diag;
pub mod doc;
pub mod encoding;
pub mod markdown;
pub mod markdown_escape;
pub mod names;
pub mod nd30;
pub mod numbers;
pub mod output;
pub mod pipeline;
pub mod registry;
pub mod sample;
pub mod source;
pub mod spec;
pub mod targets;
pub mod template;
pub mod template_data;
pub mod template_dates;
pub mod text;
pub mod values;
pub mod wording;
pub mod write;
