// SPDX-License-Identifier: Apache-2.0
//! Input shapes of the operations, with the model's constraints, checked before a request is
//! decoded: a wrong JSON type is a `SerializationException`, a broken constraint an
//! `InvalidParameterException` in the service's "N validation errors detected" form.

use serde_json::Value;

use crate::service::ServiceError;

#[derive(Debug, Clone, Copy)]
pub enum Pattern {
    /// Any text.
    Any,
    /// `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`: no white space or control characters.
    Visible,
    /// `[\S]+`
    NoSpace,
    /// `[\w+]+`
    ClientId,
    /// `[\w+=/]+`
    SecretHash,
    /// `[\w-]+_[0-9a-zA-Z]+`
    UserPoolId,
    /// `[\w-]+_[0-9a-f-]+`
    DeviceKey,
    /// `[A-Za-z0-9-_=.]+`
    Token,
    /// `[0-9]+`
    Digits,
    /// `[\w\s+=,.@-]+`
    Name,
}

impl Pattern {
    fn matches(self, text: &str) -> bool {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let all = |allowed: &dyn Fn(char) -> bool| text.chars().all(allowed);
        match self {
            Self::Any => true,
            Self::Visible => all(&|c| !c.is_whitespace() && !c.is_control()),
            Self::NoSpace => all(&|c| !c.is_whitespace()),
            Self::ClientId => all(&|c| word(c) || c == '+'),
            Self::SecretHash => all(&|c| word(c) || "+=/".contains(c)),
            Self::UserPoolId => text.split_once('_').is_some_and(|(region, id)| {
                !region.is_empty()
                    && region.chars().all(|c| word(c) || c == '-')
                    && !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_alphanumeric())
            }),
            Self::DeviceKey => text.rsplit_once('_').is_some_and(|(prefix, id)| {
                !prefix.is_empty()
                    && prefix.chars().all(|c| word(c) || c == '-')
                    && !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-')
            }),
            Self::Token => all(&|c| c.is_ascii_alphanumeric() || "-_=.".contains(c)),
            Self::Digits => all(&|c| c.is_ascii_digit()),
            Self::Name => all(&|c| word(c) || c.is_whitespace() || "+=,.@-".contains(c)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Any => ".*",
            Self::Visible => "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
            Self::NoSpace => "[\\S]+",
            Self::ClientId => "[\\w+]+",
            Self::SecretHash => "[\\w+=/]+",
            Self::UserPoolId => "[\\w-]+_[0-9a-zA-Z]+",
            Self::DeviceKey => "[\\w-]+_[0-9a-f-]+",
            Self::Token => "[A-Za-z0-9-_=.]+",
            Self::Digits => "[0-9]+",
            Self::Name => "[\\w\\s+=,.@-]+",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Text {
        min: usize,
        max: usize,
        pattern: Pattern,
    },
    Enum(&'static [&'static str]),
    Integer {
        min: i64,
        max: i64,
    },
    Boolean,
    /// A list of the inner shape, with at most this many items.
    List(&'static Shape, usize),
    /// A map from strings to strings (AuthParameters, ChallengeResponses, ...).
    TextMap,
    Structure(&'static [Field]),
    /// Accepted as it comes (members this emulator stores but does not interpret).
    Anything,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// Sensitive values are never echoed in error messages.
    pub sensitive: bool,
}

/// An optional member.
pub const fn optional(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
        sensitive: false,
    }
}

/// A required member.
pub const fn required(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
        sensitive: false,
    }
}

impl Field {
    pub const fn secret(self) -> Self {
        Self {
            sensitive: true,
            ..self
        }
    }
}

pub const fn text(min: usize, max: usize, pattern: Pattern) -> Shape {
    Shape::Text { min, max, pattern }
}

/// Checks a request body against its operation's members.
pub fn validate(fields: &[Field], body: &Value) -> Result<(), ServiceError> {
    let mut problems = Vec::new();
    check_structure(fields, body, "", &mut problems)?;
    match problems.len() {
        0 => Ok(()),
        n => Err(ServiceError::invalid_parameter(format!(
            "{n} validation error{} detected: {}",
            if n == 1 { "" } else { "s" },
            problems.join("; ")
        ))),
    }
}

fn serialization(message: String) -> ServiceError {
    ServiceError::new("SerializationException", message)
}

/// `UserPoolId` at the top becomes `userPoolId`; nested ones are dotted.
fn member_path(prefix: &str, name: &str) -> String {
    let mut chars = name.chars();
    let camel: String = chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default();
    if prefix.is_empty() {
        camel
    } else {
        format!("{prefix}.{camel}")
    }
}

fn check_structure(
    fields: &[Field],
    value: &Value,
    prefix: &str,
    problems: &mut Vec<String>,
) -> Result<(), ServiceError> {
    let Value::Object(members) = value else {
        return Err(serialization(format!(
            "Expected a JSON object{}",
            if prefix.is_empty() {
                String::new()
            } else {
                format!(" at '{prefix}'")
            }
        )));
    };
    for field in fields {
        let path = member_path(prefix, field.name);
        match members.get(field.name) {
            None | Some(Value::Null) if field.required => {
                problems.push(format!(
                    "Value null at '{path}' failed to satisfy constraint: Member must not be null"
                ));
            }
            None | Some(Value::Null) => {}
            Some(member) => check(field, &field.shape, member, &path, problems)?,
        }
    }
    Ok(())
}

fn check(
    field: &Field,
    shape: &Shape,
    value: &Value,
    path: &str,
    problems: &mut Vec<String>,
) -> Result<(), ServiceError> {
    let shown = |text: &str| {
        if field.sensitive {
            String::new()
        } else {
            format!(" '{text}'")
        }
    };
    match shape {
        Shape::Text { min, max, pattern } => {
            let text = value
                .as_str()
                .ok_or_else(|| serialization(format!("Expected a string at '{path}'")))?;
            let length = text.chars().count();
            if length < *min {
                problems.push(format!(
                    "Value{} at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}",
                    shown(text)
                ));
            } else if length > *max {
                // Long values are not echoed back.
                problems.push(format!(
                    "Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}"
                ));
            } else if !pattern.matches(text) {
                problems.push(format!(
                    "Value{} at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {}",
                    shown(text),
                    pattern.describe()
                ));
            }
        }
        Shape::Enum(allowed) => {
            let text = value
                .as_str()
                .ok_or_else(|| serialization(format!("Expected a string at '{path}'")))?;
            if !allowed.contains(&text) {
                problems.push(format!(
                    "Value{} at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    if text.chars().count() > 64 { String::new() } else { shown(text) },
                    allowed.join(", ")
                ));
            }
        }
        Shape::Integer { min, max } => {
            let number = value
                .as_i64()
                .ok_or_else(|| serialization(format!("Expected an integer at '{path}'")))?;
            if number < *min || number > *max {
                problems.push(format!(
                    "Value '{number}' at '{path}' failed to satisfy constraint: Member must have value between {min} and {max}"
                ));
            }
        }
        Shape::Boolean => {
            value
                .as_bool()
                .ok_or_else(|| serialization(format!("Expected a boolean at '{path}'")))?;
        }
        Shape::List(inner, max_items) => {
            let items = value
                .as_array()
                .ok_or_else(|| serialization(format!("Expected a list at '{path}'")))?;
            if items.len() > *max_items {
                problems.push(format!(
                    "Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max_items}"
                ));
            }
            for (index, item) in items.iter().enumerate() {
                check(
                    field,
                    inner,
                    item,
                    &format!("{path}.{}.member", index + 1),
                    problems,
                )?;
            }
        }
        Shape::TextMap => {
            let map = value
                .as_object()
                .ok_or_else(|| serialization(format!("Expected a map at '{path}'")))?;
            if map.len() > 200 {
                problems.push(format!(
                    "Value at '{path}' failed to satisfy constraint: Member must have at most 200 entries"
                ));
            }
            for (key, entry) in map {
                let text = entry.as_str().ok_or_else(|| {
                    serialization(format!("Expected a string for '{key}' in '{path}'"))
                })?;
                if key.chars().count() > 256 || text.chars().count() > 131_072 {
                    problems.push(format!(
                        "Value at '{path}' failed to satisfy constraint: Map keys must be at most 256 and values at most 131072 characters"
                    ));
                }
            }
        }
        Shape::Structure(fields) => check_structure(fields, value, path, problems)?,
        Shape::Anything => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const FIELDS: &[Field] = &[
        required("ClientId", text(1, 128, Pattern::ClientId)).secret(),
        required("Username", text(1, 128, Pattern::Visible)).secret(),
        optional("Limit", Shape::Integer { min: 0, max: 60 }),
        optional(
            "AuthFlow",
            Shape::Enum(&["USER_SRP_AUTH", "USER_PASSWORD_AUTH"]),
        ),
    ];

    #[test]
    fn collects_every_broken_constraint() {
        let error = validate(FIELDS, &json!({ "Username": "a b", "Limit": 61 })).unwrap_err();
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
                validate(FIELDS, &body).unwrap_err().code,
                "SerializationException",
                "{body}"
            );
        }
    }

    #[test]
    fn patterns_follow_the_model() {
        assert!(Pattern::UserPoolId.matches("us-east-1_AbC123xyZ"));
        assert!(!Pattern::UserPoolId.matches("us-east-1AbC"));
        assert!(Pattern::DeviceKey.matches("us-east-1_0a1b2c3d-4e5f-6789-abcd-ef0123456789"));
        assert!(!Pattern::DeviceKey.matches("us-east-1_XYZ"));
        assert!(Pattern::Visible.matches("jürgen.o'neil@example.com"));
        assert!(!Pattern::Visible.matches("two words"));
        assert!(Pattern::Token.matches("eyJ.abc-_=.x"));
        assert!(!Pattern::Token.matches("a+b"));
    }
}
