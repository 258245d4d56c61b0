//! Standard output and standard error for the commands, without panics: a
//! reader that goes away (`check … | head -1`) ends the output quietly, and
//! the command still exits with the status its work gives. Text from files
//! reaches these functions already escaped (`crate::escape`).

use std::fmt::Display;
use std::io::Write;

/// A line on standard error (a message or a summary); failures to write it are ignored.
pub fn error_line(line: impl Display) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Standard output went away (a closed pipe): nothing more should be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// Writes to standard output and flushes.
pub fn print(text: &[u8]) -> Result<(), Closed> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)
        .and_then(|_| out.flush())
        .map_err(|_| Closed)
}

/// `say!("…", args)`: a formatted line on standard error.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::terminal::error_line(format_args!($($arg)*))
    };
}
pub(crate) use say;
