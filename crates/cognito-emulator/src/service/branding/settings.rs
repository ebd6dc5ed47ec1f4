// SPDX-License-Identifier: Apache-2.0
//! A branding style's `Settings` document: what the caller customized is kept as given, and
//! merged over Amazon Cognito's defaults when asked for (`ReturnMergedResources`) and when the
//! hosted pages are drawn. Updates merge too: the service keeps the settings a request leaves
//! out, so a request is applied as a JSON merge patch (RFC 7386: `null` takes a setting out).

use std::sync::LazyLock;

use serde_json::{Map, Value, json};

use crate::service::{ServiceError, ServiceResult};

/// The defaults of a new style: the settings the hosted pages read (see [`super::look`]), with
/// the values managed login starts from. Colours are `RRGGBBAA` hex, as in the service's
/// documents.
pub(super) static DEFAULT_SETTINGS: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "categories": {
            "global": {
                "colorSchemeMode": "LIGHT",
                "pageHeader": { "enabled": false },
                "pageFooter": { "enabled": false },
                "spacingDensity": "REGULAR"
            },
            "form": {
                "displayGraphics": true,
                "location": { "horizontal": "CENTER", "vertical": "CENTER" }
            }
        },
        "componentClasses": {
            "buttons": { "borderRadius": 8 },
            "focusState": {
                "lightMode": { "borderColor": "0972d3ff" },
                "darkMode": { "borderColor": "539fe5ff" }
            },
            "input": {
                "borderRadius": 8,
                "lightMode": { "defaults": { "backgroundColor": "ffffffff", "borderColor": "7d8998ff" } },
                "darkMode": { "defaults": { "backgroundColor": "0f1b2aff", "borderColor": "5f6b7aff" } }
            },
            "inputLabel": {
                "lightMode": { "textColor": "000716ff" },
                "darkMode": { "textColor": "d1d5dbff" }
            },
            "link": {
                "lightMode": { "defaults": { "textColor": "0972d3ff" }, "hover": { "textColor": "033160ff" } },
                "darkMode": { "defaults": { "textColor": "539fe5ff" }, "hover": { "textColor": "89bdeeff" } }
            },
            "text": {
                "lightMode": { "bodyTextColor": "414d5cff", "headingTextColor": "000716ff" },
                "darkMode": { "bodyTextColor": "d1d5dbff", "headingTextColor": "ffffffff" }
            }
        },
        "components": {
            "pageBackground": {
                "image": { "enabled": true },
                "lightMode": { "color": "ffffffff" },
                "darkMode": { "color": "044444ff" }
            },
            "primaryButton": {
                "lightMode": {
                    "defaults": { "backgroundColor": "0972d3ff", "textColor": "ffffffff" },
                    "hover": { "backgroundColor": "033160ff", "textColor": "ffffffff" }
                },
                "darkMode": {
                    "defaults": { "backgroundColor": "539fe5ff", "textColor": "000716ff" },
                    "hover": { "backgroundColor": "89bdeeff", "textColor": "000716ff" }
                }
            }
        }
    })
});

/// A `Settings` document as a request gave it: a JSON object.
pub(super) fn checked(settings: Value) -> ServiceResult<Map<String, Value>> {
    match settings {
        Value::Object(object) => Ok(object),
        _ => Err(ServiceError::invalid_parameter(
            "Settings must be a JSON object (a document of the branding settings).",
        )),
    }
}

/// `patch` applied to `target` as a JSON merge patch: objects merge key by key, `null` removes
/// a key, anything else replaces.
pub(super) fn merge(target: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(&key);
            }
            Value::Object(inner) => match target.get_mut(&key) {
                Some(Value::Object(existing)) => merge(existing, inner),
                _ => {
                    let mut fresh = Map::new();
                    merge(&mut fresh, inner);
                    target.insert(key, Value::Object(fresh));
                }
            },
            other => {
                target.insert(key, other);
            }
        }
    }
}

/// The defaults with what the style customized over them.
pub(super) fn merged_over_defaults(customized: Option<&Map<String, Value>>) -> Map<String, Value> {
    let mut merged = match &*DEFAULT_SETTINGS {
        Value::Object(defaults) => defaults.clone(),
        _ => Map::new(),
    };
    if let Some(customized) = customized {
        merge(&mut merged, customized.clone());
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        checked(value).unwrap()
    }

    #[test]
    fn an_update_keeps_the_settings_it_leaves_out() {
        let mut kept = object(json!({ "a": { "b": 1, "c": 2 }, "d": 3 }));
        merge(
            &mut kept,
            object(json!({ "a": { "b": 10 }, "d": null, "e": [1] })),
        );
        assert_eq!(
            Value::Object(kept),
            json!({ "a": { "b": 10, "c": 2 }, "e": [1] })
        );
    }

    #[test]
    fn settings_are_an_object() {
        assert!(checked(json!([1, 2])).is_err());
        assert!(checked(json!("dark")).is_err());
    }

    #[test]
    fn merged_settings_hold_the_defaults_and_the_customization() {
        let customized = object(json!({
            "components": { "primaryButton": { "lightMode": { "defaults": { "backgroundColor": "ff0000ff" } } } }
        }));
        let merged = Value::Object(merged_over_defaults(Some(&customized)));
        let button = &merged["components"]["primaryButton"]["lightMode"]["defaults"];
        assert_eq!(button["backgroundColor"], "ff0000ff");
        assert_eq!(button["textColor"], "ffffffff");
        assert_eq!(merged["categories"]["global"]["colorSchemeMode"], "LIGHT");
    }
}
