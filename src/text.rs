//! Byte offsets <-> line and column: the one place where positions are converted.
//!
//! The core reports byte ranges. Frontends turn them into lines and columns in the
//! unit they need: UTF-16 code units (the LSP default), UTF-8 bytes (negotiated by
//! some LSP clients) or Unicode scalar values (what `check` prints for humans).

use std::ops::Range;

/// The unit in which a column is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Unicode scalar values (characters), as people and SARIF count them.
    Chars,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The start offset of every line of a text. A line ends after its `\n`; a `\r`
/// before the `\n` belongs to the line ending, not to the line's columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // `match_indices` with a one-byte pattern searches with memchr.
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        line_starts.shrink_to_fit();
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The index of a text given in pieces (the chunks of a rope).
    pub fn from_chunks<'a>(chunks: impl IntoIterator<Item = &'a str>) -> Self {
        let mut line_starts = vec![0];
        let mut len = 0;
        for chunk in chunks {
            line_starts.extend(chunk.match_indices('\n').map(|(i, _)| len + i + 1));
            len += chunk.len();
        }
        line_starts.shrink_to_fit();
        LineIndex { line_starts, len }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of line `line` without its line ending; `None` past the end.
    pub fn line_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let Some(next) = self.line_starts.get(line + 1) else {
            return Some(start..self.len);
        };
        let mut end = next - 1;
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(start..end)
    }

    /// The offset where line `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// The line holding byte `offset` (offsets past the end are clamped).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// Line and column of a byte offset. An offset past the end, or inside a
    /// multi-byte character, is moved back to the nearest character boundary.
    pub fn line_col(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = column_width(&text[start..offset], encoding);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a line and column. A line past the end gives the end of
    /// the text; a column past the end of its line gives the end of the line; a
    /// column inside a character (half of a surrogate pair, say) gives the start
    /// of that character.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: Encoding) -> usize {
        let Some(range) = self.line_range(text, pos.line as usize) else {
            return self.len;
        };
        let line = &text[range.clone()];
        let mut remaining = pos.col as usize;
        for (i, ch) in line.char_indices() {
            let w = char_width(ch, encoding);
            if remaining < w {
                return range.start + i;
            }
            remaining -= w;
        }
        range.end
    }
}

/// Converts offsets to lines and columns, counting a column on from the
/// previous offset when it is on the same line and not before it: many
/// positions on one long line cost one pass over it, not one pass each.
pub struct Cursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    encoding: Encoding,
    last: Option<(usize, LineCol)>,
}

impl<'a> Cursor<'a> {
    pub fn new(index: &'a LineIndex, text: &'a str, encoding: Encoding) -> Self {
        Cursor {
            index,
            text,
            encoding,
            last: None,
        }
    }

    /// A cursor that goes on from a position another cursor reached.
    pub fn resume(
        index: &'a LineIndex,
        text: &'a str,
        encoding: Encoding,
        last: Option<(usize, LineCol)>,
    ) -> Self {
        Cursor {
            index,
            text,
            encoding,
            last,
        }
    }

    /// The last position converted.
    pub fn last(&self) -> Option<(usize, LineCol)> {
        self.last
    }

    pub fn line_col(&mut self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(self.text, offset);
        let lc = match self.last {
            Some((at, lc)) if at <= offset && self.index.line_of(offset) == lc.line as usize => {
                LineCol {
                    line: lc.line,
                    col: lc.col + column_width(&self.text[at..offset], self.encoding) as u32,
                }
            }
            _ => self.index.line_col(self.text, offset, self.encoding),
        };
        self.last = Some((offset, lc));
        lc
    }
}

/// The width of `s` in the given unit.
pub fn column_width(s: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        Encoding::Chars => s.chars().count(),
    }
}

fn char_width(ch: char, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Chars => 1,
    }
}

/// The largest character boundary at or before `offset`, clamped to the text.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a’b\r\n“😀”\u{a0}x\nlast";

    #[test]
    fn columns_in_every_unit() {
        let idx = LineIndex::new(TEXT);
        let x = TEXT.find('x').unwrap();
        assert_eq!(
            idx.line_col(TEXT, x, Encoding::Utf16),
            LineCol { line: 1, col: 5 }
        );
        assert_eq!(
            idx.line_col(TEXT, x, Encoding::Utf8),
            LineCol { line: 1, col: 12 }
        );
        assert_eq!(
            idx.line_col(TEXT, x, Encoding::Chars),
            LineCol { line: 1, col: 4 }
        );
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let lc = idx.line_col(TEXT, x, enc);
            assert_eq!(idx.offset(TEXT, lc, enc), x);
        }
    }

    #[test]
    fn an_index_of_pieces_is_the_index_of_the_whole() {
        let whole = LineIndex::new(TEXT);
        for cut in 0..=TEXT.len() {
            if TEXT.is_char_boundary(cut) {
                let pieces = LineIndex::from_chunks([&TEXT[..cut], &TEXT[cut..]]);
                assert_eq!(pieces.line_starts, whole.line_starts);
                assert_eq!(pieces.len, whole.len);
            }
        }
    }

    #[test]
    fn crlf_is_not_part_of_the_line() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(&TEXT[idx.line_range(TEXT, 0).unwrap()], "a’b");
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            5
        );
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 9, col: 0 }, Encoding::Utf16),
            TEXT.len()
        );
        let end = idx.line_col(TEXT, TEXT.len() + 10, Encoding::Utf16);
        assert_eq!(end, LineCol { line: 2, col: 4 });
    }

    #[test]
    fn a_cursor_agrees_with_line_col() {
        let idx = LineIndex::new(TEXT);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let mut cursor = Cursor::new(&idx, TEXT, enc);
            // Ascending, repeated, then going back: each must equal a fresh conversion.
            for offset in [0, 1, 4, 4, 9, 14, 2, TEXT.len(), 7] {
                assert_eq!(
                    cursor.line_col(offset),
                    idx.line_col(TEXT, offset, enc),
                    "{enc:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn half_a_surrogate_pair_lands_on_the_character() {
        let idx = LineIndex::new(TEXT);
        let emoji = TEXT.find('😀').unwrap();
        // “ is one UTF-16 unit, so column 2 is the middle of the emoji.
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 1, col: 2 }, Encoding::Utf16),
            emoji
        );
        // A byte offset inside the emoji is moved back to its start.
        assert_eq!(idx.line_col(TEXT, emoji + 2, Encoding::Utf16).col, 1);
    }
}
