// SPDX-License-Identifier: Apache-2.0
//! The pool's attribute schema. Standard attributes come with every pool; custom ones are added
//! by CreateUserPool's Schema and AddCustomAttributes ([`operations`]) as `custom:<name>`, or
//! `dev:custom:<name>` when developer-only, and can never be removed or changed.
//!
//! Every attribute value a request writes (SignUp, AdminCreateUser, UpdateUserAttributes,
//! AdminUpdateUserAttributes, the rows of an import) is checked here, in one place, against its
//! attribute's type and constraints; and what an app client may read and write
//! (ReadAttributes, WriteAttributes) is decided here too.

mod operations;

use std::borrow::Cow;

use crate::service::model::{
    AppClient, NumberAttributeConstraints, SchemaAttribute, StringAttributeConstraints,
};
use crate::service::pools::STANDARD_ATTRIBUTES;
use crate::service::{AttributeType, ServiceError, ServiceResult};

pub(crate) const CUSTOM_PREFIX: &str = "custom:";
/// What a developer-only attribute's name starts with, before its `custom:`.
pub(crate) const DEVELOPER_PREFIX: &str = "dev:";
/// Custom attributes a pool may have, developer-only ones included.
pub(crate) const MAX_CUSTOM_ATTRIBUTES: usize = 50;
/// The longest value of a String attribute, and the default MaxLength.
const MAX_STRING_LENGTH: u64 = 2048;

/// Who writes attribute values, and when: an administrator may write developer-only
/// attributes, and immutable attributes take a value only when the user is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Writer {
    pub admin: bool,
    pub creating: bool,
}

/// A standard attribute as every pool has it until CreateUserPool's Schema says otherwise.
fn standard_attribute(name: &str) -> SchemaAttribute {
    let data_type = if name.ends_with("_verified") {
        "Boolean"
    } else if name == "updated_at" {
        "Number"
    } else {
        "String"
    };
    let string_constraints = (data_type == "String").then(|| StringAttributeConstraints {
        min_length: Some(if name == "sub" { "1" } else { "0" }.to_owned()),
        max_length: Some(MAX_STRING_LENGTH.to_string()),
    });
    let number_constraints = (data_type == "Number").then(|| NumberAttributeConstraints {
        min_value: Some("0".to_owned()),
        max_value: None,
    });
    SchemaAttribute {
        name: name.to_owned(),
        attribute_data_type: data_type.to_owned(),
        developer_only_attribute: false,
        mutable: name != "sub",
        required: name == "sub",
        string_attribute_constraints: string_constraints,
        number_attribute_constraints: number_constraints,
    }
}

/// The schema of a new pool: every standard attribute, with the Required and Mutable the
/// request gives it, then the request's custom attributes.
pub(crate) fn pool_schema(requested: Vec<SchemaAttribute>) -> ServiceResult<Vec<SchemaAttribute>> {
    let mut schema: Vec<SchemaAttribute> = STANDARD_ATTRIBUTES
        .iter()
        .map(|name| standard_attribute(name))
        .collect();
    let mut custom = Vec::new();
    for attribute in requested {
        match schema.iter_mut().find(|a| a.name == attribute.name) {
            Some(standard) => {
                if attribute.name == "sub" {
                    continue;
                }
                standard.required = attribute.required;
                standard.mutable = attribute.mutable;
                if let Some(constraints) = attribute.string_attribute_constraints {
                    check_string_constraints(&standard.name, &constraints)?;
                    standard.string_attribute_constraints = Some(constraints);
                }
            }
            None => custom.push(attribute),
        }
    }
    add_custom_attributes(&mut schema, custom)?;
    Ok(schema)
}

/// Adds custom attributes to a schema, all or none: each is checked, must not share its name
/// with an attribute the pool has (or another one added with it), and the pool may have at
/// most [`MAX_CUSTOM_ATTRIBUTES`].
pub(crate) fn add_custom_attributes(
    schema: &mut Vec<SchemaAttribute>,
    requested: Vec<SchemaAttribute>,
) -> ServiceResult<()> {
    let mut added: Vec<SchemaAttribute> = Vec::with_capacity(requested.len());
    for attribute in requested {
        let attribute = custom_attribute(attribute)?;
        let clashes =
            |other: &SchemaAttribute| custom_name(&other.name) == custom_name(&attribute.name);
        if schema.iter().chain(&added).any(clashes) {
            return Err(ServiceError::invalid_parameter(format!(
                "Existing attribute already has name {}.",
                custom_name(&attribute.name)
            )));
        }
        added.push(attribute);
    }
    let existing = schema.iter().filter(|a| is_custom(&a.name)).count();
    if existing + added.len() > MAX_CUSTOM_ATTRIBUTES {
        return Err(ServiceError::invalid_parameter(format!(
            "A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes; it has \
             {existing} and {} more were given.",
            added.len()
        )));
    }
    schema.extend(added);
    Ok(())
}

