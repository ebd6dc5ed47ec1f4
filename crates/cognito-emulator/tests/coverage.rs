// SPDX-License-Identifier: Apache-2.0
//! `COVERAGE.md` lists what the routing table and the service model say: a change to either
//! without regenerating it fails here. `COVERAGE_WRITE=1` writes it instead.

use std::path::Path;

const REFRESH: &str = "COVERAGE_WRITE=1 cargo test -p cognito-emulator --test coverage";

#[test]
fn coverage_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("COVERAGE.md");
    let generated = cognito_emulator::testing::coverage_markdown();
    if std::env::var_os("COVERAGE_WRITE").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "COVERAGE.md is stale: run `{REFRESH}`"
    );
}
