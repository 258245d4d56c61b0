//! Import raw scraped transcripts (being written).
