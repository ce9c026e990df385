//! Vocabulary as data: the fixed wording of Nghị định 30 and the words congvan generates,
//! read once from the compiled-in files in `data/`.

pub mod nd30;
pub mod wording;
