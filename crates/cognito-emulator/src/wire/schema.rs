// SPDX-License-Identifier: Apache-2.0
//! Checks a request body against its operation's input shape in the service model, before the
//! request is decoded: a wrong JSON type is a `SerializationException`, a broken constraint an
//! `InvalidParameterException` in the service's "N validation errors detected" form. Members the
//! model does not know are left alone.

use serde_json::Value;

use super::model::{Bounds, Kind, Member, Model, Pattern, ShapeId};
use crate::service::ServiceError;

/// Checks `body` against the input shape `input` of `model`.
pub fn validate(model: &Model, input: ShapeId, body: &Value) -> Result<(), ServiceError> {
    let mut checker = Checker {
        model,
        problems: Vec::new(),
    };
    checker.check(input, body, "", false)?;
    match checker.problems.len() {
        0 => Ok(()),
        n => Err(ServiceError::invalid_parameter(format!(
            "{n} validation error{} detected: {}",
            if n == 1 { "" } else { "s" },
            checker.problems.join("; ")
        ))),
    }
}

fn serialization(message: String) -> ServiceError {
    ServiceError::new("SerializationException", message)
}

fn expected(what: &str, path: &str) -> ServiceError {
    serialization(format!("Expected {what} at '{path}'"))
}

/// A broken constraint, before it is put in a message.
struct Violation {
    constraint: String,
    /// Whether the message may quote the value (unless it is sensitive): long values are not.
    quotes_value: bool,
}

/// The constraint a string breaks, if any: its length first, then its pattern.
fn text_violation(text: &str, length: Bounds, pattern: Option<&Pattern>) -> Option<Violation> {
    length_violation(text.chars().count(), length).or_else(|| {
        pattern
            .filter(|pattern| !pattern.matches(text))
            .map(|pattern| Violation {
                constraint: format!(
                    "Member must satisfy regular expression pattern: {}",
                    pattern.source
                ),
                quotes_value: true,
            })
    })
}

fn enum_violation(text: &str, allowed: &[String]) -> Option<Violation> {
    (!allowed.iter().any(|value| value == text)).then(|| Violation {
        constraint: format!(
            "Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ),
        quotes_value: text.chars().count() <= 64,
    })
}

/// Of a string, a list or a map.
fn length_violation(length: usize, bounds: Bounds) -> Option<Violation> {
    let length = i64::try_from(length).unwrap_or(i64::MAX);
    if let Some(min) = bounds.min.filter(|&min| length < min) {
        Some(Violation {
            constraint: format!("Member must have length greater than or equal to {min}"),
            quotes_value: true,
        })
    } else {
        bounds.max.filter(|&max| length > max).map(|max| Violation {
            constraint: format!("Member must have length less than or equal to {max}"),
            quotes_value: false,
        })
    }
}

fn number_violation(number: i64, bounds: Bounds) -> Option<Violation> {
    let constraint = match (bounds.min, bounds.max) {
        (Some(min), Some(max)) if number < min || number > max => {
            format!("Member must have value between {min} and {max}")
        }
        (Some(min), None) if number < min => {
            format!("Member must have value greater than or equal to {min}")
        }
        (None, Some(max)) if number > max => {
            format!("Member must have value less than or equal to {max}")
        }
        _ => return None,
    };
    Some(Violation {
        constraint,
        quotes_value: true,
    })
}

struct Checker<'m> {
    model: &'m Model,
    problems: Vec<String>,
}

