// SPDX-License-Identifier: Apache-2.0
//! Groups and what they put in tokens; the user's own settings (AdminSetUserSettings, SetUserSettings, AdminDeleteSoftwareToken).

#[allow(unused_imports)]
use super::{Operation, decode, op, reply};

pub(super) const OPERATIONS: &[Operation] = &[];
