// SPDX-License-Identifier: Apache-2.0
//! Changing and listing pools and clients: UpdateUserPool, UpdateUserPoolClient, ListUserPoolClients, GetUserPoolMfaConfig, client secrets, tags, UI customization.

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
