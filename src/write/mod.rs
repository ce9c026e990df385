//! Writers: a Document in, bytes or text out. They know nothing of indicators or templates,
//! and never touch files or the clock; the caller decides where the result goes.

pub mod docx;
pub mod html;
pub mod markdown;
