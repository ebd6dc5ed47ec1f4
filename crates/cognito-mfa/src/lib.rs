// SPDX-License-Identifier: Apache-2.0
//! An AWS SDK for Rust example of Amazon Cognito's "sign up a user with MFA" scenario: sign up,
//! confirm with the emailed code, enrol a TOTP authenticator at the MFA_SETUP challenge, sign in
//! with a TOTP code, remember the device, and sign in from it with device SRP and no code.
//!
//! - [`actions`]: the SDK wrapper, one method per API action (the documentation excerpts).
//! - [`scenario`]: the steps, in order, each printing what it called and what came back.
//! - [`prompt`]: the questions, answered at a terminal or worked out for straight-through runs.
//! - [`target`]: the embedded emulator, another endpoint, or AWS; [`pool_admin`] makes the pool.
//! - [`tokens`], [`qr`], [`http`], [`report`]: token checks, the QR code, a small HTTP GET, output.
//! - `random`: generated passwords and name suffixes.

pub mod actions;
pub mod http;
pub mod pool_admin;
pub mod prompt;
pub mod qr;
mod random;
pub mod report;
pub mod scenario;
pub mod target;
pub mod tokens;