impl Checker<'_> {
    /// `value`: the text a message may quote, `None` for lists and maps.
    fn report(
        &mut self,
        violation: Option<Violation>,
        value: Option<&str>,
        path: &str,
        sensitive: bool,
    ) {
        if let Some(violation) = violation {
            let quoted = match value {
                Some(value) if violation.quotes_value && !sensitive => format!(" '{value}'"),
                _ => String::new(),
            };
            self.problems.push(format!(
                "Value{quoted} at '{path}' failed to satisfy constraint: {}",
                violation.constraint
            ));
        }
    }

    /// `sensitive`: whether a shape this value is inside of is.
    fn check(
        &mut self,
        id: ShapeId,
        value: &Value,
        path: &str,
        sensitive: bool,
    ) -> Result<(), ServiceError> {
        let shape = self.model.shape(id);
        let sensitive = sensitive || shape.sensitive;
        match &shape.kind {
            Kind::String { length, pattern } => {
                let text = value.as_str().ok_or_else(|| expected("a string", path))?;
                let violation = text_violation(text, *length, pattern.as_ref());
                self.report(violation, Some(text), path, sensitive);
            }
            Kind::Enum(allowed) => {
                let text = value.as_str().ok_or_else(|| expected("a string", path))?;
                self.report(enum_violation(text, allowed), Some(text), path, sensitive);
            }
            Kind::Number(bounds) => {
                let number = value.as_i64().ok_or_else(|| expected("an integer", path))?;
                if let Some(violation) = number_violation(number, *bounds) {
                    self.report(Some(violation), Some(&number.to_string()), path, sensitive);
                }
            }
            Kind::Boolean => {
                value.as_bool().ok_or_else(|| expected("a boolean", path))?;
            }
            // Seconds since the epoch, as the SDKs send them.
            Kind::Timestamp if !value.is_number() => return Err(expected("a timestamp", path)),
            // Base64 text; what it decodes to is the service's business.
            Kind::Blob if !value.is_string() => return Err(expected("a string", path)),
            Kind::Timestamp | Kind::Blob | Kind::Document => {}
            Kind::List { member, length } => {
                let items = value.as_array().ok_or_else(|| expected("a list", path))?;
                self.report(
                    length_violation(items.len(), *length),
                    None,
                    path,
                    sensitive,
                );
                for (index, item) in items.iter().enumerate() {
                    let item_path = format!("{path}.{}.member", index + 1);
                    self.check(*member, item, &item_path, sensitive)?;
                }
            }
            Kind::Map {
                key,
                value: entry,
                length,
            } => {
                let map = value.as_object().ok_or_else(|| expected("a map", path))?;
                self.report(length_violation(map.len(), *length), None, path, sensitive);
                for (name, item) in map {
                    self.check_map_key(*key, name, path);
                    self.check(*entry, item, &format!("{path}.{name}"), sensitive)?;
                }
            }
            Kind::Structure(members) => self.check_structure(members, value, path, sensitive)?,
        }
        Ok(())
    }

    fn check_map_key(&mut self, key: ShapeId, name: &str, path: &str) {
        let violation = match &self.model.shape(key).kind {
            Kind::String { length, pattern } => text_violation(name, *length, pattern.as_ref()),
            Kind::Enum(allowed) => enum_violation(name, allowed),
            _ => None,
        };
        if let Some(violation) = violation {
            self.problems.push(format!(
                "Value at '{path}' failed to satisfy constraint: Map keys must satisfy constraint: [{}]",
                violation.constraint
            ));
        }
    }

    fn check_structure(
        &mut self,
        members: &[Member],
        value: &Value,
        prefix: &str,
        sensitive: bool,
    ) -> Result<(), ServiceError> {
        let Value::Object(present) = value else {
            return Err(serialization(if prefix.is_empty() {
                "Expected a JSON object".to_owned()
            } else {
                format!("Expected a JSON object at '{prefix}'")
            }));
        };
        let path_of = |member: &Member| {
            if prefix.is_empty() {
                member.path_name.clone()
            } else {
                format!("{prefix}.{}", member.path_name)
            }
        };
        for member in members {
            match present.get(&member.name) {
                None | Some(Value::Null) if member.required => {
                    self.problems.push(format!(
                        "Value null at '{}' failed to satisfy constraint: Member must not be null",
                        path_of(member)
                    ));
                }
                None | Some(Value::Null) => {}
                Some(found) => self.check(member.shape, found, &path_of(member), sensitive)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::model::MODEL;
    use super::super::model::tests::member_pattern;
    use super::*;

    /// A model of one operation, with the constraints of a few of the real model's shapes.
    const SMALL_MODEL: &str = r#"{
        "operations": { "Try": { "input": { "shape": "TryRequest" } } },
        "shapes": {
            "TryRequest": {
                "type": "structure",
                "required": ["ClientId", "Username"],
                "members": {
                    "ClientId": { "shape": "ClientIdType" },
                    "Username": { "shape": "UsernameType" },
                    "Limit": { "shape": "QueryLimitType" },
                    "AuthFlow": { "shape": "AuthFlowType" }
                }
            },
            "ClientIdType": { "type": "string", "min": 1, "max": 128, "pattern": "[\\w+]+", "sensitive": true },
            "UsernameType": { "type": "string", "min": 1, "max": 128, "pattern": "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", "sensitive": true },
            "QueryLimitType": { "type": "integer", "min": 0, "max": 60 },
            "AuthFlowType": { "type": "string", "enum": ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"] }
        }
    }"#;

    fn validate_small(body: &Value) -> Result<(), ServiceError> {
        let model = Model::parse(SMALL_MODEL).unwrap();
        let input = model.input_of("Try").flatten().unwrap();
        validate(&model, input, body)
    }

    #[test]
    fn collects_every_broken_constraint() {
        let error = validate_small(&json!({ "Username": "a b", "Limit": 61 })).unwrap_err();
        assert_eq!(error.code, "InvalidParameterException");
        assert!(
            error.message.starts_with("3 validation errors detected: "),
            "{}",
            error.message
        );
        assert!(error.message.contains("Value null at 'clientId'"));
        assert!(error.message.contains("at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern"));
        assert!(
            !error.message.contains("'a b'"),
            "sensitive values are not echoed"
        );
        assert!(error.message.contains("Value '61' at 'limit'"));
    }

    #[test]
    fn wrong_types_are_serialization_errors() {
        for body in [
            json!([]),
            json!({ "ClientId": 5, "Username": "x" }),
            json!({ "ClientId": "c", "Username": "x", "Limit": "7" }),
        ] {
            assert_eq!(
                validate_small(&body).unwrap_err().code,
                "SerializationException",
                "{body}"
            );
        }
    }

    #[test]
    fn patterns_follow_the_model() {
        let user_pool_id = member_pattern("AdminGetUser", "UserPoolId");
        assert!(user_pool_id.matches("us-east-1_AbC123xyZ"));
        assert!(!user_pool_id.matches("us-east-1AbC"));
        let device_key = member_pattern("ConfirmDevice", "DeviceKey");
        assert!(device_key.matches("us-east-1_0a1b2c3d-4e5f-6789-abcd-ef0123456789"));
        assert!(!device_key.matches("us-east-1_XYZ"));
        let username = member_pattern("AdminGetUser", "Username");
        assert!(username.matches("jürgen.o'neil@example.com"));
        assert!(!username.matches("two words"));
        let token = member_pattern("GetUser", "AccessToken");
        assert!(token.matches("eyJ.abc-_=.x"));
        assert!(!token.matches("a+b"));
    }

    #[test]
    fn map_keys_and_values_and_list_lengths_follow_the_model() {
        let input = MODEL.input_of("CreateUserPool").flatten().unwrap();
        let body = json!({
            "PoolName": "p",
            "UserPoolTags": { "": "v", "team": "x".repeat(300) },
            "Schema": [],
        });
        let message = validate(&MODEL, input, &body).unwrap_err().message;
        assert!(
            message.starts_with("3 validation errors detected: "),
            "{message}"
        );
        assert!(message.contains("Value at 'userPoolTags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 1]"), "{message}");
        assert!(message.contains("Value at 'userPoolTags.team' failed to satisfy constraint: Member must have length less than or equal to 256"), "{message}");
        assert!(message.contains("Value at 'schema' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{message}");
    }
}
