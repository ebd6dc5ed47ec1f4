// SPDX-License-Identifier: Apache-2.0
//! Security and session settings: risk configuration, authentication events and their feedback, log delivery, user sessions and the pool's and clients' session configuration.

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
