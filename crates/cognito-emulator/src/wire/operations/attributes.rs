// SPDX-License-Identifier: Apache-2.0
//! Custom attributes (AddCustomAttributes, GetCSVHeader) and user import jobs.

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
