// SPDX-License-Identifier: Apache-2.0
//! Checks an answer against its operation's output shape in the service model: no member the
//! model lacks, each value of the JSON type its shape has (and in its enum), every required
//! member there. The service builds answers from typed structs, so a mismatch is the
//! emulator's bug: debug builds (every test suite) check each answer before it is sent.

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde_json::Value;

use super::model::{Kind, MODEL, Model, ShapeId};

/// The operations whose answers this process has checked and found well formed.
static CHECKED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// Checks an answer about to be sent; the error lists what is wrong.
#[cfg_attr(
    not(debug_assertions),
    allow(dead_code, reason = "answers are checked in debug builds only")
)]
pub fn check_answer(operation: &'static str, answer: &Value) -> Result<(), String> {
    let problems = answer_problems(operation, answer);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    CHECKED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(operation);
    Ok(())
}

/// The operations whose answers have been checked (in debug builds) and found well formed so
/// far in this process.
pub fn checked_operations() -> BTreeSet<&'static str> {
    CHECKED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

/// What is wrong with `answer` as the output of `operation`, one line each; empty if nothing.
pub fn answer_problems(operation: &str, answer: &Value) -> Vec<String> {
    match MODEL.output_of(operation) {
        None => vec![format!("{operation} is not an operation of the model")],
        Some(None) => match answer {
            Value::Object(members) if members.is_empty() => Vec::new(),
            _ => vec![format!("{operation} answers nothing, not {answer}")],
        },
        Some(Some(output)) => {
            let mut problems = Vec::new();
            check(&MODEL, output, answer, operation, &mut problems);
            problems
        }
    }
}

fn check(model: &Model, shape: ShapeId, value: &Value, path: &str, problems: &mut Vec<String>) {
    let mut wrong = |expected: &str| problems.push(format!("{path}: {expected}, not {value}"));
    match (&model.shape(shape).kind, value) {
        (Kind::Structure(members), Value::Object(fields)) => {
            for member in members.iter().filter(|member| member.required) {
                if !fields.contains_key(&member.name) {
                    problems.push(format!(
                        "{path}: required member {} is missing",
                        member.name
                    ));
                }
            }
            for (name, field) in fields {
                match members.iter().find(|member| member.name == *name) {
                    Some(member) => {
                        check(
                            model,
                            member.shape,
                            field,
                            &format!("{path}.{name}"),
                            problems,
                        );
                    }
                    None => problems.push(format!("{path}: the model has no member {name}")),
                }
            }
        }
        (Kind::Structure(_), _) => wrong("an object"),
        (Kind::List { member, .. }, Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                check(model, *member, item, &format!("{path}[{index}]"), problems);
            }
        }
        (Kind::List { .. }, _) => wrong("a list"),
        (Kind::Map { value: entry, .. }, Value::Object(entries)) => {
            for (key, item) in entries {
                check(model, *entry, item, &format!("{path}.{key}"), problems);
            }
        }
        (Kind::Map { .. }, _) => wrong("a map"),
        (Kind::Enum(allowed), Value::String(text)) => {
            if !allowed.contains(text) {
                problems.push(format!(
                    "{path}: {text} is not one of [{}]",
                    allowed.join(", ")
                ));
            }
        }
        (Kind::String { .. } | Kind::Blob, Value::String(_)) => {}
        (Kind::String { .. } | Kind::Enum(_) | Kind::Blob, _) => wrong("a string"),
        (Kind::Number(_), Value::Number(number)) if number.is_i64() || number.is_u64() => {}
        (Kind::Number(_), _) => wrong("an integer"),
        (Kind::Timestamp, Value::Number(_)) => {}
        (Kind::Timestamp, _) => wrong("epoch seconds"),
        (Kind::Boolean, Value::Bool(_)) => {}
        (Kind::Boolean, _) => wrong("a boolean"),
        (Kind::Document, _) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_well_formed_answer_passes() {
        let answer = json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "Session": "abc",
            "ChallengeParameters": { "SALT": "00" },
        });
        assert_eq!(
            answer_problems("InitiateAuth", &answer),
            Vec::<String>::new()
        );
        assert!(answer_problems("AdminDeleteUser", &json!({})).is_empty());
    }

    #[test]
    fn members_the_model_lacks_are_found_at_any_depth() {
        let answer = json!({ "AuthenticationResult": { "AccessToken": "a", "Extra": 1 } });
        assert_eq!(
            answer_problems("InitiateAuth", &answer),
            ["InitiateAuth.AuthenticationResult: the model has no member Extra"]
        );
    }

    #[test]
    fn wrong_json_types_and_enum_values_are_found() {
        let answer = json!({
            "ChallengeName": "NOT_A_CHALLENGE",
            "Session": 7,
            "ChallengeParameters": { "SALT": false },
            "AuthenticationResult": { "ExpiresIn": "3600" },
        });
        let mut problems = answer_problems("InitiateAuth", &answer);
        problems.sort();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("AuthenticationResult.ExpiresIn: an integer"));
        assert!(problems[1].contains("ChallengeName: NOT_A_CHALLENGE is not one of"));
        assert!(problems[2].contains("ChallengeParameters.SALT: a string"));
        assert!(problems[3].contains("Session: a string"));
    }

    #[test]
    fn missing_required_members_are_found() {
        // AssociateSoftwareToken answers nothing required; UserType's Username is not required
        // either, but a ListUsers answer's users must be objects.
        let problems = answer_problems("GetUser", &json!({ "UserAttributes": [] }));
        assert_eq!(problems, ["GetUser: required member Username is missing"]);
        let problems = answer_problems("ListUsers", &json!({ "Users": ["alice"] }));
        assert_eq!(problems, ["ListUsers.Users[0]: an object, not \"alice\""]);
    }

    #[test]
    fn an_answer_to_an_operation_that_answers_nothing_must_be_empty() {
        let problems = answer_problems("AdminDeleteUser", &json!({ "Deleted": true }));
        assert_eq!(problems.len(), 1);
    }
}
