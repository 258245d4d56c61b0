//! LSP positions written from the protocol's words, independently of the
//! server and the core: the oracle that the tests (through `tests/common`)
//! and the fuzz targets (`fuzz/src/lib.rs`, which includes this file) check
//! the server's positions against. Standard library only.

use std::ops::Range;

/// The byte ranges of the lines of `text` without their line endings: lines
/// break after `\n`, and a `\r` just before a `\n` belongs to the ending.
pub fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(start..end);
            start = i + 1;
        }
    }
    out.push(start..text.len());
    out
}

/// The byte offset of an LSP position, `width` giving a character's width in
/// the column unit: a line past the end is the end of the text, a column
/// past the end of its line is the end of the line, and a column inside a
/// character (half a surrogate pair, a byte inside UTF-8) is the start of
/// that character.
pub fn offset_of(text: &str, line: u32, col: u32, width: impl Fn(char) -> usize) -> usize {
    let lines = line_ranges(text);
    let Some(r) = lines.get(line as usize) else {
        return text.len();
    };
    let mut left = col as usize;
    for (i, ch) in text[r.clone()].char_indices() {
        let w = width(ch);
        if left < w {
            return r.start + i;
        }
        left -= w;
    }
    r.end
}