/// Whether an attribute is a custom one (developer-only or not).
pub(crate) fn is_custom(name: &str) -> bool {
    name.starts_with(CUSTOM_PREFIX) || name.starts_with(DEVELOPER_PREFIX)
}

/// `custom:<name>` of a custom attribute, developer-only or not.
fn custom_name(name: &str) -> &str {
    name.strip_prefix(DEVELOPER_PREFIX).unwrap_or(name)
}

/// A custom attribute as the request describes it, named as the pool will keep it and with its
/// constraints checked against its type.
fn custom_attribute(attribute: SchemaAttribute) -> ServiceResult<SchemaAttribute> {
    let bare = attribute
        .name
        .strip_prefix(CUSTOM_PREFIX)
        .unwrap_or(&attribute.name);
    if attribute.required {
        return Err(ServiceError::invalid_parameter(format!(
            "Required custom attributes are not supported currently: {bare}"
        )));
    }
    let name = if attribute.developer_only_attribute {
        format!("{DEVELOPER_PREFIX}{CUSTOM_PREFIX}{bare}")
    } else {
        format!("{CUSTOM_PREFIX}{bare}")
    };
    let data_type = attribute.attribute_data_type.as_str();
    if let Some(constraints) = &attribute.string_attribute_constraints {
        if data_type != "String" {
            return Err(ServiceError::invalid_parameter(format!(
                "StringAttributeConstraints are only for String attributes; {name} is a {data_type}."
            )));
        }
        check_string_constraints(&name, constraints)?;
    }
    if let Some(constraints) = &attribute.number_attribute_constraints {
        if data_type != "Number" {
            return Err(ServiceError::invalid_parameter(format!(
                "NumberAttributeConstraints are only for Number attributes; {name} is a {data_type}."
            )));
        }
        check_number_constraints(&name, constraints)?;
    }
    Ok(SchemaAttribute { name, ..attribute })
}

fn check_string_constraints(
    name: &str,
    constraints: &StringAttributeConstraints,
) -> ServiceResult<()> {
    let bound = |given: &Option<String>, what: &str| -> ServiceResult<Option<u64>> {
        given
            .as_deref()
            .map(|text| {
                text.parse::<u64>()
                    .ok()
                    .filter(|n| *n <= MAX_STRING_LENGTH)
                    .ok_or_else(|| {
                        ServiceError::invalid_parameter(format!(
                            "The {what} of {name} must be a whole number from 0 to {MAX_STRING_LENGTH}, not {text}."
                        ))
                    })
            })
            .transpose()
    };
    let min = bound(&constraints.min_length, "MinLength")?;
    let max = bound(&constraints.max_length, "MaxLength")?;
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(ServiceError::invalid_parameter(format!(
            "The MinLength of {name} ({min}) is greater than its MaxLength ({max})."
        )));
    }
    Ok(())
}

fn check_number_constraints(
    name: &str,
    constraints: &NumberAttributeConstraints,
) -> ServiceResult<()> {
    let bound = |given: &Option<String>, what: &str| -> ServiceResult<Option<f64>> {
        given
            .as_deref()
            .map(|text| {
                parse_number(text).ok_or_else(|| {
                    ServiceError::invalid_parameter(format!(
                        "The {what} of {name} must be a number, not {text}."
                    ))
                })
            })
            .transpose()
    };
    let min = bound(&constraints.min_value, "MinValue")?;
    let max = bound(&constraints.max_value, "MaxValue")?;
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(ServiceError::invalid_parameter(format!(
            "The MinValue of {name} is greater than its MaxValue."
        )));
    }
    Ok(())
}

/// A decimal number as attribute values and constraints write it: digits, an optional sign and
/// fraction; no exponents, infinities or NaN.
fn parse_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    well_formed.then(|| text.parse().ok()).flatten()
}

/// The definition of an attribute of the pool: its schema's, or a standard attribute's as
/// every pool has it. `None` for an attribute the pool does not have.
pub(crate) fn definition<'a>(
    schema: &'a [SchemaAttribute],
    name: &str,
) -> Option<Cow<'a, SchemaAttribute>> {
    match schema.iter().find(|a| a.name == name) {
        Some(found) => Some(Cow::Borrowed(found)),
        None => STANDARD_ATTRIBUTES
            .contains(&name)
            .then(|| Cow::Owned(standard_attribute(name))),
    }
}

