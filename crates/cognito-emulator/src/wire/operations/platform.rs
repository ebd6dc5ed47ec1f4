// SPDX-License-Identifier: Apache-2.0
//! Replicas, point-in-time recovery, CIMD policies and client metadata URLs, provisioned
//! limits, and the client and derived tokens.

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
