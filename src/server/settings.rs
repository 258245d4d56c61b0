//! The settings a client may give in `initializationOptions`: how many items
//! an answer that grows with the collection holds, and the largest
//! transcript and registry read. Unknown keys are ignored; a bad value is an
//! error that names it (the server then keeps the defaults).

use serde_json::Value;

use super::state::Settings;
use crate::files::parse_size;

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