/// The service's error for an attribute the pool does not have.
pub(crate) fn unknown_attribute(name: &str) -> ServiceError {
    ServiceError::invalid_parameter(format!(
        "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
    ))
}

fn not_conforming(name: &str, why: &str) -> ServiceError {
    ServiceError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {name}: {why}"
    ))
}

/// Checks the attribute values a request writes: every attribute must be the pool's, writable
/// by this writer (`sub` never; a developer-only one by an administrator only; an immutable one
/// only when the user is created), and its value of the attribute's type within its
/// constraints. Nothing is written when one is refused, so callers check all first.
pub(crate) fn check_writes(
    schema: &[SchemaAttribute],
    attributes: &[AttributeType],
    writer: Writer,
) -> ServiceResult<()> {
    for attribute in attributes {
        let name = attribute.name.as_str();
        let definition = definition(schema, name).ok_or_else(|| unknown_attribute(name))?;
        let writable = name != "sub"
            && (writer.admin || !definition.developer_only_attribute)
            && (writer.creating || definition.mutable);
        if !writable {
            return Err(not_conforming(name, "Attribute cannot be updated."));
        }
        check_value(&definition, &attribute.value).map_err(|why| not_conforming(name, &why))?;
    }
    Ok(())
}

/// Checks one value against its attribute's type and constraints.
pub(crate) fn check_value(definition: &SchemaAttribute, value: &str) -> Result<(), String> {
    match definition.attribute_data_type.as_str() {
        "Number" => check_number(definition.number_attribute_constraints.as_ref(), value),
        "Boolean" if value != "true" && value != "false" => {
            Err("The value must be true or false.".to_owned())
        }
        "String" => check_string(definition.string_attribute_constraints.as_ref(), value),
        // A DateTime's form is not checked by the service either; only its length is bounded.
        _ => check_string(None, value),
    }
}

fn check_string(
    constraints: Option<&StringAttributeConstraints>,
    value: &str,
) -> Result<(), String> {
    let bound = |given: Option<&String>| given.and_then(|text| text.parse::<u64>().ok());
    let min = bound(constraints.and_then(|c| c.min_length.as_ref())).unwrap_or(0);
    let max = bound(constraints.and_then(|c| c.max_length.as_ref())).unwrap_or(MAX_STRING_LENGTH);
    let length = value.chars().count() as u64;
    if length > max {
        return Err(format!("String must be no longer than {max} characters"));
    }
    if length < min {
        return Err(format!("String must be no shorter than {min} characters"));
    }
    Ok(())
}

fn check_number(
    constraints: Option<&NumberAttributeConstraints>,
    value: &str,
) -> Result<(), String> {
    let number = parse_number(value).ok_or_else(|| format!("{value} is not a number"))?;
    let bound = |given: Option<&String>| given.and_then(|text| parse_number(text));
    if let Some(min) = bound(constraints.and_then(|c| c.min_value.as_ref()))
        && number < min
    {
        return Err(format!("Number must be no less than {}", format_bound(min)));
    }
    if let Some(max) = bound(constraints.and_then(|c| c.max_value.as_ref()))
        && number > max
    {
        return Err(format!(
            "Number must be no greater than {}",
            format_bound(max)
        ));
    }
    Ok(())
}

fn format_bound(bound: f64) -> String {
    if bound.fract() == 0.0 && bound.abs() < 1e15 {
        format!("{}", bound as i64)
    } else {
        bound.to_string()
    }
}

/// Whether an app client may read an attribute (GetUser, the ID token): `sub` always, a
/// developer-only attribute never, and otherwise what its ReadAttributes name (all when it has
/// none).
pub(crate) fn client_may_read(client: &AppClient, name: &str) -> bool {
    if name == "sub" {
        return true;
    }
    if name.starts_with(DEVELOPER_PREFIX) {
        return false;
    }
    client
        .read_attributes
        .as_ref()
        .is_none_or(|readable| readable.iter().any(|r| r == name))
}

/// Refuses a write (SignUp, UpdateUserAttributes, DeleteUserAttributes) of an attribute the
/// client's WriteAttributes leave out; a client without them may write any.
pub(crate) fn check_client_writes<'a>(
    client: &AppClient,
    names: impl IntoIterator<Item = &'a str>,
) -> ServiceResult<()> {
    let Some(writable) = &client.write_attributes else {
        return Ok(());
    };
    for name in names {
        if !writable.iter().any(|w| w == name) {
            return Err(ServiceError::not_authorized(
                "A client attempted to write unauthorized attribute",
            ));
        }
    }
    Ok(())
}

