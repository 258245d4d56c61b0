//! The settings a client may give: in `initializationOptions`, how many
//! items an answer that grows with the collection holds, and the largest
//! transcript and registry read; in the editor's `transcript` section
//! (`workspace/configuration`, `workspace/didChangeConfiguration`), whether
//! code lenses and inlay hints show, and rule severities under the
//! registry's. Unknown keys are ignored; a bad value is an error that names
//! it (the server then keeps what it had).

use serde_json::Value;

use super::state::Settings;
use crate::analysis::UserRules;
use crate::diagnostic::{Rule, Severity, did_you_mean};
use crate::files::parse_size;

/// What the user sets in the editor's `transcript` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub code_lens: bool,
    pub inlay_hints: bool,
    /// Rule severities, under the registry's.
    pub rules: UserRules,
}

impl Default for Editor {
    fn default() -> Self {
        Editor {
            code_lens: true,
            inlay_hints: true,
            rules: UserRules::new(),
        }
    }
}

/// The editor settings in a `transcript` section such as
/// `{"codeLens": {"enable": false}, "inlayHints": {"enable": true},
/// "rules": {"unknown-key": "error", "empty-section": "off"}}`.
pub fn read_section(section: &Value) -> Result<Editor, String> {
    let mut editor = Editor::default();
    if section.is_null() {
        return Ok(editor);
    }
    let enable = |key: &str| -> Result<Option<bool>, String> {
        match section.get(key).and_then(|v| v.get("enable")) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(format!("`transcript.{key}.enable` must be true or false")),
        }
    };
    if let Some(b) = enable("codeLens")? {
        editor.code_lens = b;
    }
    if let Some(b) = enable("inlayHints")? {
        editor.inlay_hints = b;
    }
    match section.get("rules") {
        // An empty Lua table reaches us from Neovim as `[]`.
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.is_empty() => {}
        Some(Value::Object(map)) => {
            for (name, level) in map {
                let Some(rule) = Rule::from_name(name) else {
                    let hint = did_you_mean(name, Rule::ALL.iter().map(|r| r.name()))
                        .first()
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    return Err(format!("`transcript.rules`: unknown rule `{name}`{hint}"));
                };
                let Some(level) = level.as_str().and_then(Severity::parse_level) else {
                    return Err(format!(
                        "`transcript.rules.{name}` must be one of \"error\", \"warning\", \"info\", \"hint\", \"off\""
                    ));
                };
                editor.rules.insert(rule, level);
            }
        }
        Some(_) => return Err("`transcript.rules` must be an object".to_string()),
    }
    Ok(editor)
}

/// The settings in `options` (`{"maxItems": 200, "maxFileSize": "64MiB",
/// "maxRegistrySize": "1GiB"}`), the defaults where absent.
pub fn read(options: Option<&Value>) -> Result<Settings, String> {
    let mut settings = Settings::default();
    let Some(options) = options.filter(|o| !o.is_null()) else {
        return Ok(settings);
    };
    let Some(map) = options.as_object() else {
        return Err("must be an object".to_string());
    };
    if let Some(v) = map.get("maxItems") {
        settings.max_items =
            v.as_u64()
                .filter(|n| *n > 0)
                .ok_or("`maxItems` must be a whole number of at least 1")? as usize;
    }
    let size = |key: &str, v: &Value| -> Result<u64, String> {
        match v {
            Value::Number(n) => n.as_u64().ok_or_else(|| {
                format!("`{key}` must be a size in bytes or a string such as \"64MiB\"")
            }),
            Value::String(s) => parse_size(s).map_err(|e| format!("`{key}`: {e}")),
            _ => Err(format!(
                "`{key}` must be a size in bytes or a string such as \"64MiB\""
            )),
        }
    };
    if let Some(v) = map.get("maxFileSize") {
        settings.limits.file = size("maxFileSize", v)?;
    }
    if let Some(v) = map.get("maxRegistrySize") {
        settings.limits.registry = size("maxRegistrySize", v)?;
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn editor_settings_are_read_and_bad_ones_named() {
        let e = read_section(&json!({"codeLens": {"enable": false}, "rules": {"unknown-key": "error", "empty-section": "off"}, "trace": {"server": "off"}})).unwrap();
        assert!(!e.code_lens && e.inlay_hints);
        assert_eq!(e.rules[&Rule::UnknownKey], Some(Severity::Error));
        assert_eq!(e.rules[&Rule::EmptySection], None);
        let bad = read_section(&json!({"rules": {"unkown-key": "error"}})).unwrap_err();
        assert!(bad.contains("did you mean `unknown-key`"), "{bad}");
        assert!(read_section(&json!({"inlayHints": {"enable": "yes"}})).is_err());
        assert_eq!(read_section(&Value::Null).unwrap(), Editor::default());
        let empty = read_section(&json!({"rules": []})).unwrap();
        assert_eq!(empty, Editor::default(), "Neovim's empty table");
        assert!(read_section(&json!({"rules": ["unknown-key"]})).is_err());
    }

    #[test]
    fn settings_are_read_and_bad_ones_named() {
        let s = read(Some(
            &json!({"maxItems": 50, "maxFileSize": "2MiB", "maxRegistrySize": 1000}),
        ))
        .unwrap();
        assert_eq!(
            (s.max_items, s.limits.file, s.limits.registry),
            (50, 2 << 20, 1000)
        );
        assert_eq!(read(None).unwrap().max_items, 200);
        assert!(
            read(Some(&json!({"maxItems": 0})))
                .unwrap_err()
                .contains("maxItems")
        );
        assert!(
            read(Some(&json!({"maxFileSize": "big"})))
                .unwrap_err()
                .contains("maxFileSize")
        );
    }
}
