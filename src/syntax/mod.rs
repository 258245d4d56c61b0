//! The syntax layer: text -> model. Knows nothing of rules, LSP or terminals.

mod inline;
mod label;
mod lines;
pub mod model;
mod parser;
mod plain;

pub use inline::time_code;
pub use label::{LabelContext, looks_like_name};
pub use model::*;
pub use parser::{is_valid_key, parse, parse_header_only, speaker_name, split_speaker};
pub use plain::{Mark, plain_text, plain_text_marked, word_count};