/// Checks an app client's ReadAttributes and WriteAttributes against the pool's schema: each
/// must be an attribute of the pool, and a writable one a mutable, not developer-only one.
pub(crate) fn check_client_permissions(
    schema: &[SchemaAttribute],
    read: Option<&[String]>,
    write: Option<&[String]>,
) -> ServiceResult<()> {
    if let Some(unknown) = read
        .unwrap_or_default()
        .iter()
        .find(|name| definition(schema, name).is_none())
    {
        return Err(ServiceError::invalid_parameter(format!(
            "Invalid read attributes specified for the app client: {unknown}"
        )));
    }
    let writable = |name: &str| {
        name != "sub"
            && definition(schema, name).is_some_and(|d| d.mutable && !d.developer_only_attribute)
    };
    if let Some(refused) = write
        .unwrap_or_default()
        .iter()
        .find(|name| !writable(name))
    {
        return Err(ServiceError::invalid_parameter(format!(
            "Invalid write attributes specified for the app client: {refused}"
        )));
    }
    Ok(())
}

/// The columns of an import CSV (GetCSVHeader): the standard attributes a user may have, in
/// the service's order, then the pool's custom attributes, then the two the import itself needs.
pub(crate) fn csv_header(schema: &[SchemaAttribute]) -> Vec<String> {
    const STANDARD_COLUMNS: &[&str] = &[
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "profile",
        "picture",
        "website",
        "email",
        "email_verified",
        "gender",
        "birthdate",
        "zoneinfo",
        "locale",
        "phone_number",
        "phone_number_verified",
        "address",
        "updated_at",
    ];
    STANDARD_COLUMNS
        .iter()
        .map(|name| (*name).to_owned())
        .chain(
            schema
                .iter()
                .filter(|a| is_custom(&a.name))
                .map(|a| a.name.clone()),
        )
        .chain([
            "cognito:mfa_enabled".to_owned(),
            "cognito:username".to_owned(),
        ])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str, data_type: &str) -> SchemaAttribute {
        SchemaAttribute {
            name: name.to_owned(),
            attribute_data_type: data_type.to_owned(),
            developer_only_attribute: false,
            mutable: true,
            required: false,
            string_attribute_constraints: None,
            number_attribute_constraints: None,
        }
    }

    #[test]
    fn numbers_are_decimals_without_exponents() {
        assert_eq!(parse_number("12"), Some(12.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        for not_a_number in ["", "1e3", "NaN", "inf", ".5", "0x10", " 1"] {
            assert_eq!(parse_number(not_a_number), None, "{not_a_number:?}");
        }
    }

    #[test]
    fn values_are_checked_against_type_and_constraints() {
        let mut age = custom("custom:age", "Number");
        age.number_attribute_constraints = Some(NumberAttributeConstraints {
            min_value: Some("18".to_owned()),
            max_value: Some("120".to_owned()),
        });
        assert!(check_value(&age, "30").is_ok());
        assert_eq!(
            check_value(&age, "17").unwrap_err(),
            "Number must be no less than 18"
        );
        assert!(check_value(&age, "121").is_err());
        assert!(check_value(&age, "thirty").is_err());
        let mut nick = custom("custom:nick", "String");
        nick.string_attribute_constraints = Some(StringAttributeConstraints {
            min_length: Some("2".to_owned()),
            max_length: Some("4".to_owned()),
        });
        assert!(check_value(&nick, "abcd").is_ok());
        assert!(check_value(&nick, "abcde").is_err());
        assert!(check_value(&nick, "a").is_err());
        let member = custom("custom:member", "Boolean");
        assert!(check_value(&member, "true").is_ok());
        assert!(check_value(&member, "yes").is_err());
    }

    #[test]
    fn custom_names_are_unique_and_limited() {
        let mut schema = pool_schema(Vec::new()).unwrap();
        add_custom_attributes(&mut schema, vec![custom("a", "String")]).unwrap();
        assert!(schema.iter().any(|a| a.name == "custom:a"));
        let mut developer = custom("a", "String");
        developer.developer_only_attribute = true;
        assert!(add_custom_attributes(&mut schema, vec![developer]).is_err());
        let many: Vec<_> = (0..49)
            .map(|n| custom(&format!("n{n}"), "Number"))
            .collect();
        add_custom_attributes(&mut schema, many).unwrap();
        assert!(
            add_custom_attributes(&mut schema, vec![custom("one_too_many", "String")]).is_err()
        );
    }
}
