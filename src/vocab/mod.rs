//! Vocabulary as data: the fixed wording of Nghị định 30, the words congvan generates, and the
//! kinds and blocs of registries, read once from the compiled-in files in `data/`.

pub mod nd30;
pub mod vocabulary;
pub mod wording;
