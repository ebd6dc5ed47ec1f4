// SPDX-License-Identifier: Apache-2.0
//! Which of the service model's operations the emulator answers: `COVERAGE.md`, which
//! `tests/coverage.rs` keeps in step with the routing table and the model.

use std::fmt::Write;

use super::{model, operations};

/// `COVERAGE.md`: every operation of the service model, and whether the emulator answers it,
/// fully or with the limits its routing entry notes.
pub fn coverage_markdown() -> String {
    let names: Vec<&str> = model::MODEL.operation_names().collect();
    let routed: Vec<Option<&operations::Operation>> =
        names.iter().map(|name| operations::find(name)).collect();
    let emulated = routed.iter().flatten().count();
    let limited = routed
        .iter()
        .flatten()
        .filter(|operation| operation.limits.is_some())
        .count();
    let mut markdown = format!(
        "# Operation coverage\n\n\
         {emulated} of the {} operations of the Cognito user-pools API model \
         (`model/cognito-idp.json`) are emulated, {limited} of them with the limits noted; the \
         others answer HTTP 501 `NotImplementedException`. Generated from the routing table and \
         the model (`src/wire/coverage.rs`): run \
         `COVERAGE_WRITE=1 cargo test -p cognito-emulator --test coverage` to refresh it.\n\n",
        names.len()
    );
    markdown.push_str(&family_counts());
    markdown.push_str("\n| Operation | Family | Emulated |\n|---|---|---|\n");
    for (name, operation) in names.iter().zip(&routed) {
        let emulated = match operation {
            None => "no".to_owned(),
            Some(operation) => match operation.limits {
                None => "yes".to_owned(),
                Some(limits) => format!("yes, with limits: {limits}"),
            },
        };
        let family = operations::family_of(name).unwrap_or("");
        // Writing to a String cannot fail.
        let _ = writeln!(markdown, "| {name} | {family} | {emulated} |");
    }
    markdown
}

/// How many operations each family emulates, and how many of them with limits.
fn family_counts() -> String {
    let mut table = "| Family | Emulated | With limits |\n|---|---|---|\n".to_owned();
    for (family, operations) in operations::families() {
        let limited = operations.iter().filter(|op| op.limits.is_some()).count();
        // Writing to a String cannot fail.
        let _ = writeln!(table, "| {family} | {} | {limited} |", operations.len());
    }
    table
}
