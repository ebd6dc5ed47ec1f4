// SPDX-License-Identifier: Apache-2.0
//! Cryptography the service needs besides SRP (which comes from `cognito-srp`).

pub mod random;
pub mod tokens;
pub mod totp;
