// SPDX-License-Identifier: Apache-2.0
//! Shapes of the API that more than one operation answers with. Each operation's own request
//! and answer types live next to the operation.

use serde::Serialize;

/// The answer of operations that answer nothing: `{}`.
#[derive(Debug, Default, Serialize)]
pub struct Empty {}

/// `AttributeType`: one name and value, as users' and devices' attributes are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
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
