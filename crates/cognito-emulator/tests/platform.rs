// SPDX-License-Identifier: Apache-2.0
//! The platform family through the AWS SDK for Rust (raw JSON where SDK 1.144 lacks the
//! operation): replicas, point-in-time recovery, CIMD policies, provisioned limits, client and
//! derived tokens; each with its documented errors and across a `--data-dir` restart.

mod common;

mod platform {
    pub mod support;

    mod cimd;
    mod limits;
    mod recovery;
    mod replicas;
    mod tokens;
}
