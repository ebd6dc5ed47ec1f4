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
        if !fold {
            return if self.prefix {
                candidate.starts_with(&self.value)
            } else {
                candidate == self.value
            };
        }
        if candidate.is_ascii() && self.value.is_ascii() {
            let (have, wanted) = (candidate.as_bytes(), self.value.as_bytes());
            let compared = if self.prefix {
                have.get(..wanted.len())
            } else {
                Some(have)
            };
            return compared.is_some_and(|have| have.eq_ignore_ascii_case(wanted));
        }
        // Case-folded character by character: no allocation per user on large pools.
        let mut wanted = self.value.chars().flat_map(char::to_lowercase);
        let mut have = candidate.chars().flat_map(char::to_lowercase);
        loop {
            match (wanted.next(), have.next()) {
                (None, None) => return true,
                (None, Some(_)) => return self.prefix,
                (Some(_), None) => return false,
                (Some(w), Some(h)) if w != h => return false,
                _ => {}
            }
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
    fn matching_folds_case_where_the_service_does() {
        let jane = User::for_test("Jane", &[("email", "Jane.Doe@Example.COM")]);
        let matches = |filter: &str, case_insensitive: bool| {
            Filter::parse(filter)
                .unwrap()
                .matches(&jane, case_insensitive)
        };
        assert!(matches(r#"email = "jane.doe@example.com""#, false));
        assert!(matches(r#"email ^= "JANE.""#, false));
        assert!(!matches(r#"email ^= "jane.doe@example.com.au""#, false));
        assert!(!matches(r#"email = "jane.doe@example.co""#, false));
        assert!(matches(r#"username = "jane""#, true));
        assert!(!matches(r#"username = "jane""#, false));
        assert!(matches(r#"status = "Enabled""#, false));
        assert!(!matches(r#"status = "enabled""#, false));
        assert!(matches(r#"cognito:user_status = "confirmed""#, false));
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
