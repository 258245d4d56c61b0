//! `--to webvtt`: captions for media players. Each time code (`[00:14:20]`)
//! starts a cue that lasts until the next time code later than it; the
//! text of the turns between them is the cue's, one line per turn, with the
//! speaker as a voice tag (`<v Sergey Lavrov>`; a question's label with its
//! attribution). Text before the first time code has no time and is left
//! out; a time code earlier than the one before it (an error under `check`)
//! starts no cue. The last cue lasts as long as its words take at 150
//! words a minute, and at least two seconds. Notes are left out, as in the
//! plain text.

use std::fmt::Write;

use super::Facts;
use crate::syntax::Mark;

/// Why a transcript has no WebVTT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebVttError {
    NoTimeCodes,
}

impl std::fmt::Display for WebVttError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebVttError::NoTimeCodes => f.write_str(
                "it has no time codes, and WebVTT cues need them: mark where each part starts in the recording with a note such as [00:14:20]",
            ),
        }
    }
}

/// A cue: from `start` to `end` (seconds), its lines in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub start: u32,
    pub end: u32,
    pub lines: Vec<CueLine>,
}

/// The text of one turn in a cue, with its voice (none for narration).
#[derive(Debug, Clone, PartialEq)]
pub struct CueLine {
    /// The turn's index in the file, from 0.
    pub turn: usize,
    pub voice: Option<String>,
    pub text: String,
}

pub fn render(facts: &Facts) -> Result<String, WebVttError> {
    let mut out = String::from("WEBVTT\n");
    for (n, cue) in cues(facts)?.iter().enumerate() {
        let _ = write!(
            out,
            "\n{}\n{} --> {}\n",
            n + 1,
            timestamp(cue.start),
            timestamp(cue.end)
        );
        for line in &cue.lines {
            match &line.voice {
                Some(v) => {
                    let _ = writeln!(out, "<v {}>{}</v>", escape(v), escape(&line.text));
                }
                None => {
                    let _ = writeln!(out, "{}", escape(&line.text));
                }
            }
        }
    }
    Ok(out)
}

/// The cues of a transcript, in order of their start.
pub fn cues(facts: &Facts) -> Result<Vec<Cue>, WebVttError> {
    if !facts.doc.notes().any(|n| n.time_code.is_some()) {
        return Err(WebVttError::NoTimeCodes);
    }
    let mut cues: Vec<Cue> = Vec::new();
    for (index, (turn, f)) in facts.body.turns.iter().zip(&facts.turns).enumerate() {
        let voice = turn.label.map(|l| match turn.attribution() {
            Some(a) => format!("{} ({a})", l.name),
            None => l.name.clone(),
        });
        for p in &f.paragraphs {
            let mut at = 0;
            for mark in &p.marks {
                let Mark::Note(n, offset) = mark else {
                    continue;
                };
                let Some(seconds) = n.time_code else { continue };
                add(&mut cues, index, &voice, &p.text[at..*offset]);
                at = *offset;
                match cues.last_mut() {
                    Some(last) if seconds <= last.start => {}
                    last => {
                        if let Some(last) = last {
                            last.end = seconds;
                        }
                        cues.push(Cue {
                            start: seconds,
                            end: seconds,
                            lines: Vec::new(),
                        });
                    }
                }
            }
            add(&mut cues, index, &voice, &p.text[at..]);
        }
    }
    if let Some(last) = cues.last_mut() {
        let words = last
            .lines
            .iter()
            .map(|l| l.text.split_whitespace().count())
            .sum();
        last.end = last.start.saturating_add(duration(words));
    }
    cues.retain(|c| !c.lines.is_empty());
    Ok(cues)
}

/// How long `words` take to say at 150 words a minute, at least two seconds.
fn duration(words: usize) -> u32 {
    let seconds = (words as u64 * 60).div_ceil(150);
    u32::try_from(seconds).unwrap_or(u32::MAX).max(2)
}

/// Adds text of turn `index` to the last cue: to its last line when that
/// is from the same turn, else as a new line. Text before any cue is dropped.
fn add(cues: &mut [Cue], index: usize, voice: &Option<String>, text: &str) {
    let text = text.trim();
    let Some(cue) = cues.last_mut() else {
        return;
    };
    if text.is_empty() {
        return;
    }
    match cue.lines.last_mut() {
        Some(line) if line.turn == index => {
            line.text.push(' ');
            line.text.push_str(text);
        }
        _ => cue.lines.push(CueLine {
            turn: index,
            voice: voice.clone(),
            text: text.to_string(),
        }),
    }
}

/// `HH:MM:SS.000`
fn timestamp(seconds: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}.000",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Cue text: `&`, `<` and `>` as character references; a line break as a space.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
