// SPDX-License-Identifier: Apache-2.0
//! Which of the service model's operations the emulator answers: `COVERAGE.md`, which
//! `tests/coverage.rs` keeps in step with the routing table and the model.

use std::fmt::Write;

use super::{model, operations};

/// `COVERAGE.md`: every operation of the service model, and whether the emulator answers it.
pub fn coverage_markdown() -> String {
    let names: Vec<&str> = model::MODEL.operation_names().collect();
    let emulated = names
        .iter()
        .filter(|name| operations::find(name).is_some())
        .count();
    let mut markdown = format!(
        "# Operation coverage\n\n\
         {emulated} of the {} operations of the Cognito user-pools API model \
         (`model/cognito-idp.json`) are emulated; the others answer HTTP 501 \
         `NotImplementedException`. Generated from the routing table and the model (`src/wire/coverage.rs`): \
         run `COVERAGE_WRITE=1 cargo test -p cognito-emulator --test coverage` to refresh it.\n\n\
         | Operation | Emulated |\n|---|---|\n",
        names.len()
    );
    for name in names {
        let emulated = if operations::find(name).is_some() {
            "yes"
        } else {
            "no"
        };
        // Writing to a String cannot fail.
        let _ = writeln!(markdown, "| {name} | {emulated} |");
    }
    markdown
}
