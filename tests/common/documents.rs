//! Random transcripts for property tests: header lines and body paragraphs
//! drawn from a test's own fragments, the header closed or not, with LF,
//! CRLF or mixed line ends.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use proptest::prelude::*;

/// Documents of up to six header lines from `header` and six paragraphs
/// from `body`.
pub fn document(
    header: impl Strategy<Value = &'static str>,
    body: impl Strategy<Value = &'static str>,
) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(header, 0..6),
        any::<bool>(),
        prop::collection::vec(body, 0..6),
        0..3u8,
    )
        .prop_map(|(header, closed, body, endings)| {
            let text = format!(
                "---\n{}{}\n{}",
                header.concat(),
                if closed { "---\n" } else { "" },
                body.concat()
            );
            line_ends(text, endings)
        })
}

/// `text` with LF (0), CRLF (1) or mixed line ends (any other: only the
/// first line ends with CRLF).
pub fn line_ends(text: String, endings: u8) -> String {
    match endings {
        0 => text,
        1 => text.replace('\n', "\r\n"),
        _ => text.replacen('\n', "\r\n", 1),
    }
}
