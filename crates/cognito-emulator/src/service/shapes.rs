// SPDX-License-Identifier: Apache-2.0
//! Shapes of the API that more than one operation answers with. Each operation's own request
//! and answer types live next to the operation.

use serde::{Deserialize, Deserializer, Serialize};

/// The answer of operations that answer nothing: `{}`.
#[derive(Debug, Default, Serialize)]
pub struct Empty {}

/// `AttributeType`: one name and value, as users' and devices' attributes are listed, and as
/// SignUp and AdminCreateUser are given them. A value left out (or null) is read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub value: String,
}

impl AttributeType {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Option::<String>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribute_without_a_value_is_read_as_empty() {
        for given in [
            r#"{"Name":"nickname"}"#,
            r#"{"Name":"nickname","Value":null}"#,
        ] {
            let read: AttributeType = serde_json::from_str(given).unwrap();
            assert_eq!(read, AttributeType::new("nickname", ""));
        }
        let written = serde_json::to_string(&AttributeType::new("email", "a@b.c")).unwrap();
        assert_eq!(written, r#"{"Name":"email","Value":"a@b.c"}"#);
    }
}
