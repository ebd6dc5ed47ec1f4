// SPDX-License-Identifier: Apache-2.0
//! ListUsers filters: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), one
//! attribute per filter, inner quotes escaped with a backslash.

use super::model::User;
use super::{ServiceError, ServiceResult};

/// Attributes a filter may name. Matching is case-insensitive except for `username`, where it
/// follows the pool's case sensitivity, and `status`.
const SEARCHABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    attribute: String,
    prefix: bool,
    value: String,
}

impl Filter {
    pub fn parse(text: &str) -> ServiceResult<Self> {
        let parse_error = || ServiceError::invalid_parameter("Error while parsing filter.");
        let text = text.trim();
        let name_end = text
            .find(|c: char| c.is_whitespace() || c == '=' || c == '^')
            .ok_or_else(parse_error)?;
        let attribute = &text[..name_end];
        let rest = text[name_end..].trim_start();
        let (prefix, rest) = if let Some(rest) = rest.strip_prefix("^=") {
            (true, rest)
        } else if let Some(rest) = rest.strip_prefix('=') {
            (false, rest)
        } else {
            return Err(parse_error());
        };
        let quoted = rest.trim_start();
        let inner = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .ok_or_else(parse_error)?;
        let mut value = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.push(chars.next().ok_or_else(parse_error)?),
                '"' => return Err(parse_error()),
                other => value.push(other),
            }
        }
        if !SEARCHABLE.contains(&attribute) {
            return Err(ServiceError::invalid_parameter(format!(
                "Invalid search attribute: {attribute}"
            )));
        }
        Ok(Self {
            attribute: attribute.to_owned(),
            prefix,
            value,
        })
    }

    pub fn matches(&self, user: &User, case_insensitive_username: bool) -> bool {
        let (candidate, fold) = match self.attribute.as_str() {
            "username" => (Some(user.username.as_str()), case_insensitive_username),
            "cognito:user_status" => (Some(user.status.name()), true),
            "status" => (
                Some(if user.enabled { "Enabled" } else { "Disabled" }),
                false,
            ),
            other => (user.attribute(other), true),
        };
        let Some(candidate) = candidate else {
            return false;
        };
        let (candidate, value) = if fold {
            (candidate.to_lowercase(), self.value.to_lowercase())
        } else {
            (candidate.to_owned(), self.value.clone())
        };
        if self.prefix {
            candidate.starts_with(&value)
        } else {
            candidate == value
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_and_prefix_filters() {
        assert_eq!(
            Filter::parse(r#"email = "Jane@Example.com""#).unwrap(),
            Filter {
                attribute: "email".into(),
                prefix: false,
                value: "Jane@Example.com".into()
            }
        );
        assert_eq!(
            Filter::parse(r#"username^="al""#).unwrap(),
            Filter {
                attribute: "username".into(),
                prefix: true,
                value: "al".into()
            }
        );
        assert_eq!(
            Filter::parse(r#"name = "say \"hi\"""#).unwrap().value,
            r#"say "hi""#
        );
    }

    #[test]
    fn refuses_what_the_service_refuses() {
        for bad in [
            r#"email = jane"#,
            r#"email "x""#,
            "",
            r#"email = "a"b""#,
            r#"= "x""#,
        ] {
            assert_eq!(
                Filter::parse(bad).unwrap_err().code,
                "InvalidParameterException",
                "{bad}"
            );
        }
        assert_eq!(
            Filter::parse(r#"custom:team = "x""#).unwrap_err().message,
            "Invalid search attribute: custom:team"
        );
    }
}
