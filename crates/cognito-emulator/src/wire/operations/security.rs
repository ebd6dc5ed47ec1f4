// SPDX-License-Identifier: Apache-2.0
//! Security and session settings: risk configuration, authentication events, log delivery, sessions, replicas, point-in-time recovery, CIMD policies, client metadata URLs, provisioned limits and the client and derived tokens.

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
