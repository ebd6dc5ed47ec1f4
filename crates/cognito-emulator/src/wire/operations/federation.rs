// SPDX-License-Identifier: Apache-2.0
//! Identity providers, resource servers, user-pool domains and the signing certificate.

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
