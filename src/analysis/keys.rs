//! The standard header keys: what each means, its expected form, and whether
//! it is required or repeatable. Used by the header rules, hovers and completion.

pub struct KeySpec {
    pub key: &'static str,
    pub required: bool,
    pub repeatable: bool,
    pub meaning: &'static str,
    pub form: &'static str,
}

pub const KEYS: &[KeySpec] = &[
    KeySpec {
        key: "title",
        required: true,
        repeatable: false,
        meaning: "The transcript's title, as published.",
        form: "non-empty text",
    },
    KeySpec {
        key: "date",
        required: true,
        repeatable: false,
        meaning: "The day of the event.",
        form: "`YYYY-MM-DD`, a real calendar date, e.g. `2016-07-26`",
    },
    KeySpec {
        key: "time",
        required: false,
        repeatable: false,
        meaning: "The time the event started.",
        form: "`HH:MM` or `HH:MM:SS`, 24-hour, optional offset `Z` or `+03:00`",
    },
    KeySpec {
        key: "place",
        required: false,
        repeatable: false,
        meaning: "Where the event took place.",
        form: "text, e.g. `Vientiane, Laos`",
    },
    KeySpec {
        key: "event",
        required: false,
        repeatable: false,
        meaning: "The event the transcript belongs to.",
        form: "text",
    },
    KeySpec {
        key: "language",
        required: false,
        repeatable: false,
        meaning: "The language of this file's text.",
        form: "one BCP 47 tag, e.g. `en-GB`",
    },
    KeySpec {
        key: "languages",
        required: false,
        repeatable: false,
        meaning: "The languages the transcript is published in.",
        form: "comma-separated BCP 47 tags, e.g. `en-GB, ru-RU`",
    },
    KeySpec {
        key: "source",
        required: false,
        repeatable: false,
        meaning: "Where the transcript was published.",
        form: "an absolute `http` or `https` URL",
    },
    KeySpec {
        key: "speaker",
        required: false,
        repeatable: true,
        meaning: "A declared speaker; turns may use the name as their label.",
        form: "`Name` or `Name (role)`",
    },
    KeySpec {
        key: "tags",
        required: false,
        repeatable: false,
        meaning: "Words to find and group transcripts by.",
        form: "comma-separated words",
    },
    KeySpec {
        key: "id",
        required: false,
        repeatable: false,
        meaning: "The transcript's identifier, unique across the workspace.",
        form: "letters, digits, `.`, `_` and `-`",
    },
];

pub fn spec(key: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|s| s.key == key)
}

/// User extension keys (`x-…`): anything, never warned about, repeatable.
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}
