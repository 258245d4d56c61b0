//! The page layouts, one module per built-in layout behind one interface
//! ([`Layout`]: a name, a profile, `detect` and `split`), and the set of
//! layouts an import chooses from ([`Layouts`]). The foreign ministry's and
//! the Kremlin's layouts are code that reads its lists from its profile; the
//! White House's, and any a user writes, are profiles alone, run by
//! [`profiled`]. `plain` is never detected: it is used only when asked for.

mod foreign_ministry;
mod kremlin;
mod plain;
mod profiled;

use std::sync::LazyLock;

use super::lines::Line;
use super::page::Page;
use super::profile::{self, Profile};

/// How a layout reads its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    ForeignMinistry,
    Kremlin,
    Profiled,
    Plain,
}

/// A page layout: its name, where it comes from, and its profile.
#[derive(Debug, Clone)]
pub struct Layout {
    reader: Reader,
    profile: Profile,
    origin: String,
}

const PLAIN: &str = "plain";

impl Layout {
    /// The name `--layout` takes.
    pub fn name(&self) -> &str {
        &self.profile.name
    }

    pub fn description(&self) -> &str {
        &self.profile.description
    }

    /// Where it is defined: `built in`, or the profile's file.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// A layout read by a user's profile.
    pub fn from_profile(profile: Profile, origin: impl Into<String>) -> Layout {
        Layout {
            reader: Reader::Profiled,
            profile,
            origin: origin.into(),
        }
    }

    /// Whether detection may choose it (`plain` is only used when asked for).
    pub fn detectable(&self) -> bool {
        self.reader != Reader::Plain
    }

    pub(crate) fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Whether the page (as lines) is one of this layout's.
    pub(crate) fn detect(&self, lines: &[Line]) -> bool {
        match self.reader {
            Reader::ForeignMinistry => foreign_ministry::detect(lines),
            Reader::Kremlin => kremlin::detect(lines),
            Reader::Profiled => profiled::detect(lines, &self.profile),
            Reader::Plain => false,
        }
    }

    /// The page cut into its parts.
    pub(crate) fn split(&self, lines: &[Line]) -> Page {
        match self.reader {
            Reader::ForeignMinistry => foreign_ministry::split(lines, &self.profile),
            Reader::Kremlin => kremlin::split(lines, &self.profile),
            Reader::Profiled => profiled::split(lines, &self.profile),
            Reader::Plain => plain::split(lines, &self.profile),
        }
    }
}

static BUILT_IN: LazyLock<Vec<Layout>> = LazyLock::new(|| {
    let built_in = |reader: Reader, profile: Profile| Layout {
        reader,
        profile,
        origin: "built in".into(),
    };
    vec![
        built_in(Reader::Profiled, profile::builtin("whitehouse").clone()),
        built_in(Reader::ForeignMinistry, profile::builtin("foreign-ministry").clone()),
        built_in(Reader::Kremlin, profile::builtin("kremlin").clone()),
        built_in(
            Reader::Plain,
            Profile {
                name: PLAIN.into(),
                description: "Any text, only when asked for: the first line is the title, a date near the top the date, the rest the body".into(),
                ..Profile::default()
            },
        ),
    ]
});

/// The layouts an import chooses from: a user's profiles first (in the
/// order given), then the built-in ones.
#[derive(Debug, Clone)]
pub struct Layouts {
    list: Vec<Layout>,
    /// How many of `list` (at its start) are a user's.
    added: usize,
}

impl Default for Layouts {
    fn default() -> Self {
        Layouts {
            list: BUILT_IN.clone(),
            added: 0,
        }
    }
}

impl Layouts {
    /// Adds a user's layout before the built-in ones; refuses a name that is
    /// taken, saying by what.
    pub fn add(&mut self, layout: Layout) -> Result<(), String> {
        if let Some(other) = self.get(layout.name()) {
            return Err(format!(
                "the layout name `{}` is taken ({}); give the profile another `name`",
                layout.name(),
                other.origin()
            ));
        }
        self.list.insert(self.added, layout);
        self.added += 1;
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Layout> {
        self.list.iter().find(|l| l.name() == name)
    }

    pub fn all(&self) -> &[Layout] {
        &self.list
    }

    /// The first layout that fits the raw page; `None` when none does.
    pub fn detect(&self, raw: &str) -> Option<&Layout> {
        let lines = super::lines::split_lines(raw);
        self.list.iter().find(|l| l.detect(&lines))
    }

    /// The plain layout.
    pub fn plain(&self) -> &Layout {
        self.get(PLAIN).expect("the plain layout is built in")
    }
}
