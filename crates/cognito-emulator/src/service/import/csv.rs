// SPDX-License-Identifier: Apache-2.0
//! The import file's format: a header of GetCSVHeader's columns in any order, then a user a
//! line. Fields are separated by commas, a comma inside a value is written `\,`, values are
//! not quoted, and each is trimmed.

/// The longest line the service reads.
pub(super) const MAX_LINE_CHARS: usize = 16_000;

/// A line's fields, unescaped and trimmed.
pub(super) fn fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                field.push(',');
                chars.next();
            }
            ',' => fields.push(std::mem::take(&mut field).trim().to_owned()),
            _ => field.push(c),
        }
    }
    fields.push(field.trim().to_owned());
    fields
}

/// Where each column is: the header checked against the pool's columns.
#[derive(Debug)]
pub(super) struct Columns {
    pub(super) names: Vec<String>,
    pub(super) username: usize,
    pub(super) mfa_enabled: usize,
}

/// Reads the header: every column of the pool's CSV header must be there, once, and no other.
pub(super) fn columns(header: &str, expected: &[String]) -> Result<Columns, String> {
    let header = header.strip_prefix('\u{feff}').unwrap_or(header);
    let names = fields(header);
    if let Some(unknown) = names.iter().find(|name| !expected.contains(name)) {
        return Err(format!(
            "The CSV header has a column the user pool does not have: {unknown}."
        ));
    }
    if let Some(missing) = expected.iter().find(|name| !names.contains(name)) {
        return Err(format!("The CSV header lacks the column {missing}."));
    }
    if names.len() != expected.len() {
        return Err("The CSV header names a column twice.".to_owned());
    }
    let position = |column: &str| names.iter().position(|name| name == column);
    match (
        position("cognito:username"),
        position("cognito:mfa_enabled"),
    ) {
        (Some(username), Some(mfa_enabled)) => Ok(Columns {
            names,
            username,
            mfa_enabled,
        }),
        _ => Err("The CSV header lacks cognito:username or cognito:mfa_enabled.".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_commas_stay_in_their_field_and_values_are_trimmed() {
        assert_eq!(
            fields(r"jo, 1 Main St\, Springfield ,,x"),
            ["jo", "1 Main St, Springfield", "", "x"]
        );
    }

    #[test]
    fn the_header_must_have_every_column_once() {
        let expected: Vec<String> = ["email", "cognito:mfa_enabled", "cognito:username"]
            .map(str::to_owned)
            .to_vec();
        let found = columns("cognito:username,email,cognito:mfa_enabled", &expected).unwrap();
        assert_eq!((found.username, found.mfa_enabled), (0, 2));
        assert!(columns("cognito:username,email", &expected).is_err());
        assert!(columns("cognito:username,email,cognito:mfa_enabled,nick", &expected).is_err());
    }
}
